"""The export formats by name, each a module of this package with `write(source, out) -> list
of files written` (out is a folder). Modules are imported only when asked for, so that one
format's library is needed only by those who use it.

The formats made here build their files in memory first (`render(source) -> {name: bytes}`) and
`write_files` puts them in place together: a format's files are written whole or not at all.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from ..errors import InputError
from .files import write_files
from .source import ExportSource

FORMATS = {
    "csv": "scheduler.export.csv_excel",       # schedule and not-placed lists for Excel
    "xlsx": "scheduler.export.xlsx",           # the Secretariat's workbook
    "ics": "scheduler.export.ics",             # a calendar per DC and one with every DC item
    "frab": "scheduler.export.frab",           # frab schedule.xml (conference apps)
    "json": "scheduler.export.json_schedule",  # schedule.json as pretalx publishes it
    "html": "scheduler.export.site",           # the public site
}
ALL = "all"


def module(name: str) -> ModuleType:
    if name not in FORMATS:
        raise InputError("--format", f"unknown format '{name}' (known: "
                                     f"{', '.join([*FORMATS, ALL])})")
    return importlib.import_module(FORMATS[name])


def render(source: ExportSource, names: list[str], *, delimiter: str = ","
           ) -> dict[str, dict[str, bytes]]:
    """The files of each format of `names` that renders in memory, by format."""
    options = {"csv": {"delimiter": delimiter}}
    modules = {n: module(n) for n in names}
    return {n: m.render(source, **options.get(n, {}))
            for n, m in modules.items() if hasattr(m, "render")}


def export(source: ExportSource, name: str, out: Path, *, delimiter: str = ",") -> list[Path]:
    """Write format `name` (or every one for 'all') of `source` into folder `out`.

    Every format that renders in memory is rendered before anything is written, so bad input
    stops the export before the first file."""
    names = list(FORMATS) if name == ALL else [name]
    modules = {n: module(n) for n in names}
    rendered = render(source, names, delimiter=delimiter)
    written: list[Path] = []
    for n, m in modules.items():
        if n in rendered:
            files = write_files(Path(out), rendered[n])
            if hasattr(m, "prune"):   # files of an earlier export that are now wrong
                m.prune(Path(out), files)
            written.extend(files)
        else:
            written.extend(m.write(source, Path(out)))
    return written
