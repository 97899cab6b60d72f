"""The bytes of the files the tool writes (CSV, JSON), and the checks before writing. Whole
folders are written by `folders.write_folder`."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from ..errors import InputError

# A cell that a spreadsheet would run as a formula starts with one of these (OWASP, "CSV
# injection"): `=`, `+`, `-`, `@`, and a tab or carriage return before one of them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(text: str) -> str:
    """`text` as a spreadsheet shows it without running it: a leading `'` where it would start
    a formula (OWASP's rule for CSV files opened in Excel, LibreOffice, Google Sheets)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def from_text_cell(text: str) -> str:
    """The text `as_text_cell` was given, for the tool's own reading of such a file."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


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


def replace_file(path: Path, data: bytes) -> None:
    """One file, written beside itself under a unique name and renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
