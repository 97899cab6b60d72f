"""frab / pentabarf schedule XML (`<schedule><conference/><day><room><event>`), as frab, pretalx
and the C3VOC tools publish it (schema: https://c3voc.de/schedule/schema.xsd). Parsed with
defusedxml: a published file is not trusted not to expand entities without end."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse

from ..errors import InputError
from .published import Published, PublishedEvent

FORMAT = "frab schedule XML"


def read_xml(path: Path) -> Element:
    try:
        return parse(path).getroot()
    except ParseError as exc:
        line, column = exc.position
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise InputError(path, f"is not XML: {reason} (line {line}, column {column + 1})") \
            from None
    except DefusedXmlException as exc:
        raise InputError(path, f"is refused as unsafe XML: {exc}") from None


def minutes(text: str, path: Path, where: str) -> int:
    """'01:30' or '1:30:00' -> 90."""
    match = re.fullmatch(r"\s*(\d+):(\d{2})(?::\d{2})?\s*", text or "")
    if not match:
        raise InputError(path, f"{where}: '{text}' is not a duration of the form HH:MM")
    return int(match.group(1)) * 60 + int(match.group(2))


def aware(text: str, zone: ZoneInfo | None, path: Path, where: str) -> dt.datetime:
    if not (text or "").strip():
        raise InputError(path, f"{where} is missing: the event's date and time")
    try:
        moment = dt.datetime.fromisoformat((text or "").strip())
    except ValueError:
        raise InputError(path, f"{where}: '{text}' is not a date and time "
                         "(YYYY-MM-DDTHH:MM:SS+HH:MM)") from None
    if moment.tzinfo is None:
        if zone is None:
            raise InputError(path, f"{where}: '{text}' has no UTC offset and the file names no "
                             "time zone (<time_zone_name>): its times cannot be placed")
        moment = moment.replace(tzinfo=zone)
    return moment


def zone_named(name: str | None, path: Path, where: str = "<time_zone_name>") -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(path, f"{where}: '{name}' is not an IANA time zone") from None


def read(path: Path) -> Published:
    root = read_xml(path)
    if root.tag != "schedule":
        raise InputError(path, f"the root element is <{root.tag}>, not <schedule>: not a frab "
                         "schedule XML file")
    conference = root.find("conference")
    if conference is None:
        raise InputError(path, "<schedule> has no <conference> element: not a frab schedule")
    zone_name = (conference.findtext("time_zone_name") or "").strip() or None
    zone = zone_named(zone_name, path)
    slot = conference.findtext("timeslot_duration")
    days = root.findall("day")
    if not days:
        raise InputError(path, "<schedule> has no <day> element: the file holds no programme")
    events, rooms, spans = [], [], []
    for day in days:
        if day.get("start") and day.get("end"):
            where = f"<day index='{day.get('index', '')}'>"
            spans.append((aware(day.get("start"), zone, path, f"{where} start"),
                          aware(day.get("end"), zone, path, f"{where} end")))
        for room in day.findall("room"):
            room_name = (room.get("name") or "").strip()
            if room_name:
                rooms.append(room_name)
            for event in room.findall("event"):
                events.append(event_of(event, room_name, zone, path))
    count = (conference.findtext("days") or "").strip()
    return Published(
        source=path, format=FORMAT,
        name=(conference.findtext("title") or "").strip(),
        events=events, timezone=zone_name,
        granularity=minutes(slot, path, "<timeslot_duration>") if slot else None,
        rooms=list(dict.fromkeys(rooms)), days=int(count) if count.isdigit() else len(days),
        day_spans=spans)


def event_of(event: Element, room_name: str, zone: ZoneInfo | None, path: Path) -> PublishedEvent:
    key = event.get("id") or event.get("guid") or ""
    where = f"<event id='{key}'>"
    start = aware(event.findtext("date"), zone, path, f"{where} <date>")
    length = minutes(event.findtext("duration"), path, f"{where} <duration>")
    people = tuple((person.text or "").strip() for person in event.iter("person")
                   if (person.text or "").strip())
    track = (event.findtext("track") or "").strip()
    return PublishedEvent(
        key=key, title=(event.findtext("title") or "").strip() or key,
        start=start, end=start + dt.timedelta(minutes=length),
        # The <room> around the event names it; its own <room> may spell it otherwise.
        room=room_name or (event.findtext("room") or "").strip() or None,
        type=(event.findtext("type") or "").strip(), themes=(track,) if track else (),
        people=people)
