"""The figures of a schedule, computed from its rows (shared by solve, check and compare)."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from statistics import mean

from .attendance import estimate_attendance, total_attendance
from .check import Checker, person_double_booked
from .domain import Dataset
from .eligibility import EligibilityReport
from .model.dc_day import dc_day_metrics
from .model.block import OUTPUT_FED_TYPES
from .model.solve import Solution
from .scenario import Scenario
from .schedule import ScheduleRow, Unscheduled


def schedule_metrics(dataset: Dataset, scenario: Scenario, report: EligibilityReport,
                     rows: list[ScheduleRow], unscheduled: list[Unscheduled],
                     solution: Solution) -> dict:
    checker = Checker(dataset, scenario, rows)
    items = [e for e in checker.dc_entries if e.room]
    pairs = [(a, b) for a, b in checker.clashing_pairs() if a.room and (b.room or not b.is_dc)]
    parallel = {e.entry_id: 0 for e in items}
    for a, b in pairs:
        parallel[a.entry_id] += 1
        if b.is_dc:
            parallel[b.entry_id] += 1
    placed_rows = [r for r in rows if r.kind in ("session", "segment")]
    preferred = [r for r in placed_rows if dataset.request_by_id[r.item_id].preferred_days]
    most_parallel, mean_parallel = dc_sessions_in_parallel(rows)
    estimates = estimate_attendance(dataset, scenario.attendance, rows)
    return {
        "scenario": scenario.name,
        "mode": scenario.mode,
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
        "gap": None if solution.gap is None else round(solution.gap, 6),
        "solve_seconds": round(solution.seconds, 3),
        "eligible_dcs": len(report.eligible_dcs),
        "placed_dcs": len({dc for r in placed_rows for dc in r.dc_ids}),
        "requests": len(dataset.requests),
        "placed_requests": len(placed_rows),
        "unscheduled_requests": len(unscheduled),
        "dc_items": len(items),
        "dc_room_minutes": sum(e.window.end - e.window.start for e in items),
        "theme_clashes": sum(1 for a, b in pairs if a.themes & b.themes),
        "person_conflicts": sum(1 for _ in person_double_booked(checker)),
        "avg_parallel_sessions": round(mean(parallel.values()), 3) if parallel else 0.0,
        "max_parallel_sessions": max(parallel.values(), default=0),
        "preference_hits": sum(1 for r in preferred
                               if r.day in dataset.request_by_id[r.item_id].preferred_days),
        "preference_requests": len(preferred),
        "dc_parallel_max": most_parallel,
        "dc_parallel_mean": round(mean_parallel, 3),
        "estimated_attendance": round(total_attendance(estimates), 1),
        "attendance": [e.as_dict() for e in estimates],
        **({"dc_day": dc_day_metrics(dataset, scenario, report, rows, unscheduled)}
           if scenario.mode == "dc_day" else {}),
        **block_figures(dataset, report, rows),
        "terms": dict(solution.terms),
        "term_better": dict(solution.term_better),
    }


def block_figures(dataset: Dataset, report: EligibilityReport, rows: list[ScheduleRow]) -> dict:
    """What blocks give and cost (0 without blocks, so every mode compares):
    - `dcs_presenting`: DCs with a segment in a block; `block_minutes`: minutes of blocks;
    - `individual_slots_freed`: eligible requests minus individual sessions placed, i.e. the
      slots saved compared with giving every eligible request its own session;
    - `related_sessions_after_block` / `..._before_block`: workshops and main sessions on a theme
      of a block's DCs that start after the block ends (they can build on its outputs) / before."""
    blocks = [r for r in rows if r.kind == "block"]
    eligible = sum(1 for r in dataset.requests if report.request_failure(r) is None)
    day = dataset.day_index
    after = before = 0
    for block in blocks:
        for session in dataset.programme:
            if session.type not in OUTPUT_FED_TYPES or not set(session.themes) & set(block.themes):
                continue
            if (day[session.day], session.start) >= (day[block.day], block.end):
                after += 1
            else:
                before += 1
    return {
        "dcs_presenting": len({dc for r in rows if r.kind == "segment" for dc in r.dc_ids}),
        "block_minutes": sum(r.end - r.start for r in blocks),
        "individual_slots_freed": eligible - sum(1 for r in rows if r.kind == "session"),
        "related_sessions_after_block": after,
        "related_sessions_before_block": before,
    }


def dc_sessions_in_parallel(rows: list[ScheduleRow]) -> tuple[int, float]:
    """The most DC sessions (or segments) running at the same moment, and how many run on
    average while at least one does (time-weighted). Blocks count through their segments and a
    plenary is not a session, so only `session` and `segment` rows count."""
    by_day: dict[str, list[ScheduleRow]] = defaultdict(list)
    for row in rows:
        if row.kind in ("session", "segment"):
            by_day[row.day].append(row)
    most, weighted, busy = 0, 0, 0
    for day_rows in by_day.values():
        moments = sorted({t for r in day_rows for t in (r.start, r.end)})
        for start, end in pairwise(moments):
            running = sum(1 for r in day_rows if r.start <= start and end <= r.end)
            if running:
                most = max(most, running)
                weighted += running * (end - start)
                busy += end - start
    return most, weighted / busy if busy else 0.0
