"""Slugs: the parts of file names and ids the exports and the site make from names and ids.

python-slugify transliterates rather than drops what is not ASCII ("Lillestrøm" -> "lillestrom",
"Día 2" -> "dia-2"), so that a page's address still reads as its name.
"""

from __future__ import annotations

from typing import Callable

from slugify import slugify


def slug(text: str, separator: str = "-", keep_case: bool = False) -> str:
    """`text` as ASCII letters and digits joined by `separator` ('' when nothing is left)."""
    return slugify(text, separator=separator, lowercase=not keep_case)


def id_slug(identifier: str) -> str:
    """An id (a DC's, say) as a file name part, its case kept: 'DC-Blockchain' stays as it is."""
    return slug(identifier, keep_case=True) or "_"


def unique(names: list[str], make: Callable[[str], str]) -> dict[str, str]:
    """`make(name)` for each name, with '-2', '-3', ... added where two would coincide (compared
    without case, for case-insensitive file systems)."""
    taken: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = candidate = make(name)
        n = 2
        while candidate.lower() in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate.lower())
        taken[name] = candidate
    return taken
