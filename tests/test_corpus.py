"""The corpus of damaged and unusual inputs (`tests/corpus/cases.txt`): each case changes a copy
of a small, valid workspace (a dataset, two scenarios, a solved result folder), runs one
command in-process, and expects an exit code and words in the output.

Every case also holds the promises that concern every input: no traceback; on exit 2, exactly
one `error:` line on stderr (any other line a `warning:`), and no file anywhere in the workspace
created, changed or removed, so a failed run never changes an existing result.
"""

from __future__ import annotations

import csv
import io
import json
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from factory import small_tables, write_dataset, write_scenario
from scheduler.cli import main
from scheduler.export.folders import MANIFEST, manifest_bytes

CASES = Path(__file__).parent / "corpus" / "cases.txt"


# --- the changes a case can make ---------------------------------------------------------------

def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _table(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_text(path), newline="")))


def _write_table(path: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def _replace(path: Path, old, new, count: int = 1) -> None:
    data = path.read_bytes()
    old_b, new_b = (x if isinstance(x, bytes) else x.encode("utf-8") for x in (old, new))
    assert old_b in data, f"corpus: {old!r} is not in {path.name}"
    path.write_bytes(data.replace(old_b, new_b, count))


def text(path, old, new):
    """Replace the first occurrence of `old` (str or bytes)."""
    _replace(path, old, new)


def every(path, old, new):
    """Replace every occurrence of `old`."""
    _replace(path, old, new, -1)


def write(path, content=""):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def prepend(path, content):
    write(path, (content if isinstance(content, bytes) else content.encode()) + path.read_bytes())


def append(path, content):
    write(path, path.read_bytes() + (content if isinstance(content, bytes) else content.encode()))


def delete(path):
    path.unlink()


def folder(path):
    """A folder where the file should be."""
    path.unlink()
    path.mkdir()


def lose_rows(path, count):
    """The last `count` rows gone, as from a write cut short between two rows."""
    rows = _table(path)
    _write_table(path, rows[:-count])


def cut(path, count):
    """The last `count` bytes gone, as from a write cut short inside a row."""
    write(path, path.read_bytes()[:-count])


def crlf(path):
    write(path, _text(path).replace("\n", "\r\n"))


def encode(path, encoding):
    path.write_bytes(_text(path).encode(encoding))


def cell(path, row, column, value):
    """Set the cell of spreadsheet row `row` (the header is row 1) in column `column`."""
    rows = _table(path)
    rows[row - 1][rows[0].index(column)] = value
    _write_table(path, rows)


def rename(path, column, new):
    rows = _table(path)
    rows[0][rows[0].index(column)] = new
    _write_table(path, rows)


def drop(path, column):
    rows = _table(path)
    index = rows[0].index(column)
    _write_table(path, [row[:index] + row[index + 1:] for row in rows])


def twice(path, column):
    """The column once more at the end, with the same cells."""
    rows = _table(path)
    index = rows[0].index(column)
    _write_table(path, [row + [row[index]] for row in rows])


def drop_row(path, row):
    """Delete spreadsheet row `row` (the header is row 1)."""
    rows = _table(path)
    _write_table(path, rows[:row - 1] + rows[row:])


def add_column(path, name, value):
    rows = _table(path)
    _write_table(path, [rows[0] + [name]] + [row + [value] for row in rows[1:]])


def reverse(path):
    """Columns in the opposite order."""
    _write_table(path, [row[::-1] for row in _table(path)])


def separator(path, delimiter):
    _write_table(path, _table(path), delimiter)


def header_only(path):
    write(path, _text(path).partition("\n")[0] + "\n")


def json_key(path, key, value):
    data = json.loads(_text(path))
    data[key] = value
    write(path, json.dumps(data))


CHANGES = {f.__name__: f for f in (text, every, write, prepend, append, delete, folder, crlf,
                                   lose_rows, cut, encode, cell, rename, drop, twice, drop_row,
                                   add_column, reverse, separator, header_only, json_key)}


# --- the cases -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    name: str
    changes: str      # 'FILE CHANGE ARGS && FILE CHANGE ARGS', or '-'
    command: str
    exit_code: int
    expected: str     # words the output must hold ('' = no check)

    def apply(self, workspace: Path) -> None:
        if self.changes == "-":
            return
        for change in self.changes.split(" && "):
            file, _, rest = change.strip().partition(" ")
            name, _, arguments = rest.strip().partition(" ")
            # Arguments are Python expressions, so that a case can write bytes, '\r\n' or
            # 'x' * 20000; nothing but literals and operators is in reach.
            values = eval(f"({arguments},)", {"__builtins__": {}}) if arguments.strip() else ()
            CHANGES[name](workspace / file, *values)


def read_cases() -> list:
    cases = []
    for number, line in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in line.split(" | ")]
        assert len(fields) == 5, f"cases.txt line {number}: expected 5 fields, got {fields}"
        name, changes, command, exit_code, expected = fields
        cases.append(pytest.param(Case(name, changes, command, int(exit_code), expected),
                                  id=name))
    return cases


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """data/ (the small dataset; D3 has closed archives, so R3 is not placed), scenario.toml and
    other.toml (naming the dataset relative to themselves), result/ solved from scenario.toml
    (its metrics.json naming the scenario relative to the folder, so the copy is movable)."""
    root = tmp_path_factory.mktemp("corpus")
    tables = small_tables()
    tables["coalitions"][2]["open_archives"] = "no"
    write_dataset(root / "data", tables)
    for name in ("scenario", "other"):
        write_scenario(root / f"{name}.toml", Path("data"), eligibility={"open_principles": True},
                       solver={"time_limit": 5})
    solved = CliRunner().invoke(main, ["solve", str(root / "scenario.toml"), "--out",
                                       str(root / "result"), "--quiet"])
    assert solved.exit_code == 0, solved.output
    json_key(root / "result" / "metrics.json", "scenario_path", "../scenario.toml")
    reseal(root / "result")
    return root


def reseal(folder: Path) -> None:
    """The manifest of a result folder changed on purpose by the fixture, made again."""
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != MANIFEST}
    (folder / MANIFEST).write_bytes(manifest_bytes("result", files))


def snapshot(workspace: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(workspace)): p.read_bytes() if p.is_file() else None
            for p in sorted(workspace.rglob("*"))}


@pytest.mark.parametrize("case", read_cases())
def test_corpus(case: Case, template: Path, tmp_path: Path, monkeypatch):
    workspace = tmp_path / "ws"
    shutil.copytree(template, workspace)
    case.apply(workspace)
    before = snapshot(workspace)
    monkeypatch.chdir(workspace)

    result = CliRunner(env={"COLUMNS": "10000"}).invoke(main, shlex.split(case.command))

    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception   # a traceback: show it whole
    assert result.exit_code == case.exit_code, result.output
    assert case.expected in result.output, result.output
    if case.exit_code == 2:
        lines = result.stderr.splitlines()
        assert sum(line.startswith("error: ") for line in lines) == 1 or \
            result.stderr.startswith("Usage:"), result.stderr
        assert all(line.startswith(("error: ", "warning: ")) for line in lines) or \
            result.stderr.startswith("Usage:"), result.stderr
        assert snapshot(workspace) == before, "a failed run changed the workspace"


def test_corpus_covers_every_command_and_file_type():
    cases = [param.values[0] for param in read_cases()]
    assert len(cases) >= 60
    commands = {shlex.split(case.command)[0] for case in cases}
    assert commands >= {"eligibility", "solve", "check", "show", "compare", "sweep"}
    changed = " ".join(case.changes for case in cases) + " ".join(c.command for c in cases)
    for file in ("event.toml", "rooms.csv", "programme.csv", "coalitions.csv", "requests.csv",
                 "people.csv", "scenario.toml", "--set", "result/schedule.csv",
                 "result/unscheduled.csv", "result/metrics.json"):
        assert file in changed, f"no case changes {file}"
