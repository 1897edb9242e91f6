"""The figures as a table, JSON and CSV (the other formats live in their own modules)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from safetycheck.messages import t
from safetycheck.stats.facts import Selection
from safetycheck.stats.figures import KEYS, OVERLAPPING, Figures

SCHEMA = "safetycheck.stats/1"
SCALARS = tuple(k for k in KEYS if k != "top_items")
RATES = ("rectification_rate", "on_time_rate")
# The columns of the grouped terminal table (the JSON, CSV and XLSX outputs carry every figure).
GROUP_COLUMNS = ("inspections", "units", "hazards", "major", "closed", "not_closed", "overdue", "rectification_rate",
                 "on_time_rate")


def label(key: str) -> str:
    """A figure's name in the interface language."""
    return t(f"stats.{key}")


def value_text(key: str, value: Any) -> str:
    """A figure as a person reads it: rates in per cent, absent values as —."""
    if value is None:
        return "—"
    if key in RATES:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:,.2f}" if key == "funds" else f"{value:g}"
    return str(value)


def group_name(by: str | None, name: str) -> str:
    """A group's name as shown (levels in words)."""
    if by == "level":
        return t(f"doc.level.{name}.short")
    return name


def note(figures: Figures) -> str:
    """The sentence saying that groups overlap, or ``""``."""
    if figures.by not in OVERLAPPING:
        return ""
    key = "stats.overlap_part" if figures.by in ("checklist", "item") else "stats.overlap"
    return t(key, by=t(f"stats.by.{figures.by}"))


def period(selection: Selection) -> str:
    """统计范围：… as one line."""
    start = selection.start.isoformat() if selection.start else t("stats.beginning")
    return t("stats.period", start=start, end=selection.day.isoformat())


def as_json(figures: Figures, selection: Selection) -> dict[str, Any]:
    """The JSON document (schema ``safetycheck.stats/1``)."""
    return {
        "schema": SCHEMA,
        "from": selection.start.isoformat() if selection.start else None,
        "to": selection.day.isoformat(),
        "mode": selection.mode,
        "unit": selection.unit,
        "by": figures.by,
        "note": note(figures) or None,
        "flagged": figures.flagged,
        "total": figures.total,
        "groups": [{"group": name, **values} for name, values in figures.groups],
    }


def json_text(figures: Figures, selection: Selection) -> str:
    """:func:`as_json` as text."""
    return json.dumps(as_json(figures, selection), ensure_ascii=False, indent=2) + "\n"


def defuse(value: Any) -> Any:
    """A CSV or spreadsheet cell: numbers stay numbers; text a spreadsheet would run as a formula gets ``'``."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def top_text(items: list[dict[str, Any]]) -> str:
    """The most-failed items in one cell: ``checklist/item ×count`` joined."""
    return t("sep.semi").join(f"{i['checklist']}/{i['item']} ×{i['count']}" for i in items)


def rows(figures: Figures) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: one row per group, then the total (every figure; rates as fractions)."""
    header = [t(f"stats.by.{figures.by}") if figures.by else t("stats.group"), *map(label, KEYS)]
    body = [[group_name(figures.by, name), *[values[k] for k in SCALARS], top_text(values["top_items"])]
            for name, values in figures.groups]
    body.append([t("stats.total"), *[figures.total[k] for k in SCALARS], top_text(figures.total["top_items"])])
    return header, body


def csv_bytes(figures: Figures) -> bytes:
    """CSV for a spreadsheet: UTF-8 with a BOM, CRLF line ends, formula cells defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header, body = rows(figures)
    writer.writerow([defuse(h) for h in header])
    for row in body:
        writer.writerow([defuse(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_text(figures: Figures, selection: Selection, width: int) -> str:
    """The terminal table: the figures of the total, the groups, the most-failed items."""
    from safetycheck.layout import table

    out = [period(selection)]
    total = figures.total
    out.append(table([t("stats.figure"), t("stats.value")],
                     [[label(k), value_text(k, total[k])] for k in SCALARS], width))
    if figures.by:
        headers = [t(f"stats.by.{figures.by}"), *map(label, GROUP_COLUMNS)]
        cells = [[group_name(figures.by, name), *[value_text(k, v[k]) for k in GROUP_COLUMNS]]
                 for name, v in figures.groups]
        out.append("")
        out.append(table(headers, cells, width, shrink=(0,)))
        if note(figures):
            out.append(note(figures))
    if total["top_items"]:
        out.append("")
        out.append(label("top_items"))
        out.append(table([t("ledger.checklist"), t("ledger.item"), t("stats.text"), t("stats.count")],
                         [[i["checklist"], i["item"], _short(i["text"]), str(i["count"])] for i in total["top_items"]],
                         width, shrink=(2,)))
    if figures.flagged:
        out.append(t("stats.flagged", count=figures.flagged))
    return "\n".join(out) + "\n"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
