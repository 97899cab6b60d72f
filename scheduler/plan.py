"""The pipeline: dataset + scenario -> eligibility -> mode's items -> model -> solution -> outputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from .domain import Dataset
from .eligibility import EligibilityReport
from .errors import InputError
from .load import load_dataset
from .metrics import schedule_metrics
from .model import intervals
from .model.block import BlockMode
from .model.dc_day import DcDayMode
from .model.goals import SOFT_GOALS
from .model.individual import IndividualMode
from .model.mixed import MixedMode
from .model.rules import HARD_RULES
from .model.slots import Context
from .model.solve import Solution, solve
from .model.variables import PlacementModel
from .scenario import Scenario
from .schedule import ScheduleRow, Unscheduled



class Mode(Protocol):
    """A way of giving DCs time. It decides WHAT items exist; the shared model places them.

    `items` are placed by `PlacementModel` under every rule of `rules.HARD_RULES` and goal of
    `goals.SOFT_GOALS`; `constrain` adds the mode's own variables, rules and goal terms;
    `rows` and `unscheduled` read the solution back (a reason for every request not placed).
    """

    name: str

    def items(self) -> list: ...
    def constrain(self, pm: PlacementModel) -> None: ...
    def rows(self, pm: PlacementModel, solution: Solution) -> list[ScheduleRow]: ...
    def unscheduled(self, pm: PlacementModel, solution: Solution) -> list[Unscheduled]: ...


MODES: dict[str, type] = {"individual": IndividualMode, "dc_day": DcDayMode, "block": BlockMode,
                          "mixed": MixedMode}


@dataclass
class Result:
    scenario: Scenario
    dataset: Dataset
    report: EligibilityReport
    solution: Solution
    rows: list[ScheduleRow]
    unscheduled: list[Unscheduled]
    metrics: dict


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


def prepare(dataset: Dataset, scenario: Scenario):
    """The eligibility report and the mode, once the scenario's references are checked.

    Everything that can reject the input happens here, so that `compare` can check every
    scenario before it solves any.
    """
    check_references(scenario, dataset)
    if scenario.mode not in MODES:
        raise InputError(scenario.source, f"key 'mode': mode '{scenario.mode}' is not "
                         f"available (available: {', '.join(MODES)})")
    intervals.check_supported(scenario)
    report = EligibilityReport(dataset, scenario.eligibility)
    return report, MODES[scenario.mode](dataset, scenario, report)


def build(dataset: Dataset, scenario: Scenario):
    """The mode and the placement model with every hard rule and soft goal in it (the interval
    model of `model/intervals.py` when `solver.formulation` is "interval")."""
    report, mode = prepare(dataset, scenario)
    if scenario.solver.formulation == "interval":
        return report, mode, intervals.build(mode.items(), Context.of(dataset), scenario)
    pm = PlacementModel(mode.items(), Context.of(dataset), scenario)
    for rule in HARD_RULES:
        rule(pm)
    mode.constrain(pm)
    for goal in SOFT_GOALS:
        if getattr(scenario.weights, goal.__name__):
            goal(pm)
    return report, mode, pm


def plan(dataset: Dataset, scenario: Scenario,
         progress: Callable[[str], None] | None = None) -> Result:
    report, mode, pm = build(dataset, scenario)
    solve_model = intervals.solve if scenario.solver.formulation == "interval" else solve
    solution = solve_model(pm, scenario.solver, progress)
    rows = mode.rows(pm, solution) if solution.has_schedule else []
    unscheduled = mode.unscheduled(pm, solution)
    metrics = schedule_metrics(dataset, scenario, report, rows, unscheduled, solution)
    return Result(scenario, dataset, report, solution, rows, unscheduled, metrics)


def plan_scenario(scenario: Scenario, progress=None) -> Result:
    return plan(load_dataset(scenario.dataset_path), scenario, progress)
