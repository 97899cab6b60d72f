"""Read a dataset folder into a validated, cross-checked `Dataset`.

pandas reads each CSV as text; each row is validated by its pydantic record; then the
references between files are checked. Every problem is an `InputError` naming file, row, column.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Iterable, TypeVar

import pandas as pd
from pydantic import BaseModel, ValidationError

from .domain import Coalition, Dataset, Event, Person, ProgrammeSession, Request, Room
from .errors import InputError
from .timegrid import format_hhmm, overlap

R = TypeVar("R", bound=BaseModel)

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "rooms.csv": ("room_id", "name", "capacity", "hybrid", "captioning", "step_free",
                  "interpretation"),
    "programme.csv": ("session_id", "type", "title", "day", "start", "end", "room", "themes",
                      "people", "exclusive"),
    "coalitions.csv": ("dc_id", "name", "category", "themes", "open_membership",
                       "open_mailing_list", "open_archives", "last_annual_report",
                       "session_report", "coordination_meetings", "founded", "outputs",
                       "members"),
    "requests.csv": ("request_id", "dc_ids", "title", "format", "duration",
                     "expected_attendance", "themes", "speakers", "needs", "preferred_days",
                     "unavailable", "priority", "submitted"),
    "people.csv": ("person_id", "name", "stakeholder_group", "region", "gender", "onsite",
                   "timezone"),
}


def first_problem(error: ValidationError) -> tuple[str, str]:
    """(where, message) of the first problem pydantic found, in words a planner reads."""
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"]) or "(record)"
    message = problem["msg"].removeprefix("Value error, ")
    if problem.get("input") is not None and problem["type"] not in ("value_error", "missing"):
        message += f" (got '{problem['input']}')"
    return where, message


def read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"not valid TOML: {exc}") from None


def read_event(path: Path) -> Event:
    try:
        return Event.model_validate(read_toml(path))
    except ValidationError as exc:
        where, message = first_problem(exc)
        raise InputError(path, f"key '{where}': {message}") from None


def read_table(path: Path, record: type[R], id_column: str,
               columns: tuple[str, ...] | None = None) -> list[tuple[int, R]]:
    """Rows of a CSV as (spreadsheet row number, record); ids must be unique."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8",
                            skipinitialspace=True)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except pd.errors.EmptyDataError:
        raise InputError(path, "the file is empty (a header row is required)") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read as UTF-8 CSV: {exc}") from None
    frame.columns = [str(column).strip() for column in frame.columns]
    for column in columns if columns is not None else REQUIRED_COLUMNS[path.name]:
        if column not in frame.columns:
            raise InputError(path, "required column is missing", row=1, column=column)
    rows: list[tuple[int, R]] = []
    seen: dict[str, int] = {}
    for index, cells in enumerate(frame.to_dict("records")):
        row = index + 2
        try:
            item = record.model_validate(cells)
        except ValidationError as exc:
            where, message = first_problem(exc)
            column = where.split(".")[0]  # 'needs.1' is the second value of column 'needs'
            raise InputError(path, message, row=row, column=column) from None
        key = getattr(item, id_column)
        if key in seen:
            raise InputError(path, f"duplicate id '{key}' (first on row {seen[key]})",
                             row=row, column=id_column)
        seen[key] = row
        rows.append((row, item))
    return rows


def require_known(path: Path, row: int, column: str, values: Iterable[str], known, what: str):
    for value in values:
        if value not in known:
            raise InputError(path, f"unknown {what} '{value}'", row=row, column=column)


def load_dataset(folder: str | Path) -> Dataset:
    """Read and cross-check every file of a dataset folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "dataset folder not found")
    event = read_event(folder / "event.toml")
    days = {day.label: day for day in event.days}
    people = read_table(folder / "people.csv", Person, "person_id")
    person_ids = {p.person_id for _, p in people}
    rooms = read_table(folder / "rooms.csv", Room, "room_id")
    for row, room in rooms:
        require_known(folder / "rooms.csv", row, "days", room.days, days, "day")
    room_ids = {r.room_id: r for _, r in rooms}
    programme = read_table(folder / "programme.csv", ProgrammeSession, "session_id")
    check_programme(folder / "programme.csv", programme, days, room_ids, person_ids)
    coalitions = read_table(folder / "coalitions.csv", Coalition, "dc_id")
    for row, dc in coalitions:
        require_known(folder / "coalitions.csv", row, "members", dc.members, person_ids, "person")
    dc_ids = {dc.dc_id for _, dc in coalitions}
    requests = read_table(folder / "requests.csv", Request, "request_id")
    check_requests(folder / "requests.csv", requests, days, dc_ids, person_ids)
    return Dataset(
        folder=str(folder),
        event=event,
        rooms=tuple(r for _, r in rooms),
        programme=tuple(s for _, s in programme),
        coalitions=tuple(c for _, c in coalitions),
        requests=tuple(r for _, r in requests),
        people=tuple(p for _, p in people),
    )


def check_programme(path, programme, days, rooms, person_ids) -> None:
    by_room: dict[tuple[str, str], list[tuple[int, ProgrammeSession]]] = defaultdict(list)
    for row, session in programme:
        require_known(path, row, "day", [session.day], days, "day")
        day = days[session.day]
        if session.start < day.open or session.end > day.close:
            raise InputError(path, f"{format_hhmm(session.start)}-{format_hhmm(session.end)} "
                             f"is outside {day.label}'s hours {format_hhmm(day.open)}-"
                             f"{format_hhmm(day.close)}", row=row,
                             column="start" if session.start < day.open else "end")
        if session.room is not None:
            require_known(path, row, "room", [session.room], rooms, "room")
            if not rooms[session.room].open_on(session.day):
                raise InputError(path, f"room '{session.room}' is not open on {session.day}",
                                 row=row, column="room")
            by_room[(session.room, session.day)].append((row, session))
        require_known(path, row, "people", session.people, person_ids, "person")
    for (room, day), sessions in by_room.items():
        sessions.sort(key=lambda pair: pair[1].start)
        for (row_a, a), (row_b, b) in zip(sessions, sessions[1:]):
            if overlap(a.start, a.end, b.start, b.end):
                raise InputError(path, f"'{b.session_id}' overlaps '{a.session_id}' (row "
                                 f"{row_a}) in room '{room}' on {day}", row=row_b,
                                 column="start")


def check_requests(path, requests, days, dc_ids, person_ids) -> None:
    for row, request in requests:
        require_known(path, row, "dc_ids", request.dc_ids, dc_ids, "coalition")
        if len(set(request.dc_ids)) != len(request.dc_ids):
            raise InputError(path, "a coalition is named twice", row=row, column="dc_ids")
        require_known(path, row, "speakers", request.speakers, person_ids, "person")
        require_known(path, row, "preferred_days", request.preferred_days, days, "day")
        require_known(path, row, "unavailable", [w.day for w in request.unavailable], days, "day")
