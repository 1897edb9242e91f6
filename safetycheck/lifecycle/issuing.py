"""Issuing numbered documents on purpose: ``issued``, ``reissued``, ``voided`` and ``served`` events.

Rules (whatever the allocator behind them: the store, or the old per-machine counter file):

- Only ``report --issue`` takes a number; a render without it shows the number already issued,
  or leaves it blank and marks the document 草稿 / DRAFT.
- Re-rendering an issued document gives the same number. When what it states changed since it
  was issued, ``--issue`` refuses and ``--reissue`` takes a new number that replaces the old one.
- A number taken and not used is recorded as ``voided``: never silently reused or skipped.
- One key per document (``rectification-order``), per review for documents that repeat
  (``review-opinion/r2``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from safetycheck.errors import SafetycheckError
from safetycheck.inspection.recordmodels import Event, InspectionRecord
from safetycheck.lifecycle.events import append_event, digest, plain
from safetycheck.lifecycle.seal import expected_seal

SERVICE = ("直接送达", "留置送达", "邮寄送达", "电子送达")
# Documents whose content is the hazards only; the others state every answer.
HAZARD_DOCUMENTS = ("rectification-order", "hazards")


class Allocator(Protocol):
    """Where ``report --issue`` takes numbers from: the store (the embedded one when none is configured).

    Why here: documents take numbers and the store gives them; this interface keeps
    ``documents`` from importing the store, which sits above it.
    """

    def take(self, agency: str, code: str, year: int, record: Path) -> int:
        """The next sequence number of ``agency``'s ``code`` in ``year``, taken for ``record``."""

    def void(self, agency: str, numbers: list[tuple[str, int, int, str]], record: Path, reason: str) -> None:
        """Record (code, year, seq, number) taken and not used as voided."""


class IssueError(SafetycheckError):
    """A document cannot be issued (changed since issued, a record that fails verify, no number)."""


@dataclass
class Issue:
    """The last issue of one document key: its number, seal and content digest."""

    key: str
    document: str
    number: str | None
    seal: str | None
    digest: str | None
    at: dt.datetime
    replaces: str | None = None
    served: dict[str, Any] | None = None


def content_digest(record: InspectionRecord, doc: str) -> str:
    """A digest of what a document states, independent of language and template.

    Why these fields: they are what the document says about the unit and its findings; the
    wording, layout and numbers of the document are not part of it.
    """
    responses = record.responses
    if doc in HAZARD_DOCUMENTS:
        responses = [r for r in responses if r.result == "fail"]
    return digest({"document": doc, "id": record.id, "mode": record.mode, "unit": record.unit,
                   "inspectors": record.inspectors, "started_at": record.started_at,
                   "finished_at": record.finished_at, "responses": responses})


def issues(record: InspectionRecord) -> dict[str, Issue]:
    """The current issue of each document key, from the ``issued`` / ``reissued`` / ``served`` events."""
    out: dict[str, Issue] = {}
    for event in record.events:
        d = event.detail
        key = str(d.get("key") or d.get("document") or "")
        if event.kind in ("issued", "reissued") and key:
            out[key] = Issue(key, str(d.get("document") or key), _opt(d.get("number")), _opt(d.get("seal")),
                             _opt(d.get("digest")), event.at, _opt(d.get("replaces")))
        elif event.kind == "served" and key in out:
            out[key].served = {k: v for k, v in d.items() if k in ("date", "how")}
    return out


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def numbers(record: InspectionRecord) -> dict[str, str]:
    """The number of each issued document key."""
    return {k: i.number for k, i in issues(record).items() if i.number}


def is_current(record: InspectionRecord, issue: Issue) -> bool:
    """The document states what it stated when issued (no amendment since)."""
    if issue.digest is None:  # issued before digests were kept (a /1 number): the seal decides
        return issue.seal == expected_seal(record)
    return issue.digest == content_digest(record, issue.document)


def record_issue(record: InspectionRecord, doc: str, number: str | None, at: dt.datetime, *,
                 replaces: Issue | None = None, by: str | None = None, key: str | None = None) -> Event:
    """Append ``issued`` (or ``reissued`` when ``replaces`` is given) for a document just written."""
    detail = {"document": doc, "key": key or doc, "number": number, "seal": expected_seal(record),
              "digest": content_digest(record, doc)}
    if replaces is not None:
        detail["replaces"] = replaces.number
    return append_event(record, "reissued" if replaces is not None else "issued", at, by=by, detail=detail)


def record_void(record: InspectionRecord, doc: str, number: str, at: dt.datetime, reason: str,
                key: str | None = None) -> Event:
    """Append ``voided`` for a number taken and not used."""
    return append_event(record, "voided", at, detail={"document": doc, "key": key or doc, "number": number,
                                                      "reason": reason})


def record_service(record: InspectionRecord, issue: Issue, day: dt.date, how: str | None, at: dt.datetime,
                   by: str | None = None) -> Event:
    """Append ``served`` (送达) for an issued document: the 60-day 复议 period runs from ``day``."""
    return append_event(record, "served", at, by=by, detail=plain({"document": issue.document, "key": issue.key,
                                                                   "number": issue.number, "date": day, "how": how}))
