"""iCalendar files for the DCs' calendars, in folder `calendars/`:

- `all.ics`: every DC item (sessions, the block and its segments, DC Day plenaries);
- `<DC id>.ics` for each DC with something placed: its own sessions and segments (not the whole
  block: its segment says which block it is part of) and the DC Day plenaries, which are for
  every DC.

Times are in the event's time zone (with its VTIMEZONE), the room is the location, the DCs
(co-organisers) and speakers are named in the description. UIDs are stable across runs and
re-solves (the item id and the event), DTSTAMP comes from the data: the same input gives the
same bytes. A published version (`publish`) gives each event the SEQUENCE and DTSTAMP of its
last change (`releases`), and keeps each item an earlier version had and this one has not as a
cancelled event (STATUS:CANCELLED), so that calendars which imported it update.
"""

from __future__ import annotations

from icalendar import Calendar, Event

from ..errors import InputError
from ..slugs import id_slug
from .items import Item, acronym, cancelled_items, dc_items, stamp
from .source import ExportSource

FOLDER = "calendars"
ALL_FILE = "all.ics"
PRODID = "-//igf-sched//DC schedule export//EN"


def calendar_of(source: ExportSource, items: list[Item], name: str) -> Calendar:
    dataset = source.dataset
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", dataset.event.timezone)
    made = stamp(dataset)
    domain = acronym(dataset).replace("_", "-")
    release = source.release
    live = live_ids(source)
    for item in items:
        cancelled = item.item_id not in live
        event = Event()
        event.add("uid", f"{item.item_id}@{domain}.igf-sched")
        if release is None:
            event.add("dtstamp", made)
        else:   # a calendar that imported an item updates it when its SEQUENCE rises
            revision = release.revisions[item.item_id]
            event.add("dtstamp", revision.revised)
            event.add("sequence", revision.sequence)
        if cancelled:
            event.add("status", "CANCELLED")
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        summary = f"Cancelled: {item.title}" if cancelled else item.title
        if item.block is not None:
            summary += f" (in {item.block.item_id})"
        event.add("summary", summary)
        if item.row.room:
            event.add("location", item.room_name or item.row.room)
        event.add("description", item.description)
        if item.theme_names:
            event.add("categories", list(item.theme_names))
        calendar.add_component(event)
    days = dataset.event.days
    calendar.add_missing_timezones(first_date=days[0].date, last_date=days[-1].date)
    return calendar


def live_ids(source: ExportSource) -> set[str]:
    return {row.item_id for row in source.rows}


def file_name(dc_id: str) -> str:
    return id_slug(dc_id) + ".ics"


def render(source: ExportSource) -> dict[str, bytes]:
    items = dc_items(source) + cancelled_items(source)
    event = source.dataset.event.name
    files = {f"{FOLDER}/{ALL_FILE}": calendar_of(source, items,
                                                 f"{event}: Dynamic Coalitions").to_ical()}
    # A DC whose only item a publication cancelled keeps its calendar, to say so.
    placed = sorted({dc for item in items if item.row.kind in ("session", "segment")
                     for dc in item.row.dc_ids})
    owners: dict[str, str] = {}
    for dc_id in placed:
        name = file_name(dc_id)
        if name.lower() in owners or name.lower() == ALL_FILE:
            raise InputError(source.dataset.folder + "/coalitions.csv",
                             f"DC ids '{owners.get(name.lower(), 'all')}' and '{dc_id}' would "
                             f"share the calendar file {name}", column="dc_id")
        owners[name.lower()] = dc_id
        own = [item for item in items if item.row.kind == "plenary"
               or (dc_id in item.row.dc_ids and item.row.kind in ("session", "segment"))]
        files[f"{FOLDER}/{name}"] = calendar_of(source, own, f"{event}: {dc_id}").to_ical()
    return files
