"""Published versions of a schedule (`igf-sched publish RESULT --out SITE`): each publication is
numbered and kept, so that the next one can keep every item's identity and say what changed.

SITE holds every export format (the site, the calendars, frab XML, schedule JSON, the workbook
and the CSV files) and `releases/<N>/` for each version N published, with what N published:

- `schedule.csv`, `unscheduled.csv`, `metrics.json`: the result's files as they were;
- `cancelled.csv`: the items of earlier versions that N no longer has, at their last place;
- `release.json`, the manifest: N, the moment it was published (UTC), the result folder and
  scenario it came from, and for every item ever published (placed or cancelled) its frab/JSON
  `id` (given once, never reused), its iCalendar `sequence` (raised by each change) and when it
  last changed (`revised`: the publication that changed it, its DTSTAMP).

Nothing here reads the clock: the moment of a publication is given (the command gives the
clock's), recorded, and every time stamp in the exports comes from the records. Publishing a
result that is the last version again writes that version again, byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..load import read_text
from ..schedule import SCHEDULE_COLUMNS, ScheduleRow, read_schedule_rows
from ..timegrid import format_hhmm
from .files import csv_bytes, json_bytes

FOLDER = "releases"
MANIFEST = "release.json"
CANCELLED = "cancelled.csv"
KEPT = ("schedule.csv", "unscheduled.csv", "metrics.json")   # the result's files, as they were
PLACE = ("day", "date", "start", "end", "room")               # a change of these is a move
CHANGED_WORDS = {"kind": "kind of session", "dc_ids": "Dynamic Coalitions", "title": "title",
                 "themes": "themes", "speakers": "speakers", "block_id": "block",
                 "cluster": "thematic cluster"}


@dataclass(frozen=True)
class Revision:
    """What the published versions say about one item."""

    id: int                  # frab and JSON event id
    sequence: int            # iCalendar SEQUENCE: how often it changed since first published
    revised: dt.datetime     # the publication that last changed it (iCalendar DTSTAMP)


@dataclass(frozen=True)
class Change:
    """How one item differs from the version before."""

    item_id: str
    change: str                       # added, moved, changed (in place), cancelled
    before: ScheduleRow | None
    after: ScheduleRow | None


@dataclass(frozen=True)
class Release:
    number: int
    published: dt.datetime                 # UTC, whole seconds
    revisions: dict[str, Revision]         # every item ever published
    rows: tuple[ScheduleRow, ...]          # the DC items it publishes
    cancelled: tuple[ScheduleRow, ...]     # items of earlier versions it no longer has
    changes: tuple[Change, ...] = ()       # since version number - 1

    @property
    def version(self) -> str:
        return f"{self.number} ({self.published:%Y-%m-%d %H:%M} UTC)"

    def changes_of(self, dc_id: str) -> list[Change]:
        return [c for c in self.changes if dc_id in (c.after or c.before).dc_ids]


# --- comparing versions ------------------------------------------------------------------------

def content(row: ScheduleRow) -> dict[str, str]:
    """What a publication says about an item: its cells but the re-solve's `pinned` mark."""
    cells = row.cells()
    del cells["pinned"]
    return cells


def changes_between(before: tuple[ScheduleRow, ...], after: tuple[ScheduleRow, ...]
                    ) -> tuple[Change, ...]:
    """Every item added, moved (day, time or room), changed in place or cancelled, in the
    order of the newer version (cancelled ones last, in the older one's order)."""
    old = {row.item_id: row for row in before}
    new = {row.item_id: row for row in after}
    changes = []
    for row in after:
        was = old.get(row.item_id)
        if was is None:
            changes.append(Change(row.item_id, "added", None, row))
        elif content(was) != content(row):
            moved = any(content(was)[key] != content(row)[key] for key in PLACE)
            changes.append(Change(row.item_id, "moved" if moved else "changed", was, row))
    changes += [Change(row.item_id, "cancelled", row, None)
                for row in before if row.item_id not in new]
    return tuple(changes)


def room_id(room: str) -> str:
    return f"room {room}" if room else "online"


def place(row: ScheduleRow, room_name: Callable[[str], str] = room_id) -> str:
    """'Day 1, 09:30 to 10:30, room B', the room as `room_name` names it."""
    return f"{row.day}, {format_hhmm(row.start)} to {format_hhmm(row.end)}, {room_name(row.room)}"


def describe(change: Change, room_name: Callable[[str], str] = room_id) -> str:
    """The change in words, as the changes page and a DC's page say it."""
    if change.change == "added":
        return f"new: {place(change.after, room_name)}"
    if change.change == "cancelled":
        return f"cancelled (was {place(change.before, room_name)})"
    if change.change == "moved":
        return (f"moved from {place(change.before, room_name)} "
                f"to {place(change.after, room_name)}")
    before, after = content(change.before), content(change.after)
    what = [CHANGED_WORDS.get(key, key) for key in after if before[key] != after[key]]
    return f"changed ({', '.join(what)}), still {place(change.after, room_name)}"


def _ordered(rows) -> tuple[ScheduleRow, ...]:
    """In time order (dates are ISO, so they sort), a block before its segments."""
    return tuple(sorted(rows, key=lambda r: (r.date, r.day, r.start, -r.end, r.room, r.item_id)))


def same_publication(last: Release, rows: list[ScheduleRow]) -> bool:
    return sorted(map(_key, last.rows)) == sorted(map(_key, rows))


def _key(row: ScheduleRow) -> tuple:
    return tuple(content(row).items())


def next_release(last: Release | None, rows: list[ScheduleRow],
                 published: dt.datetime) -> Release:
    """The version after `last` (None: the first) publishing `rows` at moment `published`:
    an unchanged item keeps its id, sequence and time stamp; a changed one, one cancelled now
    and one published again after a cancellation keep their id and get sequence + 1 and this
    moment; a new one gets the next id never given."""
    rows = _ordered(rows)
    before = last.rows if last else ()
    revisions = dict(last.revisions) if last else {}
    next_id = max((r.id for r in revisions.values()), default=0) + 1
    changes = changes_between(before, rows)
    changed = {c.item_id for c in changes}
    for row in rows:
        if row.item_id not in revisions:
            revisions[row.item_id] = Revision(next_id, 0, published)
            next_id += 1
        elif row.item_id in changed:
            revisions[row.item_id] = _revised(revisions[row.item_id], published)
    now = {row.item_id for row in rows}
    for row in before:
        if row.item_id not in now:
            revisions[row.item_id] = _revised(revisions[row.item_id], published)
    cancelled = [row for row in (last.cancelled if last else ()) if row.item_id not in now]
    cancelled += [row for row in before if row.item_id not in now]
    return Release(last.number + 1 if last else 1, published, revisions, rows,
                   _ordered(cancelled), changes)


def _revised(revision: Revision, published: dt.datetime) -> Revision:
    return dataclasses.replace(revision, sequence=revision.sequence + 1, revised=published)


# --- the releases folder -----------------------------------------------------------------------

def utc_moment(text: str, where) -> dt.datetime:
    """An ISO 8601 moment with its offset (e.g. 2024-04-02T10:00:00Z), in UTC to the second."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(where, f"'{text}' is not a moment like 2024-04-02T10:00:00Z") from None
    if moment.tzinfo is None:
        raise InputError(where, f"'{text}' has no UTC offset (add Z or +HH:MM)")
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def release_numbers(site: Path) -> list[int]:
    """The versions published in `site` (a folder `publish` wrote; missing or empty: none)."""
    site = Path(site)
    if not site.exists():
        return []
    if not site.is_dir():
        raise InputError(site, "exists and is not a folder")
    if not any(site.iterdir()):
        return []
    folder = site / FOLDER
    numbers = sorted(int(p.name) for p in folder.iterdir()
                     if p.is_dir() and p.name.isdigit()) if folder.is_dir() else []
    if not numbers:
        raise InputError(site, "is not a folder written by `igf-sched publish` (it has no "
                               f"{FOLDER}/ folder of published versions): give a new or empty "
                               "folder, or the folder of an earlier publish")
    if numbers != list(range(1, len(numbers) + 1)):
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        raise InputError(folder, f"version {missing[0]} is missing: the published versions "
                                 "must be 1, 2, 3, ...")
    return numbers


def _manifest(path: Path, number: int) -> dict:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("release") != number \
            or not isinstance(data.get("items"), dict):
        raise InputError(path, f"not the manifest of version {number}: keys 'release' "
                               f"({number}) and 'items' are required")
    return data


def read_release(site: Path, number: int, *, with_changes: bool = True) -> Release:
    """Version `number` as `site/releases/<number>/` keeps it (and, `with_changes`, what
    changed since the version before)."""
    folder = Path(site) / FOLDER / str(number)
    path = folder / MANIFEST
    if not path.is_file():
        raise InputError(path, "file not found: every published version has its manifest")
    data = _manifest(path, number)
    published = utc_moment(str(data.get("published", "")), path)
    revisions = {}
    for item_id, entry in data["items"].items():
        try:
            revisions[item_id] = Revision(int(entry["id"]), int(entry["sequence"]),
                                          utc_moment(str(entry["revised"]), path))
        except (KeyError, TypeError, ValueError):
            raise InputError(path, f"item '{item_id}': keys 'id', 'sequence' and 'revised' "
                                   "are required") from None
    rows = _ordered(row for _, row in read_schedule_rows(folder / "schedule.csv")
                    if row.kind != "programme")
    cancelled = _ordered(row for _, row in read_schedule_rows(folder / CANCELLED))
    for row in (*rows, *cancelled):
        if row.item_id not in revisions:
            raise InputError(path, f"item '{row.item_id}' of version {number} has no entry "
                                   "under 'items'")
    changes = ()
    if with_changes and number > 1:
        changes = changes_between(read_release(site, number - 1, with_changes=False).rows, rows)
    return Release(number, published, revisions, rows, cancelled, changes)


def release_files(release: Release, result: Path, scenario: str) -> dict[str, bytes]:
    """The files of `releases/<N>/` for a new version N, by path relative to the site."""
    folder = f"{FOLDER}/{release.number}"
    files = {f"{folder}/{name}": (Path(result) / name).read_bytes() for name in KEPT}
    files[f"{folder}/{CANCELLED}"] = csv_bytes(SCHEDULE_COLUMNS,
                                               [row.cells() for row in release.cancelled])
    files[f"{folder}/{MANIFEST}"] = json_bytes({
        "release": release.number, "published": _iso(release.published),
        "result": str(Path(result).resolve()), "scenario": scenario,
        "items": {item_id: {"id": r.id, "sequence": r.sequence, "revised": _iso(r.revised)}
                  for item_id, r in sorted(release.revisions.items(), key=lambda e: e[1].id)},
    })
    return files


def kept_files(site: Path) -> dict[str, bytes]:
    """Every file of the versions published before, as they are, to carry into the new site."""
    folder = Path(site) / FOLDER
    if not folder.is_dir():
        return {}
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}
