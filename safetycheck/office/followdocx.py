"""Word layouts of the documents that follow an inspection: measures, reviews and the supervision feedback.

Each function lays out one document from its view (``documents.views.build_view``, the data the
JSON output gives) with the fixed wording of the HTML template of the same name, through the
primitives of ``office.docx.Writer`` (passed in as ``w``).

Why apart from ``office/docx.py``: that module holds the writer and the inspection's own
documents; these five read the view's ``measure_hazards``, ``review`` and ``feedback`` parts.
Why ``w`` is typed ``Any``: ``office.docx`` imports this table of layouts, so this module cannot
import the writer's class back (the package has no import cycles).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from safetycheck.messages import t


def _agency(v: dict[str, Any]) -> str:
    """The agency at the foot, as the other documents of an inspection print it."""
    return str(v["agency"]["name"] or t("doc.sign.agency_blank") + t("doc.sign.seal"))


def _marked(major: bool, label: str, text: str) -> str:
    """``【重大事故隐患】`` before the text of a major hazard."""
    return (t("doc.mark", text=label) + t("doc.mark_gap") if major else "") + text


def onsite_measures(w: Any, v: dict[str, Any]) -> None:
    """现场处理措施决定书: the major hazards, the measures and where they apply, the remedies."""
    u = v["unit"]
    w.para(u["name"] + t("doc.colon"))
    w.para(t("doc.om.facts", date=v["started"]))
    for n, h in enumerate(v["measure_hazards"], 1):
        w.para(f"{n}. {h['description'] or h['text']}", keep=True)
        w.para(t("doc.col.item") + t("doc.colon") + h["text"], "SC Muted")
    w.para(t("doc.om.basis"), keep=True)
    w.table((11, 95, 50), [t("doc.col.seq"), t("doc.row.measures"), t("doc.om.scope")],
            [[str(n), h["measures_text"], h["measure_scope"]] for n, h in enumerate(v["measure_hazards"], 1)])
    w.para(t("doc.om.resume"))
    w.para(t("doc.om.remedies", review_body=v["agency"]["review_body"]))
    w.keep_last_with_signatures()
    w.signatures(w.signers(t("doc.sign.inspectors_cert"), v["inspectors"], cert=True)
                 + w.signer(t("doc.sign.representative"), u["representative"]["name"])
                 + (w.signer(t("doc.sign.witness"), u["witness"]["name"]) if u["has_witness"] else []))
    w.foot(_agency(v), v["date"])
    w.evidence(v["evidence"])


def review_opinion(w: Any, v: dict[str, Any]) -> None:
    """整改复查意见书: per hazard 已整改 / 未整改, what was found and the follow-up."""
    r = v["review"]
    w.para(v["unit"]["name"] + t("doc.colon"))
    w.para(v["review_intro"])
    w.table((11, 50, 20, 40, 35), [t("doc.col.seq"), t("doc.col.description"), t("doc.col.result"),
                                   t("doc.col.finding"), t("doc.rv.followup")],
            [[str(x["seq"]), _marked(x["is_major"], x["level_label"], x["description"] or x["text"]),
              x["result_label"], x["note"], x["followup_label"]] for x in r["results"]])
    w.para(t("doc.rv.tally", count=len(r["results"]), passed=r["passed"], failed=r["failed"]))
    w.keep_last_with_signatures()
    w.signatures(w.signer(t("doc.rv.principal"))
                 + w.signers(t("docx.rv.inspector"), r["inspectors"], cert=True))
    w.foot(_agency(v), r["date"])
    w.evidence(v["evidence"])


def acceptance(w: Any, v: dict[str, Any]) -> None:
    """隐患整改验收记录 (self-inspection): each hazard, its measure, funds, completion date and result."""
    r = v["review"]
    w.para(t("doc.ac.intro", unit=v["unit"]["name"], date=r["date"]))
    rows = []
    for x in r["results"]:
        result: list[tuple[str, str]] = [(x["result_label"], "SC Table")]
        if x["note"]:
            result.append((x["note"], "SC Table"))
        rows.append([str(x["seq"]), _marked(x["is_major"], x["level_label"], x["description"] or x["text"]),
                     x["measure"], "" if x["funds"] is None else str(x["funds"]), x["rectified_at"], result])
    w.table((11, 42, 34, 18, 29, 22), [t("doc.col.seq"), t("doc.col.description"), t("doc.col.measure"),
                                       t("doc.ac.funds"), t("doc.ac.done"), t("doc.col.result")], rows)
    if any(x["is_major"] for x in r["results"]):
        w.para(t("doc.ac.awaiting"))
    w.keep_last_with_signatures()
    w.signatures([(t("docx.ac.auditor"), p["name"] + ("\n" + p["post"] if p["post"] else ""), False)
                  for p in r["inspectors"]] or w.signer(t("docx.ac.auditor"), date=False))
    w.para(r["date"] or t("doc.sign.date_blank"), "SC Foot")
    w.evidence(v["evidence"])


def supervision_review(w: Any, v: dict[str, Any]) -> None:
    """督导整改复核记录: per problem 已整改 / 未整改 and what was found; no enforcement wording."""
    r = v["review"]
    w.para(t("doc.sr.intro", unit=v["unit"]["name"], date=r["date"]))
    w.table((11, 75, 20, 50), [t("doc.col.seq"), t("doc.col.description"), t("doc.col.result"),
                               t("doc.col.finding")],
            [[str(x["seq"]), x["description"] or x["text"], x["result_label"], x["note"]] for x in r["results"]])
    w.para(t("doc.sr.tally", count=len(r["results"]), passed=r["passed"], failed=r["failed"]))
    w.keep_last_with_signatures()
    w.signatures([(t("docx.sr.people"), p["name"], False) for p in r["inspectors"]]
                 or w.signer(t("docx.sr.people"), date=False))
    w.para(r["date"] or t("doc.sign.date_blank"), "SC Foot")


def supervision_feedback(w: Any, v: dict[str, Any]) -> None:
    """督导反馈意见: the supervising office to the body it supervised, its problems and what it asks."""
    f = v["feedback"]
    w.para(t("doc.fb.to", name=v["unit"]["name"]))
    w.para(f["intro"], "SC Body")
    w.heading(f["headings"]["problems"])
    for n, h in enumerate(v["problems"], 1):
        w.para(f"{n}. {h['description']}", "SC Body", keep=True, bold=True)
        w.fields([(t("doc.col.item"), h["text"]), (t("doc.col.basis"), h["basis_text"]),
                  (t("doc.col.requirement"), h["measure"]), (t("doc.fb.report_due"), h["deadline"])])
    if not v["problems"]:
        w.para(t("doc.no_problems"))
    if f["headings"]["hazards"]:
        w.heading(f["headings"]["hazards"])
        w.hazards(v["enterprise_hazards"], measure=True, owner=False, by_kind=True)
    w.heading(f["headings"]["requirements"])
    w.para(f["requirements"])
    w.fields([(t("doc.sv.team"), v["inspector_names"]),
              (t("doc.sv.contact"), person_text(v["unit"]["representative"]))])
    w.keep_last_with_signatures()
    w.foot(f["office"] or t("doc.sign.agency_blank") + t("doc.sign.seal"), v["date"])


def person_text(p: dict[str, str]) -> str:
    """A name with the post and phone, as the HTML macro ``person`` prints it."""
    text = p["name"]
    if p["post"]:
        text += t("doc.paren", text=p["post"])
    if p["phone"]:
        text += t("doc.gap") + t("doc.phone") + t("doc.colon") + p["phone"]
    return text


FOLLOW_BUILDERS: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "onsite-measures": onsite_measures,
    "review-opinion": review_opinion,
    "acceptance": acceptance,
    "supervision-review": supervision_review,
    "supervision-feedback": supervision_feedback,
}
