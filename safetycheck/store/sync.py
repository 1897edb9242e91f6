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
    from safetycheck.lifecycle.standing import asked_items

    rid = str(record.id)
    for table in QUERY_TABLES:
        db.execute(f"DELETE FROM {table} WHERE record_id = ?", (rid,))  # noqa: S608 - our table names
    states = hazard_states(record) if record.status == "complete" else []
    issued = issues(record)
    day = (record.finished_at or record.started_at).date().isoformat()
    items = list(asked_items(record))
    db.execute("INSERT INTO records (record_id, revision_id, file, day, unit, mode, status, checklists, inspectors,"
               " responses, fails, hazards, numbers, started, industries, asked)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (rid, revision, file, day, record.unit.name, record.mode, record.status,
                json.dumps([c.id for c in record.checklists], ensure_ascii=False),
                json.dumps([p.name for p in record.inspectors], ensure_ascii=False), len(record.responses),
                sum(1 for r in record.responses if r.result == "fail"), len(states),
                json.dumps([i.number for i in issued.values() if i.number], ensure_ascii=False),
                record.started_at.date().isoformat(), json.dumps(list(record.unit.industry), ensure_ascii=False),
                len(items)))
    _items_and_names(db, record, items)
    for r in record.responses:
        db.execute("INSERT INTO responses (record_id, checklist, item, result, note) VALUES (?, ?, ?, ?, ?)",
                   (rid, r.checklist, r.item, r.result, getattr(r, "note", None)))
    today = dt.date.today()
    static = {h.id: h for h in _hazard_days(db, record)} if states else {}
    for state in states:
        row = ledger_row(record, state, file, today)
        row.pop("status_text", None)
        row["awaits_authority"] = state.awaits_authority
        h = static.get(state.id)
        db.execute("INSERT INTO hazards (record_id, hazard, unit, level, status, deadline, data, checklist, item,"
                   " description, found, corrected_on_site, measures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (rid, state.id, record.unit.name, state.hazard.level, state.status, row["deadline"],
                    json.dumps(row, ensure_ascii=False, default=str), state.response.checklist, state.response.item,
                    state.hazard.description, h.found.isoformat() if h else None, int(h.corrected_on_site) if h else 0,
                    h.measures if h else 0))
    for n, event in enumerate(record.events, 1):
        db.execute("INSERT INTO record_events (record_id, n, kind, at, hazard) VALUES (?, ?, ?, ?, ?)",
                   (rid, n, event.kind, event.at.isoformat(), event.hazard))
    for issue in issued.values():
        db.execute("INSERT INTO documents (record_id, doc_key, document, number, at) VALUES (?, ?, ?, ?, ?)",
                   (rid, issue.key, issue.document, issue.number, issue.at.isoformat()))


QUERY_TABLES = ("records", "responses", "hazards", "record_events", "documents", "record_items", "record_names",
                "hazard_days", "reviews")
FIRST, LAST = "0001-01-01", "9999-12-31"  # the open ends of a period in hazard_days


def _items_and_names(db: Database, record: InspectionRecord, items: list[tuple[str, str, str, bool]]) -> None:
    """The items asked (``same_as`` copies left out), the inspectors' and industries' names, the reviews."""
    from safetycheck.lifecycle.standing import review_results

    rid = str(record.id)
    seen: set[tuple[str, str]] = set()
    for checklist, item, text, failed in items:
        if (checklist, item) not in seen:
            seen.add((checklist, item))
            db.execute("INSERT INTO record_items (record_id, checklist, item, failed, text) VALUES (?, ?, ?, ?, ?)",
                       (rid, checklist, item, int(failed), text))
    names = {("inspector", p.name) for p in record.inspectors if p.name} | {
        ("industry", name) for name in record.unit.industry}
    for kind, name in sorted(names):
        db.execute("INSERT INTO record_names (record_id, kind, name) VALUES (?, ?, ?)", (rid, kind, name))
    for review, hazard, result, day in review_results(record):
        db.execute("INSERT INTO reviews (record_id, review, hazard, result, day) VALUES (?, ?, ?, ?, ?)"
                   " ON CONFLICT DO NOTHING", (rid, review, hazard, result, day.isoformat() if day else None))


def _hazard_days(db: Database, record: InspectionRecord) -> list[Any]:
    """One row per hazard and period over which its standing holds; the hazards as first found."""
    from safetycheck.lifecycle.standing import standing_periods

    rid = str(record.id)
    last: dict[str, tuple[Any, ...]] = {}
    last_since: dict[str, str] = {}
    rows: dict[tuple[str, str], list[Any]] = {}
    first: list[Any] = []
    for start, end, hazards in standing_periods(record):
        since, until = start.isoformat() if start else FIRST, end.isoformat() if end else LAST
        if not first:
            first = hazards
        for h in hazards:
            standing = (h.status, h.deadline.isoformat() if h.deadline else None,
                        h.closed_on.isoformat() if h.closed_on else None, h.funds, h.reviews_passed, h.reviews_failed,
                        int(h.has_plan), h.reported_regulator, h.listed)
            if last.get(h.id) == standing:
                rows[(h.id, last_since[h.id])][1] = until  # the same standing goes on
                continue
            last[h.id] = standing
            last_since[h.id] = since
            rows[(h.id, since)] = [since, until, *standing]
    for (hid, _since), row in rows.items():
        db.execute("INSERT INTO hazard_days (record_id, hazard, since, until, status, deadline, closed_on, funds,"
                   " reviews_passed, reviews_failed, has_plan, reported, listed)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (rid, hid, *row))
    return first


def rebuild_all(db: Database) -> int:
    """Rebuild the query tables of every record from its latest good revision (``store upgrade``); how many."""
    from safetycheck.inspection.records import parse_record
    from safetycheck.lifecycle.seal import migrate

    done = 0
    for rid, in db.all("SELECT DISTINCT record_id FROM revisions WHERE flag IS NULL ORDER BY record_id"):
        row = db.one("SELECT id, raw, file FROM revisions WHERE record_id = ? AND flag IS NULL"
                     " ORDER BY id DESC LIMIT 1", (rid,))
        if row is None:
            continue
        record = migrate(parse_record(str(row[1]).encode("utf-8"), str(row[2])))
        rebuild(db, record, int(row[0]), str(row[2]))
        done += 1
    return done


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
