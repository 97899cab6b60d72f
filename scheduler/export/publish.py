"""`igf-sched publish RESULT --out SITE`: the next numbered version of a result, with every
export format made change-aware by the versions before (`releases`), written into SITE whole
(`folders.write_folder`: built beside it and swapped in, with its manifest), the earlier
versions kept as they were."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from . import formats
from .folders import claimed, write_folder
from .releases import (Release, kept_files, next_release, read_release, release_files,
                       release_numbers, same_publication)
from .source import ExportSource

KIND = "publication"


@dataclass(frozen=True)
class Publication:
    release: Release
    new: bool                 # False: the result is the last version, written again as it was
    written: list[Path]


def _same_unscheduled(site_folder: Path, release: Release, source: ExportSource) -> bool:
    kept = site_folder / "releases" / str(release.number) / "unscheduled.csv"
    return kept.read_bytes() == (source.folder / "unscheduled.csv").read_bytes()


def publish(source: ExportSource, out: Path, at: dt.datetime) -> Publication:
    """Publish `source` into the site folder `out` at moment `at` (aware, UTC).

    `out` is new, empty or a folder an earlier publish wrote (anything else: InputError). A
    result whose items and requests not placed are those of the last version publishes that
    version again (its number and moment, so the same bytes); otherwise version N + 1, whose
    moment must come after version N's."""
    out = Path(out)
    with claimed(out, KIND):      # refused before any work: a folder publish did not write
        return _publish(source, out, at)


def _publish(source: ExportSource, out: Path, at: dt.datetime) -> Publication:
    numbers = release_numbers(out)
    last = read_release(out, numbers[-1]) if numbers else None
    if last is not None and same_publication(last, source.rows) \
            and _same_unscheduled(out, last, source):
        release, new_files = last, {}
    else:
        if last is not None and at <= last.published:
            raise InputError("--at", f"{at:%Y-%m-%dT%H:%M:%SZ} is not after version "
                                     f"{last.number}'s publication ({last.version})")
        release = next_release(last, source.rows, at)
        new_files = release_files(release, source.folder, source.scenario.name)
    published = dataclasses.replace(source, release=release)
    files = kept_files(out) | new_files
    for rendered in formats.render(published, list(formats.FORMATS)).values():
        files.update(rendered)
    written = write_folder(out, KIND, files)
    return Publication(release, bool(new_files), written)
