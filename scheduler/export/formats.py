"""The export formats by name, each a module of this package with `render(source) -> {name:
bytes}` (names relative to the export folder). Modules are imported only when asked for, so
that one format's library is needed only by those who use it.

An export folder is written whole (`folders.write_folder`): every format asked for is rendered
in memory first, so bad input stops the export before anything is written. Formats exported
into the folder earlier stay, each file marked in the manifest with the format that wrote it;
the files of a format exported again are all replaced (a DC no longer placed keeps no calendar).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from ..errors import InputError
from .folders import check_replaceable, claimed, write_folder
from .source import ExportSource

KIND = "export"
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
    """The files of each format of `names`, by format (each file by its name in the folder)."""
    options = {"csv": {"delimiter": delimiter}}
    return {n: module(n).render(source, **options.get(n, {})) for n in names}


def export(source: ExportSource, name: str, out: Path, *, delimiter: str = ",") -> list[Path]:
    """Write format `name` (or every one for 'all') of `source` into folder `out`, beside the
    other formats exported there before; returns the files of the formats written."""
    names = list(FORMATS) if name == ALL else [name]
    out = Path(out)
    with claimed(out, KIND):
        earlier = check_replaceable(out, KIND)
        files: dict[str, bytes] = {}
        parts: dict[str, str] = {}
        if earlier is not None:
            for file, entry in earlier.files.items():
                if entry.get("part") not in names and (out / file).is_file():
                    files[file], parts[file] = (out / file).read_bytes(), entry.get("part")
        written = []
        for n, rendered in render(source, names, delimiter=delimiter).items():
            for file, data in rendered.items():
                if file in files and parts[file] not in names:
                    raise InputError(out / file, f"written by the {parts[file]} format "
                                     f"exported here before: export {n} into another folder")
                files[file], parts[file] = data, n
                written.append(out / file)
        write_folder(out, KIND, files, parts=parts)
    return written
