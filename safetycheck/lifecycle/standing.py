"""Where each hazard of a record stood on a given day, and the days on which that changes.

Why here: the statistics from record files (``stats/facts.py``) and the store's query tables
(``store/sync.py``, which keeps one row per hazard and period of days) both take a hazard's
standing from this one derivation, so the two give the same figures for any ``--to``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import msgspec

from safetycheck.inspection.recordmodels import Event, InspectionRecord
from safetycheck.lifecycle.hazards import hazard_states


@dataclass(frozen=True, slots=True)
class HazardFacts:
    """One hazard as it stood at the end of the day figures are taken for."""

    id: str
    checklist: str
    item: str
    level: str | None  # None for a problem (问题) of a supervision
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


def event_day(event: Event) -> dt.date:
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


def _get(value: Any, key: str) -> Any:
    """A field of a model or a key of a table (reviews as the review issue stores them)."""
    if isinstance(value, dict):
        return value.get(key)
    return getattr(value, key, None)


def review_results(record: InspectionRecord) -> Iterator[tuple[str, str, str, dt.date | None]]:
    """(review id, hazard id, ``passed``/``failed``, the review's day) of every result of ``[[reviews]]``."""
    for n, review in enumerate(getattr(record, "reviews", None) or [], 1):
        when = _day(str(_get(review, "finished_at") or _get(review, "started_at") or ""))
        for result in _get(review, "results") or []:
            yield str(_get(review, "id") or f"r{n}"), str(_get(result, "hazard")), str(_get(result, "result")), when


def hazard_facts(record: InspectionRecord, day: dt.date) -> list[HazardFacts]:
    """The hazards of a complete record with their statuses as of the end of ``day``.

    Reviews (``[[reviews]]``), ``corrected_on_site`` and on-site ``measures`` are read when the
    record carries them and count 0 otherwise.
    """
    as_of = msgspec.structs.replace(record, events=[e for e in record.events if event_day(e) <= day])
    states = {s.id: s for s in hazard_states(as_of)}
    passed: dict[str, int] = {}
    failed: dict[str, int] = {}
    for _review, hid, outcome, when in review_results(record):
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
    return hazards


def asked_items(record: InspectionRecord) -> Iterator[tuple[str, str, str, bool]]:
    """(checklist, item, text, failed) of every distinct item asked: ``same_as`` copies left out."""
    answers = {(r.checklist, r.item): r for r in record.responses}
    for snap in record.checklists:
        for item in snap.items:
            response = answers.get((snap.id, item.id))
            if response is not None and response.same_as:
                continue  # asked once for two checklists: one answer, one hazard
            yield snap.id, item.id, item.text, response is not None and response.result == "fail"


def standing_periods(record: InspectionRecord) -> Iterator[tuple[dt.date | None, dt.date | None, list[HazardFacts]]]:
    """(first day, day after the last, hazards) for each period over which no hazard's standing changes.

    The first period has no first day (before any event took effect) and the last no end. A
    hazard's standing changes only on the day an event or a review took effect, so the standing
    on any day is that of the period holding it (``overdue`` aside, which is read against the day).
    """
    days = sorted({event_day(e) for e in record.events} | {w for _r, _h, _o, w in review_results(record) if w})
    starts: list[dt.date | None] = [None, *days]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else None
        probe = start if start is not None else (days[0] - dt.timedelta(days=1) if days else dt.date.max)
        yield start, end, hazard_facts(record, probe)
