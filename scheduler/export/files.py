"""Atomic file writing: each file goes to a temporary name beside it and is renamed into place,
so a reader never sees a half-written file and a failed write leaves the old one intact."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Callable, IO


def replace_atomically(path: Path, write: Callable[[IO], object], *, binary: bool = False) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        if binary:
            with open(temporary, "wb") as handle:
                write(handle)
        else:
            with open(temporary, "w", newline="", encoding="utf-8") as handle:
                write(handle)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    def write(handle):
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    replace_atomically(path, write)


def write_json(path: Path, data) -> None:
    replace_atomically(path, lambda handle: (json.dump(data, handle, indent=2, default=str),
                                             handle.write("\n")))
