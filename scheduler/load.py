"""Read input files: the one reader of every CSV and TOML file the tool accepts (the dataset, the
scenario, `schedule.csv` and the rest of a result folder), and the dataset folder as a whole.

Tolerant of what spreadsheets and people produce: a byte-order mark, CRLF line ends, spaces around
cells and headers, columns in any order, `;` or tab as separator (Excel in many locales), blank
rows, non-ASCII text (normalised to NFC, so 'é' typed two ways is one
name). Strict about what is ambiguous: a column named twice, or an unknown column that looks like
a known one (a misspelt optional column would silently fall back to its default), is an error
naming it and the closest known column; a column far from every known name is an extra column
and is kept out of the way, as the spec welcomes them. Values that are accepted but probably
mistakes are reported as warnings (`errors.warn`), naming the row. Every problem is an
`InputError` naming file, row and column, raised before anything is written.

The csv module rather than pandas reads the CSVs: it shows the header as written (pandas renames
a duplicate column `x.1`), keeps short and long rows visible, and lets an undecodable byte be
traced to its row and column.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterable, Sequence, TypeVar, get_args

from pydantic import BaseModel, ValidationError

from .domain import (Coalition, Dataset, Event, Person, ProgrammeSession, Request, Room,
                     Theme)
from .errors import InputError, on_warning, warn
from .timegrid import format_hhmm, overlap

R = TypeVar("R", bound=BaseModel)

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "rooms.csv": ("room_id", "name", "capacity", "hybrid", "captioning", "step_free",
                  "interpretation"),
    "programme.csv": ("session_id", "type", "title", "day", "start", "end", "room", "themes",
                      "people", "exclusive"),
    "coalitions.csv": ("dc_id", "name", "category", "themes", "open_membership",
                       "open_mailing_list", "open_archives", "last_annual_report",
                       "session_report", "coordination_meetings", "founded", "outputs",
                       "members"),
    "requests.csv": ("request_id", "dc_ids", "title", "format", "duration",
                     "expected_attendance", "themes", "speakers", "needs", "preferred_days",
                     "unavailable", "priority", "submitted"),
    "people.csv": ("person_id", "name", "stakeholder_group", "region", "gender", "onsite",
                   "timezone"),
}

LONG_ID = 64          # identifiers are short codes; a longer one is probably a cell from elsewhere
SIMILAR = 0.75        # difflib ratio from which an unknown name is taken for a misspelt known one
SHOWN = 40            # characters of a value quoted in a message

_NOT_UTF8 = re.compile("[\udc80-\udcff]+")   # bytes that did not decode (surrogateescape)
_SEPARATORS = (",", ";", "\t")


# --- words -----------------------------------------------------------------------------------

def shown(value) -> str:
    """A value as quoted in a one-line message: control characters escaped, long text cut."""
    text = str(value)
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= SHOWN else f"{text[:SHOWN - 3]}... ({len(str(value))} characters)"


def _normal(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name `name` is probably a misspelling of, if any (case, spaces, hyphens and
    small typos do not count)."""
    def letters(text: str) -> str:
        return re.sub(r"\d+", "#", text)
    wanted = _normal(name)
    # 'Day 9' is not a typo of 'Day 2', nor 'R12' of 'R1': names differing in a number only.
    by_normal = {_normal(k): k for k in known
                 if _normal(k) == wanted or letters(_normal(k)) != letters(wanted)}
    match = difflib.get_close_matches(wanted, list(by_normal), n=1, cutoff=SIMILAR)
    return by_normal[match[0]] if match else None


def did_you_mean(name: str, known: Iterable[str]) -> str:
    guess = closest(name, known)
    return f" (did you mean '{guess}'?)" if guess is not None else ""


def first_problem(error: ValidationError, model: type[BaseModel] | None = None) -> tuple[str, str]:
    """(where, message) of the first problem pydantic found, in words a planner reads.

    With `model`, an unknown key also names the closest known key."""
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"]) or "(record)"
    if problem["type"] == "extra_forbidden":
        known = _keys_at(model, problem["loc"][:-1]) if model is not None else ()
        return where, "unknown key" + did_you_mean(str(problem["loc"][-1]), known)
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] in _OUT_OF_RANGE and model is not None:
        message = (f"{shown(problem['input'])} is out of range: "
                   f"{allowed_range(model, problem['loc'])}")
    elif problem.get("input") is not None and problem["type"] not in ("value_error", "missing"):
        message += f" (got '{shown(problem['input'])}')"
    return where, message


_OUT_OF_RANGE = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")


def allowed_range(model: type[BaseModel], loc: Sequence) -> str:
    """The bounds of the field at `loc` in words: 'use 1 to 64', 'use more than 0 and at most
    604800', 'use at least 0'."""
    field = _keys_at(model, loc[:-1], fields=True).get(str(loc[-1]))
    bounds = {kind: getattr(m, kind.lower()) for m in (field.metadata if field else ())
              if (kind := type(m).__name__) in ("Ge", "Gt", "Le", "Lt")}
    if field is not None and int in (field.annotation, *get_args(field.annotation)):
        # Whole numbers: 'more than 0' is 'at least 1'.
        bounds = {{"Gt": "Ge", "Lt": "Le"}.get(kind, kind):
                  n + {"Gt": 1, "Lt": -1}.get(kind, 0) for kind, n in bounds.items()}
    bounds = {kind: f"{n:g}" if n != int(n) else str(int(n)) for kind, n in bounds.items()}
    low = (f"at least {bounds['Ge']}" if "Ge" in bounds else
           f"more than {bounds['Gt']}" if "Gt" in bounds else "")
    high = (f"at most {bounds['Le']}" if "Le" in bounds else
            f"less than {bounds['Lt']}" if "Lt" in bounds else "")
    if "Ge" in bounds and "Le" in bounds:
        return f"use {bounds['Ge']} to {bounds['Le']}"
    return "use " + " and ".join(part for part in (low, high) if part)


def _keys_at(model: type[BaseModel], path: Sequence, fields: bool = False):
    """The keys of the (nested) table at `path` of `model`, e.g. ('days', 0) of Event -> Day's
    (with `fields`: key -> its pydantic field)."""
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return {} if fields else ()
        candidates = [field.annotation, *get_args(field.annotation)]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)),
                     None)
        if model is None:
            return {} if fields else ()
    return dict(model.model_fields) if fields else tuple(model.model_fields)


# --- files -----------------------------------------------------------------------------------

def read_text(path: str | Path) -> str:
    """The file's text: UTF-8 with or without a byte-order mark. Bytes that are not UTF-8 are
    kept as lone surrogates (`surrogateescape`) so that the caller can say where they are."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except PermissionError:
        raise InputError(path, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "the file is UTF-16 (Excel's 'Unicode Text'): save it as UTF-8 "
                         "('CSV UTF-8' in Excel)")
    if data.startswith(b"PK\x03\x04"):
        raise InputError(path, "this is a spreadsheet workbook (.xlsx), not a text file: save "
                         "the sheet as 'CSV UTF-8'")
    return data.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")


def not_utf8(path: Path, undecoded: str, *, row: int | None = None,
             column: str | None = None, line: int | None = None) -> InputError:
    raw = undecoded.encode("utf-8", errors="surrogateescape")
    guess = raw.decode("cp1252", errors="replace")
    at = f"line {line}: " if line is not None else ""
    return InputError(path, f"{at}bytes {raw!r} are not UTF-8 ('{guess}' in Windows-1252?): save "
                      "the file as UTF-8 ('CSV UTF-8' in Excel)", row=row, column=column)


def read_toml(path: str | Path) -> dict:
    """A TOML file (event or scenario) as a dict."""
    path = Path(path)
    text = read_text(path)
    if match := _NOT_UTF8.search(text):
        raise not_utf8(path, match.group(), line=text.count("\n", 0, match.start()) + 1)
    if not text.strip():
        raise InputError(path, "the file is empty")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"not valid TOML: {exc}") from None


def read_event(path: Path) -> Event:
    try:
        return Event.model_validate(read_toml(path))
    except ValidationError as exc:
        where, message = first_problem(exc, Event)
        raise InputError(path, f"key '{where}': {message}") from None


def _clean(cell: str) -> str:
    return unicodedata.normalize("NFC", cell).strip()


def _separator(first_line: str, known: Sequence[str]) -> str:
    """',' unless ';' or tab splits the header into more known columns (a CSV saved by Excel
    in a locale whose decimal mark is a comma)."""
    def known_columns(separator: str) -> int:
        try:
            cells = next(csv.reader([first_line], delimiter=separator), [])
        except csv.Error:   # unreadable either way: reading the whole file will say where
            return 0
        return sum(_clean(cell) in known for cell in cells)
    return max(_SEPARATORS, key=lambda s: (known_columns(s), s == ","))


def _records(path: Path, text: str, separator: str) -> list[list[str]]:
    records = []
    # strict: a quote never closed is an error at its row, not a cell swallowing the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        hint = (" (a double quote opened in this row is never closed)"
                if "unexpected end of data" in str(exc) else "")
        raise InputError(path, f"cannot be read as CSV: {exc}{hint}",
                         row=len(records) + 1) from None
    return records


def read_csv(path: str | Path, known: Sequence[str],
             required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV as (spreadsheet row number, {column: cleaned cell}) for the columns in
    `known`; blank rows are skipped. The header must name every `required` column."""
    path = Path(path)
    text = read_text(path)
    if not text.strip():
        raise InputError(path, "the file is empty (a header row is required)")
    separator = _separator(text.partition("\n")[0], known)
    records = _records(path, text, separator)
    header = [_clean(cell) for cell in records[0]]
    for number, record in enumerate(records, start=1):
        for index, cell in enumerate(record):
            if match := _NOT_UTF8.search(cell):
                in_data = number > 1 and index < len(header)
                raise not_utf8(path, match.group(), row=number,
                               column=(header[index] or None) if in_data else None)
    if not any(header):
        raise InputError(path, "the first row is empty: it must be the header naming the "
                         "columns", row=1)
    where: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name in where:
            raise InputError(path, f"the column is named twice (cells {where[name] + 1} and "
                             f"{index + 1} of the header): which one holds the data is ambiguous",
                             row=1, column=name)
        where[name] = index
    for name in where:
        if name not in known and (guess := closest(name, known)) is not None:
            raise InputError(path, f"unknown column; did you mean '{guess}'? (rename it: an "
                             "extra column must not look like a known one)", row=1, column=name)
    for column in required:
        if column not in where:
            raise InputError(path, "required column is missing", row=1, column=column)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        cells = [_clean(cell) for cell in record]
        if not any(cells):
            continue
        if len(cells) > len(header):
            # Even if the extra cells are empty: 'B,Room B, annex,40,...' shifts every cell.
            raise InputError(path, f"the row has {len(cells)} cells but the header "
                             f"{len(header)} columns (a cell holding a "
                             f"'{shown(separator)}' must be in double quotes)", row=number)
        if len(cells) < len(header):
            warn(path, f"the row has {len(cells)} cells but the header {len(header)} columns: "
                 "the missing cells at its end are read as empty", row=number)
            cells += [""] * (len(header) - len(cells))
        for index, name in enumerate(header):
            if not name and cells[index]:
                raise InputError(path, f"cell {index + 1} holds '{shown(cells[index])}' but its "
                                 "column has no name in the header", row=number)
        rows.append((number, {name: cells[index] for name, index in where.items()
                              if name in known}))
    return rows


def read_table(path: str | Path, record: type[R], id_column: str,
               columns: tuple[str, ...] | None = None) -> list[tuple[int, R]]:
    """Rows of a CSV as (spreadsheet row number, record); ids must be unique. `columns`: the
    required ones (default: those of the dataset file of this name)."""
    path = Path(path)
    required = columns if columns is not None else REQUIRED_COLUMNS[path.name]
    rows: list[tuple[int, R]] = []
    seen: dict[str, int] = {}
    for row, cells in read_csv(path, tuple(record.model_fields), required):
        try:
            item = record.model_validate(cells)
        except ValidationError as exc:
            where, message = first_problem(exc, record)
            column = where.split(".")[0]  # 'needs.1' is the second value of column 'needs'
            raise InputError(path, message, row=row, column=column) from None
        key = getattr(item, id_column)
        if key in seen:
            raise InputError(path, f"duplicate id '{shown(key)}' (first on row {seen[key]})",
                             row=row, column=id_column)
        if len(key) > LONG_ID:
            warn(path, f"an id of {len(key)} characters: ids are short codes; is this the "
                 "right column?", row=row, column=id_column)
        seen[key] = row
        rows.append((row, item))
    return rows


def require_known(path: Path, row: int, column: str, values: Iterable[str], known, what: str,
                  source: Path | None = None):
    """Every value names a known id; `source` is the file the ids come from (an empty one is
    the problem, not the file that refers to it)."""
    for value in values:
        if value not in known:
            if not known and source is not None:
                raise InputError(source, f"the file has no rows, but {path.name} row {row}, "
                                 f"column '{column}' names {what} '{shown(value)}'")
            raise InputError(path, f"unknown {what} '{shown(value)}'"
                             + did_you_mean(value, known), row=row, column=column)


# --- the dataset -----------------------------------------------------------------------------

def load_dataset(folder: str | Path) -> Dataset:
    """Read and cross-check every file of a dataset folder; `Dataset.warnings` lists the values
    that are accepted but probably mistakes (also sent to `errors.on_warning` listeners)."""
    found = []
    with on_warning(found.append):
        dataset = _read_dataset(Path(folder))
    return dataclasses.replace(dataset, warnings=tuple(found))


def _read_dataset(folder: Path) -> Dataset:
    if not folder.exists():
        raise InputError(folder, "dataset folder not found")
    if not folder.is_dir():
        raise InputError(folder, "is a file: a dataset is a folder of CSV files and event.toml")
    event = read_event(folder / "event.toml")
    days = {day.label: day for day in event.days}
    people = read_table(folder / "people.csv", Person, "person_id")
    person_ids = {p.person_id for _, p in people}
    rooms = read_table(folder / "rooms.csv", Room, "room_id")
    for row, room in rooms:
        require_known(folder / "rooms.csv", row, "days", room.days, days, "day")
    room_ids = {r.room_id: r for _, r in rooms}
    programme = read_table(folder / "programme.csv", ProgrammeSession, "session_id")
    check_programme(folder, programme, days, room_ids, person_ids)
    coalitions = read_table(folder / "coalitions.csv", Coalition, "dc_id")
    for row, dc in coalitions:
        require_known(folder / "coalitions.csv", row, "members", dc.members, person_ids,
                      "person", folder / "people.csv")
    dc_ids = {dc.dc_id for _, dc in coalitions}
    requests = read_table(folder / "requests.csv", Request, "request_id")
    check_requests(folder, requests, days, dc_ids, person_ids)
    warn_probable_mistakes(folder, event, rooms, programme, coalitions, requests, people)
    warn_programme_inconsistencies(folder, programme)
    themes = read_themes(folder, (programme, coalitions, requests))
    return Dataset(
        folder=str(folder),
        event=event,
        rooms=tuple(r for _, r in rooms),
        programme=tuple(s for _, s in programme),
        coalitions=tuple(c for _, c in coalitions),
        requests=tuple(r for _, r in requests),
        people=tuple(p for _, p in people),
        themes=themes,
    )


THEME_COLUMNS = ("theme_id", "name")


def read_themes(folder: Path, tables) -> tuple[Theme, ...]:
    """The themes' names for people (optional `themes.csv`: theme_id, name); a theme the data
    uses that the file does not name is shown by its id, with one warning naming them all."""
    path = folder / "themes.csv"
    if not path.exists():
        return ()
    themes = tuple(theme for _, theme in read_table(path, Theme, "theme_id", THEME_COLUMNS))
    named = {theme.theme_id for theme in themes}
    unnamed = sorted({theme for table in tables for _, item in table for theme in item.themes}
                     - named)
    if unnamed:
        warn(path, f"{len(unnamed)} theme(s) used in the data have no name here and are shown "
             f"by their id: {', '.join(shown(t) for t in unnamed)}")
    return themes


def check_programme(folder, programme, days, rooms, person_ids) -> None:
    path = folder / "programme.csv"
    by_room: dict[tuple[str, str], list[tuple[int, ProgrammeSession]]] = defaultdict(list)
    for row, session in programme:
        require_known(path, row, "day", [session.day], days, "day")
        day = days[session.day]
        if session.start < day.open or session.end > day.close:
            raise InputError(path, f"{format_hhmm(session.start)}-{format_hhmm(session.end)} "
                             f"is outside {day.label}'s hours {format_hhmm(day.open)}-"
                             f"{format_hhmm(day.close)}", row=row,
                             column="start" if session.start < day.open else "end")
        if session.room is not None:
            require_known(path, row, "room", [session.room], rooms, "room",
                          folder / "rooms.csv")
            if not rooms[session.room].open_on(session.day):
                raise InputError(path, f"room '{session.room}' is not open on {session.day}",
                                 row=row, column="room")
            by_room[(session.room, session.day)].append((row, session))
        require_known(path, row, "people", session.people, person_ids, "person",
                      folder / "people.csv")
    for (room, day), sessions in by_room.items():
        sessions.sort(key=lambda pair: pair[1].start)
        for (row_a, a), (row_b, b) in zip(sessions, sessions[1:]):
            if overlap(a.start, a.end, b.start, b.end):
                raise InputError(path, f"'{b.session_id}' overlaps '{a.session_id}' (row "
                                 f"{row_a}) in room '{room}' on {day}", row=row_b,
                                 column="start")


def check_requests(folder, requests, days, dc_ids, person_ids) -> None:
    path = folder / "requests.csv"
    for row, request in requests:
        require_known(path, row, "dc_ids", request.dc_ids, dc_ids, "coalition",
                      folder / "coalitions.csv")
        if len(set(request.dc_ids)) != len(request.dc_ids):
            raise InputError(path, "a coalition is named twice", row=row, column="dc_ids")
        require_known(path, row, "speakers", request.speakers, person_ids, "person",
                      folder / "people.csv")
        require_known(path, row, "preferred_days", request.preferred_days, days, "day")
        require_known(path, row, "unavailable", [w.day for w in request.unavailable], days, "day")


def warn_programme_inconsistencies(folder, programme) -> None:
    """The fixed programme contradicting itself, each a warning naming both rows: a session
    running during an exclusive one (a ceremony nothing may run beside), and a person in two
    sessions at once. The engine keeps the programme as given; the Secretariat should look."""
    path = folder / "programme.csv"
    by_day: dict[str, list[tuple[int, ProgrammeSession]]] = defaultdict(list)
    for row, session in programme:
        by_day[session.day].append((row, session))
    for sessions in by_day.values():
        for (row_a, a), (row_b, b) in overlapping_pairs(sessions):
            for (row, session), (other_row, other) in (((row_b, b), (row_a, a)),
                                                       ((row_a, a), (row_b, b))):
                if other.exclusive:
                    warn(path, f"'{session.session_id}' runs during the exclusive "
                         f"'{other.session_id}' (row {other_row})", row=row, column="start")
            for person in sorted(set(a.people) & set(b.people)):
                warn(path, f"person '{person}' is also in '{a.session_id}' (row {row_a}) at "
                     "the same time", row=row_b, column="people")


def overlapping_pairs(sessions):
    """The pairs of (row, session) of one day that overlap, each once (a sweep by start)."""
    ordered = sorted(sessions, key=lambda pair: (pair[1].start, pair[0]))
    for i, (row_a, a) in enumerate(ordered):
        for row_b, b in ordered[i + 1:]:
            if b.start >= a.end:
                break
            yield (row_a, a), (row_b, b)


def warn_listed_twice(path, row: int, request) -> None:
    """A speaker or DC named twice in one request, and unavailable windows that overlap: each
    most often a copy-and-paste slip (a window meant to be one, a speaker meant to be another)."""
    for column in ("speakers", "dc_ids"):
        for name, count in Counter(getattr(request, column)).items():
            if count > 1:
                warn(path, f"'{shown(name)}' is listed {count} times", row=row, column=column)
    windows = sorted(request.unavailable)
    for i, a in enumerate(windows):
        for b in windows[i + 1:]:
            if a.overlaps(b):
                warn(path, f"the unavailable windows {a} and {b} overlap (one window "
                     f"{a.day} {format_hhmm(a.start)}-{format_hhmm(max(a.end, b.end))} meant?)",
                     row=row, column="unavailable")


def warn_probable_mistakes(folder, event, rooms, programme, coalitions, requests, people) -> None:
    """Values that are valid but are surely not meant: each a warning naming its row."""
    if not rooms:
        warn(folder / "rooms.csv", "no rooms: no DC session can be placed")
    if not requests:
        warn(folder / "requests.csv", "no requests: there is nothing to schedule")
    for row, room in rooms:
        if room.capacity == 0:
            warn(folder / "rooms.csv", "capacity 0: no session can be placed in this room",
                 row=row, column="capacity")
    for row, request in requests:
        if request.duration % event.granularity:
            warn(folder / "requests.csv", f"{request.duration} minutes is off the event's "
                 f"{event.granularity}-minute grid: sessions start on the grid, so the time up "
                 "to the next grid line is lost", row=row, column="duration")
    for row, request in requests:
        warn_listed_twice(folder / "requests.csv", row, request)
    for row, person in people:
        if not person.onsite and person.timezone is None:
            warn(folder / "people.csv", "online speaker without a time zone: their local hours "
                 "cannot be respected", row=row, column="timezone")
    # A theme written once in the whole dataset matches nothing else: the theme-clash and
    # thematic-track goals ignore it, and it is most often a typo of a theme in use.
    uses = Counter(theme for table in (programme, coalitions, requests)
                   for _, item in table for theme in item.themes)
    for name, table in (("coalitions.csv", coalitions), ("requests.csv", requests)):
        for row, item in table:
            for theme in item.themes:
                if uses[theme] == 1:
                    others = [t for t in uses if t != theme]
                    warn(folder / name, f"theme '{shown(theme)}' appears nowhere else in the "
                         f"dataset{did_you_mean(theme, others)}", row=row, column="themes")
