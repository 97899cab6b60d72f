"""A real published programme, imported, with generated DC requests placed into it.

    .venv/bin/python bench/import_36c3.py [--requests 40] [--time-limit 60] [--set KEY=VALUE ...]

Reads the 36C3 schedule (../shared/real/ccc36c3/schedule.xml beside the repository, or
$IGF_SCHED_36C3; not part of the project), imports it (`igf-sched import`, rooms seating 400 with
hybrid, captioning and step-free access assumed), adds coalitions and requests
(`igf-sched generate --seed 3 --programme`), solves the individual scenario on every day with
the formulation "auto" takes (the interval one: the time-indexed one is too large here) and
checks the schedule. Prints the import's figures, the solve's (status, gap, requests placed,
times) and the checker's verdict, which must be clean. Wall-clock times on a shared machine are
noisy; the status and gap at the time limit are the figures to compare.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.check import Checker  # noqa: E402
from scheduler.datasets.generate import Settings, generate, write_dataset, write_scenarios  # noqa: E402
from scheduler.datasets.importing import import_programme  # noqa: E402
from scheduler.load import load_dataset  # noqa: E402
from scheduler.plan import plan  # noqa: E402
from scheduler.scenario import load_scenario  # noqa: E402

SOURCE = Path(os.environ.get("IGF_SCHED_36C3")
              or ROOT.parent / "shared" / "real" / "ccc36c3" / "schedule.xml")
OUT = ROOT / "bench" / "out" / "36c3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    args = parser.parse_args()
    if not SOURCE.is_file():
        sys.exit(f"skipped: the 36C3 schedule is not at {SOURCE} (set IGF_SCHED_36C3)")
    shutil.rmtree(OUT, ignore_errors=True)   # bench/out is the benchmark's own scratch folder
    started = time.perf_counter()
    report = import_programme(SOURCE, OUT / "programme", capacity=400,
                              features=("hybrid", "captioning", "step_free"))
    imported = time.perf_counter() - started
    print(f"import: {report.figures} warnings={len(report.warnings)} ({imported:.1f}s)")
    write_dataset(generate(Settings(seed=3, requests=args.requests,
                                    programme=str(OUT / "programme"))), OUT / "with-dcs")
    scenario_file = write_scenarios(OUT / "with-dcs", OUT / "scenarios")[0]
    overrides = [f"solver.time_limit={args.time_limit}", *args.set]
    scenario = load_scenario(scenario_file, overrides)
    dataset = load_dataset(scenario.dataset_path)
    started = time.perf_counter()
    result = plan(dataset, scenario)
    wall = time.perf_counter() - started
    violations = Checker(dataset, scenario, result.rows).violations()
    s, m = result.solution, result.metrics
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"dataset: {len(dataset.programme)} programme sessions, {len(dataset.rooms)} rooms, "
          f"{len(dataset.event.days)} days, {len(dataset.requests)} DC requests, "
          f"{len(dataset.people)} people; overrides: {' '.join(overrides)}")
    print(f"formulation={m['formulation']} status={s.status} objective={s.objective} "
          f"bound={s.bound} gap={m['gap']} "
          f"solve={s.seconds:.1f}s total={wall:.1f}s peak_rss={peak_mib:.0f}MiB")
    print(f"eligible DCs={m['eligible_dcs']} placed DCs={m['placed_dcs']} "
          f"requests placed={m['placed_requests']} theme_clashes={m['theme_clashes']} "
          f"checker_violations={len(violations)}")
    for violation in violations[:10]:
        print(f"  {violation}")


if __name__ == "__main__":
    main()
