"""The interval formulation (`[solver] formulation = "interval"`, model/intervals.py): its
schedules pass the independent checker and are as good as the time-indexed model's, in every
mode; it is deterministic."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factory import (coalition, person, request, room, session, small_tables, write_dataset,
                     write_scenario)
from scheduler.check import Checker
from scheduler.cli import main
from scheduler.load import load_dataset
from scheduler.model.greedy import cheapest, earliest, greedy, place
from scheduler.model.moving_programme import programme_placements
from scheduler.model.slots import Context, candidate_slots
from scheduler.model.solve import Solution
from scheduler.plan import build as build_model
from scheduler.plan import plan
from scheduler.rows import schedule_rows
from scheduler.scenario import load_scenario
from scheduler.timegrid import format_hhmm

DAYS = ("Day 1", "Day 2")
OPEN, CLOSE = 9 * 60, 13 * 60
PEOPLE = [f"P{i}" for i in range(1, 7)]
DCS = ("D1", "D2", "D3", "D4")
FEATURES = ("hybrid", "captioning", "step_free", "interpretation")
NO_PAIRS = {"theme_clash": 0, "parallel_sessions": 0}


@st.composite
def instances(draw):
    """Two days 09:00-13:00, one to three rooms, a little programme (maybe an exclusive
    session), two to seven requests of random length, needs, speakers, DCs, windows and
    preferences; a random quota and scope."""
    mostly_yes = st.sampled_from(["yes", "yes", "yes", "no"])
    rooms = [room(f"ROOM{i}", draw(st.sampled_from([30, 60, 100, 200])),
                  **{f: draw(mostly_yes) for f in FEATURES},
                  days=draw(st.sampled_from(["", "", "", "Day 1", "Day 2"])))
             for i in range(draw(st.integers(1, 3)))]
    programme = []
    for _ in range(draw(st.integers(0, 4))):
        day = draw(st.sampled_from(DAYS))
        start = OPEN + 15 * draw(st.integers(0, 12))
        end = min(CLOSE, start + 15 * draw(st.integers(2, 6)))
        where = draw(st.sampled_from([r["room_id"] for r in rooms
                                      if r["days"] in ("", day)] + [""]))
        if any(s["room"] == where and s["day"] == day and where for s in programme):
            continue                                        # keep a room's programme apart
        programme.append(session(
            f"S{len(programme)}", day, format_hhmm(start), format_hhmm(end), where,
            draw(st.sampled_from(["DATA", "AI", ""])),
            ";".join(sorted(draw(st.sets(st.sampled_from(PEOPLE), max_size=2)))),
            exclusive=draw(st.sampled_from(["no"] * 5 + ["yes"]))))
    requests = []
    for i in range(draw(st.integers(2, 7))):
        day = draw(st.sampled_from(DAYS))
        start = OPEN + 15 * draw(st.integers(0, 14))
        unavailable = draw(st.sampled_from(
            ["", "", f"{day} {format_hhmm(start)}-{format_hhmm(min(CLOSE, start + 90))}"]))
        requests.append(request(
            f"R{i}", ";".join(draw(st.lists(st.sampled_from(DCS), min_size=1, max_size=2,
                                            unique=True))),
            ";".join(sorted(draw(st.sets(st.sampled_from(PEOPLE), min_size=1, max_size=3)))),
            duration=draw(st.sampled_from([30, 45, 50, 60, 90, 120])),
            attendance=draw(st.sampled_from([10, 30, 60, 120])),
            themes=draw(st.sampled_from(["DATA", "AI", "RIGHTS", "DATA;AI"])),
            needs=draw(st.sampled_from([""] * 8 + list(FEATURES))), unavailable=unavailable,
            preferred_days=draw(st.sampled_from(["", "", "Day 1", "Day 2"])),
            priority=str(draw(st.integers(1, 3)))))
    tables = {
        "event": {"name": "Random IGF", "timezone": "Asia/Tokyo", "granularity": 15,
                  "days": [{"label": label, "date": dt.date(2024, 12, 16 + i),
                            "open": format_hhmm(OPEN), "close": format_hhmm(CLOSE),
                            "breaks": draw(st.sampled_from([[], ["11:00-11:15"]]))}
                           for i, label in enumerate(DAYS)]},
        "rooms": rooms, "programme": programme,
        "coalitions": [coalition(dc, draw(st.sampled_from(["output", "capacity"])))
                       for dc in DCS],
        "requests": requests,
        "people": [person(p, onsite=draw(st.sampled_from(["yes"] * 3 + ["no"])),
                          timezone=draw(st.sampled_from(["Asia/Tokyo", "America/New_York"])))
                   for p in PEOPLE],
    }
    quota = draw(st.sampled_from([None, None, 1, 2, 3]))
    scenario = {"capacity": {"days": draw(st.sampled_from([[], [], ["Day 2"]])),
                             **({} if quota is None else {"max_dc_sessions": quota})},
                "weights": {"fairness": draw(st.sampled_from([0, 1]))}}
    return tables, scenario


def solve_both(tables, scenario_tables, weights, folder: Path):
    dataset = load_dataset(write_dataset(folder / "data", tables))
    path = write_scenario(folder / "s.toml", folder / "data", **scenario_tables)
    results = {}
    for formulation in ("time_indexed", "interval"):
        scenario = load_scenario(path, [f"solver.formulation={formulation}"] +
                                 [f"weights.{k}={v}" for k, v in weights.items()])
        results[formulation] = plan(dataset, scenario)
    return dataset, results


def assert_as_good(dataset, results):
    timed, interval = results["time_indexed"], results["interval"]
    assert timed.solution.status == "optimal"
    assert interval.solution.has_schedule
    assert Checker(dataset, interval.scenario, interval.rows).violations() == []
    assert set(interval.solution.terms) == set(timed.solution.terms)
    assert interval.solution.term_better == timed.solution.term_better
    if interval.solution.status == "optimal":
        assert interval.solution.objective == pytest.approx(timed.solution.objective)
    reasons = {u.request_id: u.reason for u in interval.unscheduled}
    placed = {row.item_id for row in interval.rows}
    assert placed | set(reasons) == set(dataset.request_by_id)
    assert all(reason.strip() for reason in reasons.values())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_interval_schedules_pass_the_checker_and_place_as_many(instance):
    """Pairwise weights 0: the interval model is proven optimal too, with the same objective,
    and places requests worth as much (`placed`) as the time-indexed model."""
    tables, scenario_tables = instance
    with tempfile.TemporaryDirectory() as folder:
        dataset, results = solve_both(tables, scenario_tables, NO_PAIRS, Path(folder))
    assert_as_good(dataset, results)
    timed, interval = results["time_indexed"], results["interval"]
    assert interval.solution.status == "optimal"
    if scenario_tables["weights"]["fairness"] == 0:   # else a tie may trade placed for fairness
        assert interval.solution.terms.get("placed") == timed.solution.terms.get("placed")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_pairwise_goals_mean_the_same_in_both_formulations(instance):
    """Default weights (theme clashes and parallel sessions between DC items too): when both
    are proven optimal they reach the same objective."""
    tables, scenario_tables = instance
    with tempfile.TemporaryDirectory() as folder:
        dataset, results = solve_both(tables, scenario_tables, {}, Path(folder))
    assert_as_good(dataset, results)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from(["none", "all"]))
def test_the_greedy_hint_is_a_valid_schedule(instance, movable):
    """Both of the greedy's schedules, as built and polished (items moved to cheaper starts,
    the programme's sessions too when they move), pass the checker, and polishing never
    raises the costs the greedy sees; where the greedy leaves a required item out, the
    instance has no schedule at all."""
    tables, scenario_tables = instance
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        dataset = load_dataset(write_dataset(folder / "data", tables))
        scenario = load_scenario(write_scenario(folder / "s.toml", folder / "data",
                                                **scenario_tables),
                                 ["solver.formulation=interval", f"programme.movable={movable}"])
    _, mode, im = build_model(dataset, scenario)
    required = {i for i, item in im.items.items() if item.required}
    for pick in (cheapest, earliest):
        (built, before), (polished, after) = place(im, pick), place(im, pick, polished=True)
        assert set(polished) == set(built) and after.score >= before.score
        if not required <= set(built):
            # A drawn programme may leave a session no slot (kept to its day beside an
            # exclusive one): then no schedule keeps every hard rule, the greedy's neither.
            assert plan(dataset, scenario).solution.status == "infeasible"
            return
        for placed in (built, polished):
            chosen = {i: slot for i, (_, slot) in placed.items()}
            rows = schedule_rows(dataset, im.items, mode.placements(
                im, Solution("feasible", None, None, None, 0.0, chosen))
                + programme_placements(im.items, chosen))
            assert len(rows) == len(chosen)
            assert Checker(dataset, scenario, rows).violations() == []
    assert greedy(im) in (place(im, cheapest, polished=True)[0],
                          place(im, earliest, polished=True)[0])


def test_the_slots_explain_walks_are_the_candidate_slots(build):
    tables = small_tables()
    dataset, scenario = build(tables, solver={"formulation": "interval"})
    _, _, im = build_model(dataset, scenario)
    ctx = Context.of(dataset)
    for item_id, item in im.items.items():
        assert im.candidate_slots(item_id) == candidate_slots(item, ctx)[0]


def test_a_request_without_any_slot_gets_the_same_reason(build):
    tables = small_tables()
    tables["requests"][0]["expected_attendance"] = 500          # no room seats it
    reasons = {}
    for formulation in ("time_indexed", "interval"):
        dataset, scenario = build(tables, solver={"formulation": formulation})
        result = plan(dataset, scenario)
        reasons[formulation] = {u.request_id: u.reason for u in result.unscheduled}
    assert reasons["interval"]["R1"] == reasons["time_indexed"]["R1"]
    assert reasons["interval"]["R1"].startswith("room capacity")


def test_people_and_coalitions_never_overlap(build):
    """Four requests sharing a speaker, one hour each, in one morning of three free rooms:
    they run one after another."""
    tables = small_tables()
    tables["programme"] = []
    tables["event"]["days"] = tables["event"]["days"][:1]
    tables["event"]["days"][0]["breaks"] = []
    tables["requests"] = [request(f"R{i}", f"D{i + 1}", "P1") for i in range(4)]
    dataset, scenario = build(tables, solver={"formulation": "interval"})
    result = plan(dataset, scenario)
    assert result.solution.status == "optimal"
    assert len(result.rows) == 4
    assert sorted(row.start for row in result.rows) == [540, 600, 660, 720]
    assert Checker(dataset, scenario, result.rows).violations() == []


def solve_files(scenario: Path, out: Path, *overrides: str) -> dict[str, bytes]:
    args = ["solve", str(scenario), "--out", str(out), "--quiet"]
    for assignment in overrides:
        args += ["--set", assignment]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in ("schedule.csv", "unscheduled.csv")}


def many_ties() -> dict:
    tables = small_tables()
    tables["programme"] = []
    tables["rooms"] = [room(f"ROOM{i}", 100) for i in range(5)]
    tables["requests"] = [request(f"R{i}", dc_id, "P1;P2" if i < 3 else f"P{i + 2}")
                          for i, dc_id in enumerate(["D1", "D2", "D3", "D4", "D1", "D2"])]
    return tables


@pytest.mark.parametrize("workers", [1, 2])
def test_same_input_and_seed_give_the_same_schedule(tmp_path, workers):
    folder = write_dataset(tmp_path / "data", many_ties())
    scenario = write_scenario(tmp_path / "s.toml", folder, capacity={"max_dc_sessions": 5},
                              solver={"formulation": "interval", "workers": workers,
                                      "deterministic": True, "time_limit": 5})
    first = solve_files(scenario, tmp_path / "first")
    assert first == solve_files(scenario, tmp_path / "second")
    assert first["schedule.csv"].count(b"\n") == 6                 # header and five sessions


@pytest.mark.parametrize("mode", ["individual", "block", "dc_day", "mixed"])
def test_every_mode_runs_on_both_formulations(build, mode):
    """The same rules and goals, written once: both formulations prove the same optimum, and
    the interval schedule passes the checker (a DC Day with both plenaries, a block)."""
    tables = small_tables()
    tables["coalitions"][1]["category"] = "capacity"
    results = {}
    for formulation in ("time_indexed", "interval"):
        dataset, scenario = build(tables, mode=mode, solver={"formulation": formulation},
                                  dc_day={"day": "Day 2", "opening": 30, "closing": 30},
                                  block={"duration": 60, "overhead": 10, "min_segment": 10})
        results[formulation] = plan(dataset, scenario)
    timed, interval = results["time_indexed"], results["interval"]
    assert timed.solution.status == interval.solution.status == "optimal"
    assert interval.solution.objective == pytest.approx(timed.solution.objective)
    assert interval.solution.terms == timed.solution.terms
    assert interval.rows, "something is placed"
    assert Checker(dataset, interval.scenario, interval.rows).violations() == []


def test_the_cli_names_an_unknown_formulation(tmp_path):
    folder = write_dataset(tmp_path / "data", small_tables())
    scenario = write_scenario(tmp_path / "s.toml", folder, mode="block")
    result = CliRunner().invoke(main, ["solve", str(scenario), "--out", str(tmp_path / "o"),
                                       "--set", "solver.formulation=intervals"])
    assert result.exit_code == 2
    assert "solver.formulation" in result.output
    assert not (tmp_path / "o" / "schedule.csv").exists()


def test_identical_rooms_form_one_class_and_each_item_gets_a_room(build):
    """Three copies of one room (one class, at most three items at a time) and a room too
    small for any request (no class); six one-hour requests with nothing in common fill both
    hours of the three copies, each in a room of its own."""
    tables = small_tables()
    tables["programme"] = []
    tables["event"]["days"] = [{**tables["event"]["days"][0], "open": "09:00",
                                "close": "11:00", "breaks": []}]
    tables["rooms"] = [room(f"COPY{i}", 100) for i in range(3)] + [room("SMALL", 10)]
    tables["people"] += [person(f"Q{i}") for i in range(6)]
    tables["coalitions"] += [coalition(f"E{i}") for i in range(6)]
    tables["requests"] = [request(f"R{i}", f"E{i}", f"Q{i}") for i in range(6)]
    dataset, scenario = build(tables, solver={"formulation": "interval"})
    _, _, im = build_model(dataset, scenario)
    assert im.classes == [("COPY0", "COPY1", "COPY2")]
    result = plan(dataset, scenario)
    assert result.solution.status == "optimal"
    assert len(result.rows) == 6
    assert {row.room for row in result.rows} == {"COPY0", "COPY1", "COPY2"}
    assert Checker(dataset, scenario, result.rows).violations() == []
