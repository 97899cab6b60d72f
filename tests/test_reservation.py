"""A DC Day that owns its day, whole: the programme sessions its reservation displaces are
placed again on another day (or dropped, with the reason), a ceremony is never displaced, and
`check` judges what the schedule did with them.

The small dataset (tests/factory.py): two days 09:00-13:00, rooms A (100), B (40), C (200, no
captioning); OPEN (exclusive) Day 1 09:00-09:30 in A, WS1 Day 1 09:30-10:30 in A (P1, P9), WS2
Day 2 09:00-10:00 in C (P8), ONLINE1 Day 2 11:00-12:00 online (P7).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from factory import request, session, small_tables, write_dataset, write_scenario
from scheduler.datasets import generate as gen
from scheduler.check import Checker
from scheduler.cli import main
from scheduler.domain import Pin
from scheduler.load import load_dataset
from scheduler.plan import plan
from scheduler.reserve import reserve_for_dc_day
from scheduler.scenario import load_scenario
from scheduler.schedule import Baseline, ScheduleRow
from scheduler.timegrid import parse_hhmm


def day_2_owns(reserve: str, **dc_day) -> dict:
    return {"mode": "dc_day", "dc_day": {"day": "Day 2", "reserve": reserve, **dc_day},
            "weights": {"dc_parallel": 0, "tracks": 0}}


def rules(found) -> set[tuple[str, str]]:
    return {(v.rule, v.item_id) for v in found}


def programme_row(session_id: str, day: str, start: str, end: str, room: str,
                  **cells) -> ScheduleRow:
    return ScheduleRow(item_id=session_id, kind="programme", day=day, start=parse_hhmm(start),
                       end=parse_hhmm(end), room=room, **cells)


# --- the displaced sessions, placed again or dropped ------------------------------------------

def test_a_displaced_session_goes_to_another_day_keeping_its_length_people_and_room_kind(build):
    """WS2 (60 min, P8, room C seating 200) leaves Day 2: only C seats as many, so it goes to C
    on Day 1, never beside the exclusive OPEN (09:00-09:30), and never when P8 cannot attend
    (P8 speaks in R8, unavailable Day 1 09:30-11:00)."""
    tables = small_tables()
    tables["requests"].append(request("R8", "D4", "P8", unavailable="Day 1 09:30-11:00"))
    dataset, spec = build(tables, **day_2_owns("rooms", rooms=["C"]))
    result = plan(dataset, spec)
    assert result.solution.status == "optimal"
    assert Checker(dataset, spec, result.rows).violations() == []
    [again] = [r for r in result.rows if r.kind == "programme"]
    assert (again.item_id, again.day, again.room, again.end - again.start) == \
        ("WS2", "Day 1", "C", 60)
    assert again.start >= parse_hhmm("11:15")           # after P8's window and the break
    assert again.speakers == ("P8",)


def test_a_displaced_session_that_fits_nowhere_is_dropped_with_the_reason(tmp_path):
    """Room C is closed on Day 1: no other room seats WS2's 200, so it is dropped, and
    displaced.csv says why; the online ONLINE1 has no room to be placed in."""
    tables = small_tables()
    tables["rooms"][2]["days"] = "Day 2"
    folder = write_dataset(tmp_path / "data", tables)
    scenario = write_scenario(tmp_path / "s.toml", folder, **day_2_owns("day"))
    out = tmp_path / "out"
    run = CliRunner().invoke(main, ["solve", str(scenario), "--out", str(out), "--quiet"])
    assert run.exit_code == 0, run.output
    with open(out / "displaced.csv", newline="", encoding="utf-8") as handle:
        rows = {r["session_id"]: r for r in csv.DictReader(handle)}
    assert set(rows) == {"WS2", "ONLINE1"}
    assert rows["WS2"]["moved_to"] == "" and rows["WS2"]["reason"].startswith("room capacity")
    assert rows["ONLINE1"]["reason"].startswith("online only")
    check = CliRunner().invoke(main, ["check", str(out / "schedule.csv"), "--scenario",
                                      str(scenario)])
    assert check.exit_code == 0, check.output
    assert "0 placed again on another day (0 minutes, 0 people moved), 2 dropped" in \
        " ".join(check.output.split())


def test_the_metrics_count_what_moved_and_what_was_dropped(build):
    tables = small_tables()
    tables["programme"].append(session("WS3", "Day 2", "10:15", "11:45", "A", "AI", "P6;P9"))
    result = plan(*build(tables, **day_2_owns("day")))
    figures = {k: result.metrics[k] for k in ("displaced_sessions", "displaced_moved",
                                              "displaced_moved_minutes",
                                              "displaced_moved_people", "displaced_dropped")}
    # WS2 and WS3 go to Day 1; ONLINE1 (online only) is dropped
    assert figures == {"displaced_sessions": 3, "displaced_moved": 2,
                       "displaced_moved_minutes": 150, "displaced_moved_people": 3,
                       "displaced_dropped": 1}
    assert {r.item_id: r.day for r in result.rows if r.kind == "programme"} == \
        {"WS2": "Day 1", "WS3": "Day 1"}


# --- a ceremony is never displaced ------------------------------------------------------------

def test_reserving_rooms_keeps_the_ceremony_and_nothing_runs_beside_it(tmp_path):
    """Generated data: Day 1 holds the opening ceremony (exclusive, in the plenary hall). A DC
    Day on Day 1 reserving every room keeps it; no DC item, and no displaced session placed
    again, runs during it; a DC item planted during it fails the check."""
    folder = gen.write_dataset(gen.generate(gen.Settings(seed=1, requests=6, rooms=8, days=4,
                                                         density=0.4)), tmp_path / "data")
    dataset = load_dataset(folder)
    [ceremony] = [s for s in dataset.programme if s.exclusive and s.day == "Day 1"]
    scenario = write_scenario(tmp_path / "s.toml", folder, **day_2_owns("rooms") | {
        "dc_day": {"day": "Day 1", "reserve": "rooms", "opening": 30, "closing": 30},
        "solver": {"time_limit": 20, "work_limit": 5}})
    spec = load_scenario(scenario)
    reservation = reserve_for_dc_day(dataset, spec)
    assert reservation.displaced and ceremony.session_id not in reservation.displaced_ids
    result = plan(dataset, spec)
    assert result.solution.has_schedule
    assert Checker(dataset, spec, result.rows).violations() == []
    assert not [r for r in result.rows if r.window.overlaps(ceremony.window)]
    dc_item = next(r for r in result.rows if r.kind == "session")
    during = dc_item.model_copy(update={"day": ceremony.day, "start": ceremony.start,
                                        "end": ceremony.start + dc_item.end - dc_item.start})
    found = Checker(dataset, spec, [during if r is dc_item else r for r in result.rows])
    assert ("exclusive", dc_item.item_id) in rules(found.violations())


# --- what check judges of the sessions placed again -------------------------------------------

def test_check_holds_a_displaced_session_to_another_day_and_its_people(build):
    tables = small_tables()
    tables["requests"].append(request("R8", "D4", "P8", unavailable="Day 1 11:15-13:00"))
    dataset, spec = build(tables, **day_2_owns("rooms", rooms=["C"]))

    def found(*rows):
        return rules(Checker(dataset, spec, list(rows)).violations())

    assert found(programme_row("WS2", "Day 1", "10:00", "11:00", "C")) == set()
    # back on the DC Day it is displaced from
    assert ("programme", "WS2") in found(programme_row("WS2", "Day 2", "11:00", "12:00", "B"))
    # when its P8 cannot attend
    assert found(programme_row("WS2", "Day 1", "11:15", "12:15", "C")) == {("unavailable",
                                                                            "WS2")}
    # beside the exclusive OPEN
    assert ("exclusive", "WS2") in found(programme_row("WS2", "Day 1", "09:00", "10:00", "C"))
    # its people cell changed
    assert found(programme_row("WS2", "Day 1", "10:00", "11:00", "C", speakers=("P1",))) == {
        ("programme", "WS2")}


def test_check_judges_moved_sessions_against_each_other_with_the_transition(build):
    """Two moved sessions less than the transition apart in one room, or sharing a person,
    fail; far enough apart they pass."""
    tables = small_tables()
    tables["event"] = {"transition": 10, **tables["event"]}     # before the [[days]] tables
    tables["programme"].append(session("WS3", "Day 2", "10:15", "11:00", "C", "AI", "P8"))
    dataset, spec = build(tables, **day_2_owns("rooms", rooms=["C"]))

    def found(*rows):
        return rules(Checker(dataset, spec, list(rows)).violations())

    ws2 = programme_row("WS2", "Day 1", "10:00", "11:00", "C")
    assert found(ws2, programme_row("WS3", "Day 1", "11:15", "12:00", "C")) == set()
    late = programme_row("WS2", "Day 1", "11:15", "12:15", "C")
    assert found(late, programme_row("WS3", "Day 1", "12:15", "13:00", "C")) == {
        ("transition", "WS2")}


# --- the DC Day plenary's transition: one meaning in the model and in check -------------------

@pytest.mark.parametrize("formulation", ["time_indexed", "interval"])
def test_a_dc_item_may_start_in_another_room_as_the_plenary_ends(build, formulation):
    """The transition holds where a room, a person or a DC is shared, beside a plenary as
    everywhere: R1 pinned to start in B as the opening (09:00-09:30, in C, the largest room)
    ends is a schedule, and passes the check; in C itself it fails."""
    tables = small_tables()
    tables["event"] = {"transition": 10, **tables["event"]}     # before the [[days]] tables
    tables["programme"] = []
    tables["requests"] = tables["requests"][:1]
    dataset, spec = build(tables, **day_2_owns("none", opening=30),
                          solver={"formulation": formulation})
    pin = Pin(request_id="R1", day="Day 2", start=parse_hhmm("09:30"), room="B")
    result = plan(dataset, spec, baseline=Baseline(Path("pins.csv"), (), (pin,)))
    assert result.solution.status == "optimal"
    assert Checker(dataset, spec, result.rows).violations() == []
    assert {(r.item_id, r.start, r.room) for r in result.rows} == {
        ("DCDAY-OPENING", parse_hhmm("09:00"), "C"), ("R1", parse_hhmm("09:30"), "B")}
    in_c = [r.model_copy(update={"room": "C"}) for r in result.rows]
    assert "transition" in {v.rule for v in Checker(dataset, spec, in_c).violations()}


def test_the_largest_free_room_for_a_plenary_is_free_for_the_transition_too(build):
    """C (200 seats) holds WS2 until 10:00: with a 10-minute transition it is not free for an
    opening at 10:00-10:30, so the opening in A (the largest room free then) passes the check,
    as the model places it; C's free only when the transition has passed."""
    tables = small_tables()
    tables["event"] = {"transition": 10, **tables["event"]}     # before the [[days]] tables
    tables["requests"] = tables["requests"][:1]
    dataset, spec = build(tables, **day_2_owns("none", opening=30))
    opening = ScheduleRow(item_id="DCDAY-OPENING", kind="plenary", day="Day 2",
                          start=parse_hhmm("10:00"), end=parse_hhmm("10:30"), room="A")
    session = ScheduleRow(item_id="R1", kind="session", dc_ids=("D1",), day="Day 2",
                          start=parse_hhmm("10:30"), end=parse_hhmm("11:30"), room="B")
    assert Checker(dataset, spec, [opening, session]).violations() == []
    later = [opening.model_copy(update={"start": parse_hhmm("10:15"),
                                        "end": parse_hhmm("10:45")}),
             session.model_copy(update={"start": parse_hhmm("10:45"),
                                        "end": parse_hhmm("11:45")})]
    assert rules(Checker(dataset, spec, later).violations()) == {("plenary", "DCDAY-OPENING")}
    pin = Pin(request_id="R1", day="Day 2", start=parse_hhmm("10:30"), room="B")
    result = plan(dataset, spec, baseline=Baseline(Path("pins.csv"), (), (pin,)))
    assert Checker(dataset, spec, result.rows).violations() == []
