"""The generator of IGF-shaped datasets: deterministic, loadable, and as realistic as it claims
(the module docstring of scheduler/datasets/generate.py); the `generate` command writes whole or not at
all; and a small generated instance is solvable."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

from scheduler.datasets import generate as gen
from scheduler.export.folders import MANIFEST
from scheduler.cli import main
from scheduler.eligibility import EligibilityReport
from scheduler.load import load_dataset
from scheduler.plan import plan_scenario
from scheduler.scenario import load_scenario
from scheduler.timegrid import overlap

ROOT = Path(__file__).resolve().parent.parent


def build(tmp_path: Path, name: str = "data", **kwargs):
    """(Generated, Dataset) for Settings(**kwargs), written to tmp_path/name."""
    generated = gen.generate(gen.Settings(**kwargs))
    folder = gen.write_dataset(generated, tmp_path / name)
    return generated, load_dataset(folder)


def assert_sound(dataset, most_speakers: int = 6) -> None:
    """The hard facts every generated programme and request list must respect."""
    days = dataset.day_by_label
    by_room, by_person = {}, {}
    exclusive = [s for s in dataset.programme if s.exclusive]
    for s in dataset.programme:
        day = days[s.day]
        assert day.open <= s.start < s.end <= day.close, s.session_id
        assert s.start % dataset.event.granularity == 0, f"{s.session_id} starts off the grid"
        for start, end in day.breaks:
            assert not overlap(s.start, s.end, start, end), f"{s.session_id} crosses a break"
        if s.room:
            assert dataset.room_by_id[s.room].open_on(s.day)
            by_room.setdefault((s.room, s.day), []).append(s)
        for person in s.people:
            by_person.setdefault(person, []).append(s)
        for e in exclusive:
            if e is not s and e.day == s.day:
                assert not overlap(s.start, s.end, e.start, e.end), \
                    f"{s.session_id} runs during the exclusive {e.session_id}"
    for sessions in list(by_room.values()) + list(by_person.values()):
        sessions.sort(key=lambda s: (s.day, s.start))
        for a, b in zip(sessions, sessions[1:]):
            assert not (a.day == b.day and overlap(a.start, a.end, b.start, b.end)), \
                f"{a.session_id} and {b.session_id} overlap (same room or same person)"
    for request in dataset.requests:
        assert 2 <= len(request.speakers) <= most_speakers, request.request_id
        assert request.duration in (30, 60, 90, 120)
        assert 1 <= request.priority <= 5
        for window in request.unavailable:
            day = days[window.day]
            assert day.open <= window.start < window.end <= day.close


def test_same_seed_same_bytes_different_seed_other_data():
    first = gen.generate(gen.Settings(seed=11, requests=20)).files()
    again = gen.generate(gen.Settings(seed=11, requests=20)).files()
    other = gen.generate(gen.Settings(seed=12, requests=20)).files()
    assert first == again
    assert sorted(first) == sorted(gen.FILES)
    for name in ("event.toml", "rooms.csv", "programme.csv", "requests.csv", "people.csv"):
        assert first[name] != other[name], name


def test_same_bytes_in_another_process_with_other_string_hashing(tmp_path):
    """No set or hash order leaks into the output: a fresh interpreter with a different
    PYTHONHASHSEED writes the same folder."""
    gen.write_dataset(gen.generate(gen.Settings(seed=5, requests=25)), tmp_path / "here")
    script = ("from scheduler.datasets import generate as g; "
              f"g.write_dataset(g.generate(g.Settings(seed=5, requests=25)), {str(tmp_path / 'there')!r})")
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONHASHSEED": "12345"})
    for name in gen.FILES:
        assert (tmp_path / "here" / name).read_bytes() == (tmp_path / "there" / name).read_bytes()


def test_programme_stays_when_only_the_requests_change():
    few = gen.generate(gen.Settings(seed=3, requests=10)).files()
    many = gen.generate(gen.Settings(seed=3, requests=50)).files()
    assert few["programme.csv"] == many["programme.csv"]
    assert few["rooms.csv"] == many["rooms.csv"]
    assert few["requests.csv"] != many["requests.csv"]


@hypothesis_settings(max_examples=6, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), requests=st.integers(1, 45),
       density=st.floats(0.0, 1.0), rooms=st.one_of(st.none(), st.integers(3, 14)),
       days=st.one_of(st.none(), st.integers(1, 5)))
def test_any_settings_give_a_loadable_sound_dataset(tmp_path_factory, seed, requests, density,
                                                    rooms, days):
    tmp_path = tmp_path_factory.mktemp("gen")
    generated, dataset = build(tmp_path, seed=seed, requests=requests, density=density,
                               rooms=rooms, days=days)
    assert len(dataset.requests) == requests
    if rooms is not None:
        assert len(dataset.rooms) == rooms
    if days is not None:
        assert len(dataset.event.days) == days + 1
    assert_sound(dataset)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_default_shape_is_igf_like(tmp_path, seed):
    generated, dataset = build(tmp_path, seed=seed)
    assert_sound(dataset)
    labels = [d.label for d in dataset.event.days]
    assert labels[0] == "Day 0" and len(labels) - 1 in (4, 5)
    assert all(d.breaks for d in dataset.event.days[1:]), "meeting days have a lunch break"
    assert 8 <= len(dataset.rooms) <= 20
    assert all(30 <= r.capacity <= 2000 for r in dataset.rooms)
    assert max(r.capacity for r in dataset.rooms) >= 1000
    assert any(r.interpretation for r in dataset.rooms)
    assert any(not r.captioning for r in dataset.rooms) and any(not r.step_free
                                                              for r in dataset.rooms)
    open_day0 = sum(r.open_on("Day 0") for r in dataset.rooms)
    assert 3 <= open_day0 < len(dataset.rooms)
    assert open_day0 <= min(sum(r.open_on(d) for r in dataset.rooms) for d in labels[1:])
    types = Counter(s.type for s in dataset.programme)
    assert types["opening"] == types["closing"] == 1
    assert {"main", "workshop", "open_forum", "day0"} <= set(types)
    room_days = sum(r.open_on(d) for r in dataset.rooms for d in labels)
    assert 3 <= len(dataset.programme) / room_days <= 6.5, "a few sessions per room and day"
    assert 2 <= sum(1 for s in dataset.programme if s.room is None) <= 5
    assert [s.session_id for s in dataset.programme if s.exclusive] == ["OPENING", "CLOSING"]
    # Requests: 10-20% joint, a spread of durations and needs, online speakers far apart.
    joint = [r for r in dataset.requests if len(r.dc_ids) > 1]
    assert 3 <= len(joint) <= 6
    assert {60, 90} <= {r.duration for r in dataset.requests}
    assert any(r.needs for r in dataset.requests) and any(r.unavailable for r in dataset.requests)
    assert any(r.preferred_days for r in dataset.requests)
    speakers = {p for r in dataset.requests for p in r.speakers}
    online_zones = {dataset.person_by_id[p].timezone for p in speakers
                    if not dataset.person_by_id[p].onsite}
    assert len(online_zones) >= 4
    assert len({dataset.person_by_id[p].region for p in speakers}) == 5
    # People: in several programme sessions, in several DCs, DC speakers in the programme.
    sessions_per_person = Counter(p for s in dataset.programme for p in s.people)
    assert sum(1 for n in sessions_per_person.values() if n >= 3) >= 20
    dcs_per_person = Counter(p for dc in dataset.coalitions for p in dc.members)
    assert sum(1 for n in dcs_per_person.values() if n >= 2) >= 3
    assert len(speakers & set(sessions_per_person)) >= 5


def test_room_time_held_for_dcs_is_empty_and_long_enough_for_a_block(tmp_path):
    generated, dataset = build(tmp_path, seed=8, density=0.8)
    held = generated.notes["held_for_dcs"]
    assert 2 <= len(held) <= 4
    for window in held:
        room_id, rest = window.split(" ", 1)
        day, span = rest.rsplit(" ", 1)
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in span.split("-"))
        assert end - start >= 180, window
        assert dataset.room_by_id[room_id].capacity >= 150
        assert not [s.session_id for s in dataset.programme if s.room == room_id and
                    s.day == day and overlap(s.start, s.end, start, end)], window
    assert all(w in (tmp_path / "data" / "README.md").read_text() for w in held)


@pytest.mark.parametrize("density", [0.3, 0.6, 0.85])
def test_meeting_days_are_about_as_full_as_asked(density):
    generated = gen.generate(gen.Settings(seed=4, density=density))
    shares = gen.programme_density(generated)
    meeting = [v for day, v in shares.items() if day != "Day 0"]
    assert abs(sum(meeting) / len(meeting) - density) <= 0.08
    assert max(meeting) - min(meeting) >= 0.03, "density varies from day to day"
    assert shares["Day 0"] < sum(meeting) / len(meeting), "Day 0 is lighter"


def test_every_rule_fails_some_dc_and_the_readme_names_them(tmp_path):
    generated, dataset = build(tmp_path, seed=9, requests=40)
    scenario = load_scenario(gen.write_scenarios(tmp_path / "data", tmp_path / "sc")[0])
    report = EligibilityReport(dataset, scenario.eligibility)
    failing = generated.notes["failing"]
    assert sorted(set(failing.values())) == sorted(gen.FAILURE_RULES)
    ineligible = {dc.dc_id for dc in dataset.coalitions if not report.is_eligible(dc.dc_id)}
    assert ineligible == set(failing) | set(generated.notes["silent"])
    for dc_id, rule in failing.items():
        failed = [r.rule for r in report.dc_results(dc_id) if not r.passed]
        assert failed == [rule], dc_id
    new = [dc for dc in dataset.coalitions if dc.founded > scenario.eligibility.annual_report_year]
    assert new, "some DC is new"                  # and passes with the light report it owes
    for dc in new:
        annual = next(r for r in report.dc_results(dc.dc_id) if r.rule == "annual_report_year")
        assert dc.annual_report_kind == "light" and annual.passed, annual.reason
    readme = (tmp_path / "data" / "README.md").read_text()
    assert "igf-sched generate --seed 9 --requests 40 --density 0.6 --out DIR" in readme
    assert all(f"| {dc} | {rule} |" in readme for dc, rule in failing.items())


def test_write_scenarios_one_per_mode_pointing_at_the_dataset(tmp_path):
    build(tmp_path, seed=2, requests=12)
    paths = gen.write_scenarios(tmp_path / "data", tmp_path / "scenarios", time_limit=5)
    specs = [load_scenario(p) for p in paths]
    assert [s.mode for s in specs] == ["individual", "block", "mixed", "dc_day"]
    assert all(s.dataset_path == (tmp_path / "data").resolve() for s in specs)
    assert all(s.solver.time_limit == 5 for s in specs)
    assert specs[3].dc_day.day == "Day 0"
    assert "Day 0" not in specs[0].capacity.days


def test_scale_multiplies_rooms_programme_and_its_people():
    one = gen.generate(gen.Settings(seed=6, rooms=12))
    ten = gen.generate(gen.Settings(seed=6, rooms=12, scale=10))
    assert len(ten.rooms) == 10 * len(one.rooms)
    assert 8 <= len(ten.programme) / len(one.programme) <= 12
    speaking = [len({p for s in g.programme for p in s["people"].split(";") if p})
                for g in (one, ten)]
    assert 8 <= speaking[1] / speaking[0] <= 12
    assert len(ten.requests) == len(one.requests), "the DCs' side is not scaled"


def run(*args):
    return CliRunner().invoke(main, ["generate", *map(str, args)])


def test_cli_writes_the_folder_whole(tmp_path):
    result = run("--seed", 1, "--requests", 10, "--out", tmp_path / "ds", "--scenarios",
                 tmp_path / "sc")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "ds").iterdir()) == sorted([*gen.FILES, MANIFEST])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds", "sc"], "no staging left over"
    assert load_scenario(tmp_path / "sc" / "individual.toml").dataset_path == \
        (tmp_path / "ds").resolve()


def test_cli_refuses_a_non_empty_folder_unless_forced(tmp_path):
    out = tmp_path / "ds"
    assert run("--seed", 1, "--out", out).exit_code == 0
    result = run("--seed", 2, "--out", out)
    assert result.exit_code == 2
    assert "not empty" in result.output and "--force" in result.output
    result = run("--seed", 2, "--out", out, "--force")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([*gen.FILES, MANIFEST])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds"]


def test_force_never_replaces_a_folder_generate_did_not_write(tmp_path):
    """--force replaces a dataset generate wrote, never anyone's folder (a thesis, say)."""
    out = tmp_path / "ds"
    (out / "chapters").mkdir(parents=True)
    (out / "thesis.txt").write_text("mine")
    (out / "chapters" / "one.txt").write_text("mine too")
    result = run("--out", out, "--force")
    assert result.exit_code == 2
    assert "not written by igf-sched" in result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == \
        ["chapters", "chapters/one.txt", "thesis.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds"]
    assert run("--seed", 1, "--out", tmp_path / "gen").exit_code == 0
    (tmp_path / "gen" / "rooms.csv").write_text("room_id\nMY-ROOM\n")     # edited by hand
    result = run("--seed", 1, "--out", tmp_path / "gen", "--force")
    assert result.exit_code == 2 and "rooms.csv: changed since igf-sched wrote it" in \
        result.output
    assert (tmp_path / "gen" / "rooms.csv").read_text() == "room_id\nMY-ROOM\n"


def test_cli_bad_arguments_exit_2(tmp_path):
    assert run("--density", 1.5, "--out", tmp_path / "a").exit_code == 2
    assert run("--requests", 0, "--out", tmp_path / "b").exit_code == 2
    assert run("--days", 9, "--out", tmp_path / "c").exit_code == 2
    (tmp_path / "file").write_text("x")
    result = run("--out", tmp_path / "file")
    assert result.exit_code == 2 and "not a folder" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_cli_cannot_write_below_a_file(tmp_path):
    (tmp_path / "file").write_text("x")
    result = run("--out", tmp_path / "file" / "ds")
    assert result.exit_code == 2 and "cannot write" in result.output
    result = run("--out", tmp_path / "ds", "--scenarios", tmp_path / "file" / "sc")
    assert result.exit_code == 2 and "cannot write" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"], "nothing written"


def test_a_dataset_that_fails_its_check_is_not_written(tmp_path, monkeypatch):
    """write_dataset loads the staged folder before renaming it; if that fails, nothing is
    left behind, not even a half-written folder."""
    generated = gen.generate(gen.Settings(seed=1, requests=5))
    generated.requests[0]["speakers"] = "NOBODY"
    with pytest.raises(gen.InputError, match="unknown person 'NOBODY'") as caught:
        gen.write_dataset(generated, tmp_path / "ds")
    assert caught.value.file == str(tmp_path / "ds" / "requests.csv")
    assert list(tmp_path.iterdir()) == []


def test_a_small_generated_instance_solves(tmp_path):
    build(tmp_path, seed=21, requests=8, rooms=6, days=4, density=0.5)
    scenario = load_scenario(gen.write_scenarios(tmp_path / "data", tmp_path / "sc",
                                                 time_limit=20)[0])
    result = plan_scenario(scenario)
    assert result.solution.status in ("optimal", "feasible")
    assert result.rows, "some DC session is placed"


def test_the_standards_shape_is_a_dense_request_set_without_a_fixed_programme(tmp_path):
    """`--shape standards` (a benchmark of bench/RESULTS.md): 60-120 minute requests, all
    eligible, no programme but the plenaries, and most requests sharing a participant with
    many others (IETF 106: 126 sessions, 1,745 conflicting pairs)."""
    generated, dataset = build(tmp_path, shape="standards", requests=60, rooms=8, days=5,
                               seed=3)
    assert_sound(dataset, most_speakers=2 + gen.STANDARDS_PARTICIPANTS[1] + 2)
    assert {r.duration for r in dataset.requests} <= {60, 90, 120}
    assert {s.session_id for s in dataset.programme if s.room} <= {"OPENING", "STOCK", "CLOSING"}
    scenario = load_scenario(gen.write_scenarios(tmp_path / "data", tmp_path / "sc")[0])
    report = EligibilityReport(dataset, scenario.eligibility)
    assert not [r.request_id for r in dataset.requests if report.request_failure(r)]
    pairs = sum(1 for a, b in combinations(dataset.requests, 2)
                if set(a.speakers) & set(b.speakers))
    assert pairs > 10 * len(dataset.requests)
    assert gen.Settings(shape="standards", requests=60).command().endswith(
        "--shape standards --out DIR")
    with pytest.raises(gen.InputError, match="--shape"):
        gen.Settings(shape="ietf")


@pytest.mark.parametrize("settings, option", [
    ({"scale": 100000}, "--scale"), ({"requests": 10_000_000}, "--requests"),
    ({"rooms": 1000}, "--rooms"), ({"seed": -1}, "--seed"), ({"seed": 2**64}, "--seed"),
])
def test_settings_beyond_their_bounds_are_refused_before_anything_is_drawn(settings, option):
    """From Python as from the command line: a value that would run for minutes or fill the
    memory (--requests 10000000 ended in a MemoryError) is bad input naming the option."""
    with pytest.raises(gen.InputError, match="is out of range: use") as raised:
        gen.Settings(**settings)
    assert raised.value.file == option
