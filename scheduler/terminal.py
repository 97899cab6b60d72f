"""What the command line prints for people: tables that fit the terminal, plain words.

The numbers behind every sentence are in the files (`metrics.json`, the CSVs); a terminal gets
what a planner reads in one screen, in at most `DEFAULT_WIDTH` columns when it is not a terminal
(a pipe, a log, a test), and never a word broken across lines when the words fit at all.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import labels
from .eligibility import EligibilityReport
from .labels import for_people
from .model.solve import clock_limit, gap_percent, work_budget
from .plan import Result

DEFAULT_WIDTH = 100


def terminal_width(stream=None) -> int | None:
    """None on a terminal (rich asks it its width); elsewhere COLUMNS, else `DEFAULT_WIDTH`."""
    if (stream or sys.stdout).isatty():
        return None
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else DEFAULT_WIDTH


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _cells(frame: pd.DataFrame) -> list[list[str]]:
    return [["" if v is None else str(v) for v in values]
            for values in frame.itertuples(index=False)]


def _widths(frame: pd.DataFrame, wrap: Sequence[str]) -> dict:
    """Each column's width: its longest cell, or its longest word if it wraps (a heading may
    always wrap between its words)."""
    cells = _cells(frame)
    return {column: max([_longest_word(str(column)),
                         *((_longest_word if column in wrap else len)(row[index])
                           for row in cells)])
            for index, column in enumerate(frame.columns)}


def frame_table(frame: pd.DataFrame, title: str = "", wrap: Sequence[str] = (),
                width: int = DEFAULT_WIDTH) -> Table:
    """A table of `frame` for `width` columns: the columns named in `wrap` share the width left
    and wrap their text between words; every other column is as wide as its longest cell (its
    heading may wrap). Columns stand two spaces apart, one where two do not fit."""
    widths = _widths(frame, wrap)
    gap = 2 if sum(widths.values()) + 2 * (len(widths) - 1) <= width else 1
    table = Table(title=title or None, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  padding=(0, gap - 1), collapse_padding=True)
    for column, fixed in widths.items():
        table.add_column(str(column), overflow="fold", width=None if column in wrap else fixed)
    for row in _cells(frame):
        table.add_row(*row)
    return table


def frame_tables(frame: pd.DataFrame, title: str = "", wrap: Sequence[str] = (),
                 width: int = DEFAULT_WIDTH, keep: int = 1) -> list[Table]:
    """`frame_table`, split where its columns cannot all stand side by side without breaking a
    word: the columns after the first `keep` are shared out over as few tables as hold them,
    each table repeating the first `keep` (a comparison of six scenarios in 60 columns becomes
    tables of two or three scenarios, each with the figures' names)."""
    widths = _widths(frame, wrap)
    head, groups = list(frame.columns[:keep]), [[]]
    for column in frame.columns[keep:]:
        together = head + groups[-1] + [column]
        if groups[-1] and sum(widths[c] for c in together) + len(together) - 1 > width:
            groups.append([])
        groups[-1].append(column)
    return [frame_table(frame[head + group], title if n == 0 else f"{title} (continued)"
                        if title else "", [c for c in wrap if c in head + group], width)
            for n, group in enumerate(groups)]


@contextmanager
def progress_lines(console: Console, quiet: bool = False) -> Iterator[Callable[[str], None] | None]:
    """Where a command's progress goes, each line wrapped between words: off a terminal (a log,
    a pipe), every line; on a terminal, the line of what is being tried now stays on one
    updating line (cleared when the work ends) and only the lines that say a scenario is done
    are kept, so that a long run shows it is alive without filling the screen."""
    if quiet:
        yield None
        return
    if not console.is_terminal:
        yield lambda line: console.print(line, markup=False)
        return
    with console.status("") as status:
        def say(line: str) -> None:
            if line.startswith("done "):
                console.print(line, markup=False)
            else:
                status.update(Text(line.strip()))
        yield say


def written_summary(paths: Sequence[Path], out: Path) -> str:
    """One sentence for the files an export wrote: each file in `out` by name, each folder in
    it with its count ('calendars/ (25 files)'), a file written by two formats counted once."""
    out = Path(out)
    relative = sorted({Path(p).resolve().relative_to(out.resolve()) for p in paths})
    top = [str(p) for p in relative if len(p.parts) == 1]
    folders: dict[str, int] = {}
    for path in relative:
        if len(path.parts) > 1:
            folders[path.parts[0]] = folders.get(path.parts[0], 0) + 1
    parts = top + [f"{name}/ ({plural(count, 'file')})" for name, count in folders.items()]
    return f"written: {plural(len(relative), 'file')} in {out}: {', '.join(parts)}"


# --- eligibility ------------------------------------------------------------------------------

RULE_HEADINGS = {key: short for key, (_, short) in labels.RULES.items()}
REASON = "why not"


def eligibility_view(frame: pd.DataFrame) -> pd.DataFrame:
    """`EligibilityReport.to_frame` for a terminal: short rule headings (also in the reasons),
    pass/FAIL marks, the category left to the CSV."""
    def shorten(reason: str) -> str:
        return re.sub(r"(^|; )(\w+): ",
                      lambda m: f"{m[1]}{labels.rule_heading(m[2])}: ", reason)

    view = frame.drop(columns=["category"]).rename(columns={"dc_id": "DC", "reason": REASON,
                                                            **RULE_HEADINGS})
    view[REASON] = view[REASON].map(lambda reason: for_people(shorten(reason)))
    return view


def eligibility_summary(report: EligibilityReport) -> str:
    eligible = set(report.eligible_dcs)
    others = [dc.dc_id for dc in report.dataset.coalitions if dc.dc_id not in eligible]
    return (f"{len(eligible)} of {len(report.dataset.coalitions)} DCs eligible"
            + (f"; not eligible: {', '.join(others)}" if others else ""))


# --- a solve ----------------------------------------------------------------------------------

def plural(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def percent(fraction: float | None) -> str:
    return gap_percent(fraction) if fraction else "0%"


# A stopped search's schedule is called good only this close to the best possible.
GOOD_GAP = 0.01


def outcome(result: Result) -> str:
    """The solver's status in words, its own term in parentheses."""
    s = result.solution
    if s.status == "optimal":
        return "Schedule found and proven best (optimal)"
    if s.first_guess:
        return ("Schedule found, not improved: the search found none in time, so this is the "
                "first guess (a greedy schedule that keeps every hard rule) as it is (feasible); "
                f"a longer time limit (--set solver.time_limit="
                f"{4 * result.scenario.solver.time_limit:g}) may find a better one")
    if s.status == "feasible":
        solver = result.scenario.solver
        limit = what_ended(s, solver)
        by_work = (s.ended_by == "work limit" and bool(solver.work_limit)
                   and work_budget(solver) == solver.work_limit)
        longer = (f"solver.work_limit={4 * solver.work_limit:g}" if by_work
                  else f"solver.time_limit={4 * solver.time_limit:g}")
        advice = "" if s.ended_by == "interrupt" else \
            f". A longer limit (--set {longer}) may find a better one or prove this one"
        gap = result.metrics["gap"]
        if gap is not None and gap <= GOOD_GAP:
            return (f"Good schedule found, at most {percent(gap)} better possible: {limit} "
                    "(feasible)")
        how_much = "how much better is possible is not known" if gap is None else \
            f"up to {percent(gap)} better may be possible"
        return f"Schedule found, not proven good: {how_much}; {limit} (feasible){advice}"
    if s.status == "infeasible":
        return (f"No schedule: {s.why} (infeasible)" if s.why else
                "No schedule: the hard rules cannot all be met at once (infeasible)")
    if s.status == "unknown" and s.ended_by == "interrupt":
        return "No schedule: the search was interrupted (Ctrl-C or SIGTERM) before it found one"
    if s.status == "unknown":
        compact = "" if result.metrics.get("formulation") == "interval" else \
            ", or, for a large model, --set solver.formulation=interval"
        return (f"No schedule: none found before {what_ended(s, result.scenario.solver)} "
                f"(unknown). To try: a longer time limit "
                f"(--set solver.time_limit={4 * result.scenario.solver.time_limit:g})"
                f"{', ' if compact else ' or '}fewer items to place (capacity.max_dc_sessions, "
                f"or [programme] movable = \"marked\"){compact}")
    return f"No schedule: the solver could not run this model ({s.status})"


def what_ended(s, solver) -> str:
    """What stopped a search before its proof, in words (`Solution.ended_by`)."""
    if s.ended_by == "interrupt":
        return "the search was interrupted (Ctrl-C or SIGTERM)"
    if s.ended_by == "work limit":
        return (f"the work limit of {work_budget(solver):g} units ended the search (CP-SAT's "
                "own count of its work: the same schedule on every run)")
    if s.ended_by == "time limit":
        if solver.deterministic:
            # `work` sums every part of the search (workers beside, neighbourhood steps).
            return (f"the clock ended the search ({clock_limit(solver):g}s, with "
                    f"{s.work:.1f} units of work done in all, the work limit being "
                    f"{work_budget(solver):g}: this model's work runs slow on the clock, or "
                    "the machine was busy; another run may end at another schedule)")
        return f"the time limit of {solver.time_limit:g}s ended the search"
    if s.ended_by == "stages":
        return ("the staged search (solver.stages) proved the best schedule that places as much "
                "as its first stage, not that one placing less scores no more")
    return f"the search stopped after {s.seconds:.1f}s, before its limits"


def solve_summary(result: Result, out: str | Path, verbose: bool = False,
                  written: bool = True) -> list[str]:
    """A few sentences: the outcome, who is placed, what it costs, where the files are (or that
    an earlier result was kept)."""
    m = result.metrics
    lines = [f"{m['scenario']} (mode {m['mode']}, {m['wall_seconds']:.1f}s): "
             f"{outcome(result)}."]
    ineligible = sum(1 for u in result.unscheduled if u.reason.startswith("ineligible"))
    if result.solution.has_schedule:
        lines.append(f"Placed {m['placed_dcs']} of {m['eligible_dcs']} eligible DCs "
                     f"({plural(m['placed_requests'], 'request')}); "
                     f"{plural(len(result.unscheduled), 'request')} not placed "
                     f"({ineligible} of them ineligible).")
        lines.append(f"{plural(m['theme_clashes'], 'theme clash', 'theme clashes')} (a DC "
                     f"presentation - a session or a block's segment - at the same time as a "
                     f"session on a shared theme); on average {m['avg_parallel_sessions']:g} "
                     f"other sessions run beside a DC presentation; "
                     f"rooms held for {m['dc_room_minutes']} minutes by "
                     f"{plural(m['dc_items'], 'DC item')}; "
                     f"{plural(m['person_conflicts'], 'person conflict')}.")
    if result.solution.has_schedule and "programme_sessions_moved" in m:
        placed = sum(1 for r in result.rows if r.kind == "programme")
        lines.append(f"Programme: {plural(placed, 'session')} placed by the engine, "
                     f"{m['programme_sessions_moved']} of them moved from where they were "
                     f"(rows of kind programme in schedule.csv).")
    if result.solution.has_schedule and m.get("displaced_sessions"):
        lines.append(displaced_line(m) + " (where, or why not: displaced.csv).")
    if not written:
        lines.append(f"Nothing written: the earlier result in {out} is kept unchanged.")
        return lines
    lines.append(f"Files in {out}: schedule.csv ({plural(len(result.rows), 'row')}), "
                 f"unscheduled.csv ({plural(len(result.unscheduled), 'request')}, each with "
                 f"why), metrics.json (every figure)"
                 + ("." if verbose else "; --verbose prints both tables."))
    return lines


def displaced_line(figures: dict) -> str:
    """What a DC Day's reservation displaced, and what the schedule did with it
    (`Reservation.figures`)."""
    return (f"The DC Day displaces {plural(figures['displaced_sessions'], 'programme session')} "
            f"({figures['displaced_room_minutes']} room-minutes, "
            f"{plural(figures['displaced_people'], 'person', 'people')}): "
            f"{figures['displaced_moved']} placed again on another day "
            f"({figures['displaced_moved_minutes']} minutes, "
            f"{plural(figures['displaced_moved_people'], 'person', 'people')} moved), "
            f"{figures['displaced_dropped']} dropped")


def solver_line(result: Result) -> str:
    """The solver's own bookkeeping, for --verbose."""
    s = result.solution
    return (f"solver: objective {s.objective}, bound {s.bound}, gap {result.metrics['gap']}; "
            f"soft terms: " + ", ".join(f"{k}={v}" for k, v in s.terms.items()))


def schedule_frame(result: Result) -> pd.DataFrame:
    """The schedule, one row per item; lists as 'a, b' so that they wrap between names."""
    return pd.DataFrame([{"item": r.item_id, "kind": r.kind, "DCs": ", ".join(r.dc_ids),
                          "day": r.day, "start": c["start"], "end": c["end"], "room": r.room,
                          "themes": ", ".join(r.themes)}
                         for r, c in ((r, r.cells()) for r in result.rows)])


def unscheduled_frame(result: Result) -> pd.DataFrame:
    return pd.DataFrame([{"request": u.request_id, "DCs": ", ".join(u.dc_ids),
                          "why not placed": for_people(u.reason)} for u in result.unscheduled])
