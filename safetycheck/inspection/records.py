"""Inspection records as TOML files: read, crash-safe atomic write, exclusive create, lock.

Why: a record is saved after every answer, so a kill, a closed terminal or a power cut must
never lose an answered item nor leave a truncated file. Every write goes to a temporary
file in the same folder, is flushed and fsynced, then renamed over the record with
``os.replace`` (atomic on POSIX and on NTFS), and the folder is fsynced where the OS allows.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import msgspec

from safetycheck.catalog.yamlsource import Document, PathKey, pointer
from safetycheck.errors import ChecklistError, Problem, RecordError
from safetycheck.files import InputFileError, read_input
from safetycheck.inspection.recordcheck import record_problems
from safetycheck.inspection.recordmodels import InspectionRecord, Response
from safetycheck.messages import t

SCHEMA = "safetycheck.record/1"
MAX_RECORD_BYTES = 64 * 1024 * 1024
CRASH_ENV = "SAFETYCHECK_TEST_CRASH_BEFORE_RENAME"

_saves = 0  # atomic writes done by this process, for the test-only fault-injection hook


# --- reading ------------------------------------------------------------------------------


def read_record(path: Path) -> InspectionRecord:
    """Read and check a record file; the file is never modified.

    Args:
        path: the ``.toml`` record.

    Returns:
        The record.

    Raises:
        RecordError: the file is missing, unreadable or not a safetycheck record (one line,
            naming the file); a RecordFileError, located as ``FILE:LINE:COL: key.path:
            message``, when it is not TOML or a value does not fit the record format.
    """
    name = str(path)
    try:
        raw = read_input(path, MAX_RECORD_BYTES)
    except InputFileError as exc:
        raise RecordError(t("record.unreadable", path=name, error=exc.message.rstrip("。."))) from None
    return parse_record(raw, name)


def parse_record(raw: bytes, name: str) -> InspectionRecord:
    """Decode record bytes; see :func:`read_record`."""
    from safetycheck.catalog.tomlsource import TomlLoadError, parse_toml

    try:
        data = parse_toml(raw, name, positions=False).data
    except TomlLoadError as exc:
        raise RecordFileError([exc.problem]) from None
    schema = data.get("schema")
    if schema != SCHEMA:
        if isinstance(schema, str) and schema.startswith("safetycheck.record/"):
            raise RecordError(t("record.bad_schema", path=name, schema=schema, expected=SCHEMA))
        raise RecordError(t("record.not_record", path=name, expected=SCHEMA))
    doc: Document | None = None

    def positions() -> Document:  # scanned only when there is something to locate
        nonlocal doc
        if doc is None:
            doc = parse_toml(raw, name)
        return doc

    try:
        record = msgspec.convert(data, InspectionRecord)
    except msgspec.ValidationError as exc:
        raise RecordFileError([_decode_problem(positions(), str(exc))]) from None
    # the structural check assumes the answers fit the snapshots: run it once they do
    problems = _link_problems(record, positions) or record_problems(record, positions)
    if problems:
        raise RecordFileError(problems)
    return record


class RecordFileError(ChecklistError, RecordError):
    """A record file that is not a valid record: every problem located, the file untouched."""


def _at(doc: Document, path: PathKey, message: str, *, key: bool = False) -> Problem:
    """A problem at ``path`` (its value, or its key), the message prefixed with the key path."""
    where = pointer(path)
    return Problem(doc.locate(path, key=key), f"{where}{t('colon')}{message}" if where else message, where)


def _link_problems(record: InspectionRecord, positions: Callable[[], Document]) -> list[Problem]:
    """Check that the snapshots and the answers fit together.

    Why: resume walks and reports count from the snapshots alone; a record without them,
    or with answers to items they do not hold, or with two answers to one item, would be
    walked as if empty, or rendered as 未发现问题 while it holds failures.
    """
    problems: list[Problem] = []
    if not record.checklists:
        return [_at(positions(), ("checklists",), t("record.no_snapshot"))]
    snapshots: dict[str, tuple[int, set[str]]] = {}
    for i, snap in enumerate(record.checklists):
        if snap.id in snapshots:
            first = positions().locate(("checklists", snapshots[snap.id][0], "id")).line
            problems.append(_at(positions(), ("checklists", i, "id"), t("record.duplicate_snapshot", id=snap.id,
                                                                         line=first)))
            continue
        if not snap.items:
            problems.append(_at(positions(), ("checklists", i), t("record.empty_snapshot", id=snap.id)))
        items: dict[str, int] = {}
        for k, item in enumerate(snap.items):
            if item.id in items:
                first = positions().locate(("checklists", i, "items", items[item.id], "id")).line
                problems.append(_at(positions(), ("checklists", i, "items", k, "id"),
                                    t("record.duplicate_item", checklist=snap.id, id=item.id, line=first)))
            items.setdefault(item.id, k)
        snapshots[snap.id] = (i, set(items))
    answered: dict[tuple[str, str], int] = {}
    for n, r in enumerate(record.responses):
        problem = _response_problem(r, n, snapshots, positions)
        if problem is None and (r.checklist, r.item) in answered:
            first = positions().locate(("responses", answered[(r.checklist, r.item)])).line
            problem = _at(positions(), ("responses", n), t("record.duplicate_response", key=f"{r.checklist}/{r.item}",
                                                            line=first))
        if problem is not None:
            problems.append(problem)
        answered.setdefault((r.checklist, r.item), n)
    return problems


def _response_problem(r: Response, n: int, snapshots: dict[str, tuple[int, set[str]]],
                      positions: Callable[[], Document]) -> Problem | None:
    """An answer that names a checklist or item the snapshots do not hold."""
    import difflib

    if r.checklist not in snapshots:
        return _at(positions(), ("responses", n, "checklist"),
                   t("record.unknown_checklist", value=r.checklist, choices=t("sep.list").join(snapshots)))
    items = snapshots[r.checklist][1]
    if not items:
        return None  # reported once, at the empty snapshot
    if r.item not in items:
        near = difflib.get_close_matches(r.item, sorted(items), n=1, cutoff=0.6)
        return _at(positions(), ("responses", n, "item"), t("record.unknown_item", checklist=r.checklist,
                   value=r.item, near=t("answers.near", name=near[0]) if near else ""))
    if r.same_as:
        cl, _, item = r.same_as.partition("/")
        target = snapshots.get(cl)
        if target is None or (target[1] and item not in target[1]):  # an empty snapshot is reported once
            return _at(positions(), ("responses", n, "same_as"), t("record.bad_same_as", value=r.same_as))
    return None


# msgspec's names of the types it expected or got, in the catalogue's words
_TYPE_WORDS = {"str": "type.str", "int": "type.int", "bool": "type.bool", "array": "type.list",
               "object": "type.map", "null": "type.empty", "float": "record.type_float",
               "datetime": "record.type_datetime", "date": "record.type_date", "time": "record.type_time"}
_TYPE_HINTS = {"datetime": "record.hint_datetime", "date": "record.hint_date"}


def _type_words(names: str, *, hint: bool = False) -> str:
    """``date | null`` -> 日期 (null only means the key may be left out); ``hint`` adds how to write it."""
    kept = [n for n in (x.strip() for x in names.split("|")) if n != "null"] or ["null"]
    words = t("record.or").join(t(_TYPE_WORDS[n]) if n in _TYPE_WORDS else n for n in kept)
    if hint and len(kept) == 1 and kept[0] in _TYPE_HINTS:
        words += t(_TYPE_HINTS[kept[0]])
    return words


def _decode_problem(doc: Document, message: str) -> Problem:
    """msgspec's one-line complaint as a located problem in the catalogue's words."""
    text, _, where = message.partition(" - at `")
    path = _msgspec_path(where.rstrip("`"))
    if m := re.fullmatch(r"Object missing required field `(.+)`", text):
        return _at(doc, path, t("check.missing", key=m.group(1)))
    if m := re.fullmatch(r"Expected `(.+?)`, got `(.+?)`", text):
        expected = _type_words(m.group(1), hint=True)
        return _at(doc, path, t("check.type", expected=expected, got=_type_words(m.group(2))))
    if m := re.fullmatch(r"Invalid RFC3339 encoded (\w+)", text):
        return _at(doc, path, t("check.type", expected=_type_words(m.group(1), hint=True), got=t("type.str")))
    if m := re.fullmatch(r"Invalid enum value (.+)", text):
        value = m.group(1).strip("'\"")
        return _at(doc, path, t("check.choice", value=value, choices=t("sep.list").join(_choices(path))))
    return _at(doc, path, t("record.bad_value", error=text))


def _msgspec_path(text: str) -> PathKey:
    """``$.responses[2].result`` -> ("responses", 2, "result"); a dict key (``[...]``) ends it."""
    path: PathKey = ()
    for name, index in re.findall(r"\.([^.\[]+)|\[(\d+|\.\.\.)\]", text.removeprefix("$")):
        if index == "...":
            break
        path = (*path, int(index) if index else name)
    return path


def _choices(path: PathKey) -> list[str]:
    """The values the record model allows at ``path`` (a Literal field), in declared order."""
    import types
    import typing

    tp: Any = InspectionRecord
    for part in path:
        if isinstance(part, int) and typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif isinstance(part, str) and isinstance(tp, type) and issubclass(tp, msgspec.Struct):
            tp = typing.get_type_hints(tp).get(part)
        else:
            return []
        if typing.get_origin(tp) in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
    return [str(v) for v in typing.get_args(tp)] if typing.get_origin(tp) is typing.Literal else []


# --- writing ------------------------------------------------------------------------------


def record_to_toml(record: InspectionRecord) -> bytes:
    """The record as TOML bytes, with absent (None) values left out.

    Why in parts: the checklist snapshots are most of a record and never change during a walk,
    so their TOML is rendered once and reused; a save after each answer then costs in
    proportion to the answers, not to the checklists. TOML allows the ``[[checklists]]`` and
    ``[[responses]]`` tables to follow the rest of the document, so the parts join as they are.
    """
    import tomli_w

    rest = msgspec.structs.replace(record, checklists=[], responses=[])
    data = _prepare(msgspec.to_builtins(rest, builtin_types=(dt.datetime, dt.date)))
    if record.checklists:  # empty lists stay in the head, written as `checklists = []`
        data.pop("checklists", None)
    if record.responses:
        data.pop("responses", None)
    parts = [tomli_w.dumps(data, multiline_strings=True), _snapshots_toml(record.checklists)]
    if record.responses:
        responses = _prepare(msgspec.to_builtins(record.responses, builtin_types=(dt.datetime, dt.date)))
        parts.append(tomli_w.dumps({"responses": responses}, multiline_strings=True))
    return "\n".join(p.rstrip("\n") + "\n" for p in parts if p).encode("utf-8")


_SNAPSHOT_CACHE: dict[tuple[Any, ...], str] = {}


def _snapshots_toml(snapshots: list[Any]) -> str:
    """The ``[[checklists]]`` tables, rendered once per set of snapshots."""
    if not snapshots:
        return ""
    key = tuple((s.id, s.sha256, s.version, tuple((i.id, i.text, i.note) for i in s.items)) for s in snapshots)
    text = _SNAPSHOT_CACHE.get(key)
    if text is None:
        import tomli_w

        data = _prepare(msgspec.to_builtins(snapshots, builtin_types=(dt.datetime, dt.date)))
        text = tomli_w.dumps({"checklists": data}, multiline_strings=True)
        if len(_SNAPSHOT_CACHE) > 8:
            _SNAPSHOT_CACHE.clear()
        _SNAPSHOT_CACHE[key] = text
    return text


class _IsoDateTime(dt.datetime):
    """A datetime that tomli-w writes as ISO 8601 (``2025-03-05T09:30:00+08:00``), not with a space."""

    def __str__(self) -> str:
        return self.isoformat()


def _prepare(value: Any) -> Any:
    """TOML has no null: remove None values from tables, recursively; mark datetimes ISO."""
    if isinstance(value, dict):
        return {k: _prepare(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_prepare(v) for v in value if v is not None]
    if isinstance(value, dt.datetime):
        return _IsoDateTime.combine(value.date(), value.timetz())
    return value


def write_record(path: Path, record: InspectionRecord) -> None:
    """Replace ``path`` with ``record``, atomically.

    Args:
        path: the record file (created if missing, replaced if present).
        record: what to write.

    Raises:
        RecordError: the folder cannot be written.
    """
    atomic_write(path, record_to_toml(record))


def create_record(path: Path, record: InspectionRecord) -> None:
    """Write a new record at ``path``; never overwrite an existing file.

    Why: ``os.link`` of a complete, fsynced temporary file is atomic and fails when the
    name exists, so the record is never seen empty or half-written, and two processes
    choosing the same default name cannot both win.

    Raises:
        RecordError: the file exists or cannot be written.
    """
    data = record_to_toml(record)
    tmp = _write_temp(path, data)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise RecordError(t("record.exists", path=str(path))) from None
        except OSError:  # no hard links here (FAT, some network shares): reserve, then replace
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                raise RecordError(t("record.exists", path=str(path))) from None
            os.close(fd)
            _replace(tmp, path)
        _fsync_folder(path.parent)
    finally:
        _unlink_quietly(tmp)


def create_numbered(folder: Path, stem: str, record: InspectionRecord, limit: int = 99) -> Path:
    """Create ``<stem>-NN.toml`` in ``folder`` with the first free NN (01, 02, …).

    Raises:
        RecordError: every number is taken, or the folder cannot be written.
    """
    for n in range(1, limit + 1):
        path = folder / f"{stem}-{n:02d}.toml"
        if path.exists():
            continue
        try:
            create_record(path, record)
        except RecordError:
            if path.exists():
                continue
            raise
        return path
    raise RecordError(t("record.no_free_name", folder=str(folder), stem=stem))


def default_stem(day: dt.date, unit_name: str) -> str:
    """``YYYYMMDD-<unit>`` with characters no file system accepts removed."""
    bad = set('<>:"/\\|?*') | {chr(c) for c in range(32)} | {"\x7f"}
    clean = "".join("_" if ch in bad else ch for ch in unit_name.strip())
    clean = "-".join(clean.split()).strip(".-_") or "unit"
    return f"{day:%Y%m%d}-{clean[:60]}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a fsynced temporary file and a rename.

    Raises:
        RecordError: the folder cannot be written.
    """
    tmp = _write_temp(path, data)
    try:
        _crash_hook()
        _replace(tmp, path)
    finally:
        _unlink_quietly(tmp)
    _fsync_folder(path.parent)


def _write_temp(path: Path, data: bytes) -> Path:
    """A complete, fsynced temporary copy of ``data`` beside ``path``."""
    folder = path.parent
    for attempt in range(100):
        tmp = folder / f".{path.name}.{os.getpid()}-{attempt}.tmp"
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            continue
        except OSError as exc:
            raise RecordError(t("record.unwritable", path=str(path), error=exc.strerror or exc)) from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            _unlink_quietly(tmp)
            raise RecordError(t("record.unwritable", path=str(path), error=exc.strerror or exc)) from None
        return tmp
    raise RecordError(t("record.unwritable", path=str(path), error="temporary file"))


def _replace(tmp: Path, path: Path) -> None:
    """``os.replace``, retried briefly on Windows where a reader may hold the target open."""
    import time

    for attempt in range(20):
        try:
            tmp.replace(path)
            return
        except PermissionError as exc:
            if sys.platform != "win32" or attempt == 19:
                raise RecordError(t("record.unwritable", path=str(path), error=exc.strerror or exc)) from None
            time.sleep(0.05)
        except OSError as exc:
            raise RecordError(t("record.unwritable", path=str(path), error=exc.strerror or exc)) from None


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable: fsync the folder (POSIX only; Windows has no folder handles)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on folders; the rename itself is still atomic
    finally:
        os.close(fd)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _crash_hook() -> None:
    """Test-only fault injection: die just before the rename on the Nth save of this process.

    Why: lets the tty tests prove that a kill inside the save leaves the previous record
    whole. Set ``SAFETYCHECK_TEST_CRASH_BEFORE_RENAME=N``; unset, this costs one lookup.
    """
    global _saves
    _saves += 1
    target = os.environ.get(CRASH_ENV)
    if target and target.isdigit() and _saves == int(target):
        if hasattr(os, "kill") and sys.platform != "win32":
            import signal

            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(137)


def stale_temps(path: Path) -> list[Path]:
    """Temporary files a killed writer left beside ``path``."""
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


# --- locking ------------------------------------------------------------------------------


def lock_path(path: Path) -> Path:
    """The lock file beside a record."""
    return path.with_name(f".{path.name}.lock")


@contextmanager
def record_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on a record while it is edited.

    The lock is an OS lock (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows) on a
    file beside the record, so it vanishes with the process that held it: a killed walk
    never leaves a record locked. Temporary files a killed writer left behind are removed
    once the lock is held.

    Raises:
        RecordError: another process is editing the record.
    """
    lock = lock_path(path)
    fh = _acquire(lock, path)
    try:
        for tmp in stale_temps(path):
            _unlink_quietly(tmp)
        yield
    finally:
        _release(fh, lock)


def _acquire(lock: Path, path: Path) -> IO[bytes]:
    while True:
        try:
            fh = lock.open("a+b")  # noqa: SIM115 - held open for the life of the lock
        except OSError as exc:
            raise RecordError(t("record.unwritable", path=str(path), error=exc.strerror or exc)) from None
        if not _try_lock(fh):
            try:
                fh.seek(0)
                holder = fh.read(32).decode("ascii", "replace").strip() or "?"
            except OSError:  # Windows refuses to read a locked byte range
                holder = "?"
            fh.close()
            raise RecordError(t("record.locked", path=str(path), pid=holder))
        if sys.platform != "win32":
            # Another process may have removed the lock file between our open and lock; then
            # we hold a lock on a file nobody else sees, so start again.
            try:
                same = os.path.samestat(os.fstat(fh.fileno()), lock.stat())
            except OSError:
                same = False
            if not same:
                fh.close()
                continue
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n".encode("ascii"))
        fh.flush()
        return fh


def _try_lock(fh: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _release(fh: IO[bytes], lock: Path) -> None:
    if sys.platform == "win32":
        import msvcrt

        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        fh.close()
        _unlink_quietly(lock)
        return
    _unlink_quietly(lock)  # while still locked, so no one else can be holding it
    fh.close()
