"""The exchange format: a placed DC item (`ScheduleRow`, one row of schedule.csv, read back by
`check`) and a request not placed (`Unscheduled`). Writing lives in `export.result_folder`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .domain import Clock, Identifier, Names, Record
from .load import read_table
from .timegrid import Window, format_hhmm

SCHEDULE_COLUMNS = ("item_id", "kind", "dc_ids", "title", "day", "date", "start", "end", "room",
                    "themes", "speakers", "block_id", "cluster")
REQUIRED_SCHEDULE_COLUMNS = ("item_id", "kind", "dc_ids", "day", "start", "end", "room")
KINDS = ("session", "block", "segment", "plenary")


class ScheduleRow(Record):
    """One placed DC item. `item_id` is the request id of a session or segment."""

    item_id: Identifier
    kind: str
    dc_ids: Names = ()
    title: str = ""
    day: str
    date: str = ""
    start: Clock
    end: Clock
    room: str = ""
    themes: Names = ()
    speakers: Names = ()
    block_id: str = ""
    cluster: str = ""

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
                "cluster": self.cluster}


@dataclass(frozen=True)
class Unscheduled:
    request_id: str
    dc_ids: tuple[str, ...]
    reason: str


def read_schedule(path: str | Path) -> list[ScheduleRow]:
    return [row for _, row in read_schedule_rows(path)]


def read_schedule_rows(path: str | Path) -> list[tuple[int, ScheduleRow]]:
    return read_table(Path(path), ScheduleRow, "item_id", REQUIRED_SCHEDULE_COLUMNS)


def read_unscheduled(path: str | Path) -> list[Unscheduled]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [Unscheduled(r["request_id"], tuple(x for x in r["dc_ids"].split(";") if x),
                            r["reason"]) for r in csv.DictReader(handle)]
