"""Document numbers (文号): per-agency, per-code, per-year counters, kept locked on disk.

A number reads ``（潞应急）应急检记〔2026〕12号``: the agency's short name, the document code,
the year and a sequence that starts at 1 each year for each agency and code.

Why a file in the user's state folder: the counter must survive between runs and be shared by
every process on one machine; two laptops of the same agency each keep their own counter, so
they must be given separate short names or sequences (a central store comes later).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import tomli_w

from safetycheck.errors import SafetycheckError
from safetycheck.inspection.recordmodels import InspectionRecord
from safetycheck.messages import t

COUNTER_FILE = "document-numbers.toml"

# Documents that carry a number, and their codes (代字) as official document numbers use them.
CODES: dict[str, str] = {
    "inspection-record": "应急检记",
    "rectification-order": "应急责改",
}


class NumberingError(SafetycheckError):
    """The counter file cannot be read or written."""


def format_number(short_name: str, code: str, year: int, seq: int) -> str:
    """``（潞应急）应急检记〔2026〕12号``."""
    return f"（{short_name}）{code}〔{year}〕{seq}号"


def blank_number(code: str) -> str:
    """The number line left for a hand-written number: ``（　　）应急检记〔　　〕　　号``."""
    gap = "\u3000\u3000"
    return f"（{gap}）{code}〔{gap}〕{gap}号"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the duration of the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as fh:
        _lock(fh)
        try:
            yield
        finally:
            _unlock(fh)


def _lock(fh: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        while True:
            try:
                msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
                return
            except OSError:  # LK_LOCK gives up after ten seconds; keep waiting
                continue
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)


def _unlock(fh: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _read_counters(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise NumberingError(t("number.bad_file", path=path, error=exc)) from None
    counters = data.get("counters", {})
    if not isinstance(counters, dict):
        raise NumberingError(t("number.bad_file", path=path, error="[counters]"))
    return counters


def _write_atomic(path: Path, text: str) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
        NumberingError: the counter file is damaged or cannot be written.
    """
    path = state_dir / COUNTER_FILE
    try:
        with _locked(path.with_name(path.name + ".lock")):
            counters = _read_counters(path)
            by_code = counters.setdefault(agency, {}).setdefault(code, {})
            last = by_code.get(str(year), 0)
            if not isinstance(last, int) or last < 0:
                raise NumberingError(t("number.bad_file", path=path, error=f"{agency}.{code}.{year}"))
            by_code[str(year)] = last + count
            _write_atomic(path, tomli_w.dumps({"counters": counters}))
    except OSError as exc:
        raise NumberingError(t("number.bad_file", path=path, error=exc)) from None
    return list(range(last + 1, last + count + 1))


def document_year(record: InspectionRecord) -> int:
    """The year a record's documents are dated: the end of the inspection, else its start."""
    return (record.finished_at or record.started_at).year
