"""Bad input: every kind is refused with a message naming the file, the row and the column; from
the command line with exit code 2, one `error:` line, no traceback and no output file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from factory import person, room, session, small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.errors import InputError, on_warning
from scheduler.export.source import load_source
from scheduler.load import load_dataset
from scheduler.plan import build, plan
from scheduler.scenario import load_scenario


# --- helpers ---------------------------------------------------------------------------------

def edit(table: str, index: int, **cells):
    """A change to one row of one table of `small_tables()`."""
    def change(tables):
        tables[table][index].update(cells)
    return change


def add(table: str, row: dict):
    def change(tables):
        tables[table].append(row)
    return change


def edit_day(index: int, **keys):
    def change(tables):
        tables["event"]["days"][index].update(keys)
    return change


def drop_column(path: Path, column: str) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        fields = [f for f in rows[0] if f != column] if rows else []
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def solve_cli(scenario: Path, out: Path, *overrides: str, columns: int | None = 10_000):
    """`igf-sched solve`; a terminal wide enough for any message unless `columns` is None
    (the one-line test at the end uses the 80 columns of a non-terminal)."""
    args = ["solve", str(scenario), "--out", str(out), "--quiet"]
    for assignment in overrides:
        args += ["--set", assignment]
    return CliRunner(env={"COLUMNS": None if columns is None else str(columns)}).invoke(main, args)


def assert_refused(result, out: Path, *words: str) -> None:
    """Exit 2, an `error:` message with every word, no traceback, nothing written to `out`."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    message = result.stderr
    assert message.startswith("error: ") and message.count("\n") == 1
    for word in words:
        assert word in message
    assert "Traceback" not in result.output
    assert not (out / "schedule.csv").exists()
    assert list(out.iterdir()) == []


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


# --- bad cells and rows ----------------------------------------------------------------------

BAD_ROWS = [
    # change, file, row (header is row 1), column, words in the message
    pytest.param(add("rooms", room("A")), "rooms.csv", 5, "room_id", "duplicate id 'A'",
                 id="duplicate-room"),
    pytest.param(add("people", person("P1")), "people.csv", 11, "person_id", "duplicate id 'P1'",
                 id="duplicate-person"),
    pytest.param(add("programme", session("WS1", "Day 2", "11:00", "12:00", "B")),
                 "programme.csv", 6, "session_id", "duplicate id 'WS1'", id="duplicate-session"),
    pytest.param(edit("requests", 1, request_id="R1"), "requests.csv", 3, "request_id",
                 "duplicate id 'R1'", id="duplicate-request"),
    pytest.param(edit("coalitions", 3, dc_id="D1"), "coalitions.csv", 5, "dc_id",
                 "duplicate id 'D1'", id="duplicate-dc"),
    pytest.param(edit("requests", 1, dc_ids="D2;DX"), "requests.csv", 3, "dc_ids",
                 "unknown coalition 'DX'", id="unknown-dc-in-request"),
    pytest.param(edit("programme", 1, room="Z"), "programme.csv", 3, "room", "unknown room 'Z'",
                 id="unknown-room-in-programme"),
    pytest.param(edit("requests", 0, speakers="P1;PX"), "requests.csv", 2, "speakers",
                 "unknown person 'PX'", id="unknown-speaker"),
    pytest.param(edit("programme", 2, people="P8;PX"), "programme.csv", 4, "people",
                 "unknown person 'PX'", id="unknown-person-in-programme"),
    pytest.param(edit("coalitions", 2, members="PX"), "coalitions.csv", 4, "members",
                 "unknown person 'PX'", id="unknown-member"),
    pytest.param(edit("programme", 1, day="Day 7"), "programme.csv", 3, "day",
                 "unknown day 'Day 7'", id="unknown-day-in-programme"),
    pytest.param(edit("requests", 2, preferred_days="Day 9"), "requests.csv", 4,
                 "preferred_days", "unknown day 'Day 9'", id="unknown-preferred-day"),
    pytest.param(edit("rooms", 1, days="Day 1;Day 9"), "rooms.csv", 3, "days",
                 "unknown day 'Day 9'", id="unknown-day-of-room"),
    pytest.param(edit("requests", 0, unavailable="Day 9 09:00-10:00"), "requests.csv", 2,
                 "unavailable", "unknown day 'Day 9'", id="unknown-day-in-unavailable"),
    pytest.param(edit("programme", 1, start="9h30"), "programme.csv", 3, "start",
                 "'9h30' is not a time of the form HH:MM", id="time-not-hhmm"),
    pytest.param(edit("programme", 1, end="25:00"), "programme.csv", 3, "end",
                 "'25:00' is not a time", id="hour-out-of-range"),
    pytest.param(edit("programme", 1, start="08:00"), "programme.csv", 3, "start",
                 "outside Day 1's hours 09:00-13:00", id="start-before-the-day-opens"),
    pytest.param(edit("programme", 1, end="14:00"), "programme.csv", 3, "end",
                 "outside Day 1's hours 09:00-13:00", id="end-after-the-day-closes"),
    pytest.param(edit("programme", 1, start="10:30", end="10:00"), "programme.csv", 3, "end",
                 "end is not after start", id="end-before-start"),
    pytest.param(edit("rooms", 0, hybrid="maybe"), "rooms.csv", 2, "hybrid",
                 "'maybe' is not a boolean", id="bad-boolean-room"),
    pytest.param(edit("programme", 0, exclusive="sometimes"), "programme.csv", 2, "exclusive",
                 "'sometimes' is not a boolean", id="bad-boolean-programme"),
    pytest.param(edit("coalitions", 1, open_archives="perhaps"), "coalitions.csv", 3,
                 "open_archives", "'perhaps' is not a boolean", id="bad-boolean-coalition"),
    pytest.param(edit("people", 3, onsite="remote"), "people.csv", 5, "onsite",
                 "'remote' is not a boolean", id="bad-boolean-person"),
    pytest.param(edit("requests", 1, duration=-30), "requests.csv", 3, "duration",
                 "-30 is out of range: use 1 to 1440", id="negative-duration"),
    pytest.param(edit("requests", 1, duration=0), "requests.csv", 3, "duration",
                 "0 is out of range: use 1 to 1440", id="zero-duration"),
    pytest.param(edit("requests", 1, expected_attendance="many"), "requests.csv", 3,
                 "expected_attendance", "valid integer", id="attendance-not-a-number"),
    pytest.param(edit("rooms", 2, capacity=-5), "rooms.csv", 4, "capacity",
                 "-5 is out of range: use 0 to 100000", id="negative-capacity"),
    pytest.param(add("programme", session("X", "Day 1", "10:00", "11:00", "A")),
                 "programme.csv", 6, "start", "'X' overlaps 'WS1' (row 3) in room 'A'",
                 id="two-fixed-sessions-in-one-room"),
    pytest.param(edit("requests", 0, unavailable="Day 1 9-12"), "requests.csv", 2,
                 "unavailable", "not a window of the form", id="malformed-window"),
    pytest.param(edit("requests", 0, unavailable="Day 1 12:00-09:00"), "requests.csv", 2,
                 "unavailable", "ends before it starts", id="window-ending-before-it-starts"),
    pytest.param(edit("requests", 0, unavailable="Day 1 09:00-10:00;tomorrow"), "requests.csv",
                 2, "unavailable", "'tomorrow' is not a window", id="second-window-malformed"),
    pytest.param(edit("requests", 0, needs="captioning;wheelchair"), "requests.csv", 2, "needs",
                 "wheelchair", id="unknown-need"),
    pytest.param(edit("requests", 3, submitted="yesterday"), "requests.csv", 5, "submitted",
                 "not a date of the form YYYY-MM-DD", id="bad-date"),
    pytest.param(edit("coalitions", 0, category="thematic"), "coalitions.csv", 2, "category",
                 "'output' or 'capacity'", id="unknown-category"),
    pytest.param(edit("people", 6, timezone="Mars/Olympus"), "people.csv", 8, "timezone",
                 "not an IANA time zone", id="unknown-time-zone"),
    pytest.param(edit("rooms", 1, room_id=""), "rooms.csv", 3, "room_id", "at least 1",
                 id="empty-id"),
]


@pytest.mark.parametrize(("change", "file", "row", "column", "words"), BAD_ROWS)
def test_bad_row_names_file_row_and_column(tmp_path, change, file, row, column, words):
    tables = small_tables()
    change(tables)
    folder = write_dataset(tmp_path / "data", tables)
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    error = caught.value
    assert (Path(error.file).name, error.row, error.column) == (file, row, column)
    assert words in error.message
    assert f"{file}, row {row}, column '{column}': " in str(error)


@pytest.mark.parametrize(("change", "file", "row", "column", "words"), BAD_ROWS)
def test_bad_row_exits_2_from_solve_without_output(tmp_path, out, change, file, row, column,
                                                    words):
    tables = small_tables()
    change(tables)
    scenario = write_scenario(tmp_path / "s.toml", write_dataset(tmp_path / "data", tables))
    assert_refused(solve_cli(scenario, out), out, f"{file}, row {row}, column '{column}'", words)


def test_a_blank_time_zone_is_fine_for_an_onsite_person(tmp_path):
    tables = small_tables()
    tables["people"][0].update(onsite="yes", timezone="")
    dataset = load_dataset(write_dataset(tmp_path / "data", tables))
    assert dataset.person_by_id["P1"].timezone is None


# --- missing files and columns ---------------------------------------------------------------

@pytest.mark.parametrize("file", ["event.toml", "rooms.csv", "programme.csv", "coalitions.csv",
                                  "requests.csv", "people.csv"])
def test_missing_file_is_named(tmp_path, out, file):
    folder = write_dataset(tmp_path / "data", small_tables())
    (folder / file).unlink()
    with pytest.raises(InputError, match="file not found") as caught:
        load_dataset(folder)
    assert Path(caught.value.file) == folder / file
    scenario = write_scenario(tmp_path / "s.toml", folder)
    assert_refused(solve_cli(scenario, out), out, f"{file}: file not found")


def test_missing_dataset_folder_is_named(tmp_path, out):
    scenario = write_scenario(tmp_path / "s.toml", tmp_path / "nowhere")
    assert_refused(solve_cli(scenario, out), out, "nowhere", "dataset folder not found")


@pytest.mark.parametrize(("file", "column"), [("rooms.csv", "capacity"),
                                              ("programme.csv", "exclusive"),
                                              ("coalitions.csv", "session_report"),
                                              ("requests.csv", "dc_ids"),
                                              ("requests.csv", "unavailable"),
                                              ("people.csv", "onsite")])
def test_missing_column_is_named(tmp_path, out, file, column):
    folder = write_dataset(tmp_path / "data", small_tables())
    drop_column(folder / file, column)
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    assert (Path(caught.value.file).name, caught.value.row, caught.value.column) == \
        (file, 1, column)
    assert "required column is missing" in caught.value.message
    scenario = write_scenario(tmp_path / "s.toml", folder)
    assert_refused(solve_cli(scenario, out), out, f"{file}, row 1, column '{column}'")


def test_empty_csv_is_refused(tmp_path):
    folder = write_dataset(tmp_path / "data", small_tables())
    (folder / "people.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="people.csv: the file is empty"):
        load_dataset(folder)


# --- the event file --------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "words"), [
    (lambda t: t["event"].update(timezone="Mars/Olympus"), "key 'timezone'"),
    (lambda t: t["event"].update(granularity=0), "key 'granularity'"),
    (edit_day(0, close="08:00"), "'Day 1' closes (08:00) before it opens (09:00)"),
    (edit_day(1, open="9.00"), "'9.00' is not a time of the form HH:MM"),
    (edit_day(0, breaks=["14:00-15:00"]), "outside the day's hours"),
    (edit_day(0, breaks=["11-12"]), "key 'days.0.breaks'"),
    (edit_day(1, label="Day 1"), "day label 'Day 1' appears twice"),
], ids=["time-zone", "granularity", "closes-before-open", "open-not-hhmm", "break-outside-day",
        "malformed-break", "duplicate-day"])
def test_bad_event_names_the_file_and_key(tmp_path, out, change, words):
    tables = small_tables()
    change(tables)
    folder = write_dataset(tmp_path / "data", tables)
    with pytest.raises(InputError) as caught:
        load_dataset(folder)
    assert Path(caught.value.file) == folder / "event.toml"
    assert words in str(caught.value)
    scenario = write_scenario(tmp_path / "s.toml", folder)
    assert_refused(solve_cli(scenario, out), out, "event.toml", words)


# --- the scenario ----------------------------------------------------------------------------

def test_unknown_key_in_scenario_file_is_an_error(tmp_path, out):
    folder = write_dataset(tmp_path / "data", small_tables())
    path = write_scenario(tmp_path / "s.toml", folder, capacity={"max_sessions": 3})
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert str(caught.value).startswith(f"{path}: key 'capacity.max_sessions': unknown key")
    assert_refused(solve_cli(path, out), out, "s.toml", "'capacity.max_sessions'", "unknown key")


def test_unknown_top_level_key_in_scenario_file_is_an_error(tmp_path, out):
    folder = write_dataset(tmp_path / "data", small_tables())
    path = write_scenario(tmp_path / "s.toml", folder, colour="red")
    assert_refused(solve_cli(path, out), out, "s.toml", "key 'colour': unknown key")


@pytest.mark.parametrize(("assignment", "words"), [
    ("capacity.max_sessions=3", "--set: unknown scenario key 'capacity.max_sessions'"),
    ("colour=red", "--set: unknown scenario key 'colour'"),
    ("name.first=x", "--set: 'name' has no sub-keys"),
    ("solver.workers", "is not of the form KEY=VALUE"),
    ("solver.workers=abc", "key 'solver.workers': Input should be a valid integer"),
    ("capacity.max_dc_sessions=-1", "key 'capacity.max_dc_sessions'"),
    ("eligibility.deadline=soon", "key 'eligibility.deadline'"),
    ("mode=weird", "key 'mode'"),
])
def test_bad_override_exits_2(tmp_path, out, assignment, words):
    folder = write_dataset(tmp_path / "data", small_tables())
    path = write_scenario(tmp_path / "s.toml", folder)
    with pytest.raises(InputError) as caught:
        load_scenario(path, [assignment])
    assert words in str(caught.value)
    assert_refused(solve_cli(path, out, assignment), out, words)


def test_valid_override_is_applied(tmp_path):
    folder = write_dataset(tmp_path / "data", small_tables())
    path = write_scenario(tmp_path / "s.toml", folder)
    scenario = load_scenario(path, ["capacity.max_dc_sessions=2", "solver.seed=7",
                                    "capacity.days=['Day 2']", "eligibility.deadline=2024-05-05"])
    assert scenario.capacity.max_dc_sessions == 2
    assert scenario.solver.seed == 7
    assert scenario.capacity.days == ("Day 2",)
    assert str(scenario.eligibility.deadline) == "2024-05-05"


@pytest.mark.parametrize(("tables", "words"), [
    ({"capacity": {"rooms": ["A", "Z"]}}, "key 'capacity.rooms': unknown room 'Z'"),
    ({"capacity": {"days": ["Day 9"]}}, "key 'capacity.days': unknown day 'Day 9'"),
])
def test_scenario_naming_a_room_or_day_that_does_not_exist(tmp_path, out, tables, words):
    folder = write_dataset(tmp_path / "data", small_tables())
    path = write_scenario(tmp_path / "s.toml", folder, **tables)
    with pytest.raises(InputError, match=words):
        build(load_dataset(folder), load_scenario(path))
    assert_refused(solve_cli(path, out), out, "s.toml", words)


def test_missing_scenario_file(tmp_path, out):
    assert_refused(solve_cli(tmp_path / "none.toml", out), out, "none.toml: file not found")


def test_scenario_that_is_not_toml(tmp_path, out):
    path = tmp_path / "s.toml"
    path.write_text("name = \n", encoding="utf-8")
    assert_refused(solve_cli(path, out), out, "s.toml: not valid TOML")


# --- the error line itself -------------------------------------------------------------------

def test_error_is_a_single_line_however_long(tmp_path, out):
    tables = small_tables()
    tables["requests"][0]["speakers"] = "P1;" + "X" * 60
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 4)
    scenario = write_scenario(tmp_path / "s.toml", write_dataset(deep, tables))
    result = solve_cli(scenario, out, columns=None)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")


# --- warnings and the result folder ----------------------------------------------------------

def test_probable_mistakes_are_warnings_on_the_dataset_and_to_listeners(tmp_path):
    tables = small_tables()
    tables["rooms"][1]["capacity"] = 0
    tables["requests"][0]["duration"] = 50
    heard = []
    with on_warning(heard.append):
        dataset = load_dataset(write_dataset(tmp_path / "data", tables))
    assert [(Path(w.file).name, w.row, w.column) for w in dataset.warnings] == \
        [("rooms.csv", 3, "capacity"), ("requests.csv", 2, "duration")]
    assert heard == list(dataset.warnings)
    assert str(dataset.warnings[0]).endswith("rooms.csv, row 3, column 'capacity': capacity 0: "
                                             "no session can be placed in this room")
    assert dataset.room_by_id["B"].capacity == 0   # accepted as written


def test_the_sample_dataset_gives_no_warning():
    assert load_dataset(Path(__file__).parent.parent / "data" / "igf2023").warnings == ()


def test_load_source_reads_back_what_solve_wrote(tmp_path):
    folder = write_dataset(tmp_path / "data", small_tables())
    scenario = write_scenario(tmp_path / "s.toml", folder)
    assert solve_cli(scenario, tmp_path / "out").exit_code == 0
    source = load_source(tmp_path / "out")
    result = plan(load_dataset(folder), load_scenario(scenario))
    assert source.rows == result.rows
    assert source.unscheduled == result.unscheduled
    assert source.scenario.source == scenario.resolve()
    assert source.metrics["status"] == result.metrics["status"]


def test_a_result_file_naming_what_the_dataset_lacks_is_refused(tmp_path):
    folder = write_dataset(tmp_path / "data", small_tables())
    scenario = write_scenario(tmp_path / "s.toml", folder)
    assert solve_cli(scenario, tmp_path / "out").exit_code == 0
    schedule = tmp_path / "out" / "schedule.csv"
    schedule.write_text(schedule.read_text(encoding="utf-8").replace(",P1;P2,", ",P1;P22,"),
                        encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_source(tmp_path / "out")
    assert "not as manifest.json lists it" in caught.value.message    # edited after solve
    (tmp_path / "out" / "manifest.json").unlink()                     # on purpose, then
    with pytest.raises(InputError) as caught:
        load_source(tmp_path / "out")
    assert (Path(caught.value.file), caught.value.column) == (schedule, "speakers")
    assert "unknown person 'P22'" in caught.value.message


def test_a_file_that_cannot_be_opened_is_bad_input(tmp_path, out, monkeypatch):
    # Simulated: the tests may run as root, who can read any file.
    folder = write_dataset(tmp_path / "data", small_tables())
    scenario = write_scenario(tmp_path / "s.toml", folder)
    real_read_bytes = Path.read_bytes

    def read_bytes(path):
        if path.name == "people.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    assert_refused(solve_cli(scenario, out), out,
                   "people.csv: permission denied: the file cannot be read")
