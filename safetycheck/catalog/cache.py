"""A cache of the validated catalog, so that ``list``, ``show`` and ``run`` start fast.

Why: parsing and validating every checklist costs more than Python's own start-up. The cache
holds the decoded models, keyed by a fingerprint of every file's path, size and modification
time (and the program's version and language), so any edit makes it miss. ``validate`` never
uses it. ``SAFETYCHECK_NO_CACHE=1`` turns it off. Several entries are kept, least recently used
first out, so switching between folders (with and without ``./checklists`` or ``--checklists``)
hits every time; their number and total size are bounded.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import msgspec

from safetycheck import __version__
from safetycheck.errors import Location, Problem
from safetycheck.inputfiles import real_path

MAX_ENTRIES = 8  # folder sets remembered at once
MAX_TOTAL_BYTES = 64 * 1024 * 1024  # all entries together


class CachedProblem(msgspec.Struct, frozen=True):
    """A problem as stored in the cache."""

    path: str
    line: int
    column: int
    message: str
    pointer: str = ""


class CachedEntry(msgspec.Struct, frozen=True):
    """A loaded checklist or profile as stored in the cache."""

    kind: str
    path: str
    sha256: str
    origin: str
    id: str
    title: str
    aliases: list[str]
    model: msgspec.Raw  # the checklist or profile as msgpack, decoded when a command needs it


class CatalogCache(msgspec.Struct):
    """Everything ``open_catalog`` produces, minus the YAML position maps.

    Checklists and sources stay encoded (``msgspec.Raw``) until used: ``run`` of one checklist
    decodes that one only.
    """

    sources: msgspec.Raw  # list[models.SourceFile]
    entries: list[CachedEntry]
    shadowed: list[CachedEntry]
    problems: list[CachedProblem]
    files: list[str]


def is_enabled() -> bool:
    """False when ``SAFETYCHECK_NO_CACHE`` is set to anything but 0 or empty."""
    return os.environ.get("SAFETYCHECK_NO_CACHE", "") in ("", "0")


def cache_dir() -> Path:
    """Where the cache lives (the user's cache folder; overridable for tests)."""
    override = os.environ.get("SAFETYCHECK_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("safetycheck", appauthor=False))


def fingerprint(folders: Iterable[tuple[Path, str]], lang: str) -> str:
    """A key that changes whenever any file the catalog reads changes."""
    code = Path(__file__).resolve().parent
    h = hashlib.sha256(f"{__version__}\0{lang}\0".encode())
    for name in ("models.py", "checklist.py", "validation.py", "../messages.py", "yamlsource.py", "catalog.py"):
        st = (code / name).stat()
        h.update(f"{name}\0{st.st_mtime_ns}\0{st.st_size}\0".encode())
    for folder, origin in folders:
        h.update(f"[{real_path(folder)}\0{origin}]".encode())
        for sub in (folder / "sources", folder, folder / "profiles"):
            try:
                names = sorted(os.listdir(sub))  # noqa: PTH208 - names only, no Path objects: start-up path
            except OSError:
                continue
            for name in names:
                if not name.endswith((".yaml", ".yml")):
                    continue
                try:
                    st = (sub / name).stat()
                except OSError:
                    continue
                h.update(f"{sub / name}\0{st.st_mtime_ns}\0{st.st_size}\0".encode())
    return h.hexdigest()[:32]


def read(key: str) -> CatalogCache | None:
    """The cached catalog for ``key``, or None (missing, stale format or unreadable)."""
    path = cache_dir() / f"catalog-{key}.bin"
    try:
        data = msgspec.msgpack.decode(path.read_bytes(), type=CatalogCache)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    try:
        os.utime(path)  # the modification time orders the entries for eviction
    except OSError:
        pass
    return data


def write(key: str, data: CatalogCache) -> None:
    """Store the catalog atomically; a cache that cannot be written is silently skipped."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        raw = msgspec.msgpack.encode(data)
        _evict(folder, room=len(raw))
        tmp = folder / f".catalog-{key}.{os.getpid()}.tmp"
        tmp.write_bytes(raw)
        tmp.replace(folder / f"catalog-{key}.bin")
    except OSError:
        pass


def _evict(folder: Path, room: int) -> None:
    """Delete the least recently used entries until one more of ``room`` bytes fits the bounds."""
    entries = []
    for path in folder.glob("catalog-*.bin"):
        try:
            st = path.stat()
        except OSError:
            continue
        entries.append((st.st_mtime_ns, st.st_size, path))
    entries.sort(reverse=True)  # newest first
    kept, total = 0, room
    for _mtime, size, path in entries:
        if kept + 1 < MAX_ENTRIES and total + size <= MAX_TOTAL_BYTES:
            kept += 1
            total += size
        else:
            path.unlink(missing_ok=True)


def to_problem(p: CachedProblem) -> Problem:
    """A cached problem back as a Problem."""
    return Problem(Location(p.path, p.line, p.column), p.message, p.pointer)


def from_problem(p: Problem) -> CachedProblem:
    """A Problem as stored in the cache."""
    return CachedProblem(p.location.path, p.location.line, p.location.column, p.message, p.pointer)
