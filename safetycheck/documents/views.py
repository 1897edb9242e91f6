"""What a document shows: a record turned into plain data for templates, figures and JSON.

Why a separate view: templates format, they don't decide. Everything a template needs —
labels of results, counts, the score, failed and passed items per section, hazards in order —
is worked out here once, from the record's own checklist snapshot, so the five documents and
the user's own templates all see the same, documented names (docs/reports.md).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from safetycheck.catalog.models import MODES
from safetycheck.documents.numbering import CODES, blank_number
from safetycheck.errors import SafetycheckError, UsageError
from safetycheck.inspection.config import DEFAULT_REVIEW_BODY
from safetycheck.inspection.recordmodels import InspectionRecord, Person, Response, SnapshotItem
from safetycheck.lifecycle.hazards import HazardState, hazard_states
from safetycheck.lifecycle.issuing import is_current, issues
from safetycheck.lifecycle.ledger import ledger_row
from safetycheck.lifecycle.review import find_review, measures_text
from safetycheck.lifecycle.seal import migrate, verify_record
from safetycheck.messages import get_lang, t
from safetycheck.text import cite_texts, json_text, method_text

if TYPE_CHECKING:
    from safetycheck.inspection.config import Agency, Supervision

REPORT_SCHEMA = "safetycheck.report/1"

# Each document and the record modes it fits, in the order help and errors list them.
DOCUMENTS: dict[str, tuple[str, ...]] = {
    "inspection-record": ("inspect",),
    "rectification-order": ("inspect",),
    "self-audit": ("self",),
    "supervision": ("supervise",),
    "supervision-feedback": ("supervise",),
    "hazards": MODES,
    "onsite-measures": ("inspect",),
    "review-opinion": ("inspect",),
    "acceptance": ("self",),
    "supervision-review": ("supervise",),
}
REVIEW_DOCUMENTS = ("review-opinion", "acceptance", "supervision-review")  # one per review: `--review r2`
DEFAULT_DOCUMENT = {"inspect": "inspection-record", "self": "self-audit", "supervise": "supervision"}
# The documents that state findings carry the evidence of their hazards (photos as thumbnails).
WITH_EVIDENCE = ("inspection-record", "rectification-order", "hazards", "onsite-measures", "review-opinion",
                 "acceptance")
EVIDENCE_BUDGET = 20 * 1024 * 1024  # bytes of thumbnails in one document; the rest are listed


def documents_for(mode: str) -> list[str]:
    """The documents that fit a record of ``mode``."""
    return [name for name, modes in DOCUMENTS.items() if mode in modes]


def check_document(record: InspectionRecord, doc: str, source: str, review: str | None = None) -> None:
    """Refuse a document that does not fit the record.

    Args:
        record: the record to render.
        doc: the document name.
        source: the record's file name, for the message.

    Raises:
        UsageError: unknown document, or one that does not fit the record's mode.
        SafetycheckError: an order to rectify for a record without hazards.
    """
    if doc not in DOCUMENTS:
        raise UsageError(t("report.unknown_doc", doc=doc, docs=", ".join(DOCUMENTS)))
    if record.mode not in DOCUMENTS[doc]:
        raise UsageError(t("report.wrong_mode", path=source, doc=doc, mode=t(f"doc.mode.{record.mode}"),
                           docs=", ".join(documents_for(record.mode))))
    if doc == "rectification-order" and not any(r.result == "fail" and not (r.hazard and r.hazard.corrected_on_site)
                                                for r in record.responses):
        raise SafetycheckError(t("report.no_hazards", path=source))
    if doc == "onsite-measures" and not any(r.hazard and r.hazard.measures for r in record.responses):
        raise SafetycheckError(t("report.no_measures", path=source))
    if doc in REVIEW_DOCUMENTS:
        find_review(record, review, source)


def document_key(record: InspectionRecord, doc: str, review: str | None = None) -> str:
    """The key a document is issued under: ``review-opinion/r2`` for a document of one review."""
    if doc in REVIEW_DOCUMENTS and record.reviews:
        return f"{doc}/{find_review(record, review, '').id}"
    return doc


# --- formatting of dates and people ---------------------------------------------------------


def format_date(day: dt.date | None) -> str:
    """``2026年3月5日`` (``2026-03-05`` in English); empty for no date."""
    if day is None:
        return ""
    if get_lang() == "en":
        return day.isoformat()
    return f"{day.year}年{day.month}月{day.day}日"


def format_time(moment: dt.datetime | None, with_date: bool = True) -> str:
    """``2026年3月5日9时30分`` (``2026-03-05 09:30``), in the time zone the record was made in."""
    if moment is None:
        return ""
    if get_lang() == "en":
        return moment.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")
    clock = f"{moment.hour}时{moment.minute:02d}分"
    return format_date(moment.date()) + clock if with_date else clock


def format_period(start: dt.datetime, end: dt.datetime | None) -> str:
    """``2026年3月5日9时30分至11时15分``; the end's date is repeated only when it differs."""
    if end is None:
        return format_time(start)
    same_day = end.date() == start.date()
    return t("doc.period_range", start=format_time(start), end=format_time(end, with_date=not same_day))


def review_body(agency: Agency | None) -> str:
    """The body a reconsideration goes to: the configured one as typed, else the default in words.

    Why compare with the default text: ``Agency.review_body`` is 本级人民政府 when the settings
    leave it out, and in English that must read "the people's government at the same level";
    a body the agency names is data and stays as typed.
    """
    configured = agency.review_body if agency else ""
    if not configured or configured == DEFAULT_REVIEW_BODY:
        return t("doc.default_review_body")
    return configured


def _person(person: Person | None) -> dict[str, str]:
    person = person or Person()
    return {key: getattr(person, key) or "" for key in ("name", "post", "phone", "cert", "org")}


# --- counts -------------------------------------------------------------------------------


def _counts(items: Iterable[dict[str, Any]]) -> dict[str, Any]:
    tally = {"total": 0, "answered": 0, "unanswered": 0, "pass": 0, "fail": 0, "na": 0}
    for item in items:
        tally["total"] += 1
        result = item["result"]
        if result:
            tally["answered"] += 1
            tally[result] += 1
        else:
            tally["unanswered"] += 1
    judged = tally["pass"] + tally["fail"]
    score = tally["pass"] / judged if judged else None
    return {**tally, "score": score, "score_text": f"{score * 100:.1f}%" if score is not None else "—"}


# --- the view -----------------------------------------------------------------------------


def _hazard(response: Response, seq: int, item: dict[str, Any], state: HazardState | None = None,
            today: dt.date | None = None) -> dict[str, Any]:
    hazard = response.hazard
    is_problem = bool(hazard and hazard.is_problem)
    level = "" if is_problem else ((hazard.level if hazard else None) or "general")
    status = state.shown_status(today) if state and today else "open"
    label = state.label_key(today) if state and today else "doc.status.open"
    return {
        "seq": seq,
        "id": state.id if state else "",
        "checklist": item["checklist"],
        "checklist_title": item["checklist_title"],
        "section_title": item["section_title"],
        "item": item["id"],
        "text": item["text"],
        "basis": item["basis"],
        "basis_text": item["basis_text"],
        "kind": "problem" if is_problem else "hazard",
        "is_problem": is_problem,
        "kind_label": t("doc.kind.problem") if is_problem else t(f"doc.level.{level}"),
        "level": level,  # "" for a problem: a 问题 of a government body has no hazard level
        "level_label": t("doc.kind.problem") if is_problem else t(f"doc.level.{level}"),
        "level_short": t("doc.kind.problem") if is_problem else t(f"doc.level.{level}.short"),
        "kind_short": t("doc.kind.problem") if is_problem else t(f"doc.level.{level}.kind"),
        "is_major": level == "major",
        "description": (hazard.description if hazard else "") or response.note or "",
        "measure": (hazard.measure if hazard else None) or "",
        "deadline": t("doc.corrected_on_site") if hazard and hazard.corrected_on_site else
        format_date(hazard.deadline if hazard else None),
        "corrected_on_site": bool(hazard and hazard.corrected_on_site),
        "measures": list(hazard.measures or []) if hazard else [],
        "measures_text": measures_text(hazard.measures, hazard.measure_other) if hazard else "",
        "measure_scope": (hazard.measure_scope if hazard else None) or "",
        "deadline_iso": hazard.deadline.isoformat() if hazard and hazard.deadline else None,
        "owner": (hazard.owner if hazard else None) or "",
        "status": status,
        "status_label": t(label),
        "funds": state.funds if state else None,
        "evidence": [e.path for e in hazard.evidence] if hazard else [],
        "evidence_files": [{"path": e.path, "size": e.size, "sha256": e.sha256} for e in hazard.evidence]
        if hazard else [],
        "state": state,
    }


def _item(snapshot_title: str, checklist: str, section_title: str, item: SnapshotItem,
          response: Response | None) -> dict[str, Any]:
    basis = cite_texts(item.basis)
    result = response.result if response else ""
    return {
        "checklist": checklist,
        "checklist_title": snapshot_title,
        "section": item.section,
        "section_title": section_title,
        "id": item.id,
        "text": item.text,
        "standard": item.standard,
        "method": method_text(item.method),
        "basis": basis,
        "basis_text": t("sep.semi").join(basis),
        "hint": item.hint or "",
        "major_possible": item.major_possible,
        "result": result,
        "result_label": t(f"doc.result.{result}") if result else t("doc.result.unanswered"),
        "note": (response.note if response else None) or "",
        "remark": "",  # the note to show beside the item (set once the hazard is known)
        "reason": (response.reason if response else None) or "",
        "auto": bool(response and response.auto),
        "hazard": None,
        "copy": bool(response and response.same_as),  # repeats the answer of an item asked once
    }


def _size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def _file_state(path: Path, size: int, sha256: str) -> str:
    """``ok``, ``missing`` or ``changed`` (size or SHA-256 differs from what the record fixed)."""
    if not path.is_file():
        return "missing"
    if path.stat().st_size != size:
        return "changed"
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return "ok" if digest.hexdigest() == sha256 else "changed"


def evidence_view(record: InspectionRecord, hazards: list[dict[str, Any]], base: Path | None,
                  review: Any = None) -> dict[str, Any]:
    """The evidence of the hazards: photos with thumbnails (as data URIs), other files listed, problems flagged.

    A file that is missing or whose size or hash differs from the record is never shown as a
    photo: it is listed with its state. Thumbnails stop at :data:`EVIDENCE_BUDGET` bytes.

    Args:
        record: the record.
        hazards: the hazard views, in order (their ``seq`` captions the files).
        base: the record's folder (evidence paths are relative to it).
        review: the review a review document states: the evidence its results attach (photos after
            rectification) follows the hazards' own, captioned as the review's.
    """
    from safetycheck.images import is_image, make_thumbnail

    photos: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    used = 0
    by_item = {(h["checklist"], h["item"]): h for h in hazards}
    attached: list[tuple[dict[str, Any], Any, str]] = []  # (hazard view, evidence, caption)
    for response in record.responses:
        view = by_item.get((response.checklist, response.item))
        if view is None or response.hazard is None or response.same_as:
            continue
        attached += [(view, ev, t("doc.evidence.hazard", seq=view["seq"])) for ev in response.hazard.evidence]
    if review is not None:
        by_id = {h["id"]: h for h in hazards}
        attached += [(by_id[r.hazard], ev, t("doc.evidence.reviewed", seq=by_id[r.hazard]["seq"]))
                     for r in review.results if r.hazard in by_id for ev in r.evidence]
    for view, ev, caption in attached:
        path = Path(ev.path)
        full = path if path.is_absolute() or base is None else base / path
        state = _file_state(full, ev.size, ev.sha256)
        entry: dict[str, Any] = {
            "hazard": caption, "seq": view["seq"], "path": ev.path,
            "name": path.name, "size": ev.size, "size_text": _size_text(ev.size), "sha256": ev.sha256,
            "sha12": ev.sha256[:12], "state": state, "state_label": t(f"doc.evidence.{state}"),
            "taken": "", "data_uri": "", "width": 0, "height": 0, "over": False,
        }
        if state == "ok" and is_image(ev.path):
            try:
                thumb = make_thumbnail(full)
            except OSError:
                entry.update(state="unreadable", state_label=t("doc.evidence.unreadable"))
                files.append(entry)
                continue
            if used + len(thumb.data) > EVIDENCE_BUDGET:
                entry.update(over=True, state_label=t("doc.evidence.over"))
                files.append(entry)
                continue
            used += len(thumb.data)
            entry.update(taken=thumb.taken, width=thumb.width, height=thumb.height,
                         data_uri=f"data:{thumb.mime};base64," + base64.b64encode(thumb.data).decode("ascii"))
            photos.append(entry)
        else:
            files.append(entry)
    return {"photos": photos, "files": files, "any": bool(photos or files),
            "problems": sum(1 for f in files if f["state"] != "ok")}


SHORT_TEXT = 16  # characters of an item's text in the compact annex


def short_text(text: str) -> str:
    """An item's text cut for the annex: at most :data:`SHORT_TEXT` characters, without the question mark."""
    text = text.rstrip("？?").strip()
    return text if len(text) <= SHORT_TEXT else text[:SHORT_TEXT - 1] + "…"


def _annexed(item: dict[str, Any]) -> dict[str, str]:
    short = short_text(item["text"])
    reason = t("doc.paren", text=item["reason"]) if item["reason"] else ""
    return {"id": item["id"], "short": short, "reason": reason, "line": f"{item['id']} {short}{reason}"}


def build_view(record: InspectionRecord, doc: str, agency: Agency | None = None, today: dt.date | None = None,
               review: str | None = None, full: bool = False, base: Path | None = None,
               with_evidence: bool = True, supervision: Supervision | None = None) -> dict[str, Any]:
    """The data a document template renders (documented in docs/reports.md).

    Args:
        record: the record; only its own checklist snapshot is used.
        doc: the document name (for its title and number).
        agency: the agency settings, if any (name at the foot, 复议机关).
        today: the day hazard statuses are shown for (overdue); default the record's own date,
            so a document rendered twice from the same record is the same.
        full: the inspection record lists every item in its body (``--full``) rather than the
            non-compliant ones, with the others in a compact annex.
        base: the record's folder, where relative evidence paths start (None: the working folder).
        with_evidence: check the evidence files and make the thumbnails (documents that state findings).
        supervision: the supervising office's settings (``[supervision]``), for the 督导反馈意见.

    Returns:
        Plain dicts, lists and strings; absent text is ``""``, never None.
    """
    migrate(record)
    states = {s.key: s for s in hazard_states(record)}
    today = today or (record.finished_at or record.started_at).date()
    answers = {(r.checklist, r.item): r for r in record.responses}
    checklists: list[dict[str, Any]] = []
    every: list[dict[str, Any]] = []
    hazards: list[dict[str, Any]] = []
    by_item: dict[str, dict[str, Any]] = {}  # "checklist/item" -> its hazard
    for snap in record.checklists:
        titles = {s.id: s.title for s in snap.sections}
        order = [s.id for s in snap.sections] + sorted({i.section for i in snap.items} - set(titles))
        grouped: dict[str, list[dict[str, Any]]] = {sid: [] for sid in order}
        for snap_item in snap.items:
            response = answers.get((snap.id, snap_item.id))
            view = _item(snap.title, snap.id, titles.get(snap_item.section, snap_item.section), snap_item, response)
            if response is not None and response.result == "fail":
                repeated = by_item.get(getattr(response, "same_as", None) or "")
                if repeated is not None:  # the answer repeats another item's: its hazard counts once
                    view["hazard"] = repeated
                else:
                    view["hazard"] = _hazard(response, len(hazards) + 1, view, states.get(f"{snap.id}/{snap_item.id}"),
                                              today)
                    hazards.append(view["hazard"])
                by_item[f"{snap.id}/{snap_item.id}"] = view["hazard"]
            if view["note"] and not (view["hazard"] and view["hazard"]["description"] == view["note"]):
                view["remark"] = view["note"]  # not already shown as the hazard's description
            grouped[snap_item.section].append(view)
            every.append(view)
        sections: list[dict[str, Any]] = []
        for sid in order:
            items = grouped[sid]
            if not items:
                continue
            sections.append({
                "id": sid,
                "title": titles.get(sid, sid),
                "all_items": items,
                "passed": [i for i in items if i["result"] == "pass"],
                "failed": [i for i in items if i["result"] == "fail"],
                "na": [i for i in items if i["result"] == "na"],
                "unanswered": [i for i in items if not i["result"]],
                "counts": _counts(items),
            })
        checklists.append({
            "id": snap.id,
            "title": snap.title,
            "version": snap.version,
            "status": snap.status,
            "sections": sections,
            "counts": _counts(i for s in sections for i in s["all_items"]),
        })
    if doc == "rectification-order":  # a hazard corrected on the spot is not ordered to be rectified
        hazards = [dict(h, seq=n) for n, h in enumerate((h for h in hazards if not h["corrected_on_site"]), 1)]
    current = {k: i.number or "" for k, i in issues(record).items() if is_current(record, i)}
    figures = _counts(every)
    figures.update({
        "hazards": len(hazards),
        "general": sum(1 for h in hazards if h["level"] == "general"),
        "major": sum(1 for h in hazards if h["level"] == "major"),
        "problems": sum(1 for h in hazards if h["is_problem"]),
        "enterprise_hazards": sum(1 for h in hazards if not h["is_problem"]),
        "open": sum(1 for h in hazards if h["status"] in ("open", "overdue")),
    })
    # Why distinct: an item asked once for two checklists (same_as) is one answer and one hazard.
    distinct = _counts(i for i in every if not i["copy"])
    major_open = sum(1 for h in hazards if h["is_major"] and h["status"] != "closed")
    figures.update({
        "asked": distinct["total"],
        "pass_distinct": distinct["pass"],
        "fail_distinct": distinct["fail"],
        "na_distinct": distinct["na"],
        "major_open": major_open,
    })
    summary = t("doc.summary", **{"total": distinct["total"], "pass": distinct["pass"], "fail": distinct["fail"],
                                  "na": distinct["na"], "unanswered": distinct["unanswered"]})
    warning = t("doc.major_open", count=major_open) if major_open else ""
    if figures["problems"]:
        figures["hazard_summary_text"] = t("doc.problem_summary", problems=figures["problems"],
                                           count=figures["enterprise_hazards"], general=figures["general"],
                                           major=figures["major"])
    else:
        figures["hazard_summary_text"] = t("doc.sa.hazard_summary", count=figures["hazards"],
                                           general=figures["general"], major=figures["major"])
    figures["summary_text"] = summary + warning
    figures["score_line"] = figures["score_text"] + (t("doc.gap") + warning if warning else "")
    unit = record.unit
    issue = issues(record).get(document_key(record, doc, review))
    issued = issue is not None and record.status == "complete" and is_current(record, issue)
    number = (issue.number or "") if issued and issue is not None else ""
    from safetycheck.documents.feedback import DOC as FEEDBACK
    from safetycheck.documents.feedback import feedback_view, supervision_settings

    office = supervision_settings(supervision)
    code = office["code"] if doc == FEEDBACK else CODES.get(doc, "")
    verified = verify_record(record).ok
    view = {
        "lang": get_lang(),
        "doc": {
            "name": doc,
            "title": t("doc.hazards.title_supervise") if doc == "hazards" and record.mode == "supervise"
            else t(f"doc.{doc}.title"),
            "code": code,
            "number": number,
            "number_line": number or (blank_number(code) if code else ""),
            "issued": issued,
            "draft": record.status == "complete" and not issued,
            "draft_note": t("doc.draft_note") if verified else t("doc.draft_unverified"),
            "verified": verified,
            "seal": ((issue.seal if issue else None) or record.seal or "")[:16] if issued else "",
            "replaces": (issue.replaces or "") if issued and issue is not None else "",
        },
        "complete": record.status == "complete",
        "status": record.status,
        "mode": record.mode,
        "mode_label": t(f"doc.mode.{record.mode}"),
        "unit": {
            "name": unit.name,
            "address": unit.address or "",
            "principal": unit.principal or "",
            "phone": unit.phone or "",
            "industry": t("sep.list").join(unit.industry),
            "site": unit.site or "",
            "purpose": unit.purpose or "",
            "representative": _person(unit.representative),
            "witness": _person(unit.witness),
            "has_witness": bool(unit.witness and unit.witness.name),
        },
        "inspectors": [_person(p) for p in record.inspectors],
        "inspector_names": t("sep.list").join(p.name for p in record.inspectors if p.name),
        "agency": {
            "name": (agency.name if agency else "") or "",
            "review_body": review_body(agency),
        },
        "supervision": office,
        "started": format_time(record.started_at),
        "finished": format_time(record.finished_at),
        "period": format_period(record.started_at, record.finished_at),
        "date": format_date((record.finished_at or record.started_at).date()) if record.status == "complete" else "",
        "checklists": checklists,
        "items": every,
        "failed": [i for i in every if i["result"] == "fail"],
        "passed": [i for i in every if i["result"] == "pass"],
        "na_items": [i for i in every if i["result"] == "na"],
        "unanswered": [i for i in every if not i["result"]],
        "hazards": hazards,
        "major_hazards": [h for h in hazards if h["is_major"]],
        "problems": [h for h in hazards if h["is_problem"]],  # supervise: 问题 of the body supervised
        "enterprise_hazards": [h for h in hazards if not h["is_problem"]],
        "figures": figures,
        "notes": list(record.notes),
        "remarked": [i for i in every if i["remark"]],
        "numbers": {name: current.get(name, "") for name in DOCUMENTS},
        "full": full,
        "evidence": (evidence_view(record, _stated(record, doc, review, hazards), base,
                                   find_review(record, review, "") if doc in REVIEW_DOCUMENTS and record.reviews
                                   else None)
                     if with_evidence and doc in WITH_EVIDENCE
                     else {"photos": [], "files": [], "any": False, "problems": 0}),
        "annex": [
            {"title": c["title"],
             "passed": [_annexed(i) for s in c["sections"] for i in s["passed"]],
             "na": [_annexed(i) for s in c["sections"] for i in s["na"]]}
            for c in checklists
        ],
        "measure_hazards": [h for h in hazards if h["measures"]],
        "orders": _orders(record),
        "review": _review_view(record, review, hazards) if doc in REVIEW_DOCUMENTS and record.reviews else None,
        "review_intro": _review_intro(record, review, hazards) if doc in REVIEW_DOCUMENTS and record.reviews else "",
    }
    if doc == FEEDBACK:
        view["feedback"] = feedback_view(view)
    return view


def _stated(record: InspectionRecord, doc: str, review: str | None,
            hazards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hazards a document states, numbered as it lists them: their evidence is the document's.

    The on-site measures decision states the hazards under measures; a review document the
    hazards of its review; the others every hazard they list.
    """
    if doc == "onsite-measures":
        return [dict(h, seq=n) for n, h in enumerate((h for h in hazards if h["measures"]), 1)]
    if doc in REVIEW_DOCUMENTS and record.reviews:
        by_id = {h["id"]: h for h in hazards}
        found = [by_id[r.hazard] for r in find_review(record, review, "").results if r.hazard in by_id]
        return [dict(h, seq=n) for n, h in enumerate(found, 1)]
    return hazards


def _review_intro(record: InspectionRecord, review: str | None, hazards: list[dict[str, Any]]) -> str:
    """本机关于…作出《责令限期整改指令书》（…）和《现场处理措施决定书》（…），经于…复查: the documents cited."""
    orders = _orders(record)
    order, measures = orders["rectification-order"], orders["onsite-measures"]
    text = t("doc.rv.order", number=order["number"] or t("doc.rv.unnumbered"))
    if any(h["measures"] for h in hazards):
        text += t("doc.rv.and_measures", number=measures["number"] or t("doc.rv.unnumbered"))
    found = find_review(record, review, "")
    return t("doc.rv.intro", date=order["date"] or format_date(record.started_at.date()), order=text,
             review_date=format_date(found.started_at.date()))


def _orders(record: InspectionRecord) -> dict[str, dict[str, str]]:
    """The number and date of each document issued (for citing the order and the measures decision)."""
    out = {}
    for key, issue in issues(record).items():
        out[key] = {"number": issue.number or "", "date": format_date(issue.at.date()) if issue.at else ""}
    for name in ("rectification-order", "onsite-measures"):
        out.setdefault(name, {"number": "", "date": ""})
    return out


def _review_view(record: InspectionRecord, ident: str | None, hazards: list[dict[str, Any]]) -> dict[str, Any]:
    """One review: who, when, and per hazard the result and follow-up."""
    found = find_review(record, ident, "")
    by_id = {h["id"]: h for h in hazards}
    results = []
    for n, r in enumerate(found.results, 1):
        h = by_id.get(r.hazard, {})
        results.append({
            "seq": n,
            "hazard": r.hazard,
            "description": h.get("description", ""),
            "text": h.get("text", ""),
            "level_label": h.get("level_label", ""),
            "is_major": h.get("is_major", False),
            "measure": h.get("measure", ""),
            "funds": h.get("funds"),
            "rectified_at": (h["state"].rectified_at or "") if h.get("state") else "",
            "result": r.result,
            "passed": r.result == "passed",
            "result_label": t(f"doc.review.{r.result}"),
            "note": r.note or "",
            "followup": r.followup or "",
            "followup_label": t(f"doc.followup.{r.followup}", deadline=format_date(r.deadline))
            if r.followup else "",
            "deadline": format_date(r.deadline),
            "deadline_iso": r.deadline.isoformat() if r.deadline else None,
            "evidence": [{"path": e.path, "size": e.size, "sha256": e.sha256} for e in r.evidence],
        })
    return {
        "id": found.id,
        "status": found.status,
        "complete": found.status == "complete",
        "started": format_time(found.started_at),
        "date": format_date(found.started_at.date()),
        "finished": format_time(found.finished_at),
        "inspectors": [_person(p) for p in found.inspectors],
        "inspector_names": t("sep.list").join(p.name for p in found.inspectors if p.name),
        "results": results,
        "passed": sum(1 for r in results if r["passed"]),
        "failed": sum(1 for r in results if not r["passed"]),
    }


# --- JSON ---------------------------------------------------------------------------------


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _figure_counts(counts: dict[str, Any]) -> dict[str, Any]:
    out = {k: counts[k] for k in ("total", "answered", "unanswered", "pass", "fail", "na")}
    out["score"] = round(counts["score"], 4) if counts["score"] is not None else None
    return out


def document_json(record: InspectionRecord, doc: str, agency: Agency | None = None,
                  today: dt.date | None = None, review: str | None = None,
                  supervision: Supervision | None = None) -> str:
    """The ``json`` format: the record and its derived figures (schema ``safetycheck.report/1``).

    The keys and their order are fixed and documented in docs/reports.md; new keys may be
    added, existing ones keep their meaning.
    """
    view = build_view(record, doc, agency, today, review, with_evidence=False, supervision=supervision)
    view_today = today or (record.finished_at or record.started_at).date()
    figures = _figure_counts(view["figures"])
    figures.update({k: view["figures"][k] for k in ("hazards", "general", "major", "open", "asked", "fail_distinct",
                                                      "major_open", "problems")})
    figures["checklists"] = [
        {
            "id": c["id"],
            "title": c["title"],
            "version": c["version"],
            **_figure_counts(c["counts"]),
            "sections": [{"id": s["id"], "title": s["title"], **_figure_counts(s["counts"])} for s in c["sections"]],
        }
        for c in view["checklists"]
    ]
    data = {
        "schema": REPORT_SCHEMA,
        "document": {
            "name": doc,
            "title": view["doc"]["title"],
            "code": view["doc"]["code"] or None,
            "number": view["doc"]["number"] or None,
            "draft": view["doc"]["draft"],
            "seal": view["doc"]["seal"] or None,
            "replaces": view["doc"]["replaces"] or None,
        },
        "status": record.status,
        "figures": figures,
        "hazards": [
            {
                "seq": h["seq"],
                "id": h["id"] or None,
                "checklist": h["checklist"],
                "item": h["item"],
                "text": h["text"],
                "kind": h["kind"],
                "level": h["level"] or None,
                "description": h["description"],
                "measure": h["measure"] or None,
                "deadline": h["deadline_iso"],
                "owner": h["owner"] or None,
                "status": h["status"],
                "basis": h["basis"],
                "evidence": h["evidence_files"],
                **_ledger_keys(record, h, view_today),
            }
            for h in view["hazards"]
        ],
        "record": _drop_none(msgspec.to_builtins(record)),
    }
    if view["review"] is not None:
        data["review"] = {k: v for k, v in view["review"].items() if k not in ("started", "finished", "date")}
        data["review"]["results"] = [{**{k: v for k, v in r.items() if k not in ("deadline", "deadline_iso")},
                                      "deadline": r["deadline_iso"]} for r in view["review"]["results"]]
    return json_text(data) + "\n"


LEDGER_EXTRA = ("record_id", "unit", "item_text", "funds", "overdue_days", "found_at", "rectified_at", "reviewed_at",
                "reviewed_by", "closed_at", "last_event")


def _ledger_keys(record: InspectionRecord, h: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The ledger keys of a hazard, its on-site measures, its reviews and its evidence (path, size, SHA-256)."""
    state: HazardState | None = h["state"]
    if state is None:
        return {}
    row = ledger_row(record, state, "", today)
    hazard = state.hazard
    after = [e for ev in state.events for e in ev.detail.get("evidence", []) if isinstance(e, dict)]
    return {
        **{k: row[k] for k in LEDGER_EXTRA},
        "status_text": row["status_text"],
        "corrected_on_site": bool(hazard.corrected_on_site),
        "measures": list(hazard.measures or []),
        "measure_scope": hazard.measure_scope,
        "measure_other": hazard.measure_other,
        "reviews": [{"review": rv.id, **{k: v for k, v in msgspec.to_builtins(r).items() if k != "hazard"}}
                    for rv in record.reviews for r in rv.results if r.hazard == state.id],
        "evidence": [*h["evidence_files"], *after],
    }
