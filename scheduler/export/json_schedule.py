"""The schedule as JSON in the shape pretalx and frab publish (`schedule.json`:
`schedule.conference.days[].rooms{room: [events]}`), which conference apps read; schema:
https://c3voc.de/schedule/schema.json. The same days, rooms and events as the frab XML
(`frab.event_record`), so both files agree item by item, and only frab's keys, so that the
C3VOC schedule tools convert it to frab XML that passes their schema (`tests/test_c3voc.py`).
An event's `url` is its page on the site, under the base URL the site is published at
(`--base-url`).
"""

from __future__ import annotations

import json

from .frab import GENERATOR, days_of, event_record, hhmm, tracks, version
from .items import acronym, dc_items, stable_uuid
from .site import item_pages
from .source import ExportSource

FILE = "schedule.json"
SCHEMA = "https://c3voc.de/schedule/schema.json"


def event_url(source: ExportSource, item, pages: dict[str, str]) -> str:
    """The page of the published site that shows the item; without a base URL (where the site
    is online), its guid as a URN (JSON schema accepts it, C3VOC's conversion to XML does not:
    its schema wants http or https)."""
    if source.base_url:
        return source.base_url + pages[item.item_id]
    return f"urn:uuid:{stable_uuid(source.dataset, 'item', item.item_id)}"


def event_json(source: ExportSource, item, pages: dict[str, str]) -> dict:
    """One event: frab's fields and nothing more (C3VOC's conversion to frab XML turns every
    key into an element, so a key frab lacks, such as `end`, makes the XML invalid)."""
    record = event_record(source, item)
    return {
        "guid": record["guid"], "id": record["id"], "date": record["date"],
        "start": record["start"], "duration": record["duration"],
        "room": record["room"], "slug": record["slug"],
        "url": event_url(source, item, pages),
        "title": record["title"], "subtitle": record["subtitle"] or None,
        "track": record["track"] or None, "type": record["type"], "language": None,
        "abstract": record["abstract"], "description": record["description"],
        "persons": [{"guid": p["guid"], "name": p["name"], "public_name": p["name"]}
                    for p in record["persons"]],
        "links": [], "attachments": [],
    }


def schedule_json(source: ExportSource) -> dict:
    dataset = source.dataset
    items = dc_items(source)
    days = days_of(source, items)
    pages = item_pages(source)
    room_names = list(dict.fromkeys(name for day in days for name in day["rooms"]))
    return {
        "$schema": SCHEMA,
        "generator": {"name": GENERATOR},
        "schedule": {
            "version": version(source),
            "conference": {
                "acronym": acronym(dataset),
                "title": dataset.event.name,
                "start": dataset.event.days[0].date.isoformat(),
                "end": dataset.event.days[-1].date.isoformat(),
                "daysCount": len(dataset.event.days),
                "timeslot_duration": hhmm(dataset.event.granularity),
                "time_zone_name": dataset.event.timezone,
                "rooms": [{"name": name, "guid": stable_uuid(dataset, "room", name)}
                          for name in room_names],
                "tracks": [{"name": track} for track in tracks(items)],
                "days": [{"index": day["index"], "date": day["date"],
                          "day_start": day["start"], "day_end": day["end"],
                          "rooms": {name: [event_json(source, item, pages)
                                           for item in room_items]
                                    for name, room_items in day["rooms"].items()}}
                         for day in days],
            },
        },
    }


def render(source: ExportSource) -> dict[str, bytes]:
    text = json.dumps(schedule_json(source), indent=2, ensure_ascii=False) + "\n"
    return {FILE: text.encode("utf-8")}
