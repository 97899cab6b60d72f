"""The DC items as every export presents them, made once from the result folder's rows so that
the spreadsheet, the calendars and the conference-app files agree: the item's local start and end
in the event's time zone, its room, its DCs and speakers by name, its block, one description.

`dc_items(source)` also checks that every row names a day, date, room, DC, speaker and block the
dataset knows, so that a hand-edited schedule.csv gets a one-line error (file, row, column)
before any file is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from ..domain import Dataset
from ..errors import InputError
from .. import labels
from ..schedule import ScheduleRow
from ..slugs import slug
from ..timegrid import event_moment, format_hhmm
from .source import ExportSource

@dataclass(frozen=True)
class Item:
    """One placed DC item (a row of schedule.csv) with what the exports print about it."""

    row: ScheduleRow
    number: int                 # frab's numeric event id: 1, 2, ... in export order, or the
                                # one a publication gave it (kept across versions)
    start: dt.datetime          # aware, in the event's time zone
    end: dt.datetime
    room_name: str
    dc_names: tuple[str, ...]   # "DC-X - Dynamic Coalition on X", lead first
    speaker_names: tuple[str, ...]
    block: ScheduleRow | None   # a segment's block
    segments: tuple[ScheduleRow, ...]  # a block's segments, in time order
    description: str
    theme_names: tuple[str, ...] = ()  # for people (themes.csv), else the ids
    cluster_name: str = ""             # a segment's thematic cluster, likewise

    @property
    def item_id(self) -> str:
        return self.row.item_id

    @property
    def title(self) -> str:
        return self.row.title or self.row.item_id

    @property
    def minutes(self) -> int:
        return self.row.end - self.row.start

    @property
    def kind_name(self) -> str:
        return labels.kind(self.row.kind)

    @property
    def track(self) -> str:
        """A segment's thematic cluster, otherwise the item's first theme (by name)."""
        return self.cluster_name or (self.theme_names[0] if self.theme_names else "")


def local_time(dataset: Dataset, day_label: str, minutes: int) -> dt.datetime:
    """`minutes` after midnight of the day, in the event's time zone."""
    return event_moment(dataset.event.timezone, dataset.day_by_label[day_label].date, minutes)


def stamp(dataset: Dataset) -> dt.datetime:
    """The moment the exports say they were made (DTSTAMP, workbook dates), from the data and
    never the clock, so that the same input gives the same bytes: the day the last request was
    submitted (the data can be no older), else the event's first day; 00:00 UTC."""
    dates = [r.submitted for r in dataset.requests if r.submitted is not None]
    date = max(dates) if dates else dataset.event.days[0].date
    return dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc)


def acronym(dataset: Dataset) -> str:
    """The event's name as a short lower-case id (e.g. 'igf_2023_kyoto'), at least 4 chars."""
    name = slug(dataset.event.name, separator="_") or "event"
    return name if len(name) >= 4 else f"{name}_igf"


def stable_uuid(dataset: Dataset, *parts: str) -> str:
    """The same id for the same event and item in every export and every run."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "igf-sched:" + ":".join((acronym(dataset), *parts))))


def _names(dataset: Dataset, row: ScheduleRow) -> tuple[tuple[str, ...], tuple[str, ...]]:
    dcs = tuple(f"{d} - {dataset.coalition_by_id[d].name}" for d in row.dc_ids)
    speakers = tuple(dataset.person_by_id[p].name for p in row.speakers)
    return dcs, speakers


def _describe(dataset: Dataset, row: ScheduleRow, block: ScheduleRow | None,
              segments: tuple[ScheduleRow, ...], stay: str) -> str:
    dcs, speakers = _names(dataset, row)
    request = dataset.request_by_id.get(row.item_id)
    room = dataset.room_by_id.get(row.room)
    what = labels.kind(row.kind)
    if request is not None and request.format:
        what += f" ({request.format}, {row.end - row.start} min)"
    else:
        what += f" ({row.end - row.start} min)"
    lines = [what]
    if row.kind == "plenary":
        lines.append("For every Dynamic Coalition of the DC Day.")
    elif row.kind == "block":
        lines.append(f"Dynamic Coalitions: {', '.join(dcs)}")
    elif dcs:
        lines.append(f"Organised by: {dcs[0]}")
        if len(dcs) > 1:
            lines.append(f"Co-organisers: {', '.join(dcs[1:])}")
    if block is not None:
        lines.append(f"Part of {block.item_id}: {block.title} ({block.day} "
                     f"{format_hhmm(block.start)}-{format_hhmm(block.end)}, room {block.room}). "
                     f"{stay[0].upper()}{stay[1:]}.")
    if row.cluster:
        lines.append(f"Thematic cluster: {dataset.theme_name(row.cluster)}")
    for segment in segments:
        lines.append(f"{format_hhmm(segment.start)}-{format_hhmm(segment.end)} "
                     f"{segment.item_id}: {segment.title} ({', '.join(segment.dc_ids)})")
    if speakers and row.kind != "block":
        lines.append(f"Speakers: {', '.join(speakers)}")
    if row.themes:
        lines.append(f"Themes: {', '.join(map(dataset.theme_name, row.themes))}")
    if room is not None:
        lines.append(f"Room: {room.room_id} - {room.name} (seats {room.capacity})")
    return "\n".join(lines)


def check_rows(source: ExportSource) -> None:
    """Every row's date is its day's and it ends after it starts (what `load_source` has not
    judged: the names in each row it has); else InputError naming schedule.csv, row, column."""
    path = source.folder / "schedule.csv"
    for number, row in enumerate(source.rows, start=2):
        day = source.dataset.day_by_label[row.day]
        if row.date and row.date != day.date.isoformat():
            raise InputError(path, f"{row.date} is not the date of {row.day} ({day.date})",
                             row=number, column="date")
        if row.end <= row.start:
            raise InputError(path, "end is not after start", row=number, column="end")


def dc_items(source: ExportSource) -> list[Item]:
    """The rows of schedule.csv as Items, by day, start (a block before its segments), room."""
    check_rows(source)
    dataset = source.dataset
    by_id = {row.item_id: row for row in source.rows}
    ordered = sorted(source.rows, key=lambda r: (dataset.day_index[r.day], r.start, -r.end,
                                                 r.room, r.item_id))
    release = source.release
    items = []
    for number, row in enumerate(ordered, 1):
        if release is not None:   # published: the id it got when first published
            number = release.revisions[row.item_id].id
        block = by_id.get(row.block_id) if row.block_id else None
        segments = tuple(r for r in ordered if r.block_id == row.item_id and row.kind == "block")
        dcs, speakers = _names(dataset, row)
        room = dataset.room_by_id.get(row.room)
        items.append(Item(row=row, number=number,
                          start=local_time(dataset, row.day, row.start),
                          end=local_time(dataset, row.day, row.end),
                          room_name=room.name if room else "", dc_names=dcs,
                          speaker_names=speakers, block=block, segments=segments,
                          description=_describe(dataset, row, block, segments,
                                                source.scenario.block.stay),
                          theme_names=tuple(map(dataset.theme_name, row.themes)),
                          cluster_name=dataset.theme_name(row.cluster) if row.cluster else ""))
    return items


def cancelled_items(source: ExportSource) -> list[Item]:
    """The items of earlier published versions that this one no longer has (none unless
    published), at their last published place, described from the data that is left (a room
    or DC may be gone from it)."""
    if source.release is None:
        return []
    dataset = source.dataset
    items = []
    for row in source.release.cancelled:
        date = (dt.date.fromisoformat(row.date) if row.date
                else dataset.day_by_label[row.day].date)
        room = dataset.room_by_id.get(row.room)
        dcs = tuple(f"{d} - {dataset.coalition_by_id[d].name}" if d in dataset.coalition_by_id
                    else d for d in row.dc_ids)
        items.append(Item(row=row, number=source.release.revisions[row.item_id].id,
                          start=event_moment(dataset.event.timezone, date, row.start),
                          end=event_moment(dataset.event.timezone, date, row.end),
                          room_name=room.name if room else row.room, dc_names=dcs,
                          speaker_names=(), block=None, segments=(),
                          description=f"Cancelled: {labels.kind(row.kind)} "
                                      "no longer in the schedule."))
    return items


# The readable schedule table: the Schedule sheet of the workbook and the CSV for Excel.
TABLE_COLUMNS = ("Item", "Kind", "Day", "Date", "Start", "End", "Minutes", "Room", "Room name",
                 "DCs", "DC names", "Title", "Themes", "Speakers", "Block", "Cluster")


def table_row(item: Item) -> dict:
    """One row of the readable table; Date, Start and End as date and time values."""
    row = item.row
    return {"Item": row.item_id, "Kind": row.kind, "Day": row.day, "Date": item.start.date(),
            "Start": item.start.time().replace(tzinfo=None),
            "End": item.end.time().replace(tzinfo=None), "Minutes": item.minutes,
            "Room": row.room, "Room name": item.room_name, "DCs": "; ".join(row.dc_ids),
            "DC names": "; ".join(item.dc_names), "Title": row.title,
            "Themes": "; ".join(item.theme_names), "Speakers": "; ".join(item.speaker_names),
            "Block": row.block_id, "Cluster": item.cluster_name}


NOT_PLACED_COLUMNS = ("Request", "DCs", "DC names", "Title", "Reason")


def not_placed_rows(source: ExportSource) -> list[dict]:
    dataset = source.dataset
    rows = []
    for entry in source.unscheduled:
        request = dataset.request_by_id.get(entry.request_id)
        names = [dataset.coalition_by_id[d].name if d in dataset.coalition_by_id else d
                 for d in entry.dc_ids]
        rows.append({"Request": entry.request_id, "DCs": "; ".join(entry.dc_ids),
                     "DC names": "; ".join(names), "Title": request.title if request else "",
                     "Reason": labels.for_people(entry.reason)})
    return rows
