"""iCalendar (`.ics`) as schedule platforms export a programme: one VEVENT per session with
SUMMARY, DTSTART and DTEND (or DURATION), LOCATION (the room), CATEGORIES (the themes),
DESCRIPTION, and speakers as ATTENDEEs where the platform names them (their CN). Read with the
`icalendar` library."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar

from ..errors import InputError
from ..load import read_text
from .frab import zone_named
from .published import Published, PublishedEvent

FORMAT = "iCalendar"


def read(path: Path) -> Published:
    text = read_text(path)
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise InputError(path, "is not iCalendar: line 1 is not BEGIN:VCALENDAR")
    try:
        calendar = Calendar.from_ical(text)
    except ValueError as exc:
        raise InputError(path, f"is not valid iCalendar: {exc}") from None
    lines = [n for n, line in enumerate(text.splitlines(), 1)
             if line.strip().upper() == "BEGIN:VEVENT"]
    calendar_zone = str(calendar.get("X-WR-TIMEZONE") or "").strip() or None
    if calendar_zone is not None:
        zone_named(calendar_zone, path, "X-WR-TIMEZONE")
    events, zones, unmapped = [], [], []
    for line, component in zip(lines, calendar.walk("VEVENT")):
        uid = str(component.get("UID") or "").strip()
        where = f"the VEVENT of line {line}" + (f" (UID {uid})" if uid else "")
        if str(component.get("STATUS") or "").upper() == "CANCELLED":
            # A published calendar keeps a withdrawn session so that subscribers drop it.
            unmapped.append(f"{where}: '{component.get('SUMMARY', '')}' is cancelled")
            continue
        start = moment(component, "DTSTART", calendar_zone, path, where)
        if start is None:
            unmapped.append(f"{where}: '{component.get('SUMMARY', '')}' has a date but no time "
                            "(an all-day entry)")
            continue
        end = moment(component, "DTEND", calendar_zone, path, where)
        if end is None and component.get("DURATION") is not None:
            end = start + component.decoded("DURATION")
        if end is None:
            unmapped.append(f"{where}: no DTEND or DURATION")
            continue
        key = getattr(component.get("DTSTART").dt.tzinfo, "key", None)
        if key and key != "UTC":   # times in UTC say nothing of the place's zone
            zones.append(key)
        events.append(PublishedEvent(
            key=uid.split("@")[0] or f"line-{line}",
            title=str(component.get("SUMMARY") or "").strip() or uid,
            start=start, end=end,
            room=str(component.get("LOCATION") or "").strip() or None,
            type="", themes=categories(component), people=attendees(component)))
    if not lines:
        raise InputError(path, "has no VEVENT: the calendar holds no programme")
    zone = calendar_zone or (zones[0] if zones and len(set(zones)) == 1 else None)
    return Published(source=path, format=FORMAT,
                     name=str(calendar.get("X-WR-CALNAME") or "").strip(), events=events,
                     timezone=zone, unmapped=unmapped,
                     assumed=["every event's type is 'session' (iCalendar has no type)"])


def moment(component, name: str, calendar_zone: str | None, path: Path,
           where: str) -> dt.datetime | None:
    """The property as an aware datetime; None for a date without a time."""
    if component.get(name) is None:
        return None
    value = component.decoded(name)
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:
        if calendar_zone is None:
            raise InputError(path, f"{where}: {name} {value.isoformat()} has no time zone (no "
                             "TZID, no Z, no X-WR-TIMEZONE): its time cannot be placed")
        value = value.replace(tzinfo=ZoneInfo(calendar_zone))
    return value


def categories(component) -> tuple[str, ...]:
    found = component.get("CATEGORIES")
    if found is None:
        return ()
    values = found if isinstance(found, list) else [found]
    return tuple(str(c).strip() for value in values for c in value.cats if str(c).strip())


def attendees(component) -> tuple[str, ...]:
    found = component.get("ATTENDEE")
    if found is None:
        return ()
    values = found if isinstance(found, list) else [found]
    return tuple(str(v.params.get("CN", "")).strip() for v in values
                 if str(v.params.get("CN", "")).strip())
