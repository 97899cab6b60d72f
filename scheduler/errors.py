"""Bad input: the error that stops a command, and the warnings about values that are probably
mistakes. Both name where the problem is: file and, where known, row and column."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator


def place(file: str, row: int | None, column: str | None) -> str:
    """'rooms.csv, row 3, column 'capacity'': rows are counted as a spreadsheet shows them (the
    header is row 1, the first record row 2)."""
    where = [file]
    if row is not None:
        where.append(f"row {row}")
    if column is not None:
        where.append(f"column '{column}'")
    return ", ".join(where)


class InputError(Exception):
    """Bad input: the message names the file and, where known, the row and column."""

    def __init__(self, file: str | Path, message: str, *, row: int | None = None,
                 column: str | None = None):
        self.file = str(file)
        self.row = row
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __reduce__(self):
        # Keyword-only arguments: tell pickle how to rebuild it (compare solves in processes).
        return (_rebuild, (self.file, self.message, self.row, self.column))

    def __str__(self) -> str:
        return f"{place(self.file, self.row, self.column)}: {self.message}"


def _rebuild(file, message, row, column) -> InputError:
    return InputError(file, message, row=row, column=column)


@dataclass(frozen=True)
class InputWarning:
    """A value that is accepted but is probably a mistake (a room of capacity 0, say)."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        return f"{place(self.file, self.row, self.column)}: {self.message}"


# Who hears about warnings while input is read: the command line prints them; a library user
# reads `Dataset.warnings` or listens with `on_warning`. A context variable rather than a global
# list, so that nested listeners and threads do not see each other's warnings.
_listeners: ContextVar[tuple[Callable[[InputWarning], None], ...]] = ContextVar(
    "input_warning_listeners", default=())


def warn(file: str | Path, message: str, *, row: int | None = None,
         column: str | None = None) -> InputWarning:
    warning = InputWarning(str(file), message, row, column)
    for listener in _listeners.get():
        listener(warning)
    return warning


@contextmanager
def on_warning(listener: Callable[[InputWarning], None]) -> Iterator[None]:
    """Call `listener` with every warning raised by reading input inside the block."""
    token = _listeners.set((*_listeners.get(), listener))
    try:
        yield
    finally:
        _listeners.reset(token)
