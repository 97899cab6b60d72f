"""The C3VOC / pretalx `schedule.json` (`schedule.conference.days[].rooms{room: [events]}`),
schema: https://c3voc.de/schedule/schema.json. The same fields as the frab XML."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..errors import InputError
from ..load import read_text
from .frab import aware, minutes, zone_named
from .published import Published, PublishedEvent

FORMAT = "schedule.json (C3VOC/pretalx)"


def read(path: Path) -> Published:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"is not JSON: {exc.msg} (line {exc.lineno}, column "
                         f"{exc.colno})") from None
    schedule = data.get("schedule") if isinstance(data, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict) or not isinstance(conference.get("days"), list):
        raise InputError(path, "has no schedule.conference.days: not a C3VOC/pretalx "
                         "schedule.json")
    zone_name = (conference.get("time_zone_name") or "").strip() or None
    zone = zone_named(zone_name, path, "time_zone_name")
    events, rooms = [], [room.get("name", "") for room in conference.get("rooms") or []
                         if isinstance(room, dict)]
    spans = []
    for d, day in enumerate(conference["days"]):
        day_rooms = day.get("rooms") if isinstance(day, dict) else None
        if isinstance(day, dict) and day.get("day_start") and day.get("day_end"):
            where = f"schedule.conference.days[{d}]"
            spans.append((aware(day["day_start"], zone, path, f"{where}.day_start"),
                          aware(day["day_end"], zone, path, f"{where}.day_end")))
        if not isinstance(day_rooms, dict):
            raise InputError(path, f"schedule.conference.days[{d}].rooms is not an object of "
                             "rooms")
        for room_name, room_events in day_rooms.items():
            rooms.append(room_name)
            for e, event in enumerate(room_events or []):
                where = f"schedule.conference.days[{d}].rooms['{room_name}'][{e}]"
                events.append(event_of(event, room_name, zone, path, where))
    slot = conference.get("timeslot_duration")
    count = conference.get("daysCount")
    return Published(
        source=path, format=FORMAT, name=str(conference.get("title") or "").strip(),
        events=events, timezone=zone_name,
        granularity=minutes(slot, path, "timeslot_duration") if slot else None,
        rooms=list(dict.fromkeys(r for r in rooms if r)),
        days=count if isinstance(count, int) else len(conference["days"]), day_spans=spans)


def event_of(event, room_name: str, zone, path: Path, where: str) -> PublishedEvent:
    if not isinstance(event, dict):
        raise InputError(path, f"{where} is not an event object")
    key = str(event.get("id") or event.get("guid") or "")
    start = aware(event.get("date"), zone, path, f"{where}.date")
    length = minutes(event.get("duration"), path, f"{where}.duration")
    people = tuple(str(p.get("public_name") or p.get("name") or "").strip()
                   for p in event.get("persons") or [] if isinstance(p, dict))
    track = str(event.get("track") or "").strip()
    return PublishedEvent(
        key=key, title=str(event.get("title") or "").strip() or key, start=start,
        end=start + dt.timedelta(minutes=length),
        room=room_name or str(event.get("room") or "").strip() or None,
        type=str(event.get("type") or "").strip(), themes=(track,) if track else (),
        people=tuple(p for p in people if p))
