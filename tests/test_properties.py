"""Property: on random small datasets, every schedule the solver writes passes the independent
checker, no ineligible request is placed, and every request is placed or has a reason."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factory import (assert_sound, coalition, person, request, room, session, write_dataset,
                     write_scenario)
from scheduler.catalogue import GOAL_BY_NAME
from scheduler.cli import write_result
from scheduler.load import load_dataset
from scheduler.metrics import recount_goals
from scheduler.plan import plan
from scheduler.scenario import load_scenario
from scheduler.schedule import read_schedule_rows
from scheduler.timegrid import format_hhmm

DAYS = ("Day 1", "Day 2")
OPEN, CLOSE = 9 * 60, 13 * 60                          # both days 09:00-13:00
PEOPLE = [f"P{i}" for i in range(1, 7)]
DCS = ("D1", "D2", "D3", "D4")
FEATURES = ("hybrid", "captioning", "step_free", "interpretation")
SPREAD_OFF = {"parallel_sessions": 0, "theme_clash": 0, "preferred_day": 0, "online_hours": 0}
mostly_yes = st.sampled_from(["yes", "yes", "yes", "no"])


def clock(minutes: int) -> str:
    return format_hhmm(minutes)


@st.composite
def rooms(draw):
    count = draw(st.integers(1, 3))
    return [room(f"ROOM{i}", draw(st.sampled_from([30, 60, 100, 200])),
                 **{f: draw(mostly_yes) for f in FEATURES},
                 days=draw(st.sampled_from(["", "", "", "Day 1", "Day 2"])))
            for i in range(count)]


@st.composite
def programme(draw, room_rows):
    """Up to two fixed sessions per room and day, never overlapping in a room, plus online
    sessions (some exclusive) and maybe an exclusive ceremony."""
    sessions = []
    for row in room_rows:
        for day in DAYS:
            if row["days"] and row["days"] != day:
                continue
            cursor = OPEN
            for _ in range(draw(st.integers(0, 2))):
                start = cursor + 15 * draw(st.integers(0, 4))
                end = start + 15 * draw(st.integers(2, 6))
                if end > CLOSE:
                    break
                sessions.append(session(f"S{len(sessions)}", day, clock(start), clock(end),
                                        row["room_id"], draw(st.sampled_from(["DATA", "AI", ""])),
                                        ";".join(draw(st.sets(st.sampled_from(PEOPLE),
                                                              max_size=2)))))
                cursor = end
    for _ in range(draw(st.integers(0, 2))):
        day = draw(st.sampled_from(DAYS))
        start = OPEN + 15 * draw(st.integers(0, 12))
        end = min(CLOSE, start + 15 * draw(st.integers(1, 8)))
        sessions.append(session(f"S{len(sessions)}", day, clock(start), clock(end), "",
                                "AI", ";".join(draw(st.sets(st.sampled_from(PEOPLE),
                                                            min_size=1, max_size=2))),
                                exclusive=draw(st.sampled_from(["no", "yes"]))))
    if draw(st.booleans()):                      # an exclusive ceremony, 30 min to 3 hours
        day = draw(st.sampled_from(DAYS))
        start = OPEN + 15 * draw(st.integers(0, 8))
        end = min(CLOSE, start + 30 * draw(st.integers(1, 6)))
        sessions.append(session(f"S{len(sessions)}", day, clock(start), clock(end), "", "GDG",
                                "", exclusive="yes"))
    return sessions


@st.composite
def window(draw):
    day = draw(st.sampled_from(DAYS))
    start = OPEN + 15 * draw(st.integers(0, 14))
    end = min(CLOSE, start + 15 * draw(st.integers(1, 12)))
    return f"{day} {clock(start)}-{clock(end)}"


@st.composite
def requests(draw):
    rows = []
    for i in range(draw(st.integers(2, 7))):
        dcs = draw(st.lists(st.sampled_from(DCS), min_size=1, max_size=2, unique=True))
        rows.append(request(
            f"R{i}", ";".join(dcs),
            ";".join(sorted(draw(st.sets(st.sampled_from(PEOPLE), min_size=1, max_size=3)))),
            duration=draw(st.sampled_from([30, 45, 60, 90, 120])),
            attendance=draw(st.sampled_from([10, 20, 30, 40, 60, 120])),
            needs=draw(st.sampled_from([""] * 12 + list(FEATURES))),
            unavailable=";".join(draw(st.lists(window(), max_size=2))),
            preferred_days=draw(st.sampled_from(["", "Day 1", "Day 2"])),
            priority=str(draw(st.integers(1, 3))),
            submitted=draw(st.sampled_from(["2024-04-01"] * 3 + ["2024-06-01"]))))
    return rows


@st.composite
def instances(draw):
    room_rows = draw(rooms())
    tables = {
        "event": {"name": "Random IGF", "timezone": "Asia/Tokyo", "granularity": 15,
                  "transition": draw(st.sampled_from([0, 0, 10])),
                  "days": [{"label": label, "date": dt.date(2024, 12, 16 + i),
                            "open": clock(OPEN), "close": clock(CLOSE),
                            "breaks": draw(st.sampled_from([[], ["11:00-11:15"]]))}
                           for i, label in enumerate(DAYS)]},
        "rooms": room_rows,
        "programme": draw(programme(room_rows)),
        "coalitions": [coalition(dc_id, draw(st.sampled_from(["output", "capacity"])),
                                 open_archives=draw(mostly_yes))
                       for dc_id in DCS],
        "requests": draw(requests()),
        "people": [person(p, group=draw(st.sampled_from(["civil_society", "government"])),
                          onsite=draw(st.sampled_from(["yes"] * 5 + ["no"])),
                          timezone=draw(st.sampled_from(["Asia/Tokyo", "America/New_York"])))
                   for p in PEOPLE],
    }
    quota = draw(st.sampled_from([None, None, 0, 1, 2, 4]))
    scenario = {
        "capacity": {"rooms": draw(st.sampled_from([[], [], [room_rows[0]["room_id"]]])),
                     "days": draw(st.sampled_from([[], [], ["Day 1"], ["Day 2"]])),
                     **({} if quota is None else {"max_dc_sessions": quota})},
        "eligibility": draw(st.sampled_from([
            {}, {}, {}, {"open_principles": True}, {"deadline": dt.date(2024, 5, 5)},
            {"open_principles": True, "min_stakeholder_groups": 2}])),
        # Without the goals that spread sessions out, nothing but the hard rules keeps DC
        # sessions apart: the solver packs them together, where a missing rule would show.
        "weights": draw(st.sampled_from([{}, SPREAD_OFF])),
        "solver": {"time_limit": 5},
    }
    return tables, scenario


@st.composite
def crowded_days(draw):
    """One open day, few rooms, many requests sharing DCs and speakers: the rules between DC
    sessions (room, person, coalition) decide almost every placement."""
    tables = draw(instances())[0]
    tables["rooms"] = [room(f"ROOM{i}", 200) for i in range(draw(st.integers(1, 3)))]
    tables["programme"] = [row for row in tables["programme"] if not row["room"]]
    tables["requests"] = [
        request(f"R{i}", ";".join(draw(st.lists(st.sampled_from(DCS[:3]), min_size=1,
                                                max_size=2, unique=True))),
                ";".join(sorted(draw(st.sets(st.sampled_from(PEOPLE[:4]), min_size=1,
                                             max_size=2)))),
                duration=draw(st.sampled_from([60, 90, 120])), attendance=20)
        for i in range(draw(st.integers(3, 8)))]
    scenario = {"capacity": {"days": [draw(st.sampled_from(DAYS))]},
                "weights": draw(st.sampled_from([{}, SPREAD_OFF])),
                "solver": {"time_limit": 5}}
    return tables, scenario


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_schedule_the_solver_writes_passes_the_checker(instance):
    assert_sound(*instance)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crowded_days())
def test_crowded_day_keeps_rooms_people_and_coalitions_apart(instance):
    assert_sound(*instance)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from([1e-5, 1e-4, 1e-3]))
def test_metrics_describe_the_rows_written_even_when_the_search_stopped_early(instance,
                                                                               work_limit):
    """A search stopped by its work limit (or a first guess taken as it is) may leave the
    model's overlap variables above what the rows hold: metrics.json's terms are recounted
    from the schedule.csv written, its objective is their weighted sum and its gap is measured
    from that objective to the solver's bound."""
    tables, scenario_tables = instance
    scenario_tables["solver"] = {"time_limit": 5, "work_limit": work_limit}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        dataset = load_dataset(write_dataset(folder / "data", tables))
        scenario = load_scenario(write_scenario(folder / "s.toml", folder / "data",
                                                **scenario_tables))
        result = plan(dataset, scenario)
        if not result.solution.has_schedule:
            return
        write_result(result, folder / "out")
        metrics = json.loads((folder / "out" / "metrics.json").read_text())
        rows = [row for _, row in read_schedule_rows(folder / "out" / "schedule.csv")]
    recount = recount_goals(dataset, scenario, result.report, rows)
    assert metrics["terms"] == {name: recount[name] for name in result.solution.terms}
    assert metrics["objective"] == sum(GOAL_BY_NAME[name].sign * getattr(scenario.weights, name)
                                       * value for name, value in metrics["terms"].items())
    if metrics["bound"] is not None:
        assert metrics["bound"] >= metrics["objective"] - 1e-6
        assert metrics["gap"] == round(abs(metrics["bound"] - metrics["objective"])
                                       / max(1.0, abs(metrics["objective"])), 6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crowded_days(), st.sampled_from(["time_indexed", "interval"]))
def test_the_rows_tying_pair_overlaps_to_the_load_keep_every_optimum(instance, formulation):
    """The rows of `overlaps_follow_load` (where n items run at a unit, n(n-1)/2 of their
    pairs overlap then) only cut off fractional schedules: with or without them, the proven
    optimum is the same, in either formulation."""
    from unittest.mock import patch

    from scheduler.plan import FORMULATIONS

    tables, scenario_tables = instance
    scenario_tables["solver"] = {"time_limit": 30, "neighbourhood_share": 0,
                                 "formulation": formulation}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        dataset = load_dataset(write_dataset(folder / "data", tables))
        scenario = load_scenario(write_scenario(folder / "s.toml", folder / "data",
                                                **scenario_tables))
        with_rows = plan(dataset, scenario).solution
        with patch.object(FORMULATIONS[formulation], "overlaps_follow_load",
                          lambda *args: None):
            without = plan(dataset, scenario).solution
    assert with_rows.status == without.status == "optimal"
    assert round(with_rows.objective) == round(without.objective)
