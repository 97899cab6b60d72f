"""The `igf-sched` command: parse, call the library, print. Exit 0 ok, 1 violations/infeasible, 2 bad input."""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import click
import pandas as pd
from rich.console import Console

from .check import check_file
from .compare import (by_dc_table, comparison_files, comparison_table, display_sweep,
                      display_table, folder_name, glossary, load_scenarios, parse_vary,
                      solve_many, sweep_files, sweep_table)
from .compare.running import Sweep, sweep_scenarios
from .datasets.generate import MAX_REQUESTS, MAX_ROOMS, MAX_SCALE, MAX_SEED
from .eligibility import EligibilityReport
from .errors import InputError, InputWarning, on_warning, place
from .export.source import load_source
from .labels import for_people
from .load import did_you_mean, load_dataset, shown
from .model.solve import Interrupted, clock_limit, work_budget
from .plan import Result, plan
from .reserve import displaced_rows, reserve_for_dc_day
from .scenario import MAX_WORKERS, load_scenario
from .export.files import check_writable_folder
from .export.folders import MANIFEST, claimed, manifest_bytes, verify, write_folder
from .whatif import with_cheapest_changes
from .export.result_folder import KIND as RESULT, holds_result, result_files
from .schedule import (check_schedule_references, read_baseline, read_schedule_rows,
                       schedule_in)
from .show import dc_view
from .terminal import (displaced_line, eligibility_summary, eligibility_view, frame_tables,
                       progress_lines, schedule_frame, solve_summary, solver_line,
                       terminal_width, unscheduled_frame, written_summary)

# Its width is set when a command starts (`main`): the terminal's, else COLUMNS or 100.
console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)

# The exit code of a solve stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
INTERRUPTED = 130


def bad_input_exits_2(command):
    """Bad input ends the command with one `error:` line and exit 2, never a traceback; a file
    the system cannot open or write (permission denied, a folder where a file is expected) is
    bad input too. Warnings about probable mistakes are printed on stderr as they are found,
    each once however often the data is read (by each scenario, say); the same warning for more
    rows of a file is said once more at the end with those rows, and the count of all."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        rows: dict[tuple, list[int]] = {}

        def print_warning(warning: InputWarning) -> None:
            key = (warning.file, warning.column, warning.message)
            if key not in rows:
                rows[key] = [warning.row] if warning.row is not None else []
                say_warning(str(warning))
            elif warning.row is not None and warning.row not in rows[key]:
                rows[key].append(warning.row)

        try:
            with on_warning(print_warning):
                return command(*args, **kwargs)
        except InputError as exc:
            click.echo(f"error: {exc}", err=True)  # one line, never wrapped: scripts grep it
            sys.exit(2)
        except OSError as exc:
            where = exc.filename if exc.filename is not None else "(file)"
            click.echo(f"error: {where}: {exc.strerror or exc}", err=True)
            sys.exit(2)
        finally:
            if rows:
                say_warnings_again(rows)
    return wrapper


def say_warning(line: str) -> None:
    """A warning on stderr: on a terminal wrapped between words, elsewhere one line to grep."""
    errors.print(f"warning: {line}", markup=False, soft_wrap=not errors.is_terminal)
    errors.file.flush()


def say_warnings_again(rows: dict[tuple, list[int]]) -> None:
    for (file, column, message), numbers in rows.items():
        if len(numbers) > 1:
            shown_rows = ", ".join(map(str, sorted(numbers)[1:]))
            say_warning(f"{place(file, None, column)}: the same ({message.split(':')[0]}) in "
                        f"{len(numbers) - 1} more row{'s' if len(numbers) > 2 else ''}: "
                        f"{shown_rows}")
    total = sum(max(1, len(numbers)) for numbers in rows.values())
    if total > 1:
        say_warning(f"{total} warnings about the data in all (above), each said once")


set_option = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                          help="Override a scenario key, e.g. capacity.max_dc_sessions=15.")


def print_frame(frame: pd.DataFrame, title: str = "", wrap=()) -> None:
    """`frame` as a table, or as several where it is too wide to break no word; the `wrap`
    columns share the width left (`terminal.frame_tables`)."""
    for table in frame_tables(frame, title, wrap, console.width):
        console.print(table)


def examples(*lines: str) -> str:
    """A command's help epilog: example command lines, kept as written (click's \\b)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


class WithFigures(click.Command):
    """`compare`: its help ends with what each row of the table means, wrapped between words at
    the terminal's width like the rest of the help."""

    def format_epilog(self, ctx, formatter):
        super().format_epilog(ctx, formatter)
        formatter.write_paragraph()
        formatter.write_text("What each row of the table means; each means the same in every "
                             "mode, and * marks the best value of a row.")
        with formatter.section("Rows"):
            formatter.write_dl(
                [(heading, f"({better} is better) {meaning}" if better != "-" else meaning)
                 for heading, better, meaning in glossary()]
                + [("term NAME", "(with --verbose, and in the files) each soft goal's value, "
                                 "as scheduler/catalogue.py defines it")])


@click.group(context_settings={"max_content_width": 100}, epilog=examples(
    "igf-sched eligibility scenarios/individual.toml",
    "igf-sched solve scenarios/individual.toml --out out/individual",
    "igf-sched compare scenarios/*.toml --out out/compare"))
@click.version_option(package_name="igf-sched", prog_name="igf-sched")
def main():
    """Place the IGF Dynamic Coalitions' sessions into the programme, and compare options."""
    console.width = terminal_width()
    errors.width = terminal_width(sys.stderr)


@main.command(short_help="Each DC against the eligibility rules, and why not.", epilog=examples(
    "igf-sched eligibility scenarios/individual.toml",
    "igf-sched eligibility scenarios/individual.toml --format csv > eligibility.csv",
    "igf-sched eligibility scenarios/individual.toml --set eligibility.min_genders=2"))
@click.argument("scenario", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table",
              help="table: for people; csv: every rule under its full name.")
@click.option("--summary", is_flag=True, help="Only the line of who is eligible and who not.")
@set_option
@bad_input_exits_2
def eligibility(scenario, fmt, summary, overrides):
    """The per-DC criteria table of SCENARIO: each rule passed or FAILed, and why not."""
    spec = load_scenario(scenario, overrides)
    report = EligibilityReport(load_dataset(spec.dataset_path), spec.eligibility)
    frame = report.to_frame()
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
        return
    if not summary:
        print_frame(eligibility_view(frame), f"Eligibility - {spec.name}", wrap=["why not"])
    console.print(eligibility_summary(report), markup=False)


def summarise(result: Result, out: Path, verbose: bool = False, written: bool = True) -> None:
    for line in solve_summary(result, out, verbose, written):
        console.print(line, markup=False)
    if not verbose:
        return
    if result.rows:
        print_frame(schedule_frame(result), "Schedule", wrap=["DCs", "themes"])
    if result.unscheduled:
        print_frame(unscheduled_frame(result), "Not placed", wrap=["DCs", "why not placed"])
    console.print(solver_line(result), markup=False)


def result_folder_files(result: Result) -> dict[str, bytes]:
    """The files of the result folder of `result` (its manifest aside)."""
    metrics = {**result.metrics, "scenario_path": str(result.scenario.source),
               "dataset_path": str(result.scenario.dataset_path)}
    reserves = result.scenario.mode == "dc_day" and result.scenario.dc_day.reserve != "none"
    return result_files(result.rows, result.unscheduled, metrics, result.changes,
                        displaced=displaced_rows(result.reservation, result.rows,
                                                 result.why_dropped) if reserves else None)


def write_result(result: Result, out: Path) -> bool:
    """Write the result folder whole. A result without a schedule never replaces an earlier
    one: False, and the folder is left as it was."""
    if not result.solution.has_schedule and holds_result(out):
        return False
    write_folder(out, RESULT, result_folder_files(result))
    return True


def changes_line(counts: dict[str, int], out: str | Path) -> str:
    return (f"Against the baseline: {counts['kept']} kept, {counts['moved']} moved, "
            f"{counts['added']} added, {counts['dropped']} dropped; each with why in "
            f"{Path(out) / 'changes.csv'}.")


def search_limits(solver) -> str:
    """"work limit 30 units (the clock at 300s)", or "time limit 30s" without `deterministic`."""
    if not solver.deterministic:
        return f"time limit {solver.time_limit:g}s"
    return (f"work limit {work_budget(solver):g} units (CP-SAT's count; the clock at "
            f"{clock_limit(solver):g}s)")


def kept_earlier_result(out: Path) -> None:
    errors.print(f"No schedule found: the earlier result in {out} is kept unchanged.",
                 markup=False)


@main.command(short_help="Solve a scenario and write the draft schedule.", epilog=examples(
    "igf-sched solve scenarios/individual.toml --out out/individual",
    "igf-sched solve scenarios/block.toml --out out/block --set solver.time_limit=60 --verbose",
    "igf-sched solve scenarios/individual.toml --baseline out/individual --out out/revised"))
@click.argument("scenario", type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Folder for schedule.csv, unscheduled.csv and metrics.json (and changes.csv "
                   "with --baseline).")
@click.option("--baseline", type=click.Path(), default=None,
              help="An earlier schedule.csv (or its folder): keep what is still allowed, move "
                   "as little as possible (weights.moved), keep its rows marked pinned; "
                   "changes.csv says what changed and why.")
@click.option("--pins", type=click.Path(), default=None,
              help="pins.csv: request_id and any of day, start, room that must be kept.")
@click.option("--suggest", is_flag=True,
              help="For each eligible request left out, find the cheapest change that would "
                   "place it (a quota step, a room or day opened, a longer block, a speaker's "
                   "window), each tried by solving again: unscheduled.csv, column "
                   "cheapest_change.")
@click.option("--quiet", is_flag=True, help="No progress lines while solving.")
@click.option("--verbose", is_flag=True,
              help="Also print the schedule, the requests not placed and the solver's figures.")
@set_option
@bad_input_exits_2
def solve(scenario, out, baseline, pins, suggest, quiet, verbose, overrides):
    """Solve SCENARIO and write the draft schedule to OUT."""
    spec = load_scenario(scenario, overrides)
    dataset = load_dataset(spec.dataset_path)
    before = read_baseline(baseline, pins, dataset)
    check_writable_folder(Path(out))
    with claimed(out, RESULT):        # held until the folder is written: one run at a time
        if not quiet:
            errors.print(f"solving {spec.name} ({spec.mode}), {search_limits(spec.solver)}",
                         markup=False)
        try:
            with progress_lines(errors, quiet) as progress:
                result = plan(dataset, spec, progress, before)
                interrupted = result.solution.ended_by == "interrupt"
                if suggest and not interrupted:
                    started = time.perf_counter()
                    result.unscheduled = with_cheapest_changes(result, progress)
                    result.metrics["wall_seconds"] += round(time.perf_counter() - started, 3)
        except (Interrupted, KeyboardInterrupt):
            # Before the search (loading, the first pass) or during --suggest's trials.
            errors.print(f"Interrupted: nothing written in {out}.", markup=False)
            sys.exit(INTERRUPTED)
        if interrupted and not result.solution.has_schedule:
            # Only a schedule the search found replaces an earlier result, never an empty one.
            errors.print(f"{spec.name}: interrupted before the search found a schedule: "
                         f"nothing written in {out}.", markup=False)
            sys.exit(INTERRUPTED)
        written = write_result(result, Path(out))
    summarise(result, out, verbose, written)
    if result.changes is not None and written:
        console.print(changes_line(result.metrics["changes"], out), markup=False)
    if interrupted:
        sys.exit(INTERRUPTED)
    if not result.solution.has_schedule:
        sys.exit(1)


@main.command(short_help="Check a schedule (a hand-edited one too) against every rule.",
              epilog=examples(
    "igf-sched check out/individual/schedule.csv --scenario scenarios/individual.toml"))
@click.argument("schedule", type=click.Path())
@click.option("--scenario", type=click.Path(), required=True)
@click.option("--pins", type=click.Path(), default=None,
              help="pins.csv: request_id and any of day, start, room that must be kept.")
@click.option("--baseline", type=click.Path(), default=None,
              help="An earlier schedule.csv (or its folder) whose rows marked pinned are kept.")
@set_option
@bad_input_exits_2
def check(schedule, scenario, pins, baseline, overrides):
    """Check SCHEDULE (any schedule.csv, e.g. one edited by hand, or a result folder, which
    must be as `solve` wrote it) against every hard rule, and the pins of a pins file or of a
    baseline's rows marked `pinned`."""
    spec = load_scenario(scenario, overrides)
    dataset = load_dataset(spec.dataset_path)
    schedule = schedule_in(schedule)
    # A file that cannot be read, or names what the dataset lacks, is bad input (exit 2), never
    # a list of violations (exit 1).
    numbered = read_schedule_rows(schedule)
    check_schedule_references(schedule, numbered, dataset)
    before = read_baseline(baseline, pins, dataset)
    reservation = reserve_for_dc_day(dataset, spec)
    violations = check_file(schedule, dataset, spec, before.pins if before else (), reservation)
    for violation in violations:
        console.print(str(violation), markup=False)
    if reservation.displaced:
        console.print(displaced_line(reservation.figures([row for _, row in numbered])) + ".",
                      markup=False)
    if violations:
        console.print(f"{len(violations)} violation(s) in {schedule}")
        sys.exit(1)
    console.print(f"{schedule}: no violations")


@main.command(short_help="What one DC got, and why not.",
              epilog=examples("igf-sched show DC-DT --schedule out/individual",
                              "igf-sched show DC-DT --schedule out/compare/block"))
@click.argument("dc_id")
@click.option("--schedule", "folder", type=click.Path(), required=True,
              help="A folder written by `solve`.")
@click.option("--scenario", type=click.Path(), default=None,
              help="The scenario (default: the one recorded in the folder's metrics.json).")
@set_option
@bad_input_exits_2
def show(dc_id, folder, scenario, overrides):
    """What DC_ID got in the schedule in FOLDER."""
    source = load_source(folder, scenario, tuple(overrides))
    known = source.dataset.coalition_by_id
    if dc_id not in known:
        raise InputError(shown(dc_id), f"unknown DC{did_you_mean(dc_id, known)} (known: "
                         f"{', '.join(sorted(known))})")
    for line in dc_view(source.dataset, dc_id, source.rows, source.unscheduled,
                        source.changes, source.scenario.block.stay):
        console.print(for_people(line), markup=False)


COMPARISON, SWEEP = "comparison", "sweep"


def scenario_folder_files(result: Result, folder: Path) -> dict[str, bytes]:
    """The files of one scenario's result folder inside a comparison, by path in the
    comparison. A scenario without a schedule keeps an earlier result there, as it was."""
    if not result.solution.has_schedule and holds_result(folder):
        verify(folder, RESULT)
        kept_earlier_result(folder)
        return {f"{folder.name}/{p.relative_to(folder).as_posix()}": p.read_bytes()
                for p in sorted(folder.rglob("*")) if p.is_file()}
    files = result_folder_files(result)
    files[MANIFEST] = manifest_bytes(RESULT, files)   # each is a result folder of its own
    return {f"{folder.name}/{name}": data for name, data in files.items()}


# Each job is a process holding a model: past a few per core they only cost memory.
jobs_option = click.option("--jobs", type=click.IntRange(1, MAX_WORKERS), default=None,
                           help="Scenarios solved at the same time (default: one per CPU).")


@main.command("compare", cls=WithFigures,
              short_help="Solve scenarios and print them side by side.", epilog=examples(
    "igf-sched compare scenarios/*.toml --out out/compare",
    "igf-sched compare scenarios/individual.toml scenarios/block.toml --by-dc --jobs 2"))
@click.argument("scenarios", nargs=-1, required=True, type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), default="out/compare", show_default=True,
              help="Folder for comparison.csv/.json/.png, comparison_by_dc.csv and one "
                   "folder per scenario (as `solve` writes it).")
@click.option("--by-dc", is_flag=True, help="Also print what every DC gets in each scenario.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@click.option("--verbose", is_flag=True,
              help="Also the solver's objective and soft terms (always in the files).")
@jobs_option
@set_option
@bad_input_exits_2
def compare_command(scenarios, out, by_dc, quiet, verbose, jobs, overrides):
    """Solve SCENARIOS (in parallel) and print them side by side; best value of a row marked *."""
    specs = load_scenarios(scenarios, overrides)
    check_writable_folder(Path(out))
    out = Path(out)
    with claimed(out, COMPARISON):
        with progress_lines(errors, quiet) as progress:
            results = solve_many(specs, jobs, progress)
        table, per_dc = comparison_table(results), by_dc_table(results)
        files = comparison_files(results, table, per_dc)
        written = [out / name for name in files]
        for result in results:
            files.update(scenario_folder_files(result, out / folder_name(result.scenario)))
        write_folder(out, COMPARISON, files)
    print_frame(display_table(table, details=verbose), "Comparison (* best in row)")
    if by_dc:
        names = [r.scenario.name for r in results]
        print_frame(by_dc_table(results, brief=True).drop(columns=["category"]),
                    "What each DC gets (why not, in full: comparison_by_dc.csv)", wrap=names)
    console.print(f"Files in {out}: {', '.join(p.name for p in written)}, and one folder per "
                  f"scenario as `solve` writes it.", markup=False)
    if any(not r.solution.has_schedule for r in results):
        sys.exit(1)


@main.command("sweep", short_help="Vary one key of a scenario: the trade-off curve.",
              epilog=examples(
    "igf-sched sweep scenarios/individual.toml --vary capacity.max_dc_sessions=10,15,20",
    "igf-sched sweep scenarios/block.toml --vary block.duration=120,180 --out out/sweep"))
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
    specs = sweep_scenarios(scenario, key, values, overrides)   # bad input first: exit 2
    check_writable_folder(Path(out))
    with claimed(out, SWEEP):
        with progress_lines(errors, quiet) as progress:
            result = Sweep(key, list(values), solve_many(specs, jobs, progress,
                                                         labels=[f"{key}={v}" for v in values]))
        table = sweep_table(result)
        written = write_folder(out, SWEEP, sweep_files(result, table))
    print_frame(display_sweep(table), f"Sweep of {key}")
    console.print(f"Files in {out}: {', '.join(p.name for p in written)}", markup=False)
    if any(not r.solution.has_schedule for r in result.results):
        sys.exit(1)


base_url_option = click.option(
    "--base-url", default=None, metavar="URL",
    help="Where the site will be online (https://...): each event's url in schedule.json "
         "and schedule.xml, its page on the site.")


@main.command("export", short_help="Export a result as csv, xlsx, ics, frab, json or html.",
              epilog=examples(
    "igf-sched export out/individual --format xlsx --out out/export/individual",
    "igf-sched export out/compare/block --format all --out out/block-export",
    "igf-sched export out/individual --format csv --delimiter ';' --out out/excel"))
@click.argument("result_dir", type=click.Path())
@click.option("--format", "fmt", required=True, metavar="FORMAT",
              help="csv, xlsx, ics, frab, json, html, or all (every one of them).")
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Folder for the exported files.")
@click.option("--scenario", type=click.Path(), default=None,
              help="The scenario (default: the one recorded in RESULT_DIR's metrics.json).")
@click.option("--delimiter", type=click.Choice([",", ";"]), default=",", show_default=True,
              help="Separator of the csv format (';' for Excel where ',' is the decimal comma).")
@base_url_option
@set_option
@bad_input_exits_2
def export_command(result_dir, fmt, out, scenario, delimiter, base_url, overrides):
    """Export the result in RESULT_DIR (written by solve or compare) as FORMAT into OUT."""
    from .export import formats
    from .export.source import load_source, with_base_url

    if fmt != formats.ALL:
        formats.module(fmt)       # an unknown format is bad input before anything is read
    source = with_base_url(load_source(result_dir, scenario, overrides), base_url)
    written = formats.export(source, fmt, Path(out), delimiter=delimiter)
    console.print(written_summary(written, Path(out)), markup=False)
    if (Path(out) / "index.html") in written:
        console.print(f"The site: open {Path(out) / 'index.html'}", markup=False)


@main.command("publish", short_help="Publish a result as the next numbered version of a site.",
              epilog=examples(
    "igf-sched publish out/draft --out out/site --base-url https://example.org/dc/",
    "igf-sched publish out/revised --out out/site --base-url https://example.org/dc/"))
@click.argument("result_dir", type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="The site folder: new, empty, or written by an earlier publish.")
@click.option("--scenario", type=click.Path(), default=None,
              help="The scenario (default: the one recorded in RESULT_DIR's metrics.json).")
@click.option("--at", default=None, metavar="MOMENT",
              help="Moment of publication to record, e.g. 2024-04-02T10:00:00Z (default: now).")
@base_url_option
@set_option
@bad_input_exits_2
def publish_command(result_dir, out, scenario, at, base_url, overrides):
    """Publish the result in RESULT_DIR as the next numbered version of the site in OUT.

    Every export format goes into OUT (the site, calendars, frab XML, schedule JSON, the
    workbook and CSV files), each item keeping its ids across versions; calendars raise the
    SEQUENCE of what changed and cancel what was dropped; the site gets a page of the changes
    since the version before. OUT/releases/N keeps what version N published.
    """
    import datetime as dt

    from .export.publish import publish
    from .export.releases import utc_moment
    from .export.source import load_source, with_base_url

    moment = (utc_moment(at, "--at") if at is not None
              else dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    source = with_base_url(load_source(result_dir, scenario, overrides), base_url)
    done = publish(source, Path(out), moment)
    release = done.release
    if not done.new:
        click.echo(f"unchanged since version {release.version}: written again as it was")
    else:
        counts = ", ".join(f"{n} {kind}" for kind, n in change_counts(release).items())
        since = (f"; since version {release.number - 1}: {counts or 'no DC item changed'}"
                 if release.number > 1 else "")
        click.echo(f"published version {release.version}{since}")
    click.echo(f"written: {len(done.written)} files in {out}; open {Path(out) / 'index.html'}")


def change_counts(release) -> dict[str, int]:
    counts: dict[str, int] = {}
    for change in release.changes:
        counts[change.change] = counts.get(change.change, 0) + 1
    return counts


@main.command("site", short_help="Build the accessible static site of a result.",
              epilog=examples(
    "igf-sched compare scenarios/*.toml --out out/compare && "
    "igf-sched site out/compare --out out/site",
    "igf-sched site out/individual --out out/individual-site"))
@click.argument("folder", metavar="COMPARE_DIR", type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Folder for the site (new, empty, or a site written here before).")
@bad_input_exits_2
def site_command(folder, out):
    """Build the accessible static site (HTML, no JavaScript) of COMPARE_DIR.

    COMPARE_DIR is a folder written by `compare` (an index, the scenarios compared, and each
    scenario's pages) or by `solve` (that scenario's pages).
    """
    from .export.site import write_any

    written = write_any(Path(folder), Path(out))
    click.echo(f"written: {len(written)} files in {out}; open {Path(out) / 'index.html'}")


@main.command("import", short_help="A dataset from a programme as conference tools publish it.",
              epilog=examples(
    "igf-sched import ../shared/real/ccc36c3/schedule.xml --out data/36c3",
    "igf-sched import schedule.json --timezone Europe/Berlin --room-capacity 200 --out data/x",
    "igf-sched import programme.ics --out data/igf-ics",
    "igf-sched import secretariat.xlsx --out data/igf2026",
    "igf-sched import platform.ics --into data/igf2026 --out data/igf2026-programme"))
@click.argument("file", type=click.Path())
@click.option("--out", type=click.Path(), required=True, help="The dataset folder to write.")
@click.option("--force", is_flag=True, help="Replace OUT even if it is not empty.")
@click.option("--timezone", default=None,
              help="The event's IANA time zone, where the file names none (e.g. Europe/Berlin).")
@click.option("--room-capacity", type=click.IntRange(min=1), default=100, show_default=True,
              help="Seats given to every room: published programmes do not say (marked in "
                   "rooms.csv, column 'assumed').")
@click.option("--room-features", default="", metavar="LIST",
              help="Features every room is taken to have, e.g. 'hybrid;captioning' (default: "
                   "none; marked like the capacity).")
@click.option("--into", type=click.Path(), default=None,
              help="A dataset folder (read, not changed) whose event, rooms, people, coalitions "
                   "and requests the imported programme joins, in place of its own programme.")
@bad_input_exits_2
def import_command(file, out, force, timezone, room_capacity, room_features, into):
    """Make a dataset in OUT from the programme in FILE as conference tools publish it: frab
    schedule XML, schedule.json (C3VOC/pretalx), iCalendar, or an xlsx workbook with a sheet per
    file of the data contract. Prints (and writes as import-report.md) what was read, what was
    assumed and what could not be mapped."""
    from .datasets.importing import import_programme, room_features_of

    report = import_programme(file, out, timezone=timezone, capacity=room_capacity,
                              features=room_features_of(room_features), into=into,
                              force=force)
    click.echo(report.text().rstrip())
    click.echo(f"\nwritten: {out}")


@main.command("generate", short_help="Write an invented, IGF-shaped dataset.", epilog=examples(
    "igf-sched generate --seed 7 --out gen/s7 --scenarios gen/s7-scenarios",
    "igf-sched generate --seed 7 --rooms 14 --days 4 --scale 10 --out gen/x10",
    "igf-sched generate --shape standards --requests 126 --rooms 8 --days 5 --out gen/dense",
    "igf-sched generate --seed 7 --requests 40 --programme data/36c3 --out gen/36c3"))
@click.option("--seed", type=click.IntRange(0, MAX_SEED), default=0,
              show_default=True, help="Random seed.")
@click.option("--requests", "request_count", type=click.IntRange(1, MAX_REQUESTS),
              default=30, show_default=True, help="DC session requests.")
@click.option("--density", type=click.FloatRange(0, 1), default=0.6, show_default=True,
              help="Share of the meeting days' room-time the fixed programme fills.")
@click.option("--rooms", type=click.IntRange(3, MAX_ROOMS), default=None,
              help="Rooms (default: drawn, 8-20).")
@click.option("--days", type=click.IntRange(1, 7), default=None,
              help="Meeting days after Day 0 (default: drawn, 4 or 5).")
@click.option("--scale", type=click.IntRange(1, MAX_SCALE), default=1,
              show_default=True,
              help="Multiplies rooms, programme and people (10: about 3,000 sessions).")
@click.option("--shape", type=click.Choice(["igf", "standards"]), default="igf",
              show_default=True,
              help="standards: a standards meeting's request set (no fixed programme but the "
                   "plenaries, requests of 60-120 min, all eligible, each participant in "
                   "several requests).")
@click.option("--out", type=click.Path(), required=True, help="The dataset folder to write.")
@click.option("--force", is_flag=True, help="Replace OUT even if it is not empty.")
@click.option("--scenarios", type=click.Path(file_okay=False), default=None,
              help="Also write one scenario per mode for the dataset into this folder.")
@click.option("--programme", type=click.Path(), default=None,
              help="A dataset folder (e.g. written by import) whose event, rooms, programme "
                   "and people are kept: only coalitions and requests are drawn.")
@bad_input_exits_2
def generate_command(seed, request_count, density, rooms, days, scale, shape, out, force,
                     scenarios, programme):
    """Write an invented, IGF-shaped dataset to OUT (the same arguments give the same files)."""
    from .datasets.generate import (SCENARIOS, Settings, generate, programme_density,
                                    write_dataset, write_scenarios)
    from .datasets.writer import check_out_folder
    from .export.folders import check_replaceable

    settings = Settings(seed=seed, requests=request_count, density=density, rooms=rooms,
                        days=days, scale=scale, shape=shape, programme=programme)
    check_writable_folder(Path(out))
    check_out_folder(Path(out), force)
    if scenarios:   # a folder that cannot take them fails here, before the dataset is written
        check_writable_folder(Path(scenarios))
        check_replaceable(Path(scenarios), SCENARIOS)
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
