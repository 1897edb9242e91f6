"""The sums behind ``stats --store``, aggregated in SQL over the query tables, handed on as plain rows.

Why SQL and plain rows: over 10,000 records the figures must come about as fast as a hand-written
aggregation, so the database does the counting; ``stats`` turns the rows into its figures (rates,
means, the median, the top items) with the same code as for record files. The store never imports
``stats``.

The records counted are the complete ones started in [``start``, ``day``], of the mode and unit
asked, each in its latest good revision; a record whose newest revision the store flags
(``conflict``/``tampered``) is left out and counted in ``flagged``. Hazards are taken as they
stood at the end of ``day`` (``hazard_days``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from safetycheck.store.dialect import Database

NONE = "—"  # the group of records without an inspector or an industry (as the figures name it)
GROUPINGS = ("unit", "checklist", "item", "level", "month", "inspector", "industry")


@dataclass
class Filters:
    """Which records: started in [``start``, ``day``], of ``mode``, with ``unit`` in the unit's name."""

    day: dt.date
    start: dt.date | None = None
    mode: str | None = None
    unit: str | None = None


def _selected(db: Database, f: Filters) -> tuple[str, list[Any]]:
    """The CTEs ``sel`` (records) and ``hz`` (their hazards as of the day), with their parameters."""
    day = f.day.isoformat()
    where, params = ["r.status = 'complete'", "r.started <= ?"], [day]
    if f.start:
        where.append("r.started >= ?")
        params.append(f.start.isoformat())
    if f.mode:
        where.append("r.mode = ?")
        params.append(f.mode)
    if f.unit:
        where.append("instr(r.unit, ?) > 0" if db.engine == "sqlite" else "strpos(r.unit, ?) > 0")
        params.append(f.unit)
    where.append("NOT EXISTS (SELECT 1 FROM revisions v WHERE v.record_id = r.record_id AND v.flag IS NOT NULL"
                 " AND v.id > r.revision_id)")
    level = "CASE WHEN h.level = 'major' THEN 'major' ELSE 'general' END"
    sql = (f"WITH sel AS (SELECT r.record_id, r.unit, r.started, r.asked FROM records r WHERE {' AND '.join(where)}),"
           f" hz AS (SELECT h.record_id, h.checklist, h.item, {level} AS level, h.found, h.corrected_on_site,"
           " h.measures, d.status, d.deadline, d.closed_on, d.funds, d.reviews_passed, d.reviews_failed,"
           " COALESCE(d.deadline, CASE WHEN h.corrected_on_site = 1 THEN h.found END) AS due_day"
           " FROM sel JOIN hazards h ON h.record_id = sel.record_id JOIN hazard_days d ON d.record_id = h.record_id"
           " AND d.hazard = h.hazard AND d.since <= ? AND ? < d.until) ")
    return sql, [*params, day, day]


def _membership(by: str | None) -> tuple[str, str, str, str]:
    """For a grouping: the record-level source, the hazards' group, the items' group and any join they need.

    Returns SQL pieces: ``m`` (record_id, grp, unit, asked) as a subquery; the group of a hazard row
    ``hz``; the group of an item row ``i``; a join to add to the hazard and item queries.
    """
    plain = "SELECT record_id, {grp} AS grp, unit, asked FROM sel"
    if by is None:
        return plain.format(grp="''"), "''", "''", ""
    if by == "unit":
        return plain.format(grp="unit"), "s.unit", "s.unit", "JOIN sel s ON s.record_id = {t}.record_id"
    if by == "month":
        return (plain.format(grp="substr(started, 1, 7)"), "substr(s.started, 1, 7)", "substr(s.started, 1, 7)",
                "JOIN sel s ON s.record_id = {t}.record_id")
    if by in ("inspector", "industry"):
        m = (f"SELECT sel.record_id, COALESCE(n.name, '{NONE}') AS grp, sel.unit, sel.asked FROM sel"
             f" LEFT JOIN record_names n ON n.record_id = sel.record_id AND n.kind = '{by}'")
        return m, "m.grp", "m.grp", f"JOIN ({m}) m ON m.record_id = {{t}}.record_id"
    if by == "checklist":
        m = ("SELECT i.record_id, i.checklist AS grp, sel.unit, COUNT(*) AS asked FROM sel"
             " JOIN record_items i ON i.record_id = sel.record_id GROUP BY i.record_id, i.checklist, sel.unit")
        return m, "hz.checklist", "i.checklist", ""
    if by == "item":
        key = "{t}.checklist || '/' || {t}.item"
        m = (f"SELECT i.record_id, {key.format(t='i')} AS grp, sel.unit, 1 AS asked FROM sel"
             " JOIN record_items i ON i.record_id = sel.record_id")
        return m, key.format(t="hz"), key.format(t="i"), ""
    if by == "level":
        m = ("SELECT sel.record_id, l.level AS grp, sel.unit, sel.asked FROM sel"
             " JOIN (SELECT DISTINCT record_id, level FROM hz) l ON l.record_id = sel.record_id")
        return m, "hz.level", "l.level", ("JOIN (SELECT DISTINCT record_id, checklist, item, level FROM hz) l"
                                          " ON l.record_id = i.record_id AND l.checklist = i.checklist"
                                          " AND l.item = i.item")
    raise ValueError(by)


def _days(db: Database) -> str:
    if db.engine == "sqlite":
        return "CAST(julianday(hz.closed_on) - julianday(hz.found) AS INTEGER)"
    return "(CAST(hz.closed_on AS DATE) - CAST(hz.found AS DATE))"


def _one(v: Any) -> int:
    return int(v or 0)


def figure_rows(db: Database, f: Filters, groupings: list[str | None], months: bool = True,
                standing: bool = True) -> dict[str, Any]:
    """The sums of each grouping (None: the total) as plain rows, the hazards per month and ``flagged``.

    Returns a dict: ``flagged`` (int); ``months`` [(YYYY-MM, found, closed)]; ``standing``
    [(level, status, overdue 0/1, count)] for the CI gate; and per grouping (``""`` for the total)
    ``records`` [(group, unit, inspections, asked)], ``hazards`` [(group, hazards, major,
    corrected_on_site, closed, overdue, due, on_time, measures, reviews_passed, reviews_failed,
    funds)], ``days`` [(group, days to close, count)] and ``items`` [(group, checklist, item, text,
    count)] of the items failed. ``months`` and ``standing`` only when asked for (the dashboard, the gate).
    """
    base, params = _selected(db, f)
    many = len(groupings) > 1 or months
    if many:  # several passes: the selection and its hazards are worked out once, into temporary tables
        for name, cte in (("stats_sel", "sel"), ("stats_hz", "hz")):
            db.execute(f"DROP TABLE IF EXISTS {name}")
            db.execute(f"CREATE TEMPORARY TABLE {name} AS {base}SELECT * FROM {cte}", params)
            db.execute(f"CREATE INDEX {name}_record ON {name} (record_id)")
        base, params = "WITH sel AS (SELECT * FROM stats_sel), hz AS (SELECT * FROM stats_hz) ", []
    try:
        return _figure_rows(db, f, groupings, months, standing, base, params)
    finally:
        if many:
            for name in ("stats_sel", "stats_hz"):
                db.execute(f"DROP TABLE IF EXISTS {name}")


def _figure_rows(db: Database, f: Filters, groupings: list[str | None], months: bool, standing: bool, base: str,
                 params: list[Any]) -> dict[str, Any]:
    day = f.day.isoformat()
    out: dict[str, Any] = {"flagged": flagged_count(db, f)}
    closed = "hz.status = 'closed' AND hz.closed_on IS NOT NULL"
    for by in groupings:
        m, hgrp, igrp, join = _membership(by)
        hjoin = join.format(t="hz") if by != "level" else ""
        ijoin = join.format(t="i")
        part: dict[str, Any] = {}
        part["records"] = [(str(g), str(u), _one(n), _one(a)) for g, u, n, a in db.all(
            f"{base}SELECT grp, unit, COUNT(*), SUM(asked) FROM ({m}) mm GROUP BY grp, unit", params)]
        span = f"CASE WHEN {closed} THEN {_days(db)} END"
        hby = f" GROUP BY {span}" if by is None else f" GROUP BY {hgrp}, {span}"
        iby = " GROUP BY i.checklist, i.item" if by is None else f" GROUP BY {igrp}, i.checklist, i.item"
        hazards, days = [], []
        for r in db.all(  # one row per group and days to close (NULL: not closed)
                f"{base}SELECT {hgrp}, {span}, COUNT(*), SUM(CASE WHEN hz.level = 'major' THEN 1 ELSE 0 END),"
                " SUM(CASE WHEN hz.corrected_on_site = 1 THEN 1 ELSE 0 END),"
                f" SUM(CASE WHEN {closed} THEN 1 ELSE 0 END),"
                " SUM(CASE WHEN hz.status = 'open' AND hz.deadline IS NOT NULL AND hz.deadline < ? THEN 1 ELSE 0 END),"
                " SUM(CASE WHEN hz.due_day <= ? THEN 1 ELSE 0 END),"
                f" SUM(CASE WHEN hz.due_day <= ? AND {closed} AND hz.closed_on <= hz.due_day THEN 1 ELSE 0 END),"
                " SUM(hz.measures), SUM(hz.reviews_passed), SUM(hz.reviews_failed), SUM(hz.funds)"
                f" FROM hz {hjoin}{hby}", [*params, day, day, day]):
            hazards.append((str(r[0]), *(_one(v) for v in r[2:12]), float(r[12] or 0.0)))
            if r[1] is not None:
                days.append((str(r[0]), int(r[1]), _one(r[5])))
        part["hazards"], part["days"] = hazards, days
        items_from = "FROM record_items i JOIN sel ON sel.record_id = i.record_id"
        part["items"] = [(str(g), str(c), str(i), str(x), int(n)) for g, c, i, x, n in db.all(
            f"{base}SELECT {igrp}, i.checklist, i.item, MIN(i.text), COUNT(*) {items_from} {ijoin}"
            f" WHERE i.failed = 1{iby}", params)]
        out["" if by is None else by] = part
    if months:
        out["months"] = _months(db, base, params, closed)
    if standing:
        out["standing"] = [(str(lv), str(st), int(od), int(n)) for lv, st, od, n in db.all(
            f"{base}SELECT level, status, CASE WHEN status = 'open' AND deadline IS NOT NULL AND deadline < ? THEN 1"
            " ELSE 0 END, COUNT(*) FROM hz GROUP BY level, status, 3", [*params, day])]
    return out


def _months(db: Database, base: str, params: list[Any], closed: str) -> list[tuple[str, int, int]]:
    """(YYYY-MM, hazards found, hazards closed) per month."""
    found = db.all(f"{base}SELECT substr(found, 1, 7), COUNT(*) FROM hz GROUP BY substr(found, 1, 7)", params)
    shut = db.all(f"{base}SELECT substr(closed_on, 1, 7), COUNT(*) FROM hz hz WHERE {closed}"
                  " GROUP BY substr(closed_on, 1, 7)", params)
    months: dict[str, list[int]] = {}
    for month, n in found:
        months.setdefault(str(month), [0, 0])[0] = int(n)
    for month, n in shut:
        months.setdefault(str(month), [0, 0])[1] = int(n)
    return [(k, v[0], v[1]) for k, v in sorted(months.items())]


def flagged_count(db: Database, f: Filters) -> int:
    """Records of the selection whose newest revision the store flags (read from that revision's text)."""
    from safetycheck.errors import SafetycheckError
    from safetycheck.inspection.records import parse_record

    count = 0
    for (raw,) in db.all("SELECT v.raw FROM revisions v WHERE v.flag IS NOT NULL AND v.id = (SELECT MAX(w.id)"
                         " FROM revisions w WHERE w.record_id = v.record_id)"):
        try:
            record = parse_record(str(raw).encode("utf-8"), "store")
        except SafetycheckError:
            count += 1  # unreadable: counted, never shown
            continue
        started = record.started_at.date()
        if record.status != "complete" or started > f.day or (f.start and started < f.start):
            continue
        if (f.mode and record.mode != f.mode) or (f.unit and f.unit not in record.unit.name):
            continue
        count += 1
    return count


HAZARD_KEYS = ("unit", "file", "started", "hazard", "checklist", "item", "level", "description", "found",
               "deadline", "status", "closed_on", "corrected_on_site", "funds", "measures", "reviews_passed",
               "reviews_failed", "has_plan", "reported", "listed")


def hazard_rows(db: Database, f: Filters, major_only: bool = False, overdue_only: bool = False) -> list[dict[str, Any]]:
    """Hazards of the selection as they stood at the end of the day (``HAZARD_KEYS``), for the monthly report."""
    base, params = _selected(db, f)
    where, more = ["1 = 1"], []
    if major_only:
        where.append("h.level = 'major'")
    if overdue_only:
        where.append("d.status = 'open' AND d.deadline IS NOT NULL AND d.deadline < ?")
        more.append(f.day.isoformat())
    rows = db.all(
        f"{base}SELECT sel.unit, r.file, sel.started, h.hazard, h.checklist, h.item, h.level, h.description, h.found,"
        " d.deadline, d.status, d.closed_on, h.corrected_on_site, d.funds, h.measures, d.reviews_passed,"
        " d.reviews_failed, d.has_plan, d.reported, d.listed FROM sel JOIN records r ON r.record_id = sel.record_id"
        " JOIN hazards h ON h.record_id = sel.record_id JOIN hazard_days d ON d.record_id = h.record_id"
        f" AND d.hazard = h.hazard AND d.since <= ? AND ? < d.until WHERE {' AND '.join(where)}"
        " ORDER BY sel.started, r.file, h.hazard", [*params, f.day.isoformat(), f.day.isoformat(), *more])
    return [dict(zip(HAZARD_KEYS, row, strict=True)) for row in rows]


def from_configured_store(f: Filters, groupings: list[str | None] | None = None, hazards: dict[str, bool] | None = None,
                          months: bool = True, standing: bool = True) -> Any:
    """Open the store in force, then :func:`figure_rows` (or :func:`hazard_rows` with ``hazards``), then close it.

    Raises:
        StoreError: the store is behind the program (naming ``store upgrade``), a bad URL; UnreachableError.
    """
    from safetycheck.inspection.config import load_config
    from safetycheck.store.core import open_store

    db = open_store(load_config().store.url)
    try:
        if hazards is not None:
            return hazard_rows(db, f, **hazards)
        return figure_rows(db, f, groupings or [None], months, standing)
    finally:
        db.close()
