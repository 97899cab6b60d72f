"""The result folder `solve` writes and `check`, `show` and the exports read:
schedule.csv (one row per placed DC item), unscheduled.csv (a reason per request not placed),
metrics.json, and after a re-solve against a baseline changes.csv. Its files are written
together, whole or not at all (`files.write_files`)."""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

from ..reserve import DISPLACED_COLUMNS
from ..schedule import SCHEDULE_COLUMNS, ScheduleRow, Unscheduled
from .files import csv_bytes, json_bytes, write_files

CHANGES = "changes.csv"
DISPLACED = "displaced.csv"


def schedule_bytes(rows: list[ScheduleRow]) -> bytes:
    return csv_bytes(SCHEDULE_COLUMNS, [row.cells() for row in rows])


def write_schedule(path: Path, rows: list[ScheduleRow]) -> None:
    write_files(path.parent, {path.name: schedule_bytes(rows)})


def holds_result(out: Path) -> bool:
    """An earlier result is in `out` (a solve that finds no schedule must not replace it)."""
    return (Path(out) / "metrics.json").is_file()


def write_result(out: Path, rows: list[ScheduleRow], unscheduled: list[Unscheduled],
                 metrics: dict, changes: list[dict] | None = None,
                 displaced: list[dict] | None = None) -> list[Path]:
    """Every file of the result at once; a changes.csv of an earlier re-solve is removed when
    this result has none (it would describe another schedule), and so is a displaced.csv (the
    programme sessions a DC Day's reservation displaces) when this result reserves nothing."""
    files = {"schedule.csv": schedule_bytes(rows),
             "unscheduled.csv": csv_bytes(tuple(f.name for f in fields(Unscheduled)),
                                          [{**asdict(e), "dc_ids": ";".join(e.dc_ids)}
                                           for e in unscheduled]),
             "metrics.json": json_bytes(metrics)}
    if changes is not None:
        files[CHANGES] = csv_bytes(tuple(changes[0]) if changes else CHANGE_COLUMNS, changes)
    if displaced is not None:
        files[DISPLACED] = csv_bytes(DISPLACED_COLUMNS, displaced)
    written = write_files(Path(out), files)
    if changes is None:
        (Path(out) / CHANGES).unlink(missing_ok=True)
    if displaced is None:
        (Path(out) / DISPLACED).unlink(missing_ok=True)
    return written


CHANGE_COLUMNS = ("request_id", "dc_ids", "change", "before", "after", "reason")
