"""Reading records as ``/2`` (a ``/1`` file migrated in memory) and changing them under their lock.

Why one door: every command after the walk reads the same way and writes only when it changed
something, atomically, under the record's lock; a refused change leaves the file byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from safetycheck.inspection.recordmodels import InspectionRecord
from safetycheck.inspection.records import read_record, record_lock, write_record
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
    with record_lock(path):
        record, _ = load_record(path)
        result = change(record)
        write_record(path, record)
    return result
