"""The 督导反馈意见 (supervision feedback): what the supervising office tells the body it supervised.

Why a module of its own: the feedback speaks for the supervising office (``[supervision]`` in
the settings, not the inspecting ``[agency]``), to a government body, about its 问题 and the
整改报告 each calls for; its sentences are worked out here from the view, so the templates only
lay them out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from safetycheck.inspection.config import DEFAULT_SUPERVISION_CODE
from safetycheck.messages import t

if TYPE_CHECKING:
    from safetycheck.inspection.config import Supervision

DOC = "supervision-feedback"


def supervision_settings(supervision: Supervision | None) -> dict[str, str]:
    """The supervising office as a view shows it: absent text is ``""``."""
    return {
        "name": (supervision.name if supervision else None) or "",
        "short_name": (supervision.short_name if supervision else None) or "",
        "code": (supervision.code if supervision else None) or DEFAULT_SUPERVISION_CODE,
    }


def feedback_view(view: dict[str, Any]) -> dict[str, Any]:
    """The parts of the feedback, from the document view (``view["supervision"]`` included).

    Returns:
        ``intro`` (the opening paragraph), ``headings`` (numbered: ``problems``, ``hazards``
        — ``""`` unless enterprise hazards were found — and ``requirements``), ``requirements`` (the closing
        paragraph), ``office`` (who signs) and ``report_by`` (the last 整改报告 deadline).
    """
    office = view["supervision"]["name"] or t("doc.fb.office_blank")
    unit = view["unit"]
    problems = view["problems"]
    hazards = view["enterprise_hazards"]
    arranged = t("doc.fb.arranged", purpose=unit["purpose"]) if unit["purpose"] else ""
    team = view["inspector_names"]
    intro = t("doc.fb.intro", period=view["period"], office=office, team=t("doc.paren", text=team) if team else "",
              arranged=arranged, asked=view["figures"]["asked"], problems=len(problems))
    if hazards:
        intro += t("doc.fb.intro_hazards", count=len(hazards))
    intro += t("doc.fb.intro_end") if problems or hazards else t("doc.fb.intro_none")
    numerals = t("doc.fb.numerals").split(",")
    headings = {"problems": "", "hazards": "", "requirements": ""}  # "" for a part the feedback leaves out
    count = 0
    for key, present in (("problems", True), ("hazards", bool(hazards)), ("requirements", True)):
        if present:
            headings[key] = t("doc.fb.heading", n=numerals[count], title=t(f"doc.fb.h_{key}"))
            count += 1
    dates = sorted((h["deadline_iso"], h["deadline"]) for h in problems if h["deadline_iso"])
    report_by = dates[-1][1] if dates else ""
    if problems:
        requirements = t("doc.fb.requirements", office=office)
    else:
        requirements = t("doc.fb.requirements_none")
    if hazards:
        requirements += t("doc.fb.requirements_hazards")
    return {
        "intro": intro,
        "headings": headings,
        "requirements": requirements,
        "office": view["supervision"]["name"],
        "report_by": report_by,
    }
