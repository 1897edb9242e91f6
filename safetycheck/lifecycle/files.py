"""Reading records as ``/2`` (a ``/1`` file migrated in memory) and changing them under their lock.

Why one door: every command after the walk reads the same way and writes only when it changed
something, atomically, under the record's lock; a refused change leaves the file byte for byte.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from safetycheck.inspection.recordmodels import InspectionRecord
from safetycheck.inspection.records import RecordLock, read_record, record_lock, write_record
from safetycheck.lifecycle.seal import SCHEMA_1, migrate

T = TypeVar("T")


def load_record(path: Path) -> tuple[InspectionRecord, bool]:
    """Read a record, migrating a ``/1`` file in memory.

    Returns:
        The record (``/2``) and whether the file is ``/1``.

    Raises:
        RecordError: see :func:`safetycheck.inspection.records.read_record`.
    """
    record = read_record(path)
    was_v1 = record.schema == SCHEMA_1
    return migrate(record), was_v1


def change_record(path: Path, change: Callable[[InspectionRecord], T]) -> T:
    """Apply ``change`` to the record under its lock and write it back (only if ``change`` returns).

    Raises:
        RecordError: the record cannot be read, locked or written; whatever ``change`` raises
            (then nothing is written).
    """
    with waiting_lock(path) as lock:
        record, _ = load_record(path)
        result = change(record)
        lock.check()  # never over another writer who took the record after our lock file was removed
        write_record(path, record)
    return result


LOCK_WAIT = 10.0  # seconds a short command waits for another holder of the record's lock


@contextlib.contextmanager
def waiting_lock(path: Path) -> Iterator[RecordLock]:
    """The record's lock, waiting a bounded time (:data:`LOCK_WAIT`) while another short command holds it.

    Why: two ``hazards update`` calls on one record (two people at two desks) should both land,
    one after the other, rather than one failing at once; a walk holding the record fails at once.
    """
    with record_lock(path, "short", LOCK_WAIT) as lock:
        yield lock


def parse_migrated(raw: bytes, name: str) -> InspectionRecord:
    """Decode record bytes (see :func:`load_record`), migrating a ``/1`` record in memory."""
    from safetycheck.inspection.records import parse_record

    return migrate(parse_record(raw, name))
