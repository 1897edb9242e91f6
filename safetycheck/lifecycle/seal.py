"""The seal of a record, sealing at completion, migration of ``/1`` records, and ``verify``.

The seal is the SHA-256 of the canonical JSON of everything the walk produced: id, mode, times,
language, unit, people, notes, tags, checklist snapshots and responses. What changes later is
left out: statuses are derived from events, and numbers live in ``issued`` events. The
``completed`` event also keeps a short digest of each part, so ``verify`` can name what changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

from safetycheck.inspection.recordmodels import InspectionRecord, Response
from safetycheck.lifecycle.events import (
    append_event,
    canonical,
    digest,
    event_hash,
    fields_canonical,
    list_canonical,
    plain,
    struct_digest,
)
from safetycheck.lifecycle.review import review_changes
from safetycheck.messages import t

SCHEMA_1 = "safetycheck.record/1"
SCHEMA_2 = "safetycheck.record/2"
HEAD = ("id", "mode", "started_at", "finished_at", "lang", "unit", "inspectors", "notes", "tags")
# Why a fixed namespace: a /1 record read twice, anywhere, gets the same id.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://safetycheck/record")
PART_DIGITS = 16


def sealed_content(record: InspectionRecord) -> dict[str, Any]:
    """What the seal covers, as plain data."""
    data = {name: plain(getattr(record, name)) for name in HEAD}
    data["checklists"] = plain(record.checklists)
    data["responses"] = plain(record.responses)
    return data


def compute_seal(record: InspectionRecord) -> str:
    """The seal of the record as it stands: the digest of :func:`sealed_content`.

    Why in parts: the canonical JSON of each snapshot and response is built once per content
    (:func:`~safetycheck.lifecycle.events.struct_canonical`) and joined as the whole would be
    written, so checking the seal of every document costs little beyond the SHA-256.
    """
    fields = {name: canonical(getattr(record, name)) for name in HEAD if getattr(record, name) is not None}
    fields["checklists"] = list_canonical(record.checklists)
    fields["responses"] = list_canonical(record.responses)
    return hashlib.sha256(fields_canonical(fields)).hexdigest()


def response_key(response: Response) -> str:
    """``checklist/item``."""
    return f"{response.checklist}/{response.item}"


def parts(record: InspectionRecord) -> dict[str, str]:
    """A short digest of each part the seal covers: ``head``, ``checklists/ID``, ``responses/CL/ITEM``."""
    out = {"head": digest({name: getattr(record, name) for name in HEAD})[:PART_DIGITS]}
    for snap in record.checklists:
        out[f"checklists/{snap.id}"] = struct_digest(snap)[:PART_DIGITS]
    for r in record.responses:
        out[f"responses/{response_key(r)}"] = struct_digest(r)[:PART_DIGITS]
    return out


def hazard_ids_used(record: InspectionRecord) -> set[str]:
    """Every hazard id the record has ever given (in its responses and in amended events)."""
    used = {r.hazard.id for r in record.responses if r.hazard and r.hazard.id}
    for event in record.events:
        if event.hazard:
            used.add(event.hazard)
        old = event.detail.get("old") if event.kind == "amended" else None
        if isinstance(old, dict) and isinstance(old.get("hazard"), dict) and old["hazard"].get("id"):
            used.add(str(old["hazard"]["id"]))
    return used


def next_hazard_id(used: set[str]) -> str:
    """The next free ``hN``: one past the highest ever given, so an id is never reused."""
    numbers = [int(h[1:]) for h in used if h.startswith("h") and h[1:].isdigit()]
    return f"h{max(numbers, default=0) + 1}"


def assign_hazard_ids(record: InspectionRecord) -> None:
    """Give every fail that holds a hazard without an id the next free id, in plan order.

    A ``same_as`` copy carries no hazard of its own: it refers to the one asked.
    """
    used = hazard_ids_used(record)
    for r in record.responses:
        if r.same_as:
            r.hazard = None
            continue
        if r.result == "fail" and r.hazard is not None and not r.hazard.id:
            r.hazard.id = next_hazard_id(used)
            used.add(r.hazard.id)


def seal_record(record: InspectionRecord, at: dt.datetime | None = None) -> None:
    """Seal a record that has just been completed: id, hazard ids, seal and the ``completed`` event.

    Does nothing to a record that is not complete or is already sealed.
    """
    if record.status != "complete" or record.seal:
        return
    record.schema = SCHEMA_2
    if not record.id:
        record.id = str(uuid.uuid4())
    assign_hazard_ids(record)
    for r in record.responses:
        if r.hazard is not None:
            r.hazard.status = None
    record.seal = compute_seal(record)
    append_event(record, "completed", at or record.finished_at or record.started_at,
                 detail={"parts": parts(record)})


def migrate(record: InspectionRecord) -> InspectionRecord:
    """Bring a ``/1`` record to ``/2`` in memory (the file is written as ``/2`` only when it changes).

    Why deterministic: the id is the UUIDv5 of ``started_at``, the unit name and the snapshot
    hashes, and the seal and events come from the record alone, so the same file always gives
    the same ids, seal and chain.
    """
    if record.schema != SCHEMA_1:
        return record
    name = "\n".join([record.started_at.isoformat(), record.unit.name, *(s.sha256 for s in record.checklists)])
    record.id = str(uuid.uuid5(NAMESPACE, name))
    closed = {response_key(r): r.hazard.status for r in record.responses if r.hazard and r.hazard.status}
    numbers = dict(record.numbers)
    record.numbers = {}
    record.schema = SCHEMA_2
    if record.status != "complete":
        for r in record.responses:
            if r.hazard is not None:
                r.hazard.status = None
        return record
    seal_record(record, record.finished_at)
    at = record.finished_at or record.started_at
    for doc, number in numbers.items():
        append_event(record, "issued", at, detail={"document": doc, "key": doc, "number": number,
                                                   "seal": record.seal, "migrated": True})
    for r in record.responses:
        if r.hazard and r.hazard.id and closed.get(response_key(r)) == "closed":
            append_event(record, "closed", at, hazard=r.hazard.id, detail={"migrated": True})
    return record


# --- verify -------------------------------------------------------------------------------


@dataclass
class Verdict:
    """What ``verify`` found for one record."""

    state: str  # intact, not-sealed, changed
    seal: str | None = None
    changes: list[str] = field(default_factory=list)
    migrated: bool = False

    @property
    def ok(self) -> bool:
        """Intact, or not sealed yet (a walk in progress)."""
        return self.state != "changed"


def expected_seal(record: InspectionRecord) -> str | None:
    """The seal the content should have now: the last amendment's, else the seal of completion."""
    for event in reversed(record.events):
        if event.kind == "amended" and isinstance(event.detail.get("seal"), str):
            return str(event.detail["seal"])
    return record.seal


def expected_parts(record: InspectionRecord) -> dict[str, str]:
    """Part digests as the events last recorded them."""
    out: dict[str, str] = {}
    for event in record.events:
        recorded = event.detail.get("parts")
        if event.kind == "completed" and isinstance(recorded, dict):
            out = {str(k): str(v) for k, v in recorded.items()}
        elif event.kind == "amended" and isinstance(event.detail.get("part"), str):
            out[f"responses/{event.detail.get('response')}"] = str(event.detail["part"])
        elif event.kind == "amended" and event.detail.get("response"):
            out.pop(f"responses/{event.detail.get('response')}", None)
    return out


def verify_record(record: InspectionRecord, was_v1: bool = False) -> Verdict:
    """Recompute the seal and the chain.

    Args:
        record: the record as read (a ``/1`` one already migrated).
        was_v1: the file is ``/1``, sealed in memory just now.

    Returns:
        ``intact``, ``not-sealed`` (a walk in progress), or ``changed`` with what changed.
    """
    if not record.seal:
        if record.status != "complete" and not record.events:
            return Verdict("not-sealed")
        return Verdict("changed", changes=[t("verify.no_seal")])
    changes: list[str] = []
    previous = record.seal
    for n, event in enumerate(record.events, 1):
        if event_hash(previous, event) != event.hash:
            which = t("verify.event", n=n, kind=event.kind, at=event.at.isoformat())
            changes.append(t("verify.event_changed", event=which) if n > 1 else t("verify.first_event", event=which))
            break
        previous = event.hash
    if not record.events or record.events[0].kind != "completed":
        changes.append(t("verify.no_completed"))
    if compute_seal(record) != expected_seal(record):
        wanted = expected_parts(record)
        now = parts(record)
        named = [k for k in sorted(set(wanted) | set(now)) if wanted.get(k) != now.get(k)]
        changes.extend(t("verify.part_changed", part=_part_words(k)) for k in named)
        if not named:
            changes.append(t("verify.content_changed"))
    changes.extend(review_changes(record))
    if changes:
        return Verdict("changed", record.seal, changes, was_v1)
    return Verdict("intact", record.seal, migrated=was_v1)


def _part_words(key: str) -> str:
    kind, _, rest = key.partition("/")
    if kind == "responses":
        return t("verify.part_response", item=rest)
    if kind == "checklists":
        return t("verify.part_checklist", id=rest)
    return t("verify.part_head")


