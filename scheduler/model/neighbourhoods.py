"""Improve a schedule by re-solving part of it: a large neighbourhood search of our own.

CP-SAT's single worker runs no neighbourhood search, and on a DC Day its LP-guided search
rarely improves its first schedule (bench/RESULTS.md: s1 stays at 7772 for 10 units of work,
where re-solving neighbourhoods reaches 8594 in 5). Each step frees some items (those near a
time of a day, those sharing a theme, those of two rooms, or some at random), keeps every
other item where the best schedule has it (as assumptions), and lets one worker re-solve the
model within a small amount of work, from the best schedule as a hint. A better schedule is
kept. The neighbourhoods are drawn by a generator seeded with the scenario's seed and every
step is limited by CP-SAT's work count, so the result is the same on every run.

The bound is the full search's: the steps only look for schedules.
"""

from __future__ import annotations

import dataclasses
import random
import time
from typing import Callable

from .formulation import Formulation, Literal
from .solve import (Interrupted, Solution, clock_stopped, parameters, progress_words,
                    schedule_words, search)
from ..scenario import Solver as SolverSettings

# The work one step may take, and the number of items it frees at first: a step that is
# proven (its neighbourhood fully searched) frees more the next time, one that is not, fewer.
STEP_WORK = 0.3
# Each step loads and presolves the model afresh, which CP-SAT hardly counts as work: from
# 0.1 s of the clock per step (the sample's whole programme, 0.13 million terms) to 0.3 s (a
# generated DC Day, 0.6 million) and 5 s (the sample with its programme moving, time-indexed,
# 16 million) (bench/RESULTS.md). Counted as work by the model's size, so that the steps'
# work keeps pace with the clock as the full search's does, and a deterministic limit ends
# them before the clock does. The interval model's steps take longer for their size (its
# intervals are not terms here): from a whole programme's polished first guess 1.1 s each, and
# the clock ended the sample's 60 units at 49 with the smaller charge (bench/RESULTS.md).
LOADING_BASE, LOADING_PER_MILLION_TERMS = 0.1, 0.25
LOADING_BASE_INTERVAL = 0.2
FIRST_SIZE, SMALLEST_SIZE = 8, 3
GROW, SHRINK = 1.25, 0.85


def improve(f: Formulation, settings: SolverSettings, full: Solution, work: float,
            deadline: float, progress: Callable[[str], None] | None = None) -> Solution:
    """The best schedule found by re-solving neighbourhoods of `full` (the full search's best)
    within `work` units of work and before the clock reaches `deadline` (a perf_counter time),
    with `full`'s bound, its work and seconds counted in; `full` itself when nothing better
    turns up. Raises `Interrupted` with the best schedule on Ctrl-C or SIGTERM."""
    rng = random.Random(settings.seed)
    started = time.perf_counter() - full.seconds          # when the full search began
    done, size = 0.0, FIRST_SIZE
    best = full
    clock_cut = False           # a step stopped by the clock: the result follows the clock
    item_ids = sorted(f.items)
    kinds = neighbourhood_kinds(f)
    step_settings = settings.model_copy(update={"workers": 1, "presolve": True})
    loading = (LOADING_BASE_INTERVAL if f.scenario.solver.formulation == "interval" else
               LOADING_BASE) + LOADING_PER_MILLION_TERMS * model_terms(f) / 1e6
    try:
        while best.status != "optimal" and done + loading < work - 1e-9 \
                and time.perf_counter() < deadline:
            kind = kinds[rng.randrange(len(kinds))]
            free = kind(f, best, item_ids, rng, int(size))
            step = parameters(step_settings.model_copy(update={
                "work_limit": min(STEP_WORK, work - done - loading)}))
            step.parameters.max_time_in_seconds = max(1e-3, deadline - time.perf_counter())
            # The presolve is there to drop what the kept items fix; probing the rest again
            # took a step's whole work on the larger models, leaving none to search.
            step.parameters.cp_model_probing_level = 0
            step.parameters.max_presolve_iterations = 1
            keep_the_rest(f, best, item_ids, free)
            try:
                found = search(f, step, None)
            except Interrupted as stop:
                best = better_of(best, stop.solution, full.work + done, started)
                raise Interrupted(finished(best, full.work + done, started, "interrupt"))
            done += loading + found.work
            clock_cut |= clock_stopped(found)
            size = max(SMALLEST_SIZE, min(len(item_ids), size * (
                GROW if found.status == "optimal" else SHRINK)))
            improved = better_of(best, found, full.work + done, started)
            if improved is not best and progress:
                progress(progress_words(schedule_words(f, improved.value), improved.objective,
                                        improved.bound, improved.seconds))
            best = improved
    finally:
        f.cp.clear_assumptions()
    out_of_work = done + loading >= work - 1e-9
    ended_by = "proof" if best.status == "optimal" else \
        full.ended_by if out_of_work and not clock_cut else "time limit"
    return finished(best, full.work + done, started, ended_by)


def better_of(best: Solution, found: Solution, work: float, started: float) -> Solution:
    """`found` with `best`'s bound when its schedule is better, else `best`."""
    if not found.has_schedule or round(found.objective) <= round(best.objective):
        return best
    seconds = time.perf_counter() - started
    gap = None if best.bound is None else \
        abs(best.bound - found.objective) / max(1.0, abs(found.objective))
    return dataclasses.replace(
        found, status="optimal" if gap is not None and gap < 1e-9 else "feasible",
        bound=best.bound, gap=gap,
        seconds=seconds, first_seconds=best.first_seconds, first_guess=False,
        improvements=best.improvements + [(seconds, work, found.objective, best.bound)])


def finished(best: Solution, work: float, started: float, ended_by: str) -> Solution:
    return dataclasses.replace(best, work=work, ended_by=ended_by,
                               seconds=time.perf_counter() - started)


def model_terms(f: Formulation) -> int:
    """The model's size: the variables named by its constraints, counted with repeats."""
    terms = 0
    for constraint in f.cp.proto.constraints:
        terms += len(constraint.enforcement_literal)
        if constraint.has_linear():
            terms += len(constraint.linear.vars)
        elif constraint.has_at_most_one():
            terms += len(constraint.at_most_one.literals)
        elif constraint.has_exactly_one():
            terms += len(constraint.exactly_one.literals)
        elif constraint.has_bool_or():
            terms += len(constraint.bool_or.literals)
        elif constraint.has_bool_and():
            terms += len(constraint.bool_and.literals)
    return terms


def keep_the_rest(f: Formulation, best: Solution, item_ids: list[str], free: set[str]) -> None:
    """Assume every item outside `free` where `best` has it (or not placed), and hint the
    search with `best` whole."""
    kept: list[Literal] = []
    for item_id in item_ids:
        if item_id in free:
            continue
        if item_id in best.chosen:
            kept.append(f.at_slot(item_id, best.chosen[item_id]))
        else:
            kept.append(~f.placed[item_id])
    f.cp.clear_assumptions()
    f.cp.add_assumptions([literal for literal in kept if literal is not None])
    values = best.solver.response_proto.solution
    f.cp.clear_hints()
    f.cp.proto.solution_hint.vars.extend(range(len(values)))
    f.cp.proto.solution_hint.values.extend(values)


# Each neighbourhood: the items to free, about `size` of them, and some not placed.

def near_a_time(f: Formulation, best: Solution, item_ids: list[str], rng: random.Random,
                size: int) -> set[str]:
    """The items placed nearest to a time of a day where an item runs: a stretch of the day
    re-solved whole (who goes where, in which room)."""
    placed = [i for i in item_ids if i in best.chosen]
    if not placed:
        return with_unplaced(set(), best, item_ids, rng, size)
    centre = best.chosen[placed[rng.randrange(len(placed))]]
    day_index = f.ctx.dataset.day_index

    def distance(item_id: str):
        slot = best.chosen[item_id]
        return (abs(day_index[slot.day] - day_index[centre.day]), abs(slot.start - centre.start),
                item_id)
    return with_unplaced(set(sorted(placed, key=distance)[:size]), best, item_ids, rng, size)


def sharing_a_theme(f: Formulation, best: Solution, item_ids: list[str], rng: random.Random,
                    size: int) -> set[str]:
    """The items of one theme (at most `size`, drawn at random): their clashes re-solved."""
    themes = sorted({t for i in item_ids for t in f.items[i].themes})
    theme = themes[rng.randrange(len(themes))]
    members = [i for i in item_ids if theme in f.items[i].themes]
    return with_unplaced(set(rng.sample(members, min(size, len(members)))), best, item_ids,
                         rng, size)


def in_two_rooms(f: Formulation, best: Solution, item_ids: list[str], rng: random.Random,
                 size: int) -> set[str]:
    """The items of two rooms (at most `size`, drawn at random): items swap rooms."""
    rooms = sorted({slot.room for slot in best.chosen.values()})
    if len(rooms) < 2:
        return near_a_time(f, best, item_ids, rng, size)
    chosen = set(rng.sample(rooms, 2))
    members = [i for i in item_ids if i in best.chosen and best.chosen[i].room in chosen]
    rng.shuffle(members)
    return with_unplaced(set(members[:size]), best, item_ids, rng, size)


def at_random(f: Formulation, best: Solution, item_ids: list[str], rng: random.Random,
              size: int) -> set[str]:
    return with_unplaced(set(rng.sample(item_ids, min(size, len(item_ids)))), best, item_ids,
                         rng, size)


def with_unplaced(free: set[str], best: Solution, item_ids: list[str], rng: random.Random,
                  size: int) -> set[str]:
    """`free` and up to half as many items not placed, drawn at random: one of them may fit
    where the freed ones leave room."""
    unplaced = [i for i in item_ids if i not in best.chosen and i not in free]
    return free | set(rng.sample(unplaced, min(len(unplaced), max(1, size // 2))))


def neighbourhood_kinds(f: Formulation) -> list[Callable]:
    kinds = [near_a_time, in_two_rooms, at_random]
    if any(item.themes for item in f.items.values()):
        kinds.append(sharing_a_theme)
    return kinds
