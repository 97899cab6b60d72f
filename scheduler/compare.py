"""Scenarios side by side, and one knob swept: "what does each option cost and give?".

- `load_scenarios` / `sweep_scenarios` read and check every scenario (and its dataset) before
  anything is solved, so that bad input anywhere stops the run up front.
- `solve_many` solves them in parallel processes (each scenario with its own `[solver]`
  settings) and returns the results in the order given: the same results as one by one.
- `comparison_table` is one row per figure (`FIGURES`: key, label, which way is better), one
  column per scenario, with the best value(s) of each row named in the `best` column;
  `by_dc_table` says what every DC gets in each scenario; `sweep` gives a trade-off curve.
- `write_comparison` / `write_sweep` write the tables as CSV and JSON and the charts as PNG.
"""

from __future__ import annotations

import dataclasses
import math
import multiprocessing
import os
import re
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import pandas as pd

from .domain import Dataset
from .errors import InputError
from .load import load_dataset
from .plan import Result, plan_scenario, prepare
from .scenario import Scenario, apply_override, load_scenario, parse_value
from .export.files import write_csv, write_json
from .schedule import ScheduleRow
from .timegrid import format_hhmm

Progress = Callable[[str], None] | None


# --- loading: every scenario checked before anything is solved --------------------------------

def preflight(dataset: Dataset, scenario: Scenario) -> None:
    """Raise the InputError that solving `scenario` would raise on its input, without solving.

    The same steps as `plan.build` up to the model: the days and rooms the scenario names, the
    mode, and the mode's items (a mode may refuse a setting that cannot work on this dataset).
    """
    prepare(dataset, scenario)


def _check_all(scenarios: list[Scenario]) -> None:
    datasets: dict[Path, Dataset] = {}
    for scenario in scenarios:
        if scenario.dataset_path not in datasets:
            datasets[scenario.dataset_path] = load_dataset(scenario.dataset_path)
        preflight(datasets[scenario.dataset_path], scenario)


RESERVED_NAMES = ("key", "figure", "better", "best", "dc_id", "category")


def folder_name(scenario: Scenario) -> str:
    """The scenario's output folder under a comparison's folder: its name, made file-safe."""
    return re.sub(r"[^\w.-]+", "_", scenario.name).strip("._") or scenario.source.stem


def load_scenarios(paths: Iterable[str | Path], overrides: Sequence[str] = ()) -> list[Scenario]:
    """Every scenario, with `overrides` applied to each, and its dataset, checked up front.

    Scenario names label the table's columns and the output folders, so they must differ.
    """
    scenarios = [load_scenario(path, overrides) for path in paths]
    if not scenarios:
        raise InputError("compare", "no scenario given")
    seen: dict[str, Scenario] = {}
    for scenario in scenarios:
        for key in dict.fromkeys((scenario.name, folder_name(scenario))):
            if key in seen:
                raise InputError(scenario.source, f"key 'name': '{scenario.name}' is also the "
                                 f"name of {seen[key].source}; scenarios compared side by side "
                                 f"need different names (they label columns and folders)")
            seen[key] = scenario
        if scenario.name in RESERVED_NAMES:
            raise InputError(scenario.source, f"key 'name': '{scenario.name}' is reserved for "
                             f"a column of the comparison table; choose another name")
    _check_all(scenarios)
    return scenarios


def split_values(text: str) -> list[str]:
    """'10,15,[1, 2],"a,b"' -> ['10', '15', '[1, 2]', '"a,b"']: commas inside [] or quotes stay."""
    parts, current, depth, quote = [], [], 0, ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return parts


def parse_vary(assignment: str) -> tuple[str, list[str]]:
    """'capacity.max_dc_sessions=10,15,20' -> ('capacity.max_dc_sessions', ['10', '15', '20'])."""
    key, sep, text = assignment.partition("=")
    key = key.strip()
    values = split_values(text) if text.strip() else []
    if not sep or not key or not values or any(not v for v in values):
        raise InputError("--vary", f"'{assignment}' is not of the form KEY=V1,V2,...")
    try:
        apply_override({}, f"{key}={values[0]}")
    except InputError as exc:
        raise InputError("--vary", exc.message) from None
    return key, values


def sweep_scenarios(path: str | Path, key: str, values: Sequence[str],
                    overrides: Sequence[str] = ()) -> list[Scenario]:
    """The scenario once per value of `key` (after `overrides`), each checked up front."""
    load_scenario(path, overrides)  # a problem of the file itself is reported as such
    scenarios = []
    for value in values:
        try:
            scenarios.append(load_scenario(path, [*overrides, f"{key}={value}"]))
        except InputError as exc:
            raise InputError("--vary", f"{key}={value}: {exc.message}") from None
    _check_all(scenarios)
    return scenarios


# --- solving in parallel processes ------------------------------------------------------------

@dataclass(frozen=True)
class _Failure:
    """An InputError raised in a worker, carried back as plain data (InputError does not pickle)."""

    file: str
    message: str
    row: int | None
    column: str | None


def _solve(scenario: Scenario) -> Result | _Failure:
    """One scenario, start to end; what a worker process runs."""
    try:
        result = plan_scenario(scenario)
    except InputError as exc:
        return _Failure(exc.file, exc.message, exc.row, exc.column)
    # The CP-SAT solver object cannot cross processes; every figure has been read from it.
    return dataclasses.replace(result, solution=dataclasses.replace(result.solution, solver=None))


def _unwrap(outcome: Result | _Failure) -> Result:
    if isinstance(outcome, _Failure):
        raise InputError(outcome.file, outcome.message, row=outcome.row, column=outcome.column)
    return outcome


def _context():
    """Workers forked from a clean server process that has imported the scheduler once: fast to
    start, and free of any solver threads of the calling process."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["scheduler.compare"])
        return context
    return multiprocessing.get_context("spawn")


def cpu_count() -> int:
    """The CPUs this process may use (its affinity mask where the platform has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _done_line(label: str, result: Result) -> str:
    m = result.metrics
    return (f"done {label}: {m['status']}, {m['placed_dcs']} of {m['eligible_dcs']} eligible DCs "
            f"placed, {m['solve_seconds']:.1f}s")


def solve_many(scenarios: Sequence[Scenario], jobs: int | None = None,
               progress: Progress = None, labels: Sequence[str] | None = None) -> list[Result]:
    """Solve every scenario, `jobs` at a time in separate processes (default: `cpu_count()`).

    Results come back in the order of `scenarios`, whatever order they finish in. With one
    worker per solve (the default `[solver]`) each solve is deterministic, so the results equal
    those of solving one by one; `jobs=1` does exactly that, in this process. `progress`
    receives a line when a scenario starts and when it is done. The results' `solution.solver`
    is None (a CP-SAT solver cannot leave its process).
    """
    scenarios = list(scenarios)
    labels = list(labels) if labels is not None else [s.name for s in scenarios]
    say = progress or (lambda line: None)
    total = len(scenarios)
    jobs = max(1, min(jobs or cpu_count(), total))
    results: list[Result | None] = [None] * total
    if total == 0:
        return []
    if jobs == 1:
        for index, scenario in enumerate(scenarios):
            say(f"solving {labels[index]} ({index + 1}/{total})")
            results[index] = _unwrap(_solve(scenario))
            say(f"{_done_line(labels[index], results[index])} [{index + 1}/{total} done]")
        return results
    say(f"solving {total} scenarios, {jobs} at a time")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
        futures = {pool.submit(_solve, scenario): index for index, scenario in enumerate(scenarios)}
        # The pool starts tasks in the order submitted, so the running ones are the first
        # `jobs` that are not done yet.
        started = jobs
        for index in range(jobs):
            say(f"solving {labels[index]} ({index + 1}/{total})")
        pending, finished = set(futures), 0
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=futures.get):
                    index = futures[future]
                    results[index] = _unwrap(future.result())
                    finished += 1
                    running = [labels[futures[f]] for f in sorted(pending, key=futures.get)
                               if futures[f] < started]
                    say(f"{_done_line(labels[index], results[index])} [{finished}/{total} done"
                        + (f"; running: {', '.join(running)}" if running else "") + "]")
                    if started < total:
                        say(f"solving {labels[started]} ({started + 1}/{total})")
                        started += 1
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return results


# --- figures ----------------------------------------------------------------------------------

HOW = {"own": "own session", "segment": "block segment", "dc_day": "DC Day session"}


def placement(result: Result, row: ScheduleRow) -> str | None:
    """How a row gives its DCs time: own session, block segment or DC Day session."""
    if row.kind == "segment":
        return HOW["segment"]
    if row.kind == "session":
        return HOW["dc_day"] if result.scenario.mode == "dc_day" else HOW["own"]
    return None  # a block as a whole, a plenary


def placed_by(result: Result) -> dict[str, set[str]]:
    """For each way of placing, the DCs placed that way."""
    dcs: dict[str, set[str]] = {how: set() for how in HOW.values()}
    for row in result.rows:
        if (how := placement(result, row)) is not None:
            dcs[how].update(row.dc_ids)
    return dcs


def eligible_requests(result: Result) -> int:
    return sum(1 for r in result.dataset.requests if result.report.request_failure(r) is None)


def metric(result: Result, *keys: str) -> Any:
    """The first of `keys` present in the result's metrics (figures may be named differently
    by the mode that adds them), else None."""
    return next((result.metrics[k] for k in keys if k in result.metrics), None)


SLOTS_FREED_KEYS = ("individual_slots_freed", "slots_freed")


def slots_freed(result: Result) -> int:
    """Individual slots the scenario frees: the mode's own figure when it reports one; else the
    eligible requests minus the `session` rows (none freed in mode `individual`)."""
    if (value := metric(result, *SLOTS_FREED_KEYS)) is not None:
        return value
    if result.scenario.mode == "individual":
        return 0
    return eligible_requests(result) - sum(1 for r in result.rows if r.kind == "session")


@dataclass(frozen=True)
class Figure:
    """One row of the comparison: how to read it from a result and which way is better."""

    key: str
    label: str
    better: str | None = None           # "higher", "lower", or None: no best to mark
    read: Callable[[Result], Any] | None = None  # default: metrics[key]
    needs_schedule: bool = True         # "-" for a scenario the solver found no schedule for
    shown: Callable[[Sequence[Result]], bool] | None = None  # default: always

    def value(self, result: Result) -> Any:
        if self.needs_schedule and not result.solution.has_schedule:
            return None
        return self.read(result) if self.read else result.metrics.get(self.key)

    def applies(self, results: Sequence[Result]) -> bool:
        return self.shown is None or self.shown(results)


def _any_mode(*modes: str):
    return lambda results: any(r.scenario.mode in modes for r in results)


def _has_metric(*keys: str):
    return lambda results: any(metric(r, *keys) is not None for r in results)


def _how(how: str):
    return lambda result: len(placed_by(result)[how])


FIGURES: tuple[Figure, ...] = (
    Figure("status", "status", None, needs_schedule=False),
    Figure("gap", "gap", "lower"),
    Figure("objective", "objective (own terms)", None),
    Figure("eligible_dcs", "eligible DCs", None, needs_schedule=False),
    Figure("placed_dcs", "DCs placed", "higher"),
    Figure("placed_own_session", "DCs placed in own session", None, _how(HOW["own"]),
           shown=_any_mode("individual", "mixed")),
    Figure("placed_block_segment", "DCs placed in block segment", None, _how(HOW["segment"]),
           shown=_any_mode("block", "mixed")),
    Figure("placed_dc_day_session", "DCs placed in DC Day session", None, _how(HOW["dc_day"]),
           shown=_any_mode("dc_day")),
    Figure("placed_requests", "requests placed", "higher"),
    Figure("dc_items", "DC items (rooms held)", None),
    Figure("dc_room_minutes", "DC room-minutes", "lower"),
    Figure("individual_slots_freed", "individual slots freed", "higher", slots_freed),
    Figure("theme_clashes", "theme clashes", "lower"),
    Figure("avg_parallel_sessions", "mean parallel sessions during DC items", "lower"),
    Figure("max_parallel_sessions", "max parallel sessions during a DC item", "lower"),
    Figure("estimated_attendance", "estimated attendance", "higher",
           lambda r: metric(r, "estimated_attendance"), shown=_has_metric("estimated_attendance")),
    Figure("preference_hits", "preferred-day hits", "higher"),
    Figure("person_conflicts", "person conflicts", "lower"),
)
TAIL = Figure("solve_seconds", "solve time (s)", "lower", needs_schedule=False)

# Metrics that are not figures to compare (or are shown through another figure).
NOT_FIGURES = {"scenario", "mode", "bound", "requests", "unscheduled_requests",
               "preference_requests", "terms", "scenario_path", "dataset_path",
               *SLOTS_FREED_KEYS, *(f.key for f in FIGURES), TAIL.key}

# Which way each soft term is better (its sign in the objective); a term not listed gets no mark.


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _extra_figures(results: Sequence[Result]) -> list[Figure]:
    """Numeric figures a mode adds to metrics.json (e.g. block minutes), one level of nesting."""
    keys: dict[str, None] = {}
    for result in results:
        for key, value in result.metrics.items():
            if key in NOT_FIGURES:
                continue
            if _is_number(value):
                keys[key] = None
            elif isinstance(value, dict):
                keys.update({f"{key}.{k}": None for k, v in value.items() if _is_number(v)})

    def reader(key):
        head, _, tail = key.partition(".")
        return lambda r: (r.metrics.get(head, {}) or {}).get(tail) if tail else r.metrics.get(head)

    def label(key):
        head, _, tail = key.partition(".")
        return f"{head}: {tail.replace('_', ' ')}" if tail else head.replace("_", " ")

    return [Figure(key, label(key), None, reader(key)) for key in keys]


def _term_figures(results: Sequence[Result]) -> list[Figure]:
    """Each soft term, better in the direction the model optimised it (metrics' term_better)."""
    names = dict.fromkeys(name for r in results for name in r.metrics.get("terms", {}))
    better = {n: b for r in results for n, b in r.metrics.get("term_better", {}).items()}
    return [Figure(f"terms.{name}", f"term {name}", better.get(name),
                   (lambda n: lambda r: r.metrics.get("terms", {}).get(n))(name))
            for name in names]


def figures_for(results: Sequence[Result]) -> list[Figure]:
    return ([f for f in FIGURES if f.applies(results)] + _extra_figures(results)
            + _term_figures(results) + [TAIL])


def best_of(values: Sequence[Any], better: str | None) -> list[int]:
    """Positions of the best value(s): ties all marked; nothing marked when `better` is None,
    when fewer than two scenarios have the figure, or when they all have the same value."""
    numbers = [(i, v) for i, v in enumerate(values)
               if _is_number(v) and not (isinstance(v, float) and math.isnan(v))]
    if better is None or len(numbers) < 2 or len({v for _, v in numbers}) == 1:
        return []
    target = max(v for _, v in numbers) if better == "higher" else min(v for _, v in numbers)
    return [i for i, v in numbers if v == target]


def comparison_table(results: Sequence[Result]) -> pd.DataFrame:
    """One row per figure (index: its key), columns `figure` (label), `better`, one column per
    scenario (named after it), and `best`: the scenario(s) with the best value, `;`-separated."""
    names = [r.scenario.name for r in results]
    rows = []
    for figure in figures_for(results):
        values = [figure.value(r) for r in results]
        best = best_of(values, figure.better)
        rows.append({"key": figure.key, "figure": figure.label, "better": figure.better or "",
                     **dict(zip(names, values)), "best": ";".join(names[i] for i in best)})
    return pd.DataFrame(rows, columns=["key", "figure", "better", *names, "best"],
                        dtype=object).set_index("key")


def scenario_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in ("figure", "better", "best")]


def format_value(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


BEST_MARK = "*"


def display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison as text for a terminal: the best value(s) of each row marked with `*`."""
    names = scenario_columns(table)
    rows = []
    for _, row in table.iterrows():
        best = set(row["best"].split(";")) if row["best"] else set()
        rows.append({"figure": row["figure"],
                     **{n: format_value(row[n]) + (f" {BEST_MARK}" if n in best else "")
                        for n in names}})
    return pd.DataFrame(rows, columns=["figure", *names])


def _plain(value: Any) -> Any:
    """A JSON-ready value (numpy scalars become Python ones)."""
    return value.item() if hasattr(value, "item") else value


def comparison_json(table: pd.DataFrame, results: Sequence[Result]) -> dict:
    names = scenario_columns(table)
    return {
        "scenarios": [{"name": r.scenario.name, "mode": r.scenario.mode,
                       "scenario_path": str(r.scenario.source),
                       "folder": folder_name(r.scenario)} for r in results],
        "figures": [{"key": key, "label": row["figure"], "better": row["better"] or None,
                     "values": {n: _plain(row[n]) for n in names},
                     "best": row["best"].split(";") if row["best"] else []}
                    for key, row in table.iterrows()],
    }


# --- what every DC gets ----------------------------------------------------------------------

def describe(result: Result, row: ScheduleRow, dc_id: str) -> str:
    """'session Day 2 14:00 WS4', 'segment 12 min in BLOCK-1 (Day 2 14:24, WS4)', ..."""
    where = f"{row.day} {format_hhmm(row.start)}"
    if row.kind == "segment":
        text = (f"segment {row.end - row.start} min in {row.block_id} "
                f"({where}" + (f", {row.room})" if row.room else ")"))
    else:
        how = "session" if placement(result, row) == HOW["own"] else placement(result, row)
        text = f"{how} {where}" + (f" {row.room}" if row.room else "")
    others = [d for d in row.dc_ids if d != dc_id]
    return text + (f" with {', '.join(others)}" if others else "")


def dc_cell(result: Result, dc_id: str) -> str:
    placed = [describe(result, r, dc_id) for r in result.rows
              if dc_id in r.dc_ids and placement(result, r) is not None]
    if placed:
        return "; ".join(placed)
    reasons = dict.fromkeys(u.reason for u in result.unscheduled if dc_id in u.dc_ids)
    return f"- ({'; '.join(reasons) or 'no session request'})"


def by_dc_table(results: Sequence[Result]) -> pd.DataFrame:
    """One row per DC (of every scenario's dataset), one column per scenario: what it gets."""
    dcs: dict[str, str] = {}
    for result in results:
        for dc in result.dataset.coalitions:
            dcs.setdefault(dc.dc_id, dc.category)
    names = [r.scenario.name for r in results]
    rows = [{"dc_id": dc_id, "category": category,
             **{name: (dc_cell(r, dc_id) if dc_id in r.dataset.coalition_by_id
                       else "- (not in this scenario's dataset)")
                for name, r in zip(names, results)}}
            for dc_id, category in dcs.items()]
    return pd.DataFrame(rows, columns=["dc_id", "category", *names])


# --- writing ---------------------------------------------------------------------------------

def _write_frame(path: Path, frame: pd.DataFrame) -> None:
    records = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    write_csv(path, tuple(frame.columns), records)


def write_comparison(out: str | Path, results: Sequence[Result], table: pd.DataFrame,
                     by_dc: pd.DataFrame) -> list[Path]:
    """comparison.csv, comparison.json, comparison.png and comparison_by_dc.csv under `out`."""
    from .charts import comparison_chart

    out = Path(out)
    paths = [out / "comparison.csv", out / "comparison.json", out / "comparison.png",
             out / "comparison_by_dc.csv"]
    _write_frame(paths[0], table.reset_index())
    write_json(paths[1], comparison_json(table, results))
    comparison_chart(table, paths[2])
    _write_frame(paths[3], by_dc)
    return paths


# --- a sweep: one knob, a trade-off curve ----------------------------------------------------

SWEEP_FIGURES = ("placed_dcs", "eligible_dcs", "theme_clashes", "dc_room_minutes",
                 "avg_parallel_sessions", "estimated_attendance", "objective", "status", "gap",
                 "solve_seconds")


def _typed(text: str) -> Any:
    """A swept value as its TOML type when it is a number or a word, else its text."""
    value = parse_value(text)
    return value if isinstance(value, (int, float, str, bool)) else text


@dataclass
class Sweep:
    """The scenario solved once per value of `key` (values as TOML text, in the order given)."""

    key: str
    values: list[str]
    results: list[Result]

    def table(self) -> pd.DataFrame:
        """One row per value: the value (typed), then the figures of `SWEEP_FIGURES` (estimated
        attendance only when some run reports it)."""
        by_key = {f.key: f for f in (*FIGURES, TAIL)}
        keys = [k for k in SWEEP_FIGURES
                if k != "estimated_attendance" or by_key[k].applies(self.results)]
        rows = [{self.key: _typed(value), **{k: by_key[k].value(r) for k in keys}}
                for value, r in zip(self.values, self.results)]
        return pd.DataFrame(rows, columns=[self.key, *keys], dtype=object)


def sweep(path: str | Path, key: str, values: Sequence[str], overrides: Sequence[str] = (),
          jobs: int | None = None, progress: Progress = None) -> Sweep:
    """Solve the scenario at `path` once per value of `key`, in parallel processes."""
    scenarios = sweep_scenarios(path, key, values, overrides)
    results = solve_many(scenarios, jobs, progress, labels=[f"{key}={v}" for v in values])
    return Sweep(key, list(values), results)


SWEEP_LABELS = {"placed_dcs": "DCs placed", "eligible_dcs": "eligible DCs",
                "theme_clashes": "theme clashes", "dc_room_minutes": "room-minutes",
                "avg_parallel_sessions": "mean parallel", "estimated_attendance": "attendance",
                "objective": "objective", "status": "status", "gap": "gap",
                "solve_seconds": "time (s)"}


def display_sweep(table: pd.DataFrame) -> pd.DataFrame:
    """The curve as text; the varied key's column headed by its last part (`max_dc_sessions`)."""
    return pd.DataFrame([[format_value(v) for v in row] for row in table.itertuples(index=False)],
                        columns=[table.columns[0].rpartition(".")[2],
                                 *(SWEEP_LABELS.get(c, c) for c in table.columns[1:])])


def write_sweep(out: str | Path, result: Sweep, table: pd.DataFrame) -> list[Path]:
    """sweep.csv and sweep.png under `out`."""
    from .charts import sweep_chart

    out = Path(out)
    paths = [out / "sweep.csv", out / "sweep.png"]
    _write_frame(paths[0], table)
    sweep_chart(table, result.key, paths[1])
    return paths
