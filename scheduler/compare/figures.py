"""The one table of comparison figures: what each is called, which way is better, how to read it.

Every view of a comparison picks its figures from `FIGURES` (and `TAIL`) by key: the rows of the
comparison table, the columns of a sweep (`SWEEP_COLUMNS`) and the panels of the charts
(`COMPARISON_PANELS`, `SWEEP_PANELS`). A figure's `label` names it in files and charts, its
`short` form heads it in a terminal; no view labels a figure on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .. import labels
from ..plan import Result
from ..schedule import ScheduleRow

# --- reading figures from a result ------------------------------------------------------------

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


def metric(result: Result, *keys: str) -> Any:
    """The first of `keys` present in the result's metrics (figures may be named differently
    by the mode that adds them), else None."""
    return next((result.metrics[k] for k in keys if k in result.metrics), None)


def slots_freed(result: Result) -> int:
    """Individual slots the scenario frees: requests placed without a session of their own (a
    block's segments). A request that gets nothing frees nothing: it is simply not placed."""
    return sum(1 for r in result.rows if r.kind == "segment")


def _any_displaced(results: Sequence[Result]) -> bool:
    return any(metric(r, "displaced_sessions") for r in results)


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- the figures ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """One row of the comparison: how to read it from a result and which way is better."""

    key: str
    label: str                          # in files and charts
    better: str | None = None           # "higher", "lower", or None: no best to mark
    read: Callable[[Result], Any] | None = None  # default: metrics[key]
    needs_schedule: bool = True         # "-" for a scenario the solver found no schedule for
    shown: Callable[[Sequence[Result]], bool] | None = None  # default: always
    short: str = ""                     # in a terminal's narrow columns; default: label
    detail: bool = False                # the solver's own bookkeeping: in a terminal on request

    @property
    def heading(self) -> str:
        return self.short or self.label

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
    Figure("objective", "objective (own terms)", None, short="objective", detail=True),
    Figure("eligible_dcs", "eligible DCs", None, needs_schedule=False),
    Figure("placed_dcs", "DCs placed", "higher"),
    Figure("placed_own_session", "DCs placed in own session", None, _how(HOW["own"]),
           shown=_any_mode("individual", "mixed"), short="in own session"),
    Figure("placed_block_segment", "DCs placed in block segment", None, _how(HOW["segment"]),
           shown=_any_mode("block", "mixed"), short="in block segment"),
    Figure("placed_dc_day_session", "DCs placed in DC Day session", None, _how(HOW["dc_day"]),
           shown=_any_mode("dc_day"), short="in DC Day session"),
    Figure("placed_requests", "requests placed", "higher"),
    Figure("dc_items", "DC items (rooms held)", None, short="rooms held"),
    Figure("dc_room_minutes", "DC room-minutes", "lower", short="room-minutes"),
    Figure("individual_slots_freed", "requests placed without a session of their own", "higher",
           slots_freed, short="slots freed"),
    Figure("programme_minutes_freed", "room-minutes the programme gets back (vs own sessions "
           "for the DCs placed, less displaced sessions)", "higher", short="minutes freed"),
    Figure("displaced_sessions", "programme sessions displaced", "lower", shown=_any_displaced,
           short="displaced"),
    Figure("displaced_room_minutes", "room-minutes of displaced sessions", "lower",
           shown=_any_displaced, short="displaced min"),
    Figure("displaced_people", "people whose programme session is displaced", "lower",
           shown=_any_displaced, short="displaced people"),
    Figure("theme_clashes", "theme clashes (per DC presentation: a session or a segment)",
           "lower", short="theme clashes"),
    Figure("avg_parallel_sessions", "mean parallel sessions during a DC presentation", "lower",
           short="mean parallel"),
    Figure("max_parallel_sessions", "max parallel sessions during a DC presentation", "lower",
           short="max parallel"),
    Figure("estimated_attendance", "estimated attendance", "higher",
           lambda r: metric(r, "estimated_attendance"), shown=_has_metric("estimated_attendance"),
           short="attendance"),
    Figure("preference_hits", "preferred-day hits", "higher"),
    Figure("person_conflicts", "person conflicts", "lower"),
)
TAIL = Figure("solve_seconds", "solve time (s)", "lower", needs_schedule=False, short="time (s)")
BY_KEY = {f.key: f for f in (*FIGURES, TAIL)}

# The views, chosen by key: a sweep's columns (estimated attendance only when some run reports
# it) and the charts' panels (a panel the table lacks is left out).
SWEEP_COLUMNS = ("placed_dcs", "eligible_dcs", "theme_clashes", "dc_room_minutes",
                 "avg_parallel_sessions", "estimated_attendance", "objective", "status", "gap",
                 "solve_seconds")
COMPARISON_PANELS = ("placed_dcs", "programme_minutes_freed", "dc_room_minutes",
                     "theme_clashes", "avg_parallel_sessions", "estimated_attendance")
SWEEP_PANELS = ("placed_dcs", "theme_clashes", "dc_room_minutes", "avg_parallel_sessions",
                "estimated_attendance")

# Metrics that are not figures to compare (or are shown through another figure).
NOT_FIGURES = {"scenario", "mode", "bound", "requests", "unscheduled_requests",
               "preference_requests", "terms", "scenario_path", "dataset_path", *BY_KEY}

TERM_PREFIX = "terms."


def _extra_figures(results: Sequence[Result]) -> list[Figure]:
    """Numeric figures a mode adds to metrics.json (e.g. block minutes), one level of nesting."""
    keys: dict[str, None] = {}
    for result in results:
        for key, value in result.metrics.items():
            if key in NOT_FIGURES:
                continue
            if is_number(value):
                keys[key] = None
            elif isinstance(value, dict):
                keys.update({f"{key}.{k}": None for k, v in value.items() if is_number(v)})

    def reader(key):
        head, _, tail = key.partition(".")
        return lambda r: (r.metrics.get(head, {}) or {}).get(tail) if tail else r.metrics.get(head)

    return [Figure(key, labels.figure(key), None, reader(key)) for key in keys]


def _term_figures(results: Sequence[Result]) -> list[Figure]:
    """Each soft term, better in the direction the model optimised it (metrics' term_better)."""
    names = dict.fromkeys(name for r in results for name in r.metrics.get("terms", {}))
    better = {n: b for r in results for n, b in r.metrics.get("term_better", {}).items()}
    return [Figure(f"{TERM_PREFIX}{name}", f"goal: {labels.goal(name)}", better.get(name),
                   (lambda n: lambda r: r.metrics.get("terms", {}).get(n))(name), detail=True)
            for name in names]


def figures_for(results: Sequence[Result]) -> list[Figure]:
    return ([f for f in FIGURES if f.applies(results)] + _extra_figures(results)
            + _term_figures(results) + [TAIL])


def heading(key: str, label: str) -> str:
    """A comparison row's heading in a terminal: the figure's short form, else its label."""
    return BY_KEY[key].heading if key in BY_KEY else label


def is_detail(key: str) -> bool:
    """The solver's own bookkeeping (its objective and soft terms), not a planner's figure."""
    return key.startswith(TERM_PREFIX) or (key in BY_KEY and BY_KEY[key].detail)


def best_of(values: Sequence[Any], better: str | None) -> list[int]:
    """Positions of the best value(s): ties all marked; nothing marked when `better` is None,
    when fewer than two scenarios have the figure, or when they all have the same value."""
    numbers = [(i, v) for i, v in enumerate(values)
               if is_number(v) and not (isinstance(v, float) and math.isnan(v))]
    if better is None or len(numbers) < 2 or len({v for _, v in numbers}) == 1:
        return []
    target = max(v for _, v in numbers) if better == "higher" else min(v for _, v in numbers)
    return [i for i, v in numbers if v == target]
