"""The Secretariat's workbook, `schedule.xlsx`:

- Schedule: one row per DC item, real dates and times, filters on every column, frozen header;
- one sheet per day: a room-by-time grid of the day (a row per grid unit, a column per room),
  the programme's sessions and the DC items (coloured, marked "DC") each a merged cell over its
  time; a block's cell lists its segments;
- Not placed: every request not placed, with the reason;
- Eligibility: the per-DC criteria table.

The file is byte-identical for the same input: its dates come from the data (`items.stamp`).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..timegrid import format_hhmm
from .files import FORMULA_STARTS
from .items import (NOT_PLACED_COLUMNS, TABLE_COLUMNS, Item, dc_items, not_placed_rows, stamp,
                    table_row)
from .source import ExportSource

FILE = "schedule.xlsx"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
DC_FILL = PatternFill("solid", fgColor="FFD966")          # DC items stand out
PROGRAMME_FILL = PatternFill("solid", fgColor="DDEBF7")
EXCLUSIVE_FILL = PatternFill("solid", fgColor="BFBFBF")   # nothing may run beside it
TOP_LEFT = Alignment(vertical="top", wrap_text=True)
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NUMBER_FORMATS = {"Date": "yyyy-mm-dd", "Start": "hh:mm", "End": "hh:mm"}
MAX_WIDTH = 60


def _table_sheet(sheet: Worksheet, columns: tuple[str, ...], rows: list[dict]) -> None:
    """A header row and the rows; frozen header, a filter on every column, fitting widths."""
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in rows:
        sheet.append([row[c] for c in columns])
    for index, column in enumerate(columns, 1):
        number_format = NUMBER_FORMATS.get(column)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        longest = max([len(column)] + [len(_shown(row[column])) for row in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    _print_setup(sheet, "1:1")


ROOMS_PER_PAGE = 8   # a day's grid printed: rooms side by side on one page's width, still legible


def _print_setup(sheet: Worksheet, title_rows: str, title_columns: str | None = None,
                 pages_wide: int = 1) -> None:
    """Printed on A4 landscape, fitted to `pages_wide` pages' width (as many pages down as it
    takes), the header rows (and a day's time column) repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = pages_wide
    sheet.page_setup.fitToHeight = 0          # 0: as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    if title_columns:
        sheet.print_title_cols = title_columns
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = "&A, page &P of &N"


def _shown(value) -> str:
    """About the text Excel shows for a value: what a column's width must fit."""
    if isinstance(value, dt.time):
        return "00:00"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _sheet_title(text: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Day"
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:28]} {n}"
        n += 1
    taken.add(title.lower())
    return title


class _Entry:
    """Something that holds a room for a while on the day's grid."""

    def __init__(self, start: int, end: int, text: str, fill: PatternFill, bold: bool = False):
        self.start, self.end, self.text, self.fill, self.bold = start, end, text, fill, bold


def _dc_entry(item: Item) -> _Entry:
    row = item.row
    text = f"DC {item.kind_name.removeprefix('DC ')}: {row.item_id} {item.title}"
    if row.dc_ids and row.kind != "block":
        text += f" ({', '.join(row.dc_ids)})"
    for segment in item.segments:
        text += (f"\n{format_hhmm(segment.start)}-{format_hhmm(segment.end)} {segment.item_id} "
                 f"({', '.join(segment.dc_ids)})")
    return _Entry(row.start, row.end, text, DC_FILL, bold=True)


def _day_sheet(sheet: Worksheet, source: ExportSource, label: str, items: list[Item]) -> None:
    dataset = source.dataset
    day = dataset.day_by_label[label]
    step = dataset.event.granularity
    columns: dict[str, list[_Entry]] = {r.room_id: [] for r in dataset.rooms if r.open_on(label)}
    online = "online (no room)"
    for session in dataset.programme:
        if session.day == label:
            fill = EXCLUSIVE_FILL if session.exclusive else PROGRAMME_FILL
            text = f"{session.session_id} {session.title}"
            columns.setdefault(session.room or online, []).append(
                _Entry(session.start, session.end, text, fill))
    for item in items:
        if item.row.day == label and item.row.kind != "segment":   # segments: in their block
            columns.setdefault(item.row.room or online, []).append(_dc_entry(item))
    entries = [e for column in columns.values() for e in column]
    first = min([day.open] + [e.start for e in entries])
    last = max([day.close] + [e.end for e in entries])
    first -= first % step

    sheet["A1"] = (f"{label}, {day.date:%A %d %B %Y} ({dataset.event.timezone}): DC items "
                   "in yellow and marked DC, programme sessions in blue, exclusive ones and "
                   "breaks in grey")
    sheet["A1"].font = BOLD
    sheet["A2"] = "Time"
    sheet.column_dimensions["A"].width = 8
    times = list(range(first, last, step))
    for offset, minute in enumerate(times):
        cell = sheet.cell(row=3 + offset, column=1, value=format_hhmm(minute))
        if any(start <= minute < end for start, end in day.breaks):
            cell.fill = EXCLUSIVE_FILL   # a break: no session may cross it
    for index, (room_id, column_entries) in enumerate(columns.items(), 2):
        room = dataset.room_by_id.get(room_id)
        header = sheet.cell(row=2, column=index,
                            value=f"{room_id} - {room.name} ({room.capacity})" if room else room_id)
        header.font, header.fill, header.alignment = BOLD, HEADER_FILL, TOP_LEFT
        sheet.column_dimensions[get_column_letter(index)].width = 28
        placed: list[tuple[int, int, object]] = []   # rows taken: first, last, the cell
        for entry in sorted(column_entries, key=lambda e: (e.start, e.end, e.text)):
            top = 3 + (entry.start - first) // step
            bottom = 3 + (entry.end - first - 1) // step
            clash = next((cell for taken_top, taken_bottom, cell in placed
                          if taken_top <= bottom and top <= taken_bottom), None)
            if clash is not None:   # two things in one room at once: show both in one cell
                clash.value = f"{clash.value}\nALSO AT THE SAME TIME: {entry.text}"
                continue
            cell = sheet.cell(row=top, column=index, value=entry.text)
            cell.fill, cell.alignment, cell.border = entry.fill, TOP_LEFT, BOX
            cell.font = Font(bold=entry.bold)
            if bottom > top:
                sheet.merge_cells(start_row=top, start_column=index, end_row=bottom,
                                  end_column=index)
            placed.append((top, bottom, cell))
    sheet.freeze_panes = "B3"
    _print_setup(sheet, "1:2", "A:A", pages_wide=-(-len(columns) // ROOMS_PER_PAGE))


def workbook(source: ExportSource) -> Workbook:
    items = dc_items(source)
    book = Workbook()
    when = stamp(source.dataset).replace(tzinfo=None)
    book.properties.creator = "igf-sched"
    book.properties.title = f"{source.dataset.event.name}: {source.scenario.name}"
    book.properties.created = book.properties.modified = when
    taken = {"schedule", "not placed", "eligibility"}
    schedule = book.active
    schedule.title = "Schedule"
    _table_sheet(schedule, TABLE_COLUMNS, [table_row(item) for item in items])
    for day in source.dataset.event.days:
        _day_sheet(book.create_sheet(_sheet_title(day.label, taken)), source, day.label, items)
    _table_sheet(book.create_sheet("Not placed"), NOT_PLACED_COLUMNS, not_placed_rows(source))
    frame = source.report.to_frame()
    _table_sheet(book.create_sheet("Eligibility"), tuple(str(c) for c in frame.columns),
                 [{str(k): ("" if v is None else v) for k, v in row.items()}
                  for row in frame.to_dict("records")])
    _no_formulas(book)
    return book


def _no_formulas(book: Workbook) -> None:
    """Every cell that would start a formula (a title such as '=HYPERLINK(...)') is text: a
    string cell, quote-prefixed so that editing it in Excel keeps it text. The workbook holds
    no formula of its own."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def to_bytes(book: Workbook, when: dt.datetime) -> bytes:
    """The workbook as .xlsx bytes with every zip entry dated `when`, so that the same input
    gives the same bytes (openpyxl's own save stamps the clock's time)."""
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    fixed = io.BytesIO()
    date_time = when.timetuple()[:6]
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(fixed, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return fixed.getvalue()


def render(source: ExportSource) -> dict[str, bytes]:
    return {FILE: to_bytes(workbook(source), stamp(source.dataset))}
