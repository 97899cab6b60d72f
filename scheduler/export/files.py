"""Atomic file writing: each file goes to a temporary name beside it and is renamed into place,
so a reader never sees a half-written file and a failed write leaves the old one intact."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import IO, Callable

from ..errors import InputError


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


def check_writable_folder(folder: Path) -> None:
    """Refuse, before any work, an output folder that cannot be made or written: a file in its
    place or on its path, or no permission (InputError naming it)."""
    existing = Path(folder)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(folder, f"cannot write: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(folder, f"cannot write: no permission to write in {existing}")


def csv_bytes(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    handle = io.StringIO(newline="")
    writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return handle.getvalue().encode("utf-8")


def json_bytes(data) -> bytes:
    return (json.dumps(data, indent=2, default=str) + "\n").encode("utf-8")


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    write_files(path.parent, {path.name: csv_bytes(columns, rows)})


def write_json(path: Path, data) -> None:
    write_files(path.parent, {path.name: json_bytes(data)})


def write_files(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file (name relative to out) to a temporary name beside it, then rename them
    all into place; if any write fails, none is renamed and the temporaries are removed."""
    targets = [(out / name, data) for name, data in files.items()]
    temporaries: list[tuple[Path, Path]] = []
    try:
        for path, data in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp")
            temporaries.append((temporary, path))
            temporary.write_bytes(data)
            if path.is_dir():     # found before any file is renamed into place
                raise IsADirectoryError(21, "Is a directory", str(path))
        for temporary, path in temporaries:
            os.replace(temporary, path)
    except OSError as exc:   # e.g. a folder where a file should go, no permission, disk full
        where = exc.filename2 or exc.filename or out
        raise InputError(where, f"cannot write: {exc.strerror or exc}") from None
    finally:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
    return [path for path, _ in targets]

