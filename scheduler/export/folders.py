"""The folders the tool writes, and the promises about them:

- **The user's files are never touched.** Every folder the tool writes (a result, an export, a
  site, a published site, a comparison, a sweep, a generated dataset or its scenarios) holds
  `manifest.json`: what wrote it and, for each file, its size, row count (CSV) and SHA-256. The
  tool replaces only such a folder, of the same kind, holding nothing but the files its
  manifest lists, unchanged; a new or empty folder is taken too. Anything else is refused (`InputError`, exit 2) naming the file
  in the way, before any work is done.
- **A folder is written whole.** It is built in a temporary folder beside it (a unique name per
  run), the manifest last, and then swapped in with one atomic exchange of the two names (Linux
  `renameat2(RENAME_EXCHANGE)`; elsewhere two renames, and a later run puts a folder a kill left
  aside back). A kill, Ctrl-C, a full disk or any error leaves the earlier folder or the new one,
  never a mix and never an empty new folder.
- **Readers check it.** `verify` refuses a folder whose files differ from its manifest (a file
  cut short, rows lost, one file of another run beside the others, a file it does not list),
  naming the file. A folder without a manifest is read as made by hand, with a warning (that is
  how to use a result edited on purpose: delete its manifest.json).
- **One run per folder at a time.** A run holds an exclusive lock (`flock` on a file beside the
  folder, released by the system if the process dies) from before it starts its work until the
  folder is in place; a second run into the same folder is refused at once.
"""

from __future__ import annotations

import csv
import ctypes
import errno
import fcntl
import glob
import hashlib
import io
import itertools
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import InputError, warn

MANIFEST = "manifest.json"
KINDS = {"result": "a result written by `solve`",
         "comparison": "a comparison written by `compare`",
         "sweep": "a sweep written by `sweep`",
         "export": "an export written by `export`",
         "site": "a site written by `site`",
         "publication": "a published site written by `publish`",
         "dataset": "a dataset written by `generate` or `import`",
         "scenarios": "scenarios written by `generate --scenarios`"}
_TEMPORARY = ".igf-sched-"      # in the names of the temporary folders beside a folder


# --- the manifest ----------------------------------------------------------------------------

def _rows(data: bytes) -> int:
    """CSV records after the header (a quoted cell may hold a line break)."""
    return max(0, sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8", "replace"),
                                                        newline=""))) - 1)


def describe(name: str, data: bytes, part: str | None = None) -> dict:
    entry = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if name.endswith(".csv"):
        entry["rows"] = _rows(data)
    if part is not None:
        entry["part"] = part
    return entry


def manifest_bytes(kind: str, files: dict[str, bytes], parts: dict[str, str] | None = None
                   ) -> bytes:
    """The manifest of a folder of `kind` holding `files` (name relative to it -> bytes);
    `parts` names, for an export, the format that wrote each file."""
    parts = parts or {}
    manifest = {"written_by": "igf-sched", "kind": kind,
                "files": {name: describe(name, data, parts.get(name))
                          for name, data in sorted(files.items())}}
    return (json.dumps(manifest, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Manifest:
    folder: Path
    kind: str
    files: dict[str, dict]

    def part_of(self, name: str) -> str | None:
        return self.files[name].get("part")


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest, None when it has none."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        files = data["files"]
        if not isinstance(files, dict) or not all(
                isinstance(e, dict) and isinstance(e.get("sha256"), str) for e in files.values()):
            raise TypeError
        return Manifest(Path(folder), str(data["kind"]), files)
    except (ValueError, KeyError, TypeError):
        raise InputError(path, "damaged: not a manifest written by igf-sched") from None


def _walk(folder: Path) -> Iterator[str]:
    """Every file under `folder` (symbolic links too), relative and '/'-separated: a folder's
    own files first, in name order, then its subfolders'. Lazy: a huge folder given by mistake
    is not read to the end to be refused."""
    for root, folders, names in os.walk(folder):
        folders.sort()
        base = Path(root).relative_to(folder)
        links = [name for name in folders if (Path(root) / name).is_symlink()]
        yield from ((base / name).as_posix() for name in sorted([*names, *links]))


def _files_in(folder: Path) -> list[str]:
    return sorted(_walk(folder))


def _count(number, unit: str) -> str:
    return f"{number} {unit}" + ("" if number == 1 else "s")


def _difference(path: Path, entry: dict) -> str | None:
    """How the file at `path` differs from its manifest entry; None when it does not."""
    if not path.exists():
        return "is missing"
    if path.is_symlink() or not path.is_file():
        return "is a folder, not a file" if path.is_dir() else "is not a file"
    data = path.read_bytes()
    if len(data) == entry.get("bytes") and hashlib.sha256(data).hexdigest() == entry["sha256"]:
        return None
    written = _count(entry.get("bytes"), "byte")
    now = _count(len(data), "byte")
    if "rows" in entry:
        written = f"{_count(entry['rows'], 'row')}, {written}"
        now = f"{_count(_rows(data), 'row')}, {now}"
    cut = " and ends mid-row" if path.suffix == ".csv" and data and not data.endswith(b"\n") \
        else ""
    return f"was written with {written}; it now has {now}{cut}"


def verify(folder: str | Path, kind: str) -> None:
    """Refuse (InputError naming the file) a folder of `kind` that does not hold exactly the
    files its manifest lists, as written. A folder without a manifest is read as made by hand
    (a warning says so)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        warn(folder, f"no {MANIFEST}: read as made or edited by hand, not checked to be whole")
        return
    if manifest.kind != kind:
        raise InputError(folder, f"holds {KINDS.get(manifest.kind, manifest.kind)}, not "
                                 f"{KINDS[kind]}")
    hint = (f"the folder was changed or damaged after igf-sched wrote it: write it again, or, "
            "if it was edited on purpose, give the file itself where a command takes one "
            f"(check, --baseline) or delete {folder / MANIFEST} to read the folder as edited "
            "by hand")
    for name, entry in manifest.files.items():
        path = folder / name
        if not path.exists():
            raise InputError(path, f"file not found, though {MANIFEST} lists it: the folder "
                                   "is not whole; write it again")
        if (difference := _difference(path, entry)) is not None:
            raise InputError(path, f"not as {MANIFEST} lists it: it {difference}; " + hint)
    for name in _files_in(folder):
        if name != MANIFEST and name not in manifest.files:
            raise InputError(folder / name, f"not listed in {MANIFEST}, so not part of what "
                                            f"igf-sched wrote; {hint}")


# --- which folders may be replaced -----------------------------------------------------------

def check_replaceable(out: Path, kind: str) -> Manifest | None:
    """Refuse (InputError, before any work) an output folder the tool may not replace: one that
    holds a file it did not write, or a file changed since, or another kind of folder. Returns
    the folder's manifest (None for a new or empty folder)."""
    out = Path(out)
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise InputError(out, "exists and is not a folder")
    for parent in _target(out).parents:
        if (parent / MANIFEST).is_file():   # it would no longer be as its manifest lists it
            raise InputError(out, f"is inside {parent}, which igf-sched wrote whole: give a "
                                  "folder outside it")
    if not out.exists() or not any(out.iterdir()):
        return None
    manifest = read_manifest(out)
    if manifest is None:
        shown = ", ".join(itertools.islice(_walk(out), 3)) or "only empty folders"
        raise InputError(out, f"the folder is not empty and was not written by igf-sched (no "
                              f"{MANIFEST}; it holds {shown}): the tool never replaces "
                              "files it did not write; give a new or empty folder")
    if manifest.kind != kind:
        raise InputError(out, f"holds {KINDS.get(manifest.kind, manifest.kind)}, not "
                              f"{KINDS[kind]}: give another folder")
    for name in _files_in(out):
        if name == MANIFEST:
            continue
        if name not in manifest.files:
            raise InputError(out / name, "was not written by igf-sched (it is not in "
                                         f"{MANIFEST}): the folder is not replaced; move the "
                                         "file away or give another folder")
        difference = _difference(out / name, manifest.files[name])
        if difference is not None and difference != "is missing":
            raise InputError(out / name, f"changed since igf-sched wrote it (it {difference}): "
                                         "the folder is not replaced; move the file away or "
                                         "give another folder")
    return manifest


# --- one run per folder ------------------------------------------------------------------------

_held: dict[Path, int] = {}     # folders this process has claimed, and how many times


def _lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.igf-sched.lock"


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; returns those created, deepest first."""
    created = []
    missing = folder
    while not missing.exists():
        created.append(missing)
        missing = missing.parent
    folder.mkdir(parents=True, exist_ok=True)
    return created


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def _target(out: str | Path) -> Path:
    """The absolute folder `out` names (`--out .` has no name to put anything beside)."""
    return Path(os.path.abspath(out))


@contextmanager
def claimed(out: str | Path, kind: str) -> Iterator[None]:
    """Hold `out` for this run: refuse a folder the tool may not replace, and a folder another
    run holds; clean up what a killed run left beside it. Nested claims of one folder by one
    process are one claim."""
    out = _target(out)
    if out in _held:
        _held[out] += 1
        try:
            yield
        finally:
            _held[out] -= 1
        return
    check_replaceable(out, kind)
    try:
        created = _make_parents(out.parent)
        lock = _lock_path(out)
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(exc.filename or out, f"cannot write: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(out, "another igf-sched run is writing this folder now: wait "
                                  "for it to end, or give another folder") from None
        if os.fstat(handle).st_ino != os.stat(lock).st_ino:   # unlinked by a run just ending
            raise InputError(out, "another igf-sched run was writing this folder just now: "
                                  "run again")
        _clean_up_after_kill(out)
        check_replaceable(out, kind)
        _held[out] = 1
        try:
            yield
        finally:
            del _held[out]
    finally:
        try:
            os.unlink(lock)       # still holding the lock, so nobody else holds this file
        except OSError:
            pass
        os.close(handle)
        if not out.exists():
            _remove_empty(created)


def _clean_up_after_kill(out: Path) -> None:
    """Under the lock: temporary folders beside `out` belong to runs that were killed. A folder
    set aside by the two-rename swap (no atomic exchange) is put back if `out` is missing."""
    leftovers = sorted(out.parent.glob(f".{glob.escape(out.name)}{_TEMPORARY}*"))
    for path in leftovers:
        if path.suffix == ".old" and not out.exists() and read_manifest(path) is not None:
            os.rename(path, out)
    for path in leftovers:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)


# --- writing a folder whole ----------------------------------------------------------------------

def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_cwd, exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _swap_in(temporary: Path, out: Path) -> None:
    """Put the folder `temporary` in `out`'s place; the earlier `out`, if any, is removed."""
    if not out.exists():
        os.rename(temporary, out)
        return
    if _exchange(temporary, out):
        shutil.rmtree(temporary, ignore_errors=True)    # the earlier folder, now
        return
    aside = temporary.with_suffix(".old")
    os.rename(out, aside)
    try:
        os.rename(temporary, out)
    except OSError:
        os.rename(aside, out)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def write_folder(out: str | Path, kind: str, files: dict[str, bytes], *,
                 parts: dict[str, str] | None = None,
                 check: Callable[[Path], None] | None = None) -> list[Path]:
    """Write `files` (name relative to `out` -> bytes) as the whole folder `out`, with its
    manifest; `check(folder)` may refuse the built folder before it is put in place. Returns
    the files written (the manifest not among them)."""
    shown_out = Path(out)
    out = _target(out)
    with claimed(out, kind):
        temporary = None
        try:
            temporary = Path(tempfile.mkdtemp(prefix=f".{out.name}{_TEMPORARY}", suffix=".tmp",
                                              dir=out.parent))
            os.chmod(temporary, 0o755)
            for name, data in files.items():
                path = temporary / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            if check is not None:
                try:
                    check(temporary)
                except InputError as exc:      # named as the file will be, not the temporary
                    raise InputError(_shown(exc.file, temporary, shown_out), exc.message,
                                     row=exc.row, column=exc.column) from None
            (temporary / MANIFEST).write_bytes(manifest_bytes(kind, files, parts))
            check_replaceable(out, kind)      # a file someone put there while this run worked
            _swap_in(temporary, out)
        except OSError as exc:   # a full disk, no permission, a name the system refuses
            raise InputError(_shown(exc.filename, temporary, shown_out),
                             f"cannot write: {exc.strerror or exc}") from None
        finally:
            if temporary is not None and temporary.exists():
                shutil.rmtree(temporary, ignore_errors=True)
    return [shown_out / name for name in files]


def _shown(filename, temporary: Path | None, out: Path) -> Path:
    """The path a failed write names, as the user knows it (in `out`, not the temporary)."""
    if filename is None or temporary is None:
        return out
    path = Path(os.fsdecode(filename))
    try:
        return out / path.relative_to(temporary)
    except ValueError:
        return path
