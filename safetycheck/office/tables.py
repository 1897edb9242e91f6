"""The two tables of the office formats: the hazard ledger (隐患台账) and the results, as rows of plain values.

Why here and not in a writer: CSV and XLSX (and later ``hazards list`` and the store) show the
same columns in the same order; the rows are built once from the document data
(``documents.views.build_view``), and each writer only formats them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from safetycheck.messages import t

if TYPE_CHECKING:
    from safetycheck.inspection.config import Agency
    from safetycheck.inspection.recordmodels import InspectionRecord

Kind = Literal["text", "long", "int", "money", "date", "datetime"]


@dataclass(frozen=True)
class Column:
    """One column: its JSON key, header message and kind (how a writer formats it)."""

    key: str
    header: str  # message id
    kind: Kind = "text"


# The ledger columns of the lifecycle issue, in its order; keys are the JSON keys of `hazards list`.
LEDGER: tuple[Column, ...] = (
    Column("seq", "doc.col.seq", "int"),
    Column("record_id", "table.record_id"),
    Column("file", "table.file"),
    Column("unit", "table.unit"),
    Column("hazard", "table.hazard_id"),
    Column("checklist", "table.checklist"),
    Column("item", "table.item"),
    Column("item_text", "doc.col.item", "long"),
    Column("level", "doc.col.level"),
    Column("description", "table.description", "long"),
    Column("basis", "doc.col.basis", "long"),
    Column("measure", "doc.col.measure", "long"),
    Column("owner", "doc.col.owner"),
    Column("funds", "table.funds", "money"),
    Column("deadline", "table.deadline", "date"),
    Column("status", "doc.col.status"),
    Column("overdue_days", "table.overdue_days", "int"),
    Column("found_at", "table.found_at", "datetime"),
    Column("rectified_at", "table.rectified_at", "date"),
    Column("reviewed_at", "table.reviewed_at", "date"),
    Column("reviewed_by", "table.reviewed_by"),
    Column("closed_at", "table.closed_at", "date"),
    Column("last_event", "table.last_event"),
)

RESULTS: tuple[Column, ...] = (
    Column("record_id", "table.record_id"),
    Column("date", "table.date", "date"),
    Column("unit", "table.unit"),
    Column("mode", "table.mode"),
    Column("checklist", "table.checklist"),
    Column("section", "table.section"),
    Column("item", "table.item"),
    Column("item_text", "doc.col.item", "long"),
    Column("result", "doc.col.result"),
    Column("hazard", "table.hazard_id"),
    Column("level", "doc.col.level"),
    Column("deadline", "table.deadline", "date"),
    Column("status", "doc.col.status"),
    Column("note", "doc.col.note", "long"),
)

TABLES = {"hazards": LEDGER, "results": RESULTS}


@dataclass
class Table:
    """A titled table: its columns and rows (values are str, int, float, date, datetime or None)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[list[Any]]
    overdue: list[bool]  # per row: open and past its deadline (highlighted in XLSX)

    def headers(self) -> list[str]:
        """The column headers in the interface language."""
        return [t(c.header) for c in self.columns]


def _record_id(record: InspectionRecord) -> str | None:
    """The record's id (a /1 record gets its deterministic one when migrated)."""
    return str(getattr(record, "id", "") or "") or None


def _date(value: str | None) -> dt.date | str | None:
    """An ISO date from the ledger as a date (XLSX writes real dates); other text as it is."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return value


def ledger_cells(row: dict[str, Any], seq: int) -> list[Any]:
    """One row of the ledger (``lifecycle.ledger.ledger_row``) as the cells of :data:`LEDGER`.

    A 问题 of a supervised body has no level: its level cell says 问题, as the documents do.
    """
    found = dt.datetime.fromisoformat(row["found_at"]).replace(tzinfo=None) if row["found_at"] else None
    values = {
        **row,
        "seq": seq,
        "level": t(f"doc.level.{row['level']}.short") if row["level"] else t("doc.kind.problem"),
        "status": row["status_text"],
        "overdue_days": row["overdue_days"] or None,  # shown only for an overdue hazard
        "deadline": _date(row["deadline"]),
        "found_at": found,
        "rectified_at": _date(row["rectified_at"]),
        "reviewed_at": _date(row["reviewed_at"]),
        "closed_at": _date(row["closed_at"]),
    }
    return [values.get(c.key) for c in LEDGER]


def ledger_table(rows: Sequence[dict[str, Any]]) -> Table:
    """The rows ``hazards list`` selected (filtered and in its order) as the 隐患台账 table."""
    return Table("hazards", t("table.hazards.title"), LEDGER, [ledger_cells(r, n) for n, r in enumerate(rows, 1)],
                 [r["status"] == "overdue" for r in rows])


def build_table(name: str, records: Sequence[tuple[Path, InspectionRecord]], agency: Agency | None = None,
                today: dt.date | None = None) -> Table:
    """The ledger (``hazards``) or the results (``results``) of several records as one table.

    Args:
        name: ``hazards`` or ``results``.
        records: each record with the file it was read from, in the order given.
        agency: the agency settings, if any.
        today: the day overdue days are counted to (default: today).

    Returns:
        The table; values the records cannot give yet (ids, review and closing dates) are None.
    """
    from safetycheck.documents.views import build_view
    from safetycheck.lifecycle.hazards import hazard_states
    from safetycheck.lifecycle.ledger import ledger_row
    from safetycheck.lifecycle.seal import migrate

    today = today or dt.date.today()
    rows: list[list[Any]] = []
    overdue: list[bool] = []
    for path, record in records:
        record = migrate(record)
        view = build_view(record, "hazards", agency, today)
        common = {"record_id": _record_id(record), "file": path.name, "unit": view["unit"]["name"]}
        if name == "hazards":  # the rows of `hazards list` (lifecycle.ledger), formatted for a table
            for state in hazard_states(record):
                row = ledger_row(record, state, path.name, today)
                rows.append(ledger_cells(row, len(rows) + 1))
                overdue.append(row["status"] == "overdue")
        else:
            same = {(r.checklist, r.item) for r in record.responses if r.same_as}
            hazard_ids = {(st.response.checklist, st.response.item): st.id for st in hazard_states(record)}
            day = (record.finished_at or record.started_at).date()
            for item in view["items"]:
                if (item["checklist"], item["id"]) in same:
                    continue  # recorded for two checklists, asked once: one row
                h = item["hazard"]
                deadline = dt.date.fromisoformat(h["deadline_iso"]) if h and h["deadline_iso"] else None
                values = {
                    **common,
                    "date": day,
                    "mode": view["mode_label"],
                    "checklist": item["checklist_title"],
                    "section": item["section_title"],
                    "item": item["id"],
                    "item_text": item["text"],
                    "result": item["result_label"],
                    "hazard": hazard_ids.get((item["checklist"], item["id"])),
                    "level": h["level_short"] if h else None,
                    "deadline": deadline,
                    "status": h["status_label"] if h else None,
                    "note": item["reason"] or item["note"] or None,
                }
                rows.append([values.get(c.key) for c in RESULTS])
                overdue.append(bool(h and h["status"] == "open" and deadline and today > deadline))
    return Table(name, t(f"table.{name}.title"), TABLES[name], rows, overdue)


def cell_text(value: Any, kind: Kind) -> str:
    """A value as CSV text: dates ISO 8601 (Excel reads them as dates), None empty."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind == "money" and isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
