"""Document numbers from the store: one transaction under a unique constraint, voids, counter import.

Why the store: two laptops sharing one store never issue the same number; the embedded SQLite
store is per laptop, so one numbering across laptops needs the shared server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from safetycheck.messages import t
from safetycheck.store.dialect import Database, StoreError

COUNTER_FILE = "document-numbers.toml"
RETRIES = 50
MAX_SEQ = 2**63 - 1  # a 64-bit integer in both engines


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def counter_path(env: Mapping[str, str] | None = None) -> Path:
    """The local counter file of the lifecycle's per-machine numbering."""
    from safetycheck.inspection.config import state_dir

    return state_dir(env) / COUNTER_FILE


def read_counter_file(env: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """The local counter file, checked as numbering always read it; None when there is none.

    Raises:
        NumberingError: the file is damaged, out of range or not a regular file (its line as before).
    """
    from safetycheck.documents.numbering import read_counters

    return read_counters(counter_path(env))


def _imported(db: Database, path: Path, device: str) -> bool:
    return db.one("SELECT 1 FROM imported_counters WHERE path IN (?, ?) AND device = ?",
                  (str(path), str(path.absolute()), device)) is not None


def import_counters(db: Database, env: Mapping[str, str] | None = None,
                    data: dict[str, Any] | None = None) -> bool:
    """Take the local counters (last numbers and voided ones) into the store, once per device.

    Args:
        db: the store.
        env: the environment (the config and data folders).
        data: the counter file as :func:`read_counter_file` read it; read here when None.

    Returns:
        Whether a counter file was imported now.

    Raises:
        NumberingError: the counter file cannot be read.
    """
    from safetycheck.store.dialect import device_id

    path = counter_path(env)
    if data is None:
        data = read_counter_file(env)
    if data is None:
        return False
    device = device_id(env)
    if _imported(db, path, device):
        return False
    now = _now()
    with db.transaction(exclusive=True):
        if db.engine == "postgresql":
            db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (device,))
        if _imported(db, path, device):  # another process of this device took it meanwhile
            return False
        for agency, codes in (data.get("counters") or {}).items():
            for code, years in (codes or {}).items():
                for year, last in (years or {}).items():
                    if type(last) is int and last > 0:
                        _insert_if_free(db, agency, code, int(year), last, "imported", device, now, str(path), None)
        for row in data.get("voided") or []:
            if isinstance(row, dict) and isinstance(row.get("seq"), int):
                _insert_if_free(db, str(row.get("agency")), str(row.get("code")), int(row.get("year", 0)),
                                row["seq"], "voided", device, now, str(row.get("record")), str(row.get("reason")))
        db.execute("INSERT INTO imported_counters (path, device, at) VALUES (?, ?, ?)",
                   (str(path.absolute()), device, now))
    return True


def _insert_if_free(db: Database, agency: str, code: str, year: int, seq: int, status: str, device: str, at: str,
                    record: str | None, reason: str | None) -> None:
    if db.one("SELECT 1 FROM numbers WHERE agency = ? AND code = ? AND year = ? AND seq = ?",
              (agency, code, year, seq)):
        if status == "voided":
            db.execute("UPDATE numbers SET status = 'voided', record = ?, reason = ? WHERE agency = ? AND code = ?"
                       " AND year = ? AND seq = ?", (record, reason, agency, code, year, seq))
        return
    db.execute("INSERT INTO numbers (agency, code, year, seq, status, device, at, record, reason)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (agency, code, year, seq, status, device, at, record, reason))


def check_imported(db: Database, env: Mapping[str, str] | None = None) -> None:
    """Refuse numbering while a local counter file exists that this store has not imported.

    Raises:
        StoreError: naming the file and ``store init``, which imports it.
    """
    from safetycheck.store.dialect import device_id

    path = counter_path(env)
    if (path.exists() or path.is_symlink()) and not _imported(db, path, device_id(env)):
        raise StoreError(t("store.counter_not_imported", path=path))


def allocate(db: Database, agency: str, code: str, year: int, device: str, record: str | None = None) -> int:
    """Take the next number of ``agency``'s ``code`` in ``year`` in one transaction.

    Why a retry: on PostgreSQL two transactions may read the same highest number; the unique
    constraint refuses the second insert, which then reads again.

    Raises:
        StoreError: the number could not be taken after many tries.
    """
    for _ in range(RETRIES):
        try:
            with db.transaction(exclusive=True):
                row = db.one("SELECT MAX(seq) FROM numbers WHERE agency = ? AND code = ? AND year = ?",
                             (agency, code, year))
                seq = int(row[0] or 0) + 1 if row else 1
                if seq > MAX_SEQ:
                    raise StoreError(t("store.numbers_exhausted", code=code, year=year, max=MAX_SEQ))
                db.execute("INSERT INTO numbers (agency, code, year, seq, status, device, at, record)"
                           " VALUES (?, ?, ?, ?, 'issued', ?, ?, ?)", (agency, code, year, seq, device, _now(), record))
            return seq
        except Exception as exc:
            if not db.is_integrity_error(exc):
                raise
    raise StoreError(t("store.number_busy", code=code, year=year))


def void_numbers(db: Database, agency: str, numbers: list[tuple[str, int, int, str]], record: str,
                 reason: str) -> None:
    """Mark numbers taken and not used as voided (作废), with the record and the reason."""
    with db.transaction():
        for code, year, seq, _number in numbers:
            db.execute("UPDATE numbers SET status = 'voided', record = ?, reason = ? WHERE agency = ? AND code = ?"
                       " AND year = ? AND seq = ?", (record, reason, agency, code, year, seq))
