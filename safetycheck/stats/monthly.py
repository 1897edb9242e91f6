"""The monthly report (《隐患排查治理情况月报》, ``stats --doc monthly --month YYYY-MM``) as plain data and text.

With ``--unit``, one unit's report (its self-audits and the inspections it holds); without, the
agency's, over every record of the month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safetycheck.messages import get_lang, t
from safetycheck.stats.facts import HazardFacts, RecordFacts, Selection, facts_from_files
from safetycheck.stats.figures import compute_figures
from safetycheck.stats.output import SCALARS, label, value_text

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
CHANGE = ("inspections", "units", "hazards", "major", "closed", "not_closed", "overdue", "rectification_rate",
          "on_time_rate", "funds")


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``YYYY-MM``; ValueError for anything else."""
    year, _, number = month.strip().partition("-")
    if len(year) != 4 or len(number) != 2:
        raise ValueError(month)
    first = dt.date(int(year), int(number), 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def _delta(key: str, now: Any, before: Any) -> str:
    if now is None or before is None:
        return "—"
    change = now - before
    if key in ("rectification_rate", "on_time_rate"):
        return f"{change * 100:+.1f}" + t("monthly.points")
    if isinstance(change, float):
        return f"{change:+,.2f}"
    return f"{change:+d}"


def _level(level: str | None) -> str:
    return t(f"doc.level.{level}.short") if level else t("doc.kind.problem")  # a supervision's problem has none


def _status(h: Any) -> str:
    return t("doc.status.overdue") if h.overdue else t(f"doc.status.{h.status}")


@dataclass
class StoreSource:
    """``--store``: the store's sums and hazard rows for a selection (the command line supplies them)."""

    figure_rows: Callable[[Selection, list[str | None]], dict[str, Any]]
    hazard_rows: Callable[[Selection, bool, bool], list[dict[str, Any]]]


def _iso(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)[:10]) if value else None


def _hazard(row: dict[str, Any], day: dt.date) -> HazardFacts:
    """A hazard row of the store as the facts the report reads."""
    deadline = _iso(row["deadline"])
    return HazardFacts(
        id=row["hazard"], checklist=row["checklist"], item=row["item"], level=row["level"],
        description=row["description"] or "", found=_iso(row["found"]) or day, deadline=deadline,
        status=row["status"], closed_on=_iso(row["closed_on"]), corrected_on_site=bool(row["corrected_on_site"]),
        funds=float(row["funds"] or 0.0), measures=int(row["measures"] or 0), reviews_passed=int(row["reviews_passed"]),
        reviews_failed=int(row["reviews_failed"]), has_plan=bool(row["has_plan"]), reported_regulator=row["reported"],
        listed=row["listed"], overdue=row["status"] == "open" and deadline is not None and day > deadline)


def _overdue_row(unit: str, file: str, h: HazardFacts, last: dt.date) -> dict[str, Any]:
    return {"unit": unit, "file": file, "hazard": h.id, "item": f"{h.checklist}/{h.item}",
            "level": _level(h.level), "description": h.description,
            "deadline": h.deadline.isoformat() if h.deadline else "",
            "days": (last - h.deadline).days if h.deadline else 0, "found": h.found.isoformat()}


def _major_row(unit: str, h: HazardFacts) -> dict[str, Any]:
    return {"unit": unit, "hazard": h.id, "item": f"{h.checklist}/{h.item}",
            "description": h.description, "status": _status(h),
            "deadline": h.deadline.isoformat() if h.deadline else "",
            "plan": t("monthly.yes") if h.has_plan else t("monthly.no"),
            "funds": value_text("funds", h.funds) if h.funds else "",
            "reported": h.reported_regulator or t("monthly.not_yet"),
            "listed": h.listed or t("monthly.not_yet")}


def _from_store(store: StoreSource, month: str, unit: str | None) -> tuple[Any, ...]:
    """Figures of the month and the month before, majors, overdue hazards and units, from the store."""
    from safetycheck.stats.storefigures import figures_from_rows

    first, last = month_bounds(month)
    before_first, _ = month_bounds((first - dt.timedelta(days=1)).strftime("%Y-%m"))
    figures = figures_from_rows(store.figure_rows(Selection(first, last, None, unit), [None, "unit"]), "unit")
    previous = figures_from_rows(store.figure_rows(Selection(before_first, first - dt.timedelta(days=1), None, unit),
                                                   [None]), None)
    majors = [_major_row(r["unit"], _hazard(r, last)) for r in store.hazard_rows(Selection(first, last, None, unit),
                                                                                  True, False)]
    overdue = [_overdue_row(r["unit"], r["file"], _hazard(r, last), last)
               for r in store.hazard_rows(Selection(None, last, None, unit), False, True)]
    units = {name for name, _ in figures_from_rows(store.figure_rows(Selection(None, last, None, unit),
                                                                     [None, "unit"]), "unit").groups}
    return figures, previous, majors, overdue, units


def _from_files(paths: list[Path], month: str, unit: str | None, broken: list[str],
                progress: Callable[[int, int], None] | None = None) -> tuple[Any, ...]:
    """Figures of the month and the month before, majors, overdue hazards and units, from record files."""
    first, last = month_bounds(month)
    before_first, _ = month_bounds((first - dt.timedelta(days=1)).strftime("%Y-%m"))
    current: list[RecordFacts] = []
    overdue: list[dict[str, Any]] = []
    units: set[str] = set()
    for facts in facts_from_files(paths, Selection(None, last, None, unit), broken, progress):
        units.add(facts.unit)
        if facts.started >= first:
            current.append(facts)
        for h in facts.hazards:
            if h.overdue:
                overdue.append(_overdue_row(facts.unit, facts.file, h, last))
    previous = compute_figures(facts_from_files(paths, Selection(before_first, first - dt.timedelta(days=1), None,
                                                                 unit), []), first - dt.timedelta(days=1))
    figures = compute_figures(current, last, "unit")
    majors = [_major_row(facts.unit, h) for facts in current for h in facts.hazards if h.level == "major"]
    return figures, previous, majors, overdue, units


def monthly_data(paths: list[Path], month: str, unit: str | None, broken: list[str],
                 reporter: str | None = None, store: StoreSource | None = None,
                 progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Everything the monthly report shows: figures, change on the month before, major and overdue hazards.

    From record files under ``paths`` (``progress`` called with (done, total) as they are read), or
    from the store's query tables with ``store``.
    """
    first, last = month_bounds(month)
    figures, previous, majors, overdue, units = (_from_store(store, month, unit) if store is not None
                                                  else _from_files(paths, month, unit, broken, progress))
    current_units = [name for name, _ in figures.groups]
    total, before = figures.total, previous.total
    overdue.sort(key=lambda h: (-h["days"], h["unit"], h["hazard"]))
    if unit:
        names = sorted(current_units) or sorted(units) or [unit]
        who = t("sep.list").join(names)
    else:
        who = reporter or ""
    return {
        "lang": get_lang(),
        "title": t("monthly.title"),
        "month": t("monthly.month", year=first.year,
                   month=first.month if get_lang() == "zh" else MONTHS[first.month - 1]),
        "who": who,
        "kind": t("monthly.unit_kind") if unit else t("monthly.agency_kind"),
        "period": t("monthly.period", start=first.isoformat(), end=last.isoformat()),
        "figures": [(label(k), value_text(k, total[k])) for k in SCALARS],
        "change": [(label(k), value_text(k, total[k]), value_text(k, before[k]), _delta(k, total[k], before[k]))
                   for k in CHANGE],
        "units": [(name, v["inspections"], v["hazards"], v["major"], v["closed"], v["overdue"],
                   value_text("rectification_rate", v["rectification_rate"])) for name, v in figures.groups],
        "top_items": total["top_items"],
        "majors": majors,
        "overdue": overdue,
        "labels": {k: t(f"monthly.{k}") for k in (
            "figures", "change", "this_month", "last_month", "delta", "by_unit", "majors", "overdue", "none", "plan",
            "funds", "reported", "listed", "status", "deadline", "days", "found", "signature", "principal",
            "filled_by", "date", "who_seal", "who", "hazard", "description", "top_items")},
        "headers": {k: label(k) if k in SCALARS else t(f"stats.{k}") for k in (
            "inspections", "hazards", "major", "closed", "overdue", "rectification_rate", "figure", "value", "count",
            "text")} | {"unit": t("stats.by.unit"), "item": t("ledger.item"), "level": t("ledger.level"),
                        "checklist": t("ledger.checklist")},
    }


def monthly_text(data: dict[str, Any], fmt: str) -> str:
    """The report rendered by its template (``monthly.html.j2`` or ``monthly.md.j2``)."""
    from safetycheck.documents.report import make_environment

    return make_environment().get_template(f"monthly.{fmt}.j2").render(**data)
