"""`igf-sched export`: every format, read back with the library its users read it with, has as
many items as schedule.csv and the same times; the frab XML and the schedule JSON pass their
published schemas; output is byte-identical for the same input; bad input exits 2 with nothing
written.

The schemas in tests/schemas come from the C3VOC schedule repository (github.com/voc/schedule,
validator/xsd/schedule.xml.xsd and validator/json/schema.json, EUPL-1.2; see
tests/schemas/README.md). Three small results (tests/factory.py) are solved once per module:
individual sessions (a joint one, one request over the quota), a block with its segments, and a
DC Day with opening and closing plenaries.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import uuid
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from icalendar import Calendar
from lxml import etree

from factory import small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.export import ics
from scheduler.export.source import load_source
from scheduler.labels import for_people

SCHEMAS = Path(__file__).parent / "schemas"
# The C3VOC schedule tools, in the virtual environment `make c3voc-tools` makes for them.
C3VOC_PYTHON = os.environ.get(
    "C3VOC_PYTHON", str(Path(__file__).parent.parent / ".venv-c3voc" / "bin" / "python"))
TOKYO = ZoneInfo("Asia/Tokyo")
BLOCK = {"duration": 120, "overhead": 10, "min_segment": 10, "max_segment": 20}
SCENARIOS = {
    "individual": {"capacity": {"max_dc_sessions": 3}},
    "block": {"mode": "block", "block": BLOCK},
    "dc_day": {"mode": "dc_day", "dc_day": {"day": "Day 2", "opening": 30, "closing": 15}},
}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, Path]:
    """Each scenario solved once into its result folder; R1 is a joint session of D1 and D2."""
    base = tmp_path_factory.mktemp("results")
    tables = small_tables()
    tables["requests"][0]["dc_ids"] = "D1;D2"
    tables["people"][0]["name"] = "Zoë Ñúñez"
    data = write_dataset(base / "data", tables)
    folders = {}
    for name, settings in SCENARIOS.items():
        scenario = write_scenario(base / f"{name}.toml", data, **settings)
        result = run("solve", scenario, "--out", base / name, "--quiet")
        assert result.exit_code == 0, result.output
        folders[name] = base / name
    return folders


@pytest.fixture(scope="module")
def exported(results, tmp_path_factory) -> dict[str, Path]:
    """Every format of every result, exported with `--format all`."""
    base = tmp_path_factory.mktemp("exports")
    for name, folder in results.items():
        result = run("export", folder, "--format", "all", "--out", base / name)
        assert result.exit_code == 0, result.output
    return {name: base / name for name in results}


def schedule_rows(folder: Path) -> list[dict]:
    with open(folder / "schedule.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def local(row: dict, column: str) -> dt.datetime:
    """A row's start or end as an aware datetime in the event's time zone."""
    return dt.datetime.fromisoformat(f"{row['date']}T{row[column]}").replace(tzinfo=TOKYO)


def times(rows: list[dict]) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    return {row["item_id"]: (local(row, "start"), local(row, "end")) for row in rows}


def test_the_sample_results_cover_every_kind_of_row(results):
    kinds = {kind for folder in results.values() for kind in
             (row["kind"] for row in schedule_rows(folder))}
    assert kinds == {"session", "block", "segment", "plenary"}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_workbook_schedule_sheet_has_every_item_with_real_dates_and_times(
        results, exported, scenario):
    rows = schedule_rows(results[scenario])
    path = exported[scenario] / "schedule.xlsx"
    sheet = openpyxl.load_workbook(path)["Schedule"]
    header = [cell.value for cell in sheet[1]]
    read = [dict(zip(header, values)) for values in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(read) == len(rows)
    got = {r["Item"]: (dt.datetime.combine(r["Date"].date(), r["Start"], TOKYO),
                       dt.datetime.combine(r["Date"].date(), r["End"], TOKYO)) for r in read}
    assert got == times(rows)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{len(rows) + 1}"
    frame = pd.read_excel(path, sheet_name="Schedule")
    assert len(frame) == len(rows) and frame["Date"].dtype.kind == "M"   # real dates


def test_the_workbook_has_a_grid_per_day_with_the_dc_items_marked(results, exported):
    book = openpyxl.load_workbook(exported["dc_day"] / "schedule.xlsx")
    assert book.sheetnames == ["Schedule", "Day 1", "Day 2", "Not placed", "Eligibility"]
    grid = book["Day 2"]
    rooms = {grid.cell(2, c).value.split(" - ")[0]: c for c in range(2, grid.max_column + 1)}
    first_row_time = {grid.cell(r, 1).value: r for r in range(3, grid.max_row + 1)}
    for row in schedule_rows(results["dc_day"]):
        cell = grid.cell(first_row_time[row["start"]], rooms[row["room"]])
        assert cell.value.startswith("DC ") and row["item_id"] in cell.value
        assert cell.fill.fgColor.rgb.endswith("FFD966")
        span = next((r for r in grid.merged_cells.ranges if cell.coordinate in r), None)
        rows_spanned = 1 if span is None else span.max_row - span.min_row + 1
        minutes = (local(row, "end") - local(row, "start")).seconds // 60
        assert rows_spanned == minutes // 15
    programme = grid.cell(first_row_time["09:00"], rooms["C"])       # WS2 09:00-10:00 in C
    assert programme.value.startswith("WS2 ") and not programme.font.bold


def test_the_block_is_one_cell_of_the_grid_listing_its_segments(results, exported):
    grid = openpyxl.load_workbook(exported["block"] / "schedule.xlsx")["Day 2"]
    texts = [c.value for line in grid.iter_rows() for c in line if isinstance(c.value, str)]
    block = next(t for t in texts if "BLOCK-1" in t)
    segments = [r for r in schedule_rows(results["block"]) if r["kind"] == "segment"]
    assert all(f"{r['start']}-{r['end']} {r['item_id']}" in block for r in segments)
    assert not any(t.startswith("DC block segment") for t in texts)


def test_the_workbook_lists_the_requests_not_placed_and_the_eligibility(results, exported):
    book = openpyxl.load_workbook(exported["individual"] / "schedule.xlsx")
    not_placed = list(book["Not placed"].iter_rows(min_row=2, values_only=True))
    with open(results["individual"] / "unscheduled.csv", encoding="utf-8") as handle:
        expected = [(r["request_id"], for_people(r["reason"])) for r in csv.DictReader(handle)]
    assert len(expected) == 1 and [(r[0], r[-1]) for r in not_placed] == expected
    eligibility = list(book["Eligibility"].iter_rows(values_only=True))
    assert eligibility[0][:3] == ("dc_id", "category", "eligible")
    assert sorted(r[0] for r in eligibility[1:]) == ["D1", "D2", "D3", "D4"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_the_csv_for_excel_has_a_bom_and_the_delimiter_asked_for(results, tmp_path, delimiter):
    result = run("export", results["individual"], "--format", "csv", "--out", tmp_path,
                 "--delimiter", delimiter)
    assert result.exit_code == 0, result.output
    raw = (tmp_path / "schedule-excel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Zoë Ñúñez".encode() in raw
    frame = pd.read_csv(tmp_path / "schedule-excel.csv", sep=delimiter, encoding="utf-8-sig",
                        dtype=str)
    rows = schedule_rows(results["individual"])
    assert len(frame) == len(rows)
    got = {r["Item"]: (dt.datetime.fromisoformat(f"{r['Date']}T{r['Start']}").replace(tzinfo=TOKYO),
                       dt.datetime.fromisoformat(f"{r['Date']}T{r['End']}").replace(tzinfo=TOKYO))
           for r in frame.to_dict("records")}
    assert got == times(rows)
    not_placed = pd.read_csv(tmp_path / "not-placed-excel.csv", sep=delimiter,
                             encoding="utf-8-sig")
    assert len(not_placed) == 1


def events(path: Path) -> list:
    return Calendar.from_ical(path.read_bytes()).walk("VEVENT")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_calendar_of_every_item_has_each_at_its_time_in_the_event_time_zone(
        results, exported, scenario):
    rows = schedule_rows(results[scenario])
    found = events(exported[scenario] / "calendars" / "all.ics")
    assert len(found) == len(rows)
    got = {e["UID"].split("@")[0]: (e.decoded("DTSTART"), e.decoded("DTEND")) for e in found}
    assert got == times(rows)
    assert all(str(e.decoded("DTSTART").tzinfo) == "Asia/Tokyo" for e in found)
    calendar = Calendar.from_ical((exported[scenario] / "calendars/all.ics").read_bytes())
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]


def test_a_dc_calendar_has_its_own_items_with_room_co_organisers_and_speakers(
        results, exported):
    found = events(exported["individual"] / "calendars" / "D2.ics")
    # D2's items: the joint R1 and, when placed, its own R2 (capacity leaves one of R2 and R3
    # out, equally good: which one is the search's choice).
    own = sorted(r["item_id"] for r in schedule_rows(results["individual"])
                 if "D2" in r["dc_ids"].split(";"))
    assert "R1" in own and sorted(e["UID"].split("@")[0] for e in found) == own
    joint = next(e for e in found if e["UID"].startswith("R1@"))
    row = next(r for r in schedule_rows(results["individual"]) if r["item_id"] == "R1")
    assert joint["LOCATION"] == f"Room {row['room']}"
    description = str(joint["DESCRIPTION"])
    assert "Organised by: D1 - Dynamic Coalition D1" in description
    assert "Co-organisers: D2 - Dynamic Coalition D2" in description
    assert "Speakers: Zoë Ñúñez, Person P2" in description
    placed = {d for r in schedule_rows(results["individual"]) for d in r["dc_ids"].split(";")}
    assert {p.stem for p in (exported["individual"] / "calendars").glob("*.ics")} == \
        placed | {"all"}


def test_a_dc_calendar_in_a_block_has_its_segment_naming_the_block_not_the_block(exported):
    found = events(exported["block"] / "calendars" / "D3.ics")
    assert [e["UID"].split("@")[0] for e in found] == ["R3"]
    assert "Part of BLOCK-1" in str(found[0]["DESCRIPTION"])
    assert "BLOCK-1" in str(found[0]["SUMMARY"])


def test_every_dc_calendar_of_a_dc_day_has_the_plenaries(results, exported):
    for dc in ("D1", "D2", "D3", "D4"):
        uids = {e["UID"].split("@")[0] for e in events(exported["dc_day"] / "calendars" /
                                                        f"{dc}.ics")}
        assert {"DCDAY-OPENING", "DCDAY-CLOSING"} <= uids


def test_a_dc_no_longer_placed_loses_its_old_calendar(results, tmp_path):
    """The ics files of an earlier export into the folder are replaced, all of them; the other
    formats exported there stay."""
    out = tmp_path / "out"
    assert run("export", results["individual"], "--format", "ics", "--out", out).exit_code == 0
    assert run("export", results["individual"], "--format", "xlsx", "--out", out).exit_code == 0
    earlier = {p.name for p in (out / "calendars").iterdir()}
    # One DC session: at most two of the four DCs (R1 is joint) are placed.
    fewer = tmp_path / "fewer"
    solved = run("solve", results["individual"].parent / "individual.toml", "--out", fewer,
                 "--quiet", "--set", "capacity.max_dc_sessions=1")
    assert solved.exit_code == 0, solved.output
    again = run("export", fewer, "--format", "ics", "--out", out)
    assert again.exit_code == 0, again.output
    now = {p.name for p in (out / "calendars").iterdir()}
    assert now == {Path(name).name for name in ics.render(load_source(fewer))}
    assert f"calendars/ ({len(now)} files)" in " ".join(again.output.split())
    assert earlier != now and (out / "schedule.xlsx").is_file()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_frab_xml_passes_the_frab_schema_with_every_item_at_its_time(
        results, exported, scenario):
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    document = etree.parse(str(exported[scenario] / "schedule.xml"))
    assert schema.validate(document), schema.error_log
    rows = schedule_rows(results[scenario])
    found = document.findall("day/room/event")
    assert len(found) == len(rows)
    got = {}
    for event in found:
        start = dt.datetime.fromisoformat(event.findtext("date"))
        hours, minutes = map(int, event.findtext("duration").split(":"))
        assert event.findtext("start") == start.strftime("%H:%M")
        assert event.findtext("room") == event.getparent().get("name")
        got[event.findtext("slug").rsplit("-dc-", 1)[1]] = (
            start, start + dt.timedelta(hours=hours, minutes=minutes))
    assert got == {k.lower(): v for k, v in times(rows).items()}


def test_the_frab_schema_catches_a_broken_schedule(exported):
    """The schema is strict enough to matter: an event without its guid fails."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    document = etree.parse(str(exported["block"] / "schedule.xml"))
    del document.find("day/room/event").attrib["guid"]
    assert not schema.validate(document)


def format_checker() -> jsonschema.FormatChecker:
    """The formats the schema uses, checked with the standard library (jsonschema checks
    date-time and uri only when optional packages are installed)."""
    checker = jsonschema.FormatChecker()
    checker.checks("date", raises=ValueError)(lambda v: bool(dt.date.fromisoformat(v)))
    checker.checks("date-time", raises=ValueError)(
        lambda v: dt.datetime.fromisoformat(v).tzinfo is not None)
    checker.checks("uuid", raises=ValueError)(lambda v: bool(uuid.UUID(v)))
    checker.checks("uri")(lambda v: ":" in v and v.split(":", 1)[0].isalpha())
    return checker


def duration(hhmm: str) -> dt.timedelta:
    hours, minutes = hhmm.split(":")
    return dt.timedelta(hours=int(hours), minutes=int(minutes))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_schedule_json_passes_its_schema_with_every_item_at_its_time(
        results, exported, scenario):
    schema = json.loads((SCHEMAS / "schedule.json.schema.json").read_text(encoding="utf-8"))
    data = json.loads((exported[scenario] / "schedule.json").read_text(encoding="utf-8"))
    jsonschema.Draft6Validator(schema, format_checker=format_checker()).validate(data)
    rows = schedule_rows(results[scenario])
    conference = data["schedule"]["conference"]
    found = [(room, event) for day in conference["days"]
             for room, room_events in day["rooms"].items() for event in room_events]
    assert len(found) == len(rows)
    assert all(event["room"] == room for room, event in found)
    got = {event["slug"].rsplit("-dc-", 1)[1]: (start := dt.datetime.fromisoformat(event["date"]),
                                                start + duration(event["duration"]))
           for _, event in found}
    assert got == {k.lower(): v for k, v in times(rows).items()}
    assert [d["date"] for d in conference["days"]] == ["2024-12-16", "2024-12-17"]


def test_frab_and_json_agree_on_ids(exported):
    document = etree.parse(str(exported["block"] / "schedule.xml"))
    data = json.loads((exported["block"] / "schedule.json").read_text(encoding="utf-8"))
    xml_ids = {(e.get("id"), e.get("guid")) for e in document.findall("day/room/event")}
    json_ids = {(str(e["id"]), e["guid"]) for d in data["schedule"]["conference"]["days"]
                for room in d["rooms"].values() for e in room}
    assert xml_ids == json_ids


def test_the_same_result_gives_byte_identical_files(results, exported, tmp_path):
    assert run("export", results["block"], "--format", "all", "--out", tmp_path).exit_code == 0
    first = {p.relative_to(exported["block"]): p.read_bytes()
             for p in exported["block"].rglob("*") if p.is_file()}
    again = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first[Path("schedule.xlsx")])) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 4, 1, 0, 0, 0)}
    assert b"DTSTAMP:20240401T000000Z" in first[Path("calendars/all.ics")]


def test_all_writes_every_format(exported):
    files = {p.name for p in exported["individual"].rglob("*") if p.is_file()}
    assert {"schedule.xlsx", "schedule-excel.csv", "not-placed-excel.csv", "all.ics",
            "schedule.xml", "schedule.json", "index.html"} <= files


@pytest.mark.parametrize("column, value, message", [
    ("room", "Z", "unknown room 'Z'"),
    ("day", "Day 9", "unknown day 'Day 9'"),
    ("date", "2024-12-31", "2024-12-31 is not the date of"),
    ("dc_ids", "D1;D7", "unknown coalition 'D7'"),
    ("speakers", "P1;P99", "unknown person 'P99'"),
    ("block_id", "BLOCK-9", "session of unknown block 'BLOCK-9'"),
])
def test_a_hand_edited_row_naming_what_does_not_exist_exits_2_and_writes_nothing(
        results, tmp_path, column, value, message):
    folder = tmp_path / "edited"
    folder.mkdir()
    for name in ("schedule.csv", "unscheduled.csv", "metrics.json"):
        (folder / name).write_bytes((results["individual"] / name).read_bytes())
    rows = schedule_rows(folder)
    rows[1][column] = value
    with open(folder / "schedule.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    assert run("export", results["individual"], "--format", "ics", "--out", out).exit_code == 0
    earlier = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = run("export", folder, "--format", "all", "--out", out)
    assert result.exit_code == 2
    warning, error = result.output.strip().splitlines()    # no manifest.json: made by hand
    assert warning.startswith(f"warning: {folder}: no manifest.json: read as made or edited")
    assert error.startswith(
        f"error: {folder / 'schedule.csv'}, row 3, column '{column}': {message}")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == earlier


@pytest.mark.parametrize("args, message", [
    (["--format", "pdf"], "unknown format 'pdf'"),
    (["--format", "xlsx", "--scenario", "nowhere.toml"], "nowhere.toml"),
])
def test_bad_options_exit_2_with_one_line(results, tmp_path, args, message):
    result = run("export", results["individual"], "--out", tmp_path, *args)
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1 and not any(tmp_path.iterdir())


def test_a_folder_that_is_not_a_result_exits_2(tmp_path):
    result = run("export", tmp_path, "--format", "xlsx", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "metrics.json" in result.output


# --- no cell runs as a formula in a spreadsheet --------------------------------------------------

FORMULAS = {"R1": '=HYPERLINK("http://example.org/x","click")', "R2": "+1+2",
            "R3": "-3+4", "R4": "@SUM(A1:A2)"}


def test_a_formula_in_a_title_or_name_is_text_in_the_xlsx_and_the_excel_csv(tmp_path):
    """OWASP's rule: a cell starting with =, +, -, @, tab or CR is written so that no
    spreadsheet runs it, and its text still reads back."""
    tables = small_tables()
    for row in tables["requests"]:
        row["title"] = FORMULAS[row["request_id"]]
    for room in tables["rooms"]:
        room["name"] = f"=1+{room['room_id']}"
    tables["people"][0]["name"] = "\t=cmd|'/c calc'!A1"
    scenario = write_scenario(tmp_path / "s.toml", write_dataset(tmp_path / "data", tables))
    assert run("solve", scenario, "--out", tmp_path / "r", "--quiet").exit_code == 0
    result = run("export", tmp_path / "r", "--format", "all", "--out", tmp_path / "x")
    assert result.exit_code == 0, result.output
    # The name of a room the schedule uses (which one is the solver's choice among equals).
    with open(tmp_path / "r" / "schedule.csv", encoding="utf-8", newline="") as placed:
        room_name = "=1+" + next(csv.DictReader(placed))["room"]

    book = openpyxl.load_workbook(tmp_path / "x" / "schedule.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert set(FORMULAS.values()) <= texts and room_name in texts
    risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@\t\r"]
    assert risky and all(c.quotePrefix for c in risky)

    seen = set()
    for name in ("schedule-excel.csv", "not-placed-excel.csv"):
        text = (tmp_path / "x" / name).read_bytes().decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell)
                if cell.startswith("'"):
                    seen.add(cell[1:])
    assert set(FORMULAS.values()) <= seen and room_name in seen
    # schedule.csv, the exchange format the tool reads back, keeps the text exactly
    with open(tmp_path / "r" / "schedule.csv", newline="", encoding="utf-8") as handle:
        titles = {row["title"] for row in csv.DictReader(handle)}
    assert titles and titles <= set(FORMULAS.values())


def test_every_sheet_prints_landscape_on_the_pages_width_with_its_headers_repeated(exported):
    book = openpyxl.load_workbook(exported["block"] / "schedule.xlsx")
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        day = sheet.title.startswith("Day")
        rooms = sheet.max_column - 1
        wide = -(-rooms // 8) if day else 1   # a day's grid: 8 rooms a page, to stay legible
        assert (setup.fitToWidth, setup.fitToHeight) == (wide, 0), sheet.title
        assert sheet.print_title_rows == ("$1:$2" if day else "$1:$1"), sheet.title
        assert sheet.print_title_cols == ("$A:$A" if day else None), sheet.title


# Their own route from schedule.json to frab XML: load it as a Schedule, serialise it as XML.
C3VOC_CONVERSION = ("import sys; from voc import Schedule; "
                    "sys.stdout.write(Schedule.from_file(sys.argv[1]).xml())")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_c3voc_tools_convert_the_schedule_json_to_frab_xml_that_passes_its_schema(
        results, tmp_path, scenario):
    """Conference tooling (C3VOC, voctomix imports) reads schedule.json with the C3VOC
    library and converts it to frab XML, which must pass frab's schema: every key of an event
    becomes an element (an extra `end` broke it) and `url` must be http(s)."""
    if not Path(C3VOC_PYTHON).is_file():
        pytest.fail(f"the C3VOC conversion test needs the C3VOC schedule tools at "
                    f"{C3VOC_PYTHON}: run `make c3voc-tools`, or set C3VOC_PYTHON=/path",
                    pytrace=False)
    result = run("export", results[scenario], "--format", "json", "--out", tmp_path,
                 "--base-url", "https://example.org/igf")
    assert result.exit_code == 0, result.output
    converted = subprocess.run([C3VOC_PYTHON, "-c", C3VOC_CONVERSION,
                                str(tmp_path / "schedule.json")],
                               capture_output=True, text=True, timeout=60)
    assert converted.returncode == 0, converted.stderr
    document = etree.fromstring(converted.stdout.encode("utf-8"))
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "schedule.xml.xsd")))
    assert schema.validate(document), schema.error_log
    events = document.findall("day/room/event")
    assert len(events) == len(schedule_rows(results[scenario]))
    assert all(e.findtext("url").startswith("https://example.org/igf/") for e in events)
    sessions = [e for e in events if e.findtext("type") == "DC session"]
    assert all(e.findtext("url").endswith(f"/dc/{e.findtext('abstract').split(' ')[0]}.html")
               for e in sessions)


def test_a_base_url_that_is_not_http_exits_2(results, tmp_path):
    result = run("export", results["individual"], "--format", "json", "--out", tmp_path,
                 "--base-url", "example.org/igf")
    assert result.exit_code == 2 and "--base-url" in result.output
    assert not any(tmp_path.iterdir())
