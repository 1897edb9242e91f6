"""The figures from the store's sums (``stats --store``): the same :class:`Tally` and figures as from record files.

The store aggregates in SQL and hands plain rows over (``store/statsrows.py``); this module turns
them into the running sums of :mod:`safetycheck.stats.figures`, so rates, means, the median, the top
items and the order of the groups are computed by the same code as for record files.
"""

from __future__ import annotations

from typing import Any

from safetycheck.stats.figures import Figures, Tally, _group_order


def _tallies(part: dict[str, list[tuple[Any, ...]]]) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    for group, unit, inspections, asked in part["records"]:
        tally = tallies.setdefault(group, Tally())
        tally.inspections += inspections
        tally.units.add(unit)
        tally.asked += asked
    for group, hazards, major, on_site, closed, overdue, due, on_time, measures, passed, failed, funds in \
            part["hazards"]:
        tally = tallies.setdefault(group, Tally())
        tally.hazards += hazards
        tally.major += major
        tally.general += hazards - major
        tally.corrected_on_site += on_site
        tally.closed += closed
        tally.overdue += overdue
        tally.due += due
        tally.on_time += on_time
        tally.measures += measures
        tally.reviews_passed += passed
        tally.reviews_failed += failed
        tally.funds += funds
    for group, days, count in part["days"]:
        tallies.setdefault(group, Tally()).days.extend([days] * count)
    for group, checklist, item, text, count in part["items"]:
        tally = tallies.setdefault(group, Tally())
        tally.items[(checklist, item)] += count
        tally.texts.setdefault((checklist, item), text)
        tally.fail += count
    for tally in tallies.values():
        tally.days.sort()
    return tallies


def figures_from_rows(rows: dict[str, Any], by: str | None, also: tuple[str, ...] = ()) -> Figures:
    """The figures from :func:`safetycheck.store.statsrows.figure_rows` (total, ``by`` and ``also`` groupings)."""
    total = _tallies(rows[""]).get("", Tally())

    def ordered(grouping: str) -> list[tuple[str, dict[str, Any]]]:
        found = sorted(_tallies(rows[grouping]).items(), key=lambda kv: _group_order(grouping, kv))
        return [(name, tally.figures()) for name, tally in found if tally.inspections]

    return Figures(total.figures(), ordered(by) if by else [], by, int(rows["flagged"]),
                   {b: ordered(b) for b in also}, {m: (f, c) for m, f, c in rows.get("months", [])})


def gate_hits(rows: dict[str, Any], gate: str) -> int:
    """How many hazards of the selection fail the ``--fail-on`` gate."""
    from safetycheck.lifecycle.gate import fails_gate

    return sum(count * fails_gate(gate, level, "overdue" if overdue else status)
               for level, status, overdue, count in rows["standing"])
