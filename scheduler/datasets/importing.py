"""`igf-sched import`: a published programme (frab XML, schedule.json, iCalendar, or the data
contract's xlsx workbook) into a dataset folder, with its report (`import-report.md`, also
printed). The format is told by the file's suffix, else by its first bytes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..domain import FEATURES
from ..errors import InputError
from ..load import load_dataset, read_text
from . import frab, ical, schedule_json, workbook
from .published import DEFAULT_CAPACITY, REPORT_FILE, Report, to_dataset
from .writer import check_out_folder, write_dataset

READERS = {".xml": frab, ".json": schedule_json, ".ics": ical, ".ical": ical,
           ".xlsx": workbook}


def room_features_of(text: str) -> tuple[str, ...]:
    """'hybrid;captioning' (or with commas) -> the features, each a known one."""
    features = tuple(dict.fromkeys(f.strip() for f in re.split(r"[;,]", text) if f.strip()))
    for feature in features:
        if feature not in FEATURES:
            raise InputError("--room-features", f"unknown feature '{feature}' (known: "
                             f"{', '.join(FEATURES)})")
    return features


def reader_of(path: Path):
    if path.suffix.lower() in READERS:
        return READERS[path.suffix.lower()]
    if not path.is_file():
        read_text(path)          # says why: not found, a folder, no permission
    head = path.read_bytes()[:64]
    if head.startswith(b"PK\x03\x04"):
        return workbook
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    for start, reader in (("<", frab), ("{", schedule_json), ("BEGIN:VCALENDAR", ical)):
        if text.upper().startswith(start.upper()):
            return reader
    raise InputError(path, "is not a format igf-sched imports: frab schedule XML (.xml), "
                     "schedule.json (.json), iCalendar (.ics) or an xlsx workbook (.xlsx)")


def import_programme(path: str | Path, out: str | Path, *, timezone: str | None = None,
                     capacity: int = DEFAULT_CAPACITY, features: tuple[str, ...] = (),
                     into: str | Path | None = None, force: bool = False) -> Report:
    """Read `path`, write the dataset folder `out` whole (or nothing), return the report.
    `into`: a dataset folder whose event, coalitions, requests, rooms and people the programme
    joins (its own programme is replaced); it is read, never written."""
    path, out = Path(path), Path(out)
    check_out_folder(out, force)
    reader = reader_of(path)
    if not path.is_file():
        read_text(path)          # says why: not found, a folder, no permission
    if reader is workbook:
        files = workbook.read(path)
        report = Report(path, workbook.FORMAT)
        report.read = [f"sheet '{name.removesuffix('.csv')}': "
                       f"{max(0, len(list(csv.reader(io.StringIO(text)))) - 1)} rows"
                       for name, text in files.items() if name.endswith(".csv")]
        files[REPORT_FILE] = report.text()
        try:
            write_dataset(files, out, force)
        except InputError as exc:
            name = Path(exc.file).name
            if name not in files:
                raise
            raise InputError(workbook.sheet_of(path, name), exc.message, row=exc.row,
                             column=exc.column) from None
        return report
    if into is not None and reader is workbook:
        raise InputError(path, "a workbook is a whole dataset: --into takes a published "
                         "programme (frab XML, schedule.json, iCalendar)")
    if into is not None and timezone:
        raise InputError("--timezone", f"the time zone is that of {into} (--into)")
    existing = load_dataset(into) if into is not None else None
    files, report = to_dataset(reader.read(path), timezone=timezone, capacity=capacity,
                               features=features, into=existing)
    write_dataset(files, out, force)
    return report
