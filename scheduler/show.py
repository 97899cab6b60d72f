"""What one DC got: each slot with date, local and UTC time, room, co-organisers, and clashes;
people and DCs by name, their id in parentheses."""

from __future__ import annotations

import datetime as dt

from . import labels
from .domain import Dataset
from .scenario import Block
from .schedule import ScheduleRow, Unscheduled
from .timegrid import event_moment, format_hhmm, overlap


def utc_span(dataset: Dataset, row: ScheduleRow) -> str:
    date = dataset.day_by_label[row.day].date
    start, end = (event_moment(dataset.event.timezone, date, minutes).astimezone(dt.timezone.utc)
                  for minutes in (row.start, row.end))
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M} UTC"


def person(dataset: Dataset, person_id: str) -> str:
    """'Ana Lima (P12)'; the bare id of someone the dataset does not know."""
    known = dataset.person_by_id.get(person_id)
    return f"{known.name} ({person_id})" if known is not None else person_id


def coalition(dataset: Dataset, dc_id: str) -> str:
    """'Dynamic Coalition on Data and Trust (DC-DT)'; the bare id of an unknown DC."""
    known = dataset.coalition_by_id.get(dc_id)
    return f"{known.name} ({dc_id})" if known is not None else dc_id


def elsewhere(dataset: Dataset, dc_id: str, row: ScheduleRow, rows: list[ScheduleRow]) -> list[str]:
    """Members and speakers of the DC who are in another session while this one runs."""
    dc = dataset.coalition_by_id[dc_id]
    ours = set(dc.members) | set(row.speakers)
    found = []
    for session in dataset.programme:
        if session.day == row.day and overlap(session.start, session.end, row.start, row.end):
            for someone in sorted(ours & set(session.people)):
                found.append(f"{person(dataset, someone)} is in "
                             f"{session.session_id} '{session.title}' {session.window}")
    for other in rows:
        if other.item_id in (row.item_id, row.block_id) or other.block_id == row.item_id:
            continue
        if other.day == row.day and overlap(other.start, other.end, row.start, row.end):
            for someone in sorted(ours & set(other.speakers)):
                found.append(f"{person(dataset, someone)} is in DC item {other.item_id} "
                             f"{other.window}")
    return found


def plenary_lines(dataset: Dataset, rows: list[ScheduleRow]) -> list[str]:
    """A DC Day's opening and closing plenaries: they belong to no DC, so every DC sees them."""
    lines = []
    for plenary in sorted((r for r in rows if r.kind == "plenary"), key=lambda r: r.start):
        day = dataset.day_by_label[plenary.day]
        room = dataset.room_by_id.get(plenary.room)
        lines.append("")
        lines.append(f"plenary {plenary.item_id}: {plenary.title} (for every DC)")
        lines.append(f"  when:  {plenary.day}, {day.date:%a %d %b %Y}, "
                     f"{format_hhmm(plenary.start)}-{format_hhmm(plenary.end)} "
                     f"{dataset.event.timezone} ({utc_span(dataset, plenary)})")
        if room is not None:
            lines.append(f"  room:  {room.room_id} - {room.name} (seats {room.capacity})")
    return lines


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def place_in_block(dataset: Dataset, segment: ScheduleRow, block: ScheduleRow,
                   rows: list[ScheduleRow], stay: str) -> list[str]:
    """A segment's place in its block: the block's times and room, the segment's position, its
    thematic cluster and the cluster's place among the block's clusters."""
    segments = sorted((r for r in rows if r.kind == "segment" and r.block_id == block.item_id),
                      key=lambda r: r.start)
    clusters = list(dict.fromkeys(r.cluster for r in segments))
    cluster = [r for r in segments if r.cluster == segment.cluster]
    position = next(i for i, r in enumerate(segments, 1) if r.item_id == segment.item_id)
    lines = [f"  block: {block.item_id}, {block.day} {format_hhmm(block.start)}-"
             f"{format_hhmm(block.end)} in {block.room} ({utc_span(dataset, block)}): "
             f"{block.title}",
             f"  place: segment {position} of {len(segments)}, "
             f"{segment.end - segment.start} min"]
    if segment.cluster:
        within = next(i for i, r in enumerate(cluster, 1) if r.item_id == segment.item_id)
        lines.append(f"  cluster: {dataset.theme_name(segment.cluster)} ({ordinal(clusters.index(segment.cluster) + 1)}"
                     f" of {len(clusters)} clusters; {ordinal(within)} of {len(cluster)} in it: "
                     f"{', '.join(r.item_id for r in cluster)})")
    lines.append(f"  stay:  {stay}")
    return lines


def dc_view(dataset: Dataset, dc_id: str, rows: list[ScheduleRow],
            unscheduled: list[Unscheduled], changes=(), stay: str = Block().stay) -> list[str]:
    dc = dataset.coalition_by_id[dc_id]
    lines = [f"{dc.dc_id} - {dc.name} ({labels.category(dc.category)})"]
    lines.extend(plenary_lines(dataset, rows))
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
            lines.extend(place_in_block(dataset, row, block, rows, stay))
        if room is not None:
            lines.append(f"  room:  {room.room_id} - {room.name} (seats {room.capacity}; "
                         f"{', '.join(sorted(room.features)) or 'no special features'})")
        others = [d for d in row.dc_ids if d != dc_id]
        with_ = ", ".join(coalition(dataset, d) for d in others) or "no co-organisers"
        lines.append(f"  with:  {with_}")
        speakers = ", ".join(person(dataset, p) for p in row.speakers) or "none listed"
        lines.append(f"  speakers: {speakers}")
        busy = elsewhere(dataset, dc_id, row, rows)
        lines.extend([f"  also busy then: {b}" for b in busy] or ["  also busy then: nobody"])
    for entry in unscheduled:
        if dc_id in entry.dc_ids:
            lines.append("")
            lines.append(f"not placed {entry.request_id}: {entry.reason}")
            if entry.cheapest_change:
                lines.append(f"  would be placed with: {entry.cheapest_change}")
    if not mine and not any(dc_id in e.dc_ids for e in unscheduled):
        lines.append("")
        lines.append("no session request from this DC in this scenario")
    lines.extend(change_lines(dc_id, changes))
    return lines


def change_lines(dc_id: str, changes) -> list[str]:
    """What a re-solve against a baseline did to the DC's requests (changes.csv)."""
    mine = [c for c in changes if dc_id in c.dc_ids]
    if not mine:
        return []
    lines = ["", "changed since the baseline:"]
    for c in mine:
        if c.change == "kept":
            lines.append(f"  {c.request_id}: kept ({c.before})")
        elif c.change == "moved":
            lines.append(f"  {c.request_id}: moved from {c.before} to {c.after}: {c.reason}")
        elif c.change == "added":
            lines.append(f"  {c.request_id}: added at {c.after}")
        else:
            lines.append(f"  {c.request_id}: dropped (was {c.before}): {c.reason}")
    return lines
