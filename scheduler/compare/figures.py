"""The one table of comparison figures: what each is called, which way is better, how to read it.

Every view of a comparison picks its figures from `FIGURES` (and `TAIL`) by key: the rows of the
comparison table, the columns of a sweep (`SWEEP_COLUMNS`) and the panels of the charts
(`COMPARISON_PANELS`, `SWEEP_PANELS`). A figure's `label` names it in files and charts, its
`short` form heads it in a terminal, its `meaning` explains it (`compare --help`, the README's
table, the site's comparison page); no view labels a figure on its own. A metric of
`metrics.json` that is not a figure here is not a row of the comparison.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..catalogue import GOAL_BY_NAME
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
    """One row of the comparison: what it means, how to read it from a result and which way is
    better. Every figure means the same in every mode: a count per DC placed or per DC
    presentation (a DC session, or a block's segment in its own minutes), or measured against
    the programme as given."""

    key: str
    label: str                          # in files and charts
    better: str | None = None           # "higher", "lower", or None: no best to mark
    read: Callable[[Result], Any] | None = None  # default: metrics[key]
    needs_schedule: bool = True         # "-" for a scenario the solver found no schedule for
    shown: Callable[[Sequence[Result]], bool] | None = None  # default: always
    short: str = ""                     # in a terminal's narrow columns; default: label
    detail: bool = False                # the solver's own bookkeeping: in a terminal on request
    meaning: str = ""                   # how to read it: compare --help, README, the site

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


def per_dc_placed(key: str):
    """A count of the schedule divided by the DCs it places (None when it places none): a
    scenario that places few DCs must not look best for counting few clashes."""
    def read(result: Result):
        placed = result.metrics.get("placed_dcs") or 0
        return round(result.metrics[key] / placed, 2) if placed else None
    return read


FIGURES: tuple[Figure, ...] = (
    Figure("status", "status", None, needs_schedule=False,
           meaning="the solver's verdict: optimal (proven best), feasible (found, not proven "
                   "best), infeasible (no schedule keeps every hard rule) or unknown (none found "
                   "in the time limit)"),
    Figure("gap", "gap", "lower",
           meaning="percent by which a better schedule might still exist; 0 is proven best"),
    Figure("objective", "objective (own terms)", None, short="objective", detail=True,
           meaning="the solver's objective, in each scenario's own weights: not comparable "
                   "across modes"),
    Figure("eligible_dcs", "eligible DCs", None, needs_schedule=False,
           meaning="DCs passing every eligibility rule the scenario applies"),
    Figure("placed_dcs", "DCs placed", "higher",
           meaning="eligible DCs that get time: an own session, a block segment or a DC Day "
                   "session (a joint request places each of its DCs)"),
    Figure("placed_own_session", "DCs placed in own session", None, _how(HOW["own"]),
           shown=_any_mode("individual", "mixed"), short="in own session",
           meaning="of the DCs placed, those in a session of their own"),
    Figure("placed_block_segment", "DCs placed in block segment", None, _how(HOW["segment"]),
           shown=_any_mode("block", "mixed"), short="in block segment",
           meaning="of the DCs placed, those presenting in a segment of a block"),
    Figure("placed_dc_day_session", "DCs placed in DC Day session", None, _how(HOW["dc_day"]),
           shown=_any_mode("dc_day"), short="in DC Day session",
           meaning="of the DCs placed, those with a session on the DC Day"),
    Figure("placed_requests", "requests placed", "higher",
           meaning="session requests placed (a session or a segment each)"),
    Figure("dc_items", "DC items (rooms held)", None, short="rooms held",
           meaning="items holding a room for the DCs: own sessions, blocks (their segments "
                   "share the block's room) and DC Day plenaries"),
    Figure("dc_room_minutes", "DC room-minutes", "lower", short="room-minutes",
           meaning="room-minutes those items hold: what the DCs take of the room time the "
                   "programme as given leaves free"),
    Figure("individual_slots_freed", "requests placed without a session of their own", "higher",
           slots_freed, short="slots freed",
           meaning="requests placed in a block segment, each a session the programme need not "
                   "give"),
    Figure("programme_minutes_lost", "room-minutes the programme gives up", "lower",
           short="programme min lost",
           meaning="room-minutes of the programme's own sessions (as given) that lose their "
                   "place to the DCs: displaced by a DC Day's reservation and not placed again; "
                   "0 when every programme session keeps a place"),
    Figure("displaced_sessions", "programme sessions displaced", "lower", shown=_any_displaced,
           short="displaced",
           meaning="programme sessions a DC Day's reservation takes the place of"),
    Figure("displaced_room_minutes", "room-minutes of displaced sessions", "lower",
           shown=_any_displaced, short="displaced min",
           meaning="their room-minutes in the programme as given"),
    Figure("displaced_people", "people whose programme session is displaced", "lower",
           shown=_any_displaced, short="displaced people",
           meaning="people named in those sessions"),
    Figure("displaced_moved", "displaced sessions placed again on another day", None,
           shown=_any_displaced, short="moved again",
           meaning="of those, the sessions placed again on another day (same length, people "
                   "and themes, a like room; where: displaced.csv)"),
    Figure("displaced_moved_minutes", "minutes of the displaced sessions placed again", None,
           shown=_any_displaced, short="moved min", meaning="their room-minutes"),
    Figure("displaced_moved_people", "people whose displaced session moved to another day",
           "lower", shown=_any_displaced, short="people moved",
           meaning="people named in the sessions placed again"),
    Figure("displaced_dropped", "displaced sessions dropped", "lower", shown=_any_displaced,
           short="dropped",
           meaning="displaced sessions with no place on another day (why: displaced.csv)"),
    Figure("programme_sessions_moved", "programme sessions moved", "lower",
           shown=_has_metric("programme_sessions_moved"), short="programme moved",
           meaning="programme sessions the schedule moves to another day, time or room "
                   "([programme] movable)"),
    Figure("theme_clashes_per_dc", "theme clashes per DC placed", "lower",
           per_dc_placed("theme_clashes"), short="clashes per DC",
           meaning="pairs of a DC presentation (a session, or a segment in its own minutes "
                   "with its own themes; never a whole block) and a session on a shared theme "
                   "at the same time, divided by the DCs placed"),
    Figure("avg_parallel_sessions", "mean parallel sessions during a DC presentation", "lower",
           short="mean parallel",
           meaning="sessions running beside a DC presentation, on average over presentations"),
    Figure("max_parallel_sessions", "max parallel sessions during a DC presentation", "lower",
           short="max parallel",
           meaning="the most sessions running beside any one DC presentation"),
    Figure("dc_parallel_max", "most DC presentations at once", "lower", short="DCs at once",
           meaning="the most DC presentations running at the same moment (competing with "
                   "each other for an audience)"),
    Figure("attendance_per_presentation", "attendance per DC presentation", "higher",
           shown=_has_metric("attendance_per_presentation"), short="attendance",
           meaning="estimated audience of a DC presentation (its expected attendance x the "
                   "day's presence / (1 + the sessions competing with it)), averaged over "
                   "presentations weighted by their minutes: an 8-minute segment weighs 8, a "
                   "90-minute session 90"),
    Figure("related_sessions_after_block", "sessions after the block on its themes", "higher",
           lambda r: r.metrics["related_sessions_after_block"] if r.metrics["block_minutes"]
           else None, shown=_any_mode("block", "mixed"), short="related after block",
           meaning="workshops and main sessions on a theme of a block's DCs that start after "
                   "it ends (they can build on the outputs presented); '-' without a block"),
    Figure("preference_hits", "preferred-day hits", "higher",
           meaning="placed requests on a day they prefer"),
    Figure("person_conflicts", "person conflicts", "lower",
           meaning="a person in two sessions at once (a hard rule: 0 in a solver's schedule)"),
)
TAIL = Figure("solve_seconds", "solve time (s)", "lower", needs_schedule=False, short="time (s)",
              meaning="wall-clock seconds the solver took (noisy on a shared machine)")
BY_KEY = {f.key: f for f in (*FIGURES, TAIL)}

# The views, chosen by key: a sweep's columns (attendance only when some run reports it) and
# the charts' panels (a panel the table lacks is left out).
SWEEP_COLUMNS = ("placed_dcs", "eligible_dcs", "theme_clashes_per_dc", "dc_room_minutes",
                 "avg_parallel_sessions", "attendance_per_presentation", "objective", "status",
                 "gap", "solve_seconds")
COMPARISON_PANELS = ("placed_dcs", "programme_minutes_lost", "dc_room_minutes",
                     "theme_clashes_per_dc", "avg_parallel_sessions",
                     "attendance_per_presentation")
SWEEP_PANELS = ("placed_dcs", "theme_clashes_per_dc", "dc_room_minutes",
                "avg_parallel_sessions", "attendance_per_presentation")

TERM_PREFIX = "terms."


def _term_figures(results: Sequence[Result]) -> list[Figure]:
    """Each soft term, better in the direction the model optimised it (metrics' term_better)."""
    names = dict.fromkeys(name for r in results for name in r.metrics.get("terms", {}))
    better = {n: b for r in results for n, b in r.metrics.get("term_better", {}).items()}
    return [Figure(f"{TERM_PREFIX}{name}", f"term {name}", better.get(name),
                   (lambda n: lambda r: r.metrics.get("terms", {}).get(n))(name), detail=True,
                   meaning=goal_meaning(name))
            for name in names]


def goal_meaning(name: str) -> str:
    goal = GOAL_BY_NAME.get(name)
    return f"soft goal: {goal.meaning} ({goal.unit})" if goal else "soft goal"


def glossary() -> list[tuple[str, str, str]]:
    """(short heading, better, meaning) of every figure, in table order: the help of
    `compare`, kept in step with the README's table by a test."""
    return [(f.heading, f.better or "-", f.meaning) for f in (*FIGURES, TAIL)]


def figures_for(results: Sequence[Result]) -> list[Figure]:
    return [f for f in FIGURES if f.applies(results)] + _term_figures(results) + [TAIL]


def scenario_columns(table) -> list[str]:
    """The scenario columns of a comparison table (`tables.comparison_table`)."""
    return [c for c in table.columns if c not in ("figure", "better", "best")]


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
