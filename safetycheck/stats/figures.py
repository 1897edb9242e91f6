"""The figures (检查次数, 隐患数, 整改率, …) over an iterable of record facts, in total and per group.

The keys and their definitions are those of the README's statistics table; every output format
(table, JSON, CSV, XLSX, the dashboard and the monthly report) shows these and only these.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from safetycheck.stats.facts import HazardFacts, RecordFacts

KEYS = ("inspections", "units", "asked", "fail", "hazards", "general", "major", "corrected_on_site", "closed",
        "not_closed", "overdue", "rectification_rate", "on_time_rate", "days_to_close_mean", "days_to_close_median",
        "measures", "reviews_passed", "reviews_failed", "funds", "top_items")
GROUPINGS = ("unit", "checklist", "item", "level", "month", "inspector", "industry")
# Groupings where one record counts in several groups (the output says so).
OVERLAPPING = ("checklist", "item", "level", "inspector", "industry")
NONE = "—"  # the group of records without an inspector or an industry
TOP = 10


@dataclass
class Tally:
    """The running sums behind the figures of one group (records are added one at a time)."""

    inspections: int = 0
    units: set[str] = field(default_factory=set)
    asked: int = 0
    fail: int = 0
    hazards: int = 0
    general: int = 0
    major: int = 0
    corrected_on_site: int = 0
    closed: int = 0
    overdue: int = 0
    due: int = 0
    on_time: int = 0
    days: list[int] = field(default_factory=list)
    measures: int = 0
    reviews_passed: int = 0
    reviews_failed: int = 0
    funds: float = 0.0
    items: Counter[tuple[str, str]] = field(default_factory=Counter)
    texts: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, facts: RecordFacts, day: dt.date) -> None:
        """Count one record (or the part of it that belongs to this group)."""
        self.inspections += 1
        self.units.add(facts.unit)
        self.asked += len(facts.asked_items)
        self.fail += len(facts.failed_items)
        for checklist, item, text in facts.failed_items:
            self.items[(checklist, item)] += 1
            self.texts.setdefault((checklist, item), text)
        for h in facts.hazards:
            self._hazard(h, day)

    def _hazard(self, h: HazardFacts, day: dt.date) -> None:
        self.hazards += 1
        self.major += h.level == "major"
        self.general += h.level != "major"
        self.corrected_on_site += h.corrected_on_site
        self.measures += h.measures
        self.reviews_passed += h.reviews_passed
        self.reviews_failed += h.reviews_failed
        self.funds += h.funds
        self.overdue += h.overdue
        if h.status == "closed" and h.closed_on is not None:
            self.closed += 1
            self.days.append((h.closed_on - h.found).days)
        deadline = h.deadline or (h.found if h.corrected_on_site else None)
        if deadline is not None and deadline <= day:
            self.due += 1
            self.on_time += h.status == "closed" and h.closed_on is not None and h.closed_on <= deadline

    def figures(self) -> dict[str, Any]:
        """The figures, keyed as :data:`KEYS`; a rate or mean without a denominator is None."""
        top = sorted(self.items.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]
        return {
            "inspections": self.inspections,
            "units": len(self.units),
            "asked": self.asked,
            "fail": self.fail,
            "hazards": self.hazards,
            "general": self.general,
            "major": self.major,
            "corrected_on_site": self.corrected_on_site,
            "closed": self.closed,
            "not_closed": self.hazards - self.closed,
            "overdue": self.overdue,
            "rectification_rate": round(self.closed / self.hazards, 4) if self.hazards else None,
            "on_time_rate": round(self.on_time / self.due, 4) if self.due else None,
            "days_to_close_mean": round(statistics.fmean(self.days), 2) if self.days else None,
            "days_to_close_median": float(statistics.median(self.days)) if self.days else None,
            "measures": self.measures,
            "reviews_passed": self.reviews_passed,
            "reviews_failed": self.reviews_failed,
            "funds": round(self.funds, 2),
            "top_items": [{"checklist": c, "item": i, "text": self.texts[(c, i)], "count": n} for (c, i), n in top],
        }


def _slice(facts: RecordFacts, keep_item: Callable[[str, str], bool]) -> RecordFacts:
    """The part of a record about the items ``keep_item`` accepts (checklist, item)."""
    return replace(facts,
                   asked_items=tuple(k for k in facts.asked_items if keep_item(*k.split("/", 1))),
                   failed_items=tuple(f for f in facts.failed_items if keep_item(f[0], f[1])),
                   hazards=tuple(h for h in facts.hazards if keep_item(h.checklist, h.item)))


def _same_checklist(want: str) -> Callable[[str, str], bool]:
    return lambda checklist, _item: checklist == want


def _same_item(want: str) -> Callable[[str, str], bool]:
    return lambda checklist, item: f"{checklist}/{item}" == want


def group_parts(facts: RecordFacts, by: str) -> Iterator[tuple[str, RecordFacts]]:
    """The groups a record belongs to under ``--by``, each with the part of the record it counts."""
    if by == "unit":
        yield facts.unit, facts
    elif by == "month":
        yield facts.started.strftime("%Y-%m"), facts
    elif by == "inspector":
        for name in dict.fromkeys(facts.inspectors) or [NONE]:
            yield name, facts
    elif by == "industry":
        for name in dict.fromkeys(facts.industries) or [NONE]:
            yield name, facts
    elif by == "checklist":
        for checklist in dict.fromkeys(k.split("/", 1)[0] for k in facts.asked_items):
            yield checklist, _slice(facts, _same_checklist(checklist))
    elif by == "item":
        for key in facts.asked_items:
            yield key, _slice(facts, _same_item(key))
    elif by == "level":
        for level in ("general", "major"):
            hazards = tuple(h for h in facts.hazards if (h.level == "major") == (level == "major"))
            if hazards:
                keys = {(h.checklist, h.item) for h in hazards}
                yield level, replace(facts, hazards=hazards,
                                     failed_items=tuple(f for f in facts.failed_items if (f[0], f[1]) in keys))
    else:
        raise ValueError(by)


@dataclass
class Figures:
    """The figures of a selection: the total, and per group when grouped."""

    total: dict[str, Any]
    groups: list[tuple[str, dict[str, Any]]]
    by: str | None
    flagged: int = 0
    also: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)  # more groupings, same pass
    months: dict[str, tuple[int, int]] = field(default_factory=dict)  # YYYY-MM -> (hazards found, closed)


def compute_figures(facts: Iterable[RecordFacts], day: dt.date, by: str | None = None,
                    also: tuple[str, ...] = ()) -> Figures:
    """The figures over ``facts`` with statuses as of ``day``, in total and per ``by`` group.

    Args:
        facts: the records' facts, from files or from a store.
        day: the day statuses are taken for (``--to``).
        by: the grouping asked for, if any.
        also: more groupings computed in the same pass (the dashboard's and the monthly report's).

    Records flagged by a store are left out and counted in ``flagged``. Memory stays flat in the
    number of records: only the running sums (and one integer per closed hazard, for the median)
    are kept.
    """
    total = Tally()
    wanted = ([by] if by else []) + [b for b in also if b != by]
    groups: dict[str, dict[str, Tally]] = {b: {} for b in wanted}
    months: dict[str, list[int]] = {}
    flagged = 0
    for record in facts:
        if record.flagged:
            flagged += 1
            continue
        total.add(record, day)
        for grouping in wanted:
            for name, part in group_parts(record, grouping):
                groups[grouping].setdefault(name, Tally()).add(part, day)
        for h in record.hazards:
            months.setdefault(h.found.strftime("%Y-%m"), [0, 0])[0] += 1
            if h.status == "closed" and h.closed_on is not None:
                months.setdefault(h.closed_on.strftime("%Y-%m"), [0, 0])[1] += 1

    def ordered(grouping: str) -> list[tuple[str, dict[str, Any]]]:
        found = sorted(groups[grouping].items(), key=lambda kv: _group_order(grouping, kv))
        return [(name, tally.figures()) for name, tally in found]

    return Figures(total.figures(), ordered(by) if by else [], by, flagged, {b: ordered(b) for b in also},
                   {m: (v[0], v[1]) for m, v in sorted(months.items())})


def _group_order(by: str | None, kv: tuple[str, Tally]) -> tuple[Any, ...]:
    name, tally = kv
    if by in ("month", "level"):
        return (0, {"general": "0", "major": "1"}.get(name, name))
    if by == "item":
        return (-tally.fail, -tally.hazards, name)
    return (name == NONE, -tally.inspections, name)
