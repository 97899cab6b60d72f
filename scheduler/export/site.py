"""The accessible static site: plain HTML and CSS made with Jinja2, no JavaScript.

`write(source, out)` builds the site of one result folder:

- `index.html` - the scenario, the solver's figures, the days, and every DC with what it got;
- `day-<label>.html` - a day's timetable: a real table (rooms as column headers, start times as
  row headers) and the same sessions as a list; DC items are marked by a text label, not by
  colour alone;
- `dc/<DC_ID>.html` - one DC: each of its slots in event time and UTC, the room and its
  features, co-organisers and speakers by name, its calendar file; or why it got nothing,
  with its eligibility rule by rule;
- `changes.html` - in a published version (`publish`), what changed since the version before;
  a DC's page then says what changed for it;
- `calendars/<DC_ID>.ics` - the DC's slots as an iCalendar file (those of the `ics` export
  format where this installation has it);
- `style.css`.

`render(source)` gives the same files in memory (the form the `export` command's formats share).

`write_comparison_page(compare_dir, out)` builds the site of a folder written by
`igf-sched compare`: an index, a page comparing the scenarios (the comparison table, what each
DC gets in each scenario, and the chart), and each scenario's site in a folder of its own.

A site is written whole (`folders.write_folder`): built beside `out` and swapped in, so a
failed build leaves no half site, and a folder that holds anything but an earlier site is never
replaced.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..domain import Dataset, Day
from ..errors import InputError
from .. import labels
from ..compare.figures import TERM_PREFIX
from ..labels import for_people
from ..schedule import ScheduleRow
from ..slugs import id_slug, slug, unique
from ..timegrid import event_moment, format_hhmm
from . import ics
from .files import from_text_cell
from .folders import claimed, verify, write_folder
from .releases import describe
from .source import ExportSource, load_source

KIND = "site"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("scheduler.export", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(status=labels.status, mode=labels.mode)
    return env


# --- names of files and of things ----------------------------------------------------------

def day_slug(label: str) -> str:
    """'Day 0' -> 'day-0'; a label not starting with 'day' gets it in front ('Mon' -> 'day-mon',
    'Día 2' -> 'day-dia-2')."""
    text = slug(label)
    return text if text.startswith("day") else f"day-{text}".rstrip("-")


def long_date(date: dt.date) -> str:
    return f"{date:%A} {date.day} {date:%B %Y}"


def utc_offset(timezone: str, date: dt.date) -> str:
    offset = dt.datetime.combine(date, dt.time(12), tzinfo=ZoneInfo(timezone)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def instant(dataset: Dataset, day: Day, minutes: int) -> dt.datetime:
    """The moment `minutes` after midnight of `day`, event time, as a UTC datetime."""
    return event_moment(dataset.event.timezone, day.date, minutes).astimezone(dt.timezone.utc)


def span(start: int, end: int) -> str:
    return f"{format_hhmm(start)} to {format_hhmm(end)}"


# --- what the pages show ---------------------------------------------------------------------

@dataclass
class Link:
    text: str
    href: str | None = None  # None: plain text (e.g. a DC not in the dataset)


@dataclass
class Item:
    """One thing on a day's timetable: a programme session or a DC item."""

    id: str
    title: str
    start: int
    end: int
    room: str
    label: str           # "Workshop", "DC session", ...
    is_dc: bool
    dcs: list[Link] = field(default_factory=list)
    segments: list["Item"] = field(default_factory=list)

    @property
    def time(self) -> str:
        return span(self.start, self.end)


@dataclass
class Slot:
    """One DC item as its DC's page shows it."""

    row: ScheduleRow
    heading: str
    kind: str
    date: str
    local: str
    utc: str
    room: str
    room_details: str
    block: str
    co_organisers: list[Link]
    speakers: list[str]
    themes: str


@dataclass
class Cell:
    """A cell of the timetable: what runs in one room from the row it starts in, `rows` rows
    down; empty where the room is free. Items that overlap in one room (a hand-edited file, the
    online-only column) share one cell."""

    items: list[Item]
    rows: int = 1


def timetable(items: list[Item], rooms: list[str]) -> list[tuple[str, list[Cell]]]:
    """The rows of a day's timetable: one per moment something starts or ends, headed by that
    time, with a cell per room where an item starts (spanning the rows it runs through) or the
    room is free; rows an item runs through hold no cell of its room."""
    times = sorted({i.start for i in items} | {i.end for i in items})
    row_of = {t: n for n, t in enumerate(times)}
    starting: dict[tuple[int, str], Cell] = {}
    covered: set[tuple[int, str]] = set()
    for room in rooms:
        runs: list[tuple[int, int, list[Item]]] = []
        for item in sorted((i for i in items if i.room == room), key=lambda i: (i.start, i.end)):
            if runs and item.start < runs[-1][1]:
                start, end, together = runs[-1]
                runs[-1] = (start, max(end, item.end), [*together, item])
            else:
                runs.append((item.start, item.end, [item]))
        for start, end, together in runs:
            first, last = row_of[start], row_of[end]
            starting[first, room] = Cell(together, last - first)
            covered.update((n, room) for n in range(first + 1, last))
    return [(format_hhmm(t), [starting.get((n, room), Cell([]))
                              for room in rooms if (n, room) not in covered])
            for n, t in enumerate(times[:-1])]


def shown_days(source: ExportSource) -> list[Day]:
    """The days with a DC item or a programme session: those with a timetable page."""
    return [d for d in source.dataset.event.days
            if any(r.day == d.label for r in source.rows)
            or any(s.day == d.label for s in source.dataset.programme)]


def file_names(source: ExportSource) -> tuple[dict[str, str], dict[str, str]]:
    """The page of each day (label -> 'day-1.html') and each DC (id -> name without .html)."""
    day_files = unique([d.label for d in shown_days(source)],
                       lambda label: f"{day_slug(label)}.html")
    return day_files, unique([dc.dc_id for dc in source.dataset.coalitions], id_slug)


def item_pages(source: ExportSource) -> dict[str, str]:
    """The page that shows each DC item, by item id: its lead DC's page for a session or a
    segment, its day's timetable for a block or a plenary (path relative to the site)."""
    day_files, dc_files = file_names(source)
    return {row.item_id: (f"dc/{dc_files[row.dc_ids[0]]}.html"
                          if row.kind in ("session", "segment") and row.dc_ids
                          and row.dc_ids[0] in dc_files else day_files[row.day])
            for row in source.rows}


class SitePages:
    """The pages of one result, made from an ExportSource and rendered in memory."""

    def __init__(self, source: ExportSource, up: Link | None = None):
        self.source = source
        self.dataset = source.dataset
        self.up = up
        self.days = shown_days(source)
        self.day_files, self.dc_files = file_names(source)
        dc_ids = [dc.dc_id for dc in self.dataset.coalitions]
        self.calendars = calendars(source, {d: self.dc_rows(d) for d in dc_ids})

    # ----- lookups

    def dc_rows(self, dc_id: str) -> list[ScheduleRow]:
        rows = [r for r in self.source.rows if dc_id in r.dc_ids and r.kind != "block"]
        return sorted(rows, key=lambda r: (self.dataset.day_index[r.day], r.start, r.item_id))

    def dc_link(self, dc_id: str, prefix: str) -> Link:
        dc = self.dataset.coalition_by_id.get(dc_id)
        if dc is None:
            return Link(dc_id)
        return Link(f"{dc.name} ({dc_id})", f"{prefix}dc/{self.dc_files[dc_id]}.html")

    def person(self, person_id: str) -> str:
        person = self.dataset.person_by_id.get(person_id)
        if person is None:
            return person_id
        if person.onsite:
            return person.name
        return f"{person.name} (online from {person.timezone or 'an unknown time zone'})"

    def room_name(self, room_id: str) -> str:
        if not room_id:
            return "Online only"
        room = self.dataset.room_by_id.get(room_id)
        return f"{room.name} ({room_id})" if room else room_id

    # ----- summaries

    def outcome(self, dc_id: str) -> tuple[bool, str]:
        """(placed?, one line saying what the DC got) for the index."""
        rows = self.dc_rows(dc_id)
        if rows:
            parts = []
            for row in rows:
                what = "segment of the DC block" if row.kind == "segment" else \
                    labels.kind(row.kind)
                parts.append(f"{what}, {row.day} {span(row.start, row.end)}, "
                             f"{self.room_name(row.room)}")
            return True, "; ".join(parts)
        reasons = list(dict.fromkeys(u.reason for u in self.source.unscheduled
                                     if dc_id in u.dc_ids))
        if not reasons and not self.source.report.requests_of(dc_id):
            reasons = ["no session request"]
        return False, for_people("; ".join(reasons)) or "not placed (no reason recorded)"

    def metrics_list(self) -> list[tuple[str, str]]:
        m = self.source.metrics
        shown = [("Solver status", "status"), ("Eligible DCs", "eligible_dcs"),
                 ("DCs placed", "placed_dcs"), ("DC items (rooms held)", "dc_items"),
                 ("DC room-minutes", "dc_room_minutes"), ("Theme clashes", "theme_clashes"),
                 ("Mean parallel sessions during DC items", "avg_parallel_sessions"),
                 ("Person conflicts", "person_conflicts")]
        return [(label, labels.status(m[key]) if key == "status" else _plain(m[key]))
                for label, key in shown if key in m]

    # ----- a day

    def day_items(self, day: Day) -> list[Item]:
        """The day's programme sessions and DC items (a block with its segments), by start."""
        items = [Item(s.session_id, s.title, s.start, s.end, s.room or "",
                      labels.session_type(s.type), False)
                 for s in self.dataset.programme if s.day == day.label]
        rows = [r for r in self.source.rows if r.day == day.label]
        for row in rows:
            if row.kind == "segment":
                continue
            item = Item(row.item_id, row.title or row.item_id, row.start, row.end, row.room,
                        labels.kind(row.kind), True,
                        [self.dc_link(d, "") for d in row.dc_ids] if row.kind != "block"
                        else [])
            if row.kind == "block":
                item.segments = [
                    Item(s.item_id, s.title or s.item_id, s.start, s.end, s.room,
                         labels.kind("segment"), True, [self.dc_link(d, "") for d in s.dc_ids])
                    for s in sorted((r for r in rows if r.kind == "segment"
                                     and r.block_id == row.item_id),
                                    key=lambda r: (r.start, r.item_id))]
            items.append(item)
        # Segments whose block row is missing (a hand-edited file) still show, on their own.
        blocks = {r.item_id for r in rows if r.kind == "block"}
        for row in rows:
            if row.kind == "segment" and row.block_id not in blocks:
                items.append(Item(row.item_id, row.title or row.item_id, row.start, row.end,
                                  row.room, labels.kind("segment"), True,
                                  [self.dc_link(d, "") for d in row.dc_ids]))
        return sorted(items, key=lambda i: (i.start, i.end, i.room, i.id))

    def day_context(self, day: Day) -> dict:
        items = self.day_items(day)
        room_ids = {i.room for i in items}
        rooms = [(r.room_id, r.name) for r in self.dataset.rooms if r.room_id in room_ids]
        known = {r for r, _ in rooms}
        rooms += [(r, r) for r in sorted(room_ids - known - {""})]
        if "" in room_ids:
            rooms.append(("", "Online only"))
        starts = sorted({i.start for i in items})
        by_start = [(format_hhmm(t), [i for i in items if i.start == t]) for t in starts]
        breaks = ", ".join(span(a, b) for a, b in day.breaks)
        room_names = {r: self.room_name(r) for r, _ in rooms}
        return {"day": day, "date": long_date(day.date), "rooms": rooms,
                "grid": timetable(items, [r for r, _ in rooms]), "room_names": room_names,
                "dc_labels": list(dict.fromkeys(i.label for i in items if i.is_dc)),
                "by_start": by_start, "dc_count": sum(1 for i in items if i.is_dc),
                "count": len(items), "hours": span(day.open, day.close), "breaks": breaks,
                "offset": utc_offset(self.dataset.event.timezone, day.date)}

    # ----- a DC

    def slot(self, dc_id: str, row: ScheduleRow) -> Slot:
        day = self.dataset.day_by_label[row.day]
        start, end = instant(self.dataset, day, row.start), instant(self.dataset, day, row.end)
        utc = (f"{long_date(start.date())}, {start:%H:%M} to {end:%H:%M} UTC"
               if start.date() == end.date() else
               f"{long_date(start.date())} {start:%H:%M} to {long_date(end.date())} "
               f"{end:%H:%M} UTC")
        room = self.dataset.room_by_id.get(row.room)
        if room is not None:
            features = ", ".join(labels.ROOM_FEATURES.get(f, f) for f in sorted(room.features))
            room_details = (f"seats {room.capacity}; "
                            f"{features or 'no hybrid, captioning, step-free or interpretation'}")
        else:
            room_details = "no room (online only)" if not row.room else "not in rooms.csv"
        block = ""
        if row.kind == "segment":
            segments = sorted((r for r in self.source.rows
                               if r.kind == "segment" and r.block_id == row.block_id),
                              key=lambda r: (r.start, r.item_id))
            parent = next((r for r in self.source.rows if r.item_id == row.block_id), None)
            place = next(i for i, r in enumerate(segments, 1) if r.item_id == row.item_id)
            block = f"segment {place} of {len(segments)} in {row.block_id}"
            if parent is not None:
                block += (f", which runs {span(parent.start, parent.end)}; "
                          f"{self.source.scenario.block.stay}")
            if row.cluster:
                block += f"; thematic cluster {self.dataset.theme_name(row.cluster)}"
        heading = row.title or row.item_id
        return Slot(row, heading, labels.kind(row.kind),
                    f"{row.day}, {long_date(day.date)}",
                    f"{span(row.start, row.end)} {self.dataset.event.timezone} "
                    f"({utc_offset(self.dataset.event.timezone, day.date)})",
                    utc, self.room_name(row.room), room_details, block,
                    [self.dc_link(d, "../") for d in row.dc_ids if d != dc_id],
                    [self.person(p) for p in row.speakers],
                    ", ".join(map(self.dataset.theme_name, row.themes)))

    def dc_context(self, dc_id: str) -> dict:
        dc = self.dataset.coalition_by_id[dc_id]
        report = self.source.report
        rows = self.dc_rows(dc_id)
        unplaced = []
        for entry in self.source.unscheduled:
            if dc_id in entry.dc_ids:
                request = self.dataset.request_by_id.get(entry.request_id)
                unplaced.append({"id": entry.request_id,
                                 "title": request.title if request else "",
                                 "reason": for_people(entry.reason)})
        rules = [{"label": labels.rule(r.rule), "rule": r.rule, "passed": r.passed,
                  "reason": for_people(r.reason)} for r in report.dc_results(dc_id)]
        plenaries = [self.slot(dc_id, r) for r in self.source.rows if r.kind == "plenary"]
        release = self.source.release
        changed = ([f"{(c.after or c.before).title or c.item_id}: "
                    f"{describe(c, self.room_name)}"
                    for c in release.changes_of(dc_id)] if release is not None else [])
        return {"dc": dc, "category": labels.category(dc.category),
                "changed": changed, "release": release,
                "slots": [self.slot(dc_id, r) for r in rows], "unplaced": unplaced,
                "rules": rules, "eligible": report.is_eligible(dc_id),
                "has_request": bool(report.requests_of(dc_id)),
                "calendar": (f"../{self.calendars.files[dc_id]}"
                             if dc_id in self.calendars.files else None),
                "plenaries": plenaries}

    # ----- rendering

    def render(self, env: Environment, root: str = "") -> dict[str, bytes]:
        """The pages and calendar files, by path relative to the scenario's folder; `root` is
        the path from that folder to the site's root (where style.css is): '' or '../'."""
        s = self.source
        nav = [Link("Overview", "index.html")] + [
            Link(f"{d.label}", self.day_files[d.label]) for d in self.days]
        if s.release is not None:
            nav.append(Link("Changes", "changes.html"))
        common = {"event": self.dataset.event.name, "scenario": s.scenario, "up": self.up,
                  "status": s.metrics.get("status", "unknown")}
        files: dict[str, bytes] = {}

        def page(template: str, path: str, depth: str, current: str, **context):
            files[path] = env.get_template(template).render(
                **common, **context, root=depth + root, here=depth,
                nav=[(link, link.href == current) for link in nav]).encode("utf-8")

        dcs = []
        for dc in sorted(self.dataset.coalitions,
                         key=lambda dc: (labels.sort_name(dc.name), dc.dc_id)):
            placed, what = self.outcome(dc.dc_id)
            dcs.append({"link": self.dc_link(dc.dc_id, ""), "placed": placed, "what": what})
        days = [{"link": Link(f"{d.label}, {long_date(d.date)}", self.day_files[d.label]),
                 "dc_count": sum(1 for r in s.rows if r.day == d.label and r.kind != "segment")}
                for d in self.days]
        page("index.html", "index.html", "", "index.html",
             title=f"Scenario {s.scenario.name}", metrics=self.metrics_list(), days=days,
             dcs=dcs, timezone=self.dataset.event.timezone)
        for day in self.days:
            file = self.day_files[day.label]
            page("day.html", file, "", file, title=f"{day.label} timetable",
                 **self.day_context(day))
        for dc in self.dataset.coalitions:
            page("dc.html", f"dc/{self.dc_files[dc.dc_id]}.html", "../", "",
                 title=f"{dc.name} ({dc.dc_id})", **self.dc_context(dc.dc_id))
        if s.release is not None:
            page("changes.html", "changes.html", "", "changes.html",
                 title=f"Changes in version {s.release.number}",
                 **self.changes_context(s.release))
        files.update(self.calendars.data)
        return files

    def changes_context(self, release) -> dict:
        """What changed since the version before: each item with its DCs and the change."""
        changes = [{"id": c.item_id, "title": (c.after or c.before).title or c.item_id,
                    "dcs": [self.dc_link(d, "") for d in (c.after or c.before).dc_ids],
                    "what": describe(c, self.room_name)} for c in release.changes]
        return {"release": release, "changes": changes,
                "published": f"{release.published:%Y-%m-%d %H:%M} UTC"}


def _plain(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return "-" if value is None else str(value)


# --- the calendar files ------------------------------------------------------------------------

@dataclass(frozen=True)
class Calendars:
    data: dict[str, bytes]   # path in the site -> the file
    files: dict[str, str]    # DC id -> the path of its own calendar


def calendars(source: ExportSource, rows_by_dc: dict[str, list[ScheduleRow]]) -> Calendars:
    """The DCs' calendar files, `calendars/<DC id>.ics`: those of the `ics` export format, so
    that a site and an ics export never disagree on a file."""
    data = ics.render(source)
    files = {dc_id: f"calendars/{ics.file_name(dc_id)}" for dc_id in rows_by_dc
             if f"calendars/{ics.file_name(dc_id)}" in data}
    return Calendars(data, files)


# --- writing a site whole or not at all --------------------------------------------------------

def _stylesheet() -> str:
    return (Path(__file__).parent / "templates" / "style.css").read_text(encoding="utf-8")


def render(source: ExportSource) -> dict[str, bytes]:
    """Every file of the site of one result folder, by path relative to the site's root.
    (The form the `export` command's formats share: it renders before it writes.)"""
    files = {"style.css": _stylesheet().encode("utf-8")}
    files.update(SitePages(source).render(_environment()))
    return files


def write(source: ExportSource, out: Path) -> list[Path]:
    """The site of one result folder, in `out`; returns the files written."""
    files = render(source)
    return write_folder(out, KIND, files)


# --- a comparison ------------------------------------------------------------------------------

def _read_comparison(compare_dir: Path) -> dict:
    path = compare_dir / "comparison.json"
    if not path.is_file():
        raise InputError(path, "not found: is this a folder written by `igf-sched compare`?")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(path, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list) \
            or not isinstance(data.get("figures"), list):
        raise InputError(path, "keys 'scenarios' and 'figures' (lists) are required")
    for number, scenario in enumerate(data["scenarios"], start=1):
        if not isinstance(scenario, dict) or not all(
                isinstance(scenario.get(k), str) for k in ("name", "folder")):
            raise InputError(path, f"scenario {number}: keys 'name' and 'folder' are required")
    return data


def _read_by_dc(compare_dir: Path) -> list[dict]:
    path = compare_dir / "comparison_by_dc.csv"
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return [{key: from_text_cell(cell) for key, cell in row.items()}
                for row in csv.DictReader(handle)]


def _comparison_context(data: dict, by_dc: list[dict], pages: dict[str, SitePages],
                        folders: dict[str, str]) -> dict:
    names = [s["name"] for s in data["scenarios"]]
    figures = []
    for figure in data["figures"]:
        values = figure.get("values", {}) or {}
        best = set(figure.get("best", []) or [])
        key = figure.get("key", "")
        label = (f"soft goal: {labels.goal(key.removeprefix(TERM_PREFIX))}"
                 if key.startswith(TERM_PREFIX) else figure.get("label") or key)
        figures.append({"label": label,
                        "meaning": figure.get("meaning") or "",
                        "better": figure.get("better") or "",
                        "cells": [(labels.status(values.get(n)) if key == "status"
                                   else _plain(values.get(n)), n in best) for n in names]})
    dcs = []
    for row in by_dc:
        dc_id = row.get("dc_id", "")
        cells = []
        for name in names:
            site = pages[name]
            link = (f"{folders[name]}/dc/{site.dc_files[dc_id]}.html"
                    if dc_id in site.dc_files else None)
            text = row.get(name, "")
            placed = not text.startswith("-")
            cells.append({"text": for_people(text.lstrip("- ").strip() if not placed else text),
                          "placed": placed, "href": link})
        dcs.append({"id": dc_id, "category": labels.category(row.get("category", "")),
                    "cells": cells})
    return {"names": names, "figures": figures, "dcs": dcs}


def write_comparison_page(compare_dir: Path, out: Path) -> list[Path]:
    """The site of a comparison folder: index, comparison page and one site per scenario."""
    compare_dir = Path(compare_dir)
    verify(compare_dir, "comparison")
    data = _read_comparison(compare_dir)
    folders = unique([s["name"] for s in data["scenarios"]],
                     lambda name: id_slug(next(s["folder"] for s in data["scenarios"]
                                                  if s["name"] == name)))
    up = Link("All scenarios", "../index.html")
    pages = {}
    for scenario in data["scenarios"]:
        source = load_source(compare_dir / scenario["folder"])
        pages[scenario["name"]] = SitePages(source, up)
    chart = compare_dir / "comparison.png"
    context = _comparison_context(data, _read_by_dc(compare_dir), pages, folders)
    env = _environment()
    event = next(iter(pages.values())).dataset.event.name if pages else ""
    scenarios = [{"name": name, "href": f"{folders[name]}/index.html",
                  "description": site.source.scenario.description,
                  "mode": site.source.scenario.mode,
                  "status": site.source.metrics.get("status", "unknown"),
                  "placed": _plain(site.source.metrics.get("placed_dcs")),
                  "eligible": _plain(site.source.metrics.get("eligible_dcs"))}
                 for name, site in pages.items()]

    files = {"style.css": _stylesheet().encode("utf-8")}
    common = {"event": event, "root": "", "here": "", "up": None, "scenario": None,
              "status": None}
    links = [Link("All scenarios", "index.html"), Link("Comparison", "comparison.html")]
    has_chart = chart.is_file()
    if has_chart:
        files["comparison.png"] = chart.read_bytes()
    for name, template, title in (("index.html", "site_index.html", "Scenarios"),
                                  ("comparison.html", "comparison.html", "Scenarios compared")):
        files[name] = env.get_template(template).render(
            **common, nav=[(link, link.href == name) for link in links], title=title,
            scenarios=scenarios, has_chart=has_chart, **context).encode("utf-8")
    for name, site in pages.items():
        site.up = Link("All scenarios", "../index.html")
        files.update({f"{folders[name]}/{path}": data
                      for path, data in site.render(env, "../").items()})
    return write_folder(out, KIND, files)


def write_any(folder: Path, out: Path) -> list[Path]:
    """The site of a comparison folder or of one result folder, whichever `folder` is. A
    folder `publish` wrote is refused: this site would replace its published versions."""
    folder = Path(folder)
    if (Path(out) / "releases").is_dir():
        raise InputError(out, "holds published versions (releases/): publish into it with "
                              "`igf-sched publish`, or give another folder")
    with claimed(out, KIND):       # a folder the site may not replace: refused before any work
        if (folder / "comparison.json").is_file():
            return write_comparison_page(folder, out)
        if (folder / "metrics.json").is_file():
            return write(load_source(folder), out)
    raise InputError(folder, "holds neither comparison.json (a folder written by `compare`) nor "
                             "metrics.json (a folder written by `solve`)")
