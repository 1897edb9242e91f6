"""CSV tables: UTF-8 with a BOM (Excel opens it as UTF-8), CRLF line ends, formula cells defused."""

from __future__ import annotations

import csv
import io

from safetycheck.office.tables import Table, cell_text

# OWASP "CSV injection": a cell a spreadsheet would read as a formula starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """Text a spreadsheet shows as typed: a leading ``'`` before a would-be formula (OWASP rule)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_csv(table: Table) -> bytes:
    """The table as CSV bytes: a header row, then one row per entry.

    Why the BOM: Excel opens a CSV without one in the system code page (GBK on Chinese
    Windows) and shows the Chinese as mojibake.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([defuse(h) for h in table.headers()])
    for row in table.rows:
        cells = []
        for value, column in zip(row, table.columns, strict=True):
            text = cell_text(value, column.kind)
            cells.append(defuse(text) if isinstance(value, str) else text)
        writer.writerow(cells)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
