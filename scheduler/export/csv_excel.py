"""CSV for Excel: the readable schedule (`schedule-excel.csv`) and the requests not placed with
their reasons (`not-placed-excel.csv`), UTF-8 with a byte-order mark so that Excel reads the
accents right, and `;` as separator on request (Excel's default where `,` is the decimal comma).

These are for people; the exchange format that `check` reads stays the result's schedule.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from .items import NOT_PLACED_COLUMNS, TABLE_COLUMNS, dc_items, not_placed_rows, table_row
from .source import ExportSource

SCHEDULE_FILE = "schedule-excel.csv"
NOT_PLACED_FILE = "not-placed-excel.csv"
DELIMITERS = (",", ";")


def _text(value) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _csv(columns: tuple[str, ...], rows: list[dict], delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: _text(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def render(source: ExportSource, delimiter: str = ",") -> dict[str, bytes]:
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS}")
    schedule = [table_row(item) for item in dc_items(source)]
    return {SCHEDULE_FILE: _csv(TABLE_COLUMNS, schedule, delimiter),
            NOT_PLACED_FILE: _csv(NOT_PLACED_COLUMNS, not_placed_rows(source), delimiter)}
