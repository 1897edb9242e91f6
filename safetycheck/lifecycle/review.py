"""Reviews (复查 / 验收 / 复核): the hazards a review covers, recording its results as events, answers files.

A review is stored whole in ``[[reviews]]`` and every answer is also a ``reviewed`` event that
carries the SHA-256 of the review's canonical JSON as it then stood, so the reviews are in the
chain: editing a review by hand shows in ``verify``. Statuses follow from the events
(:mod:`safetycheck.lifecycle.hazards`): passed → ``closed`` (a self-audit's major hazard stays
``rectified`` for the authority), failed → ``open`` with the new deadline of ``extend`` or the old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from safetycheck.catalog.yamlsource import Document, PathKey, pointer
from safetycheck.errors import Problem, UsageError
from safetycheck.inspection import answers as answerfiles
from safetycheck.inspection import session
from safetycheck.inspection.recordmodels import Evidence, InspectionRecord, Person, Review, ReviewResult
from safetycheck.lifecycle.events import append_event, canonical, plain
from safetycheck.lifecycle.hazards import HazardError, HazardState, find_hazard, hazard_states
from safetycheck.messages import t

FOLLOWUPS = ("extend", "case", "suspend", "closure")  # 继续整改, 立案查处, 责令停产停业整顿, 提请关闭
RESULTS = {"passed": "passed", "failed": "failed", "合格": "passed", "不合格": "failed", "y": "passed", "n": "failed"}
TOP_KEYS = ("inspectors", "started_at", "finished_at", "date", "results")
RESULT_KEYS = ("result", "note", "evidence", "followup", "deadline")


class ReviewError(HazardError):
    """A review that cannot be made: the record is not complete, nothing to review, bad follow-up."""


def measures_text(measures: list[str] | None, other: str | None) -> str:
    """On-site measures (现场处理措施) in words, ``other`` as its text."""
    return t("sep.semi").join(other or t("doc.measure.other") if m == "other" else t(f"doc.measure.{m}")
                              for m in measures or [])


def review_digest(review: Review) -> str:
    """SHA-256 (hex) of the review's canonical JSON."""
    return hashlib.sha256(canonical(review)).hexdigest()


def open_review(record: InspectionRecord) -> Review | None:
    """The review left in progress, if any."""
    return record.reviews[-1] if record.reviews and record.reviews[-1].status == "in-progress" else None


def find_review(record: InspectionRecord, ident: str | None, source: str) -> Review:
    """The review ``ident`` (``r2``), default the latest.

    Raises:
        ReviewError: the record has no such review.
    """
    if not record.reviews:
        raise ReviewError(t("review.none", path=source))
    if ident is None:
        return record.reviews[-1]
    found = next((r for r in record.reviews if r.id == ident), None)
    if found is None:
        raise ReviewError(t("review.unknown", path=source, id=ident, choices=", ".join(r.id for r in record.reviews)))
    return found


def targets(record: InspectionRecord, review: Review) -> list[HazardState]:
    """The hazards the review covers, in plan order: those not closed, and those it already answered."""
    answered = {r.hazard for r in review.results}
    return [s for s in hazard_states(record) if s.status != "closed" or s.id in answered]


def start_review(record: InspectionRecord, inspectors: list[Person], started: dt.datetime, source: str) -> Review:
    """Add a new review ``rN`` in progress (the caller saves).

    Raises:
        ReviewError: no hazard is left to review, or an inspection's review has no certified inspector.
    """
    if record.mode == "inspect" and not any(p.cert for p in inspectors):
        raise ReviewError(t("review.cert_needed", path=source))
    review = Review(id=f"r{len(record.reviews) + 1}", started_at=started, inspectors=list(inspectors))
    if not targets(record, review):
        raise ReviewError(t("review.nothing", path=source))
    record.reviews.append(review)
    return review


def check_result(record: InspectionRecord, state: HazardState, result: ReviewResult, day: dt.date) -> str | None:
    """Why a result cannot be recorded for this hazard (a message), or None."""
    if result.result == "passed":
        return t("review.followup_passed") if result.followup or result.deadline else None
    if result.followup is None:
        return t("review.followup_needed")
    if result.followup == "closure" and not state.is_major:
        return t("review.closure_major")
    if result.followup == "extend" and result.deadline is None:
        return t("review.extend_deadline")
    if result.followup != "extend" and result.deadline is not None:
        return t("review.deadline_extend")
    if result.deadline is not None and result.deadline <= day:
        return t("walk.deadline_past", value=result.deadline.isoformat())
    return None


def record_result(record: InspectionRecord, review: Review, state: HazardState, result: ReviewResult,
                  at: dt.datetime, day: dt.date) -> None:
    """Put ``result`` in the review (replacing an earlier answer for the hazard) and append its events.

    A passed 重大事故隐患 with on-site measures also records ``measures-lifted`` (经审查同意恢复生产经营和使用).
    """
    review.results = [r for r in review.results if r.hazard != state.id] + [result]
    by = t("sep.list").join(p.name for p in review.inspectors if p.name) or None
    detail: dict[str, Any] = {"review": review.id, "result": result.result, "passed": result.result == "passed",
                              "date": day, "by": by, "followup": result.followup, "deadline": result.deadline,
                              "note": result.note, "evidence": plain(result.evidence) or None,
                              "sha256": review_digest(review)}
    append_event(record, "reviewed", at, by=by, hazard=state.id, detail=detail)
    if result.result == "passed" and state.hazard.measures and not any(
            e.kind == "measures-lifted" for e in state.events):
        append_event(record, "measures-lifted", at, by=by, hazard=state.id,
                     detail={"review": review.id, "date": day, "measures": list(state.hazard.measures)})


def finish_review(record: InspectionRecord, review: Review, at: dt.datetime) -> None:
    """Mark the review complete and chain its final form (a ``reviewed`` event without a hazard)."""
    review.status = "complete"
    review.finished_at = at
    append_event(record, "reviewed", at, detail={"review": review.id, "complete": True,
                                                 "sha256": review_digest(review)})


def review_changes(record: InspectionRecord) -> list[str]:
    """What ``verify`` finds changed in the reviews: each must equal the digest its last event recorded."""
    recorded: dict[str, str] = {}
    for event in record.events:
        if event.kind == "reviewed" and isinstance(event.detail.get("review"), str):
            recorded[event.detail["review"]] = str(event.detail.get("sha256", ""))
    out = [t("verify.review_changed", id=r.id) for r in record.reviews if recorded.get(r.id) != review_digest(r)
           and (r.id in recorded or r.results or r.status == "complete")]  # a review just begun has no event yet
    out += [t("verify.review_missing", id=rid) for rid in recorded if rid not in {r.id for r in record.reviews}]
    return out


def review_day(text: str | None, record: InspectionRecord, today: dt.date, option: str = "--date") -> dt.date:
    """``--date``: ``YYYY-MM-DD`` or ``today``, not before the inspection, not in the future."""
    from safetycheck.lifecycle.hazards import parse_day

    return today if text is None else parse_day(text, option, record, today)


# --- answers files ----------------------------------------------------------------------------


def parse_review_answers(doc: Document, record: InspectionRecord, source: str, now: dt.datetime,
                         given: list[Person], day: dt.date | None,
                         base: Path) -> tuple[list[Person], dt.datetime, dt.datetime, list[tuple[HazardState,
                                                                                               ReviewResult]]]:
    """Read a review answers file: ``inspectors``, ``started_at``/``finished_at`` or ``date``, ``results``.

    Returns:
        The inspectors, start and end, and each hazard with its result, in the file's order.

    Raises:
        AnswersError: every problem, located (nothing is written).
    """
    check = answerfiles._Checker(doc)
    data = check.table(doc.data, (), TOP_KEYS)
    people = [p for i, v in enumerate(_list(data.get("inspectors"))) if (p := check.person(v, ("inspectors", i)))]
    people = given or people or list(record.inspectors)
    started = answerfiles._moment(check, data, "started_at")
    finished = answerfiles._moment(check, data, "finished_at")
    if "date" in data:
        raw = data["date"]
        try:
            day = raw if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime) else \
                dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            check.bad(("date",), "answers.bad_date", at_key=False, error=t("review.bad_date", value=raw))
    start = started or (dt.datetime.combine(day, now.timetz()) if day else now)
    end = finished or start
    if start.date() < record.started_at.date() or start.date() > now.date() or end < start:
        check.bad(("started_at",) if "started_at" in data else ("date",) if "date" in data else (), "review.bad_span",
                  start=record.started_at.date().isoformat())
    if record.mode == "inspect" and not any(p.cert for p in people):
        check.bad(("inspectors",) if "inspectors" in data else (), "review.cert_needed_file")
    states = {s.id: s for s in hazard_states(record)}
    out: list[tuple[HazardState, ReviewResult]] = []
    raw_results = check.table(data.get("results"), ("results",), tuple(str(k) for k in data.get("results") or {}))
    if "results" not in data:
        check.bad((), "answers.missing", key="results")
    for ident, value in raw_results.items():
        path: PathKey = ("results", ident)
        try:
            state = find_hazard(record, str(ident), source)
        except HazardError as exc:
            check.problems.append(Problem(doc.locate(path, key=True), f"{pointer(path)}{t('colon')}{exc}",
                                          pointer(path)))
            continue
        state = states[state.id]
        result = _result(check, value, path, start.date(), base)
        if result is None:
            continue
        why = check_result(record, state, result, start.date())
        if why:
            check.bad(path, "review.bad_result", why=why)
            continue
        if state.status == "closed" and not any(state.id == s.id for s, _ in out):
            check.bad(path, "review.closed", id=state.id)
            continue
        out.append((state, result))
    if check.problems:
        raise answerfiles.AnswersError(sorted(check.problems, key=lambda p: (p.location.line or 0)))
    return people, start, end, out


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _result(check: Any, value: Any, path: PathKey, day: dt.date, base: Path) -> ReviewResult | None:
    row = {"result": value} if isinstance(value, str) else check.table(value, path, RESULT_KEYS)
    before = len(check.problems)
    result = RESULTS.get(str(row.get("result", "")).strip())
    if result is None:
        check.bad(path if isinstance(value, str) else (*path, "result"), "answers.bad_value", at_key=False,
                  value=row.get("result"), choices="passed, failed")
        return None
    followup = row.get("followup")
    if followup is not None and followup not in FOLLOWUPS:
        check.bad((*path, "followup"), "answers.bad_value", at_key=False, value=followup, choices=", ".join(FOLLOWUPS))
    deadline = None
    raw = row.get("deadline")
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        deadline = raw
    elif raw is not None:
        try:
            deadline = session.parse_deadline(str(raw), day)
        except ValueError as exc:
            check.bad((*path, "deadline"), "answers.bad_date", at_key=False, error=str(exc))
    evidence: list[Evidence] = []
    for i, item in enumerate(_list(row.get("evidence"))):
        where: PathKey = (*path, "evidence", i)
        target = Path(str(item)).expanduser()
        try:
            evidence.append(session.evidence_for(str(target if target.is_absolute() else base / target), base))
        except ValueError as exc:
            message = f"{pointer(where)}{t('colon')}{exc}"
            check.problems.append(Problem(check.doc.locate(where), message, pointer(where)))
    note = check.text(row.get("note"), (*path, "note"))
    if len(check.problems) != before:
        return None
    return ReviewResult(hazard="", result=result, note=note, followup=followup, deadline=deadline,  # type: ignore[arg-type]
                        evidence=evidence)


def apply_answers(record: InspectionRecord, people: list[Person], start: dt.datetime, end: dt.datetime,
                  results: list[tuple[HazardState, ReviewResult]], source: str,
                  clock: Callable[[], dt.datetime]) -> Review:
    """Record a whole review from an answers file (continuing one left in progress)."""
    review = open_review(record)
    if review is None:
        review = start_review(record, people, start, source)
    for state, result in results:
        result.hazard = state.id
        current = {s.id: s for s in hazard_states(record)}[state.id]
        record_result(record, review, current, result, clock(), start.date())
    finish_review(record, review, max(end, review.started_at))
    return review


def no_terminal() -> UsageError:
    """The error for ``review`` without a terminal and without ``--answers``."""
    return UsageError(t("review.no_tty"))

