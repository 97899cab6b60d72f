"""Themes by name for people: the optional themes.csv names the theme ids the data uses, and
every people-facing output (calendars, conference-app tracks, the workbook, the site) shows the
names; schedule.csv, the exchange format, keeps the ids."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from icalendar import Calendar

from factory import small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.errors import on_warning
from scheduler.load import load_dataset

NAMES = {"DATA": "Data Governance & Trust", "RIGHTS": "Human Rights & Freedoms",
         "DIVIDE": "Digital Divides & Inclusion"}      # AI, used by R4, is left unnamed


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write_themes(folder: Path, rows: list[tuple[str, str]]) -> Path:
    with open(folder / "themes.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("theme_id", "name"))
        writer.writerows(rows)
    return folder


def test_names_are_read_and_a_theme_without_one_is_shown_by_its_id_with_a_warning(tmp_path):
    data = write_themes(write_dataset(tmp_path / "data", small_tables()), list(NAMES.items()))
    warnings = []
    with on_warning(warnings.append):
        dataset = load_dataset(data)
    assert dataset.theme_name("RIGHTS") == "Human Rights & Freedoms"
    assert dataset.theme_name("AI") == "AI"
    [warning] = [w for w in warnings if "themes.csv" in str(w)]
    assert "AI" in str(warning) and "no name" in str(warning)


def test_without_themes_csv_themes_are_their_ids(tmp_path):
    dataset = load_dataset(write_dataset(tmp_path / "data", small_tables()))
    assert dataset.themes == () and dataset.theme_name("DATA") == "DATA"


def test_a_theme_named_twice_is_bad_input_naming_file_row_and_column(tmp_path):
    data = write_themes(write_dataset(tmp_path / "data", small_tables()),
                        [("DATA", "Data"), ("RIGHTS", "Rights"), ("DATA", "Data again")])
    scenario = write_scenario(tmp_path / "s.toml", data)
    result = run("eligibility", scenario)
    assert result.exit_code == 2
    assert "themes.csv" in result.output and "row 4" in result.output
    assert "theme_id" in result.output and "duplicate" in result.output


def test_every_people_facing_export_shows_theme_names_and_schedule_csv_keeps_ids(tmp_path):
    data = write_themes(write_dataset(tmp_path / "data", small_tables()), list(NAMES.items()))
    scenario = write_scenario(tmp_path / "s.toml", data, capacity={"max_dc_sessions": 4})
    assert run("solve", scenario, "--out", tmp_path / "result", "--quiet").exit_code == 0
    with open(tmp_path / "result" / "schedule.csv", newline="", encoding="utf-8") as handle:
        r2 = next(row for row in csv.DictReader(handle) if row["item_id"] == "R2")
    assert r2["themes"] == "RIGHTS"
    out = tmp_path / "export"
    result = run("export", tmp_path / "result", "--format", "all", "--out", out)
    assert result.exit_code == 0, result.output

    events = json.loads((out / "schedule.json").read_text())["schedule"]["conference"]
    tracks = {e["id"]: e["track"] for day in events["days"] for room in day["rooms"].values()
              for e in room}
    assert "Human Rights & Freedoms" in tracks.values() and "RIGHTS" not in tracks.values()
    assert "AI" in tracks.values()                     # unnamed: its id
    assert "<track>Human Rights &amp; Freedoms</track>" in (out / "schedule.xml").read_text()

    calendar = Calendar.from_ical((out / "calendars" / "all.ics").read_bytes())
    categories = {str(c) for event in calendar.walk("VEVENT")
                  for c in event.get("categories").cats}
    assert "Human Rights & Freedoms" in categories and "RIGHTS" not in categories

    sheet = openpyxl.load_workbook(out / "schedule.xlsx")["Schedule"]
    header = [cell.value for cell in sheet[1]]
    themes = {row[header.index("Themes")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "Human Rights & Freedoms" in themes and "RIGHTS" not in themes

    pages = " ".join(p.read_text() for p in out.rglob("*.html"))
    assert "Human Rights &amp; Freedoms" in pages
