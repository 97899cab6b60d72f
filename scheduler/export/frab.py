"""frab schedule XML (`schedule.xml`), the format conference apps and video pipelines read
(Giggity, EventFahrplan, the C3VOC tools); schema: https://c3voc.de/schedule/schema.xsd.

One `<day>` per day of the event, in it one `<room>` per room used that day, in it one `<event>`
per DC item: every row of schedule.csv is an event, a block and each of its segments too (a
segment's subtitle and description name its block). Ids are stable: `id` is the item's place in
the export order (in a published version: the id it got when first published, kept by every
later version), `guid` a UUID made from the event and the item id; with a base URL (where the
site is online), `url` is the item's page on the site.

`event_record` is shared with the schedule JSON (`json_schedule`), which carries the same fields.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from ..slugs import slug as text_slug
from .items import Item, acronym, dc_items, local_time, stable_uuid
from .site import item_pages
from .source import ExportSource

FILE = "schedule.xml"
GENERATOR = "igf-sched"
ONLINE = "Online"


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def room_name(item: Item) -> str:
    return item.room_name or item.row.room or ONLINE


def slug(source: ExportSource, item: Item) -> str:
    """A file-name-safe id that stays the same when the item moves: 'igf_2023_kyoto-dc-r-dc3'."""
    tail = text_slug(item.item_id) or str(item.number)
    return f"{acronym(source.dataset)}-dc-{tail}"


def version(source: ExportSource) -> str:
    """Which version this is: a publication's number and moment, else the scenario and the
    solver's status."""
    if source.release is not None:
        return source.release.version
    status = source.metrics.get("status", "") if isinstance(source.metrics, dict) else ""
    return f"{source.scenario.name} ({status})" if status else source.scenario.name


def person_numbers(source: ExportSource) -> dict[str, int]:
    """frab's person ids are integers: a person's place in people.csv."""
    return {p.person_id: n for n, p in enumerate(source.dataset.people, 1)}


def event_record(source: ExportSource, item: Item) -> dict:
    """The fields of one event as frab and pretalx publish them."""
    row = item.row
    return {
        "id": item.number,
        "guid": stable_uuid(source.dataset, "item", row.item_id),
        "date": item.start.isoformat(),
        "start": item.start.strftime("%H:%M"),
        "duration": hhmm(item.minutes),
        "room": room_name(item),
        "slug": slug(source, item),
        "title": item.title,
        "subtitle": f"Segment of {row.block_id}" if row.block_id else "",
        "track": item.track,
        "type": item.kind_name,
        "abstract": "; ".join(item.dc_names),
        "description": item.description,
        "persons": [{"person_id": p, "name": source.dataset.person_by_id[p].name,
                     "guid": stable_uuid(source.dataset, "person", p)} for p in row.speakers],
    }


def days_of(source: ExportSource, items: list[Item]) -> list[dict]:
    """Every day of the event with its hours and, room by room, its events in time order."""
    dataset = source.dataset
    days = []
    for index, day in enumerate(dataset.event.days, 1):
        mine = [item for item in items if item.row.day == day.label]
        opens = min([day.open] + [item.row.start for item in mine])
        closes = max([day.close] + [item.row.end for item in mine])
        rooms: dict[str, list[Item]] = {}
        for item in sorted(mine, key=lambda i: (i.row.room, i.row.start, i.number)):
            rooms.setdefault(room_name(item), []).append(item)
        days.append({"index": index, "date": day.date.isoformat(),
                     "start": local_time(dataset, day.label, opens).isoformat(),
                     "end": local_time(dataset, day.label, closes).isoformat(),
                     "rooms": rooms})
    return days


def tracks(items: list[Item]) -> list[str]:
    return sorted({item.track for item in items if item.track})


def _add(parent: ElementTree.Element, tag: str, text: str | None = None,
         **attributes: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def schedule_xml(source: ExportSource) -> bytes:
    dataset = source.dataset
    items = dc_items(source)
    numbers = person_numbers(source)
    pages = item_pages(source)
    root = ElementTree.Element("schedule")
    _add(root, "generator", name=GENERATOR)
    _add(root, "version", version(source))
    conference = _add(root, "conference")
    _add(conference, "title", dataset.event.name)
    _add(conference, "acronym", acronym(dataset))
    _add(conference, "start", dataset.event.days[0].date.isoformat())
    _add(conference, "end", dataset.event.days[-1].date.isoformat())
    _add(conference, "days", str(len(dataset.event.days)))
    _add(conference, "timeslot_duration", hhmm(dataset.event.granularity))
    _add(conference, "time_zone_name", dataset.event.timezone)
    for track in tracks(items):
        _add(conference, "track", name=track)
    for day in days_of(source, items):
        day_element = _add(root, "day", index=str(day["index"]), date=day["date"],
                           start=day["start"], end=day["end"])
        for name, room_items in day["rooms"].items():
            room_element = _add(day_element, "room", name=name)
            for item in room_items:
                record = event_record(source, item)
                event = _add(room_element, "event", id=str(record["id"]), guid=record["guid"])
                for tag in ("room", "title", "subtitle", "type", "date", "start", "duration",
                            "abstract", "slug", "track"):
                    _add(event, tag, record[tag])
                persons = _add(event, "persons")
                for person in record["persons"]:
                    _add(persons, "person", person["name"], id=str(numbers[person["person_id"]]),
                         guid=person["guid"])
                _add(event, "description", record["description"])
                if source.base_url:
                    _add(event, "url", source.base_url + pages[item.item_id])
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render(source: ExportSource) -> dict[str, bytes]:
    return {FILE: schedule_xml(source)}
