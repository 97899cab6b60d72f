"""Mode dc_day on small datasets from tests/factory.py; the checker is the oracle throughout.

The factory's days run 09:00-13:00. On Day 2, room C (200 seats) holds WS2 09:00-10:00 and
the online-only ONLINE1 (speaker P7) runs 11:00-12:00. R1 and R4 share speaker P2.
"""

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factory import coalition, request, small_tables, write_dataset, write_scenario
from scheduler.check import Checker, check_file
from scheduler.errors import InputError
from scheduler.load import load_dataset
from scheduler.metrics import recount_goals
from scheduler.model.greedy import greedy
from scheduler.model.solve import Solution
from scheduler.plan import build as build_model
from scheduler.plan import plan
from scheduler.rows import schedule_rows
from scheduler.scenario import load_scenario
from scheduler.export.result_folder import write_schedule
from scheduler.timegrid import overlap


def dc_day(build, tables, **day_settings):
    dataset, scenario = build(tables, mode="dc_day", dc_day={"day": "Day 2", **day_settings})
    result = plan(dataset, scenario)
    assert result.solution.status == "optimal"
    assert Checker(dataset, scenario, result.rows).violations() == []
    return result


def by_id(result):
    return {row.item_id: row for row in result.rows}


def test_every_dc_item_lands_on_the_chosen_day(tables, build):
    for day in ("Day 1", "Day 2"):
        result = dc_day(build, tables, day=day, opening=15)
        assert {r.item_id for r in result.rows} >= {"R1", "R2", "R4"}
        assert {r.day for r in result.rows} == {day}


def test_dc_day_rooms_limit_the_rooms(tables, build):
    result = dc_day(build, tables, rooms=["A", "B"])
    assert {r.room for r in result.rows} <= {"A", "B"}
    assert len(result.rows) == 4


def test_no_two_sessions_sharing_a_person_overlap(tables, build):
    # R5 also has P2, and nothing rewards spreading sessions out: only the hard rule separates
    # the three sessions of P2.
    tables["coalitions"].append(coalition("D5", "output", "DATA", "P2"))
    tables["requests"].append(request("R5", "D5", "P2;P8", themes="DATA"))
    weights = {"parallel_sessions": 0, "theme_clash": 0, "dc_parallel": 0, "tracks": 0}
    dataset, scenario = build(tables, mode="dc_day", dc_day={"day": "Day 2"}, weights=weights)
    result = plan(dataset, scenario)
    rows = by_id(result)
    assert {"R1", "R4", "R5"} <= set(rows)
    speakers = {r.item_id: set(dataset.request_by_id[r.item_id].speakers) for r in result.rows}
    for a in result.rows:
        for b in result.rows:
            if a.item_id < b.item_id and speakers[a.item_id] & speakers[b.item_id]:
                assert not overlap(a.start, a.end, b.start, b.end), (a.item_id, b.item_id)
    assert Checker(dataset, scenario, result.rows).violations() == []


def test_the_opening_has_nothing_beside_it_and_precedes_every_session(tables, build):
    result = dc_day(build, tables, opening=30, closing=15)
    rows = by_id(result)
    opening, closing = rows["DCDAY-OPENING"], rows["DCDAY-CLOSING"]
    assert (opening.kind, opening.end - opening.start) == ("plenary", 30)
    assert (closing.kind, closing.end - closing.start) == ("plenary", 15)
    sessions = [r for r in result.rows if r.kind == "session"]
    assert sessions
    for row in sessions:
        assert row.start >= opening.end
        assert row.end <= closing.start
    for plenary in (opening, closing):
        assert not any(overlap(plenary.start, plenary.end, r.start, r.end) for r in sessions)


@pytest.mark.parametrize("ws2, room", [(("09:00", "10:00"), "A"), (("10:00", "11:00"), "C")])
def test_a_plenary_takes_the_largest_room_free_at_its_time(tables, build, ws2, room):
    # Rooms: C 200 seats, A 100, B 40. The opening goes first thing (09:00-09:30): to A while
    # WS2 holds C then, to C once WS2 moves to 10:00.
    tables["programme"][2].update(start=ws2[0], end=ws2[1])
    result = dc_day(build, tables, opening=30)
    plenary = by_id(result)["DCDAY-OPENING"]
    assert (plenary.start, plenary.room) == (9 * 60, room)


def test_a_day_too_small_leaves_out_the_lowest_priority_with_the_shortfall(tables, build):
    # Only room A on Day 2: 240 free minutes for four 90-minute requests. Two fit; R3 and R4,
    # the lowest priorities, are left out needing 3.0 room-hours where 1.0 is free, none of it
    # in a gap of 90 minutes.
    for req, priority in zip(tables["requests"], (1, 2, 4, 5)):
        req.update(duration=90, priority=str(priority))
    result = dc_day(build, tables, rooms=["A"])
    assert set(by_id(result)) == {"R1", "R2"}
    reasons = {u.request_id: u.reason for u in result.unscheduled}
    assert set(reasons) == {"R3", "R4"}
    for reason in reasons.values():
        assert "no placed request has a lower one" in reason
        assert ("Day 2 cannot hold every eligible request: the 2 requests left out need "
                "3.0 room-hours; the 1 room that fit them have 1.0 room-hours free" in reason)
        assert "at least 3.0 room-hours more would be needed" in reason
    shortfall = result.metrics["dc_day"]["shortfall"]
    assert (shortfall["room_minutes_needed"], shortfall["room_minutes_free"],
            shortfall["room_minutes_short"]) == (180, 60, 180)


def test_same_theme_sessions_share_a_room_one_after_the_other(tables, build):
    # R1 and R2 both on DATA: a track keeps them in one room, which also keeps them apart.
    tables["requests"][1]["themes"] = "DATA"
    result = dc_day(build, tables, rooms=["A", "B"])
    rows = by_id(result)
    assert rows["R1"].room == rows["R2"].room
    assert result.metrics["dc_day"]["tracks"]["DATA"] == [rows["R1"].room]


def test_dc_parallel_spreads_the_sessions_when_the_day_allows(tables, build):
    tables["requests"] = tables["requests"][:3]                  # 60 + 60 + 90 minutes
    dataset, scenario = build(tables, mode="dc_day", dc_day={"day": "Day 2"},
                              weights={"dc_parallel": 50})
    result = plan(dataset, scenario)
    assert len(result.rows) == 3
    assert result.metrics["dc_parallel_max"] == 1
    assert result.solution.terms["dc_parallel"] == 1


def test_a_plenary_with_no_free_room_is_bad_input(tables, build):
    # The DC Day's only room, C, holds WS2 and then WS3 all day on Day 2.
    tables["programme"].append({**tables["programme"][2], "session_id": "WS3",
                                "start": "10:00", "end": "13:00"})
    with pytest.raises(InputError, match="dc_day.opening.*no slot on Day 2"):
        dc_day(build, tables, opening=30, rooms=["C"])


def test_a_dc_day_outside_the_scenario_days_is_bad_input(tables, build):
    dataset, scenario = build(tables, mode="dc_day", dc_day={"day": "Day 2"},
                              capacity={"days": ["Day 1"]})
    with pytest.raises(InputError, match="dc_day.day"):
        plan(dataset, scenario)


# --- property: any DC Day schedule the solver writes passes the checker ------------------------

people = st.lists(st.sampled_from([f"P{i}" for i in range(1, 10)]), min_size=1, max_size=3,
                  unique=True)
themes = st.lists(st.sampled_from(["DATA", "RIGHTS", "AI", "DIVIDE"]), min_size=1, max_size=2,
                  unique=True)
requests = st.lists(st.tuples(st.sampled_from(["D1", "D2", "D3", "D4"]), people, themes,
                              st.sampled_from([30, 45, 60, 90]), st.sampled_from([20, 50, 120]),
                              st.integers(1, 5), st.booleans()),
                    min_size=1, max_size=6)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(requests=requests, day=st.sampled_from(["Day 1", "Day 2"]),
       opening=st.sampled_from([0, 15, 30]), closing=st.sampled_from([0, 30]),
       rooms=st.sampled_from([[], ["A"], ["A", "C"], ["B", "C"]]),
       formulation=st.sampled_from(["time_indexed", "interval"]))
def test_any_dc_day_schedule_the_solver_writes_passes_the_checker(requests, day, opening,
                                                                  closing, rooms, formulation):
    tables = small_tables()
    tables["requests"] = [
        request(f"R{i}", dc, ";".join(speakers), duration=duration, attendance=attendance,
                themes=";".join(topics), priority=str(priority),
                needs="captioning" if captioned else "")
        for i, (dc, speakers, topics, duration, attendance, priority, captioned)
        in enumerate(requests, start=1)]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        data = write_dataset(folder / "data", tables)
        path = write_scenario(folder / "scenario.toml", data, mode="dc_day",
                              dc_day={"day": day, "opening": opening, "closing": closing,
                                      "rooms": rooms},
                              eligibility={"min_stakeholder_groups": 0},
                              solver={"formulation": formulation})
        dataset, scenario = load_dataset(data), load_scenario(path)
        try:
            result = plan(dataset, scenario)
        except InputError as error:          # a plenary with no free room: refused up front
            assume("plenary has no slot" not in str(error))
            raise
        assert result.solution.status in ("optimal", "feasible")
        if result.solution.status == "optimal":
            recount = recount_goals(dataset, scenario, result.report, result.rows)
            assert {g: recount[g] for g in result.solution.terms} == result.solution.terms
        write_schedule(folder / "schedule.csv", result.rows)
        assert check_file(folder / "schedule.csv", dataset, scenario) == []
        assert {r.day for r in result.rows} <= {day}
        placed = {r.item_id for r in result.rows}
        assert {u.request_id for u in result.unscheduled} == \
            {f"R{i}" for i in range(1, len(requests) + 1)} - placed


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(requests=requests, opening=st.sampled_from([0, 15, 30]), closing=st.sampled_from([0, 30]),
       rooms=st.sampled_from([[], ["A"], ["A", "C"], ["B", "C"]]),
       formulation=st.sampled_from(["time_indexed", "interval"]))
def test_the_greedy_first_guess_of_a_dc_day_keeps_its_rules(requests, opening, closing, rooms,
                                                           formulation):
    """The greedy places the plenaries as the DC Day asks (the opening before every session,
    the closing after, each in the largest room free then): its schedule passes the checker,
    so the model takes it as the search's start."""
    tables = small_tables()
    tables["requests"] = [
        request(f"R{i}", dc, ";".join(speakers), duration=duration, themes=";".join(topics))
        for i, (dc, speakers, topics, duration, *_) in enumerate(requests, start=1)]
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        data = write_dataset(folder / "data", tables)
        path = write_scenario(folder / "scenario.toml", data, mode="dc_day",
                              dc_day={"day": "Day 2", "opening": opening, "closing": closing,
                                      "rooms": rooms},
                              eligibility={"min_stakeholder_groups": 0},
                              solver={"formulation": formulation})
        dataset, scenario = load_dataset(data), load_scenario(path)
    try:
        _, mode, f = build_model(dataset, scenario)
    except InputError as error:              # a plenary with no free room: refused up front
        assume("plenary has no slot" not in str(error))
        raise
    placed = greedy(f)
    assume(all(i in placed for i, item in f.items.items() if item.required))
    chosen = {i: slot for i, (_, slot) in placed.items()}
    rows = schedule_rows(dataset, f.items, mode.placements(
        f, Solution("feasible", None, None, None, 0.0, chosen)))
    assert Checker(dataset, scenario, rows).violations() == []


def test_a_plenary_beside_a_room_that_is_not_free_within_the_transition_is_no_violation(build):
    """C (200 seats) holds WS2 until 10:00 on Day 2; with a 15-minute transition it is not free
    for an opening at 10:00-10:30, so the opening in A (100 seats) is right, as the model has
    it; at 10:15 C is free, and A is a violation."""
    from scheduler.schedule import ScheduleRow

    tables = small_tables()
    tables["event"] = {"transition": 15, **tables["event"]}     # a key before the days
    dataset, scenario = build(tables, mode="dc_day", dc_day={"day": "Day 2", "opening": 30})

    def opening_in_a(start):
        row = ScheduleRow(item_id="DCDAY-OPENING", kind="plenary", day="Day 2", start=start,
                          end=start + 30, room="A")
        return [v.rule for v in Checker(dataset, scenario, [row]).violations()]

    assert opening_in_a(600) == []
    assert opening_in_a(615) == ["plenary"]
