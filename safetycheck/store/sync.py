"""``safetycheck sync``: record files into the store, one transaction per record, with lineage and flags.

Lineage comes from the record's own chain of events: a revision whose chain extends the chain of
the store's latest good revision of that record ``id`` is a fast-forward; one that branches off an
earlier revision is a fork, kept and flagged ``conflict``. A revision whose seal or chain no longer
holds is kept and flagged ``tampered``. Query tables are rebuilt from the latest unflagged revision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetycheck.errors import SafetycheckError
from safetycheck.inspection.recordmodels import InspectionRecord
from safetycheck.lifecycle.ledger import RECORD_MARK, record_files
from safetycheck.messages import t
from safetycheck.store.dialect import Database

ADDED, UNCHANGED, CONFLICT, TAMPERED = "added", "unchanged", "conflict", "tampered"


@dataclass
class SyncResult:
    """What one ``sync`` did: a count per outcome, and the files refused (one line each)."""

    counts: dict[str, int] = field(default_factory=lambda: {ADDED: 0, UNCHANGED: 0, CONFLICT: 0, TAMPERED: 0})
    refused: list[str] = field(default_factory=list)
    flagged: list[tuple[str, str]] = field(default_factory=list)  # (file, flag)


def file_digest(raw: bytes) -> str:
    """The SHA-256 of a record file's bytes."""
    return hashlib.sha256(raw).hexdigest()


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _latest_good(db: Database, record_id: str) -> tuple[int, str, str | None, int] | None:
    row = db.one("SELECT id, digest, head, events_n FROM revisions WHERE record_id = ? AND flag IS NULL"
                 " ORDER BY id DESC LIMIT 1", (record_id,))
    return None if row is None else (int(row[0]), str(row[1]), row[2], int(row[3]))


def lineage(db: Database, record: InspectionRecord) -> tuple[str | None, bool]:
    """The parent revision's digest of ``record`` and whether it is a fast-forward of the latest good one."""
    rid = str(record.id)
    hashes = [e.hash for e in record.events]
    latest = _latest_good(db, rid)
    if latest is None:
        return None, True
    _, digest, head, n = latest
    if n == 0 or (n <= len(hashes) and hashes[n - 1] == head):
        return digest, True
    parent = None
    for digest_, head_, n_ in db.all("SELECT digest, head, events_n FROM revisions WHERE record_id = ?"
                                     " ORDER BY events_n DESC, id DESC", (rid,)):
        n_ = int(n_)
        if n_ == 0 or (n_ <= len(hashes) and hashes[n_ - 1] == head_):
            parent = str(digest_)
            break
    return parent, False


def store_file(db: Database, path: Path, raw: bytes, device: str) -> tuple[str, InspectionRecord | None]:
    """Put one record file into the store in one transaction; its outcome and the record (None: unchanged).

    Raises:
        SafetycheckError: the file is not a structurally valid record (FILE:LINE), nothing stored.
    """
    from safetycheck.inspection.records import parse_record
    from safetycheck.lifecycle.seal import SCHEMA_1, migrate, verify_record

    digest = file_digest(raw)
    if db.one("SELECT 1 FROM revisions WHERE digest = ?", (digest,)):
        return UNCHANGED, None  # the same bytes are stored: nothing to read
    parsed = parse_record(raw, str(path))
    was_v1 = parsed.schema == SCHEMA_1
    record = migrate(parsed)
    rid = str(record.id)
    with db.transaction(exclusive=True):
        if db.engine == "postgresql":  # one writer per record at a time, so two fast-forwards cannot race
            db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (rid,))
        if db.one("SELECT 1 FROM revisions WHERE record_id = ? AND digest = ?", (rid, digest)):
            return UNCHANGED, record
        verdict = verify_record(record, was_v1)
        parent, forward = lineage(db, record)
        flag = TAMPERED if not verdict.ok else (None if forward else CONFLICT)
        head = record.events[-1].hash if record.events else None
        db.execute("INSERT INTO revisions (record_id, digest, parent, raw, seal, head, events_n, device, synced_at,"
                   " file, flag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (rid, digest, parent, raw.decode("utf-8"), record.seal, head, len(record.events), device, _now(),
                    str(path.resolve()), flag))
        row = db.one("SELECT id FROM revisions WHERE record_id = ? AND digest = ?", (rid, digest))
        revision = int(row[0]) if row else 0
        if flag is None:
            for n, event in enumerate(record.events, 1):
                if not db.one("SELECT 1 FROM events WHERE record_id = ? AND n = ? AND hash = ?", (rid, n, event.hash)):
                    db.execute("INSERT INTO events (revision_id, record_id, n, kind, at, hazard, hash)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (revision, rid, n, event.kind, event.at.isoformat(), event.hazard, event.hash))
            rebuild(db, record, revision, str(path.resolve()))
    return flag or ADDED, record


def rebuild(db: Database, record: InspectionRecord, revision: int, file: str) -> None:
    """Replace the query rows of ``record`` by those of this (its latest good) revision."""
    from safetycheck.lifecycle.hazards import hazard_states
    from safetycheck.lifecycle.issuing import issues
    from safetycheck.lifecycle.ledger import ledger_row

    rid = str(record.id)
    for table in ("records", "responses", "hazards", "record_events", "documents"):
        db.execute(f"DELETE FROM {table} WHERE record_id = ?", (rid,))  # noqa: S608 - our table names
    states = hazard_states(record) if record.status == "complete" else []
    issued = issues(record)
    day = (record.finished_at or record.started_at).date().isoformat()
    db.execute("INSERT INTO records (record_id, revision_id, file, day, unit, mode, status, checklists, inspectors,"
               " responses, fails, hazards, numbers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (rid, revision, file, day, record.unit.name, record.mode, record.status,
                json.dumps([c.id for c in record.checklists], ensure_ascii=False),
                json.dumps([p.name for p in record.inspectors], ensure_ascii=False), len(record.responses),
                sum(1 for r in record.responses if r.result == "fail"), len(states),
                json.dumps([i.number for i in issued.values() if i.number], ensure_ascii=False)))
    for r in record.responses:
        db.execute("INSERT INTO responses (record_id, checklist, item, result, note) VALUES (?, ?, ?, ?, ?)",
                   (rid, r.checklist, r.item, r.result, getattr(r, "note", None)))
    today = dt.date.today()
    for state in states:
        row = ledger_row(record, state, file, today)
        row.pop("status_text", None)
        row["awaits_authority"] = state.awaits_authority
        db.execute("INSERT INTO hazards (record_id, hazard, unit, level, status, deadline, data)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)", (rid, state.id, record.unit.name, state.hazard.level,
                                                     state.status, row["deadline"],
                                                     json.dumps(row, ensure_ascii=False, default=str)))
    for n, event in enumerate(record.events, 1):
        db.execute("INSERT INTO record_events (record_id, n, kind, at, hazard) VALUES (?, ?, ?, ?, ?)",
                   (rid, n, event.kind, event.at.isoformat(), event.hazard))
    for issue in issued.values():
        db.execute("INSERT INTO documents (record_id, doc_key, document, number, at) VALUES (?, ?, ?, ?, ?)",
                   (rid, issue.key, issue.document, issue.number, issue.at.isoformat()))


def candidates(paths: list[Path]) -> Iterable[Path]:
    """The record files under ``paths``, as ``hazards list`` selects them."""
    return record_files(paths)


def sync_paths(db: Database, paths: list[Path], device: str,
               advance: Callable[[], None] | None = None) -> SyncResult:
    """Push every record file under ``paths``; a file refused is one line, the others go on."""
    result = SyncResult()
    for path in candidates(paths):
        _sync_one(db, path, device, result)
        if advance is not None:
            advance()
    return result


def _sync_one(db: Database, path: Path, device: str, result: SyncResult) -> None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        result.refused.append(t("ledger.unreadable", path=path, error=exc.strerror or exc))
        return
    if RECORD_MARK not in raw:
        return
    try:
        outcome, _ = store_file(db, path, raw, device)
    except SafetycheckError as exc:
        result.refused.append(str(exc).splitlines()[0])
        return
    except UnicodeDecodeError as exc:
        result.refused.append(t("ledger.unreadable", path=path, error=exc))
        return
    result.counts[outcome] += 1
    if outcome in (CONFLICT, TAMPERED):
        result.flagged.append((str(path), outcome))


def latest(db: Database, record_id: str) -> dict[str, Any] | None:
    """The store's latest good revision of a record: digest, raw text, events, sync time, device."""
    row = db.one("SELECT digest, raw, events_n, synced_at, device, head FROM revisions WHERE record_id = ?"
                 " AND flag IS NULL ORDER BY id DESC LIMIT 1", (record_id,))
    if row is None:
        return None
    return {"digest": row[0], "raw": row[1], "events_n": int(row[2]), "synced_at": row[3], "device": row[4],
            "head": row[5]}
