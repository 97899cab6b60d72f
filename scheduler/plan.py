"""The pipeline, one way: dataset + scenario -> eligibility -> mode -> model -> solution ->
placements -> rows and reasons -> metrics.

Everything that can reject the input happens in `prepare`, before any model is built, so that
`compare` can check every scenario before it solves any.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from . import reasons
from .domain import Dataset, ProgrammeSession, Request
from .eligibility import EligibilityReport
from .errors import InputError
from .load import load_dataset
from .metrics import programme_minutes_freed, schedule_metrics
from .model.block.mode import BlockMode
from .model.dc_day import DcDayMode
from .model.formulation import Formulation
from .model.goals import SOFT_GOALS
from .model.individual import IndividualMode
from .model.intervals import Intervals
from .model.items import Item, Placement
from .model.mixed import MixedMode
from .model.rules import HARD_RULES
from .model.slots import Context
from .model.solve import Solution, solve
from .model.time_indexed import TimeIndexed
from .reserve import reserve_for_dc_day
from .rows import schedule_rows
from .scenario import Scenario
from .schedule import ScheduleRow, Unscheduled


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
    dataset: Dataset
    report: EligibilityReport
    solution: Solution
    rows: list[ScheduleRow]
    unscheduled: list[Unscheduled]
    metrics: dict
    displaced: tuple[ProgrammeSession, ...] = ()    # programme sessions a DC Day displaces


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


def prepare(dataset: Dataset, scenario: Scenario):
    """The eligibility report, the mode and the context, once every input check has passed."""
    check_references(scenario, dataset)
    dataset = reserve_for_dc_day(dataset, scenario).dataset
    if scenario.mode not in MODES:
        raise InputError(scenario.source, f"key 'mode': mode '{scenario.mode}' is not "
                         f"available (available: {', '.join(MODES)})")
    report = EligibilityReport(dataset, scenario.eligibility)
    mode = MODES[scenario.mode](dataset, scenario, eligible_only(report, dataset.requests))
    ctx = Context.of(dataset)
    mode.check_input(ctx)
    return report, mode, ctx


def build(dataset: Dataset, scenario: Scenario):
    """The mode and the model (`[solver] formulation`) with every hard rule and soft goal."""
    report, mode, ctx = prepare(dataset, scenario)
    f = FORMULATIONS[scenario.solver.formulation](mode.items(), ctx, scenario)
    for rule in HARD_RULES:
        rule(f)
    mode.constrain(f)
    for goal in SOFT_GOALS:
        if getattr(scenario.weights, goal.__name__):
            goal(f)
    return report, mode, f


def plan(dataset: Dataset, scenario: Scenario,
         progress: Callable[[str], None] | None = None) -> Result:
    reservation = reserve_for_dc_day(dataset, scenario)
    dataset = reservation.dataset
    report, mode, f = build(dataset, scenario)
    solution = solve(f, scenario.solver, progress)
    placements = mode.placements(f, solution) if solution.has_schedule else []
    rows = schedule_rows(dataset, f.items, placements)
    unscheduled = reasons.unscheduled(dataset, report, mode, f, solution, rows)
    metrics = schedule_metrics(dataset, scenario, report, rows, unscheduled,
                               solution.figures())
    if scenario.mode == "dc_day":
        metrics["dc_day"]["shortfall"] = reasons.dc_day_shortfall(
            dataset, scenario, report, rows, unscheduled, f.ctx)
    metrics.update(reservation.figures())
    metrics["programme_minutes_freed"] = programme_minutes_freed(
        dataset, rows, metrics["displaced_room_minutes"])
    return Result(scenario, dataset, report, solution, rows, unscheduled, metrics,
                  reservation.displaced)


def plan_scenario(scenario: Scenario, progress=None) -> Result:
    return plan(load_dataset(scenario.dataset_path), scenario, progress)
