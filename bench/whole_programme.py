"""Whole-programme benchmark: the same engine places every session of the sample IGF.

Every non-exclusive programme session of data/igf2023 becomes a request (its own organiser,
its people as speakers, an audience by session type) and `plan` places them all around the
exclusive ceremonies, exactly as it places DC requests. `--scale K` repeats the programme K
times over K times as many rooms (a synthetic K-x instance). `--encoding no_overlap` swaps
the at-most-one rows per room/person/unit for NoOverlap over optional intervals, to compare
the two formulations of DESIGN.md on the same instance. `--formulation interval` uses the
interval model of scheduler/model/intervals.py instead (`[solver] formulation`), warm-started
from its greedy schedule unless `--no-hint`.

    .venv/bin/python bench/whole_programme.py [--scale 1] [--time-limit 120] [--encoding ...]
    .venv/bin/python bench/whole_programme.py --formulation interval [--scale 10] [--no-hint]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.check import Checker  # noqa: E402
from scheduler.domain import Coalition, Dataset, Request  # noqa: E402
from scheduler.load import load_dataset  # noqa: E402
from scheduler.model.intervals import Intervals  # noqa: E402
from scheduler.model.time_indexed import TimeIndexed  # noqa: E402
from scheduler.plan import plan  # noqa: E402
from scheduler.scenario import Scenario, apply_override  # noqa: E402

AUDIENCE = {"main": (300, 600), "high_level": (200, 500), "workshop": (40, 140),
            "open_forum": (30, 100), "town_hall": (30, 80), "lightning": (20, 50),
            "launch": (20, 60), "networking": (20, 60), "nri": (30, 90), "bpf": (40, 120),
            "day0": (30, 120)}


def whole_programme(dataset: Dataset, scale: int, seed: int = 0) -> Dataset:
    """The dataset with its programme turned into requests (ceremonies stay fixed)."""
    rng = random.Random(seed)
    rooms = [r.model_copy(
        update={"room_id": f"{r.room_id}-{k}" if k else r.room_id})
        for k in range(scale) for r in dataset.rooms]
    fixed = [s for s in dataset.programme if s.exclusive]
    requests, coalitions = [], []
    for k in range(scale):
        for s in dataset.programme:
            if s.exclusive:
                continue
            low, high = AUDIENCE.get(s.type, (30, 100))
            org = f"ORG-{s.session_id}-{k}"
            coalitions.append(Coalition(
                dc_id=org, name=org, category="output", open_membership=True,
                open_mailing_list=True, open_archives=True, session_report="n/a",
                coordination_meetings=0, outputs=0))
            days = ("Day 0",) if s.type == "day0" else ()
            requests.append(Request(
                request_id=f"{s.session_id}-{k}", dc_ids=(org,), title=s.title,
                format=s.type, duration=s.end - s.start,
                expected_attendance=rng.randint(low, high), themes=s.themes,
                speakers=tuple(f"{p}" for p in s.people) if k == 0 else (),
                preferred_days=days, priority=1 if s.type in ("main", "high_level") else 3))
    return Dataset(folder=dataset.folder, event=dataset.event, rooms=tuple(rooms),
                   programme=tuple(fixed), coalitions=tuple(coalitions),
                   requests=tuple(requests), people=dataset.people)


def no_overlap_rows(pm, resources) -> None:
    """Alternative encoding: NoOverlap over one optional fixed interval per (slot, resource)."""
    day_offset = {d: i * 24 * 60 for i, d in enumerate(pm.ctx.dataset.day_by_label)}
    by_resource = {}
    for item_id, slots in pm.slots.items():
        item = pm.items[item_id]
        for slot, var in slots:
            start = day_offset[slot.day] + slot.start
            for resource_id in resources(item_id, slot):
                by_resource.setdefault(resource_id, []).append(
                    pm.cp.new_optional_fixed_size_interval_var(start, item.duration, var, ""))
    for group in by_resource.values():
        if len(group) > 1:
            pm.cp.add_no_overlap(group)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=120)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--linearization-level", type=int, default=2)
    parser.add_argument("--nondeterministic", action="store_true",
                        help="with --workers > 1: the free-running portfolio, not interleaved")
    parser.add_argument("--encoding", choices=["time_indexed", "no_overlap"],
                        default="time_indexed", help="time-indexed rows or NoOverlap")
    parser.add_argument("--formulation", choices=["time_indexed", "interval"],
                        default="time_indexed")
    parser.add_argument("--no-hint", action="store_true",
                        help="interval formulation: no greedy hint")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="scenario override, e.g. weights.theme_clash=10")
    args = parser.parse_args()
    if args.no_hint:
        Intervals.warm_start = lambda self, progress: None
    if args.encoding == "no_overlap":
        TimeIndexed._at_most_one_per_row = no_overlap_rows
    dataset = whole_programme(load_dataset(ROOT / "data/igf2023"), args.scale)
    raw = {
        "name": f"whole-programme-x{args.scale}", "dataset": ".", "mode": "individual",
        "weights": {"placed": 100, "fairness": 0, "theme_clash": 0, "parallel_sessions": 0,
                    "preferred_day": 50, "online_hours": 0},
        "solver": {"time_limit": args.time_limit, "workers": args.workers,
                   "linearization_level": args.linearization_level,
                   "formulation": args.formulation,
                   "deterministic": not args.nondeterministic}}
    for assignment in args.set:
        apply_override(raw, assignment)
    scenario = Scenario.model_validate(raw)
    started = time.perf_counter()
    result = plan(dataset, scenario, progress=lambda line: print(
        f"[{time.perf_counter() - started:7.1f}s] {line.strip()}", file=sys.stderr, flush=True))
    wall = time.perf_counter() - started
    violations = Checker(dataset, scenario, result.rows).violations()
    s, m = result.solution, result.metrics
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    setup = (f"encoding={args.encoding}" if args.formulation == "time_indexed"
             else f"hint={not args.no_hint}")
    print(f"formulation={args.formulation} {setup} scale={args.scale} sessions={len(dataset.requests)} "
          f"rooms={len(dataset.rooms)} workers={args.workers} "
          f"linearization={args.linearization_level} deterministic={not args.nondeterministic}")
    if args.set:
        print("overrides:", " ".join(args.set))
    print(f"status={s.status} objective={s.objective} bound={s.bound} gap={m['gap']} "
          f"solve={s.seconds:.1f}s total={wall:.1f}s peak_rss={peak_mib:.0f}MiB")
    print(f"placed={m['placed_requests']}/{m['requests']} checker_violations={len(violations)}")
    reasons = {}
    for u in result.unscheduled:
        key = re.sub(r"^\d+ ", "N ", u.reason.split(":")[0])[:60]
        reasons[key] = reasons.get(key, 0) + 1
    print("unplaced reasons:", reasons or "none")


if __name__ == "__main__":
    main()
