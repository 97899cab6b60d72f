"""`igf-sched import`: a programme as conference tools publish it becomes a dataset the engine
accepts, with a report of what was read, assumed and not mapped.

Round trips: what `igf-sched export` writes (frab XML, schedule.json, iCalendar: the DC items of a
result) imports back as a programme of the same items: titles, dates, times, rooms by name, and
what each format carries of people (by name: frab and JSON; iCalendar names none) and themes
(frab and JSON carry one track; iCalendar every category). The xlsx round trip is the data
contract's own workbook (`datasets.workbook.write`, one sheet per file), which gives back the
same dataset; the export's schedule.xlsx is a report for people, not a dataset.

The real 36C3 programme (../shared/real/ccc36c3/schedule.xml, not in the repository; or
$IGF_SCHED_36C3) is imported and gets generated DC requests placed into it; skipped, saying why,
where it is absent.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from factory import small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.datasets import workbook
from scheduler.datasets.published import Published, PublishedEvent, to_dataset
from scheduler.datasets.writer import write_dataset as write_dataset_files
from scheduler.load import load_dataset

REPO = Path(__file__).resolve().parent.parent
REAL_36C3 = Path(os.environ.get("IGF_SCHED_36C3")
                 or REPO.parent / "shared" / "real" / "ccc36c3" / "schedule.xml")
FORMAT_FILES = {"frab": "schedule.xml", "json": "schedule.json", "ics": "calendars/all.ics"}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def rows_of(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """A small result (individual sessions, one joint) exported in every format."""
    base = tmp_path_factory.mktemp("exported")
    tables = small_tables()
    tables["requests"][0]["dc_ids"] = "D1;D2"
    tables["people"][0]["name"] = "Zoë Ñúñez"
    data = write_dataset(base / "data", tables)
    scenario = write_scenario(base / "s.toml", data, capacity={"max_dc_sessions": 3})
    assert run("solve", scenario, "--out", base / "result", "--quiet").exit_code == 0
    result = run("export", base / "result", "--format", "all", "--out", base / "export")
    assert result.exit_code == 0, result.output
    return base


def programme_as_published(folder: Path) -> list[tuple]:
    """(date, start, end, title, room name, people names, themes) of every session."""
    dataset = load_dataset(folder)
    names = {p.person_id: p.name for p in dataset.people}
    return sorted((dataset.day_by_label[s.day].date.isoformat(), s.start, s.end, s.title,
                   dataset.room_by_id[s.room].name if s.room else "",
                   tuple(sorted(names[p] for p in s.people)), s.themes)
                  for s in dataset.programme)


def schedule_as_published(base: Path, fmt: str) -> list[tuple]:
    """The same tuples from the exported result's schedule.csv, as much as `fmt` carries."""
    dataset = load_dataset(base / "data")
    names = {p.person_id: p.name for p in dataset.people}
    items = []
    for row in rows_of(base / "result" / "schedule.csv"):
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (row["start"], row["end"]))
        themes = tuple(t for t in row["themes"].split(";") if t)
        people = tuple(sorted(names[p] for p in row["speakers"].split(";") if p))
        items.append((row["date"], start, end, row["title"],
                      dataset.room_by_id[row["room"]].name,
                      () if fmt == "ics" else people,
                      themes if fmt == "ics" else themes[:1]))
    return sorted(items)


@pytest.mark.parametrize("fmt", sorted(FORMAT_FILES))
def test_an_export_imports_back_as_the_same_programme(exported, tmp_path, fmt):
    source = exported / "export" / FORMAT_FILES[fmt]
    result = run("import", source, "--out", tmp_path / "ds")
    assert result.exit_code == 0, result.output
    assert programme_as_published(tmp_path / "ds") == schedule_as_published(exported, fmt)
    dataset = load_dataset(tmp_path / "ds")
    assert dataset.event.timezone == "Asia/Tokyo"   # the file's own zone, not an offset
    assert (tmp_path / "ds" / "import-report.md").read_text(encoding="utf-8") in result.output


def test_the_data_contract_workbook_round_trips_to_the_same_dataset(exported, tmp_path):
    book = workbook.write(exported / "data", tmp_path / "igf.xlsx")
    result = run("import", book, "--out", tmp_path / "ds")
    assert result.exit_code == 0, result.output
    before, after = load_dataset(exported / "data"), load_dataset(tmp_path / "ds")
    for part in ("event", "rooms", "programme", "coalitions", "requests", "people"):
        assert getattr(after, part) == getattr(before, part), part


def test_a_bad_cell_in_the_workbook_names_its_sheet_row_and_column(exported, tmp_path):
    import openpyxl

    book = workbook.write(exported / "data", tmp_path / "igf.xlsx")
    loaded = openpyxl.load_workbook(book)
    loaded["rooms"]["C3"] = "lots"          # row 3 of the rooms sheet, column capacity
    loaded.save(book)
    result = run("import", book, "--out", tmp_path / "ds")
    assert result.exit_code == 2
    assert f"{book}, sheet 'rooms', row 3, column 'capacity'" in result.output
    assert not (tmp_path / "ds").exists()


@pytest.mark.parametrize("fmt", sorted(FORMAT_FILES))
def test_an_imported_export_takes_generated_requests_that_solve_and_check(exported, tmp_path,
                                                                         fmt):
    assert run("import", exported / "export" / FORMAT_FILES[fmt], "--room-capacity", "500",
               "--room-features", "hybrid;captioning;step_free;interpretation",
               "--out", tmp_path / "ds").exit_code == 0
    result = run("generate", "--seed", 2, "--requests", 4, "--programme", tmp_path / "ds",
                 "--out", tmp_path / "with-dcs", "--scenarios", tmp_path / "sc")
    assert result.exit_code == 0, result.output
    programme = (tmp_path / "ds" / "programme.csv").read_bytes()
    assert (tmp_path / "with-dcs" / "programme.csv").read_bytes() == programme, "kept as is"
    assert sorted(p.name for p in (tmp_path / "sc").glob("*.toml")) == [
        "block.toml", "individual.toml", "mixed.toml"], "no Day 0: no Day-0 DC Day"
    scenario = tmp_path / "sc" / "individual.toml"
    assert run("eligibility", scenario).exit_code == 0
    solved = run("solve", scenario, "--out", tmp_path / "out", "--quiet",
                 "--set", "solver.time_limit=10")
    assert solved.exit_code == 0, solved.output
    assert rows_of(tmp_path / "out" / "schedule.csv"), "some DC session is placed"
    checked = run("check", tmp_path / "out" / "schedule.csv", "--scenario", scenario)
    assert checked.exit_code == 0, checked.output


FRAB_EVENT = ("<event id='7'><date>{date}</date><duration>01:00</duration><room>A</room>"
              "<title>T</title><type>talk</type><track>X</track><persons/></event>")


def frab(date="2024-05-01T10:00:00+02:00", zone="", room="<room name='A'>{event}</room>"):
    return (f"<schedule><conference><title>C</title>{zone}</conference>"
            f"<day index='1' date='2024-05-01'>"
            f"{room.format(event=FRAB_EVENT.format(date=date))}</day></schedule>")


def ics(dtstart="DTSTART;TZID=Europe/Berlin:20240501T100000", location="LOCATION:A\n"):
    return ("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:e1@x\nSUMMARY:S\n"
            f"{dtstart}\nDTEND;TZID=Europe/Berlin:20240501T110000\n{location}"
            "DTSTAMP:20240101T000000Z\nEND:VEVENT\nEND:VCALENDAR\n").replace("\n", "\r\n")


@pytest.mark.parametrize("name, text, message", [
    ("s.xml", "this is not xml", "is not XML: syntax error (line 1, column 1)"),
    ("s.xml", "<html><body/></html>", "the root element is <html>, not <schedule>"),
    ("s.xml", frab(date="2024-05-01T10:00:00"),
     "<event id='7'> <date>: '2024-05-01T10:00:00' has no UTC offset and the file names no time "
     "zone"),
    ("s.xml", frab(room="<room name=''><event/></room>".replace("<event/>", "")),
     "no rooms: no event names a room"),
    ("s.json", '{"schedule": ', "is not JSON: Expecting value (line 1, column 14)"),
    ("s.json", '{"version": "1.0", "talks": []}', "has no schedule.conference.days"),
    ("s.json", '{"schedule": 5}', "has no schedule.conference.days"),
    ("s.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "has no VEVENT"),
    ("s.ics", "hello", "is not iCalendar: line 1 is not BEGIN:VCALENDAR"),
    ("s.ics", ics(dtstart="DTSTART:20240501T100000"),
     "the VEVENT of line 4 (UID e1@x): DTSTART 2024-05-01T10:00:00 has no time zone"),
    ("s.ics", ics(location=""), "no rooms: no event names a room"),
    ("s.ics", ics().replace("PRODID:x", "PRODID:x\r\nX-WR-TIMEZONE:Mars/Olympus"),
     "X-WR-TIMEZONE: 'Mars/Olympus' is not an IANA time zone"),
    ("s.xml", frab(zone="<time_zone_name>Mars/Olympus</time_zone_name>"),
     "<time_zone_name>: 'Mars/Olympus' is not an IANA time zone"),
    ("s.xml", frab().replace("<date>2024-05-01T10:00:00+02:00</date>", ""),
     "<event id='7'> <date> is missing"),
    ("s.xlsx", "not a workbook", "is not an xlsx workbook"),
    ("s.txt", "plain words", "is not a format igf-sched imports"),
])
def test_a_bad_file_exits_2_naming_the_file_and_where(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run("import", path, "--out", tmp_path / "ds")
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {path}: ") and message in result.output, \
        result.output
    assert "Traceback" not in result.output and not (tmp_path / "ds").exists()


def test_a_file_without_a_zone_but_one_offset_gets_that_offset_said_in_the_report(tmp_path):
    path = tmp_path / "s.xml"
    path.write_text(frab(), encoding="utf-8")
    result = run("import", path, "--out", tmp_path / "ds")
    assert result.exit_code == 0, result.output
    assert "time zone Etc/GMT-2: the file names none and every time is at UTC+02:00" \
        in result.output
    assert load_dataset(tmp_path / "ds").programme[0].start == 10 * 60
    named = run("import", path, "--timezone", "Europe/Berlin", "--out", tmp_path / "named")
    assert named.exit_code == 0 and load_dataset(tmp_path / "named").event.timezone \
        == "Europe/Berlin"


def test_midnight_and_a_room_running_two_events_are_mapped_and_said(tmp_path):
    events = "".join(
        f"<event id='{key}'><date>{date}</date><duration>{length}</duration><title>{key}"
        f"</title><persons><person id='1'>Ann</person></persons></event>"
        for key, date, length in (("late", "2024-05-01T23:00:00+02:00", "02:00"),
                                  ("same", "2024-05-01T23:30:00+02:00", "00:30")))
    path = tmp_path / "s.xml"
    path.write_text(frab(zone="<time_zone_name>Europe/Berlin</time_zone_name>",
                         room=f"<room name='A'>{events}</room>"), encoding="utf-8")
    result = run("import", path, "--out", tmp_path / "ds")
    assert result.exit_code == 0, result.output
    dataset = load_dataset(tmp_path / "ds")
    parts = {(s.session_id, s.day, s.start, s.end, s.room) for s in dataset.programme}
    assert parts == {("late", "Day 1", 23 * 60, 23 * 60 + 59, "A"),
                     ("late-2", "Day 2", 0, 60, "A"),
                     ("same", "Day 1", 23 * 60 + 30, 24 * 60 - 1, "A-2")}
    lane = dataset.room_by_id["A-2"]
    assert (lane.name, lane.capacity) == ("A #2", 0)
    assert "1 events run past midnight" in result.output
    assert "Ann (P-" in result.output and "at the same time as published" in result.output


def test_a_person_keeps_their_id_across_imports(exported, tmp_path):
    source = exported / "export" / "schedule.json"
    for name in ("one", "two"):
        assert run("import", source, "--out", tmp_path / name).exit_code == 0
    assert (tmp_path / "one" / "people.csv").read_bytes() == \
        (tmp_path / "two" / "people.csv").read_bytes()


def test_a_non_empty_out_folder_is_refused_and_kept(exported, tmp_path):
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "mine.txt").write_text("keep me")
    result = run("import", exported / "export" / "schedule.xml", "--out", tmp_path / "ds")
    assert result.exit_code == 2 and "not empty" in result.output
    assert [p.name for p in (tmp_path / "ds").iterdir()] == ["mine.txt"]


@pytest.fixture(scope="module")
def ccc36c3(tmp_path_factory) -> tuple[Path, str]:
    if not REAL_36C3.is_file():
        pytest.skip(f"the real 36C3 schedule is not at {REAL_36C3} (the shared folder beside "
                    "the repository, or $IGF_SCHED_36C3)")
    out = tmp_path_factory.mktemp("36c3") / "ds"
    result = run("import", REAL_36C3, "--room-capacity", "400", "--room-features",
                 "hybrid;captioning;step_free", "--out", out)
    assert result.exit_code == 0, result.output
    return out, result.output


def test_the_36c3_programme_imports_with_its_published_figures(ccc36c3):
    out, output = ccc36c3
    assert "1351 events, 92 rooms, 878 people by name, 4 days (2019-12-27 to 2019-12-31)" \
        in output
    warnings = output.split("## Warnings")[1]
    assert warnings.count("at the same time as published") == 23
    dataset = load_dataset(out)
    assert len(dataset.programme) == 1351 - 1 + 38   # one of 0 minutes; 38 cut at midnight
    assert dataset.event.timezone == "Etc/GMT-1" and dataset.event.granularity == 10


def test_generated_dc_requests_are_placed_into_the_36c3_programme(ccc36c3, tmp_path):
    out, _ = ccc36c3
    result = run("generate", "--seed", 3, "--requests", 4, "--programme", out,
                 "--out", tmp_path / "with-dcs")
    assert result.exit_code == 0, result.output
    # One day and the interval formulation keep the model small enough for a test.
    scenario = write_scenario(tmp_path / "s.toml", tmp_path / "with-dcs",
                              capacity={"days": ["Day 2"]},
                              solver={"formulation": "interval", "time_limit": 20})
    solved = run("solve", scenario, "--out", tmp_path / "out", "--quiet")
    assert solved.exit_code == 0, solved.output
    placed = rows_of(tmp_path / "out" / "schedule.csv")
    assert placed and {row["day"] for row in placed} == {"Day 2"}
    checked = run("check", tmp_path / "out" / "schedule.csv", "--scenario", scenario)
    assert checked.exit_code == 0, checked.output


def test_a_programme_merged_into_a_dataset_joins_its_days_rooms_people_and_requests(
        exported, tmp_path):
    data = exported / "data"
    result = run("import", exported / "export" / "schedule.xml", "--into", data,
                 "--out", tmp_path / "merged")
    assert result.exit_code == 0, result.output
    for kept in ("event.toml", "coalitions.csv", "requests.csv"):
        assert (tmp_path / "merged" / kept).read_bytes() == (data / kept).read_bytes(), kept
    before, merged = load_dataset(data), load_dataset(tmp_path / "merged")
    assert merged.rooms == before.rooms and merged.people == before.people, "all by name"
    placed = {(row["day"], row["start"], row["end"], row["room"], row["speakers"])
              for row in rows_of(exported / "result" / "schedule.csv")}
    assert {(s.day, f"{s.start // 60:02d}:{s.start % 60:02d}", f"{s.end // 60:02d}:"
             f"{s.end % 60:02d}", s.room, ";".join(s.people)) for s in merged.programme} == placed
    assert run("eligibility", write_scenario(tmp_path / "s.toml", tmp_path / "merged")) \
        .exit_code == 0


def test_merging_a_programme_on_a_date_the_dataset_lacks_exits_2(exported, tmp_path):
    path = tmp_path / "s.xml"
    path.write_text(frab(), encoding="utf-8")
    result = run("import", path, "--into", exported / "data", "--out", tmp_path / "merged")
    assert result.exit_code == 2
    assert "has events on 2024-05-01, a date" in result.output and "has no day for" \
        in result.output
    assert not (tmp_path / "merged").exists()


BERLIN = "Europe/Berlin"


@st.composite
def published_programmes(draw):
    """A few events in three rooms over three days, some past midnight, some at once in one
    room, people shared between them."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(BERLIN)
    events = []
    for n in range(draw(st.integers(1, 12))):
        start = dt.datetime(2024, 5, 1, tzinfo=zone) + dt.timedelta(
            minutes=5 * draw(st.integers(0, 3 * 24 * 12 - 1)))
        length = 5 * draw(st.integers(1, 120))
        events.append(PublishedEvent(
            key=str(n), title=f"E{n}", start=start, end=start + dt.timedelta(minutes=length),
            room=draw(st.sampled_from(["A", "B", "C"])), type="talk",
            people=tuple(draw(st.sets(st.sampled_from(["Ann", "Bo", "Cy", "Di"]), max_size=2)))))
    return Published(source=Path("p.xml"), format="test", name="P", events=events,
                     timezone=BERLIN)


@given(published_programmes())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_published_programme_becomes_a_dataset_the_loader_accepts_holding_every_minute(
        published):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(BERLIN)
    files, report = to_dataset(published)
    with tempfile.TemporaryDirectory() as folder:
        dataset = write_dataset_files(files, Path(folder) / "ds")
    minutes: dict[str, int] = {}
    for session in dataset.programme:
        key = session.session_id.split("-")[0]
        minutes[key] = minutes.get(key, 0) + session.end - session.start
    for event in published.events:
        start, end = event.start.astimezone(zone), event.end.astimezone(zone)
        midnights = (end.date() - start.date()).days   # each costs the minute 23:59-24:00
        length = int((end - start).total_seconds() // 60)
        assert minutes[event.key] == length - midnights, event
    people = {name for event in published.events for name in event.people}
    assert len(dataset.people) == len(people)
    assert report.figures["people_in_overlapping_events"] == len({
        name for a in published.events for b in published.events if a is not b
        and a.start < b.end and b.start < a.end for name in set(a.people) & set(b.people)})


def test_a_cancelled_calendar_event_is_left_out_and_said(tmp_path):
    path = tmp_path / "s.ics"
    text = ics()
    cancelled = text[text.index("BEGIN:VEVENT"):text.index("END:VCALENDAR")] \
        .replace("UID:e1@x", "UID:e2@x").replace("SUMMARY:S", "SUMMARY:Gone\r\nSTATUS:CANCELLED")
    path.write_text(text.replace("END:VCALENDAR", cancelled + "END:VCALENDAR"), encoding="utf-8")
    result = run("import", path, "--out", tmp_path / "ds")
    assert result.exit_code == 0, result.output
    assert [s.title for s in load_dataset(tmp_path / "ds").programme] == ["S"]
    assert "(UID e2@x): 'Gone' is cancelled" in result.output


def test_generate_on_a_programme_writes_the_same_bytes_for_the_same_arguments(exported, tmp_path):
    assert run("import", exported / "export" / "schedule.json", "--out", tmp_path / "ds") \
        .exit_code == 0
    for name in ("one", "two"):
        result = run("generate", "--seed", 5, "--requests", 6, "--programme", tmp_path / "ds",
                     "--out", tmp_path / name)
        assert result.exit_code == 0, result.output
    for path in sorted((tmp_path / "one").iterdir()):
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name
    refused = run("generate", "--programme", tmp_path / "ds", "--rooms", 5, "--out",
                  tmp_path / "three")
    assert refused.exit_code == 2 and "--rooms, --days and --scale do not apply" in refused.output


def test_force_replaces_an_imported_dataset_never_someone_elses_folder(exported, tmp_path):
    source = exported / "export" / "schedule.xml"
    assert run("import", source, "--out", tmp_path / "ds").exit_code == 0
    assert run("import", source, "--force", "--out", tmp_path / "ds").exit_code == 0
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = run("import", source, "--force", "--out", tmp_path / "mine")
    assert result.exit_code == 2 and "not written by igf-sched" in result.output
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]
