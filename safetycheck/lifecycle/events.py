"""Events of a record: their kinds, the canonical JSON they are hashed in, and the hash chain.

Why a chain: every change after the walk is an event, and each event's ``hash`` is the SHA-256
of the previous event's hash (the seal, for the first) joined with the event's canonical JSON,
so editing, removing or reordering any event, or the seal, shows in ``verify``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import msgspec

from safetycheck.inspection.recordmodels import Event, Hazard, InspectionRecord, Response

KINDS = ("completed", "reopened", "amended", "issued", "reissued", "voided", "served", "rectified",
         "reported-regulator", "reported-workers", "listed", "closed", "noted", "reviewed", "measures-lifted")


def without_default_kind(struct: msgspec.Struct, data: Any) -> Any:
    """``data`` (``struct`` as builtins) without a hazard's ``kind = "hazard"``.

    Why: ``kind`` came after records were sealed; a hazard's default kind is left out so that
    the seals, digests and chains of every earlier record stay as they were.
    """
    if isinstance(struct, Response) and struct.hazard is not None and isinstance(data, dict) \
            and isinstance(data.get("hazard"), dict):
        return {**data, "hazard": without_default_kind(struct.hazard, data["hazard"])}
    if isinstance(struct, Hazard) and isinstance(data, dict) and data.get("kind") == "hazard":
        return {k: v for k, v in data.items() if k != "kind"}
    return data


def plain(value: Any) -> Any:
    """``value`` as it reads back from TOML: builtins, None left out, datetimes and dates kept."""
    if isinstance(value, msgspec.Struct):
        value = without_default_kind(value, msgspec.to_builtins(value, builtin_types=(dt.datetime, dt.date)))
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value if v is not None]
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value if v is not None]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # the RFC 3339 text the record stores
    return value


def canonical(value: Any) -> bytes:
    """The canonical JSON of ``value``: keys sorted, no insignificant whitespace, UTF-8.

    None values are left out (TOML has none) and datetimes are their RFC 3339 text, so a value
    hashes the same before it is written and after it is read back.
    """
    return msgspec.json.encode(_jsonable(plain(value)), order="sorted")


def digest(value: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``value``."""
    return hashlib.sha256(canonical(value)).hexdigest()


_CONTENT = msgspec.json.Encoder()  # msgspec's own JSON of a struct: every field, offsets and microseconds
_CANONICAL: dict[tuple[type, bytes], bytes] = {}
_CANONICAL_BYTES = [0]  # what the kept keys and values hold; all are dropped past _CANONICAL_LIMIT
_CANONICAL_LIMIT = 16 * 1024 * 1024  # a batch of any size keeps its memory flat


def struct_canonical(struct: msgspec.Struct) -> bytes:
    """:func:`canonical` of a struct, built once per content and reused.

    Why: the seal check of every document builds the canonical JSON of the whole record in
    Python, and the checklist snapshots, most of it, are the same in every record of that
    checklist version. The key is msgspec's JSON of the struct, made in C, so any change of
    any field is another key and gets its own canonical JSON: the check is never skipped.
    """
    key = (type(struct), _CONTENT.encode(struct))
    found = _CANONICAL.get(key)
    if found is None:
        found = canonical(struct)
        size = len(key[1]) + len(found)
        if len(_CANONICAL) >= 4096 or _CANONICAL_BYTES[0] + size > _CANONICAL_LIMIT:
            _CANONICAL.clear()
            _CANONICAL_BYTES[0] = 0
        _CANONICAL[key] = found
        _CANONICAL_BYTES[0] += size
    return found


def struct_digest(struct: msgspec.Struct) -> str:
    """:func:`digest` of a struct, from :func:`struct_canonical`."""
    return hashlib.sha256(struct_canonical(struct)).hexdigest()


def fields_canonical(fields: dict[str, bytes]) -> bytes:
    """The canonical JSON of an object whose values are already canonical JSON (keys sorted, as msgspec does)."""
    return b"{" + b",".join(msgspec.json.encode(k) + b":" + fields[k] for k in sorted(fields)) + b"}"


def list_canonical(structs: list[Any]) -> bytes:
    """The canonical JSON of a list of structs, each from :func:`struct_canonical`."""
    return b"[" + b",".join(struct_canonical(s) for s in structs) + b"]"


def event_hash(previous: str, event: Event) -> str:
    """The hash of ``event`` chained from ``previous`` (the previous event's hash, or the seal)."""
    fields = plain(event)
    fields.pop("hash", None)
    return hashlib.sha256(previous.encode("ascii") + canonical(fields)).hexdigest()


def append_event(record: InspectionRecord, kind: str, at: dt.datetime, *, by: str | None = None,
                 hazard: str | None = None, detail: dict[str, Any] | None = None) -> Event:
    """Add an event at the end of the chain, hashed.

    Args:
        record: a sealed record (the first event chains from its seal).
        kind: one of :data:`KINDS`.
        at: when it happened (timezone-aware).
        by: who entered it.
        hazard: the hazard it concerns (``h1``).
        detail: what it records, as plain data.

    Returns:
        The event, already appended.
    """
    assert kind in KINDS, kind
    previous = record.events[-1].hash if record.events else (record.seal or "")
    event = Event(at=at, kind=kind, by=by or None, hazard=hazard, detail=plain(detail or {}))
    event.hash = event_hash(previous, event)
    record.events.append(event)
    return event


def events_of(record: InspectionRecord, *kinds: str, hazard: str | None = None) -> list[Event]:
    """The record's events of the given kinds (all when none), optionally of one hazard."""
    return [e for e in record.events if (not kinds or e.kind in kinds) and (hazard is None or e.hazard == hazard)]
