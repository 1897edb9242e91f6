"""The structural check every read of a record makes: a record that does not add up is refused.

Why: a record is a legal document. A hand-edited or truncated file can decode cleanly and still
say ``status = "complete"`` with items unanswered, a 不符合 without its hazard, a deadline before
the inspection began, or a number for a document that does not exist; rendered, it would issue
an official document that misstates the inspection. Each such fault is located as
``FILE:LINE:COL: key.path: message``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from safetycheck.catalog.yamlsource import Document, PathKey, pointer
from safetycheck.errors import Problem
from safetycheck.inspection.recordmodels import InspectionRecord, Response
from safetycheck.messages import t
from safetycheck.text import has_bidi_control, visible

LANGS = ("zh", "en")
HAZARD_STATUSES = ("open", "closed")  # what a /1 record may store; /2 derives statuses from its events
# Documents that carry a number (documents.numbering.CODES holds their codes; a test keeps the two in step).
NUMBERED_DOCUMENTS = ("inspection-record", "rectification-order", "onsite-measures", "review-opinion")


def record_problems(record: InspectionRecord, positions: Callable[[], Document]) -> list[Problem]:
    """Every way ``record`` fails to add up, located in its file.

    Args:
        record: the decoded record (its snapshots and answers already fit together).
        positions: the record's position map, scanned on first use.

    Returns:
        The problems, in file order; empty for a sound record.
    """
    found: list[tuple[PathKey, str, bool]] = []  # (key path, message, at the key?)

    def bad(path: PathKey, message: str, *, key: bool = False) -> None:
        found.append((path, message, key))

    _check_times(record, bad)
    if record.lang is not None and record.lang not in LANGS:
        bad(("lang",), t("check.choice", value=record.lang, choices=t("sep.list").join(LANGS)))
    for name in record.numbers:
        if name not in NUMBERED_DOCUMENTS:
            bad(("numbers", name), t("recordcheck.unknown_number", doc=name,
                                     docs=t("sep.list").join(NUMBERED_DOCUMENTS)), key=True)
    for i, snap in enumerate(record.checklists):
        for path, value in [(("checklists", i, "id"), snap.id)] + [
                (("checklists", i, "items", k, "id"), item.id) for k, item in enumerate(snap.items)]:
            if has_bidi_control(value):
                bad(path, t("check.bidi", value=visible(value)))
    for n, response in enumerate(record.responses):
        _check_response(record, response, ("responses", n), bad)
    if record.status == "complete":
        answered = {(r.checklist, r.item) for r in record.responses}
        missing = [f"{s.id}/{it.id}" for s in record.checklists for it in s.items if (s.id, it.id) not in answered]
        if missing:
            bad(("status",), t("recordcheck.complete_unanswered", count=len(missing), first=missing[0]))
    if not found:
        return []
    doc = positions()
    problems = [Problem(doc.locate(path, key=key), f"{pointer(path)}{t('colon')}{message}", pointer(path))
                for path, message, key in found]
    return sorted(problems, key=Problem.sort_key)


Report = Callable[..., None]


def _check_times(record: InspectionRecord, bad: Report) -> None:
    for name in ("started_at", "finished_at"):
        value = getattr(record, name)
        if value is not None and value.tzinfo is None:
            bad((name,), t("recordcheck.no_offset", value=value.isoformat()))
    started, finished = record.started_at, record.finished_at
    if finished is not None and _aware(started) and _aware(finished) and finished < started:
        bad(("finished_at",), t("recordcheck.finished_before", finished=finished.isoformat(),
                                started=started.isoformat()))


def _aware(value: dt.datetime) -> bool:
    return value.tzinfo is not None


def _check_response(record: InspectionRecord, r: Response, path: PathKey, bad: Report) -> None:
    for field in ("checklist", "item", "same_as"):
        value = getattr(r, field)
        if isinstance(value, str) and has_bidi_control(value):
            bad((*path, field), t("check.bidi", value=visible(value)))
    if r.answered_at.tzinfo is None:
        bad((*path, "answered_at"), t("recordcheck.no_offset", value=r.answered_at.isoformat()))
    if r.auto and r.result != "na":
        bad((*path, "auto"), t("recordcheck.auto_not_na", result=r.result))
    if not r.same_as:  # a same_as copy repeats an answer asked once: the hazard rules bind the original
        if r.result == "fail" and r.hazard is None:
            bad(path, t("recordcheck.fail_without_hazard", item=f"{r.checklist}/{r.item}"))
        elif r.result != "fail" and r.hazard is not None:
            bad((*path, "hazard"), t("recordcheck.hazard_not_fail", result=r.result))
    hazard = r.hazard
    if hazard is None:
        return
    if hazard.status is not None and hazard.status not in HAZARD_STATUSES:  # /1: stored; /2: derived from events
        bad((*path, "hazard", "status"), t("check.choice", value=hazard.status,
                                           choices=t("sep.list").join(HAZARD_STATUSES)))
    started = record.started_at
    if hazard.deadline is not None and hazard.deadline < started.date():
        bad((*path, "hazard", "deadline"), t("recordcheck.deadline_before", deadline=hazard.deadline.isoformat(),
                                             started=started.date().isoformat()))
    for k, evidence in enumerate(hazard.evidence):
        if evidence.size < 0:
            bad((*path, "hazard", "evidence", k, "size"), t("recordcheck.negative_size", size=evidence.size))
