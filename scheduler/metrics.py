"""The figures of a schedule, computed from its rows (shared by solve, check and compare)."""

from __future__ import annotations

from statistics import mean

from .check import Checker, person_double_booked
from .domain import Dataset
from .eligibility import EligibilityReport
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
        "terms": dict(solution.terms),
    }
