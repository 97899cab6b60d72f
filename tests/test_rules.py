"""Hard rules: each on a small instance where breaking it would be tempting (the solver is
pulled towards the forbidden place by a heavily weighted preferred day, or the forbidden place
is the only one). Results are judged by the independent checker and by their times and rooms;
a request that cannot be placed gets a specific reason. Then the checker itself: it catches
each violation in a hand-edited schedule, and refuses a structurally bad file with exit 2."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from factory import coalition, request, session, small_tables, write_dataset, \
    write_scenario
from scheduler.check import Checker
from scheduler.cli import main
from scheduler.plan import plan
from scheduler.timegrid import format_hhmm, parse_hhmm

TEMPTING = {"weights": {"preferred_day": 50}}     # less than placing it (100), more than 0


def bare_tables(*requests: dict) -> dict:
    """small_tables() with no programme and only the given requests (default: R1 of D1, 60 min,
    40 people, speakers P1 and P2). Day 1 has a break 11:00-11:15; Day 2 none."""
    tables = small_tables()
    tables["programme"] = []
    tables["requests"] = list(requests) or [request("R1", "D1", "P1;P2")]
    return tables


def r1(tables: dict) -> dict:
    return tables["requests"][0]


def busy_all_day(room: str, day: str, people: str = "") -> list[dict]:
    """Programme sessions that fill `day` (09:00-13:00) in `room` ('' = online only)."""
    return [session(f"{room or 'ONLINE'}-{day}-{i}", day, start, end, room, "GDG", people)
            for i, (start, end) in enumerate((("09:00", "11:00"), ("11:15", "13:00")))]


def solve(build, tables: dict, **scenario):
    """Plan the scenario; every result must pass the independent checker."""
    dataset, spec = build(tables, **scenario)
    result = plan(dataset, spec)
    assert result.solution.status == "optimal"
    assert Checker(dataset, spec, result.rows).violations() == []
    placed = {row.item_id for row in result.rows}
    assert placed | {u.request_id for u in result.unscheduled} == set(dataset.request_by_id)
    assert placed.isdisjoint(u.request_id for u in result.unscheduled)
    return result


def placed(result, request_id: str = "R1"):
    return next(row for row in result.rows if row.item_id == request_id)


def reason(result, request_id: str = "R1") -> str:
    assert request_id not in {row.item_id for row in result.rows}
    return next(u.reason for u in result.unscheduled if u.request_id == request_id)


# --- rules on one session --------------------------------------------------------------------

def test_nothing_runs_beside_the_exclusive_opening(build):
    tables = bare_tables()
    tables["programme"] = [session("OPEN", "Day 1", "09:00", "11:00", "A", exclusive="yes")]
    r1(tables).update(duration=120, preferred_days="Day 1")
    # On Day 1 the only 120-minute window (before the break) is the opening; B and C are free.
    row = placed(solve(build, tables, **TEMPTING))
    assert row.day == "Day 2"
    assert "exclusive items" in reason(solve(build, tables, capacity={"days": ["Day 1"]}))


def test_no_session_crosses_a_break(build):
    tables = bare_tables()
    r1(tables).update(duration=150, preferred_days="Day 1")
    assert placed(solve(build, tables, **TEMPTING)).day == "Day 2"
    assert reason(solve(build, tables, capacity={"days": ["Day 1"]})).startswith(
        "day hours and breaks")


def test_session_stays_inside_the_day(build):
    tables = bare_tables()
    r1(tables)["duration"] = 255
    assert reason(solve(build, tables)).startswith(
        "day hours and breaks: no window of 255 min")


def test_speakers_unavailable_window_is_respected(build):
    tables = bare_tables()
    r1(tables).update(preferred_days="Day 1",
                      unavailable="Day 1 09:00-13:00;Day 2 09:00-12:00")
    row = placed(solve(build, tables, **TEMPTING))
    assert (row.day, format_hhmm(row.start), format_hhmm(row.end)) == ("Day 2", "12:00", "13:00")
    r1(tables)["unavailable"] = "Day 1 09:00-13:00;Day 2 09:00-12:30"
    assert reason(solve(build, tables)).startswith("unavailable windows: ")


def test_speaker_in_a_programme_session_is_not_booked_twice(build):
    tables = bare_tables()
    # P2 speaks online (no room) all of Day 1 and on Day 2 until 12:00: rooms are all free.
    tables["programme"] = busy_all_day("", "Day 1", "P2") + [
        session("TALK", "Day 2", "09:00", "12:00", "", "GDG", "P2")]
    r1(tables)["preferred_days"] = "Day 1"
    row = placed(solve(build, tables, **TEMPTING))
    assert (row.day, format_hhmm(row.start)) == ("Day 2", "12:00")
    r1(tables)["duration"] = 90
    assert reason(solve(build, tables)) == ("speakers busy: at every remaining time a speaker "
                                            "is in a programme session (P1, P2)")


def test_only_room_large_enough_is_used_even_when_busy_on_the_preferred_day(build):
    tables = bare_tables()
    tables["programme"] = busy_all_day("C", "Day 1")
    r1(tables).update(expected_attendance=150, preferred_days="Day 1")
    # A (100 seats) and B are free all of Day 1; only C (200) seats 150, and C is taken then.
    row = placed(solve(build, tables, **TEMPTING))
    assert (row.day, row.room) == ("Day 2", "C")
    assert reason(solve(build, tables, capacity={"days": ["Day 1"]})).startswith(
        "rooms taken: ")


def test_no_room_seats_the_audience(build):
    tables = bare_tables()
    r1(tables)["expected_attendance"] = 250
    assert reason(solve(build, tables)) == ("room capacity: no allowed room seats 250 "
                                            "(largest: C, 200)")


def test_capacity_reason_names_the_largest_room_open_to_dc_items(build):
    tables = bare_tables()
    r1(tables)["expected_attendance"] = 60
    assert reason(solve(build, tables, capacity={"rooms": ["B"]})) == (
        "room capacity: no allowed room seats 60 (largest: B, 40)")


def test_only_captioned_room_is_used(build):
    tables = bare_tables()
    tables["programme"] = busy_all_day("A", "Day 1") + busy_all_day("B", "Day 1")
    r1(tables).update(needs="captioning", preferred_days="Day 1")
    # C (no captioning) is free all of Day 1, the preferred day.
    row = placed(solve(build, tables, **TEMPTING))
    assert row.day == "Day 2" and row.room in {"A", "B"}
    r1(tables)["expected_attendance"] = 150            # only C seats 150
    assert reason(solve(build, tables)).startswith("room features: ")


def test_online_speaker_needs_a_hybrid_room(build):
    tables = bare_tables()
    tables["rooms"][2]["hybrid"] = "no"                        # C: neither hybrid nor captioned
    tables["people"][1].update(onsite="no", timezone="Europe/Berlin")    # P2 speaks online
    tables["programme"] = busy_all_day("A", "Day 1") + busy_all_day("B", "Day 1")
    r1(tables)["preferred_days"] = "Day 1"
    row = placed(solve(build, tables, **TEMPTING))
    assert row.day == "Day 2" and row.room in {"A", "B"}
    r1(tables)["expected_attendance"] = 150
    assert "hybrid" in reason(solve(build, tables))


def test_room_closed_on_a_day_is_not_used_that_day(build):
    tables = bare_tables()
    tables["rooms"][2]["days"] = "Day 2"
    r1(tables).update(expected_attendance=150, preferred_days="Day 1")
    assert (placed(solve(build, tables, **TEMPTING)).day, placed(solve(build, tables)).room) == \
        ("Day 2", "C")
    # On Day 1 the rooms open seat at most 100; C (200) opens on Day 2 only.
    assert reason(solve(build, tables, capacity={"days": ["Day 1"]})) == (
        "room capacity: no allowed room seats 150 (largest: A, 100)")
    assert reason(solve(build, tables, capacity={"days": ["Day 1"], "rooms": ["C"]})) == (
        "rooms closed: no allowed room is open on Day 1")


def test_only_rooms_open_to_dc_items_are_used(build):
    tables = bare_tables()
    tables["programme"] = busy_all_day("B", "Day 1")
    r1(tables)["preferred_days"] = "Day 1"
    row = placed(solve(build, tables, capacity={"rooms": ["B"]}, **TEMPTING))
    assert (row.day, row.room) == ("Day 2", "B")


def test_only_days_open_to_dc_items_are_used(build):
    tables = bare_tables()
    r1(tables)["preferred_days"] = "Day 1"
    row = placed(solve(build, tables, capacity={"days": ["Day 2"]}, **TEMPTING))
    assert row.day == "Day 2"


def test_programme_rooms_are_never_shared(build):
    tables = small_tables()
    tables["programme"] += busy_all_day("C", "Day 1")[1:] + busy_all_day("A", "Day 2")
    result = solve(build, tables)
    assert len(result.rows) == 4
    for row in result.rows:
        for fixed in tables["programme"]:
            clash = (fixed["day"] == row.day and parse_hhmm(fixed["start"]) < row.end
                     and row.start < parse_hhmm(fixed["end"]))
            assert not (clash and fixed["room"] == row.room), (row, fixed)


# --- rules between DC sessions (one window, two requests) ------------------------------------

ONE_WINDOW = {"capacity": {"days": ["Day 2"]}}          # Day 2, 09:00-13:00, rooms A B C


def whole_day(request_id: str, dc_ids: str, speakers: str) -> dict:
    return request(request_id, dc_ids, speakers, duration=240, attendance=30)


def test_shared_speaker_is_not_in_two_sessions(build):
    tables = bare_tables(whole_day("R1", "D1", "P1;P2"), whole_day("R2", "D2", "P1;P3"))
    result = solve(build, tables, **ONE_WINDOW)
    (row,) = result.rows                                   # two free rooms, one speaker
    other = "R2" if row.item_id == "R1" else "R1"
    assert reason(result, other).startswith(
        f"DC items in the way: every possible slot clashes with one (speaker P1 in {row.item_id}")


def test_co_organiser_is_not_in_two_sessions(build):
    tables = bare_tables(whole_day("R1", "D1;D2", "P1;P2"), whole_day("R2", "D2", "P3;P4"))
    result = solve(build, tables, **ONE_WINDOW)
    (row,) = result.rows
    other = "R2" if row.item_id == "R1" else "R1"
    assert f"D2 already in {row.item_id}" in reason(result, other)


def test_one_dc_session_per_room_at_a_time(build):
    tables = bare_tables(whole_day("R1", "D1", "P1;P2"), whole_day("R2", "D2", "P3;P4"))
    result = solve(build, tables, capacity={"days": ["Day 2"], "rooms": ["A"]})
    (row,) = result.rows
    other = "R2" if row.item_id == "R1" else "R1"
    assert "room taken by another DC item" in reason(result, other)
    assert len(solve(build, tables, **ONE_WINDOW).rows) == 2       # two rooms: both fit


def test_quota_goes_to_the_highest_priority(build):
    tables = small_tables()
    tables["requests"][2]["priority"] = "1"
    tables["requests"][3]["priority"] = "1"
    result = solve(build, tables, capacity={"max_dc_sessions": 2})
    assert {row.item_id for row in result.rows} == {"R3", "R4"}
    for request_id in ("R1", "R2"):
        assert reason(result, request_id) == (
            "quota reached: all 2 DC session slots (capacity.max_dc_sessions) went to other "
            "requests, each weighing more in the objective (its priority's value for each of "
            f"its DCs): this one is {request_id} (priority 3, 1 DC: weighs 1), the lightest "
            "placed R3 (priority 1, 1 DC: weighs 3)")


def test_zero_quota_places_nothing(build):
    result = solve(build, small_tables(), capacity={"max_dc_sessions": 0})
    assert result.rows == []
    assert all(u.reason.startswith("quota reached") for u in result.unscheduled)


def test_busy_but_feasible_instance_places_everything_validly(build):
    """Every request shares a speaker or a DC with another, on one short day."""
    tables = small_tables()
    tables["coalitions"].append(coalition("D5", members="P1"))
    tables["requests"] = [request("R1", "D1;D5", "P1;P2"), request("R2", "D2", "P2;P3"),
                          request("R3", "D3", "P3;P4"), request("R4", "D5", "P4;P1")]
    result = solve(build, tables, capacity={"days": ["Day 2"]})
    rows = sorted(result.rows, key=lambda row: row.start)
    assert len(rows) == 4
    for a, b in zip(rows, rows[1:]):                     # a chain: no two can overlap
        assert a.end <= b.start


# --- the checker on hand-edited schedules ----------------------------------------------------

SCHEDULE_HEADER = ("item_id", "kind", "dc_ids", "title", "day", "date", "start", "end", "room",
                   "themes", "speakers")


def checker_tables() -> dict:
    """small_tables() with: R1 joint (D1;D2) and unavailable Day 2 09:00-10:00; R3 for 80 people
    needing captioning; R4's P7 speaking online; C neither hybrid nor captioned; B open on
    Day 1 only; D5 with closed archives and its request R5."""
    tables = small_tables()
    tables["requests"][0].update(dc_ids="D1;D2", unavailable="Day 2 09:00-10:00")
    tables["requests"][2].update(expected_attendance=80, needs="captioning")
    tables["people"][6].update(onsite="no", timezone="Europe/Berlin")
    tables["rooms"][1]["days"] = "Day 1"
    tables["rooms"][2]["hybrid"] = "no"
    tables["coalitions"].append(coalition("D5", open_archives="no"))
    tables["requests"].append(request("R5", "D5", "P3"))
    return tables


def entry(item_id, day, start, end, room, **cells) -> dict:
    tables = checker_tables()
    req_row = next(r for r in tables["requests"] if r["request_id"] == item_id)
    date = next(d["date"] for d in tables["event"]["days"] if d["label"] == day)
    return {"item_id": item_id, "kind": "session", "dc_ids": req_row["dc_ids"],
            "title": req_row["title"], "day": day, "date": date.isoformat(), "start": start,
            "end": end, "room": room, "themes": req_row["themes"],
            "speakers": req_row["speakers"], **cells}


def write_schedule_file(path: Path, entries: list[dict], header=SCHEDULE_HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(entries)
    return path


@pytest.fixture
def check(tmp_path):
    """check(entries, *overrides) -> CliRunner result of `igf-sched check`."""
    folder = write_dataset(tmp_path / "data", checker_tables())
    scenario = write_scenario(tmp_path / "s.toml", folder,
                              eligibility={"open_principles": True})

    def run(entries, *overrides, header=SCHEDULE_HEADER):
        schedule = write_schedule_file(tmp_path / "schedule.csv", entries, header)
        args = ["check", str(schedule), "--scenario", str(scenario)]
        for assignment in overrides:
            args += ["--set", assignment]
        return CliRunner(env={"COLUMNS": "10000"}).invoke(main, args)
    return run


def test_valid_hand_written_schedule_passes(check):
    result = check([entry("R1", "Day 1", "11:15", "12:15", "A"),
                    entry("R2", "Day 2", "10:00", "11:00", "A"),
                    entry("R3", "Day 2", "11:00", "12:30", "A"),
                    entry("R4", "Day 2", "09:00", "10:00", "A")])
    assert result.exit_code == 0, result.output
    assert "no violations" in result.stdout


VIOLATIONS = [
    # entries, overrides, the rules reported, words of one violation
    pytest.param([entry("R2", "Day 1", "09:30", "10:30", "A")], (), {"room"},
                 "[room] R2: shares room A with WS1 (Day 1 09:30-10:30)", id="room-programme"),
    pytest.param([entry("R2", "Day 2", "10:00", "11:00", "A"),
                  entry("R3", "Day 2", "10:30", "12:00", "A")], (), {"room"},
                 "[room] R2: shares room A with R3 (Day 2 10:30-12:00)", id="room-dc"),
    pytest.param([entry("R2", "Day 1", "09:00", "10:00", "B")], (), {"exclusive"},
                 "[exclusive] R2: runs during the exclusive OPEN (Day 1 09:00-09:30)",
                 id="exclusive"),
    pytest.param([entry("R3", "Day 1", "11:15", "12:45", "B")], (), {"capacity"},
                 "[capacity] R3: room B seats 40, 80 expected", id="capacity"),
    pytest.param([entry("R3", "Day 2", "10:00", "11:30", "C")], (), {"features"},
                 "[features] R3: room C lacks captioning", id="features"),
    pytest.param([entry("R4", "Day 2", "12:00", "13:00", "C")], (), {"features"},
                 "[features] R4: room C lacks hybrid", id="online-speaker-needs-hybrid"),
    pytest.param([entry("R1", "Day 1", "09:30", "10:30", "B")], (), {"person"},
                 "[person] R1: P1 also speaks in WS1 (Day 1 09:30-10:30)",
                 id="person-programme"),
    pytest.param([entry("R1", "Day 1", "11:15", "12:15", "A"),
                  entry("R4", "Day 1", "11:30", "12:30", "B")], (), {"person"},
                 "[person] R1: P2 also speaks in R4 (Day 1 11:30-12:30)", id="person-dc"),
    pytest.param([entry("R1", "Day 2", "10:00", "11:00", "A"),
                  entry("R2", "Day 2", "10:00", "11:00", "C")], (), {"coalition"},
                 "[coalition] R1: D2 is also in R2 (Day 2 10:00-11:00)", id="co-organiser"),
    pytest.param([entry("R2", "Day 1", "10:30", "11:30", "A")], (), {"breaks"},
                 "[breaks] R2: crosses the break 11:00-11:15", id="break"),
    pytest.param([entry("R2", "Day 2", "12:30", "13:30", "A")], (), {"hours"},
                 "[hours] R2: Day 2 12:30-13:30 is outside Day 2's hours 09:00-13:00",
                 id="outside-hours"),
    pytest.param([entry("R2", "Day 2", "10:10", "11:10", "A")], (), {"hours"},
                 "[hours] R2: starts at 10:10, off the 15-minute grid", id="off-grid"),
    pytest.param([entry("R2", "Day 2", "11:00", "10:00", "A")], (), {"hours", "request"},
                 "[hours] R2: ends before it starts", id="ends-before-start"),
    pytest.param([entry("R2", "Day 2", "10:00", "10:45", "A")], (), {"request"},
                 "[request] R2: lasts 45 min, the request asks for 60", id="wrong-length"),
    pytest.param([entry("R2", "Day 2", "10:00", "11:00", "A", dc_ids="D2;D3")], (),
                 {"request"}, "[request] R2: DCs D2;D3 differ from the request's D2",
                 id="wrong-dcs"),
    pytest.param([entry("R1", "Day 2", "09:15", "10:15", "A")], (), {"unavailable"},
                 "[unavailable] R1: a speaker is unavailable Day 2 09:00-10:00",
                 id="unavailable"),
    pytest.param([entry("R2", "Day 2", "10:00", "11:00", "B")], (), {"room_open"},
                 "[room_open] R2: room B is not open on Day 2", id="room-closed"),
    pytest.param([entry("R5", "Day 2", "10:00", "11:00", "A")], (), {"eligibility"},
                 "[eligibility] R5: ineligible: D5 fails open_principles: not open: archives",
                 id="ineligible"),
    pytest.param([entry("R1", "Day 1", "11:15", "12:15", "A"),
                  entry("R2", "Day 2", "10:00", "11:00", "A")],
                 ("capacity.max_dc_sessions=1",), {"quota"},
                 "[quota] (schedule): 2 DC sessions, the quota is 1", id="quota"),
    pytest.param([entry("R2", "Day 2", "10:00", "11:00", "A")], ("capacity.rooms=['B', 'C']",),
                 {"scope"}, "[scope] R2: room A is not open to DC items (capacity.rooms)",
                 id="scope-rooms"),
    pytest.param([entry("R2", "Day 2", "10:00", "11:00", "A")], ("capacity.days=['Day 1']",),
                 {"scope"}, "[scope] R2: Day 2 is not open to DC items (capacity.days)",
                 id="scope-days"),
    pytest.param([entry("R2", "Day 2", "10:00", "11:00", "A", date="2024-12-16")], (),
                 {"date"}, "[date] R2: date 2024-12-16 is not Day 2's date 2024-12-17",
                 id="wrong-date"),
]


@pytest.mark.parametrize(("entries", "overrides", "rules", "words"), VIOLATIONS)
def test_checker_lists_each_violation_in_words(check, entries, overrides, rules, words):
    result = check(entries, *overrides)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert any(line.startswith(words) for line in lines), result.stdout
    violations = [line for line in lines if line.startswith("[")]
    assert {line[1:line.index("]")] for line in violations} == rules
    assert lines[-1].startswith(f"{len(violations)} violation(s) in ")


STRUCTURAL = [
    # change to the valid entry, row, column, words
    pytest.param({"room": "Z"}, 2, "room", "unknown room 'Z'", id="unknown-room"),
    pytest.param({"start": "9:75"}, 2, "start", "'9:75' is not a time", id="bad-time"),
    pytest.param({"end": "noon"}, 2, "end", "'noon' is not a time", id="bad-end"),
    pytest.param({"day": "Day 9"}, 2, "day", "unknown day 'Day 9'", id="unknown-day"),
    pytest.param({"item_id": "RX"}, 2, "item_id", "unknown request 'RX'", id="unknown-request"),
    pytest.param({"kind": "workshop"}, 2, "kind", "unknown kind 'workshop'", id="unknown-kind"),
    pytest.param({"dc_ids": "D2;DX"}, 2, "dc_ids", "unknown coalition 'DX'", id="unknown-dc"),
]


@pytest.mark.parametrize(("change", "row", "column", "words"), STRUCTURAL)
def test_structurally_bad_schedule_exits_2(check, change, row, column, words):
    result = check([{**entry("R2", "Day 2", "10:00", "11:00", "A"), **change}])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert f"schedule.csv, row {row}, column '{column}': {words}" in result.stderr
    assert "Traceback" not in result.output


def test_schedule_placing_a_request_twice_exits_2(check):
    result = check([entry("R2", "Day 2", "10:00", "11:00", "A"),
                    entry("R2", "Day 1", "11:15", "12:15", "A")])
    assert result.exit_code == 2
    assert "schedule.csv, row 3, column 'item_id': duplicate id 'R2'" in result.stderr


def test_schedule_missing_a_column_exits_2(check):
    header = tuple(c for c in SCHEDULE_HEADER if c != "room")
    result = check([entry("R2", "Day 2", "10:00", "11:00", "A")], header=header)
    assert result.exit_code == 2
    assert "schedule.csv, row 1, column 'room': required column is missing" in result.stderr


def test_missing_schedule_file_exits_2(tmp_path):
    folder = write_dataset(tmp_path / "data", small_tables())
    scenario = write_scenario(tmp_path / "s.toml", folder)
    result = CliRunner(env={"COLUMNS": "10000"}).invoke(
        main, ["check", str(tmp_path / "none.csv"), "--scenario", str(scenario)])
    assert result.exit_code == 2
    assert "none.csv: file not found" in result.stderr
