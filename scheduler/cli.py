"""The `igf-sched` command: parse, call the library, print. Exit 0 ok, 1 violations/infeasible, 2 bad input."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from .check import check_file
from .compare import (by_dc_table, comparison_table, display_sweep, display_table, folder_name,
                      load_scenarios, parse_vary, solve_many, sweep as sweep_scenario,
                      write_comparison, write_sweep)
from .eligibility import EligibilityReport
from .errors import InputError
from .load import load_dataset
from .plan import Result, plan
from .scenario import load_scenario
from .export.result_folder import write_result as write_result_folder
from .schedule import read_schedule, read_unscheduled
from .show import dc_view

# Off a terminal (a pipe, a log) rich would fold tables at 80 columns; give them room instead.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def bad_input_exits_2(command):
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)  # one line, never wrapped: scripts grep it
            sys.exit(2)
    return wrapper


set_option = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                          help="Override a scenario key, e.g. capacity.max_dc_sessions=15.")


def print_frame(frame: pd.DataFrame, title: str = "") -> None:
    table = Table(title=title or None, show_lines=False)
    for column in frame.columns:
        table.add_column(str(column), overflow="fold")
    for values in frame.itertuples(index=False):
        table.add_row(*["" if v is None else str(v) for v in values])
    console.print(table)


@click.group()
def main():
    """Place the IGF Dynamic Coalitions' sessions into the programme, and compare options."""


@main.command()
@click.argument("scenario", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table")
@set_option
@bad_input_exits_2
def eligibility(scenario, fmt, overrides):
    """The per-DC criteria table of SCENARIO."""
    spec = load_scenario(scenario, overrides)
    report = EligibilityReport(load_dataset(spec.dataset_path), spec.eligibility)
    frame = report.to_frame()
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
        return
    print_frame(frame, f"Eligibility - {spec.name}")
    console.print(f"{len(report.eligible_dcs)} of {len(frame)} DCs eligible")


def summarise(result: Result) -> None:
    m, s = result.metrics, result.solution
    console.print(f"[bold]{m['scenario']}[/bold] ({m['mode']}): {s.status}, objective "
                  f"{s.objective}, bound {s.bound}, gap {m['gap']}, {s.seconds:.2f}s")
    console.print(f"eligible DCs {m['eligible_dcs']}, placed DCs {m['placed_dcs']}, "
                  f"DC items {m['dc_items']}, room-minutes {m['dc_room_minutes']}, theme "
                  f"clashes {m['theme_clashes']}, mean parallel sessions "
                  f"{m['avg_parallel_sessions']}")
    if result.rows:
        print_frame(pd.DataFrame([r.cells() for r in result.rows])
                    [["item_id", "kind", "dc_ids", "day", "start", "end", "room", "themes"]],
                    "Schedule")
    if result.unscheduled:
        print_frame(pd.DataFrame([{"request_id": u.request_id, "dc_ids": ";".join(u.dc_ids),
                                   "reason": u.reason} for u in result.unscheduled]),
                    "Not placed")
    console.print("soft terms: " + ", ".join(f"{k}={v}" for k, v in s.terms.items()))


def write_result(result: Result, out: Path) -> None:
    metrics = {**result.metrics, "scenario_path": str(result.scenario.source),
               "dataset_path": str(result.scenario.dataset_path)}
    write_result_folder(out, result.rows, result.unscheduled, metrics)


@main.command()
@click.argument("scenario", type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Folder for schedule.csv, unscheduled.csv and metrics.json.")
@click.option("--quiet", is_flag=True, help="No progress lines while solving.")
@set_option
@bad_input_exits_2
def solve(scenario, out, quiet, overrides):
    """Solve SCENARIO and write the draft schedule to OUT."""
    spec = load_scenario(scenario, overrides)
    dataset = load_dataset(spec.dataset_path)
    if not quiet:
        errors.print(f"solving {spec.name} ({spec.mode}), time limit {spec.solver.time_limit}s")
    result = plan(dataset, spec, None if quiet else lambda line: errors.print(line, markup=False))
    write_result(result, Path(out))
    summarise(result)
    console.print(f"written: {out}/schedule.csv, unscheduled.csv, metrics.json")
    if not result.solution.has_schedule:
        sys.exit(1)


@main.command()
@click.argument("schedule", type=click.Path())
@click.option("--scenario", type=click.Path(), required=True)
@set_option
@bad_input_exits_2
def check(schedule, scenario, overrides):
    """Check SCHEDULE (e.g. a hand-edited schedule.csv) against every hard rule."""
    spec = load_scenario(scenario, overrides)
    violations = check_file(schedule, load_dataset(spec.dataset_path), spec)
    for violation in violations:
        console.print(str(violation), markup=False)
    if violations:
        console.print(f"{len(violations)} violation(s) in {schedule}")
        sys.exit(1)
    console.print(f"{schedule}: no violations")


@main.command()
@click.argument("dc_id")
@click.option("--schedule", "folder", type=click.Path(), required=True,
              help="A folder written by `solve`.")
@click.option("--scenario", type=click.Path(), default=None,
              help="The scenario (default: the one recorded in the folder's metrics.json).")
@set_option
@bad_input_exits_2
def show(dc_id, folder, scenario, overrides):
    """What DC_ID got in the schedule in FOLDER."""
    folder = Path(folder)
    metrics_path = folder / "metrics.json"
    if scenario is None:
        if not metrics_path.exists():
            raise InputError(metrics_path, "not found: is this a folder written by `solve`?")
        scenario = json.loads(metrics_path.read_text())["scenario_path"]
    spec = load_scenario(scenario, overrides)
    dataset = load_dataset(spec.dataset_path)
    if dc_id not in dataset.coalition_by_id:
        raise InputError(dc_id, f"unknown DC (known: {', '.join(sorted(dataset.coalition_by_id))})")
    rows = read_schedule(folder / "schedule.csv")
    unscheduled = read_unscheduled(folder / "unscheduled.csv")
    for line in dc_view(dataset, dc_id, rows, unscheduled):
        console.print(line, markup=False)


jobs_option = click.option("--jobs", type=click.IntRange(min=1), default=None,
                           help="Scenarios solved at the same time (default: one per CPU).")


def progress_printer(quiet: bool):
    return None if quiet else (lambda line: errors.print(line, markup=False))


@main.command("compare")
@click.argument("scenarios", nargs=-1, required=True, type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), default="out/compare", show_default=True,
              help="Folder for comparison.csv/.json/.png, comparison_by_dc.csv and one "
                   "folder per scenario (as `solve` writes it).")
@click.option("--by-dc", is_flag=True, help="Also print what every DC gets in each scenario.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@jobs_option
@set_option
@bad_input_exits_2
def compare_command(scenarios, out, by_dc, quiet, jobs, overrides):
    """Solve SCENARIOS (in parallel) and print them side by side; best value of a row marked *."""
    specs = load_scenarios(scenarios, overrides)
    results = solve_many(specs, jobs, progress_printer(quiet))
    out = Path(out)
    for result in results:
        write_result(result, out / folder_name(result.scenario))
    table, per_dc = comparison_table(results), by_dc_table(results)
    written = write_comparison(out, results, table, per_dc)
    print_frame(display_table(table), "Comparison (* best in row)")
    if by_dc:
        print_frame(per_dc, "What each DC gets")
    console.print(f"written: {', '.join(p.name for p in written)} and one folder per scenario "
                  f"in {out}")
    if any(not r.solution.has_schedule for r in results):
        sys.exit(1)


@main.command("sweep")
@click.argument("scenario", type=click.Path())
@click.option("--vary", required=True, metavar="KEY=V1,V2,...",
              help="The key to vary and its values, e.g. capacity.max_dc_sessions=10,15,20.")
@click.option("--out", type=click.Path(file_okay=False), default="out/sweep", show_default=True,
              help="Folder for sweep.csv and sweep.png.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@jobs_option
@set_option
@bad_input_exits_2
def sweep_command(scenario, vary, out, quiet, jobs, overrides):
    """Solve SCENARIO once per value of one key and print the trade-off curve."""
    key, values = parse_vary(vary)
    result = sweep_scenario(scenario, key, values, overrides, jobs, progress_printer(quiet))
    table = result.table()
    written = write_sweep(out, result, table)
    print_frame(display_sweep(table), f"Sweep of {key}")
    console.print(f"written: {', '.join(str(p) for p in written)}")
    if any(not r.solution.has_schedule for r in result.results):
        sys.exit(1)


@main.command("generate")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--requests", "request_count", type=click.IntRange(min=1), default=30,
              show_default=True, help="DC session requests.")
@click.option("--density", type=click.FloatRange(0, 1), default=0.6, show_default=True,
              help="Share of the meeting days' room-time the fixed programme fills.")
@click.option("--rooms", type=click.IntRange(min=3), default=None,
              help="Rooms (default: drawn, 8-20).")
@click.option("--days", type=click.IntRange(1, 7), default=None,
              help="Meeting days after Day 0 (default: drawn, 4 or 5).")
@click.option("--scale", type=click.IntRange(min=1), default=1, show_default=True,
              help="Multiplies rooms, programme and people (10: about 3,000 sessions).")
@click.option("--out", type=click.Path(), required=True, help="The dataset folder to write.")
@click.option("--force", is_flag=True, help="Replace OUT even if it is not empty.")
@click.option("--scenarios", type=click.Path(file_okay=False), default=None,
              help="Also write one scenario per mode for the dataset into this folder.")
@bad_input_exits_2
def generate_command(seed, request_count, density, rooms, days, scale, out, force, scenarios):
    """Write an invented, IGF-shaped dataset to OUT (the same arguments give the same files)."""
    from .generate import (Settings, check_out_folder, generate, programme_density,
                           scenario_folder, write_dataset, write_scenarios)

    settings = Settings(seed=seed, requests=request_count, density=density, rooms=rooms,
                        days=days, scale=scale)
    check_out_folder(Path(out), force)
    if scenarios:
        scenario_folder(scenarios)  # a bad folder fails here, before the dataset is written
    generated = generate(settings)
    write_dataset(generated, out, force=force)
    written = write_scenarios(out, scenarios) if scenarios else []  # before any printing
    shares = programme_density(generated)
    console.print(f"written: {out} ({generated.event['name']}: {len(generated.rooms)} rooms, "
                  f"{len(generated.event['days'])} days, {len(generated.programme)} programme "
                  f"sessions, {len(generated.coalitions)} DCs, {len(generated.requests)} "
                  f"requests, {len(generated.people)} people)", markup=False)
    console.print("programme share of room-time: " + ", ".join(
        f"{day} {share:.2f}" for day, share in shares.items()), markup=False)
    if written:
        console.print(f"scenarios: {', '.join(str(p) for p in written)}", markup=False)


if __name__ == "__main__":
    main()
