"""Benchmark: solve a scenario several times; status, objective, bound, wall time, memory, size.

Run on demand (pytest does not collect `bench/`; figures go to bench/RESULTS.md):

    .venv/bin/python bench/bench_solve.py [SCENARIO] [--runs 5] [--set KEY=VALUE ...]
    .venv/bin/python bench/bench_solve.py --compare-settings [--runs 3] [--time-limit 30]

Each run builds the model afresh (the build is timed apart from CP-SAT) and solves it. Peak
memory is the process's maximum resident set (getrusage), so `--compare-settings` runs every
setting in a fresh process of its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.check import Checker  # noqa: E402
from scheduler.load import load_dataset  # noqa: E402
from scheduler.model.solve import solve  # noqa: E402
from scheduler.plan import build  # noqa: E402
from scheduler.rows import schedule_rows  # noqa: E402
from scheduler.scenario import load_scenario  # noqa: E402

DEFAULT_SCENARIO = ROOT / "scenarios" / "individual.toml"

SETTINGS = {
    "workers=1 lin=2 (default)": [],
    "workers=2 deterministic (interleave) + max_lp": ["solver.workers=2",
                                                      "solver.deterministic=true"],
    "workers=2 non-deterministic + max_lp": ["solver.workers=2", "solver.deterministic=false"],
    "workers=2 non-deterministic, no max_lp": ["solver.workers=2", "solver.deterministic=false",
                                               "solver.extra_subsolvers=[]"],
    "workers=1 lin=1": ["solver.linearization_level=1"],
}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024     # KiB on Linux


def bench(scenario_path: Path, overrides: list[str], runs: int, verbose: bool = True) -> dict:
    scenario = load_scenario(scenario_path, overrides)
    started = time.perf_counter()
    dataset = load_dataset(scenario.dataset_path)
    load_seconds = time.perf_counter() - started
    settings = scenario.solver
    if verbose:
        print(f"scenario {scenario.name} ({scenario.mode}) on {scenario.dataset_path.name}: "
              f"{len(dataset.requests)} requests, {len(dataset.rooms)} rooms, "
              f"{len(dataset.programme)} programme sessions; load {load_seconds:.2f}s")
        print(f"solver: workers={settings.workers} deterministic={settings.deterministic} "
              f"linearization_level={settings.linearization_level} "
              f"extra_subsolvers={list(settings.extra_subsolvers)} seed={settings.seed} "
              f"time_limit={settings.time_limit}s")
    results, schedules = [], set()
    for run in range(1, runs + 1):
        started = time.perf_counter()
        report, mode, f = build(dataset, scenario)
        built = time.perf_counter() - started
        size = (len(f.cp.proto.variables), len(f.cp.proto.constraints))
        solution = solve(f, f.scenario.solver)
        wall = time.perf_counter() - started
        rows = schedule_rows(dataset, f.items, mode.placements(f, solution)) \
            if solution.has_schedule else []
        violations = len(Checker(dataset, scenario, rows).violations())
        schedules.add(tuple(tuple(sorted(row.cells().items())) for row in rows))
        results.append({"status": solution.status, "objective": solution.objective,
                        "bound": solution.bound, "gap": solution.gap, "build": built,
                        "solve": solution.seconds, "wall": wall, "placed": len(rows),
                        "violations": violations})
        if verbose:
            print(f"run {run}: {solution.status:10s} objective {solution.objective} bound "
                  f"{solution.bound} build {built:.2f}s solve {solution.seconds:.2f}s wall "
                  f"{wall:.2f}s placed {len(rows)} checker violations {violations}")
    summary = {
        "runs": runs,
        "statuses": sorted({r["status"] for r in results}),
        "objectives": sorted({r["objective"] for r in results}, key=str),
        "median_solve": statistics.median(r["solve"] for r in results),
        "median_wall": statistics.median(r["wall"] for r in results),
        "median_build": statistics.median(r["build"] for r in results),
        "peak_mib": peak_mib(),
        "variables": size[0],
        "constraints": size[1],
        "same_schedule": len(schedules) == 1,
        "violations": sum(r["violations"] for r in results),
    }
    if verbose:
        print(f"model: {size[0]} variables, {size[1]} constraints")
        print(f"median: solve {summary['median_solve']:.2f}s, wall (build + solve) "
              f"{summary['median_wall']:.2f}s, build {summary['median_build']:.2f}s; "
              f"peak memory {summary['peak_mib']:.0f} MiB; same schedule in every run: "
              f"{'yes' if summary['same_schedule'] else 'no'}")
    return summary


def compare_settings(scenario: Path, runs: int, extra: list[str]) -> None:
    print(f"{'setting':48s} {'status':20s} {'objective':>10s} {'median solve':>13s} "
          f"{'median wall':>12s} {'peak MiB':>9s} {'same sched.':>11s}")
    for label, overrides in SETTINGS.items():
        command = [sys.executable, __file__, str(scenario), "--runs", str(runs), "--json"]
        for assignment in [*overrides, *extra]:
            command += ["--set", assignment]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        s = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{label:48s} {'/'.join(s['statuses']):20s} "
              f"{'/'.join(f'{o:g}' if o is not None else '-' for o in s['objectives']):>10s} "
              f"{s['median_solve']:12.2f}s {s['median_wall']:11.2f}s {s['peak_mib']:9.0f} "
              f"{'yes' if s['same_schedule'] else 'no':>11s}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", type=Path, default=DEFAULT_SCENARIO)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE", help="scenario override, e.g. solver.workers=2")
    parser.add_argument("--time-limit", type=float, default=None,
                        help="shorthand for --set solver.time_limit=SECONDS")
    parser.add_argument("--compare-settings", action="store_true",
                        help="run every solver setting of SETTINGS, each in its own process")
    parser.add_argument("--json", action="store_true", help="print only a JSON summary")
    args = parser.parse_args()
    overrides = list(args.overrides)
    if args.time_limit is not None:
        overrides.append(f"solver.time_limit={args.time_limit}")
    if args.compare_settings:
        compare_settings(args.scenario, args.runs, overrides)
        return
    summary = bench(args.scenario, overrides, args.runs, verbose=not args.json)
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
