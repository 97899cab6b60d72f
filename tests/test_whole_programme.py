"""The whole programme from the command line: `[programme] movable` lets the engine place
programme sessions with the DC items; `check` judges them at their moved times."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from factory import assert_sound, small_tables, write_dataset, write_scenario
from scheduler.datasets import generate as gen
from scheduler.check import Checker
from scheduler.cli import main
from scheduler.load import load_dataset
from scheduler.model.solve import first_guess, progress_words, solve
from scheduler.plan import build as build_model, first_pass, plan, repaired_programme
from scheduler.scenario import load_scenario
from scheduler.schedule import ScheduleRow
from scheduler.timegrid import parse_hhmm


def run(*args):
    return CliRunner(env={"COLUMNS": "10000"}).invoke(main, [str(a) for a in args])


def programme_rows(result) -> dict[str, ScheduleRow]:
    return {row.item_id: row for row in result.rows if row.kind == "programme"}


@pytest.mark.parametrize("formulation", ["time_indexed", "interval"])
def test_every_movable_session_is_placed_soundly_and_the_ceremony_stays(formulation):
    """Sound (terms = recounts, checker and check pass) on both formulations; every session
    with a room but the exclusive opening becomes a row; each keeps its length and day."""
    tables = small_tables()
    result = assert_sound(tables, {"programme": {"movable": "all"},
                                   "solver": {"formulation": formulation}})
    moved = programme_rows(result)
    assert set(moved) == {"WS1", "WS2"}           # not OPEN (exclusive), not ONLINE1 (no room)
    sessions = {s.session_id: s for s in result.dataset.programme}
    for session_id, row in moved.items():
        session = sessions[session_id]
        assert (row.day, row.end - row.start) == (session.day, session.end - session.start)
        assert row.speakers == tuple(sorted(session.people))
    assert result.metrics["programme_sessions_moved"] <= 2


def test_a_generated_programme_is_placed_with_the_dc_items(tmp_path):
    """A small generated instance (seeded) from the command line: every movable session is
    in schedule.csv, `check` passes, the exclusive sessions are not touched."""
    data, scenarios = tmp_path / "data", tmp_path / "scenarios"
    gen.write_dataset(gen.generate(gen.Settings(seed=3, requests=6, rooms=4, days=1,
                                                density=0.4)), data)
    gen.write_scenarios(data, scenarios, time_limit=20)
    scenario = scenarios / "individual.toml"
    out = tmp_path / "out"
    sets = ["--set", "programme.movable=all", "--set", "solver.formulation=interval"]
    result = run("solve", scenario, "--out", out, *sets)
    assert result.exit_code == 0, result.output
    progress = " ".join(result.stderr.split())
    dataset = load_dataset(data)
    movable = [s for s in dataset.programme if s.room and not s.exclusive]
    assert f"of {len(movable)} programme sessions placed" in progress
    assert f"Programme: {len(movable)} sessions placed by the engine, " in \
        " ".join(result.stdout.split())
    with open(out / "schedule.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["item_id"] for r in rows if r["kind"] == "programme"} == \
        {s.session_id for s in movable}
    assert not {s.session_id for s in dataset.programme if s.exclusive} & \
        {r["item_id"] for r in rows}
    checked = run("check", out / "schedule.csv", "--scenario", scenario, *sets)
    assert checked.exit_code == 0, checked.output


def write_marked(tmp_path: Path, marked: set[str]) -> Path:
    """The small dataset with a `movable` column marking `marked`."""
    folder = write_dataset(tmp_path / "data", small_tables())
    path = folder / "programme.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[0], "movable"], lineterminator="\n")
        writer.writeheader()
        writer.writerows({**r, "movable": "yes" if r["session_id"] in marked else "no"}
                         for r in rows)
    return folder


def test_marked_moves_only_the_sessions_marked_movable(tmp_path):
    folder = write_marked(tmp_path, {"WS2", "OPEN"})
    scenario = load_scenario(write_scenario(tmp_path / "s.toml", folder,
                                            programme={"movable": "marked"}))
    _, _, f = build_model(load_dataset(folder), scenario)
    assert [i for i, item in f.items.items() if item.kind == "programme"] == ["WS2"]
    assert [s.session_id for s in f.ctx.dataset.programme] == ["OPEN", "WS1", "ONLINE1"]


@pytest.mark.parametrize("key, value, message", [
    ("movable", '"some"', "key 'programme.movable'"),
    ("keep_days", "true", "programme.keep_days"),
])
def test_a_bad_programme_key_is_bad_input(tmp_path, key, value, message):
    folder = write_dataset(tmp_path / "data", small_tables())
    scenario = tmp_path / "s.toml"
    write_scenario(scenario, folder)
    scenario.write_text(scenario.read_text() + f"\n[programme]\n{key} = {value}\n")
    result = run("solve", scenario, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_dc_day_keeps_the_programme_where_it_is(tmp_path):
    folder = write_dataset(tmp_path / "data", small_tables())
    scenario = write_scenario(tmp_path / "s.toml", folder, mode="dc_day",
                              dc_day={"day": "Day 2"}, programme={"movable": "all"})
    result = run("solve", scenario, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "programme.movable" in result.stderr


def moved_row(session_id: str, day: str, start: int, end: int, room: str) -> ScheduleRow:
    return ScheduleRow(item_id=session_id, kind="programme", day=day, start=start, end=end,
                       room=room)


def test_the_checker_judges_moved_sessions_at_their_new_times(tmp_path):
    folder = write_dataset(tmp_path / "data", small_tables())
    dataset = load_dataset(folder)
    movable = load_scenario(write_scenario(tmp_path / "all.toml", folder,
                                           programme={"movable": "all"}))
    fixed = load_scenario(write_scenario(tmp_path / "none.toml", folder))

    def rules(scenario, *rows):
        return sorted({(v.rule, v.item_id) for v in Checker(dataset, scenario,
                                                            list(rows)).violations()})

    # WS2 moved to Day 1 09:30 in A, where WS1 stands: a room clash, off its day, and A
    # seats 100 where its own room C seats 200.
    assert rules(movable, moved_row("WS2", "Day 1", 570, 630, "A")) == [
        ("capacity", "WS2"), ("programme", "WS2"), ("room", "WS2")]
    # Into B (40 seats, its own room C seats 200), longer than it is.
    assert rules(movable, moved_row("WS2", "Day 2", 600, 690, "B")) == [
        ("capacity", "WS2"), ("programme", "WS2")]
    # The fixed WS1 leaves room A, so a DC session may take its old time there.
    dc = ScheduleRow(item_id="R1", kind="session", dc_ids=("D1",), day="Day 1", start=570,
                     end=630, room="A")
    assert rules(movable, moved_row("WS1", "Day 1", 675, 735, "A"), dc) == []
    assert ("room", "R1") in rules(fixed, dc)
    # Nothing moves unless the scenario says so; a ceremony never.
    assert rules(fixed, moved_row("WS2", "Day 2", 600, 660, "C")) == [("programme", "WS2")]
    assert ("programme", "OPEN") in rules(movable, moved_row("OPEN", "Day 1", 720, 750, "A"))


def test_progress_is_in_words():
    assert progress_words("23 of 24 DCs placed, 12 theme clashes", 100.0, 103.0, 4.06) == (
        "  schedule found: 23 of 24 DCs placed, 12 theme clashes; still improving, at most "
        "3.0% better possible (4.1s)")
    assert progress_words("nothing to place", 5.0, 5.0, 0.01).endswith("; proven best (0.0s)")


def test_a_search_that_finds_nothing_in_time_takes_the_first_guess_as_it_is(build):
    """Too little time for any search: the greedy first guess, which keeps every hard rule, is
    the schedule (said so), not nothing; with the hint off there is no schedule."""
    from scheduler.plan import plan

    tables = small_tables()
    dataset, scenario = build(tables, programme={"movable": "all"},
                              solver={"formulation": "interval", "time_limit": 1e-6})
    result = plan(dataset, scenario)
    assert result.solution.status == "feasible" and result.solution.first_guess
    assert result.solution.bound is None and result.metrics.get("first_guess") is True
    assert any(r.kind == "programme" for r in result.rows)
    assert Checker(dataset, scenario, result.rows).violations() == []
    dataset, scenario = build(tables, programme={"movable": "all"},
                              solver={"formulation": "interval", "time_limit": 1e-6,
                                      "hint": False})
    assert not plan(dataset, scenario).solution.has_schedule


def test_a_programme_that_breaks_a_transition_is_placed_alone_first_then_the_dcs(build):
    """The sample's case, small: with a 10-minute transition, OPEN (exclusive, 09:00-09:30 in
    A) and WS1 (09:30 in A) share P9 back to back. Fixed, the programme is data; moving, WS1
    must move, so the programme as given is no schedule to start from: the first pass places
    the programme alone first. Mixed then places as many DCs as with the programme fixed, and
    `check` passes."""
    tables = small_tables()
    tables["event"] = {"transition": 10, **tables["event"]}
    block = {"duration": 120, "overhead": 10, "min_segment": 10, "max_segment": 20}
    dataset, fixed = build(tables, mode="mixed", block=block)
    _, moving = build(tables, mode="mixed", block=block, programme={"movable": "all"})
    repaired = {row.item_id: row for row in repaired_programme(dataset, moving, None)}
    ws1 = repaired["WS1"]
    assert (ws1.day, ws1.start, ws1.room) != ("Day 1", parse_hhmm("09:30"), "A")
    as_fixed, as_moving = plan(dataset, fixed), plan(dataset, moving)
    assert as_moving.solution.has_schedule
    assert as_moving.metrics["placed_dcs"] == as_fixed.metrics["placed_dcs"] == 4
    assert Checker(dataset, moving, as_moving.rows).violations() == []


def test_a_programme_that_keeps_every_rule_is_not_placed_alone_first(build):
    dataset, moving = build(small_tables(), programme={"movable": "all"})
    assert repaired_programme(dataset, moving, None) == []


@pytest.mark.parametrize("limit", [0.01, 1.0])
def test_the_search_starts_from_the_whole_first_guess_and_never_ends_below_it(build, limit):
    """Issue 19: mixed over a moving programme that breaks a transition as given. The first
    guess, completed by the model, hints every variable (the goals' overlaps and order too,
    which the formulation does not hint), so the search starts from it and, whatever its work
    limit, ends with a schedule at least as good."""
    tables = small_tables()
    tables["event"] = {"transition": 10, **tables["event"]}
    block = {"duration": 120, "overhead": 10, "min_segment": 10, "max_segment": 20}
    dataset, moving = build(tables, mode="mixed", block=block, programme={"movable": "all"},
                            solver={"time_limit": limit, "workers": 1})
    _, _, f = build_model(dataset, moving, None, first_pass(dataset, moving, None))
    solution = solve(f, f.scenario.solver)
    hint = f.cp.proto.solution_hint
    assert sorted(hint.vars) == list(range(len(f.cp.proto.variables)))
    guess = first_guess(f, moving.solver)
    assert guess is not None and solution.has_schedule
    assert solution.objective >= guess.objective
