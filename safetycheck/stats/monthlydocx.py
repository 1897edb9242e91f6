"""The monthly report as DOCX (python-docx, imported only here): the tables always, a chart where a CJK font is."""

from __future__ import annotations

import io
from typing import Any

from safetycheck.messages import t

FONT = "SimSun"  # what Word in China shows a 月报 in; the reader's Word substitutes where it lacks it


def _table(document: Any, headers: list[str], rows: list[list[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def _none_or_table(document: Any, headers: list[str], rows: list[list[Any]], none: str) -> None:
    if rows:
        _table(document, headers, rows)
    else:
        document.add_paragraph(none)


def _font(document: Any) -> None:
    from docx.oxml.ns import qn

    style = document.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def monthly_docx(data: dict[str, Any]) -> bytes:
    """The report of :func:`safetycheck.stats.monthly.monthly_data` as DOCX bytes."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = docx.Document()
    _font(document)
    document.core_properties.title = f"{data['title']} {data['month']}"
    labels, headers = data["labels"], data["headers"]
    title = document.add_heading(data["title"], level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = document.add_paragraph(f"{data['month']}　{data['kind']}")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(labels["who"] + data["who"])
    document.add_paragraph(data["period"])

    document.add_heading(labels["figures"], level=1)
    _table(document, [headers["figure"], headers["value"]], [list(r) for r in data["figures"]])
    document.add_heading(labels["change"], level=1)
    _table(document, [headers["figure"], labels["this_month"], labels["last_month"], labels["delta"]],
           [list(r) for r in data["change"]])
    document.add_heading(labels["by_unit"], level=1)
    _none_or_table(document, [headers["unit"], headers["inspections"], headers["hazards"], headers["major"],
                              headers["closed"], headers["overdue"], headers["rectification_rate"]],
                   [list(r) for r in data["units"]], labels["none"])
    for picture in data.get("charts", []):
        document.add_picture(io.BytesIO(picture), width=Cm(16))
    document.add_heading(labels["top_items"], level=1)
    _none_or_table(document, [headers["checklist"], headers["item"], headers["text"], headers["count"]],
                   [[i["checklist"], i["item"], i["text"], i["count"]] for i in data["top_items"]], labels["none"])
    document.add_heading(labels["majors"], level=1)
    _none_or_table(document, [headers["unit"], labels["hazard"], labels["description"], labels["status"],
                              labels["deadline"], labels["plan"], labels["funds"], labels["reported"],
                              labels["listed"]],
                   [[h["unit"], f"{h['hazard']} {h['item']}", h["description"], h["status"], h["deadline"], h["plan"],
                     h["funds"], h["reported"], h["listed"]] for h in data["majors"]], labels["none"])
    document.add_heading(labels["overdue"], level=1)
    _none_or_table(document, [headers["unit"], labels["hazard"], headers["level"], labels["description"],
                              labels["found"], labels["deadline"], labels["days"]],
                   [[h["unit"], f"{h['hazard']} {h['item']}", h["level"], h["description"], h["found"], h["deadline"],
                     h["days"]] for h in data["overdue"]], labels["none"])
    for key in ("who_seal", "principal", "filled_by", "date"):
        document.add_paragraph(labels[key])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def unit_chart_png(data: dict[str, Any]) -> bytes | None:
    """Hazards and closed by unit as a PNG, or None without matplotlib or a CJK font to draw the names with."""
    from safetycheck.stats.charts import cjk_font, png_bars

    if not data["units"] or cjk_font() is None:
        return None
    labels = [str(row[0]) for row in data["units"]]
    return png_bars(labels, [(data["headers"]["hazards"], [float(row[2]) for row in data["units"]], "#c0392b"),
                             (data["headers"]["closed"], [float(row[4]) for row in data["units"]], "#2e7d32")],
                    t("dash.by_group", by=data["headers"]["unit"]))
