"""The result folder `solve` writes and `check`, `show` and the exports read:
schedule.csv (one row per placed DC item), unscheduled.csv (a reason per request not placed)
and metrics.json."""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

from ..schedule import SCHEDULE_COLUMNS, ScheduleRow, Unscheduled
from .files import write_csv, write_json


def write_schedule(path: Path, rows: list[ScheduleRow]) -> None:
    write_csv(path, SCHEDULE_COLUMNS, [row.cells() for row in rows])


def write_unscheduled(path: Path, entries: list[Unscheduled]) -> None:
    write_csv(path, tuple(f.name for f in fields(Unscheduled)),
              [{**asdict(e), "dc_ids": ";".join(e.dc_ids)} for e in entries])


def write_result(out: Path, rows: list[ScheduleRow], unscheduled: list[Unscheduled],
                 metrics: dict) -> None:
    write_schedule(out / "schedule.csv", rows)
    write_unscheduled(out / "unscheduled.csv", unscheduled)
    write_json(out / "metrics.json", metrics)
