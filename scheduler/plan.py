"""The pipeline, one way: dataset + scenario -> eligibility -> mode -> model -> solution ->
placements -> rows and reasons -> metrics.

Everything that can reject the input happens in `prepare`, before any model is built, so that
`compare` can check every scenario before it solves any.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Callable, Protocol

from . import reasons
from .domain import Dataset, Pin, ProgrammeSession, Request
from .eligibility import EligibilityReport
from .errors import InputError
from .load import load_dataset
from .metrics import programme_minutes_lost, recounted_solver_figures, schedule_metrics
from .model.block.mode import BlockMode
from .model.choice import formulation_for, max_cuts_for
from .model.dc_day import DC_DAY_GOALS, DcDayMode
from .model.formulation import Formulation
from .model.goals import SOFT_GOALS
from .model.greedy import greedy, placement_reward
from .model.individual import IndividualMode
from .model.intervals import Intervals
from .model.items import Item, Placement, Slot
from .model.mixed import MixedMode
from .model.moving_programme import (check_ids, displaced_items, first_pass_scenario,
                                     fixed_programme, keeps_its_places, programme_items,
                                     programme_placements, repair_scenario, with_homes)
from .model.rules import HARD_RULES
from .model.slots import Context, starts_of_items
from .model.solve import Interrupted, Solution, after, clock_stopped, first_guess, solve
from .model.stages import PLACEMENT_TERMS, remaining, share
from .model.time_indexed import TimeIndexed
from .reserve import Reservation, reserve_for_dc_day
from .rows import placements_of, schedule_rows
from .scenario import Scenario
from .schedule import Baseline, ScheduleRow, Unscheduled, with_moved_programme


class Mode(Protocol):
    """A way of giving DCs time. It decides WHAT items exist; the shared model places them.

    `items` are placed under every rule of `rules.HARD_RULES` and goal of `goals.SOFT_GOALS`;
    `check_input` rejects a scenario the mode cannot work with (before any model is built);
    `constrain` adds the mode's own variables, rules and goals; `placements` reads a solution.
    """

    name: str

    def items(self) -> list[Item]: ...
    def check_input(self, ctx: Context) -> None: ...
    def constrain(self, f: Formulation) -> None: ...
    def placements(self, f: Formulation, solution: Solution) -> list[Placement]: ...


MODES: dict[str, type] = {"individual": IndividualMode, "dc_day": DcDayMode, "block": BlockMode,
                          "mixed": MixedMode}
FORMULATIONS: dict[str, type[Formulation]] = {"time_indexed": TimeIndexed, "interval": Intervals}


@dataclass
class Result:
    scenario: Scenario
    dataset: Dataset                         # as given (the programme before any reservation)
    report: EligibilityReport
    solution: Solution
    rows: list[ScheduleRow]
    unscheduled: list[Unscheduled]
    metrics: dict
    changes: list[dict] | None = None        # against a baseline: what moved, and why
    reservation: Reservation | None = None   # a DC Day's: the programme sessions it displaces
    # displaced session id -> why it is not placed again (those placed again are rows)
    why_dropped: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def displaced(self) -> tuple[ProgrammeSession, ...]:
        return self.reservation.displaced if self.reservation else ()


def check_references(scenario: Scenario, dataset: Dataset) -> None:
    """Every day and room the scenario names exists in the dataset."""
    days, rooms = set(dataset.day_by_label), set(dataset.room_by_id)
    named = [("capacity.days", scenario.capacity.days, days),
             ("capacity.rooms", scenario.capacity.rooms, rooms),
             ("block.days", scenario.block.days, days),
             ("block.rooms", scenario.block.rooms, rooms),
             ("dc_day.day", (scenario.dc_day.day,) if scenario.mode == "dc_day" else (), days),
             ("dc_day.rooms", scenario.dc_day.rooms, rooms),
             ("attendance.presence", tuple(scenario.attendance.presence), days)]
    for key, values, known in named:
        for value in values:
            if value not in known:
                raise InputError(scenario.source, f"key '{key}': unknown "
                                 f"{'room' if 'rooms' in key else 'day'} '{value}'")


def eligible_only(report: EligibilityReport, requests) -> list[Request]:
    """The requests that pass every eligibility rule: the only ones a mode ever sees."""
    return [r for r in requests if report.request_failure(r) is None]


def eligible_pins(report: EligibilityReport, baseline: Baseline | None) -> dict[str, Pin]:
    """The pins by request; a pinned request must be placed, so it must be eligible."""
    pins = {pin.request_id: pin for pin in (baseline.pins if baseline else ())}
    for request_id, pin in pins.items():
        if reason := report.request_failure(report.dataset.request_by_id[request_id]):
            source = baseline.source(request_id)
            raise InputError(source.path, f"{pin} cannot be kept: {reason}", row=source.row,
                             column=source.column)
    return pins


def prepare(dataset: Dataset, scenario: Scenario, baseline: Baseline | None = None,
            reservation: Reservation | None = None):
    """The eligibility report, the mode and the context, once every input check has passed.
    `reservation`: the DC Day's, which `plan` makes once (made here when not given)."""
    check_references(scenario, dataset)
    if reservation is None:
        reservation = reserve_for_dc_day(dataset, scenario)
    dataset = reservation.dataset
    if scenario.mode not in MODES:
        raise InputError(scenario.source, f"key 'mode': mode '{scenario.mode}' is not "
                         f"available (available: {', '.join(MODES)})")
    check_ids(dataset, scenario)
    if scenario.mode == "dc_day" and scenario.programme.movable != "none":
        raise InputError(scenario.source, "key 'programme.movable': a DC Day moves only the "
                         "programme sessions its reservation displaces (dc_day.reserve); use "
                         "mode individual, block or mixed to move the programme")
    report = EligibilityReport(dataset, scenario.eligibility)
    # The model's programme is the part that stays; `[programme] movable` sessions are items.
    fixed = fixed_programme(dataset, scenario)
    mode = MODES[scenario.mode](fixed, scenario, eligible_only(report, dataset.requests),
                                eligible_pins(report, baseline))
    ctx = Context.of(fixed)
    mode.check_input(ctx)
    return report, mode, ctx


def build(dataset: Dataset, scenario: Scenario, baseline: Baseline | None = None,
          homes: dict | None = None, reservation: Reservation | None = None):
    """The mode and the model with every hard rule and soft goal, in the formulation the
    scenario names (`[solver] formulation`; "auto": `choice.formulation_for`, and `f.scenario`
    names the one taken);
    `homes` (item id -> slot) start the search (`Item.home`), and so does a `baseline`, whose
    placements the `moved` goal keeps. The sessions a DC Day's `reservation` displaces are
    items to place again (`model.moving_programme.displaced_items`); those that cannot be are
    in `f.no_slot_reason`."""
    if reservation is None:
        reservation = reserve_for_dc_day(dataset, scenario)
    report, mode, ctx = prepare(dataset, scenario, baseline, reservation)
    before = {p.item_id: p for p in placements_of(baseline.rows)} if baseline else None
    homes = {**(homes or {}), **{item_id: Slot(p.day, p.start, p.room)
                                 for item_id, p in (before or {}).items()}}
    displaced, unplaceable = displaced_items(dataset, reservation)
    items = with_homes(mode.items() + programme_items(reservation.dataset, scenario)
                       + displaced, homes)
    starts = starts_of_items(items, ctx)
    formulation = formulation_for(scenario, items, {i: s for i, (s, _) in starts.items()},
                                  ctx.dataset.event.granularity)
    scenario = scenario.model_copy(update={"solver": scenario.solver.model_copy(
        update={"formulation": formulation, "max_cuts": max_cuts_for(scenario, formulation)})})
    f = FORMULATIONS[formulation](items, ctx, scenario, before, starts)
    f.no_slot_reason.update(unplaceable)
    for rule in HARD_RULES:
        rule(f)
    mode.constrain(f)
    for goal in SOFT_GOALS:
        if getattr(scenario.weights, goal.__name__):
            goal(f)
    return report, mode, f


def plan(dataset: Dataset, scenario: Scenario, progress: Callable[[str], None] | None = None,
         baseline: Baseline | None = None) -> Result:
    """Solve `scenario` on `dataset`; with a `baseline` (an earlier schedule and pins), keep its
    pins and move as few of its placements as the `moved` goal asks. Ctrl-C or SIGTERM during
    the search ends it with the best schedule found (`solution.ended_by` "interrupt"); during
    a solve before it (the first pass), `Interrupted` is raised, and during the placement pass
    its best schedule is the result, said to be interrupted (`Interrupted` when it has none)."""
    started = time.perf_counter()
    given, reservation = dataset, reserve_for_dc_day(dataset, scenario)
    dataset = reservation.dataset
    homes = first_pass(given, scenario, progress)
    placement, stopped_in_pass = None, False
    if not homes:
        try:
            placement, homes = placement_pass(given, scenario, baseline, reservation, progress)
        except Interrupted as stop:
            if not stop.solution.has_schedule:
                raise
            placement, homes, stopped_in_pass = stop.solution, stop.solution.chosen, True
    searched = scenario
    if placement is not None:
        searched = scenario.model_copy(update={"solver": remaining(scenario.solver,
                                                                   [placement])})
    report, mode, f = build(given, searched, baseline, homes, reservation)
    if progress and scenario.solver.formulation == "auto" \
            and f.scenario.solver.formulation == "interval":
        progress(f"  a large model: the {f.scenario.solver.formulation} formulation "
                 f"(solver.formulation = \"auto\")")
    try:
        solution = the_pass_schedule(f, progress) if stopped_in_pass else \
            solve(f, f.scenario.solver, progress)
    except Interrupted as stop:
        # The best schedule the search found is the result, said to be interrupted.
        solution = stop.solution
    if placement is not None:
        solution = after_placement_pass(placement, solution)
    if solution.status == "infeasible":
        solution.why = reasons.moved_sessions_without_slot(f) or \
            reasons.requirements_in_conflict(
                dataset, scenario, conflicting_requirements(given, scenario, baseline,
                                                            reservation),
                f.no_slot_reason, moving=sum(item.kind == "programme" and item.required
                                             for item in f.items.values()))
    placements = mode.placements(f, solution) + programme_placements(f.items, solution.chosen) \
        if solution.has_schedule else []
    rows = schedule_rows(dataset, f.items, placements,
                         baseline.pinned_ids if baseline else frozenset())
    unscheduled = reasons.unscheduled(dataset, report, mode, f, solution, rows)
    figures = recounted_solver_figures(given, scenario, report, rows, {
        **solution.figures(), "formulation": f.scenario.solver.formulation},
        baseline.rows if baseline else ())
    metrics = schedule_metrics(given, scenario, report, rows, unscheduled, figures, reservation)
    changes = None
    if baseline is not None and solution.has_schedule:
        changes = reasons.changes(dataset, f, solution, baseline.rows, rows, unscheduled,
                                  baseline.withdrawn)
        metrics["changes"] = reasons.count_changes(changes)
    if scenario.mode == "dc_day":
        metrics["dc_day"]["shortfall"] = reasons.dc_day_shortfall(
            dataset, scenario, report, rows, unscheduled, f.ctx)
    metrics.update(reservation.figures(rows))
    metrics["programme_minutes_lost"] = programme_minutes_lost(reservation.displaced, rows)
    why_dropped = {s.session_id: reasons.why_not_placed(f, s.session_id, solution)
                   for s in reservation.displaced if s.session_id not in solution.chosen}
    metrics["wall_seconds"] = round(time.perf_counter() - started, 3)
    return Result(scenario, given, report, solution, rows, unscheduled, metrics,
                  changes=changes, reservation=reservation, why_dropped=why_dropped)


def requirements(scenario: Scenario, baseline: Baseline | None) -> list:
    """What a scenario requires placed, beyond what it may place: the DC Day's plenaries and
    the pins. Only these can leave a scenario without any schedule."""
    plenaries = [role for role in ("opening", "closing")
                 if scenario.mode == "dc_day" and getattr(scenario.dc_day, role)]
    return plenaries + list(baseline.pins if baseline else ())


def without(scenario: Scenario, baseline: Baseline | None, kept: list):
    """The scenario and baseline requiring only `kept` of their requirements."""
    dc_day = scenario.dc_day.model_copy(update={role: 0 for role in ("opening", "closing")
                                                if role not in kept})
    relaxed = scenario.model_copy(update={"dc_day": dc_day})
    if baseline is not None:
        baseline = dataclasses.replace(baseline, pins=tuple(p for p in baseline.pins
                                                            if p in kept))
    return relaxed, baseline


def conflicting_requirements(dataset: Dataset, scenario: Scenario, baseline: Baseline | None,
                             reservation: Reservation) -> list:
    """A smallest set of requirements that cannot hold together (a deletion filter: drop each
    one whose absence leaves the rest still without a schedule). Each trial is a solve of its
    own, with a short time limit; a trial that ends undecided keeps the requirement."""
    settings = scenario.solver.model_copy(update={"time_limit": min(10.0,
                                                                    scenario.solver.time_limit)})

    def infeasible(kept: list) -> bool:
        relaxed, relaxed_baseline = without(scenario, baseline, kept)
        _, _, f = build(dataset, relaxed.model_copy(update={"solver": settings}),
                        relaxed_baseline, reservation=reservation)
        return solve(f, f.scenario.solver).status == "infeasible"

    core = requirements(scenario, baseline)
    for requirement in list(core):
        trial = [r for r in core if r is not requirement]
        if infeasible(trial):
            core = trial
    return core


# The most of a scenario's limits the placement pass may take (it ends sooner when it proves
# its placement best: at once on the generated IGF-shaped DC Days, after 27.6 of 60 units on
# the dense request set).
PLACEMENT_PASS_SHARE = 0.5


def placement_pass(dataset: Dataset, scenario: Scenario, baseline: Baseline | None,
                   reservation: Reservation, progress) -> tuple[Solution | None, dict]:
    """The search for the schedule that places the most (the placement terms alone,
    `stages.PLACEMENT_TERMS`) on a model without the other goals, within
    `PLACEMENT_PASS_SHARE` of the limits (`[solver] placement_pass`), and its schedule for the
    whole search to start from (item id -> slot) when it places more than the first guess
    (else none: the first guess, which weighs the other goals, is the better start). (None,
    {}) where there is no pass to make: not asked, a mode whose blocks the greedy does not
    place (block, mixed), an earlier schedule or a moving programme giving the start, nothing
    but placement to weigh, or a first guess that leaves out only what the session quota
    keeps out."""
    settings = scenario.solver
    weights = scenario.weights
    # `moved` counts nothing without an earlier schedule (and with one there is no pass).
    goals = SOFT_GOALS + (DC_DAY_GOALS if scenario.mode == "dc_day" else ())
    others = [goal.__name__ for goal in goals if goal.__name__ not in (*PLACEMENT_TERMS, "moved")
              and getattr(weights, goal.__name__)]
    if not settings.placement_pass or scenario.mode not in ("individual", "dc_day") \
            or baseline is not None or scenario.programme.movable != "none" \
            or settings.stages != "one" or not settings.hint or not others:
        return None, {}
    light = scenario.model_copy(update={
        "weights": weights.model_copy(update={name: 0 for name in others}),
        "solver": share(settings, PLACEMENT_PASS_SHARE)})
    _, _, f = build(dataset, light, reservation=reservation)
    guess = greedy(f)
    if not leaves_out_what_fits(f, guess):
        return None, {}
    if progress:
        limit = light.solver.time_limit
        progress(f"  placement pass: as many requests as the rules allow, on a model of "
                 f"placement alone (at most {limit:g} "
                 + ("units of work" if settings.deterministic else "s")
                 + "; the figures below are of placement alone)")
    solution = solve(f, f.scenario.solver, progress)
    more = solution.has_schedule and round(solution.objective) > sum(
        placement_reward(f.scenario.weights, f.items[i]) for i in guess)
    if progress and solution.has_schedule:
        requests = [i for i, item in f.items.items() if item.kind == "session"]
        progress(f"  placement pass: {sum(i in solution.chosen for i in requests)} of "
                 f"{len(requests)} requests placed"
                 + (" (the most there can be)" if solution.status == "optimal" else "")
                 + ("; the whole search starts from there" if more else
                    ", no more than the first guess: the whole search starts from it"))
    return solution, dict(solution.chosen) if more else {}


def the_pass_schedule(f: Formulation, progress) -> Solution:
    """The placement pass's schedule, the model's first guess (its homes), scored on the whole
    model without a search: the result of a solve interrupted during the pass."""
    f.warm_start(progress)
    f.set_objective()
    guess = first_guess(f, f.scenario.solver)
    if guess is None:
        raise Interrupted(Solution("unknown", None, None, None, 0.0, ended_by="interrupt"))
    return dataclasses.replace(guess, ended_by="interrupt", first_guess=False)


def leaves_out_what_fits(f: Formulation, chosen: dict) -> bool:
    """The greedy schedule `chosen` leaves out an item it need not place (a request, or a
    session a DC Day displaces) that the session quota would let in."""
    quota = f.scenario.capacity.max_dc_sessions
    sessions = sum(f.items[i].kind == "session" for i in chosen)
    quota_full = quota is not None and sessions >= quota
    return any(not item.required and item_id not in chosen
               and not (item.kind == "session" and quota_full)
               for item_id, item in f.items.items())


def after_placement_pass(placement: Solution, solution: Solution) -> Solution:
    """The whole search's solution counted from the start of the placement pass before it: its
    work, seconds and the times of its schedules; ended by the time limit when the clock
    stopped the pass and the schedule is not proven best."""
    counted = after(placement, solution)
    if counted.status != "optimal" and clock_stopped(placement):
        counted = dataclasses.replace(counted, ended_by="time limit")
    return counted


def first_pass(dataset: Dataset, scenario: Scenario, progress) -> dict:
    """Where the items go before the whole search, when the scenario moves the programme
    (`[programme] first_pass`): item id -> slot, the whole search's start. When the programme
    as given breaks a rule the model holds moved sessions to (a person's transition between two
    of its sessions), the programme is first placed alone (`repaired_programme`); then the DC
    items around the programme as it stands after that."""
    fixed = first_pass_scenario(scenario)
    if fixed is None:
        return {}
    repaired = repaired_programme(dataset, scenario, progress)
    if progress:
        progress(f"  first, the DC items around the programme as it stands (at most "
                 f"{fixed.solver.time_limit:g}s)")
    _, _, f = build(with_moved_programme(dataset, repaired), fixed)
    return {**{row.item_id: Slot(row.day, row.start, row.room) for row in repaired},
            **solve(f, f.scenario.solver).chosen}


def repaired_programme(dataset: Dataset, scenario: Scenario, progress) -> list[ScheduleRow]:
    """The moving programme placed alone, as rows of kind programme, when the programme as given
    is not a schedule of the model (none when it is, or when no schedule is found in time)."""
    alone = repair_scenario(scenario)
    if alone is None:
        return []
    bare = dataclasses.replace(dataset, requests=())
    _, _, f = build(bare, alone)
    if keeps_its_places(f.items, greedy(f)):
        return []
    if progress:
        progress(f"  the programme as given breaks a rule moved sessions keep (a transition): "
                 f"placing it alone first (at most {alone.solver.time_limit:g}s)")
    solution = solve(f, f.scenario.solver)
    return schedule_rows(bare, f.items, programme_placements(f.items, solution.chosen),
                         frozenset()) if solution.has_schedule else []


def unless_interrupted(result: Result) -> Result:
    """The result, or KeyboardInterrupt when Ctrl-C or SIGTERM stopped its search: a caller that
    solves many scenarios (compare, sweep, --suggest's trials) stops at an interrupt, whole."""
    if result.solution.ended_by == "interrupt":
        raise KeyboardInterrupt
    return result


def plan_scenario(scenario: Scenario, progress=None) -> Result:
    return plan(load_dataset(scenario.dataset_path), scenario, progress)
