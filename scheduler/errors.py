"""The one error type for bad input: it always names where the problem is."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input: the message names the file and, where known, the row and column.

    Rows are counted as a spreadsheet shows them: the header is row 1, the first record row 2.
    """

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
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


def _rebuild(file, message, row, column) -> InputError:
    return InputError(file, message, row=row, column=column)
