"""End to end on a small dataset: solve writes the files of SPEC §6, check accepts them, and
show tells a DC what it got (or why not)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from factory import small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.eligibility import EligibilityReport
from scheduler.labels import for_people
from scheduler.load import load_dataset
from scheduler.scenario import load_scenario
from scheduler.terminal import eligibility_view, outcome

SCHEDULE_COLUMNS = ["item_id", "kind", "dc_ids", "title", "day", "date", "start", "end", "room",
                    "themes", "speakers"]
METRICS_KEYS = {"scenario", "mode", "status", "objective", "bound", "gap", "solve_seconds",
                "eligible_dcs", "placed_dcs", "dc_items", "dc_room_minutes", "theme_clashes",
                "person_conflicts", "avg_parallel_sessions"}
SOFT_TERMS = {"placed", "fairness", "theme_clash", "parallel_sessions", "preferred_day",
              "online_hours"}


def run(*args: str):
    """The command line, in a terminal wide enough that no line is wrapped."""
    return CliRunner(env={"COLUMNS": "10000"}).invoke(main, [str(a) for a in args])


def read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


@pytest.fixture
def tables():
    """R1 is a joint session of D1 and D2; D3 has closed archives (ineligible)."""
    tables = small_tables()
    tables["requests"][0]["dc_ids"] = "D1;D2"
    tables["coalitions"][2]["open_archives"] = "no"
    return tables


@pytest.fixture
def scenario(tmp_path, tables) -> Path:
    folder = write_dataset(tmp_path / "data", tables)
    return write_scenario(tmp_path / "individual.toml", folder,
                          eligibility={"open_principles": True})


@pytest.fixture
def solved(tmp_path, scenario):
    out = tmp_path / "out"
    result = run("solve", scenario, "--out", out)
    assert result.exit_code == 0, result.output
    return out, result


def test_solve_writes_schedule_csv_in_the_exchange_format(solved, tables):
    out, _ = solved
    header, rows = read_csv(out / "schedule.csv")
    assert header[:len(SCHEDULE_COLUMNS)] == SCHEDULE_COLUMNS
    assert set(header[len(SCHEDULE_COLUMNS):]) <= {"block_id", "cluster", "pinned"}
    assert {row["item_id"] for row in rows} == {"R1", "R2", "R4"}
    requests = {r["request_id"]: r for r in tables["requests"]}
    dates = {d["label"]: d["date"].isoformat() for d in tables["event"]["days"]}
    for row in rows:
        request = requests[row["item_id"]]
        assert row["kind"] == "session"
        assert row["dc_ids"] == request["dc_ids"]
        assert row["title"] == request["title"]
        assert row["date"] == dates[row["day"]]
        assert minutes(row["end"]) - minutes(row["start"]) == request["duration"]
        assert len(row["start"]) == len(row["end"]) == 5
        assert row["room"] in {"A", "B", "C"}
        assert row["themes"] == request["themes"]
        assert row["speakers"] == request["speakers"]


def test_solve_writes_a_reason_for_every_request_not_placed(solved):
    out, _ = solved
    header, rows = read_csv(out / "unscheduled.csv")
    assert header == ["request_id", "dc_ids", "reason", "cheapest_change"]
    assert rows == [{"request_id": "R3", "dc_ids": "D3",
                     "reason": "ineligible: D3 fails open_principles: not open: archives",
                     "cheapest_change": ""}]


def test_solve_writes_metrics_with_every_spec_key_and_soft_term(solved):
    out, _ = solved
    metrics = json.loads((out / "metrics.json").read_text())
    assert METRICS_KEYS <= set(metrics)
    assert metrics["status"] == "optimal"
    assert metrics["mode"] == "individual" and metrics["scenario"] == "individual"
    assert metrics["formulation"] == "time_indexed"            # "auto" at this size
    assert metrics["gap"] == 0 and metrics["objective"] == metrics["bound"]
    assert (metrics["eligible_dcs"], metrics["placed_dcs"], metrics["dc_items"]) == (3, 3, 3)
    assert metrics["dc_room_minutes"] == 180
    assert metrics["person_conflicts"] == 0
    assert set(metrics["terms"]) == SOFT_TERMS


def test_solve_leaves_no_temporary_files(solved):
    out, _ = solved
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "metrics.json",
                                                      "schedule.csv", "unscheduled.csv"]
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_solve_prints_a_summary_in_plain_words_and_progress(solved):
    _, result = solved
    text = result.stdout
    assert "individual (mode individual, " in text
    assert "Schedule found and proven best (optimal)." in text
    assert "Placed 3 of 3 eligible DCs (3 requests); 1 request not placed (1 of them ineligible)" \
        in text
    assert "theme clash" in text and "0 person conflicts" in text
    for jargon in ("objective", "bound", "soft terms"):             # in metrics.json instead
        assert jargon not in text
    assert "R1" not in text and "--verbose prints both tables" in text
    progress = " ".join(result.stderr.split())
    assert "schedule found: 3 of 3 DCs placed, 0 theme clashes; proven best" in progress
    assert "objective" not in progress and "bound" not in progress
    assert "a large model" not in progress     # "auto" took the time-indexed model: no news


def test_verbose_solve_prints_the_tables_and_the_solvers_own_figures(tmp_path, scenario):
    result = run("solve", scenario, "--out", tmp_path / "out", "--quiet", "--verbose")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Schedule" in text and "Not placed" in text
    assert "R1" in text and "D1, D2" in text
    assert "ineligible: D3 fails 'Open membership, mailing list and archives'" in words(text)
    assert "open_principles" not in text  # a scenario key: the words a person reads instead
    assert "solver: objective " in text and "soft terms: placed=" in text


def test_quiet_solve_prints_no_progress(tmp_path, scenario):
    result = run("solve", scenario, "--out", tmp_path / "quiet", "--quiet")
    assert result.exit_code == 0
    assert "schedule found" not in result.output


def test_check_accepts_what_solve_wrote(solved, scenario):
    out, _ = solved
    result = run("check", out / "schedule.csv", "--scenario", scenario)
    assert result.exit_code == 0, result.output
    assert "no violations" in result.stdout


def test_show_gives_date_local_and_utc_time_room_and_co_organisers(solved):
    out, _ = solved
    _, rows = read_csv(out / "schedule.csv")
    r1 = next(row for row in rows if row["item_id"] == "R1")
    result = run("show", "D2", "--schedule", out)
    assert result.exit_code == 0, result.output
    text = result.stdout
    local = dt.datetime.fromisoformat(f"{r1['date']}T{r1['start']}")
    utc = local - dt.timedelta(hours=9)                                 # Asia/Tokyo, no DST
    assert f"session R1: {r1['title']}" in text
    assert f"{r1['day']}, {local:%a %d %b %Y}, {r1['start']}-{r1['end']} Asia/Tokyo" in text
    assert f"({utc:%Y-%m-%d %H:%M}-" in text and " UTC)" in text
    assert f"room:  {r1['room']} - Room {r1['room']}" in text
    assert "with:  Dynamic Coalition D1 (D1)" in text   # D2's co-organiser of the joint R1
    assert "speakers: Person P1 (P1), Person P2 (P2)" in text
    assert "session R2" in text and "with:  no co-organisers" in text


def test_show_says_why_a_dc_was_not_placed(solved):
    out, _ = solved
    result = run("show", "D3", "--schedule", out)
    assert result.exit_code == 0
    assert "not placed R3: ineligible: D3 fails 'Open membership, mailing list and archives': " \
           "not open: archives" in result.stdout
    assert "session" not in result.stdout


def test_show_names_dc_members_busy_elsewhere(tmp_path, tables):
    tables["coalitions"][0]["members"] = "P1;P2;P8"           # P8 speaks in WS2, Day 2 09-10
    folder = write_dataset(tmp_path / "data", tables)
    scenario = write_scenario(tmp_path / "s.toml", folder)
    out = tmp_path / "out"
    out.mkdir()
    (out / "metrics.json").write_text(json.dumps({"scenario_path": str(scenario)}))
    (out / "unscheduled.csv").write_text("request_id,dc_ids,reason\n")
    (out / "schedule.csv").write_text(
        ",".join(SCHEDULE_COLUMNS) + "\n"
        "R1,session,D1;D2,Session of D1,Day 2,2024-12-17,09:00,10:00,A,DATA,P1;P2\n")
    result = run("show", "D1", "--schedule", out)
    assert result.exit_code == 0, result.output
    assert "also busy then: Person P8 (P8) is in WS2 'Session WS2' Day 2 09:00-10:00" in \
        result.stdout


def test_show_unknown_dc_exits_2(solved):
    out, _ = solved
    result = run("show", "DX", "--schedule", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: DX: unknown DC")


def test_show_on_a_folder_not_written_by_solve_exits_2(tmp_path):
    result = run("show", "D1", "--schedule", tmp_path)
    assert result.exit_code == 2
    assert "metrics.json" in result.stderr and "Traceback" not in result.output


# --- terminal views for people ------------------------------------------------------------

def words(text: str) -> str:
    return " ".join(text.split())


def run_at(width: int, *args):
    """The command line off a terminal whose width COLUMNS says."""
    return CliRunner(env={"COLUMNS": str(width)}).invoke(main, [str(a) for a in args])


def assert_fits(text: str, width: int, phrases) -> None:
    """No line wider than `width`, and every word of `phrases` whole on some line."""
    assert max(len(line) for line in text.splitlines()) <= width
    tokens = set(text.split())
    for phrase in phrases:
        for word in phrase.split():
            assert word in tokens, f"{word!r} broken or missing"


def test_version_comes_from_the_package_metadata():
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"igf-sched, version {version('igf-sched')}"


@pytest.mark.parametrize("command", [None, *main.commands])
def test_every_help_has_examples(command):
    result = run(*([command] if command else []), "--help")
    assert result.exit_code == 0
    examples = result.stdout.split("Examples:")[1].splitlines()
    assert any(line.strip().startswith("igf-sched ") for line in examples)


def test_eligibility_table_fits_100_columns_and_wraps_reasons_between_words(tmp_path, tables):
    tables["coalitions"][0]["coordination_meetings"] = "1"
    folder = write_dataset(tmp_path / "data", tables)
    scenario = write_scenario(tmp_path / "s.toml", folder,
                              eligibility={"open_principles": True, "annual_report_year": 2030,
                                           "min_coordination_meetings": 3})
    result = run_at(100, "eligibility", scenario)
    assert result.exit_code == 0, result.output
    spec = load_scenario(scenario)
    report = EligibilityReport(load_dataset(spec.dataset_path), spec.eligibility)
    reasons = [r for r in eligibility_view(report.to_frame())["why not"] if r]
    assert_fits(result.stdout, 100, reasons)
    assert "annual report: last annual report 2023, needs 2030" in reasons[0]   # short names
    assert not any(reasons[0] in line for line in result.stdout.splitlines())  # wrapped
    assert "0 of 4 DCs eligible; not eligible: D1, D2, D3, D4" in result.stdout
    csv_text = run("eligibility", scenario, "--format", "csv").stdout
    assert csv_text.splitlines()[0].split(",")[:4] == ["dc_id", "category", "eligible",
                                                       "open_principles"]
    assert "min_coordination_meetings: attended 1 of the required 3" in csv_text


def test_verbose_solve_tables_fit_100_columns(tmp_path, scenario):
    result = run_at(100, "solve", scenario, "--out", tmp_path / "out", "--quiet", "--verbose")
    assert result.exit_code == 0, result.output
    _, rows = read_csv(tmp_path / "out" / "unscheduled.csv")
    assert_fits(result.stdout, 100, [for_people(row["reason"]) for row in rows])


def test_show_fits_100_columns(solved):
    out, _ = solved
    result = run_at(100, "show", "D2", "--schedule", out)
    assert result.exit_code == 0
    assert_fits(result.stdout, 100, ["Dynamic Coalition D1 (D1)"])


@pytest.mark.parametrize("status, ended_by, deterministic, words", [
    ("optimal", "proof", True, "Schedule found and proven best (optimal)"),
    ("feasible", "work limit", True,
     "Good schedule found, at most 0.4% better possible: the work limit of 30 units ended the "
     "search (CP-SAT's own count of its work: the same schedule on every run) (feasible)"),
    ("feasible", "time limit", False, "Good schedule found, at most 0.4% better possible: the "
                                      "time limit of 30s ended the search (feasible)"),
    ("feasible", "time limit", True,
     "Good schedule found, at most 0.4% better possible: the clock ended the search (300s, "
     "with 11.5 units of work done in all, the work limit being 30: this model's work runs "
     "slow on the clock, or the machine was busy; another run may end at another schedule) "
     "(feasible)"),
    ("feasible", "interrupt", True, "Good schedule found, at most 0.4% better possible: the "
                                    "search was interrupted (Ctrl-C or SIGTERM) (feasible)"),
    ("infeasible", "proof", True,
     "No schedule: the hard rules cannot all be met at once (infeasible)"),
    ("unknown", "work limit", True,
     "No schedule: none found before the work limit of 30 units ended the search (CP-SAT's "
     "own count of its work: the same schedule on every run) (unknown). To try: a longer time "
     "limit (--set solver.time_limit=120), fewer items to place (capacity.max_dc_sessions, or "
     "[programme] movable = \"marked\"), or, for a large model, --set "
     "solver.formulation=interval"),
    ("unknown", "interrupt", True,
     "No schedule: the search was interrupted (Ctrl-C or SIGTERM) before it found one"),
])
def test_the_outcome_of_a_solve_in_words(status, ended_by, deterministic, words):
    """The summary says truly what ended the search: a proof, CP-SAT's count of work, the
    clock (with the work it let the search do, since a slow model and a busy machine look
    alike from here), or an interrupt."""
    assert outcome(stopped(status, ended_by, 0.004, deterministic)) == words


def stopped(status: str, ended_by: str, gap: float, deterministic: bool = True):
    """A result as `outcome` reads it: the solution, the solver settings, the recounted gap."""
    from scheduler.model.solve import Solution
    from scheduler.scenario import Solver

    solution = Solution(status, None, None, 0.5, 90.0, ended_by=ended_by, work=11.5)
    return SimpleNamespace(solution=solution, metrics={"gap": gap},
                           scenario=SimpleNamespace(solver=Solver(time_limit=30,
                                                                  deterministic=deterministic)))


def test_no_schedule_in_the_interval_model_does_not_advise_the_interval_model():
    """"auto" already took the compact model for a large scenario: the advice leaves it out."""
    result = stopped("unknown", "work limit", 0.0)
    result.metrics["formulation"] = "interval"
    assert outcome(result).endswith(
        "To try: a longer time limit (--set solver.time_limit=120) or fewer items to place "
        "(capacity.max_dc_sessions, or [programme] movable = \"marked\")")


def test_a_stopped_search_is_called_good_only_near_the_best_possible():
    """'Good schedule found' for a gap of 1% at most (the recounted gap of metrics.json)."""
    def said(gap):
        return outcome(stopped("feasible", "work limit", gap))

    assert said(0.004).startswith("Good schedule found, at most 0.4% better possible")
    assert said(0.3) == ("Schedule found, not proven good: up to 30.0% better may be possible; "
                         "the work limit of 30 units ended the search (CP-SAT's own count of its "
                         "work: the same schedule on every run) (feasible). A longer limit "
                         "(--set solver.time_limit=120) may find a better one or prove this one")
    assert said(None).startswith("Schedule found, not proven good: how much better is possible "
                                 "is not known; the work limit")


# --- the terminal at 80 and 60 columns ----------------------------------------------------

@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("command", [None, *main.commands])
def test_every_help_fits_and_cuts_no_description(command, width):
    # CliRunner sets click's help width to 80: the terminal's width comes through click's context.
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(
        main, [*([command] if command else []), "--help"], terminal_width=width)
    assert result.exit_code == 0
    # Every line wrapped at the width but the examples, kept as one types them.
    lines = [line for line in result.stdout.splitlines()
             if not line.strip().startswith("igf-sched ")]
    assert not any(re.search(r"[a-z]\.\.\.$", line) for line in lines)  # click's "against..."
    assert max(len(line) for line in lines) <= width


@pytest.mark.parametrize("width", [80, 60])
def test_compare_with_one_job_says_what_each_solve_finds_wrapped_between_words(
        tmp_path, scenario, width):
    block = write_scenario(tmp_path / "block.toml", tmp_path / "data", mode="block",
                           block={"duration": 120, "overhead": 10, "min_segment": 10,
                                  "max_segment": 20})
    result = run_at(width, "compare", scenario, block, "--out", tmp_path / "c", "--jobs", "1")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert max(len(line) for line in lines) <= width
    said = words(result.stderr)
    assert "solving individual (1/2)" in said
    assert said.index("individual: schedule found:") < said.index("done individual:")
    assert said.index("block: schedule found:") < said.index("done block:")
    # Every word whole: the phrases the solver said come back with single spaces.
    assert "proven best" in said and "[2/2 done]" in said
    assert_fits(result.stdout, width, ["Comparison (* best in row)", "individual", "block"])


def test_a_table_too_wide_for_its_words_is_split_repeating_its_first_column():
    from rich.console import Console

    from scheduler.terminal import frame_tables

    import pandas as pd
    frame = pd.DataFrame({"figure": ["status", "DCs placed"],
                          **{f"dc-day-0-reserved-{n}": ["optimal", "23"] for n in range(4)}})
    tables = frame_tables(frame, "Comparison", width=60)
    assert len(tables) == 2
    console = Console(width=60, record=True, file=open("/dev/null", "w"))
    for table in tables:
        console.print(table)
    text = console.export_text()
    assert_fits(text, 60, ["dc-day-0-reserved-0 dc-day-0-reserved-3 optimal"])
    assert text.count("DCs placed") == 2 and "Comparison (continued)" in text


def test_export_all_says_what_it_wrote_in_one_sentence(solved, tmp_path):
    out, _ = solved
    result = run_at(80, "export", out, "--format", "all", "--out", tmp_path / "e")
    assert result.exit_code == 0, result.output
    files = [p for p in (tmp_path / "e").rglob("*")
             if p.is_file() and p.name != "manifest.json"]     # the tool's own bookkeeping
    said = words(result.stdout)
    assert said.startswith(f"written: {len(files)} files in {tmp_path / 'e'}: ")
    assert "schedule.xlsx" in said and "calendars/ (" in said and "dc/ (" in said
    assert result.stdout.count("written") == 1
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_a_data_warning_is_said_once_per_run_with_the_rows_it_holds_for(tmp_path, tables):
    for request in tables["requests"][:3]:
        request["duration"] = "50"        # off the 15-minute grid, in three rows
    folder = write_dataset(tmp_path / "data", tables)
    one = write_scenario(tmp_path / "one.toml", folder, name="one")
    two = write_scenario(tmp_path / "two.toml", folder, name="two")
    # The dataset is read for the check up front and again by each scenario's solve.
    result = run("compare", one, two, "--out", tmp_path / "c", "--jobs", "1", "--quiet")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3, warnings
    assert "row 2, column 'duration': 50 minutes is off" in warnings[0]
    assert "column 'duration': the same (50 minutes is off the event's 15-minute grid) in 2 " \
           "more rows: 3, 4" in warnings[1]
    assert warnings[2] == "warning: 3 warnings about the data in all (above), each said once"
