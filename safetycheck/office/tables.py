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
    Column("hazard_id", "table.hazard_id"),
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
    Column("hazard_id", "table.hazard_id"),
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
    """The record's id once records carry one (format /2); empty before."""
    return str(getattr(record, "id", "") or "") or None


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

    today = today or dt.date.today()
    rows: list[list[Any]] = []
    overdue: list[bool] = []
    for path, record in records:
        view = build_view(record, "hazards", agency)
        common = {"record_id": _record_id(record), "file": path.name, "unit": view["unit"]["name"]}
        if name == "hazards":
            for h in view["hazards"]:
                deadline = dt.date.fromisoformat(h["deadline_iso"]) if h["deadline_iso"] else None
                late = h["status"] == "open" and deadline is not None and today > deadline
                values = {
                    **common,
                    "seq": len(rows) + 1,
                    "checklist": h["checklist"],
                    "item": h["item"],
                    "item_text": h["text"],
                    "level": h["level_short"],
                    "description": h["description"],
                    "basis": h["basis_text"],
                    "measure": h["measure"],
                    "owner": h["owner"],
                    "deadline": deadline,
                    "status": t("doc.status.overdue") if late else h["status_label"],
                    "overdue_days": (today - deadline).days if late and deadline else None,
                    "found_at": (record.finished_at or record.started_at).replace(tzinfo=None),
                }
                rows.append([values.get(c.key) for c in LEDGER])
                overdue.append(late)
        else:
            same = {(r.checklist, r.item) for r in record.responses if r.same_as}
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
