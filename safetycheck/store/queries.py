"""Finding records and hazards in the store: ``records``, ``records get``, ``hazards list --store``, ``verify``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

from safetycheck.errors import SafetycheckError
from safetycheck.lifecycle.ledger import Ledger, cell_text, matches
from safetycheck.messages import t
from safetycheck.store.dialect import Database, StoreError
from safetycheck.text import json_text

RECORD_KEYS = ("record_id", "day", "unit", "mode", "status", "checklists", "inspectors", "responses", "fails",
               "hazards", "open", "overdue", "numbers", "file")
TABLE_KEYS = ("day", "unit", "mode", "checklists", "inspectors", "fails", "open", "overdue", "numbers", "file")


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own ``%``, ``_`` and ``\\`` taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _shown_hazard(raw: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """A stored ledger row with its status, overdue days and status words as of ``today``."""
    row = dict(raw)
    base = row["status"] if row["status"] != "overdue" else "open"
    deadline = dt.date.fromisoformat(row["deadline"]) if row.get("deadline") else None
    overdue = (today - deadline).days if base == "open" and deadline is not None and today > deadline else 0
    row["status"] = "overdue" if overdue else base
    row["overdue_days"] = overdue
    key = "doc.status.awaiting" if row["status"] == "rectified" and row.get("awaits_authority") else \
        f"doc.status.{row['status']}"
    row["status_text"] = t(key)
    return row


def _base_status(db: Database, record_id: str) -> list[tuple[str, str | None]]:
    return [(str(s), d) for s, d in db.all("SELECT status, deadline FROM hazards WHERE record_id = ?", (record_id,))]


def hazard_ledger(db: Database, status: str = "not-closed", level: str | None = None, unit: str | None = None,
                  due_within: int | None = None, today: dt.date | None = None) -> Ledger:
    """The hazard ledger from the store's query tables, with the columns and filters of ``hazards list``."""
    day = today or dt.date.today()
    where, params = ["1 = 1"], []
    if status in ("open", "overdue"):
        where.append("status = 'open'")
    elif status in ("rectified", "closed"):
        where.append("status = ?")
        params.append(status)
    elif status == "not-closed":
        where.append("status <> 'closed'")
    if status == "overdue":
        where.append("deadline < ?")
        params.append(day.isoformat())
    if level:
        where.append("level = ?")
        params.append(level)
    if unit:
        where.append("unit LIKE ? ESCAPE '\\'")
        params.append(_like(unit))
    ledger = Ledger()
    for (text,) in db.all(f"SELECT data FROM hazards WHERE {' AND '.join(where)}", params):  # noqa: S608
        row = _shown_hazard(json.loads(text), day)
        if matches(row, status, level, unit, due_within, day):
            ledger.rows.append(row)
    ledger.rows.sort(key=lambda r: (-r["overdue_days"], r["deadline"] or "9999", r["file"], _seq(r["hazard"])))
    return ledger


def _seq(hazard: str) -> int:
    return int(hazard[1:]) if hazard[1:].isdigit() else 0


def list_records(db: Database, unit: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
                 mode: str | None = None, checklist: str | None = None, status: str | None = None,
                 inspector: str | None = None, flagged: bool = False) -> list[dict[str, Any]]:
    """One row per record (``RECORD_KEYS``); ``flagged``: the conflict and tampered revisions instead."""
    if flagged:
        return [{"record_id": r, "file": f, "flag": fl, "device": d, "synced_at": at, "digest": dg}
                for r, f, fl, d, at, dg in db.all("SELECT record_id, file, flag, device, synced_at, digest"
                                                  " FROM revisions WHERE flag IS NOT NULL ORDER BY id")]
    where, params = ["1 = 1"], []
    if unit:
        where.append("unit LIKE ? ESCAPE '\\'")
        params.append(_like(unit))  # checklists and inspectors are JSON lists: matched below, not in SQL
    if mode:
        where.append("mode = ?")
        params.append(mode)
    if status:
        where.append("status = ?")
        params.append(status)
    if since:
        where.append("day >= ?")
        params.append(since.isoformat())
    if until:
        where.append("day <= ?")
        params.append(until.isoformat())
    today = dt.date.today().isoformat()
    counts = {str(r): (int(o or 0), int(v or 0)) for r, o, v in db.all(
        "SELECT record_id, SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN status = 'open' AND deadline < ? THEN 1 ELSE 0 END) FROM hazards GROUP BY record_id",
        (today,))}
    rows = []
    for values in db.all(f"SELECT record_id, day, unit, mode, status, checklists, inspectors, responses, fails,"  # noqa: S608
                         f" hazards, numbers, file FROM records WHERE {' AND '.join(where)} ORDER BY day, unit",
                         params):
        rid, day, unit_, mode_, status_, lists, people, responses, fails, hazards, numbers, file = values
        names, persons = json.loads(lists), json.loads(people)
        if checklist and checklist not in names:
            continue
        if inspector and not any(inspector in p for p in persons):
            continue
        opened, overdue = counts.get(str(rid), (0, 0))
        rows.append({"record_id": rid, "day": day, "unit": unit_, "mode": mode_, "status": status_,
                     "checklists": names, "inspectors": persons, "responses": int(responses), "fails": int(fails),
                     "hazards": int(hazards), "open": opened, "overdue": overdue, "numbers": json.loads(numbers),
                     "file": file})
    return rows


def print_records(rows: list[dict[str, Any]], fmt: str, flagged: bool = False) -> None:
    """Print ``records`` as a table, JSON or CSV."""
    keys = ("record_id", "flag", "device", "synced_at", "file") if flagged else RECORD_KEYS
    if fmt == "json":
        sys.stdout.write(json_text(rows) + "\n")
        return
    if fmt == "csv":
        from safetycheck.lifecycle.ledger import _csv_cell

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([t(f"records.{k}") for k in keys])
        for row in rows:
            writer.writerow([_csv_cell(row[k]) for k in keys])
        sys.stdout.write(buffer.getvalue())
        return
    import shutil

    from safetycheck.layout import table

    shown = ("record_id", "flag", "synced_at", "file") if flagged else TABLE_KEYS
    if rows:
        cells = [[cell_text(row[k]) for k in shown] for row in rows]
        index = {k: i for i, k in enumerate(shown)}
        width = shutil.get_terminal_size((100, 24)).columns
        text = table([t(f"records.{k}") for k in shown], cells, width,
                     shrink=tuple(index[k] for k in ("unit", "file", "checklists") if k in index))
        sys.stdout.write(text + "\n")
    sys.stdout.write(t("records.count", count=len(rows)) + "\n")


def check_out(db: Database, record_id: str, out: Path) -> None:
    """Write the store's latest good revision of a record to ``out`` (a new file).

    Raises:
        StoreError: no such record, or ``out`` exists.
    """
    from safetycheck import fileio
    from safetycheck.store.sync import latest

    found = latest(db, record_id)
    if found is None:
        raise StoreError(t("records.not_found", id=record_id))
    if out.exists():
        raise StoreError(t("records.out_exists", path=out))
    fileio.atomic_write(out, str(found["raw"]).encode("utf-8"), "output.unwritable", SafetycheckError)


def compare(db: Database, path: Path) -> dict[str, Any]:
    """How a record file stands against the store: ``in-store``, ``changed``, ``not-in-store``."""
    from safetycheck.lifecycle.files import load_record
    from safetycheck.store.sync import file_digest, latest

    raw = path.read_bytes()
    record, _ = load_record(path)
    found = latest(db, str(record.id))
    if found is None:
        return {"store": "not-in-store"}
    if found["digest"] == file_digest(raw):
        return {"store": "in-store", "synced_at": found["synced_at"]}
    changes = []
    n = int(found["events_n"])
    added = record.events[n:] if n <= len(record.events) and (n == 0 or record.events[n - 1].hash == found["head"]) \
        else None
    if added is None:
        changes.append(t("verify.store_diverged"))
    else:
        changes.extend(t("verify.store_event", kind=e.kind, at=e.at.isoformat()) for e in added)
        if not added:
            changes.append(t("verify.store_content"))
    return {"store": "changed", "synced_at": found["synced_at"], "store_changes": changes}
