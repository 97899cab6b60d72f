"""Whole-programme benchmark: the engine places every programme session with the DC items.

The scenario path a planner uses (`[programme] movable = "all"`, every soft goal at its default
weight, the formulation "auto" takes: the interval one), on the sample or on a generated
programme:

    .venv/bin/python bench/whole_programme.py [--time-limit 60] [--set KEY=VALUE ...]
    .venv/bin/python bench/whole_programme.py --scale 10 --time-limit 300   # ~3,000 sessions

`--scale K` generates `igf-sched generate --seed 7 --rooms 14 --days 4 --scale K` (K = 1: the
sample, data/igf2023) under bench/out/. Prints status, gap, time to the first schedule, peak
memory, the gap by the time limit in seconds of the clock (the limit itself counts work), and
the checker's verdict on the schedule (which must be clean).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.check import Checker  # noqa: E402
from generated import generated_scenarios  # noqa: E402
from scheduler.datasets.generate import Settings  # noqa: E402
from scheduler.load import load_dataset  # noqa: E402
from scheduler.plan import plan  # noqa: E402
from scheduler.scenario import load_scenario  # noqa: E402

SAMPLE = ROOT / "scenarios" / "programme" / "whole-programme.toml"


def scenario_path(scale: int) -> Path:
    """The sample's whole-programme scenario, or the individual scenario of a generated
    programme at `scale` (written once under bench/out/)."""
    if scale == 1:
        return SAMPLE
    return generated_scenarios(f"programme-x{scale}",
                               Settings(seed=7, rooms=14, days=4, scale=scale)) / "individual.toml"


def gap_at(solution, seconds: float) -> str:
    """The gap of the best schedule found by `seconds` of the search's clock (the bound known
    then), as the issue asks "within 60 s": a limit counted in work may take longer."""
    gap = solution.gap_at(seconds)
    return "-" if gap is None else f"{gap:.6f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="scenario override, e.g. solver.workers=2")
    args = parser.parse_args()
    overrides = ["programme.movable=all", f"solver.time_limit={args.time_limit}", *args.set]
    scenario = load_scenario(scenario_path(args.scale), overrides)
    dataset = load_dataset(scenario.dataset_path)
    started = time.perf_counter()
    result = plan(dataset, scenario, progress=lambda line: print(
        f"[{time.perf_counter() - started:7.1f}s] {line.strip()}", file=sys.stderr, flush=True))
    wall = time.perf_counter() - started
    violations = Checker(dataset, scenario, result.rows).violations()
    s, m = result.solution, result.metrics
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    moving = sum(1 for r in result.rows if r.kind == "programme")
    print(f"scenario {scenario.name} scale={args.scale}: {len(dataset.programme)} programme "
          f"sessions ({moving} placed by the engine), {len(dataset.requests)} DC requests, "
          f"{len(dataset.rooms)} rooms; overrides: {' '.join(overrides)}")
    first = "-" if s.first_seconds is None else f"{s.first_seconds:.1f}s"
    print(f"formulation={m['formulation']} status={s.status} ended_by={s.ended_by or '-'} "
          f"work={s.work:.1f} "
          f"objective={s.objective} bound={s.bound} gap={m['gap']} "
          f"gap_at_{args.time_limit:g}s={gap_at(s, args.time_limit)} "
          f"first_schedule={first} solve={s.seconds:.1f}s total={wall:.1f}s "
          f"peak_rss={peak_mib:.0f}MiB")
    print(f"DC requests placed={m['placed_requests']} theme_clashes={m['theme_clashes']} "
          f"sessions moved={m.get('programme_sessions_moved')} "
          f"checker_violations={len(violations)}")
    print("terms: " + " ".join(f"{name}={value}" for name, value in s.terms.items()))
    for violation in violations[:10]:
        print(f"  {violation}")


if __name__ == "__main__":
    main()
