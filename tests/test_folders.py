"""The promises about the folders the tool writes (`scheduler/export/folders.py`): the user's
files are never replaced, a folder is written whole or not at all (a kill, a full disk), readers
refuse a folder that is not as its manifest lists it, and one run writes a folder at a time."""

from __future__ import annotations

import errno
import fcntl
import json
import multiprocessing
import os
import random
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from factory import small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.export import folders
from scheduler.export.folders import MANIFEST, claimed, verify, write_folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("folders")
    return write_scenario(root / "s.toml", write_dataset(root / "data", small_tables()),
                          solver={"time_limit": 5})


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def disk_full_after(monkeypatch, count: int) -> list[Path]:
    """Every file write after the first `count` fails as on a full disk; returns the paths
    tried."""
    tried: list[Path] = []
    real = Path.write_bytes

    def write_bytes(path, data):
        tried.append(path)
        if len(tried) > count:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    return tried


# --- what the manifest says, and what readers do with it ---------------------------------------

def test_a_result_folder_lists_every_file_with_size_rows_and_hash(scenario, tmp_path):
    out = tmp_path / "r"
    assert run("solve", scenario, "--out", out, "--quiet").exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["kind"] == "result"
    assert sorted(manifest["files"]) == ["metrics.json", "schedule.csv", "unscheduled.csv"]
    schedule = manifest["files"]["schedule.csv"]
    data = (out / "schedule.csv").read_bytes()
    assert schedule["bytes"] == len(data) and schedule["rows"] == data.count(b"\n") - 1
    assert len(schedule["sha256"]) == 64
    verify(out, "result")


def test_a_mixed_folder_left_by_two_runs_is_refused_by_every_reader(scenario, tmp_path):
    """A schedule.csv of one run beside the other files of another (what a kill between two
    renames used to leave): export, show, site, check and --baseline all refuse it."""
    one, two = tmp_path / "one", tmp_path / "two"
    assert run("solve", scenario, "--out", one, "--quiet").exit_code == 0
    assert run("solve", scenario, "--out", two, "--quiet",
               "--set", "capacity.max_dc_sessions=1").exit_code == 0
    shutil.copy(two / "schedule.csv", one / "schedule.csv")
    expected = f"error: {one / 'schedule.csv'}: not as manifest.json lists it"
    for command in (["export", one, "--format", "csv", "--out", tmp_path / "x"],
                    ["show", "D1", "--schedule", one],
                    ["site", one, "--out", tmp_path / "site"],
                    ["check", one, "--scenario", scenario],
                    ["solve", scenario, "--baseline", one, "--out", tmp_path / "b", "--quiet"]):
        result = run(*command)
        assert result.exit_code == 2, (command, result.output)
        assert result.output.startswith(expected), (command, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "two"]


def test_a_folder_of_another_kind_is_not_read_as_a_result(scenario, tmp_path):
    assert run("solve", scenario, "--out", tmp_path / "r", "--quiet").exit_code == 0
    assert run("export", tmp_path / "r", "--format", "csv", "--out", tmp_path / "x").exit_code == 0
    result = run("show", "D1", "--schedule", tmp_path / "x")
    assert result.exit_code == 2
    assert "holds an export written by `export`, not a result written by `solve`" in result.output


# --- the user's files ----------------------------------------------------------------------------

def test_export_into_a_folder_of_the_users_own_files_deletes_nothing(scenario, tmp_path):
    assert run("solve", scenario, "--out", tmp_path / "r", "--quiet").exit_code == 0
    mine = tmp_path / "mine"
    (mine / "dc").mkdir(parents=True)
    (mine / "calendars").mkdir()
    (mine / "day-planning.html").write_text("my plan")
    (mine / "dc" / "my-notes.html").write_text("my notes")
    (mine / "calendars" / "personal.ics").write_text("BEGIN:VCALENDAR")
    before = files_under(mine)
    for fmt in ("html", "ics", "all"):
        result = run("export", tmp_path / "r", "--format", fmt, "--out", mine)
        assert result.exit_code == 2 and "was not written by igf-sched" in result.output
    assert files_under(mine) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "r"]


def test_export_formats_accumulate_and_each_replaces_only_its_own_files(scenario, tmp_path):
    assert run("solve", scenario, "--out", tmp_path / "r", "--quiet").exit_code == 0
    out = tmp_path / "x"
    assert run("export", tmp_path / "r", "--format", "xlsx", "--out", out).exit_code == 0
    assert run("export", tmp_path / "r", "--format", "csv", "--out", out).exit_code == 0
    manifest = json.loads((out / MANIFEST).read_text())["files"]
    assert {name: entry["part"] for name, entry in manifest.items()} == {
        "schedule.xlsx": "xlsx", "schedule-excel.csv": "csv", "not-placed-excel.csv": "csv"}
    verify(out, "export")


# --- whole or not at all ---------------------------------------------------------------------------

def test_solve_on_a_full_disk_leaves_no_new_folder(scenario, tmp_path, monkeypatch):
    tried = disk_full_after(monkeypatch, 1)
    result = run("solve", scenario, "--out", tmp_path / "new" / "result", "--quiet")
    monkeypatch.undo()
    assert result.exit_code == 2
    assert result.output.startswith(
        f"error: {tmp_path / 'new' / 'result' / tried[-1].name}: cannot write: No space left")
    assert list(tmp_path.iterdir()) == []


def test_solve_on_a_full_disk_keeps_the_earlier_result(scenario, tmp_path, monkeypatch):
    out = tmp_path / "r"
    assert run("solve", scenario, "--out", out, "--quiet").exit_code == 0
    before = files_under(out)
    disk_full_after(monkeypatch, 2)
    result = run("solve", scenario, "--out", out, "--quiet", "--set",
                 "capacity.max_dc_sessions=1")
    monkeypatch.undo()
    assert result.exit_code == 2 and "cannot write: No space left on device" in result.output
    assert files_under(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_export_all_on_a_full_disk_names_the_file_and_writes_nothing(scenario, tmp_path,
                                                                      monkeypatch):
    assert run("solve", scenario, "--out", tmp_path / "r", "--quiet").exit_code == 0
    out = tmp_path / "x"
    assert run("export", tmp_path / "r", "--format", "xlsx", "--out", out).exit_code == 0
    before = files_under(out)
    tried = disk_full_after(monkeypatch, 4)
    result = run("export", tmp_path / "r", "--format", "all", "--out", out)
    monkeypatch.undo()
    assert result.exit_code == 2
    temporary = next(p for p in tried[0].parents if ".igf-sched-" in p.name)
    failed = out / tried[-1].relative_to(temporary)
    assert result.output == f"error: {failed}: cannot write: No space left on device\n"
    assert files_under(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r", "x"]


def test_a_folder_set_aside_by_a_killed_swap_is_put_back(tmp_path, monkeypatch):
    """Where the system has no atomic exchange, the earlier folder is renamed aside before the
    new one comes in; a kill between the two leaves it aside, and the next run puts it back."""
    out = tmp_path / "sweep"
    write_folder(out, "sweep", {"sweep.csv": b"value\n1\n"})
    monkeypatch.setattr(folders, "_exchange", lambda a, b: False)
    renames = []
    real = os.rename

    def killed_after_the_first_rename(a, b):
        renames.append((a, b))
        if len(renames) == 2:
            raise KeyboardInterrupt    # as if killed between the two renames
        real(a, b)

    monkeypatch.setattr(folders.os, "rename", killed_after_the_first_rename)
    with pytest.raises(KeyboardInterrupt):
        write_folder(out, "sweep", {"sweep.csv": b"value\n2\n"})
    monkeypatch.undo()
    assert not out.exists()
    with claimed(out, "sweep"):
        assert (out / "sweep.csv").read_bytes() == b"value\n1\n"
    verify(out, "sweep")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep"]


def test_a_compared_scenario_without_a_schedule_keeps_its_earlier_result(tmp_path):
    data = write_dataset(tmp_path / "data", small_tables())
    first = write_scenario(tmp_path / "first.toml", data)
    second = write_scenario(tmp_path / "second.toml", data)
    out = tmp_path / "compare"
    assert run("compare", first, second, "--out", out, "--quiet", "--jobs", "1").exit_code == 0
    earlier = files_under(out / "second")
    write_scenario(tmp_path / "second.toml", data, solver={"time_limit": 1e-9, "hint": False})
    result = run("compare", first, second, "--out", out, "--quiet", "--jobs", "1")
    assert result.exit_code == 1
    assert files_under(out / "second") == earlier
    verify(out, "comparison")
    verify(out / "second", "result")


# --- one run per folder ------------------------------------------------------------------------

def test_a_second_run_into_a_folder_being_written_is_refused(scenario, tmp_path):
    out = tmp_path / "r"
    assert run("solve", scenario, "--out", out, "--quiet").exit_code == 0
    before = files_under(out)
    with open(tmp_path / ".r.igf-sched.lock", "a") as other_run:
        fcntl.flock(other_run, fcntl.LOCK_EX | fcntl.LOCK_NB)     # held by "another run"
        result = run("solve", scenario, "--out", out, "--quiet")
        assert result.exit_code == 2
        assert "another igf-sched run is writing this folder now" in result.output
    assert files_under(out) == before
    assert run("solve", scenario, "--out", out, "--quiet").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_two_runs_never_share_a_temporary_folder(tmp_path, monkeypatch):
    made = []
    real = folders.tempfile.mkdtemp

    def recorded(**kwargs):
        made.append(real(**kwargs))
        return made[-1]

    monkeypatch.setattr(folders.tempfile, "mkdtemp", recorded)
    for value in range(3):
        write_folder(tmp_path / "s", "sweep", {"sweep.csv": f"v\n{value}\n".encode()})
    assert len(set(made)) == 3 and all(".s.igf-sched-" in name for name in made)


# --- killed at random points ---------------------------------------------------------------------

def _solve_slowly(scenario: str, out: str, quota: int, writing) -> None:
    """`solve` in a worker, its file steps slowed (20 ms each) so that kills land among them
    as well as in the search; `writing` is set when it starts to build the folder."""
    import sys
    import tempfile
    from scheduler.export import folders as steps

    def slowed(step, then=None):
        def run_step(*args, **kwargs):
            if then is not None:
                then()
            time.sleep(0.02)
            return step(*args, **kwargs)
        return run_step

    for name in ("_swap_in", "_exchange", "manifest_bytes", "check_replaceable"):
        setattr(steps, name, slowed(getattr(steps, name)))
    tempfile.mkdtemp = slowed(tempfile.mkdtemp, then=writing.set)
    Path.write_bytes = slowed(Path.write_bytes)
    sys.argv = ["igf-sched", "solve", scenario, "--out", out, "--quiet",
                "--set", f"capacity.max_dc_sessions={quota}"]
    main()


WRITING_WINDOW = 0.3     # seconds from the start of the folder's building: past its swap


def test_solve_killed_at_random_points_leaves_the_earlier_result_or_the_new_one(
        scenario, tmp_path):
    """SIGKILL at a random moment of `solve` (workers forked from a clean server process, so
    each trial costs no interpreter start), over and over into one folder, each run with
    another quota so that its result differs from the one before: every reader finds the
    earlier result or the new one, whole (as its manifest lists it), never a mix. Every other
    trial kills at any moment of the run, the rest at a moment of the folder's writing.
    KILL_TRIALS=200 runs more (with -s it prints how the trials ended)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scheduler.cli", "scheduler.plan"])
    out = tmp_path / "r"

    def start(quota: int):
        writing = context.Event()
        worker = context.Process(target=_solve_slowly,
                                 args=(str(scenario), str(out), quota, writing))
        worker.start()
        return worker, writing

    expected: dict[int, bytes] = {}
    durations = []
    for quota in (1, 2):      # each quota's result, unkilled (the first may start the server)
        started = time.monotonic()
        worker, _ = start(quota)
        worker.join(60)
        durations.append(time.monotonic() - started)
        assert worker.exitcode == 0
        verify(out, "result")
        expected[quota] = (out / "schedule.csv").read_bytes()
    assert expected[1] != expected[2]
    rng = random.Random(18)
    outcomes = {"earlier": 0, "new": 0, "mid-write": 0}  # mid-write: a temporary was left
    for trial in range(int(os.environ.get("KILL_TRIALS", "20"))):
        earlier = (out / "schedule.csv").read_bytes()
        quota = 1 if earlier == expected[2] else 2
        worker, writing = start(quota)
        if trial % 2:
            assert writing.wait(60)
            time.sleep(rng.uniform(0, WRITING_WINDOW))
        else:
            time.sleep(rng.uniform(0, durations[-1]))
        worker.kill()
        worker.join(10)
        outcomes["mid-write"] += any(tmp_path.glob(".r.igf-sched-*"))
        verify(out, "result")                         # whole: as its manifest lists it
        now = (out / "schedule.csv").read_bytes()
        assert now in (earlier, expected[quota]), f"trial {trial}: a third schedule"
        outcomes["earlier" if now == earlier else "new"] += 1
    print(outcomes)
    with claimed(out, "result"):      # what the next run does first: clean up after kills
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]
