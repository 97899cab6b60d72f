"""The exchange format: a placed DC item (`ScheduleRow`, one row of schedule.csv, read back by
`check`) and a request not placed (`Unscheduled`), and the reading of both, checked against the
dataset. Writing lives in `export.result_folder`."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import field_validator

from .domain import BlankIsNo, Clock, Dataset, Identifier, Names, Pin, Record
from .errors import InputError, warn
from .load import did_you_mean, read_table, require_known, shown
from .timegrid import Window, format_hhmm

SCHEDULE_COLUMNS = ("item_id", "kind", "dc_ids", "title", "day", "date", "start", "end", "room",
                    "themes", "speakers", "block_id", "cluster", "pinned")
REQUIRED_SCHEDULE_COLUMNS = ("item_id", "kind", "dc_ids", "day", "start", "end", "room")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
KINDS = ("session", "block", "segment", "plenary", "programme")


class ScheduleRow(Record):
    """One placed DC item, or a programme session the scenario let move (kind `programme`).
    `item_id` is the request id of a session or segment, the session id of a programme row."""

    item_id: Identifier
    kind: str
    dc_ids: Names = ()
    title: str = ""
    day: str
    date: str = ""      # ISO; `check` compares it with its day's date
    start: Clock
    end: Clock
    room: str = ""
    themes: Names = ()
    speakers: Names = ()
    block_id: str = ""
    cluster: str = ""
    pinned: BlankIsNo = False    # re-solving with this file as the baseline keeps it where it is

    @field_validator("date")
    @classmethod
    def _iso_date(cls, date: str) -> str:
        # A spreadsheet re-saving the file may write 16/12/2024: unreadable, not a violation.
        if date and not _ISO_DATE.match(date):
            raise ValueError(f"'{date}' is not a date of the form YYYY-MM-DD")
        return date

    @property
    def window(self) -> Window:
        return Window(self.day, self.start, self.end)

    @property
    def occupies_room(self) -> bool:
        """Segments share their block's room; everything else holds a room of its own."""
        return self.kind != "segment"

    def cells(self) -> dict[str, str]:
        return {"item_id": self.item_id, "kind": self.kind, "dc_ids": ";".join(self.dc_ids),
                "title": self.title, "day": self.day, "date": self.date,
                "start": format_hhmm(self.start), "end": format_hhmm(self.end),
                "room": self.room, "themes": ";".join(self.themes),
                "speakers": ";".join(self.speakers), "block_id": self.block_id,
                "cluster": self.cluster, "pinned": "yes" if self.pinned else ""}


def with_moved_programme(dataset: Dataset, rows: list[ScheduleRow]) -> Dataset:
    """The dataset with each programme session that a `programme` row moves at its new day,
    time and room (the others as they are)."""
    moved = {r.item_id: r for r in rows if r.kind == "programme"}
    if not moved:
        return dataset
    return dataclasses.replace(dataset, programme=tuple(
        s.model_copy(update={"day": moved[s.session_id].day, "start": moved[s.session_id].start,
                             "end": moved[s.session_id].end, "room": moved[s.session_id].room})
        if s.session_id in moved else s for s in dataset.programme))


@dataclass(frozen=True)
class Unscheduled:
    request_id: str
    dc_ids: tuple[str, ...]
    reason: str
    cheapest_change: str = ""    # one change that places it, tried by solving (solve --suggest)


def read_schedule_rows(path: str | Path) -> list[tuple[int, ScheduleRow]]:
    """The rows of a schedule.csv with their spreadsheet row numbers."""
    return read_table(Path(path), ScheduleRow, "item_id", REQUIRED_SCHEDULE_COLUMNS)


def check_schedule_references(path: str | Path, rows: list[tuple[int, ScheduleRow]],
                              dataset: Dataset) -> None:
    """Everything a schedule file names exists in the dataset: a row naming something unknown
    cannot be judged, so it is bad input rather than a rule violation."""
    block_ids = {row.item_id for _, row in rows if row.kind == "block"}
    for number, row in rows:
        if row.kind not in KINDS:
            raise InputError(path, f"unknown kind '{shown(row.kind)}' (use {', '.join(KINDS)})",
                             row=number, column="kind")
        if row.kind == "programme" and row.item_id not in dataset.session_by_id:
            raise InputError(path, f"unknown programme session '{shown(row.item_id)}'"
                             + did_you_mean(row.item_id, dataset.session_by_id),
                             row=number, column="item_id")
        if row.kind in ("session", "segment") and row.item_id not in dataset.request_by_id:
            raise InputError(path, f"unknown request '{shown(row.item_id)}'"
                             + did_you_mean(row.item_id, dataset.request_by_id),
                             row=number, column="item_id")
        require_known(path, number, "day", [row.day], dataset.day_by_label, "day")
        if row.occupies_room:
            require_known(path, number, "room", [row.room], dataset.room_by_id, "room")
        require_known(path, number, "dc_ids", row.dc_ids, dataset.coalition_by_id, "coalition")
        require_known(path, number, "speakers", row.speakers, dataset.person_by_id, "person")
        if (row.kind == "segment" or row.block_id) and row.block_id not in block_ids:
            raise InputError(path, f"{row.kind} of unknown block '{shown(row.block_id)}'",
                             row=number, column="block_id")


class UnscheduledRow(Record):
    request_id: Identifier
    dc_ids: Names = ()
    reason: str = ""
    cheapest_change: str = ""


UNSCHEDULED_COLUMNS = ("request_id", "dc_ids", "reason")


def read_unscheduled_rows(path: str | Path) -> list[tuple[int, Unscheduled]]:
    return [(number, Unscheduled(row.request_id, row.dc_ids, row.reason, row.cheapest_change))
            for number, row in read_table(Path(path), UnscheduledRow, "request_id",
                                          UNSCHEDULED_COLUMNS)]


def check_unscheduled_references(path: str | Path, entries: list[tuple[int, Unscheduled]],
                                 dataset: Dataset) -> None:
    for number, entry in entries:
        require_known(path, number, "request_id", [entry.request_id], dataset.request_by_id,
                      "request")
        require_known(path, number, "dc_ids", entry.dc_ids, dataset.coalition_by_id,
                      "coalition")


class ChangeRow(Record):
    """One row of changes.csv: what a re-solve against a baseline did to a request."""

    request_id: Identifier
    dc_ids: Names = ()
    change: str
    before: str = ""
    after: str = ""
    reason: str = ""


def read_changes(path: str | Path) -> list[ChangeRow]:
    """changes.csv of a result folder, or nothing when the result has none."""
    path = Path(path)
    if not path.is_file():
        return []
    return [row for _, row in read_table(path, ChangeRow, "request_id",
                                         ("request_id", "change"))]


def read_pins(path: str | Path, dataset: Dataset) -> list[tuple[int, Pin]]:
    """pins.csv: `request_id` and any of `day`, `start`, `room`; each names what exists. With
    their spreadsheet row numbers."""
    path = Path(path)
    pins = read_table(path, Pin, "request_id", ("request_id",))
    for number, pin in pins:
        require_known(path, number, "request_id", [pin.request_id], dataset.request_by_id,
                      "request")
        if pin.day is not None:
            require_known(path, number, "day", [pin.day], dataset.day_by_label, "day")
        if pin.room is not None:
            require_known(path, number, "room", [pin.room], dataset.room_by_id, "room")
        if pin.start is not None and pin.day is None:
            raise InputError(path, "a start needs its day", row=number, column="day")
    return pins


@dataclass(frozen=True)
class Source:
    """Where a pin was read: the file, its row and the column that made it a pin."""

    path: Path
    row: int | None
    column: str


@dataclass(frozen=True)
class Baseline:
    """An earlier schedule to re-solve against: its rows (what to keep where it is), the pins
    (its rows marked `pinned`, and any pins file) and where each pin was read, and the rows
    of requests withdrawn since (no longer in requests.csv: dropped, said as such)."""

    path: Path
    rows: tuple[ScheduleRow, ...] = ()
    pins: tuple[Pin, ...] = ()
    sources: dict[str, Source] = dataclasses.field(default_factory=dict)
    withdrawn: tuple[ScheduleRow, ...] = ()

    @property
    def pinned_ids(self) -> frozenset[str]:
        return frozenset(pin.request_id for pin in self.pins)

    def source(self, request_id: str) -> Source:
        return self.sources.get(request_id, Source(self.path, None, "request_id"))


def pin_of(row: ScheduleRow) -> Pin:
    """A pinned row as a pin: a session keeps its day, start and room; a segment presents, in a
    block on the same day and in the same room (the order inside the block stays free)."""
    start = row.start if row.kind == "session" else None
    return Pin(request_id=row.item_id, day=row.day, start=start, room=row.room or None)


def withdrawn_rows(path: Path, rows: list[tuple[int, ScheduleRow]],
                   dataset: Dataset) -> list[tuple[int, ScheduleRow]]:
    """The baseline's sessions and segments whose request is no longer in requests.csv: a DC
    that withdrew (its request deleted). Each is named in a warning, so that a typo shows."""
    gone = [(number, row) for number, row in rows if row.kind in ("session", "segment")
            and row.item_id not in dataset.request_by_id]
    for number, row in gone:
        warn(path, f"request '{shown(row.item_id)}' is no longer in requests.csv: taken as "
             "withdrawn (dropped, said so in changes.csv)", row=number, column="item_id")
    return gone


def check_dates(path: Path, rows: list[tuple[int, ScheduleRow]], dataset: Dataset) -> None:
    """A baseline row dated other than its day in this dataset is from another event (or
    year): kept, it would pin and keep places on days it never meant."""
    for number, row in rows:
        day = dataset.day_by_label[row.day]
        if row.date and row.date != day.date.isoformat():
            raise InputError(path, f"date {row.date} is not {day.label}'s date "
                             f"{day.date.isoformat()} in this dataset: is this schedule from "
                             "another event or year?", row=number, column="date")


def check_pin_hours(pin: Pin, source: Source, dataset: Dataset) -> None:
    """A pin's session lies within its day's hours (else no schedule could ever keep it)."""
    if pin.day is None or pin.start is None:
        return
    day, request = dataset.day_by_label[pin.day], dataset.request_by_id[pin.request_id]
    if pin.start < day.open or pin.start + request.duration > day.close:
        raise InputError(source.path, f"{pin}: its {request.duration}-minute session from "
                         f"{format_hhmm(pin.start)} is outside {day.label}'s hours "
                         f"{format_hhmm(day.open)}-{format_hhmm(day.close)}", row=source.row,
                         column="start")


def schedule_in(path: str | Path) -> Path:
    """The schedule.csv a path names: the file itself (any schedule, edited by hand or not), or
    that of a result folder, which must be whole (`export.folders.verify`)."""
    from .export.folders import verify   # the result folder's writer imports this module

    path = Path(path)
    if not path.is_dir():
        return path
    verify(path, "result")
    return path / "schedule.csv"


def read_baseline(schedule: str | Path | None, pins: str | Path | None,
                  dataset: Dataset) -> Baseline | None:
    """The baseline schedule (a schedule.csv or the folder holding it) and the pins (its rows
    marked `pinned` and a pins file), checked against the dataset; None when neither is given."""
    if schedule is None and pins is None:
        return None
    rows: list[tuple[int, ScheduleRow]] = []
    withdrawn: list[tuple[int, ScheduleRow]] = []
    path = Path(schedule) if schedule is not None else Path(pins)
    if schedule is not None:
        path = schedule_in(path)
        rows = read_schedule_rows(path)
        withdrawn = withdrawn_rows(path, rows, dataset)
        rows = [pair for pair in rows if pair not in withdrawn]
        check_schedule_references(path, rows, dataset)
        check_dates(path, rows, dataset)
    found = [(pin_of(row), Source(path, number, "pinned")) for number, row in rows
             if row.pinned and row.kind in ("session", "segment")]
    found += [(pin, Source(Path(pins), number, "request_id"))
              for number, pin in read_pins(pins, dataset)] if pins is not None else []
    seen: dict[str, Pin] = {}
    sources: dict[str, Source] = {}
    for pin, source in found:
        if pin.request_id in seen and seen[pin.request_id] != pin:
            raise InputError(source.path, f"{pin.request_id} is pinned twice, to different "
                             f"places ({seen[pin.request_id]}; {pin})", row=source.row,
                             column="request_id")
        check_pin_hours(pin, source, dataset)
        seen[pin.request_id] = pin
        sources.setdefault(pin.request_id, source)
    return Baseline(path, tuple(row for _, row in rows), tuple(seen.values()), sources,
                    tuple(row for _, row in withdrawn))
