"""Per-record facts: what the figures need from one record, as of one day.

Why a separate step: the figures (:mod:`safetycheck.stats.figures`) take an iterable of these
facts and nothing else. The hazards' standing and the items asked come from
:mod:`safetycheck.lifecycle.standing`, which the store's query tables are built from too.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safetycheck.errors import SafetycheckError
from safetycheck.inspection.recordmodels import InspectionRecord
from safetycheck.lifecycle.ledger import RECORD_MARK, record_files
from safetycheck.lifecycle.standing import HazardFacts, asked_items, hazard_facts
from safetycheck.messages import t


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """One complete record: who, when, what was asked and what it found."""

    id: str
    file: str
    unit: str
    mode: str
    started: dt.date
    inspectors: tuple[str, ...]
    industries: tuple[str, ...]
    asked_items: tuple[str, ...]  # "checklist/item" of every distinct item asked (same_as copies left out)
    failed_items: tuple[tuple[str, str, str], ...]  # (checklist, item, text) of each distinct item failed
    hazards: tuple[HazardFacts, ...]
    flagged: bool = False


def record_facts(record: InspectionRecord, file: str, day: dt.date) -> RecordFacts:
    """The facts of a complete record with hazard statuses as of the end of ``day``.

    Reviews (``[[reviews]]``), ``corrected_on_site`` and on-site ``measures`` are read when the
    record carries them and count 0 otherwise.
    """
    hazards = hazard_facts(record, day)
    asked: list[str] = []
    fails: list[tuple[str, str, str]] = []
    for checklist, item, text, failed in asked_items(record):
        asked.append(sys.intern(f"{checklist}/{item}"))
        if failed:
            fails.append((checklist, item, text))
    return RecordFacts(
        id=record.id or "", file=file, unit=record.unit.name, mode=record.mode, started=record.started_at.date(),
        inspectors=tuple(p.name for p in record.inspectors if p.name), industries=tuple(record.unit.industry),
        asked_items=tuple(asked), failed_items=tuple(fails), hazards=tuple(hazards))


@dataclass
class Selection:
    """Which records the figures are about: ``--from``/``--to`` (start date), ``--mode``, ``--unit``."""

    start: dt.date | None = None
    end: dt.date | None = None  # also the day statuses are taken for; default today
    mode: str | None = None
    unit: str | None = None

    @property
    def day(self) -> dt.date:
        """The day statuses are taken for."""
        return self.end or dt.date.today()

    def keeps(self, record: InspectionRecord) -> bool:
        """A complete record started in the period, of the mode and unit asked."""
        started = record.started_at.date()
        if record.status != "complete" or started > self.day or (self.start and started < self.start):
            return False
        if self.mode and record.mode != self.mode:
            return False
        return not (self.unit and self.unit not in record.unit.name)


def facts_from_files(paths: list[Path], selection: Selection, broken: list[str],
                     progress: Any = None) -> Iterator[RecordFacts]:
    """Facts of the selected records under ``paths``, streamed one file at a time.

    Args:
        paths: files and folders, as ``hazards list`` takes them.
        selection: the filters.
        broken: receives one warning line per file that cannot be read (FILE:LINE: what).
        progress: called with (done, total) after each file, if given.
    """
    from safetycheck.lifecycle.files import parse_migrated

    files = list(record_files(paths))
    for done, path in enumerate(files, 1):
        if progress is not None:
            progress(done, len(files))
        try:
            raw = path.read_bytes()
        except OSError as exc:
            broken.append(t("ledger.unreadable", path=path, error=exc.strerror or exc))
            continue
        if RECORD_MARK not in raw:
            continue
        try:
            record = parse_migrated(raw, str(path))
        except SafetycheckError as exc:
            broken.append(str(exc).splitlines()[0])
            continue
        if selection.keeps(record):
            yield record_facts(record, str(path), selection.day)


__all__ = ["HazardFacts", "RecordFacts", "Selection", "facts_from_files", "record_facts"]
