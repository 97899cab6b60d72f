"""Small datasets and scenarios for tests, built from editable tables.

`small_tables()` returns a fresh copy of a tiny, valid dataset (two days, three rooms, four
DCs); tests change what they need and `write_dataset` writes the folder.
"""

from __future__ import annotations

import copy
import csv
import re
import datetime as dt
import tempfile
from pathlib import Path

from scheduler.check import Checker, check_file
from scheduler.domain import Pin
from scheduler.load import REQUIRED_COLUMNS, load_dataset
from scheduler.metrics import recount_goals
from scheduler.plan import plan
from scheduler.scenario import load_scenario
from scheduler.schedule import Baseline
from scheduler.timegrid import parse_hhmm
from scheduler.export.result_folder import write_schedule

COLUMNS = {name.removesuffix(".csv"): columns for name, columns in REQUIRED_COLUMNS.items()}
COLUMNS["rooms"] += ("days",)
COLUMNS["requests"] += ("placement",)
COLUMNS["coalitions"] += ("annual_report_kind",)


def room(room_id, capacity=100, **kw):
    return {"room_id": room_id, "name": f"Room {room_id}", "capacity": capacity, "hybrid": "yes",
            "captioning": "yes", "step_free": "yes", "interpretation": "no", "days": "", **kw}


def session(session_id, day, start, end, room="", themes="", people="", exclusive="no", **kw):
    return {"session_id": session_id, "type": "workshop", "title": f"Session {session_id}",
            "day": day, "start": start, "end": end, "room": room, "themes": themes,
            "people": people, "exclusive": exclusive, **kw}


def coalition(dc_id, category="output", themes="DATA", members="", **kw):
    return {"dc_id": dc_id, "name": f"Dynamic Coalition {dc_id}", "category": category,
            "themes": themes, "open_membership": "yes", "open_mailing_list": "yes",
            "open_archives": "yes", "last_annual_report": "2023", "annual_report_kind": "",
            "session_report": "yes",
            "coordination_meetings": "4", "founded": "2015", "outputs": "2", "members": members,
            **kw}


def request(request_id, dc_ids, speakers, duration=60, themes="DATA", attendance=40, **kw):
    return {"request_id": request_id, "dc_ids": dc_ids, "title": f"Session of {dc_ids}",
            "format": "round table", "duration": duration, "expected_attendance": attendance,
            "themes": themes, "speakers": speakers, "needs": "", "preferred_days": "",
            "unavailable": "", "priority": "3", "submitted": "2024-04-01", "placement": "",
            **kw}


def person(person_id, group="civil_society", onsite="yes", timezone="Asia/Tokyo", **kw):
    return {"person_id": person_id, "name": f"Person {person_id}", "stakeholder_group": group,
            "region": "Asia-Pacific", "gender": "female", "onsite": onsite,
            "timezone": timezone, **kw}


def small_tables() -> dict:
    """Two days 09:00-13:00 (break 11:00-11:15 on Day 1), rooms A (100), B (40), C (200, no
    captioning), a fixed programme of four sessions, DCs D1-D4 with one request each."""
    return copy.deepcopy({
        "event": {"name": "Test IGF", "timezone": "Asia/Tokyo", "granularity": 15,
                  "days": [{"label": "Day 1", "date": dt.date(2024, 12, 16), "open": "09:00",
                            "close": "13:00", "breaks": ["11:00-11:15"]},
                           {"label": "Day 2", "date": dt.date(2024, 12, 17), "open": "09:00",
                            "close": "13:00", "breaks": []}]},
        "rooms": [room("A", 100), room("B", 40), room("C", 200, captioning="no")],
        "programme": [
            session("OPEN", "Day 1", "09:00", "09:30", "A", "GDG", "P9", exclusive="yes"),
            session("WS1", "Day 1", "09:30", "10:30", "A", "DATA", "P1;P9"),
            session("WS2", "Day 2", "09:00", "10:00", "C", "RIGHTS", "P8"),
            session("ONLINE1", "Day 2", "11:00", "12:00", "", "AI", "P7"),
        ],
        "coalitions": [coalition("D1", "output", "DATA", "P1;P2"),
                       coalition("D2", "output", "RIGHTS", "P3;P4"),
                       coalition("D3", "capacity", "DIVIDE", "P5;P6"),
                       coalition("D4", "capacity", "AI", "P2;P7")],
        "requests": [request("R1", "D1", "P1;P2", themes="DATA"),
                     request("R2", "D2", "P3;P4", themes="RIGHTS"),
                     request("R3", "D3", "P5;P6", themes="DIVIDE", duration=90),
                     request("R4", "D4", "P2;P7", themes="AI")],
        "people": [person(f"P{i}", group=g) for i, g in
                   [(1, "civil_society"), (2, "government"), (3, "civil_society"),
                    (4, "private_sector"), (5, "technical_community"), (6, "government"),
                    (7, "civil_society"), (8, "government"), (9, "government")]],
    })


def to_toml(data: dict, prefix: str = "") -> str:
    """Enough TOML for events and scenarios: scalars, lists, tables, arrays of tables."""
    def literal(value):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float, dt.date)):
            return str(value)
        if isinstance(value, (list, tuple)):
            return "[" + ", ".join(literal(v) for v in value) + "]"
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for entry in value:
                lines.append(f"\n[[{prefix}{key}]]")
                lines.extend(f"{k} = {literal(v)}" for k, v in entry.items())
        else:
            lines.append(f"{key} = {literal(value)}")
    for key, value in tables:
        lines.append(f"\n[{prefix}{key}]")
        lines.append(to_toml(value, f"{prefix}{key}."))
    return "\n".join(lines) + "\n"


def write_dataset(folder: Path, tables: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "event.toml").write_text(to_toml(tables["event"]), encoding="utf-8")
    for name, columns in COLUMNS.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(tables[name])
    return folder


def write_scenario(path: Path, dataset: Path, **tables) -> Path:
    """A scenario TOML; keyword arguments are top-level keys or tables, e.g.
    `capacity={"max_dc_sessions": 2}`. Defaults: mode individual, 1 worker, 10 s."""
    data = {"name": path.stem, "dataset": str(dataset), "mode": "individual",
            **{k: v for k, v in tables.items() if not isinstance(v, dict)}}
    data["solver"] = {"time_limit": 10, "workers": 1, **tables.pop("solver", {})}
    data.update({k: v for k, v in tables.items() if isinstance(v, dict)})
    path.write_text(to_toml(data), encoding="utf-8")
    return path


def assert_sound(tables: dict, scenario_tables: dict):
    """Solve; every soft term equals its recount from the rows; the schedule passes the checker
    (in memory and read back from its file), no ineligible request or DC is placed, every other
    request has a reason. Returns the result:
    the solver's tests use the independent checker as their oracle through this."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        dataset = load_dataset(write_dataset(folder / "data", tables))
        scenario = load_scenario(write_scenario(folder / "s.toml", folder / "data",
                                                **scenario_tables))
        result = plan(dataset, scenario)
        assert result.solution.status == "optimal"
        recount = recount_goals(dataset, scenario, result.report, result.rows)
        recounted = {goal: recount[goal] for goal in result.solution.terms}
        assert recounted == result.solution.terms, (recounted, result.solution.terms)

        assert Checker(dataset, scenario, result.rows).violations() == []
        write_schedule(folder / "schedule.csv", result.rows)
        assert check_file(folder / "schedule.csv", dataset, scenario) == []

    placed = {row.item_id for row in result.rows if row.kind in ("session", "segment")}
    for request_id in placed:
        assert result.report.request_failure(dataset.request_by_id[request_id]) is None
    assert {d for row in result.rows for d in row.dc_ids} <= set(result.report.eligible_dcs)
    reasons = {u.request_id: u.reason for u in result.unscheduled}
    assert placed.isdisjoint(reasons)
    assert placed | set(reasons) == set(dataset.request_by_id)
    assert all(reason.strip() for reason in reasons.values())
    for request_id, text in reasons.items():
        assert_slot_offered_is_real(dataset, scenario, result, request_id, text)
    quota = scenario.capacity.max_dc_sessions
    sessions = sum(1 for row in result.rows if row.kind == "session")
    if quota is not None:
        assert sessions <= quota
    if quota is None or sessions < quota:         # the quota is not what stopped them
        assert not any(r.startswith("quota reached") for r in reasons.values())
    return result


def assert_slot_offered_is_real(dataset, scenario, result, request_id: str, text: str) -> None:
    """A reason offering a slot ('with it at Day 1 09:30-10:30 A') names one the model accepts:
    solved again with the request pinned there, there is a schedule, and (the first solve being
    proven best) none better than the first."""
    found = re.search(r"with it at (Day \d) (\d\d:\d\d)-\d\d:\d\d (\w+)", text)
    if found is None:
        return
    day, start, room = found.groups()
    pin = Pin(request_id=request_id, day=day, start=parse_hhmm(start), room=room)
    forced = plan(dataset, scenario, baseline=Baseline(Path("pins.csv"), (), (pin,)))
    assert forced.solution.has_schedule, text
    assert forced.solution.objective <= result.solution.objective, text
