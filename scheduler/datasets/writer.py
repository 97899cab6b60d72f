"""The one writer of dataset folders (`igf-sched generate` and `igf-sched import`): a folder in
the data contract (SPEC §3) is written whole or not at all, with its manifest
(`export.folders.write_folder`): built beside `out`, accepted by `load.load_dataset`, then swapped
in; a non-empty `out` is refused unless the caller was told to replace it (`--force`), and even
then only a dataset the tool wrote there.
"""

from __future__ import annotations

import contextvars
import csv
import io
import json
from pathlib import Path

from ..domain import Dataset
from ..errors import InputError
from ..export.folders import check_replaceable, write_folder
from ..load import REQUIRED_COLUMNS

# The data contract's columns, the optional `days` of a room and the kind of a DC's report.
COLUMNS = {name.removesuffix(".csv"): columns for name, columns in REQUIRED_COLUMNS.items()}
COLUMNS["rooms"] += ("days",)
COLUMNS["coalitions"] += ("annual_report_kind",)


def csv_text(columns: tuple[str, ...], rows: list[dict]) -> str:
    handle = io.StringIO()
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return handle.getvalue()


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def event_toml(event: dict) -> str:
    """`event.toml` from {name, timezone, granularity, days: [{label, date, open, close,
    breaks}]}, times as HH:MM text."""
    lines = [f"name = {toml_string(event['name'])}", f"timezone = {toml_string(event['timezone'])}",
             f"granularity = {event['granularity']}"]
    for day in event["days"]:
        breaks = ", ".join(toml_string(b) for b in day["breaks"])
        lines += ["", "[[days]]", f"label = {toml_string(day['label'])}", f"date = {day['date']}",
                  f"open = {toml_string(day['open'])}", f"close = {toml_string(day['close'])}",
                  f"breaks = [{breaks}]"]
    return "\n".join(lines) + "\n"


DATASET = "dataset"     # the kind of folder written here (`export.folders`)


def check_out_folder(out: Path, force: bool) -> None:
    """Refuse a non-empty folder unless `force`; even then, one holding anything but a dataset
    the tool wrote there (`export.folders`: the user's files are never replaced)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(out, "exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise InputError(out, "the folder is not empty; pass --force to replace a dataset "
                                  "igf-sched wrote there")
        check_replaceable(out, DATASET)


def write_dataset(files: dict[str, str], out: str | Path, force: bool = False) -> Dataset:
    """Write the dataset folder (file name -> text) whole or not at all, with its manifest:
    built beside `out`, checked with `load_dataset`, then swapped in (replacing `out` only if
    `force` and the tool wrote it). Returns the dataset as loaded; its warnings name the folder
    being built, so they are not sent to the caller's listeners (a command that reads `out`
    later prints them)."""
    from ..load import load_dataset

    out = Path(out)
    check_out_folder(out, force)
    loaded: list[Dataset] = []

    def check(folder: Path) -> None:
        # A fresh context: no listener of the caller hears the built folder's warnings.
        loaded.append(contextvars.Context().run(load_dataset, folder))

    write_folder(out, DATASET, {name: text.encode("utf-8") for name, text in files.items()},
                 check=check)
    return loaded[0]
