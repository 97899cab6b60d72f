"""A solve in stages (`[solver] stages = "placement_first"`; not the default, bench/RESULTS.md).
Stage 1: the placement terms alone (`placed`, and a DC Day's `displaced_placed`). Stage 2:
the whole objective with stage 1's best placement kept as a constraint, starting from stage
1's schedule. Then, unless that is proven best for the whole problem, a closing search of
the problem as stated, starting from stage 2's schedule.

Exactness. Let P be the placement terms' weighted sum, R the rest, `step` the smallest amount
by which P can change (the gcd of its coefficients) and R range between `low` and `high` (from
its variables' bounds). When `step > high - low`, placement is a strict priority: one more unit
of P outweighs anything R can change, every best schedule has the largest P, and with both
stages proven the schedule is proven best for the original objective.

The bound reported is always valid for the original problem. Stage 2's bound B2 holds for the
schedules with P >= P* (P*: stage 1's best, proven or not); any other schedule has
P <= P* - step, so its objective is at most P* - step + high. The staged bound is
max(B2, P* - step + high): B2 itself when placement is a strict priority (then
P* - step + high < P* + low, which stage 2's schedule reaches), a weaker figure otherwise. The
closing search's own bound holds as it is; the smaller of the two is reported, and the status
is "optimal" only when the bound is met.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Callable

from ..scenario import Solver as SolverSettings
from .formulation import Formulation
from .solve import LARGEST_OBJECTIVE, Interrupted, Solution, clock_stopped, solve_once

PLACEMENT_TERMS = ("placed", "displaced_placed")

# The shares of the work (or time) limit, fixed so that the same limits split the same way
# every run: stage 1 at most a third (what it does not use passes on), stage 2 half of what
# stage 1 left, and the closing search of the whole problem the rest.
STAGE_ONE_SHARE, STAGE_TWO_SHARE = 1 / 3, 1 / 2


def staged(f: Formulation, settings: SolverSettings) -> bool:
    """Whether to solve in stages: asked for (`[solver] stages = "placement_first"`), with
    placement terms and other terms both in the objective (else the stages would be one)."""
    names = {t.name for t in f.terms}
    return (settings.stages == "placement_first" and bool(names & set(PLACEMENT_TERMS))
            and bool(names - set(PLACEMENT_TERMS)))


def weighted(terms) -> object:
    return sum(t.sign * t.weight * t.expr for t in terms)


def linear_parts(f: Formulation, expr) -> tuple[int, list[int], list[int]]:
    """(offset, variable indices, coefficients) of a linear expression of the model, read from
    the model's objective set to it (the caller sets the objective it needs afterwards)."""
    f.cp.minimize(expr)
    objective = f.cp.proto.objective
    return int(objective.offset), list(objective.vars), list(objective.coeffs)


def strict_priority_figures(f: Formulation) -> tuple[int, int, int]:
    """(step, low, high): the smallest change of the placement terms' weighted sum, and the
    least and most the other terms' weighted sum can be (from its variables' bounds)."""
    placement = [t for t in f.terms if t.name in PLACEMENT_TERMS]
    rest = [t for t in f.terms if t.name not in PLACEMENT_TERMS]
    _, _, coefficients = linear_parts(f, weighted(placement))
    step = math.gcd(*(abs(c) for c in coefficients)) if coefficients else 0
    offset, indices, coefficients = linear_parts(f, weighted(rest))
    low = high = offset
    for index, c in zip(indices, coefficients):
        domain = list(f.cp.proto.variables[index].domain)     # (its [-1] reads item 0)
        low += min(c * domain[0], c * domain[-1])
        high += max(c * domain[0], c * domain[-1])
    return step, low, high


def placement_is_strict_priority(f: Formulation) -> bool:
    step, low, high = strict_priority_figures(f)
    f.set_objective()
    return step > high - low


def solve_in_stages(f: Formulation, settings: SolverSettings,
                    progress: Callable[[str], None] | None) -> Solution:
    """Stage 1: the placement terms alone. Stage 2: the whole objective, the placement terms
    kept at least at stage 1's best, from its schedule. Then, unless that is proven best for
    the whole problem, a closing search of the whole problem as stated from stage 2's schedule
    with the limits left: its bound holds as it is, and often closes a gap the staged bound
    (the module's docstring) leaves open. A stage 1 without a schedule (infeasible, or none
    found) is the answer."""
    placement = [t for t in f.terms if t.name in PLACEMENT_TERMS]
    step, low, high = strict_priority_figures(f)
    f.cp.maximize(weighted(placement))
    if progress:
        progress("  stage 1: placing as many requests as the rules allow (the figures below "
                 "are of placement alone)")
    try:
        first = solve_once(f, share(settings, STAGE_ONE_SHARE), progress)
    except Interrupted as stop:
        raise Interrupted(on_whole(f, stop.solution, high, stop.solution.bound))
    finally:
        f.set_objective()
    if not first.has_schedule:
        return first
    best_placement = sum(t.sign * t.weight * first.terms[t.name] for t in placement)
    # Without stage 2's bound: stage 1's bound on placement and the most the rest can be.
    first_bound = first.bound + high if first.bound is not None else None
    if progress:
        progress("  stage 2: the other goals, keeping stage 1's placements (the figures below "
                 "are of that stage)")
    try:
        second = starting_from(f, first, lambda: solve_once(
            f, share(remaining(settings, [first]), STAGE_TWO_SHARE), progress),
            keep=(weighted(placement), best_placement))
    except Interrupted as stop:
        raise Interrupted(staged_bound(stop.solution, first_bound, best_placement - step + high)
                          if stop.solution.has_schedule else on_whole(f, first, high, first.bound))
    spent = [first, second]
    if not second.has_schedule:
        return totalled(on_whole(f, first, high, first.bound), spent)
    result = staged_bound(second, first_bound, best_placement - step + high)
    if result.status == "optimal" or result.bound is None or used_up(settings, spent):
        return totalled(result, spent)
    if progress:
        progress("  closing search: the whole problem, from stage 2's schedule")
    closing = starting_from(f, second, lambda: solve_once(f, remaining(settings, spent),
                                                          progress))
    spent.append(closing)
    if closing.has_schedule and closing.bound is not None:
        best = closing if closing.objective >= result.objective else result
        result = with_bound(best, min(result.bound, closing.bound), closing.ended_by)
    return totalled(result, spent)


def staged_bound(second: Solution, first_bound: float | None, below: float) -> Solution:
    """Stage 2's solution with the staged bound (the module's docstring): stage 2's own where
    placement keeps stage 1's best (else stage 1's, `first_bound`), or `below`, the most a
    schedule placing less can score, whichever is larger; no bound when neither stage has
    one (the first guess, taken as it is)."""
    kept_region = second.bound if second.bound is not None else first_bound
    if kept_region is None:
        return dataclasses.replace(second, bound=None, gap=None)
    return with_bound(second, max(kept_region, below),
                      "stages" if second.status == "optimal" else None)


def on_whole(f: Formulation, solution: Solution, high: int, placement_bound: float | None
             ) -> Solution:
    """A stage 1 schedule on the whole objective: its terms weighed as the objective weighs
    them, and the bound of placement (`placement_bound`) plus the most the rest can be."""
    if not solution.has_schedule:
        return solution
    objective = sum(t.sign * t.weight * solution.terms[t.name] for t in f.terms)
    solution = dataclasses.replace(solution, objective=objective)
    if placement_bound is None:
        return dataclasses.replace(solution, status="feasible", bound=None, gap=None)
    return with_bound(solution, placement_bound + high, None)


def with_bound(solution: Solution, bound: float, ended_by: str | None) -> Solution:
    """The solution with a bound valid for the whole problem: its gap, and "optimal" only when
    the bound is met; `ended_by` when that is not the solution's own ending."""
    proven = bound <= solution.objective + 1e-9
    return dataclasses.replace(
        solution, status="optimal" if proven else "feasible", bound=bound,
        gap=abs(bound - solution.objective) / max(1.0, abs(solution.objective)),
        ended_by="proof" if proven else ended_by or solution.ended_by)


def totalled(solution: Solution, spent: list[Solution]) -> Solution:
    """The solution with the seconds and work of every stage, and the improvements of the
    stages after the first on the whole solve's count (stage 1's objective is another), ended
    by the time limit when the clock stopped any stage (`clock_stopped`)."""
    improvements, seconds, work = [], 0.0, 0.0
    for stage, done in enumerate(spent):
        if stage:
            improvements += [(at + seconds, units + work, objective, bound)
                             for at, units, objective, bound in done.improvements]
        seconds, work = seconds + done.seconds, work + done.work
    clock = solution.status != "optimal" and clock_stopped(*spent)
    return dataclasses.replace(solution, seconds=seconds, work=work,
                               first_seconds=spent[0].first_seconds, improvements=improvements,
                               ended_by="time limit" if clock else solution.ended_by)


def starting_from(f: Formulation, start: Solution, run: Callable[[], Solution],
                  keep: tuple | None = None) -> Solution:
    """`run` with `start`'s values as the hint and, given `keep` (expression, least value),
    that expression kept at least at that value; the hint as it was afterwards and the
    constraint made vacuous (CP-SAT's model cannot drop a constraint): later scorings of fixed
    schedules, reasons and what-ifs see the problem as stated."""
    proto = f.cp.proto
    hint = list(proto.solution_hint.vars), list(proto.solution_hint.values)
    values = list(start.solver.response_proto.solution) if start.solver is not None else []
    if len(values) == len(proto.variables):
        f.cp.clear_hints()
        proto.solution_hint.vars.extend(range(len(values)))
        proto.solution_hint.values.extend(values)
    kept = f.cp.add(keep[0] >= keep[1]).proto.linear if keep else None
    try:
        return run()
    finally:
        if kept is not None:
            kept.domain.clear()
            kept.domain.extend([-LARGEST_OBJECTIVE, LARGEST_OBJECTIVE])
        f.cp.clear_hints()
        proto.solution_hint.vars.extend(hint[0])
        proto.solution_hint.values.extend(hint[1])


def share(settings: SolverSettings, fraction: float) -> SolverSettings:
    """The settings with `fraction` of the time and work limits."""
    return settings.model_copy(update={
        "time_limit": settings.time_limit * fraction,
        "work_limit": settings.work_limit and settings.work_limit * fraction})


# Stage 2 always gets at least this much of a limit, even when stage 1 spent all of its own.
LEAST_LIMIT = 0.01


def remaining(settings: SolverSettings, spent: list[Solution]) -> SolverSettings:
    """The limits the stages `spent` left: their work counted off the work limit and, with
    `deterministic`, off the time limit (which then counts work too, `work_budget`); else
    their seconds off the time limit. A later stage follows a hint (the schedule of the one
    before) whatever `hint` says."""
    work = sum(stage.work for stage in spent)
    spent_time = work if settings.deterministic else sum(stage.seconds for stage in spent)
    return settings.model_copy(update={
        "time_limit": max(LEAST_LIMIT, settings.time_limit - spent_time),
        "work_limit": settings.work_limit and max(LEAST_LIMIT, settings.work_limit - work),
        "hint": True})


def used_up(settings: SolverSettings, spent: list[Solution]) -> bool:
    left = remaining(settings, spent)
    return min(left.time_limit, left.work_limit or left.time_limit) <= LEAST_LIMIT
