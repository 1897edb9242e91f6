"""XLSX tables with XlsxWriter: a frozen header row, an autofilter, widths that fit Chinese text, real dates.

Why XlsxWriter: it writes the file in one pass without reading a template, its output is
reproducible once the creation time is fixed, and it is the smallest of the maintained writers.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from safetycheck.office.tables import Table
from safetycheck.text import display_width

# A fixed creation time: the same record gives the same bytes (XlsxWriter also fixes zip times then).
FIXED_TIME = dt.datetime(2000, 1, 1)
LONG_WIDTH = 40  # characters; wider text wraps inside the cell
FORMATS = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "money": "#,##0.00", "int": "0"}


def _width(values: list[Any], header: str, long: bool) -> float:
    """A column width in Excel characters: CJK characters count two, like the display."""
    widest = max([display_width(header)] + [display_width(str(v)) for v in values if v is not None])
    return float(min(max(widest + 2, 6), LONG_WIDTH if long else 24))


def table_xlsx(table: Table) -> bytes:
    """The table as XLSX bytes: one sheet titled like the table, the header row frozen and filtered.

    Dates are Excel dates; the deadline of an overdue row is highlighted. Text is never read as a
    formula or a link (``strings_to_formulas`` and ``strings_to_urls`` off).
    """
    import xlsxwriter  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    book.set_properties({"title": table.title, "created": FIXED_TIME, "author": "safetycheck"})
    sheet = book.add_worksheet(table.title[:31])
    base = {"font_name": "SimSun", "font_size": 10, "valign": "top", "border": 1}
    head = book.add_format({**base, "bold": True, "bg_color": "#D9D9D9", "text_wrap": True, "align": "center"})
    plain = book.add_format(base)
    wrapped = book.add_format({**base, "text_wrap": True})
    kinds = {kind: book.add_format({**base, "num_format": fmt}) for kind, fmt in FORMATS.items()}
    late = book.add_format({**base, "num_format": FORMATS["date"], "bg_color": "#FFC7CE", "font_color": "#9C0006"})
    headers = table.headers()
    for col, (column, header) in enumerate(zip(table.columns, headers, strict=True)):
        values = [row[col] for row in table.rows]
        if column.kind in ("date", "datetime"):
            values = ["2026-12-19 09:30" if column.kind == "datetime" else "2026-12-19"] if values else []
        sheet.set_column(col, col, _width(values, header, column.kind == "long"))
        sheet.write_string(0, col, header, head)
    for r, (row, overdue) in enumerate(zip(table.rows, table.overdue, strict=True), start=1):
        for col, (value, column) in enumerate(zip(row, table.columns, strict=True)):
            if value is None:
                sheet.write_blank(r, col, None, plain)
            elif column.kind in ("date", "datetime"):
                cell = late if overdue and column.key == "deadline" else kinds[column.kind]
                sheet.write_datetime(r, col, value if isinstance(value, dt.datetime)
                                     else dt.datetime.combine(value, dt.time()), cell)
            elif column.kind in ("int", "money"):
                sheet.write_number(r, col, value, kinds[column.kind])
            else:
                sheet.write_string(r, col, str(value), wrapped if column.kind == "long" else plain)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)
    book.close()
    return buffer.getvalue()
