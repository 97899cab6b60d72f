"""A programme as conference tools publish it, and the dataset made from it (`igf-sched import`).

Each format's reader (`frab`, `schedule_json`, `ical`) turns its file into a `Published`: events
with aware start and end times, a room name, a type, tracks or categories and people by name.
`to_dataset` makes the data contract's files from it and a `Report` of what was read, what was
assumed and what could not be mapped. Nothing is invented silently: whatever a published
programme does not say (room capacities and features, a person's stakeholder group) is either
left blank where the contract allows it or given a stated value, marked in the file and reported.

What the data contract cannot hold and how it is mapped:
- a day of the contract runs from its opening to at most 23:59 on one date: the days are the
  event's calendar dates, an event after midnight is on the next date, one running past midnight
  is cut in two there (the part before ending at 23:59), and one ending at midnight ends at 23:59;
- a room holds one session at a time: where the published programme runs events at once in one
  room, the ones that do not fit go to lanes of that room ('Ada #2') of capacity 0, so that they
  keep their people busy but no DC item is placed there;
- times are in one IANA zone: the file's, `--timezone`, or, for a file naming none whose times
  all have one UTC offset, the fixed-offset zone of it (Etc/GMT-1 for +01:00).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..domain import FEATURES, Dataset
from ..errors import InputError
from ..load import read_text
from ..timegrid import format_hhmm
from .writer import COLUMNS, csv_text, event_toml

ROOM_COLUMNS = COLUMNS["rooms"] + ("assumed",)

REPORT_FILE = "import-report.md"
DEFAULT_CAPACITY = 100
GRIDS = (30, 15, 10, 5)   # the coarsest that every start lies on is the event's grid
BREAK = 60                # minutes with nothing running, within a day, that make a break
LAST_MINUTE = 23 * 60 + 59


@dataclass(frozen=True)
class PublishedEvent:
    key: str                     # the id as published (frab id, guid, iCalendar UID)
    title: str
    start: dt.datetime           # aware
    end: dt.datetime             # aware
    room: str | None             # the room's name as published; None: no room (online)
    type: str = ""
    themes: tuple[str, ...] = ()
    people: tuple[str, ...] = ()  # names


@dataclass
class Published:
    """What a reader found in one file."""

    source: Path
    format: str                   # 'frab schedule XML', ...
    name: str
    events: list[PublishedEvent]
    timezone: str | None = None   # the IANA zone the file names, if any
    granularity: int | None = None  # minutes, if the file names a time slot
    rooms: list[str] = field(default_factory=list)  # rooms the file lists, events or not
    days: int | None = None       # the days the file says the event has
    # Each day's hours as the file gives them (frab <day start end>), aware; may pass midnight.
    day_spans: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


@dataclass
class Report:
    source: Path
    format: str
    read: list[str] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)

    def text(self) -> str:
        lines = [f"# Imported from {self.source.name} ({self.format})", ""]
        for title, entries in (("Read", self.read), ("Assumed", self.assumed),
                               ("Could not be mapped", self.unmapped),
                               ("Warnings", self.warnings)):
            lines += [f"## {title}", ""]
            lines += [f"- {entry}" for entry in entries] or ["- nothing"]
            lines.append("")
        return "\n".join(lines)


@dataclass
class Part:
    """One session of the dataset: a published event, or its part on one date."""

    event: PublishedEvent
    session_id: str
    date: dt.date
    start: int
    end: int
    room_id: str | None
    suffix: str = ""


def timezone_of(published: Published, override: str | None, report: Report) -> str:
    """The event's IANA zone: `--timezone`, the file's, or one inferred from a single UTC
    offset; several offsets and no zone is bad input."""
    if override:
        try:
            ZoneInfo(override)
        except (ZoneInfoNotFoundError, ValueError):
            raise InputError("--timezone", f"'{override}' is not an IANA time zone "
                             "(e.g. Europe/Berlin)") from None
        report.assumed.append(f"time zone {override} (--timezone)")
        return override
    if published.timezone:
        report.read.append(f"time zone {published.timezone}")
        return published.timezone
    offsets = sorted({event.start.utcoffset() for event in published.events}
                     | {event.end.utcoffset() for event in published.events})
    if len(offsets) != 1 or offsets[0].total_seconds() % 3600:
        shown = ", ".join(format_offset(o) for o in offsets)
        raise InputError(published.source, f"the file names no time zone and its times have "
                         f"the UTC offsets {shown}: pass --timezone (e.g. Europe/Berlin)")
    hours = int(offsets[0].total_seconds() // 3600)
    # POSIX-style names: Etc/GMT-1 is one hour *ahead* of UTC.
    zone = "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"
    report.assumed.append(f"time zone {zone}: the file names none and every time is at UTC"
                          f"{format_offset(offsets[0])} (pass --timezone to name the place's "
                          "zone, e.g. Europe/Berlin)")
    return zone


def format_offset(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def slug(text: str, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")[:40] or fallback


def unique_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 2
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    taken.add(candidate)
    return candidate


def person_id(name: str) -> str:
    """A stable id from the name alone: the same person gets the same id in every import."""
    digest = hashlib.sha1(unicodedata.normalize("NFC", name).encode("utf-8")).hexdigest()
    return f"P-{digest[:8]}"


def lanes(events: list[PublishedEvent]) -> dict[int, int]:
    """Per event (by index), its lane in its room: 1 where it fits, 2, 3, ... for events the
    published programme runs at the same time in the same room (first fit by start)."""
    lane_of: dict[int, int] = {}
    by_room: dict[str, list[int]] = defaultdict(list)
    for index, event in enumerate(events):
        if event.room is not None:
            by_room[event.room].append(index)
    for indices in by_room.values():
        ends: list[dt.datetime] = []
        for index in sorted(indices, key=lambda i: (events[i].start, events[i].end, i)):
            event = events[index]
            lane = next((n for n, end in enumerate(ends) if end <= event.start), len(ends))
            if lane == len(ends):
                ends.append(event.end)
            else:
                ends[lane] = event.end
            lane_of[index] = lane + 1
    return lane_of


def split_at_midnight(event: PublishedEvent, zone: ZoneInfo) -> list[tuple[dt.date, int, int]]:
    """(date, start, end) in minutes of local time, one per date the event runs on; a part that
    ends at midnight ends at 23:59."""
    start, end = event.start.astimezone(zone), event.end.astimezone(zone)
    parts = []
    day = start.date()
    while True:
        begin = start.hour * 60 + start.minute if day == start.date() else 0
        if end.date() == day:
            parts.append((day, begin, end.hour * 60 + end.minute))
            break
        parts.append((day, begin, LAST_MINUTE))
        day += dt.timedelta(days=1)
        if end.date() == day and end.hour == end.minute == 0:
            break
    return [(d, a, b) for d, a, b in parts if b > a]


def grid_of(published: Published, parts: list[Part], report: Report) -> int:
    if published.granularity and 1 <= published.granularity <= 60:
        report.read.append(f"a {published.granularity}-minute grid (the file's time slot)")
        return published.granularity
    starts = [part.start for part in parts]
    grid = next((g for g in GRIDS if all(s % g == 0 for s in starts)), GRIDS[-1])
    off = sum(1 for s in starts if s % grid)
    report.assumed.append(f"a {grid}-minute grid: the coarsest every start lies on"
                          + (f" but {off} (they keep their times)" if off else ""))
    return grid


def day_hours(date: dt.date, parts: list[Part], spans: list[tuple[dt.datetime, dt.datetime]],
              zone: ZoneInfo, grid: int) -> tuple[int, int, list[tuple[int, int]]]:
    """Opening and closing: the earliest start and latest end on the date of its events and of
    the file's day hours (on the grid, closing at most 23:59); breaks: where the file gives day
    hours, every stretch of BREAK minutes or more between them with no event (the night of a
    day that runs past midnight). Gaps between events alone are not breaks: a sparse programme
    leaves free time that DC sessions may take."""
    windows = [(p.start, p.end) for p in parts]
    given = []
    midnight = dt.datetime.combine(date, dt.time(), tzinfo=zone)
    for start, end in spans:
        a = (start.astimezone(zone) - midnight).total_seconds() // 60
        b = (end.astimezone(zone) - midnight).total_seconds() // 60
        if b > 0 and a < LAST_MINUTE:
            given.append((int(max(a, 0)), int(min(b, LAST_MINUTE))))
    windows += given
    opens = min(a for a, _ in windows) // grid * grid
    closes = min(LAST_MINUTE, math.ceil(max(b for _, b in windows) / grid) * grid)
    breaks = []
    if given:
        busy_until = opens
        for start, end in sorted(windows):
            gap_start, gap_end = math.ceil(busy_until / grid) * grid, start // grid * grid
            if gap_end - gap_start >= BREAK:
                breaks.append((gap_start, gap_end))
            busy_until = max(busy_until, end)
    return opens, closes, breaks


def overlapping_people(events: list[PublishedEvent]) -> dict[str, list[tuple[str, str]]]:
    """Each person in two events that overlap as published, with the pairs (titles)."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_person: dict[str, list[PublishedEvent]] = defaultdict(list)
    for event in events:
        for name in dict.fromkeys(event.people):
            by_person[name].append(event)
    for name, mine in by_person.items():
        mine = sorted(mine, key=lambda e: e.start)
        for i, a in enumerate(mine):
            for b in mine[i + 1:]:
                if b.start >= a.end:
                    break
                found[name].append((a.title, b.title))
    return dict(sorted(found.items()))


@dataclass
class Rooms:
    """The rooms of the published programme: ids made from their names, and the lanes of the
    rooms where events run at once (`lanes`)."""

    names: list[str]
    ids: dict[str, str]
    lane_of: dict[int, int]                      # event index -> lane (1: the room itself)
    lane_ids: dict[tuple[str, int], str]         # (room name, lane > 1) -> room id

    @classmethod
    def of(cls, published: Published, events: list[PublishedEvent]) -> "Rooms":
        names = list(dict.fromkeys([*published.rooms, *(e.room for e in events if e.room)]))
        taken: set[str] = set()
        ids = {name: unique_id(slug(name, "ROOM"), taken) for name in names}
        lane_of = lanes(events)
        lane_ids: dict[tuple[str, int], str] = {}
        for index, lane in sorted(lane_of.items(), key=lambda pair: pair[1]):
            name = events[index].room
            if lane > 1 and (name, lane) not in lane_ids:
                lane_ids[(name, lane)] = unique_id(f"{ids[name]}-{lane}", taken)
        return cls(names, ids, lane_of, lane_ids)

    def id_of(self, index: int, event: PublishedEvent) -> str | None:
        lane = self.lane_of.get(index, 1)
        if event.room is None:
            return None
        return self.ids[event.room] if lane == 1 else self.lane_ids[(event.room, lane)]

    def rows(self, capacity: int, features: tuple[str, ...]) -> list[dict]:
        rows = [room_row(self.ids[name], name, capacity, features) for name in self.names]
        for (name, lane), room_id in self.lane_ids.items():
            row = room_row(room_id, f"{name} #{lane}", 0, features)
            row["assumed"] = (f"a lane of {name}: the published programme runs {lane} events "
                              "at once there; capacity 0 so that no DC item is placed in it")
            rows.append(row)
        return rows


def mappable(published: Published, report: Report) -> list[PublishedEvent]:
    """The events a session can be made of (a session lasts at least a minute); the file must
    name some room."""
    events = []
    for event in published.events:
        if event.end <= event.start:
            report.unmapped.append(f"'{event.title}' ({event.key}): it ends when it starts "
                                   "(a programme session lasts at least a minute)")
        else:
            events.append(event)
    if not any(event.room for event in events):
        raise InputError(published.source, "no rooms: no event names a room (a programme to "
                         "place DC sessions around needs its rooms)")
    return events


def sessions_of(events: list[PublishedEvent], rooms: Rooms, zone: ZoneInfo) -> list[Part]:
    """One session per event and date it runs on, its id the event's (made unique)."""
    parts: list[Part] = []
    session_ids: set[str] = set()
    for index, event in enumerate(events):
        pieces = split_at_midnight(event, zone)
        base = unique_id(slug(event.key, "S"), session_ids)
        for n, (date, start, end) in enumerate(pieces):
            session_id = base if n == 0 else unique_id(f"{base}-{n + 1}", session_ids)
            suffix = "" if len(pieces) == 1 else f" (part {n + 1} of {len(pieces)})"
            parts.append(Part(event, session_id, date, start, end, rooms.id_of(index, event),
                              suffix))
    return parts


def event_days(parts: list[Part], published: Published, zone: ZoneInfo,
               grid: int) -> list[dict]:
    """The days of event.toml: one per calendar date with a session, 'Day 1' the first."""
    days = []
    for n, date in enumerate(sorted({part.date for part in parts}), 1):
        opens, closes, breaks = day_hours(date, [p for p in parts if p.date == date],
                                          published.day_spans, zone, grid)
        days.append({"label": f"Day {n}", "date": date.isoformat(),
                     "open": format_hhmm(opens), "close": format_hhmm(closes),
                     "breaks": [f"{format_hhmm(a)}-{format_hhmm(b)}" for a, b in breaks]})
    return days


def people_ids(events: list[PublishedEvent], source: Path) -> dict[str, str]:
    ids = {name: person_id(name) for name in sorted({n for e in events for n in e.people})}
    if len(set(ids.values())) != len(ids):   # two names with one digest prefix
        raise InputError(source, "two people's names give the same id; rename one")
    return ids


def programme_rows(parts: list[Part], days: list[dict], ids: dict[str, str]) -> list[dict]:
    label_of = {day["date"]: day["label"] for day in days}
    return [{"session_id": p.session_id, "type": p.event.type.strip() or "session",
             "title": p.event.title + p.suffix, "day": label_of[p.date.isoformat()],
             "start": format_hhmm(p.start), "end": format_hhmm(p.end), "room": p.room_id or "",
             "themes": ";".join(t.replace(";", ",") for t in p.event.themes if t.strip()),
             "people": ";".join(dict.fromkeys(ids[n] for n in p.event.people)),
             "exclusive": "no"} for p in parts]


def to_dataset(published: Published, *, timezone: str | None = None,
               capacity: int = DEFAULT_CAPACITY, features: tuple[str, ...] = (),
               into: Dataset | None = None) -> tuple[dict[str, str], Report]:
    """The dataset's files (name -> text) and the report; with `into`, the programme joins
    that dataset (`merged_files`)."""
    report = Report(published.source, published.format, assumed=list(published.assumed),
                    unmapped=list(published.unmapped))
    events = mappable(published, report)
    if into is not None:
        zone_name = into.event.timezone
        report.read.append(f"time zone {zone_name} (of {into.folder})")
    else:
        zone_name = timezone_of(published, timezone, report)
    zone = ZoneInfo(zone_name)
    rooms = Rooms.of(published, events)
    parts = sessions_of(events, rooms, zone)
    grid = into.event.granularity if into is not None else grid_of(published, parts, report)
    days = event_days(parts, published, zone, grid)
    ids = people_ids(events, published.source)
    room_rows = rooms.rows(capacity, features)
    programme = programme_rows(parts, days, ids)
    people = [{"person_id": person, "name": name, "stakeholder_group": "", "region": "",
               "gender": "", "onsite": "yes", "timezone": ""} for name, person in ids.items()]
    if into is not None:
        files = merged_files(published.source, into, days, room_rows, programme, people, report)
    else:
        files = {
            "event.toml": event_toml({"name": published.name or published.source.stem,
                                      "timezone": zone_name, "granularity": grid,
                                      "days": days}),
            "rooms.csv": csv_text(ROOM_COLUMNS, room_rows),
            "programme.csv": csv_text(COLUMNS["programme"], programme),
            "people.csv": csv_text(COLUMNS["people"], people),
            "coalitions.csv": csv_text(COLUMNS["coalitions"], []),
            "requests.csv": csv_text(COLUMNS["requests"], []),
        }
    describe(report, published, events, rooms, zone, grid, days, ids, capacity, features,
             merged=into is not None)
    report.figures["sessions"] = len(programme)
    files[REPORT_FILE] = report.text()
    return files, report


def describe(report: Report, published: Published, events: list[PublishedEvent], rooms: Rooms,
             zone: ZoneInfo, grid: int, days: list[dict], ids: dict[str, str], capacity: int,
             features: tuple[str, ...], merged: bool = False) -> None:
    """What the report says beyond what each step noted: the figures, the assumptions every
    import makes, how midnight and shared rooms were mapped, who is in two events at once."""
    named = {name for event in published.events for name in event.people}
    count = published.days or len(days)
    report.read += [
        f"{len(published.events)} events, {len(rooms.names)} rooms, {len(named)} people by "
        f"name, {count} days ({days[0]['date']} to {days[-1]['date']})",
        "themes from the events' categories" if "iCalendar" in published.format
        else "types from the events' type, themes from their track",
    ]
    report.assumed += [] if merged else [
        (f"each day's hours: the file's day hours and its events, on the {grid}-minute grid; "
         f"a stretch of {BREAK} minutes or more outside the file's day hours with no event is a "
         f"break ({sum(len(d['breaks']) for d in days)} breaks)") if published.day_spans else
        (f"each day's hours: its first start to its last end on the {grid}-minute grid (the "
         "file gives no day hours); no breaks"),
        "no exclusive sessions; no coalitions or requests (coalitions.csv, requests.csv: "
        "headers only; `igf-sched generate --programme` adds invented ones)",
    ]
    added = "added " if merged else ""
    report.assumed += [
        f"room capacities and features are not published: every {added}room seats {capacity} "
        f"(--room-capacity) and has {', '.join(features) or 'no feature'} (--room-features); "
        "rooms.csv column 'assumed' marks them",
        f"{added}people: stakeholder group, region, gender and time zone blank; all on site; "
        "ids from their names (the same in every import)",
    ]
    if len(days) != count:
        report.assumed.append(f"the dataset's days are the event's {len(days)} calendar dates "
                              "('Day 1' is the first): a day of the data contract ends by 23:59")
    pieces = [len(split_at_midnight(event, zone)) for event in events]
    crossing = sum(1 for n in pieces if n > 1)
    at_midnight = sum(1 for n, event in zip(pieces, events)
                      if n == 1 and event.end.astimezone(zone).time() == dt.time())
    if crossing:
        report.assumed.append(f"{crossing} events run past midnight: each is cut there into "
                              "parts on consecutive days ('(part 1 of 2)'), the first ending at "
                              "23:59")
    if at_midnight:
        report.assumed.append(f"{at_midnight} events end at midnight: they end at 23:59")
    if rooms.lane_ids:
        moved = sum(1 for lane in rooms.lane_of.values() if lane > 1)
        report.assumed.append(f"{moved} events run at the same time as another in the same "
                              f"room as published: they are in {len(rooms.lane_ids)} lanes of "
                              "their rooms ('NAME #2'), capacity 0")
    clashes = overlapping_people(events)
    for name, pairs in clashes.items():
        first = pairs[0]
        more = f" and {len(pairs) - 1} more" if len(pairs) > 1 else ""
        report.warnings.append(f"{name} ({ids[name]}) is in '{first[0]}' and '{first[1]}' at "
                               f"the same time as published{more}")
    report.figures = {"events": len(published.events), "rooms": len(rooms.names),
                      "lanes": len(rooms.lane_ids), "days": count, "dates": len(days),
                      "people": len(named), "people_in_dataset": len(ids),
                      "people_in_overlapping_events": len(clashes),
                      "unmapped": len(report.unmapped)}


def merged_files(source: Path, into: Dataset, days: list[dict], rooms: list[dict],
                 programme: list[dict], people: list[dict], report: Report) -> dict[str, str]:
    """The imported programme in place of `into`'s, in its days, rooms and people: its
    event.toml, coalitions.csv and requests.csv are kept as they are; a room or a person of the
    file with the name of one of `into`'s is that one (its capacity, features, group... kept);
    the others are added. A date `into` has no day for is bad input."""
    folder = Path(into.folder)
    label_of_date = {day.date.isoformat(): day.label for day in into.event.days}
    for day in days:
        if day["date"] not in label_of_date:
            raise InputError(source, f"has events on {day['date']}, a date "
                             f"{folder / 'event.toml'} has no day for (its days: "
                             f"{', '.join(label_of_date)})")
    relabel = {day["label"]: label_of_date[day["date"]] for day in days}
    by_name = {unicodedata.normalize("NFC", r.name).casefold(): r for r in into.rooms}
    taken = set(into.room_by_id)
    room_map, new_rooms = {}, []
    for row in rooms:
        match = by_name.get(unicodedata.normalize("NFC", row["name"]).casefold())
        if match is not None:
            room_map[row["room_id"]] = match.room_id
        else:
            room_map[row["room_id"]] = unique_id(row["room_id"], taken)
            new_rooms.append({**row, "room_id": room_map[row["room_id"]]})
    known = {unicodedata.normalize("NFC", p.name).casefold(): p.person_id for p in into.people}
    person_map, new_people = {}, []
    ids = set(into.person_by_id)
    for row in people:
        match = known.get(unicodedata.normalize("NFC", row["name"]).casefold())
        person_map[row["person_id"]] = match or unique_id(row["person_id"], ids)
        if match is None:
            new_people.append({**row, "person_id": person_map[row["person_id"]]})
    for row in programme:
        row["day"] = relabel[row["day"]]
        row["room"] = room_map.get(row["room"], "")
        row["people"] = ";".join(person_map[p] for p in row["people"].split(";") if p)
    kept_rooms = [{**{c: record_cell(r, c) for c in COLUMNS["rooms"]}, "assumed": ""}
                  for r in into.rooms]
    kept_people = [{c: record_cell(p, c) for c in COLUMNS["people"]} for p in into.people]
    report.read.append(
        f"merged into {folder}: its event (days, hours, grid), {len(into.coalitions)} coalitions "
        f"and {len(into.requests)} requests kept as they are; its programme "
        f"({len(into.programme)} sessions) replaced by the file's; {len(rooms) - len(new_rooms)}"
        f" of the file's {len(rooms)} rooms and {len(people) - len(new_people)} of its "
        f"{len(people)} people are {folder.name}'s by name (theirs kept), {len(new_rooms)} rooms"
        f" and {len(new_people)} people added (the assumptions below are about those)")
    return {"event.toml": read_text(folder / "event.toml"),
            "rooms.csv": csv_text(ROOM_COLUMNS, kept_rooms + new_rooms),
            "programme.csv": csv_text(COLUMNS["programme"], programme),
            "people.csv": csv_text(COLUMNS["people"], kept_people + new_people),
            "coalitions.csv": read_text(folder / "coalitions.csv"),
            "requests.csv": read_text(folder / "requests.csv")}


def record_cell(record, column: str) -> str:
    """A loaded record's field as the data contract writes it."""
    value = getattr(record, column)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ";".join(value)
    return "" if value is None else str(value)


def room_row(room_id: str, name: str, capacity: int, features: tuple[str, ...]) -> dict:
    return {"room_id": room_id, "name": name, "capacity": capacity,
            **{feature: "yes" if feature in features else "no" for feature in FEATURES},
            "days": "", "assumed": ";".join(("capacity", *FEATURES))}
