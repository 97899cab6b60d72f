"""The result folder `solve` writes and `check`, `show` and the exports read:
schedule.csv (one row per placed DC item), unscheduled.csv (a reason per request not placed),
metrics.json, after a re-solve against a baseline changes.csv, after a DC Day's reservation
displaced.csv, and manifest.json (what was written: `folders.py`). It is written whole, as one
folder, or not at all."""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

from ..reserve import DISPLACED_COLUMNS
from ..schedule import SCHEDULE_COLUMNS, ScheduleRow, Unscheduled
from .files import csv_bytes, json_bytes, replace_file
from .folders import read_manifest

KIND = "result"
CHANGES = "changes.csv"
DISPLACED = "displaced.csv"
CHANGE_COLUMNS = ("request_id", "dc_ids", "change", "before", "after", "reason")


def schedule_bytes(rows: list[ScheduleRow]) -> bytes:
    return csv_bytes(SCHEDULE_COLUMNS, [row.cells() for row in rows])


def write_schedule(path: Path, rows: list[ScheduleRow]) -> None:
    """A lone schedule.csv (any schedule `check` reads), not a result folder."""
    replace_file(Path(path), schedule_bytes(rows))


def holds_result(out: Path) -> bool:
    """An earlier result is in `out` (a solve that finds no schedule must not replace it)."""
    manifest = read_manifest(out) if Path(out).is_dir() else None
    return manifest is not None and manifest.kind == KIND


def result_files(rows: list[ScheduleRow], unscheduled: list[Unscheduled], metrics: dict,
                 changes: list[dict] | None = None,
                 displaced: list[dict] | None = None) -> dict[str, bytes]:
    """Every file of the result folder but its manifest (name -> bytes); `write_folder(out,
    KIND, files)` writes it."""
    files = {"schedule.csv": schedule_bytes(rows),
             "unscheduled.csv": csv_bytes(tuple(f.name for f in fields(Unscheduled)),
                                          [{**asdict(e), "dc_ids": ";".join(e.dc_ids)}
                                           for e in unscheduled]),
             "metrics.json": json_bytes(metrics)}
    if changes is not None:
        files[CHANGES] = csv_bytes(tuple(changes[0]) if changes else CHANGE_COLUMNS, changes)
    if displaced is not None:
        files[DISPLACED] = csv_bytes(DISPLACED_COLUMNS, displaced)
    return files
