"""The Secretariat's own spreadsheet: an xlsx workbook with one sheet per file of the data
contract. Sheets `rooms`, `programme`, `people`, `coalitions` and `requests` hold the CSV files'
columns (header in row 1, so a sheet's row numbers are the file's); `event.toml` is two sheets:
`event` (rows of key and value: name, timezone, granularity, transition) and `days` (label,
date, open, close, breaks as '12:30-13:30;...'). A missing `coalitions` or `requests` sheet is
an empty file. `write` makes such a workbook from a dataset folder (the round trip's other half).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from ..errors import InputError
from .writer import COLUMNS, csv_text, event_toml

FORMAT = "xlsx workbook of the data contract"
TABLES = ("rooms", "programme", "people", "coalitions", "requests")
OPTIONAL = ("coalitions", "requests")
EVENT_KEYS = ("name", "timezone", "granularity", "transition")
DAY_COLUMNS = ("label", "date", "open", "close", "breaks")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sheet_rows(sheet) -> list[list[str]]:
    rows = [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((i + 1 for row in rows for i, cell in enumerate(row) if cell), default=0)
    return [row[:width] for row in rows]


def rows_csv(rows: list[list[str]]) -> str:
    handle = io.StringIO()
    csv.writer(handle, lineterminator="\n").writerows(rows)
    return handle.getvalue()


def read(path: Path) -> dict[str, str]:
    """The dataset's files (name -> text) from the workbook; the loader judges them after."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(path, f"is not an xlsx workbook: {exc}") from None
    sheets = {name.strip().lower().removesuffix(".csv"): book[name] for name in book.sheetnames}
    for name in ("event", "days", *TABLES):
        if name not in sheets and name not in OPTIONAL:
            raise InputError(path, f"has no sheet '{name}' (the sheets are "
                             f"{', '.join(book.sheetnames)})")
    files = {f"{name}.csv": rows_csv(sheet_rows(sheets[name])) if name in sheets
             else csv_text(COLUMNS[name], []) for name in TABLES}
    files["event.toml"] = event_file(path, sheet_rows(sheets["event"]),
                                     sheet_rows(sheets["days"]))
    book.close()
    return files


def event_file(path: Path, event_rows: list[list[str]], day_rows: list[list[str]]) -> str:
    event = {}
    for number, row in enumerate(event_rows, 1):
        if not row or not row[0]:
            continue
        key = row[0].strip().lower()
        if key not in EVENT_KEYS:
            raise InputError(f"{path}, sheet 'event'", f"unknown key '{row[0]}' (known: "
                             f"{', '.join(EVENT_KEYS)})", row=number)
        event[key] = row[1] if len(row) > 1 else ""
    header = [cell.strip().lower() for cell in day_rows[0]] if day_rows else []
    for column in DAY_COLUMNS[:4]:
        if column not in header:
            raise InputError(f"{path}, sheet 'days'", "required column is missing", row=1,
                             column=column)
    days = []
    for row in day_rows[1:]:
        cells = dict(zip(header, row + [""] * len(header)))
        if any(cells.values()):
            days.append({"label": cells["label"], "date": cells["date"], "open": cells["open"],
                         "close": cells["close"],
                         "breaks": [b.strip() for b in cells.get("breaks", "").split(";")
                                    if b.strip()]})
    try:
        granularity = int(event.get("granularity", ""))
    except ValueError:
        raise InputError(f"{path}, sheet 'event'", f"granularity '{event.get('granularity')}' "
                         "is not a whole number of minutes") from None
    text = event_toml({"name": event.get("name", ""), "timezone": event.get("timezone", ""),
                       "granularity": granularity, "days": days})
    if event.get("transition"):
        text = text.replace("\n", f"\ntransition = {int(float(event['transition']))}\n", 1)
    return text


def sheet_of(path: Path, file_name: str) -> str:
    """Where a problem the loader found in a dataset file is, in the workbook."""
    if file_name == "event.toml":
        return f"{path}, sheets 'event' and 'days'"
    return f"{path}, sheet '{file_name.removesuffix('.csv')}'"


def write(folder: str | Path, path: str | Path) -> Path:
    """The dataset folder as a workbook `read` takes back (every cell as text)."""
    folder, path = Path(folder), Path(path)
    event = tomllib.loads((folder / "event.toml").read_text(encoding="utf-8"))
    book = Workbook()
    sheet = book.active
    sheet.title = "event"
    for key in EVENT_KEYS:
        if key in event:
            sheet.append([key, str(event[key])])
    days = book.create_sheet("days")
    days.append(list(DAY_COLUMNS))
    for day in event["days"]:
        days.append([day["label"], str(day["date"]), day["open"], day["close"],
                     ";".join(day.get("breaks", []))])
    for name in TABLES:
        table = book.create_sheet(name)
        with open(folder / f"{name}.csv", newline="", encoding="utf-8-sig") as handle:
            for row in csv.reader(handle):
                table.append(row)
    book.save(path)
    return path
