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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from safetycheck import fileio
from safetycheck.catalog.yamlsource import Document, PathKey, pointer
from safetycheck.errors import ChecklistError, Problem, RecordError
from safetycheck.inputfiles import InputFileError, read_input
from safetycheck.inspection.recordcheck import record_problems
from safetycheck.inspection.recordmodels import InspectionRecord, Response
from safetycheck.messages import t

SCHEMA = "safetycheck.record/2"
SCHEMAS = ("safetycheck.record/1", SCHEMA)  # /1 is read and migrated in memory (safetycheck.lifecycle.seal)
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
    if schema not in SCHEMAS:
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
    if m := re.fullmatch(r"Object contains unknown field `(.+)`", text):
        return _at(doc, (*path, m.group(1)), t("record.unknown_key", key=m.group(1)), key=True)
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
    parts = [_head_bytes(record), _snapshots_bytes(record.checklists)]
    if record.responses:
        parts.append(_tables_toml("responses", record.responses))
    if record.reviews:
        parts.append(_tables_toml("reviews", record.reviews))
    if record.events:  # last, so the chain reads in order at the end of the file
        parts.append(_tables_toml("events", record.events))
    return b"\n".join(p for p in parts if p)


def _head_bytes(record: InspectionRecord) -> bytes:
    """Everything but the snapshots, responses, reviews and events, rendered again only when it changes."""
    rest = msgspec.structs.replace(record, checklists=[], responses=[], events=[], reviews=[])
    key = (bool(record.checklists), bool(record.responses), _ENTRY_KEY.encode(rest))
    head = _HEAD_CACHE.get(key)
    if head is None:  # a sealed record's head holds a line per answer: rendered again only when it changes
        import tomli_w

        data = _prepare(msgspec.to_builtins(rest, builtin_types=(dt.datetime, dt.date)))
        if record.checklists:  # empty lists stay in the head, written as `checklists = []`
            data.pop("checklists", None)
        if record.responses:
            data.pop("responses", None)
        data.pop("events", None)
        data.pop("reviews", None)
        if record.schema != SCHEMAS[0]:
            data.pop("numbers", None)  # /2 keeps numbers in `issued` events
        head = _ended(tomli_w.dumps(data, multiline_strings=True).encode("utf-8"))
        if len(_HEAD_CACHE) >= 4:
            _HEAD_CACHE.clear()
        _HEAD_CACHE[key] = head
    return head


_HEAD_CACHE: dict[tuple[bool, bool, bytes], bytes] = {}
_ENTRY_KEY = msgspec.json.Encoder()  # an entry's content as JSON: offsets and microseconds kept apart
_ENTRY_CACHE: dict[tuple[str, bytes], tuple[bool, bytes]] = {}


def _ended(text: bytes) -> bytes:
    """A part of the record ending in exactly one newline (empty stays empty)."""
    if not text or (text.endswith(b"\n") and not text.endswith(b"\n\n")):
        return text
    return text.rstrip(b"\n") + b"\n"


def _tables_toml(name: str, entries: list[Any]) -> bytes:
    """The ``[[responses]]`` (``[[reviews]]``, ``[[events]]``) tables, each entry's TOML rendered once and reused.

    Why: a walk saves after every answer, and all answers but the newest are unchanged; rendering
    each again made a save grow with the answers (and a sealed record's events hold a digest per
    answer). The bytes are those ``tomli_w`` writes for the whole list: tables one after the
    other, blank-line separated; or, when every entry fits on one line (tomli-w's choice), the
    inline array it writes then.
    """
    chunks = []
    inline = True
    for entry in entries:
        found = _entry_chunk(name, entry)
        inline = inline and found[0]
        chunks.append(found[1])
    if inline:  # tomli-w writes `name = [...]`: rare (short entries only), rendered as a whole
        import tomli_w

        data = _prepare([_builtins(name, entry) for entry in entries])
        return _ended(tomli_w.dumps({name: data}, multiline_strings=True).encode("utf-8"))
    return _ended(b"\n".join(chunks))


def _entry_chunk(name: str, entry: Any) -> tuple[bool, bytes]:
    """:func:`_table_chunk`, reused while the entry's content is the same."""
    key = (name, _ENTRY_KEY.encode(entry))
    found = _ENTRY_CACHE.get(key)
    if found is None:
        found = _ENTRY_CACHE[key] = _table_chunk(name, entry)
        if len(_ENTRY_CACHE) > 50_000:
            _ENTRY_CACHE.clear()
            _ENTRY_CACHE[key] = found
    return found


def _builtins(name: str, entry: Any) -> Any:
    """An entry as plain data, as it is written (a response without its hazard's default kind)."""
    data = msgspec.to_builtins(entry, builtin_types=(dt.datetime, dt.date))
    return _without_default_kind(data) if name == "responses" else data


def _table_chunk(name: str, entry: Any) -> tuple[bool, bytes]:
    """Whether tomli-w would write this entry inline, and its ``[[name]]`` table."""
    import tomli_w

    data = _prepare(_builtins(name, entry))
    alone = tomli_w.dumps({name: [data]}, multiline_strings=True)
    if alone.startswith(f"[[{name}]]\n"):
        return False, alone.encode("utf-8")
    table = tomli_w.dumps({name: data}, multiline_strings=True)  # `[name]` and its lines
    return True, (f"[[{name}]]\n" + table.removeprefix(f"[{name}]\n")).encode("utf-8")


Parts = list["bytes | list[bytes]"]
"""A record's TOML as :meth:`RecordWriter.render` gives it: bytes, and lists of bytes, one after the other."""


def joined(parts: Parts) -> bytes:
    """The bytes of :class:`Parts`."""
    return b"".join(p if isinstance(p, bytes) else b"".join(p) for p in parts)


def _is_odd(chunk: bytes) -> bool:
    return not chunk.endswith(b"\n") or chunk.endswith(b"\n\n")


class RecordWriter:
    """The TOML of one record, save after save of a walk, rendering again only what changed.

    Why: a walk saves after every answer; finding the unchanged answers again in every save, even
    through :func:`record_to_toml`'s reuse, made the save grow with the answers. This writer keeps
    each response's TOML in the record's order and is told (:meth:`stored`, the walk's
    ``WalkOptions.stored``) where :func:`~safetycheck.inspection.session.record_answer` stored
    each answer. The snapshots and events it reuses while they are the same objects: a walk
    never changes them in place (events are appended). Anything else — another list, another
    length, a new seal or status (sealing rewrites the hazards) — makes the next render a whole
    one. The bytes are always those of :func:`record_to_toml`.
    """

    def __init__(self) -> None:
        self._responses: list[Any] | None = None  # the list rendered last (the record's own object)
        self._mirror: list[Any] = []  # its entries as rendered
        self._chunks: list[bytes] = []
        self._inline: list[bool] = []
        self._tables = 0  # entries tomli-w would not write inline
        self._odd = 0  # tables not ending in exactly one newline (never seen): the list is then joined whole
        self._pending: list[tuple[int, bool, Any]] = []
        self._state: tuple[Any, ...] = ()
        self._snapshots: tuple[list[Any], bytes] = ([], b"")
        self._events: tuple[list[Any], bytes] = ([], b"")
        self._head = b""

    def stored(self, at: int, inserted: bool, response: Any) -> None:
        """Note that ``response`` was stored at ``at`` of the record's responses (inserted, or replacing)."""
        self._pending.append((at, inserted, response))

    def forget(self) -> None:
        """Make the next :meth:`render` a whole one that is never None (the last one was not written)."""
        self._state = ()
        self._responses = None

    def render(self, record: InspectionRecord) -> Parts | None:
        """The record's TOML as parts to write one after the other; None when nothing changed since the last.

        Why parts: joining a large record into one bytes object, or even copying the list of its
        responses' tables, costs in proportion to its size; the parts go to the file as they are
        (:func:`atomic_write`), the responses' list among them as the writer keeps it, until the
        next render. :func:`joined` gives the bytes.
        """
        pending, self._pending = self._pending, []
        before = (self._head, self._snapshots[1], self._events[1])
        changed = self._responses_changed(record, pending)
        head = _head_bytes(record)
        snapshots = self._snapshots_of(record.checklists)
        events = self._events_of(record.events)
        changed = changed or head != before[0] or snapshots is not before[1] or events is not before[2] \
            or bool(record.reviews)
        self._head = head
        if not changed and self._state:
            return None
        self._state = (record.seal, record.status)
        out: Parts = []

        def add(part: bytes) -> None:  # parts are joined by a blank line, as record_to_toml joins them
            if part:
                out.extend((b"\n", part) if out else (part,))

        add(head)
        add(snapshots)
        if record.responses:
            if self._tables and not self._odd and out:
                out.append(self._chunks)  # each response's table after the line that separates it
            else:  # every response fits on a line (tomli-w's inline array), or an odd table: as a whole
                add(_tables_toml("responses", record.responses))
        if record.reviews:
            add(_tables_toml("reviews", record.reviews))
        add(events)
        return out or [b""]

    def _responses_changed(self, record: InspectionRecord, pending: list[tuple[int, bool, Any]]) -> bool:
        """Apply the stored answers to the rendered copy; render every response again when it cannot."""
        current = record.responses
        if current is self._responses and (record.seal, record.status) == self._state:
            mirror, chunks, inline = self._mirror, self._chunks, self._inline
            for at, inserted, response in pending:
                flag, chunk = _entry_chunk("responses", response)
                if inserted:
                    mirror.insert(at, response)
                    chunks.insert(at, b"\n" + chunk)
                    inline.insert(at, flag)
                else:
                    self._tables -= not inline[at]
                    self._odd -= _is_odd(chunks[at])
                    mirror[at], chunks[at], inline[at] = response, b"\n" + chunk, flag
                self._tables += not flag
                self._odd += _is_odd(chunks[at])
            if len(mirror) == len(current) and (not current or (mirror[0] is current[0]
                                                                and mirror[-1] is current[-1])):
                return bool(pending)
        self._responses = current
        self._mirror = list(current)
        found = [_entry_chunk("responses", r) for r in current]
        self._inline = [flag for flag, _ in found]
        self._chunks = [b"\n" + chunk for _, chunk in found]
        self._tables = sum(not flag for flag in self._inline)
        self._odd = sum(map(_is_odd, self._chunks))
        return True

    def _snapshots_of(self, snapshots: list[Any]) -> bytes:
        kept = self._snapshots[0]
        if len(kept) != len(snapshots) or any(a is not b for a, b in zip(kept, snapshots, strict=True)):
            self._snapshots = (list(snapshots), _snapshots_bytes(snapshots))
        return self._snapshots[1]

    def _events_of(self, events: list[Any]) -> bytes:
        kept = self._events[0]
        if len(kept) != len(events) or any(a is not b for a, b in zip(kept, events, strict=True)):
            self._events = (list(events), _tables_toml("events", events) if events else b"")
        return self._events[1]


_SNAPSHOT_CACHE: dict[tuple[Any, ...], str] = {}
_SNAPSHOT_BYTES: list[tuple[str, bytes]] = []  # the last snapshots' text and its bytes, ended


def _snapshots_bytes(snapshots: list[Any]) -> bytes:
    """:func:`_snapshots_toml` as UTF-8 bytes ending in one newline, encoded once per text."""
    if not snapshots:
        return b""
    text = _snapshots_toml(snapshots)
    if not _SNAPSHOT_BYTES or _SNAPSHOT_BYTES[0][0] is not text:
        _SNAPSHOT_BYTES[:] = [(text, _ended(text.encode("utf-8")))]
    return _SNAPSHOT_BYTES[0][1]


def _snapshots_toml(snapshots: list[Any]) -> str:
    """The ``[[checklists]]`` tables, rendered once per set of snapshots."""
    if not snapshots:
        return ""
    key = tuple((s.id, s.sha256, s.version, s.path, s.status, tuple((i.id, i.text, i.note) for i in s.items))
                for s in snapshots)
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


def _without_default_kind(response: dict[str, Any]) -> dict[str, Any]:
    """A response as written: a hazard's default ``kind = "hazard"`` is left out (files stay as before)."""
    hazard = response.get("hazard")
    if isinstance(hazard, dict) and hazard.get("kind") == "hazard":
        response["hazard"] = {k: v for k, v in hazard.items() if k != "kind"}
    return response


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
    """Write a new record at ``path``; never overwrite an existing file (nor follow a link there).

    Why: ``os.link`` of a complete, fsynced temporary file is atomic and fails when the
    name exists, so the record is never seen empty or half-written, and two processes
    choosing the same default name cannot both win.

    Raises:
        RecordError: the file exists or cannot be written.
        DiskFullError: the disk is full.
    """
    fileio.create_exclusive(path, record_to_toml(record), RecordError(t("record.exists", path=str(path))),
                            "record.unwritable", RecordError)


def create_numbered(folder: Path, stem: str, record: InspectionRecord, limit: int = 99) -> Path:
    """Create ``<stem>-NN.toml`` in ``folder`` with the first free NN (01, 02, …).

    Raises:
        RecordError: every number is taken, or the folder cannot be written.
    """
    for n in range(1, limit + 1):
        path = folder / f"{stem}-{n:02d}.toml"
        if path.exists() or path.is_symlink():  # a dangling link takes the name too
            continue
        try:
            create_record(path, record)
        except RecordError:
            if path.exists() or path.is_symlink():
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


def atomic_write(path: Path, data: bytes | Parts) -> None:
    """Write ``data`` (bytes, or parts one after the other) to ``path`` through a fsynced temporary file and a rename.

    Raises:
        RecordError: the folder cannot be written.
        DiskFullError: the disk is full; ``path`` is unchanged.
    """
    tmp = fileio.write_temp(path, data, "record.unwritable", RecordError)
    try:
        _crash_hook()
        fileio.replace(tmp, path, "record.unwritable", RecordError)
    finally:
        fileio.unlink_quietly(tmp)
    fileio.fsync_folder(path.parent)


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


@dataclass
class Recovery:
    """What opening a record did with the temporary files a killed writer left."""

    recovered: Path | None = None  # the temporary copy that held newer answers and is now the record
    added: int = 0  # answers it held beyond the record
    orphans: list[Path] = field(default_factory=list)  # other copies, kept as .orphan

    def notices(self) -> list[str]:
        """One line for the recovered copy and one for the orphans, when there are any."""
        lines = []
        if self.recovered is not None:
            lines.append(t("record.recovered", tmp=str(self.recovered), count=self.added))
        if self.orphans:
            lines.append(t("record.orphans", count=len(self.orphans),
                           names=t("sep.list").join(p.name for p in self.orphans)))
        return lines


def recover_temps(path: Path) -> Recovery:
    """Deal with temporary copies of ``path`` a killed writer left; call only under the record's lock.

    Why: a kill between a temporary copy's fsync and its rename leaves a complete copy that
    may hold the newest answer. A copy of the same record (same start, unit and snapshots)
    whose answers are a strict superset of the record's becomes the record; a copy identical
    to the record is removed; any other copy (half-written, another record, or differing
    answers) is kept as ``.orphan`` for a person to look at, never deleted unread.
    """
    result = Recovery()
    temps = stale_temps(path)
    if not temps:
        return result
    try:
        current_raw = path.read_bytes()
        current: InspectionRecord | None = parse_record(current_raw, str(path))
    except (OSError, RecordError):
        current_raw, current = b"", None
    best: tuple[int, Path, InspectionRecord] | None = None
    keep: list[Path] = []
    for tmp in temps:
        try:
            raw = tmp.read_bytes()
        except OSError:
            keep.append(tmp)
            continue
        if current is not None and raw == current_raw:
            fileio.unlink_quietly(tmp)
            continue
        try:
            candidate = parse_record(raw, str(tmp))
        except RecordError:
            keep.append(tmp)
            continue
        extra = _newer_answers(current, candidate)
        if extra and (best is None or extra > best[0]):
            if best is not None:
                keep.append(best[1])
            best = (extra, tmp, candidate)
        else:
            keep.append(tmp)
    if best is not None:
        fileio.replace(best[1], path, "record.unwritable", RecordError)
        fileio.fsync_folder(path.parent)
        result.recovered, result.added = best[1], best[0]
    for tmp in keep:
        orphan = _free_name(tmp.with_suffix(".orphan"))
        try:
            os.link(tmp, orphan)  # fails rather than replace an earlier orphan of the same name
            fileio.unlink_quietly(tmp)
            result.orphans.append(orphan)
        except OSError:
            try:
                tmp.rename(orphan)
                result.orphans.append(orphan)
            except OSError:
                pass  # left as it is: still never deleted unread
    return result


def _free_name(path: Path) -> Path:
    """``path``, or ``<stem>-2<suffix>``, ``-3``… when that name is taken."""
    n = 1
    candidate = path
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def _newer_answers(current: InspectionRecord | None, candidate: InspectionRecord) -> int:
    """How many answers ``candidate`` adds to ``current``, when it is the same record and holds all of its answers.

    0 when it is another record, lacks or changes one of the current answers, or adds none.
    """
    if current is None:
        return 0
    same = (current.started_at == candidate.started_at and current.unit == candidate.unit
            and [(s.id, s.sha256) for s in current.checklists] == [(s.id, s.sha256) for s in candidate.checklists])
    if not same:
        return 0
    have = {(r.checklist, r.item): r for r in candidate.responses}
    if any(have.get((r.checklist, r.item)) != r for r in current.responses):
        return 0
    return max(len(have) - len(current.responses), 0)


# --- locking ------------------------------------------------------------------------------


def lock_path(path: Path) -> Path:
    """The lock file beside a record."""
    return path.with_name(f".{path.name}.lock")


@dataclass
class RecordLock:
    """A held record lock, and what opening the record recovered."""

    path: Path
    held: fileio.HeldLock
    recovery: Recovery

    def check(self) -> None:
        """Refuse to write unless the lock path still is the file this process locked.

        Why: if someone deleted the lock file, a second process may have taken a new lock
        and be editing the same record; saving now would overwrite its answers.

        Raises:
            RecordError: the lock file was removed or replaced.
        """
        if not self.held.is_intact():
            raise RecordError(t("record.lock_lost", path=str(self.path), lock=str(self.held.path)))


@contextmanager
def record_lock(path: Path, kind: str = "walk", wait: float = 0.0) -> Iterator[RecordLock]:
    """Hold an exclusive lock on a record while it is edited.

    The lock is an OS lock (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows) on
    ``.<record>.lock`` beside the record, which names its holder (``<pid> walk`` or
    ``<pid> short``); it vanishes with the process that held it, so a killed walk never
    leaves a record locked. Once the lock is held, temporary copies a killed writer left are
    recovered or kept as ``.orphan`` (:func:`recover_temps`).

    Args:
        path: the record.
        kind: ``walk`` (run, resume) or ``short`` (report numbering).
        wait: seconds a short command waits for another short one; a walk fails it at once.

    Raises:
        RecordError: another process is editing the record, the record is a symlink, or the
            lock path is a symlink or not a lock file.
    """
    if path.is_symlink():
        raise RecordError(t("record.symlink", path=str(path), target=str(path.readlink())))
    lock = lock_path(path)
    try:
        held = fileio.acquire_lock(lock, kind, wait)
    except fileio.LockBusy as busy:
        raise RecordError(t("record.locked", path=str(path), pid=busy.pid,
                            kind=t(f"lock.kind.{busy.kind}") if busy.kind in fileio.LOCK_KINDS else "?")) from None
    try:
        yield RecordLock(path, held, recover_temps(path))
    finally:
        held.release()
