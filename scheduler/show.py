"""What one DC got: each slot with date, local and UTC time, room, co-organisers, and clashes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from .domain import Dataset
from .schedule import ScheduleRow, Unscheduled
from .timegrid import format_hhmm, overlap


def utc_span(dataset: Dataset, row: ScheduleRow) -> str:
    date = dataset.day_by_label[row.day].date
    midnight = dt.datetime.combine(date, dt.time(), tzinfo=ZoneInfo(dataset.event.timezone))
    start = (midnight + dt.timedelta(minutes=row.start)).astimezone(dt.timezone.utc)
    end = (midnight + dt.timedelta(minutes=row.end)).astimezone(dt.timezone.utc)
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M} UTC"


def elsewhere(dataset: Dataset, dc_id: str, row: ScheduleRow, rows: list[ScheduleRow]) -> list[str]:
    """Members and speakers of the DC who are in another session while this one runs."""
    dc = dataset.coalition_by_id[dc_id]
    ours = set(dc.members) | set(row.speakers)
    found = []
    for session in dataset.programme:
        if session.day == row.day and overlap(session.start, session.end, row.start, row.end):
            for person in sorted(ours & set(session.people)):
                found.append(f"{person} ({dataset.person_by_id[person].name}) is in "
                             f"{session.session_id} '{session.title}' {session.window}")
    for other in rows:
        if other.item_id in (row.item_id, row.block_id) or other.block_id == row.item_id:
            continue
        if other.day == row.day and overlap(other.start, other.end, row.start, row.end):
            for person in sorted(ours & set(other.speakers)):
                found.append(f"{person} ({dataset.person_by_id[person].name}) is in DC item "
                             f"{other.item_id} {other.window}")
    return found


def dc_view(dataset: Dataset, dc_id: str, rows: list[ScheduleRow],
            unscheduled: list[Unscheduled]) -> list[str]:
    dc = dataset.coalition_by_id[dc_id]
    lines = [f"{dc.dc_id} - {dc.name} ({dc.category} DC)"]
    mine = [r for r in rows if dc_id in r.dc_ids and r.kind != "block"]
    for row in mine:
        day = dataset.day_by_label[row.day]
        room = dataset.room_by_id.get(row.room)
        block = next((r for r in rows if r.item_id == row.block_id), None)
        lines.append("")
        lines.append(f"{row.kind} {row.item_id}: {row.title}")
        lines.append(f"  when:  {row.day}, {day.date:%a %d %b %Y}, {format_hhmm(row.start)}-"
                     f"{format_hhmm(row.end)} {dataset.event.timezone} ({utc_span(dataset, row)})")
        if block is not None:
            lines.append(f"  block: {block.item_id} {block.title}, {block.window} "
                         f"in {block.room}" + (f"; cluster {row.cluster}" if row.cluster else ""))
        if room is not None:
            lines.append(f"  room:  {room.room_id} - {room.name} (seats {room.capacity}; "
                         f"{', '.join(sorted(room.features)) or 'no special features'})")
        others = [d for d in row.dc_ids if d != dc_id]
        lines.append(f"  with:  {', '.join(others) if others else 'no co-organisers'}")
        lines.append(f"  speakers: {', '.join(row.speakers) or 'none listed'}")
        busy = elsewhere(dataset, dc_id, row, rows)
        lines.extend([f"  also busy then: {b}" for b in busy] or ["  also busy then: nobody"])
    for entry in unscheduled:
        if dc_id in entry.dc_ids:
            lines.append("")
            lines.append(f"not placed {entry.request_id}: {entry.reason}")
    if not mine and not any(dc_id in e.dc_ids for e in unscheduled):
        lines.append("")
        lines.append("no session request from this DC in this scenario")
    return lines
