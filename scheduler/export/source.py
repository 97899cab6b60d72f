"""What `show` and every export read: a result folder written by `solve` (or `compare`), with
the dataset and scenario it was solved from, validated like a dataset is (a file that does not
match the folder's manifest, a missing file, an unknown column, a row naming something the
dataset does not have: an `InputError` naming file, row and column, never a traceback)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain import Dataset
from ..eligibility import EligibilityReport
from ..errors import InputError
from ..load import load_dataset, read_text, shown
from ..reserve import programme_as_scheduled, reserve_for_dc_day
from ..scenario import Scenario, load_scenario
from ..schedule import (ScheduleRow, Unscheduled, check_schedule_references,
                        check_unscheduled_references, read_changes, read_schedule_rows,
                        read_unscheduled_rows)
from .folders import MANIFEST, verify
from .result_folder import KIND as RESULT

if TYPE_CHECKING:
    from .releases import Release

RESULT_FILES = ("metrics.json", "schedule.csv", "unscheduled.csv")


@dataclass(frozen=True)
class ExportSource:
    folder: Path
    dataset: Dataset
    scenario: Scenario
    rows: list[ScheduleRow]
    unscheduled: list[Unscheduled]
    metrics: dict
    changes: tuple = ()          # changes.csv rows of a re-solve against a baseline
    release: Release | None = None   # the version `publish` makes of it (ids, sequences, ...)
    base_url: str = ""           # where the site is online: each event's url in frab and JSON

    @cached_property
    def report(self) -> EligibilityReport:
        return EligibilityReport(self.dataset, self.scenario.eligibility)


def with_base_url(source: ExportSource, text: str | None) -> ExportSource:
    """`source` with where its site is online (None: unknown), ending in '/' (frab's schema
    wants http or https)."""
    if text is None:
        return source
    url = text.strip()
    if not url.startswith(("http://", "https://")) or not url.split("//", 1)[1]:
        raise InputError("--base-url", f"'{text}' is not an http:// or https:// address")
    return dataclasses.replace(source, base_url=url if url.endswith("/") else url + "/")


def read_metrics(path: Path) -> dict:
    text = read_text(path)
    try:
        metrics = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON: {exc}") from None
    if not isinstance(metrics, dict):
        raise InputError(path, "not a metrics file: expected a JSON object {...}")
    return metrics


def recorded_scenario(metrics_path: Path, metrics: dict) -> Path:
    """The scenario the folder was solved from, as its metrics.json records it."""
    recorded = metrics.get("scenario_path")
    if not isinstance(recorded, str) or not recorded.strip():
        raise InputError(metrics_path, "key 'scenario_path' is missing: give --scenario")
    path = Path(recorded)
    if not path.is_absolute():   # written by hand or moved: relative to the result folder
        path = metrics_path.parent / path
    if not path.is_file():
        raise InputError(metrics_path, f"key 'scenario_path': the scenario '{shown(recorded)}' "
                         "is not found (moved?): give --scenario")
    return path


def load_source(folder: str | Path, scenario: str | Path | None = None,
                overrides: tuple[str, ...] = ()) -> ExportSource:
    """The result in `folder`, solved from `scenario` (default: the one its metrics.json names),
    each file read and checked against the dataset."""
    folder = Path(folder)
    if not folder.exists():
        raise InputError(folder, "result folder not found")
    if not folder.is_dir():
        raise InputError(folder, "is a file: give the folder `solve` wrote (with "
                         f"{', '.join(RESULT_FILES)})")
    written_whole = (folder / MANIFEST).is_file()
    if written_whole:
        verify(folder, RESULT)
    for name in RESULT_FILES:
        if not (folder / name).exists():
            raise InputError(folder / name, "file not found: is this a folder written by "
                             "`solve`?")
    if not written_whole:
        verify(folder, RESULT)      # says it is read as made by hand
    metrics_path = folder / "metrics.json"
    metrics = read_metrics(metrics_path)
    if scenario is None:
        scenario = recorded_scenario(metrics_path, metrics)
    spec = load_scenario(scenario, overrides)
    dataset = load_dataset(spec.dataset_path)
    rows = read_schedule_rows(folder / "schedule.csv")
    check_schedule_references(folder / "schedule.csv", rows, dataset)
    unscheduled = read_unscheduled_rows(folder / "unscheduled.csv")
    check_unscheduled_references(folder / "unscheduled.csv", unscheduled, dataset)
    # Every format shows the programme sessions the schedule moved at their new times, among
    # the programme (rather than as items of their own: they are not DC items), and the day as
    # a DC Day's reservation left it (the displaced sessions are not in its rooms).
    rows = [row for _, row in rows]
    dataset = programme_as_scheduled(reserve_for_dc_day(dataset, spec), rows)
    return ExportSource(folder, dataset, spec,
                        [row for row in rows if row.kind != "programme"],
                        [entry for _, entry in unscheduled], metrics,
                        tuple(read_changes(folder / "changes.csv")))
