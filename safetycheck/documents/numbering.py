"""Document numbers (文号): per-agency, per-code, per-year counters, kept locked on disk.

A number reads ``（潞应急）应急检记〔2026〕12号``: the agency's short name, the document code,
the year and a sequence that starts at 1 each year for each agency and code.

The program takes its numbers from the store (``store.numbers``, through the ``Allocator`` of
``lifecycle.issuing``); the counter file here is the numbering of older versions, which the store
imports once (:func:`read_counters`), and the allocator of callers that pass none.
"""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w

from safetycheck.errors import SafetycheckError
from safetycheck.inspection.recordmodels import InspectionRecord
from safetycheck.messages import os_error, t

COUNTER_FILE = "document-numbers.toml"

# Documents that carry a number, and their codes (代字) as official document numbers use them.
CODES: dict[str, str] = {
    "inspection-record": "应急检记",
    "rectification-order": "应急责改",
    "onsite-measures": "应急现决",
    "review-opinion": "应急复查",
}


MAX_COUNTER_BYTES = 8 * 1024 * 1024  # a counter file of many years and voided numbers stays far below this


class NumberingError(SafetycheckError):
    """The counter file cannot be read or written."""


def format_number(short_name: str, code: str, year: int, seq: int) -> str:
    """``（潞应急）应急检记〔2026〕12号``."""
    return f"（{short_name}）{code}〔{year}〕{seq}号"


def blank_number(code: str) -> str:
    """The number line left for a hand-written number: ``（　　）应急检记〔　　〕　　号``."""
    gap = "\u3000\u3000"
    return f"（{gap}）{code}〔{gap}〕{gap}号"


MAX_SEQ = 2**63 - 1  # TOML integers are 64-bit
LOCK_WAIT = 10.0  # seconds a report waits for another short command to finish numbering


@contextlib.contextmanager
def _locked(path: Path, counters: Path) -> Iterator[None]:
    """Hold the counter lock ``path`` (created exclusively, never through a symlink) for the block.

    Raises:
        NumberingError: another process kept it for longer than ``LOCK_WAIT`` seconds.
    """
    from safetycheck import fileio

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        held = fileio.acquire_lock(path, "short", LOCK_WAIT)
    except fileio.LockBusy as busy:
        raise NumberingError(t("number.locked", path=counters, pid=busy.pid, seconds=int(LOCK_WAIT))) from None
    try:
        yield
    finally:
        held.release()


def _read_counters(path: Path) -> dict[str, Any]:
    """The whole counter file, checked: ``counters.<agency>.<code>.<year>`` integers of 64 bits.

    Raises:
        NumberingError: not TOML, or a table or counter of the wrong type or out of range.
    """
    from safetycheck.inputfiles import InputFileError, read_input

    if not path.exists() and not path.is_symlink():
        return {"counters": {}}
    try:  # a regular file only: a FIFO or a device in its place never blocks a report
        data = tomllib.loads(read_input(path, MAX_COUNTER_BYTES).decode("utf-8"))
    except InputFileError as exc:
        raise NumberingError(t("number.bad_file", path=path, error=exc.message.rstrip("。."))) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise NumberingError(t("number.bad_file", path=path, error=exc)) from None
    counters = data.setdefault("counters", {})
    if not isinstance(counters, dict):
        raise NumberingError(t("number.bad_file", path=path, error="[counters]"))
    for agency, codes in counters.items():
        if not isinstance(codes, dict):
            raise NumberingError(t("number.bad_table", path=path, key=f"counters.{agency}"))
        for code, years in codes.items():
            if not isinstance(years, dict):
                raise NumberingError(t("number.bad_table", path=path, key=f"counters.{agency}.{code}"))
            for year, last in years.items():
                if type(last) is not int or not 0 <= last <= MAX_SEQ:
                    raise NumberingError(t("number.bad_counter", path=path, key=f"counters.{agency}.{code}.{year}",
                                           value=last, max=MAX_SEQ))
    if not isinstance(data.get("voided", []), list):
        raise NumberingError(t("number.bad_table", path=path, key="voided"))
    return data


def read_counters(path: Path) -> dict[str, Any] | None:
    """A legacy counter file, checked as numbering reads it, or None when there is none.

    Why: the store imports it once; a damaged file is refused with the same line as before.

    Raises:
        NumberingError: not a regular file, not TOML, or a counter of the wrong type or range.
    """
    if not path.exists() and not path.is_symlink():
        return None
    try:
        return _read_counters(path)
    except OSError as exc:
        raise NumberingError(t("number.bad_file", path=path, error=os_error(exc))) from None


def _write_counters(path: Path, data: dict[str, Any]) -> None:
    from safetycheck import fileio

    fileio.atomic_write(path, tomli_w.dumps(data).encode("utf-8"), "number.unwritable", NumberingError)


def allocate(state_dir: Path, agency: str, code: str, year: int, count: int = 1) -> list[int]:
    """Take the next ``count`` sequence numbers of ``agency``'s ``code`` in ``year``.

    Args:
        state_dir: the folder holding ``document-numbers.toml`` (the user config folder).
        agency: the agency's full name; each agency counts on its own.
        code: the document code, e.g. ``应急检记``.
        year: the document's year; every year starts again at 1.
        count: how many numbers to take.

    Returns:
        The numbers taken, in order.

    Raises:
        NumberingError: the counter file is damaged, locked too long or cannot be written.
        DiskFullError: the disk is full; the counter is unchanged.
    """
    path = state_dir / COUNTER_FILE
    try:
        with _locked(path.with_name(path.name + ".lock"), path):
            data = _read_counters(path)
            by_code = data["counters"].setdefault(agency, {}).setdefault(code, {})
            last = by_code.get(str(year), 0)
            if last + count > MAX_SEQ:
                raise NumberingError(t("number.bad_counter", path=path, key=f"counters.{agency}.{code}.{year}",
                                       value=last, max=MAX_SEQ))
            by_code[str(year)] = last + count
            _write_counters(path, data)
    except OSError as exc:
        raise NumberingError(t("number.bad_file", path=path, error=os_error(exc))) from None
    return list(range(last + 1, last + count + 1))


def void(state_dir: Path, agency: str, numbers: list[tuple[str, int, int, str]], record: Path, reason: str) -> None:
    """Record numbers that were taken but not given to any document as voided (作废).

    Why: a document number sequence must be accounted for; a gap left by a report that failed
    after taking a number is listed in the counter file with the record and the reason.

    Args:
        state_dir: the folder holding the counter file.
        agency: the agency's full name.
        numbers: (code, year, sequence, formatted number) of each number taken.
        record: the record the numbers were taken for.
        reason: why they went unused.

    Raises:
        NumberingError: the counter file cannot be written.
    """
    import datetime as dt

    path = state_dir / COUNTER_FILE
    now = dt.datetime.now().astimezone().replace(microsecond=0)
    try:
        with _locked(path.with_name(path.name + ".lock"), path):
            data = _read_counters(path)
            voided = data.setdefault("voided", [])
            for code, year, seq, number in numbers:
                voided.append({"agency": agency, "code": code, "year": year, "seq": seq, "number": number,
                               "status": "作废", "record": str(record), "reason": reason, "at": now})
            _write_counters(path, data)
    except OSError as exc:
        raise NumberingError(t("number.bad_file", path=path, error=exc)) from None


def document_year(record: InspectionRecord) -> int:
    """The year a record's documents are dated: the end of the inspection, else its start."""
    return (record.finished_at or record.started_at).year
