"""`compare` and `sweep`: tables, files, parallel = sequential, progress, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from factory import small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.compare import (best_of, by_dc_table, comparison_table, dc_cell, load_scenarios,
                               parse_vary, placed_by, slots_freed, solve_many, split_values,
                               sweep, sweep_table)
from scheduler.compare.figures import BY_KEY, FIGURES, TAIL
from scheduler.eligibility import EligibilityReport
from scheduler.errors import InputError
from scheduler.schedule import ScheduleRow


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def words(text: str) -> str:
    """Terminal output with rich's line wrapping undone."""
    return " ".join(text.replace("│", " ").split())


@pytest.fixture
def dataset(tmp_path):
    return write_dataset(tmp_path / "data", small_tables())


@pytest.fixture
def scenarios(tmp_path, dataset):
    """Three scenarios of the small dataset: every request, two at most, a 90-min-free one."""
    return [write_scenario(tmp_path / "all.toml", dataset),
            write_scenario(tmp_path / "two.toml", dataset, capacity={"max_dc_sessions": 2}),
            write_scenario(tmp_path / "day2.toml", dataset, capacity={"days": ["Day 2"]},
                           weights={"theme_clash": 50})]


def comparable(result):
    """Everything a solve decides (its wall time aside)."""
    metrics = {k: v for k, v in result.metrics.items() if k not in ("solve_seconds", "wall_seconds")}
    return ([r.cells() for r in result.rows], result.unscheduled, metrics)


# --- the library --------------------------------------------------------------------------

def test_parallel_results_equal_one_by_one_and_keep_the_input_order(scenarios):
    specs = load_scenarios(scenarios)
    one_by_one = solve_many(specs, jobs=1)
    parallel = solve_many(specs, jobs=3)
    assert [r.scenario.name for r in parallel] == ["all", "two", "day2"]
    assert [comparable(r) for r in parallel] == [comparable(r) for r in one_by_one]


def test_best_of_marks_the_best_ties_included_and_nothing_when_all_agree():
    assert best_of([3, 5, 5], "higher") == [1, 2]
    assert best_of([3, 5, 1], "lower") == [2]
    assert best_of([None, 5, 1], "lower") == [2]       # a scenario without a value is skipped
    assert best_of([4, 4, 4], "higher") == []          # nothing to choose
    assert best_of([4, None], "higher") == []          # only one scenario has it
    assert best_of([1, 2], None) == []                 # no better direction (e.g. objective)
    assert best_of(["optimal", "feasible"], "lower") == []


def test_best_value_of_each_row_is_marked_in_the_table(scenarios):
    results = solve_many(load_scenarios(scenarios[:2]), jobs=1)
    table = comparison_table(results)
    everything, two = results
    assert everything.metrics["placed_dcs"] == 4 and two.metrics["placed_dcs"] == 2
    assert table.at["placed_dcs", "best"] == "all"
    assert table.at["dc_room_minutes", "best"] == "two"
    assert table.at["eligible_dcs", "best"] == ""     # no direction: never marked
    assert table.at["person_conflicts", "best"] == ""  # 0 and 0: nothing to choose
    assert table.at["terms.placed", "better"] == "higher"
    assert table.at["terms.theme_clash", "better"] == "lower"


def fake_result(name, mode, **metrics):
    """A solved scenario as the figures read it: its name, mode and metrics."""
    return SimpleNamespace(scenario=SimpleNamespace(name=name, mode=mode), rows=[],
                           solution=SimpleNamespace(has_schedule=True), metrics=metrics)


def test_clashes_count_per_dc_placed_so_placing_few_does_not_look_best():
    """The issue's case: a DC Day placing 4 DCs with 7 clashes against one placing 24 with 28.
    By raw count the first is best; per DC placed (1.75 against 1.17) the second."""
    few = fake_result("few", "dc_day", theme_clashes=7, placed_dcs=4)
    many = fake_result("many", "dc_day", theme_clashes=28, placed_dcs=24)
    none = fake_result("none", "dc_day", theme_clashes=0, placed_dcs=0)
    figure = BY_KEY["theme_clashes_per_dc"]
    values = [figure.value(r) for r in (few, many, none)]
    assert values == [1.75, 1.17, None]                 # nothing placed: no rate, not a best 0
    assert best_of(values, figure.better) == [1]
    assert "theme_clashes" not in BY_KEY              # the raw count is not a row


def test_every_row_is_explained_in_the_help_and_the_readme():
    """compare --help and the README's table say what every figure means, and nothing is a row
    without a meaning (a metric of metrics.json that FIGURES does not define is not shown)."""
    help_text = words(run("compare", "--help").output)
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for figure in (*FIGURES, TAIL):
        assert figure.meaning, figure.key
        assert f"{figure.heading}" in help_text and words(figure.meaning) in help_text
        assert f"| {figure.label} | {figure.heading} | {figure.better or '-'} | " \
               f"{figure.meaning} |" in readme, figure.key


def test_a_metric_that_is_not_a_figure_is_not_a_row(scenarios):
    results = solve_many(load_scenarios(scenarios[:1]), jobs=1)
    results[0].metrics["dc_day"] = {"theme_rooms": 7}   # a mode's own bookkeeping
    results[0].metrics["block_minutes"] = 0
    keys = set(comparison_table(results).index)
    assert keys <= {f.key for f in (*FIGURES, TAIL)} | {f"terms.{t}" for t in
                                                        results[0].metrics["terms"]}


def test_by_dc_table_says_what_each_dc_gets_and_why_not(scenarios):
    results = solve_many(load_scenarios(scenarios[:2]), jobs=1)
    table = by_dc_table(results).set_index("dc_id")
    assert list(table.index) == ["D1", "D2", "D3", "D4"]
    assert all(cell.startswith("session Day ") for cell in table["all"])
    got = [cell for cell in table["two"] if cell.startswith("session Day ")]
    refused = [cell for cell in table["two"] if cell.startswith("- (")]
    assert len(got) == 2 and len(refused) == 2
    assert all("quota reached" in cell for cell in refused)
    for dc_id, cell in table["all"].items():
        row = next(r for r in results[0].rows if dc_id in r.dc_ids)
        assert cell == f"session {row.day} {row.cells()['start']} {row.room}"


def test_by_dc_gives_the_eligibility_reason(tmp_path, dataset):
    path = write_scenario(tmp_path / "strict.toml", dataset,
                          eligibility={"min_coordination_meetings": 5})
    tables = small_tables()
    tables["coalitions"][1]["coordination_meetings"] = "9"
    write_dataset(dataset, tables)
    (result,) = solve_many(load_scenarios([path]), jobs=1)
    cells = by_dc_table([result]).set_index("dc_id")["strict"]
    assert cells["D2"].startswith("session ")
    assert cells["D1"] == ("- (ineligible: D1 fails min_coordination_meetings: attended 4 of "
                           "the required 5 meetings)")


def test_sweep_of_the_quota_rises_until_every_eligible_dc_is_placed_then_stays_flat(scenarios):
    result = sweep(scenarios[0], "capacity.max_dc_sessions", ["0", "1", "2", "3", "4", "5", "6"],
                   jobs=2)
    table = sweep_table(result)
    assert list(table["capacity.max_dc_sessions"]) == [0, 1, 2, 3, 4, 5, 6]
    placed, eligible = list(table["placed_dcs"]), table["eligible_dcs"].iloc[0]
    assert placed == sorted(placed)                     # never falls
    assert placed[0] == 0 and eligible == 4
    full = placed.index(eligible)                       # every eligible DC placed ...
    assert placed[full:] == [eligible] * (len(placed) - full)  # ... then flat
    assert all(p == q for p, q in zip(placed[:full], range(full)))  # one more DC per slot


def test_how_each_dc_is_placed_follows_the_row_kind_and_the_mode(tables, build):
    dataset, scenario = build(tables)
    report = EligibilityReport(dataset, scenario.eligibility)

    def result(mode, rows, **metrics):
        return SimpleNamespace(scenario=SimpleNamespace(mode=mode), rows=rows, metrics=metrics,
                               dataset=dataset, report=report)

    block = ScheduleRow(item_id="BLOCK-1", kind="block", dc_ids=("D1", "D2"), day="Day 2",
                        start=600, end=780, room="A")
    segments = [ScheduleRow(item_id="R1", kind="segment", dc_ids=("D1",), day="Day 2",
                            start=608, end=620, room="A", block_id="BLOCK-1"),
                ScheduleRow(item_id="R2", kind="segment", dc_ids=("D2",), day="Day 2",
                            start=620, end=635, room="A", block_id="BLOCK-1")]
    session = ScheduleRow(item_id="R3", kind="session", dc_ids=("D3",), day="Day 1",
                          start=615, end=705, room="B")
    mixed = result("mixed", [block, *segments, session])
    assert {how: sorted(dcs) for how, dcs in placed_by(mixed).items()} == {
        "own session": ["D3"], "block segment": ["D1", "D2"], "DC Day session": []}
    assert dc_cell(mixed, "D1") == "segment 12 min in BLOCK-1 (Day 2 10:08, A)"
    assert dc_cell(mixed, "D3") == "session Day 1 10:15 B"
    assert dc_cell(result("dc_day", [session]), "D3") == "DC Day session Day 1 10:15 B"
    # 4 eligible requests: 2 present in the block (they need no slot), 1 has its own session,
    # 1 got nothing (which frees no slot: it is simply not placed)
    assert slots_freed(mixed) == 2
    assert slots_freed(result("individual", [session])) == 0


def test_split_and_parse_vary_keep_lists_and_quoted_commas_whole():
    assert split_values('10, 15,[1, 2],"a,b"') == ["10", "15", "[1, 2]", '"a,b"']
    assert parse_vary("block.duration=120,180") == ("block.duration", ["120", "180"])
    for bad in ("block.duration", "block.duration=", "=1,2", "block.duration=1,,2"):
        with pytest.raises(InputError, match="KEY=V1,V2"):
            parse_vary(bad)


# --- the command ----------------------------------------------------------------------------

def test_compare_table_equals_each_scenarios_own_metrics_json(tmp_path, scenarios):
    out = tmp_path / "out"
    result = run("compare", *scenarios, "--out", out, "--jobs", 2)
    assert result.exit_code == 0, result.output + result.stderr
    data = json.loads((out / "comparison.json").read_text())
    values = {f["key"]: f["values"] for f in data["figures"]}
    with open(out / "comparison.csv", newline="", encoding="utf-8") as handle:
        rows = {row["key"]: row for row in csv.DictReader(handle)}
    for name in ("all", "two", "day2"):
        metrics = json.loads((out / name / "metrics.json").read_text())
        compared = 0
        for key, value in metrics.items():
            if key in values:
                assert values[key][name] == value, (name, key)
                assert rows[key][name] == str(value), (name, key)
                compared += 1
        for term, value in metrics["terms"].items():
            assert values[f"terms.{term}"][name] == value
        assert compared >= 14
        assert "individual_slots_freed" in values and "placed_dcs" in values
        # the folder is the one `solve` writes
        solved = tmp_path / f"solved-{name}"
        assert run("solve", tmp_path / f"{name}.toml", "--out", solved, "--quiet").exit_code == 0
        for file in ("schedule.csv", "unscheduled.csv"):
            assert (out / name / file).read_text() == (solved / file).read_text()
        own = json.loads((solved / "metrics.json").read_text())
        assert {k: v for k, v in own.items() if k not in ("solve_seconds", "wall_seconds")} == \
            {k: v for k, v in metrics.items() if k not in ("solve_seconds", "wall_seconds")}


def test_compare_writes_csv_json_png_and_the_per_dc_view(tmp_path, scenarios):
    out = tmp_path / "out"
    result = run("compare", *scenarios[:2], "--out", out, "--by-dc")
    assert result.exit_code == 0, result.output + result.stderr
    assert (out / "comparison.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with open(out / "comparison.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == ["key", "figure", "better", "all", "two", "best"]
    with open(out / "comparison_by_dc.csv", newline="", encoding="utf-8") as handle:
        by_dc = list(csv.DictReader(handle))
    assert [r["dc_id"] for r in by_dc] == ["D1", "D2", "D3", "D4"]
    text = words(result.output)
    assert "What each DC gets" in text and "quota reached" in text
    assert "DCs placed 4 * 2" in text                  # one table, best value marked
    assert not list(tmp_path.glob("out/.*.tmp"))


def test_compare_shows_progress_on_stderr(tmp_path, scenarios):
    result = run("compare", *scenarios[:2], "--out", tmp_path / "out", "--jobs", 2)
    assert result.exit_code == 0
    progress = words(result.stderr)
    for name in ("all", "two"):
        assert f"solving {name}" in progress and f"done {name}: " in progress
        # What the solver finds in the workers, as it finds it, named by scenario.
        assert progress.index(f"{name}: schedule found: ") < progress.index(f"done {name}: ")
    assert "eligible DCs placed" in progress and "proven best" in progress
    assert "optimal" not in progress and "objective" not in progress
    assert "[2/2 done]" in progress


def test_compare_exits_1_after_writing_everything_when_a_scenario_has_no_schedule(
        tmp_path, scenarios, dataset):
    hopeless = write_scenario(tmp_path / "hopeless.toml", dataset,
                              solver={"time_limit": 1e-9, "hint": False})
    out = tmp_path / "out"
    result = run("compare", scenarios[0], hopeless, "--out", out)
    assert result.exit_code == 1, result.output + result.stderr
    for path in ("comparison.csv", "comparison.json", "comparison.png",
                 "hopeless/metrics.json", "all/schedule.csv"):
        assert (out / path).exists(), path
    values = {f["key"]: f["values"]
              for f in json.loads((out / "comparison.json").read_text())["figures"]}
    assert values["status"]["hopeless"] == "unknown"
    assert values["placed_dcs"]["hopeless"] is None    # no schedule: no figure, not a best 0
    assert values["eligible_dcs"]["hopeless"] == 4


def test_compare_refuses_bad_input_anywhere_before_solving_anything(tmp_path, scenarios, dataset):
    wrong_room = write_scenario(tmp_path / "wrong.toml", dataset, capacity={"rooms": ["Z"]})
    out = tmp_path / "out"
    result = run("compare", *scenarios, wrong_room, "--out", out)
    assert result.exit_code == 2
    assert "capacity.rooms" in words(result.stderr) and "'Z'" in result.stderr
    assert not out.exists()
    missing = run("compare", scenarios[0], tmp_path / "nowhere.toml", "--out", out)
    assert missing.exit_code == 2 and "nowhere.toml" in words(missing.stderr)
    assert not out.exists()


def test_compare_refuses_two_scenarios_of_the_same_name(tmp_path, scenarios, dataset):
    (tmp_path / "twin").mkdir()
    twin = write_scenario(tmp_path / "twin" / "all.toml", dataset)
    result = run("compare", scenarios[0], twin, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "different names" in words(result.stderr)


def test_sweep_command_prints_the_curve_and_writes_csv_and_png(tmp_path, scenarios):
    out = tmp_path / "sweep"
    result = run("sweep", scenarios[0], "--vary", "capacity.max_dc_sessions=1,3,5", "--out", out)
    assert result.exit_code == 0, result.output + result.stderr
    with open(out / "sweep.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["capacity.max_dc_sessions"], r["placed_dcs"]) for r in rows] == \
        [("1", "1"), ("3", "3"), ("5", "4")]
    assert (out / "sweep.png").read_bytes()[:4] == b"\x89PNG"
    assert "Sweep of capacity.max_dc_sessions" in words(result.output)
    assert "done capacity.max_dc_sessions=5" in words(result.stderr)


def test_compare_display_fits_100_columns_with_short_headings_and_whole_words(tmp_path,
                                                                               scenarios):
    out = tmp_path / "out"
    result = CliRunner(env={"COLUMNS": "100"}).invoke(
        main, ["compare", *map(str, scenarios), "--out", str(out), "--by-dc", "--jobs", "2"])
    assert result.exit_code == 0, result.output + result.stderr
    text = result.stdout
    assert max(len(line) for line in text.splitlines()) <= 100
    with open(out / "comparison_by_dc.csv", newline="", encoding="utf-8") as handle:
        full = list(csv.DictReader(handle))
    for row in full:                                   # placed: the CSV's cell, words whole
        for name in ("all", "two", "day2"):
            if row[name].startswith("session "):
                assert all(word in text.split() for word in row[name].split())
            else:                                      # why not: text in a spreadsheet
                assert row[name].startswith("'- "), row[name]
    assert "- (quota reached)" in words(text)          # why not: its first part; in full: CSV
    assert "quota reached: all 2" in (out / "comparison_by_dc.csv").read_text()
    figures = [line.split("  ")[0] for line in text.splitlines()]
    assert "mean parallel" in figures and "slots freed" in figures   # short headings
    assert "mean parallel sessions during a DC presentation" in (out / "comparison.csv").read_text()
    assert "objective" not in text and "term placed" not in text      # the solver's own: files
    verbose = run("compare", *scenarios[:2], "--out", tmp_path / "v", "--verbose", "--quiet")
    assert "term placed" in words(verbose.stdout) and "objective" in verbose.stdout


def test_sweep_display_fits_100_columns(tmp_path, scenarios):
    result = CliRunner(env={"COLUMNS": "100"}).invoke(
        main, ["sweep", str(scenarios[0]), "--vary", "capacity.max_dc_sessions=1,5", "--out",
               str(tmp_path / "sweep"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    assert "optimal" in result.stdout.split() and "room-minutes" in result.stdout.split()
