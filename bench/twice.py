"""The same schedule every time, on data the engine has never seen: each case solved twice.

    .venv/bin/python bench/twice.py [--seeds 904,905] [--requests 40] [--density 0.65]
        [--shape igf|standards] [--rooms N] [--days N]
        [--cases mixed,individual,dc-day-0:dc_day.reserve=rooms] [--set KEY=VALUE ...]

For each seed, the dataset `igf-sched generate --seed N --requests R --density D --shape S
[--rooms N] [--days N] --scenarios` writes is made once under bench/out/gen/ and reused (generated.py). Each case (a mode, with `:KEY=VALUE`
overrides of its own) is solved twice by `igf-sched solve`, as a planner runs it (the default
`--set`: 2 workers and a limit of 5 units, so that most searches stop before their proof),
and the first schedule is checked by `igf-sched check`. Per case: the exit codes, the
checker's verdict, whether the two `schedule.csv` are byte-identical, what ended the search,
the gap, the work and the seconds of each run. A case passes when both runs exit 0, the
checker finds nothing and the two schedules are the same bytes.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
from pathlib import Path

from generated import ROOT, generated_scenarios

from scheduler.datasets.generate import Settings

OUT = ROOT / "bench" / "out" / "twice"
CLI = [sys.executable, "-c", "from scheduler.cli import main; main()"]
DEFAULT_CASES = "mixed,individual,block,dc-day-0,dc-day-0:dc_day.reserve=rooms"
DEFAULT_SET = ["solver.workers=2", "solver.time_limit=5"]


def igf_sched(*args) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def solved_twice(scenario: Path, overrides: list[str], name: str) -> dict:
    """Two `solve` runs into fresh folders, `check` of the first; the figures of both."""
    sets = [arg for assignment in overrides for arg in ("--set", assignment)]
    runs = []
    for run in (1, 2):
        out = OUT / "results" / f"{name}-{run}"
        shutil.rmtree(out, ignore_errors=True)
        done = igf_sched("solve", scenario, "--out", out, "--quiet", *sets)
        metrics_file = out / "metrics.json"
        metrics = json.loads(metrics_file.read_text()) if metrics_file.exists() else {}
        runs.append({"rc": done.returncode, "out": out, **metrics})
    first, second = runs
    checked = igf_sched("check", first["out"], "--scenario", scenario, *sets)
    same = all((run["out"] / "schedule.csv").exists() for run in runs) and filecmp.cmp(
        first["out"] / "schedule.csv", second["out"] / "schedule.csv", shallow=False)
    return {"runs": runs, "check": checked.returncode, "same": same}


def line(name: str, case: dict) -> str:
    first, second = case["runs"]
    gap = first.get("gap")
    figures = " ".join(f"{run.get('work', 0):.1f}u/{run.get('wall_seconds', 0):.1f}s"
                       for run in case["runs"])
    return (f"{name:<40} rc {first['rc']}/{second['rc']} check {case['check']} "
            f"{'same' if case['same'] else 'DIFFERENT'} "
            f"{first.get('status', '-'):<9} ended by {first.get('search_ended_by', '-'):<10} "
            f"gap {'-' if gap is None else f'{100 * gap:.2f}%':>6}  runs {figures}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="904,905")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--density", type=float, default=0.65)
    parser.add_argument("--shape", default="igf", choices=("igf", "standards"))
    parser.add_argument("--rooms", type=int, help="default: drawn from the seed")
    parser.add_argument("--days", type=int, help="default: drawn from the seed")
    parser.add_argument("--cases", default=DEFAULT_CASES,
                        help="comma-separated modes, each with optional :KEY=VALUE overrides")
    parser.add_argument("--set", action="append", default=None, metavar="KEY=VALUE",
                        dest="overrides", help=f"for every solve (default: {DEFAULT_SET})")
    args = parser.parse_args()
    overrides = DEFAULT_SET if args.overrides is None else args.overrides
    print(f"each case solved twice with --set {' --set '.join(overrides)}")
    passed = total = 0
    for seed in map(int, args.seeds.split(",")):
        shaped = "".join(f"-{key}{value}" for key, value in (
            ("", args.shape if args.shape != "igf" else None), ("rooms", args.rooms),
            ("days", args.days)) if value is not None)
        scenarios = generated_scenarios(
            f"twice-s{seed}-r{args.requests}-p{args.density:g}{shaped}",
            Settings(seed=seed, requests=args.requests, density=args.density,
                     shape=args.shape, rooms=args.rooms, days=args.days))
        for case in args.cases.split(","):
            mode, *own = case.split(":")
            name = f"{seed}-{mode}" + "".join(f"-{o.split('=')[-1]}" for o in own)
            result = solved_twice(scenarios / f"{mode}.toml", overrides + own, name)
            print(line(name, result), flush=True)
            total += 1
            passed += result["same"] and result["check"] == 0 and \
                all(run["rc"] == 0 for run in result["runs"])
    print(f"{passed} of {total} cases: both runs exit 0, check clean, the same schedule")
    sys.exit(0 if passed == total else 1)


if __name__ == "__main__":
    main()
