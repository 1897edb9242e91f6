"""Per-record facts: what the figures need from one record, as of one day.

Why a separate step: the figures (:mod:`safetycheck.stats.figures`) take an iterable of these
facts and nothing else, so record files (here) and, later, a store query can feed the same
computation and give the same numbers.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from safetycheck.errors import SafetycheckError
from safetycheck.inspection.recordmodels import Event, InspectionRecord
from safetycheck.lifecycle.hazards import hazard_states
from safetycheck.lifecycle.ledger import RECORD_MARK, record_files
from safetycheck.messages import t


@dataclass(frozen=True, slots=True)
class HazardFacts:
    """One hazard as it stood at the end of the day figures are taken for."""

    id: str
    checklist: str
    item: str
    level: str
    description: str
    found: dt.date
    deadline: dt.date | None  # the deadline in force that day (a failed review may have moved it)
    status: str  # open, rectified or closed, that day
    closed_on: dt.date | None
    corrected_on_site: bool
    funds: float
    measures: int  # on-site measures (现场处理措施) decided for it
    reviews_passed: int
    reviews_failed: int
    has_plan: bool
    reported_regulator: str | None
    listed: str | None
    overdue: bool = False  # open after its deadline, that day


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


def _event_day(event: Event) -> dt.date:
    """The day an event took effect: its ``date`` when it has one, else the day it was written."""
    day = event.detail.get("date")
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    return event.at.date()


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def record_facts(record: InspectionRecord, file: str, day: dt.date) -> RecordFacts:
    """The facts of a complete record with hazard statuses as of the end of ``day``.

    Reviews (``[[reviews]]``), ``corrected_on_site`` and on-site ``measures`` are read when the
    record carries them and count 0 otherwise.
    """
    as_of = msgspec.structs.replace(record, events=[e for e in record.events if _event_day(e) <= day])
    states = {s.id: s for s in hazard_states(as_of)}
    passed: dict[str, int] = {}
    failed: dict[str, int] = {}
    for review in getattr(record, "reviews", None) or []:
        for result in _get(review, "results") or []:
            hid, outcome = _get(result, "hazard"), _get(result, "result")
            when = _day(str(_get(review, "finished_at") or _get(review, "started_at") or ""))
            if when is not None and when > day:
                continue
            if outcome == "passed":
                passed[hid] = passed.get(hid, 0) + 1
            elif outcome == "failed":
                failed[hid] = failed.get(hid, 0) + 1
    hazards = []
    for hid, s in states.items():
        on_site = bool(getattr(s.hazard, "corrected_on_site", False))
        found = (s.found_at or record.started_at).date()
        status, closed_on = s.status, _day(s.closed_at)
        if on_site:
            status, closed_on = "closed", closed_on or found
        if status != "closed":
            closed_on = None
        measures = getattr(s.hazard, "measures", None) or getattr(s.response, "measures", None) or []
        plan = s.hazard.plan
        hazards.append(HazardFacts(
            id=hid, checklist=s.response.checklist, item=s.response.item, level=s.hazard.level,
            description=s.hazard.description, found=found, deadline=s.deadline, status=status, closed_on=closed_on,
            corrected_on_site=on_site, funds=float(s.funds or 0.0), measures=len(measures),
            reviews_passed=passed.get(hid, 0), reviews_failed=failed.get(hid, 0),
            has_plan=bool(plan and (plan.text or plan.evidence)) or any(
                "plan" in e.detail for e in s.events),
            reported_regulator=s.reported_regulator, listed=(s.listed or {}).get("number"),
            overdue=status == "open" and s.deadline is not None and day > s.deadline))
    answers = {(r.checklist, r.item): r for r in record.responses}
    asked: list[str] = []
    fails: list[tuple[str, str, str]] = []
    for snap in record.checklists:
        for item in snap.items:
            response = answers.get((snap.id, item.id))
            if response is not None and response.same_as:
                continue  # asked once for two checklists: one answer, one hazard
            asked.append(sys.intern(f"{snap.id}/{item.id}"))
            if response is not None and response.result == "fail":
                fails.append((snap.id, item.id, item.text))
    return RecordFacts(
        id=record.id or "", file=file, unit=record.unit.name, mode=record.mode, started=record.started_at.date(),
        inspectors=tuple(p.name for p in record.inspectors if p.name), industries=tuple(record.unit.industry),
        asked_items=tuple(asked), failed_items=tuple(fails), hazards=tuple(hazards))


def _get(value: Any, key: str) -> Any:
    """A field of a model or a key of a table (reviews as the review issue stores them)."""
    if isinstance(value, dict):
        return value.get(key)
    return getattr(value, key, None)


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
