"""Comparison runs: every scenario read and checked up front, then solved in parallel processes.

- `load_scenarios` / `sweep_scenarios` read and check every scenario (and its dataset) before
  anything is solved, so that bad input anywhere stops the run up front.
- `solve_many` solves them in parallel processes (each scenario with its own `[solver]`
  settings) and returns the results in the order given: the same results as one by one.
- `sweep` solves one scenario once per value of a key: a trade-off curve.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import re
import threading
from contextlib import contextmanager
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..domain import Dataset
from ..errors import InputError
from ..load import load_dataset
from ..model.solve import gap_percent
from ..plan import Result, plan_scenario, prepare, unless_interrupted
from ..scenario import Scenario, apply_override, load_scenario

Progress = Callable[[str], None] | None


# --- loading: every scenario checked before anything is solved --------------------------------

def preflight(dataset: Dataset, scenario: Scenario) -> None:
    """Raise the InputError that solving `scenario` would raise on its input, without solving.

    `plan.prepare` makes every input check that solving would make, before any model is built.
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


def _solve(scenario: Scenario, progress: Progress = None) -> Result | _Failure:
    """One scenario, start to end; what a worker process runs (there without `progress`: a
    worker's lines would interleave with the others')."""
    try:
        result = unless_interrupted(plan_scenario(scenario, progress))
    except InputError as exc:
        return _Failure(exc.file, exc.message, exc.row, exc.column)
    # The CP-SAT solver object cannot cross processes; every figure has been read from it.
    return dataclasses.replace(result, solution=dataclasses.replace(result.solution, solver=None))


def _solve_telling(scenario: Scenario, label: str, lines) -> Result | _Failure:
    """`_solve` in a worker, its solver's lines sent to the calling process through `lines`
    (a queue), each with the scenario's label."""
    return _solve(scenario, lambda line: lines.put((label, line)))


@contextmanager
def _relayed(context, say: Callable[[str], None], quiet: bool) -> Iterator:
    """(a queue, a say): the workers put their solver's lines on the queue, and so does the
    `say` given back, and a thread of this process says each line in the order it came; a
    worker's lines are on the queue before its result comes back, so a scenario's "done" line
    follows what its solver said. (None, `say`) when quiet."""
    if quiet:
        yield None, say
        return
    with context.Manager() as manager:
        lines = manager.Queue()

        def relay():
            while (item := lines.get()) is not None:
                label, line = item
                say(line if label is None else f"  {label}: {line.strip()}")

        thread = threading.Thread(target=relay, daemon=True)
        thread.start()
        try:
            yield lines, lambda line: lines.put((None, line))
        finally:
            lines.put(None)
            thread.join()


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
    """What a scenario gave, in words: "done all: 23 of 24 eligible DCs placed, 12 theme
    clashes; proven best (2.1s)"."""
    m = result.metrics
    if not result.solution.has_schedule:
        return f"done {label}: no schedule ({m['status']}, {m['solve_seconds']:.1f}s)"
    state = "proven best" if m["status"] == "optimal" else \
        "the first guess, not improved in time" if m.get("first_guess") else \
        f"at most {gap_percent(m['gap'] or 0)} better possible"
    return (f"done {label}: {m['placed_dcs']} of {m['eligible_dcs']} eligible DCs placed, "
            f"{m['theme_clashes']} theme clash{'' if m['theme_clashes'] == 1 else 'es'}; "
            f"{state} ({m['solve_seconds']:.1f}s)")


def solve_many(scenarios: Sequence[Scenario], jobs: int | None = None,
               progress: Progress = None, labels: Sequence[str] | None = None) -> list[Result]:
    """Solve every scenario, `jobs` at a time in separate processes (default: `cpu_count()`).

    Results come back in the order of `scenarios`, whatever order they finish in. With one
    worker per solve (the default `[solver]`) each solve is deterministic, so the results equal
    those of solving one by one; `jobs=1` does exactly that, in this process. `progress`
    receives a line when a scenario starts and when it is done, and the solver's own lines as
    it finds better schedules (from the workers through a queue). The results'
    `solution.solver` is None (a CP-SAT solver cannot leave its process).
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
            solver_says = None if progress is None else \
                (lambda line, label=labels[index]: say(f"  {label}: {line.strip()}"))
            results[index] = _unwrap(_solve(scenario, solver_says))
            say(f"{_done_line(labels[index], results[index])} [{index + 1}/{total} done]")
        return results
    say(f"solving {total} scenarios, {jobs} at a time")
    context = _context()
    with _relayed(context, say, progress is None) as (lines, say), \
            ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {(pool.submit(_solve, scenario) if lines is None else
                    pool.submit(_solve_telling, scenario, labels[index], lines)): index
                   for index, scenario in enumerate(scenarios)}
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


@dataclass
class Sweep:
    """The scenario solved once per value of `key` (values as TOML text, in the order given)."""

    key: str
    values: list[str]
    results: list[Result]


def sweep(path: str | Path, key: str, values: Sequence[str], overrides: Sequence[str] = (),
          jobs: int | None = None, progress: Progress = None) -> Sweep:
    """Solve the scenario at `path` once per value of `key`, in parallel processes."""
    scenarios = sweep_scenarios(path, key, values, overrides)
    results = solve_many(scenarios, jobs, progress, labels=[f"{key}={v}" for v in values])
    return Sweep(key, list(values), results)

