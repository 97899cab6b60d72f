"""CSV for Excel: the readable schedule (`schedule-excel.csv`) and the requests not placed with
their reasons (`not-placed-excel.csv`), UTF-8 with a byte-order mark so that Excel reads the
accents right, and `;` as separator on request (Excel's default where `,` is the decimal comma).

These are for people; the exchange format that `check` reads stays the result's schedule.csv.
No cell runs as a formula when a spreadsheet opens them: a cell that would start one (`=`, `+`,
`-`, `@`, tab, carriage return: a title such as `=HYPERLINK(...)`) starts with a `'` instead
(`files.as_text_cell`, OWASP's rule). schedule.csv keeps every cell exactly as written, since the
tool and other programs read it back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from .files import as_text_cell
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
    writer.writerows({k: as_text_cell(v) if isinstance(v, str) else _text(v)
                      for k, v in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def render(source: ExportSource, delimiter: str = ",") -> dict[str, bytes]:
    if delimiter not in DELIMITERS:
        raise ValueError(f"delimiter must be one of {DELIMITERS}")
    schedule = [table_row(item) for item in dc_items(source)]
    return {SCHEDULE_FILE: _csv(TABLE_COLUMNS, schedule, delimiter),
            NOT_PLACED_FILE: _csv(NOT_PLACED_COLUMNS, not_placed_rows(source), delimiter)}
