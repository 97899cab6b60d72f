"""The figures of a schedule, read from its rows (never from the model), so that a solver's
schedule and a hand-edited one are measured alike; and the recount of every soft goal from the
rows (`RECOUNTS`), which the tests hold equal to the term the solver reports.
"""

from __future__ import annotations

import math
from collections import defaultdict
from itertools import pairwise
from statistics import mean
from typing import Iterable

from .attendance import attendance_per_presentation, estimate_attendance
from .catalogue import GOAL_BY_NAME
from .check import Checker, no_one_in_two_places
from .domain import OUTPUT_FED_TYPES, Dataset, ProgrammeSession, request_value
from .eligibility import EligibilityReport
from .scenario import Scenario
from .reserve import Reservation
from .schedule import ScheduleRow, Unscheduled
from .timegrid import inside_local_hours


def schedule_metrics(dataset: Dataset, scenario: Scenario, report: EligibilityReport,
                     rows: list[ScheduleRow], unscheduled: list[Unscheduled],
                     solver: dict, reservation: Reservation | None = None) -> dict:
    """Every figure of metrics.json; `solver` is what the solver said (status, objective,
    bound, gap, solve_seconds, terms, term_better); `dataset` as given, `reservation` a DC
    Day's (made from them when not given)."""
    checker = Checker(dataset, scenario, rows, reservation=reservation)
    moved = moved_sessions(dataset, checker.moved) \
        if scenario.programme.movable != "none" else None
    # The figures are the DC items'; the programme stands where the schedule puts it.
    dataset, rows = checker.scheduled, checker.rows
    parallel = parallel_counts(checker)
    placed_rows = [r for r in rows if r.kind in ("session", "segment")]
    preferred = [r for r in placed_rows if dataset.request_by_id[r.item_id].preferred_days]
    most_parallel, mean_parallel = dc_sessions_in_parallel(rows, ("session", "segment"))
    estimates = estimate_attendance(dataset, scenario.attendance, rows)
    return {
        "scenario": scenario.name,
        "mode": scenario.mode,
        **{key: solver[key] for key in ("status", "objective", "bound", "gap",
                                        "solve_seconds")},
        # what ended the search (solve.ENDINGS), CP-SAT's count of the work it did, and the
        # model it searched ("auto" resolved: model/choice.py)
        **{key: solver[key] for key in ("search_ended_by", "work", "formulation")
           if key in solver},
        **({"first_guess": True} if solver.get("first_guess") else {}),
        **({"why_no_schedule": solver["why_no_schedule"]}
           if solver.get("why_no_schedule") else {}),
        "eligible_dcs": len(report.eligible_dcs),
        "placed_dcs": len({dc for r in placed_rows for dc in r.dc_ids}),
        "requests": len(dataset.requests),
        "placed_requests": len(placed_rows),
        "unscheduled_requests": len(unscheduled),
        "dc_items": sum(1 for r in rows if r.occupies_room),
        "dc_room_minutes": sum(r.end - r.start for r in rows if r.occupies_room),
        "theme_clashes": theme_clashes(checker),
        "person_conflicts": sum(v.rule == "person" for v in no_one_in_two_places(checker)),
        "avg_parallel_sessions": round(mean(parallel.values()), 3) if parallel else 0.0,
        "max_parallel_sessions": max(parallel.values(), default=0),
        "preference_hits": sum(1 for r in preferred
                               if r.day in dataset.request_by_id[r.item_id].preferred_days),
        "preference_requests": len(preferred),
        "dc_parallel_max": most_parallel,
        "dc_parallel_mean": round(mean_parallel, 3),
        "attendance_per_presentation": _rounded(attendance_per_presentation(estimates), 1),
        "attendance": [e.as_dict() for e in estimates],
        **({"dc_day": dc_day_figures(dataset, scenario, rows)}
           if scenario.mode == "dc_day" else {}),
        **block_figures(dataset, rows),
        **({"programme_sessions_moved": moved} if moved is not None else {}),
        "terms": dict(solver["terms"]),
        "term_better": dict(solver["term_better"]),
    }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def moved_sessions(dataset: Dataset, moved: list[ScheduleRow]) -> int:
    """Programme sessions whose day, time or room the schedule changed."""
    return sum(1 for r in moved
               if (s := dataset.session_by_id[r.item_id]).window != r.window or s.room != r.room)


def presenting(checker: Checker, entry) -> bool:
    """A DC presentation: a DC session, a segment (in its own minutes, with its own themes) or a
    plenary; not a block, whose time is its segments' and its opening and wrap-up."""
    return entry.is_dc and entry.entry_id not in checker.block_ids


def holding_a_room(checker: Checker, entry) -> bool:
    """A DC item as the soft goals count it: one holding a room (a block is one item, with every
    theme of its presenters; a segment counts through its block)."""
    return bool(entry.room)


def _pairs(checker: Checker, counted):
    """Overlapping pairs of a counted DC entry with another session (a programme session or
    another counted DC entry)."""
    return [(a, b) for a, b in checker.clashing_pairs() if counted(checker, a)
            and (counted(checker, b) or not b.is_dc)]


def parallel_counts(checker: Checker, counted=presenting) -> dict[str, int]:
    """Counted DC entry (by default each DC presentation) -> the sessions running in parallel
    with it (another counted DC entry counts for both)."""
    parallel = {e.entry_id: 0 for e in checker.dc_entries if counted(checker, e)}
    for a, b in _pairs(checker, counted):
        parallel[a.entry_id] += 1
        if b.is_dc:
            parallel[b.entry_id] += 1
    return parallel


def theme_clashes(checker: Checker, counted=presenting) -> int:
    """Pairs of a counted DC entry (by default each DC presentation) and another session on a
    shared theme, running at the same time."""
    return sum(1 for a, b in _pairs(checker, counted) if a.themes & b.themes)


def block_figures(dataset: Dataset, rows: list[ScheduleRow]) -> dict:
    """What blocks give and cost (0 without blocks, so every mode compares):
    - `dcs_presenting`: DCs with a segment in a block; `block_minutes`: minutes of blocks;
    - `individual_slots_freed`: requests placed without a session of their own (segments);
    - `related_sessions_after_block` / `..._before_block`: workshops and main sessions on a theme
      of a block's DCs that start after the block ends (they can build on its outputs) / before."""
    blocks = [r for r in rows if r.kind == "block"]
    before = sum(related_sessions_before(dataset, block) for block in blocks)
    related = sum(1 for block in blocks for s in dataset.programme
                  if s.type in OUTPUT_FED_TYPES and set(s.themes) & set(block.themes))
    return {
        "dcs_presenting": len({dc for r in rows if r.kind == "segment" for dc in r.dc_ids}),
        "block_minutes": sum(r.end - r.start for r in blocks),
        "individual_slots_freed": sum(1 for r in rows if r.kind == "segment"),
        "related_sessions_after_block": related - before,
        "related_sessions_before_block": before,
    }


def programme_minutes_lost(displaced: Iterable[ProgrammeSession],
                           rows: list[ScheduleRow]) -> int:
    """Room-minutes of the programme as given that lose their place to the DCs: sessions
    displaced (by a DC Day's reservation) that the schedule does not place again. Measured
    against the programme as given in every mode, so a scenario that displaces nothing loses
    nothing, whatever its DC items hold."""
    placed_again = {r.item_id for r in rows if r.kind == "programme"}
    return sum(s.end - s.start for s in displaced
               if s.room and s.session_id not in placed_again)


def related_sessions_before(dataset: Dataset, block: ScheduleRow) -> int:
    """Workshops and main sessions on a theme of the block that start before it ends (they
    cannot build on the outputs presented)."""
    day = dataset.day_index
    return sum(1 for s in dataset.programme if s.type in OUTPUT_FED_TYPES
               and set(s.themes) & set(block.themes)
               and (day[s.day], s.start) < (day[block.day], block.end))


def dc_sessions_in_parallel(rows: list[ScheduleRow], kinds: tuple[str, ...]) -> tuple[int, float]:
    """The most rows of `kinds` running at the same moment, and how many run on average while
    at least one does (time-weighted)."""
    by_day: dict[str, list[ScheduleRow]] = defaultdict(list)
    for row in rows:
        if row.kind in kinds:
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


def dc_day_figures(dataset: Dataset, scenario: Scenario, rows: list[ScheduleRow]) -> dict:
    """The DC Day's own figures: its day, rooms, plenaries and theme tracks (the shortfall of
    room time is added by `plan`, from `reasons`)."""
    day, named = scenario.dc_day.day, set(scenario.dc_day_rooms)
    open_rooms = [r.room_id for r in dataset.rooms
                  if r.open_on(day) and (not named or r.room_id in named)]
    tracks = theme_rooms(rows)
    return {
        "day": day,
        "rooms_open": len(open_rooms),
        "plenaries": [f"{r.item_id} {r.window} {r.room}" for r in rows if r.kind == "plenary"],
        "rooms_used": len({r.room for r in rows if r.kind == "session"}),
        "theme_rooms": sum(len(v) for v in tracks.values()),
        "tracks": {theme: sorted(v) for theme, v in sorted(tracks.items())},
        "shortfall": None,
    }


def theme_rooms(rows: list[ScheduleRow]) -> dict[str, set[str]]:
    tracks: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row.kind == "session":
            for theme in row.themes:
                tracks[theme].add(row.room)
    return tracks


# --- every soft goal recounted from the rows ------------------------------------------------

class Recount:
    """The rows of a schedule and what the goals read about them."""

    def __init__(self, dataset: Dataset, scenario: Scenario, report: EligibilityReport,
                 rows: list[ScheduleRow], baseline_rows=()):
        self.baseline_rows = list(baseline_rows)
        self.checker = Checker(dataset, scenario, rows)
        self.dataset = self.checker.scheduled
        self.scenario, self.report, self.rows = scenario, report, self.checker.rows
        self.blocks = {r.item_id: r for r in rows if r.kind == "block"}

    def requests(self, kinds=("session", "segment")):
        return [(row, self.dataset.request_by_id[row.item_id]) for row in self.rows
                if row.kind in kinds]

    def segments(self, block_id: str) -> list[ScheduleRow]:
        return sorted((r for r in self.rows if r.block_id == block_id), key=lambda r: r.start)

    def outputs(self, request) -> int:
        return sum(self.dataset.coalition_by_id[dc].outputs for dc in request.dc_ids)


def recount_placed(c: Recount) -> int:
    return sum(request_value(request, c.dataset) * len(request.dc_ids)
               for _, request in c.requests())


def recount_fairness(c: Recount) -> int | None:
    """The lowest percent (rounded down) of a category's eligible requests placed; None with
    fewer than two categories (the goal has nothing to balance)."""
    eligible: dict[str, int] = defaultdict(int)
    for request in c.dataset.requests:
        if c.report.request_failure(request) is None:
            eligible[c.dataset.coalition_by_id[request.lead].category] += 1
    if len(eligible) < 2:
        return None
    placed: dict[str, int] = defaultdict(int)
    for _, request in c.requests():
        placed[c.dataset.coalition_by_id[request.lead].category] += 1
    return min(100 * placed[category] // n for category, n in eligible.items())


def recount_theme_clash(c: Recount) -> int:
    return theme_clashes(c.checker, holding_a_room)


def recount_parallel_sessions(c: Recount) -> int:
    return sum(parallel_counts(c.checker, holding_a_room).values())


def recount_preferred_day(c: Recount) -> int:
    return sum(1 for row, request in c.requests()
               if request.preferred_days and row.day not in request.preferred_days)


def recount_online_hours(c: Recount) -> int:
    """Online speakers outside local hours: over the session, the segment, or the block when
    presenters stay for it (`block.presence`); and the people of a displaced session placed
    again."""
    dataset, online = c.dataset, c.scenario.online
    stay = c.scenario.block.presence == "whole_block"
    spans = [(c.blocks[row.block_id] if row.kind == "segment" and stay else row,
              request.speakers) for row, request in c.requests()]
    spans += [(row, dataset.session_by_id[row.item_id].people)
              for row in c.checker.reservation.placed_again(c.checker.moved)]
    total = 0
    for span, people in spans:
        date = dataset.day_by_label[span.day].date
        total += sum(not inside_local_hours(dataset.event.timezone, person.timezone, date,
                                            span.start, span.end, online.earliest,
                                            online.latest)
                     for person in (dataset.person_by_id[p] for p in people)
                     if not person.onsite and person.timezone)
    return total


def recount_theme_coherence(c: Recount) -> int:
    return sum(len(segments) - len({s.cluster for s in segments})
               for segments in map(c.segments, c.blocks))


def recount_segment_proportion(c: Recount) -> int:
    """Per block, the minutes off a length proportional to outputs at the best rate (tenths of
    a minute per output), each segment's distance rounded up."""
    total = 0
    for block_id in c.blocks:
        segments = [(s.end - s.start, c.outputs(c.dataset.request_by_id[s.item_id]))
                    for s in c.segments(block_id)]
        total += min(sum(math.ceil(abs(10 * length - rate * outputs) / 10)
                         for length, outputs in segments)
                     for rate in range(0, 10 * c.scenario.block.max_segment + 1))
    return total


def recount_outputs_presented(c: Recount) -> int:
    return sum(c.outputs(request) for _, request in c.requests(("segment",)))


def recount_outputs_first(c: Recount) -> int:
    return sum(related_sessions_before(c.dataset, block) for block in c.blocks.values())


def recount_tracks(c: Recount) -> int:
    return sum(len(rooms) for rooms in theme_rooms(c.rows).values())


def recount_dc_parallel(c: Recount) -> int:
    return dc_sessions_in_parallel(c.rows, ("session",))[0]


def recount_displaced_placed(c: Recount) -> int:
    return len(c.checker.reservation.placed_again(c.checker.moved))


def recount_moved(c: Recount) -> int:
    """Baseline requests not where they were: a session off its slot, a segment out of its
    block or in a block that moved, or either not placed."""
    def key(rows):
        blocks = {r.item_id: (r.day, r.start, r.room) for r in rows if r.kind == "block"}
        return {r.item_id: (r.kind, r.day, r.start, r.room) if r.kind == "session"
                else (r.kind, r.block_id, blocks.get(r.block_id))
                for r in rows if r.kind in ("session", "segment")}
    before, now = key(c.baseline_rows), key(c.rows)
    return sum(1 for request_id, place in before.items() if now.get(request_id) != place)


RECOUNTS = {name.removeprefix("recount_"): function for name, function in globals().items()
            if name.startswith("recount_")}


def recount_goals(dataset: Dataset, scenario: Scenario, report: EligibilityReport,
                  rows: list[ScheduleRow], baseline_rows=()) -> dict[str, int | None]:
    """Every soft goal's value in these rows (against a baseline's), recounted without the
    model."""
    counted = Recount(dataset, scenario, report, rows, baseline_rows)
    return {name: recount(counted) for name, recount in RECOUNTS.items()}


def recounted_solver_figures(dataset: Dataset, scenario: Scenario, report: EligibilityReport,
                             rows: list[ScheduleRow], figures: dict,
                             baseline_rows=()) -> dict:
    """What the solver said (`Solution.figures`), with every term and the objective recounted
    from the rows written and the gap to the solver's bound computed from that objective: a
    search stopped early may leave the model's overlap variables above what the rows hold
    (bounded from below only), and the figures describe the schedule written, not the model."""
    if not rows or not figures["terms"]:
        return figures
    recount = recount_goals(dataset, scenario, report, rows, baseline_rows)
    terms = {name: figures["terms"][name] if recount[name] is None else recount[name]
             for name in figures["terms"]}
    objective = sum(GOAL_BY_NAME[name].sign * getattr(scenario.weights, name) * value
                    for name, value in terms.items())
    bound = figures["bound"]
    gap = None if bound is None else round(abs(bound - objective) / max(1.0, abs(objective)), 6)
    return {**figures, "terms": terms, "objective": objective, "gap": gap}
