"""``stats --format xlsx``: figures, groups, months, units and most-failed items, with native Excel charts."""

from __future__ import annotations

import io
from typing import Any

from safetycheck.messages import t
from safetycheck.stats.facts import Selection
from safetycheck.stats.figures import Figures
from safetycheck.stats.output import RATES, SCALARS, group_name, label, note, period


def _text(sheet: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """A cell: numbers as numbers, everything else as a string (never run as a formula)."""
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def _table(sheet: Any, top: int, headers: list[str], rows: list[list[Any]], bold: Any,
           formats: dict[int, Any] | None = None) -> int:
    """Write a header and rows from ``top``; the last row written."""
    for col, header in enumerate(headers):
        sheet.write_string(top, col, header, bold)
    for r, row in enumerate(rows, top + 1):
        for col, value in enumerate(row):
            _text(sheet, r, col, value, (formats or {}).get(col))
    return top + len(rows)


def _chart(book: Any, sheet: Any, name: str, kind: str, title: str, first: int, last: int,
           series: list[tuple[int, str]], at: str, percent: bool = False) -> None:
    """A native chart over rows ``first``..``last`` (categories in column A, one series per (column, name))."""
    if last < first:
        return
    chart = book.add_chart({"type": kind})
    for col, legend in series:
        chart.add_series({"name": legend, "categories": [name, first, 0, last, 0],
                          "values": [name, first, col, last, col], "data_labels": {"value": True}})
    chart.set_title({"name": title})
    chart.set_legend({"position": "bottom" if len(series) > 1 else "none"})
    axis = {"num_format": "0%"} if percent else {}
    if kind == "bar":
        chart.set_x_axis(axis)
        chart.set_y_axis({"reverse": True})
    else:
        chart.set_y_axis(axis)
    chart.set_size({"width": 640, "height": max(300, 22 * (last - first + 1) + 120) if kind == "bar" else 320})
    sheet.insert_chart(at, chart)


def workbook_bytes(figures: Figures, selection: Selection) -> bytes:
    """The workbook as bytes."""
    import xlsxwriter  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    import datetime as dt

    # Why the day figured for as the date: the same records and day give the same file.
    book.set_properties({"title": t("dash.title"), "created": dt.datetime.combine(selection.day, dt.time())})
    bold = book.add_format({"bold": True})
    percent = book.add_format({"num_format": "0.0%"})
    total = figures.total

    sheet = book.add_worksheet(t("xlsx.figures"))
    sheet.write_string(0, 0, period(selection))
    rows = [[label(k), total[k]] for k in SCALARS]
    last = _table(sheet, 2, [t("stats.figure"), t("stats.value")], rows, bold)
    for r, key in enumerate(SCALARS, 3):
        if key in RATES and total[key] is not None:
            sheet.write_number(r, 1, total[key], percent)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 12)

    if figures.by:
        name = t("xlsx.groups")
        sheet = book.add_worksheet(name)
        headers = [t(f"stats.by.{figures.by}"), *map(label, SCALARS)]
        body = [[group_name(figures.by, g), *[v[k] for k in SCALARS]] for g, v in figures.groups]
        last = _table(sheet, 0, headers, body, bold, {1 + SCALARS.index(k): percent for k in RATES})
        if note(figures):
            sheet.write_string(last + 2, 0, note(figures))
        sheet.set_column(0, 0, 24)
        _chart(book, sheet, name, "column", t("dash.by_group", by=t(f"stats.by.{figures.by}")), 1, last,
               [(1 + SCALARS.index("hazards"), label("hazards")), (1 + SCALARS.index("closed"), label("closed"))],
               f"B{last + 5}")

    name = t("xlsx.months")
    sheet = book.add_worksheet(name)
    last = _table(sheet, 0, [t("stats.by.month"), t("dash.found"), label("closed")],
                  [[m, f, c] for m, (f, c) in figures.months.items()], bold)
    _chart(book, sheet, name, "column", t("dash.monthly"), 1, last, [(1, t("dash.found")), (2, label("closed"))],
           "E2")

    name = t("xlsx.units")
    sheet = book.add_worksheet(name)
    units = figures.also.get("unit", [])
    last = _table(sheet, 0, [t("stats.by.unit"), label("hazards"), label("closed"), label("overdue"),
                             label("rectification_rate")],
                  [[u, v["hazards"], v["closed"], v["overdue"], v["rectification_rate"]] for u, v in units], bold,
                  {4: percent})
    sheet.set_column(0, 0, 28)
    _chart(book, sheet, name, "bar", t("dash.overdue"), 1, last, [(3, label("overdue"))], "G2")
    _chart(book, sheet, name, "bar", t("dash.rate"), 1, last, [(4, label("rectification_rate"))], "Q2", percent=True)

    name = t("xlsx.items")
    sheet = book.add_worksheet(name)
    top = total["top_items"]
    last = _table(sheet, 0, [t("ledger.item"), t("ledger.checklist"), t("stats.text"), t("stats.count")],
                  [[f"{i['checklist']}/{i['item']}", i["checklist"], i["text"], i["count"]] for i in top], bold)
    sheet.set_column(0, 0, 24)
    sheet.set_column(2, 2, 40)
    _chart(book, sheet, name, "bar", label("top_items"), 1, last, [(3, t("stats.count"))], "F2")
    book.close()
    return buffer.getvalue()
