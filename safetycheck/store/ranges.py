"""Number ranges (号段) for offline devices: reserved in the shared store, drawn from a local file.

Why: a laptop without a connection must still issue numbers that no other device issues. It
reserves a range while online (``numbers reserve``); offline, numbers come from its ranges (so
they can come out of date order), and the next connection marks them issued in the store. Every
read and write of the local file holds its lock, so two processes never draw the same number.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import tomli_w

from safetycheck.errors import SafetycheckError
from safetycheck.messages import t
from safetycheck.store.dialect import Database, StoreError, data_dir

RANGES_FILE = "number-ranges.toml"
LOCK_WAIT = 10.0  # seconds a command waits for another one drawing from the ranges


def ranges_path(env: Mapping[str, str] | None = None) -> Path:
    """This device's ranges, in the user data folder."""
    return data_dir(env) / RANGES_FILE


def read_ranges(env: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """The device's ranges: agency, code, year, first, last, used (numbers drawn), reported (sent to the store)."""
    path = ranges_path(env)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StoreError(t("number.bad_file", path=path, error=exc)) from None
    return list(data.get("ranges") or [])


def write_ranges(rows: list[dict[str, Any]], env: Mapping[str, str] | None = None) -> None:
    """Replace the device's ranges file, atomically."""
    from safetycheck import fileio

    path = ranges_path(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    fileio.atomic_write(path, tomli_w.dumps({"ranges": rows}).encode("utf-8"), "number.unwritable", StoreError)


@contextlib.contextmanager
def locked(env: Mapping[str, str] | None = None) -> Iterator[None]:
    """Hold the ranges file's lock for a read and write of it, so two processes never draw one number.

    Raises:
        StoreError: another process kept it for longer than ``LOCK_WAIT`` seconds.
    """
    from safetycheck import fileio

    path = ranges_path(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        held = fileio.acquire_lock(path.with_name(path.name + ".lock"), "short", LOCK_WAIT)
    except fileio.LockBusy as busy:
        raise StoreError(t("numbers.ranges_locked", path=path, pid=busy.pid, seconds=int(LOCK_WAIT))) from None
    try:
        yield
    finally:
        held.release()


def reserve(db: Database, agency: str, code: str, year: int, count: int, device: str,
            env: Mapping[str, str] | None = None) -> tuple[int, int]:
    """Reserve ``count`` consecutive numbers for this device, in one transaction; (first, last).

    Raises:
        StoreError: on the embedded store (a range there protects nothing), or a bad count.
    """
    if db.engine == "sqlite":
        raise StoreError(t("numbers.reserve_embedded"))
    if not 1 <= count <= 100_000:
        raise StoreError(t("numbers.bad_count", count=count))
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    for _ in range(50):
        try:
            with db.transaction():
                row = db.one("SELECT MAX(seq) FROM numbers WHERE agency = ? AND code = ? AND year = ?",
                             (agency, code, year))
                first = int(row[0] or 0) + 1 if row else 1
                for seq in range(first, first + count):
                    db.execute("INSERT INTO numbers (agency, code, year, seq, status, device, at)"
                               " VALUES (?, ?, ?, ?, 'reserved', ?, ?)", (agency, code, year, seq, device, now))
            break
        except Exception as exc:
            if not db.is_integrity_error(exc):
                raise
    else:
        raise StoreError(t("store.number_busy", code=code, year=year))
    with locked(env):
        rows = read_ranges(env)
        rows.append({"agency": agency, "code": code, "year": year, "first": first, "last": first + count - 1,
                     "used": [], "reported": [], "at": now})
        write_ranges(rows, env)
    return first, first + count - 1


def draw(agency: str, code: str, year: int, env: Mapping[str, str] | None = None) -> int:
    """The next unused number of this device's ranges (offline).

    Raises:
        StoreError: no range left for this code and year: says how to reserve one.
    """
    with locked(env):
        rows = read_ranges(env)
        for row in rows:
            if (row.get("agency"), row.get("code"), row.get("year")) != (agency, code, year):
                continue
            used = set(row.get("used") or [])
            for seq in range(int(row["first"]), int(row["last"]) + 1):
                if seq not in used:
                    row.setdefault("used", []).append(seq)
                    write_ranges(rows, env)
                    return seq
    raise StoreError(t("numbers.no_range", code=code, year=year))


def report_drawn(db: Database, env: Mapping[str, str] | None = None) -> int:
    """Mark numbers drawn offline as issued in the store; how many were sent."""
    if not ranges_path(env).exists():
        return 0
    sent = 0
    with locked(env):
        rows = read_ranges(env)
        for row in rows:
            pending = [s for s in row.get("used") or [] if s not in set(row.get("reported") or [])]
            if not pending:
                continue
            with db.transaction():
                for seq in pending:
                    db.execute("UPDATE numbers SET status = 'issued' WHERE agency = ? AND code = ? AND year = ?"
                               " AND seq = ? AND status = 'reserved'", (row["agency"], row["code"], row["year"], seq))
            row.setdefault("reported", []).extend(pending)
            sent += len(pending)
        if sent:
            write_ranges(rows, env)
    return sent


def status_rows(db: Database | None, agency: str, env: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Per code and year: this device's ranges, used, voided and the next numbers."""
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for row in read_ranges(env):
        if row.get("agency") != agency:
            continue
        key = (str(row["code"]), int(row["year"]))
        entry = out.setdefault(key, {"code": key[0], "year": key[1], "ranges": [], "used": 0, "voided": 0,
                                     "next_offline": None, "next_online": None})
        entry["ranges"].append(f"{row['first']}-{row['last']}")
        used = set(row.get("used") or [])
        entry["used"] += len(used)
        free = [s for s in range(int(row["first"]), int(row["last"]) + 1) if s not in used]
        if free and entry["next_offline"] is None:
            entry["next_offline"] = free[0]
    if db is not None:
        for code, year, top, voided in db.all(
                "SELECT code, year, MAX(seq), SUM(CASE WHEN status = 'voided' THEN 1 ELSE 0 END) FROM numbers"
                " WHERE agency = ? GROUP BY code, year ORDER BY code, year", (agency,)):
            key = (str(code), int(year))
            entry = out.setdefault(key, {"code": key[0], "year": key[1], "ranges": [], "used": 0, "voided": 0,
                                         "next_offline": None, "next_online": None})
            entry["voided"] = int(voided or 0)
            entry["next_online"] = int(top or 0) + 1
    return [out[k] for k in sorted(out)]


__all__ = ["SafetycheckError", "draw", "report_drawn", "reserve", "status_rows"]
