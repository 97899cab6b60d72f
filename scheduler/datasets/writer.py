"""The one writer of dataset folders (`igf-sched generate` and `igf-sched import`): a folder in
the data contract (SPEC §3) is written whole or not at all. Its files are staged in a hidden
folder beside `out`, the staged folder must pass `load.load_dataset`, and only then is it renamed
into place; a non-empty `out` is refused unless the caller was told to replace it (`--force`).
"""

from __future__ import annotations

import contextvars
import csv
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

from ..domain import Dataset
from ..errors import InputError
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


def check_out_folder(out: Path, force: bool) -> None:
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(out, "exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InputError(out, "the folder is not empty; pass --force to replace it")


def write_dataset(files: dict[str, str], out: str | Path, force: bool = False) -> Dataset:
    """Write the dataset folder (file name -> text) whole or not at all: into a temporary folder
    beside `out`, checked with `load_dataset`, then renamed into place (replacing `out` only if
    `force`). Returns the dataset as loaded; its warnings name the staging folder, so they are
    not sent to the caller's listeners (a command that reads `out` later prints them)."""
    from ..load import load_dataset

    out = Path(out)
    check_out_folder(out, force)
    target = out.resolve()  # `--out .` has no name to stage beside
    staging = target.parent / f".{target.name}.writing-{os.getpid()}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if staging.exists():  # left by a process that was killed
            shutil.rmtree(staging)
        staging.mkdir()
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        # A fresh context: no listener of the caller hears the staged folder's warnings.
        dataset = contextvars.Context().run(load_dataset, staging)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.rename(target, old / "dataset")
            os.rename(staging, target)
            shutil.rmtree(old)
        else:
            os.rename(staging, target)
    except InputError as exc:
        if Path(exc.file).parent != staging:
            raise
        # The loader judged the staged copy: name the file as it would have been written.
        raise InputError(out / Path(exc.file).name, f"{exc.message} (not written)",
                         row=exc.row, column=exc.column) from None
    except OSError as exc:
        raise InputError(out, f"cannot write the dataset: {exc.strerror or exc}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return dataset
