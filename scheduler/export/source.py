"""What every export is made from: a result folder written by `solve` (or `compare`), with the
dataset and scenario it was solved from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..domain import Dataset
from ..eligibility import EligibilityReport
from ..errors import InputError
from ..load import load_dataset
from ..scenario import Scenario, load_scenario
from ..schedule import ScheduleRow, Unscheduled, read_schedule, read_unscheduled


@dataclass(frozen=True)
class ExportSource:
    folder: Path
    dataset: Dataset
    scenario: Scenario
    rows: list[ScheduleRow]
    unscheduled: list[Unscheduled]
    metrics: dict

    @cached_property
    def report(self) -> EligibilityReport:
        return EligibilityReport(self.dataset, self.scenario.eligibility)


def load_source(folder: str | Path, scenario: str | Path | None = None,
                overrides: tuple[str, ...] = ()) -> ExportSource:
    """The result in `folder`, solved from `scenario` (default: the one its metrics.json names)."""
    folder = Path(folder)
    metrics_path = folder / "metrics.json"
    if not metrics_path.is_file():
        raise InputError(metrics_path, "not found: is this a folder written by `solve`?")
    try:
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(metrics_path, f"not valid JSON: {exc}") from None
    if scenario is None:
        if not isinstance(metrics, dict) or not isinstance(metrics.get("scenario_path"), str):
            raise InputError(metrics_path, "key 'scenario_path' is missing: give --scenario")
        scenario = metrics["scenario_path"]
    spec = load_scenario(scenario, overrides)
    return ExportSource(folder, load_dataset(spec.dataset_path), spec,
                        read_schedule(folder / "schedule.csv"),
                        read_unscheduled(folder / "unscheduled.csv"), metrics)
