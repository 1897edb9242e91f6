"""Word (DOCX) documents built in code from the document data, styled by a ``reference.docx``.

Why in code and not Jinja2 inside Word XML: Word and WPS split ``{{ tags }}`` across runs on the
first save, and a binary template cannot be reviewed in a diff. The content comes from
``documents.views.build_view`` (the data the JSON output gives) and the fixed wording from the
message catalogue the HTML templates use; styles, page setup and letterhead come from the
``reference.docx`` found like the other templates (``--templates DIR`` first).

Each document is one function in :data:`BUILDERS` that calls the primitives of :class:`Writer`;
a new document is a new function there.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safetycheck.errors import SafetycheckError
from safetycheck.messages import t
from safetycheck.office.followdocx import FOLLOW_BUILDERS, person_text

if TYPE_CHECKING:
    from safetycheck.inspection.config import Agency, Supervision
    from safetycheck.inspection.recordmodels import InspectionRecord

REFERENCE = "reference.docx"
# Styles a reference.docx must define (its own look for each); checked before anything is written.
STYLES = ("SC Title", "SC Number", "SC Draft", "SC Heading", "SC Body", "SC Table", "SC Table Head", "SC Muted",
          "SC Sign", "SC Foot", "SC Footer")
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
TEXT_WIDTH_MM = 156.0  # A4 (210 mm) less the reference's 28 mm + 26 mm margins


class ReferenceError(SafetycheckError):
    """A reference.docx that cannot be used."""


def find_reference(templates: Sequence[Path] = ()) -> Path:
    """The ``reference.docx`` in force: the first in the user template folders, else the built-in one.

    Raises:
        TemplateError: a named template folder does not exist.
    """
    from safetycheck.documents.report import template_dirs
    from safetycheck.resources import builtin_templates

    for folder in [*template_dirs(templates), builtin_templates()]:
        if (folder / REFERENCE).is_file():
            return folder / REFERENCE
    return builtin_templates() / REFERENCE


def open_reference(path: Path) -> Any:
    """Open a reference.docx with its body emptied (the section: page setup, header, footer, kept).

    Raises:
        ReferenceError: not a DOCX, or a style of :data:`STYLES` missing (one line naming it).
    """
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile, KeyError or its own errors for a bad file
        raise ReferenceError(t("docx.bad_reference", path=path, error=exc)) from None
    names = {s.name for s in document.styles}
    for style in STYLES:
        if style not in names:
            raise ReferenceError(t("docx.missing_style", path=path, style=style))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def deterministic(data: bytes) -> bytes:
    """The same DOCX with every zip entry in the same order and with a fixed time.

    Why: python-docx stamps entries with the current time, so two saves of one document
    differ; fixed times make golden tests and user diffs possible.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def save(document: Any, title: str) -> bytes:
    """The document's bytes with fixed core properties and zip times."""
    props = document.core_properties
    props.author = "safetycheck"
    props.last_modified_by = ""
    props.title = title
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    props.last_printed = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic(buffer.getvalue())


class Writer:
    """The primitives the documents are made of, on top of python-docx."""

    def __init__(self, document: Any) -> None:
        """Write into ``document`` (from :func:`open_reference`)."""
        self.document = document

    # --- paragraphs ---

    def para(self, text: str = "", style: str = "SC Body", *, keep: bool = False, bold: bool = False) -> Any:
        """One paragraph in a style; ``keep`` keeps it on the page of the next."""
        paragraph = self.document.add_paragraph(style=style)
        if text:
            paragraph.add_run(text).bold = bold or None
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def heading(self, text: str) -> None:
        """A section heading, kept with what follows."""
        self.para(text, "SC Heading", keep=True)

    def header(self, view: dict[str, Any]) -> None:
        """The draft mark (incomplete records), the title and the document number line."""
        if not view["complete"]:
            self.para(f"{t('doc.incomplete')} — {t('doc.incomplete_note')}", "SC Draft")
        elif view["doc"].get("draft"):
            self.para(f"{t('doc.draft')} — {view['doc']['draft_note']}", "SC Draft")
        self.para(view["doc"]["title"], "SC Title", keep=True)
        if view["doc"]["number_line"]:
            self.para(view["doc"]["number_line"], "SC Number", keep=True)

    # --- tables ---

    def table(self, widths: Sequence[float], head: Sequence[str] | None, rows: Sequence[Sequence[Any]],
              *, spans: dict[tuple[int, int], int] | None = None) -> Any:
        """A table with full borders, columns ``widths`` (mm), a repeated header row.

        Cells are text, or a list of ``(text, style)`` lines. ``spans`` merges ``(row, col)``
        rightwards over that many columns (row numbers count the header).
        """
        from docx.shared import Mm

        scale = TEXT_WIDTH_MM / sum(widths)
        all_rows = ([list(head)] if head else []) + [list(r) for r in rows]
        table = self.document.add_table(rows=len(all_rows), cols=len(widths))
        table.autofit = False
        _borders(table)
        for c, width in enumerate(widths):
            table.columns[c].width = Mm(width * scale)  # the grid: LibreOffice and WPS lay out by it
        for row, cells in zip(table.rows, all_rows, strict=True):
            _row_flags(row, header=bool(head) and cells is all_rows[0])
            row_cells = row.cells  # python-docx rebuilds this list on every access
            for c, width in enumerate(widths):
                row_cells[c].width = Mm(width * scale)
            for c, value in enumerate(cells):
                if c >= len(widths):
                    break
                cell = row_cells[c]
                style = "SC Table Head" if head and cells is all_rows[0] else "SC Table"
                lines = value if isinstance(value, list) else [(str(value) if value is not None else "", style)]
                cell.paragraphs[0].style = self.document.styles[lines[0][1] if lines else style]
                for i, (text, line_style) in enumerate(lines):
                    paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph(style=line_style)
                    if i == 0:
                        paragraph.style = self.document.styles[line_style]
                    if text:
                        paragraph.add_run(text)
        for (r, c), span in (spans or {}).items():
            table.cell(r, c).merge(table.cell(r, c + span - 1))
        self.para("", "SC Muted")  # Word needs a paragraph between two tables
        return table

    def fields(self, rows: Sequence[tuple[str, str] | tuple[str, str, str, str]]) -> None:
        """The label/value table at the head of a document (two or four cells a row)."""
        cells = [list(r) if len(r) == 4 else [r[0], r[1], "", ""] for r in rows]
        spans = {(i, 1): 3 for i, r in enumerate(rows) if len(r) == 2}
        table = self.table((30, 50, 26, 50), None, cells, spans=spans)
        for i, r in enumerate(rows):
            labels = (0,) if len(r) == 2 else (0, 2)
            for c in labels:
                for run in table.cell(i, c).paragraphs[0].runs:
                    run.bold = True

    def people(self, persons: Sequence[dict[str, str]], with_cert: bool = True) -> None:
        """The inspectors: name, certificate number, organisation."""
        head = [t("doc.col.seq"), t("doc.name"), *([t("doc.cert")] if with_cert else []), t("doc.org")]
        widths = (11, 30, 40, 59) if with_cert else (11, 40, 89)
        rows = [[str(i), p["name"], *([p["cert"]] if with_cert else []), p["org"] or p["post"]]
                for i, p in enumerate(persons, 1)] or [["1", "", *([""] if with_cert else []), ""]]
        self.table(widths, head, rows)

    def counts(self, checklists: Sequence[dict[str, Any]]) -> None:
        """Counts per checklist and section."""
        head = [t("doc.col.section"), t("doc.result.pass"), t("doc.result.fail"), t("doc.result.na"),
                t("doc.result.unanswered"), t("doc.col.score")]
        rows: list[list[Any]] = []
        spans = {}
        for c in checklists:
            spans[(len(rows) + 1, 0)] = 6
            rows.append([[(c["title"] + t("doc.paren", text=f"{c['id']} v{c['version']}"), "SC Table Head")]])
            for s in c["sections"]:
                n = s["counts"]
                rows.append([s["title"], n["pass"], n["fail"], n["na"], n["unanswered"], n["score_text"]])
        self.table((70, 16, 16, 16, 16, 18), head, [r + [""] * (6 - len(r)) for r in rows], spans=spans)

    def items(self, items: Sequence[dict[str, Any]], title: str, finding: bool = True) -> None:
        """Items of one section with their basis (and the finding, for failed and N/A items)."""
        head = [t("doc.col.seq"), t("doc.col.item"), *([t("doc.col.finding")] if finding else [])]
        rows = []
        for n, i in enumerate(items, 1):
            lines = [(i["text"], "SC Table"), (t("doc.col.basis") + t("doc.colon") + i["basis_text"], "SC Muted")]
            if i["remark"]:
                lines.append((t("doc.note") + t("doc.colon") + i["remark"], "SC Muted"))
            row: list[Any] = [str(n), lines]
            if finding:
                h = i["hazard"]
                mark = (t("doc.mark", text=h["level_label"]) + t("doc.mark_gap")) if h and h["is_major"] else ""
                row.append(mark + h["description"] if h else (i["reason"] or i["result_label"]))
            rows.append(row)
        self.para(title, "SC Body", keep=True, bold=True)
        self.table((11, 89, 56) if finding else (11, 145), head, rows)

    def hazards(self, hazards: Sequence[dict[str, Any]], *, measure: bool = True, owner: bool = True,
                status: bool = False, basis: bool = False, measure_label: str | None = None,
                by_kind: bool = False) -> None:
        """The hazard table (序号, 检查项, 问题描述, 等级 or 类别, [依据], [整改措施], [责任人], 期限, [状态])."""
        columns: list[tuple[str, float, Callable[[dict[str, Any]], str]]] = [
            (t("doc.col.seq"), 11, lambda h: str(h["seq"])),
            (t("doc.col.item"), 34, lambda h: h["text"]),
            (t("doc.col.description"), 40, lambda h: h["description"]),
            (t("doc.col.kind"), 18, lambda h: h["kind_short"]) if by_kind else
            (t("doc.col.level"), 12, lambda h: h["level_short"]),
        ]
        if basis:
            columns.append((t("doc.col.basis"), 36, lambda h: h["basis_text"]))
        if measure:
            columns.append((measure_label or t("doc.col.measure"), 36, lambda h: h["measure"]))
        if owner:
            columns.append((t("doc.col.owner"), 16, lambda h: h["owner"]))
        columns.append((t("doc.col.deadline"), 33, lambda h: h["deadline"]))
        if status:
            columns.append((t("doc.col.status"), 16, lambda h: h["status_label"]))
        self.table([w for _, w, _ in columns], [name for name, _, _ in columns],
                   [[get(h) for _, _, get in columns] for h in hazards])

    def evidence(self, evidence: dict[str, Any]) -> None:
        """The attachment page 附件：现场照片: photos two a row with captions, then the other files and any problem."""
        if not evidence["any"]:
            return
        import base64

        from docx.enum.text import WD_BREAK
        from docx.shared import Mm

        self.document.add_paragraph(style="SC Muted").add_run().add_break(WD_BREAK.PAGE)
        self.heading(t("doc.evidence.title"))
        photos = evidence["photos"]
        if photos:
            table = self.document.add_table(rows=(len(photos) + 1) // 2, cols=2)
            table.autofit = False
            for n, photo in enumerate(photos):
                cell = table.rows[n // 2].cells[n % 2]
                cell.width = Mm(78)
                paragraph = cell.paragraphs[0]
                paragraph.style = self.document.styles["SC Table"]
                data = base64.b64decode(photo["data_uri"].split(",", 1)[1])
                wide = photo["width"] >= photo["height"]
                paragraph.add_run().add_picture(io.BytesIO(data), **({"width": Mm(74)} if wide else {"height": Mm(74)}))
                caption = " · ".join(x for x in (photo["hazard"], photo["name"], photo["taken"], photo["sha12"]) if x)
                cell.add_paragraph(caption, style="SC Muted")
            self.para("", "SC Muted")
        if evidence["files"]:
            self.para(t("doc.evidence.files"), "SC Body", keep=True, bold=True)
            self.table((18, 70, 18, 26, 24), [t("doc.col.seq"), t("doc.evidence.file"), t("doc.evidence.size"),
                                              t("doc.evidence.hash"), t("doc.evidence.state")],
                       [[f["hazard"], f["path"], f["size_text"], f["sha12"], f["state_label"]]
                        for f in evidence["files"]])

    def findings(self, hazards: Sequence[dict[str, Any]]) -> None:
        """The compact inspection record's findings: each failed item in full in one cell (item, finding, basis)."""
        rows = []
        for h in hazards:
            mark = (t("doc.mark", text=h["level_label"]) + t("doc.mark_gap")) if h["is_major"] else ""
            lines = [(h["text"], "SC Table"),
                     (t("doc.col.finding") + t("doc.colon") + mark + h["description"], "SC Table"),
                     (t("doc.col.basis") + t("doc.colon") + h["basis_text"], "SC Muted")]
            rows.append([str(h["seq"]), lines, h["level_short"], h["measure"], h["deadline"]])
        self.table((11, 84, 13, 48, 33), [t("doc.col.seq"), t("doc.col.item"), t("doc.col.level"),
                                          t("doc.col.measure"), t("doc.col.deadline")], rows)

    def notes(self, notes: Sequence[str], items: Sequence[dict[str, Any]]) -> None:
        """The record's notes and the items with a remark."""
        if not notes and not items:
            return
        self.heading(t("doc.col.note"))
        for note in notes:
            self.para(note)
        if items:
            self.table((11, 69, 20, 56), [t("doc.col.seq"), t("doc.col.item"), t("doc.col.result"), t("doc.col.note")],
                       [[str(n), i["text"], i["result_label"], i["remark"]] for n, i in enumerate(items, 1)])

    # --- signatures ---

    def signatures(self, lines: Sequence[tuple[str, str, bool]]) -> None:
        """The signature block: a line per signer (label, printed name, room to sign, date), kept together.

        Why a table without borders: the columns line up for every signer and a long label or
        certificate number wraps inside its cell instead of pushing the date to the next line.
        """
        from docx.shared import Mm

        rows = [[label + t("doc.colon"), shown, "", t("doc.sign.date_blank") if date else ""]
                for label, shown, date in lines]
        widths = (46, 40, 28, 42)
        table = self.document.add_table(rows=len(rows), cols=4)
        table.autofit = False
        for c, width in enumerate(widths):
            table.columns[c].width = Mm(width)
        for r, cells in enumerate(rows):
            row = table.rows[r]
            _row_flags(row, header=False)
            for c, value in enumerate(cells):
                cell = row.cells[c]
                cell.width = Mm(widths[c])
                paragraph = cell.paragraphs[0]
                paragraph.style = self.document.styles["SC Sign"]
                paragraph.paragraph_format.keep_with_next = r < len(rows) - 1
                for i, piece in enumerate(value.split("\n") if value else []):
                    run = paragraph.add_run(piece)
                    if i:
                        run._r.addprevious(_break())
            _bottom_border(row.cells[2])
        self.para("", "SC Muted", keep=True)

    @staticmethod
    def signer(label: str, name: str = "", date: bool = True) -> list[tuple[str, str, bool]]:
        """One signature line."""
        return [(label, name, date)]

    @staticmethod
    def signers(label: str, persons: Sequence[dict[str, str]], cert: bool) -> list[tuple[str, str, bool]]:
        """One signature line per person (name and certificate number printed), or one blank line."""
        if not persons:
            return [(label, "", True)]
        return [(label, p["name"] + ("\n" + p["cert"] if cert and p["cert"] else ""), True) for p in persons]

    def foot(self, name: str, date: str) -> None:
        """The agency (or unit) and the date, right-aligned, at the end."""
        self.para(name, "SC Foot", keep=True)
        self.para(date or t("doc.sign.date_blank"), "SC Foot")

    def annex(self, annex: Sequence[dict[str, Any]]) -> None:
        """The compact annex of the inspection record: items found compliant or not applicable, several a line."""
        if not any(c["passed"] or c["na"] for c in annex):
            return
        self.heading(t("doc.annex"))
        self.para(t("doc.annex_note"), "SC Muted")
        for c in annex:
            for key, label in (("passed", "doc.annex_pass"), ("na", "doc.annex_na")):
                if c[key]:
                    self.para(c["title"] + t("doc.gap") + t(label, count=len(c[key])), "SC Body", keep=True, bold=True)
                    self.para(t("sep.semi").join(i["line"] for i in c[key]), "SC Muted")

    def keep_last_with_signatures(self) -> None:
        """Keep the paragraph before the signatures with them, so they never stand alone on a page.

        After a table (its last paragraph is the empty one :meth:`table` adds), the table's last
        row is kept with it too, so the signatures follow the last finding.
        """
        from docx.oxml.ns import qn

        paragraphs = self.document.paragraphs
        if not paragraphs:
            return
        last = paragraphs[-1]
        last.paragraph_format.keep_with_next = True
        before = last._p.getprevious()
        if not last.text and before is not None and before.tag == qn("w:tbl"):
            table = self.document.tables[-1]  # the one just before: the body ends with it and the spacer
            for cell in table.rows[-1].cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True

    def footer(self) -> None:
        """``第 X 页 共 Y 页`` with PAGE and NUMPAGES fields, in the section's footer."""
        footer = self.document.sections[0].footer
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        paragraph.style = self.document.styles["SC Footer"]
        text = t("docx.page", page="{page}", pages="{pages}")
        before, rest = text.split("{page}")
        middle, after = rest.split("{pages}")
        for piece in (before, "PAGE", middle, "NUMPAGES", after):
            if piece in ("PAGE", "NUMPAGES"):
                _field(paragraph, piece)
            elif piece:
                paragraph.add_run(piece)


def _borders(table: Any) -> None:
    """Full single borders on every edge and inside line (independent of the reference's table styles)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def _break() -> Any:
    """A line break run (``<w:r><w:br/></w:r>``)."""
    from docx.oxml import OxmlElement

    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def _bottom_border(cell: Any) -> None:
    """A line to sign on: the cell's bottom border only."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    tc_pr.append(borders)


def _row_flags(row: Any, header: bool) -> None:
    """A row never split across pages; the header row repeated on each page."""
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _field(paragraph: Any, code: str) -> None:
    """A simple field (PAGE, NUMPAGES) as Word writes it: begin, instruction, separate, value, end."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    for part in ("begin", "instr", "separate", "value", "end"):
        run = paragraph.add_run()
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {code} "
            run._r.append(instr)
        elif part == "value":
            run.text = "1"
        else:
            run._r.append(char(part))


# --- the documents -------------------------------------------------------------------------


def _summary(view: dict[str, Any]) -> str:
    f = view["figures"]  # "pass" is a Python keyword, hence the mapping
    return t("doc.summary", **{key: f[key] for key in ("total", "pass", "fail", "na", "unanswered")})


def inspection_record(w: Writer, v: dict[str, Any]) -> None:
    """现场检查记录."""
    u = v["unit"]
    w.fields([(t("doc.unit"), u["name"]), (t("doc.address"), u["address"]),
              (t("doc.principal"), u["principal"], t("doc.phone"), u["phone"]),
              (t("doc.representative"), person_text(u["representative"])), (t("doc.site"), u["site"]),
              (t("doc.purpose"), u["purpose"]), (t("doc.when"), v["period"]),
              (t("doc.witness"), person_text(u["witness"]))])
    w.heading(t("doc.inspectors"))
    w.people(v["inspectors"])
    w.heading(t("doc.situation"))
    w.para(_summary(v))
    w.counts(v["checklists"])
    # Compact (default): the failed items are stated in full in the hazard table below, with their basis.
    kinds = ((("failed", "doc.failed_items", True), ("passed", "doc.passed_items", False), ("na", "doc.na_items", True))
             if v["full"] else ()) + (("unanswered", "doc.unanswered_items", False),)
    for c in v["checklists"]:
        if not any(s[key] for s in c["sections"] for key, _, _ in kinds):
            continue
        w.para(c["title"], "SC Heading", keep=True)
        for s in c["sections"]:
            for key, label, finding in kinds:
                if s[key]:
                    w.items(s[key], f"{s['title']} — {t(label)}", finding)
    w.heading(t("doc.problems"))
    if v["hazards"]:
        if v["full"]:
            w.hazards(v["hazards"], measure=True, owner=False)
        else:
            w.findings(v["hazards"])
        number = v["numbers"]["rectification-order"]
        w.para(t("doc.handling", count=v["figures"]["hazards"], major=v["figures"]["major"])
               + (t("doc.order_number", number=number) if number else ""))
    else:
        w.para(t("doc.no_problems"))
    w.notes(v["notes"], [] if v["full"] else v["remarked"])
    w.keep_last_with_signatures()
    w.signatures(w.signers(t("doc.sign.inspectors"), v["inspectors"], cert=True)
                 + w.signer(t("doc.sign.representative"), u["representative"]["name"])
                 + (w.signer(t("doc.sign.witness"), u["witness"]["name"]) if u["has_witness"] else [])
                 + w.signer(t("doc.sign.refusal"), date=False))
    w.foot(v["agency"]["name"] or t("doc.sign.agency_blank") + t("doc.sign.seal"), v["date"])
    if not v["full"]:
        w.annex(v["annex"])
    w.evidence(v["evidence"])


def rectification_order(w: Writer, v: dict[str, Any]) -> None:
    """责令限期整改指令书."""
    w.para(v["unit"]["name"] + t("doc.colon"))
    w.para(t("doc.ro.order", date=v["started"], count=v["figures"]["hazards"]))
    rows = []
    for h in v["hazards"]:
        mark = (t("doc.mark", text=h["level_label"]) + t("doc.mark_gap")) if h["is_major"] else ""
        lines = [(mark + (h["description"] or h["text"]), "SC Table")]
        if h["description"]:
            lines.append((t("doc.col.item") + t("doc.colon") + h["text"], "SC Muted"))
        rows.append([str(h["seq"]), lines, h["basis_text"], h["deadline"] or t("doc.deadline_blank")])
    w.table((11, 64, 48, 33), [t("doc.col.seq"), t("doc.col.description"), t("doc.col.basis"), t("doc.col.deadline")],
            rows)
    w.para(t("doc.ro.meanwhile"))
    if v["major_hazards"]:
        w.para(t("doc.ro.major"))
    w.para(t("doc.ro.remedies", review_body=v["agency"]["review_body"]))
    w.keep_last_with_signatures()
    u = v["unit"]
    w.signatures(w.signers(t("doc.sign.inspectors_cert"), v["inspectors"], cert=True)
                 + w.signer(t("doc.sign.representative"), u["representative"]["name"])
                 + (w.signer(t("doc.sign.witness"), u["witness"]["name"]) if u["has_witness"] else []))
    w.foot(v["agency"]["name"] or t("doc.sign.agency_blank") + t("doc.sign.seal"), v["date"])
    w.para(t("doc.ro.copies"), "SC Muted")
    w.evidence(v["evidence"])


def self_audit(w: Writer, v: dict[str, Any]) -> None:
    """企业自查报告."""
    u = v["unit"]
    auditors = t("sep.list").join(p["name"] + (t("doc.paren", text=p["post"]) if p["post"] else "")
                                  for p in v["inspectors"])
    w.fields([(t("doc.sa.unit"), u["name"]), (t("doc.address"), u["address"]),
              (t("doc.sa.principal"), u["principal"], t("doc.phone"), u["phone"]), (t("doc.sa.auditors"), auditors),
              (t("doc.sa.site"), u["site"]), (t("doc.sa.period"), v["period"]),
              (t("doc.sa.score"), v["figures"]["score_text"] + t("doc.gap") + _summary(v))])
    w.heading(t("doc.sa.results"))
    w.counts(v["checklists"])
    for c in v["checklists"]:
        for s in c["sections"]:
            if s["failed"]:
                w.items(s["failed"], f"{c['title']} · {s['title']} — {t('doc.failed_items')}")
    w.heading(t("doc.sa.hazards"))
    if v["hazards"]:
        f = v["figures"]
        w.para(t("doc.sa.hazard_summary", count=f["hazards"], general=f["general"], major=f["major"]))
        w.hazards(v["hazards"], measure=True, owner=True, status=True)
        for h in v["major_hazards"]:
            w.para(f"{t('doc.col.seq')} {h['seq']}{t('doc.gap')}{t('doc.sa.dual_report')}")
    else:
        w.para(t("doc.no_problems"))
    w.notes(v["notes"], [i for i in v["remarked"] if i["result"] != "fail"])
    w.keep_last_with_signatures()
    w.signatures(w.signers(t("doc.sign.auditors"), v["inspectors"], cert=False)
                 + w.signer(t("doc.sign.principal"), u["principal"]))
    w.foot(u["name"], v["date"])


def supervision(w: Writer, v: dict[str, Any]) -> None:
    """督导检查记录."""
    u = v["unit"]
    w.fields([(t("doc.sv.body"), u["name"]), (t("doc.address"), u["address"]),
              (t("doc.sv.principal"), u["principal"], t("doc.phone"), u["phone"]),
              (t("doc.sv.contact"), person_text(u["representative"])), (t("doc.sv.purpose"), u["purpose"]),
              (t("doc.sv.period"), v["period"])])
    w.heading(t("doc.sv.team"))
    w.people(v["inspectors"], with_cert=False)
    w.heading(t("doc.sv.results"))
    w.para(_summary(v))
    w.counts(v["checklists"])
    w.heading(t("doc.sv.problems"))
    if v["hazards"]:
        w.hazards(v["hazards"], measure=True, owner=True, measure_label=t("doc.col.requirement"))
    else:
        w.para(t("doc.no_problems"))
    w.notes(v["notes"], v["remarked"])
    w.keep_last_with_signatures()
    w.signatures(w.signers(t("doc.sign.supervisors"), v["inspectors"], cert=False)
                 + w.signer(t("doc.sign.supervised")))
    w.foot(v["agency"]["name"] or t("doc.sign.agency_blank") + t("doc.sign.seal"), v["date"])


def hazard_list(w: Writer, v: dict[str, Any]) -> None:
    """隐患整改清单."""
    f = v["figures"]
    w.fields([(t("doc.unit_any"), v["unit"]["name"]),
              (t("doc.when"), v["period"] + t("doc.paren", text=v["mode_label"])),
              (t("doc.hz.summary"), t("doc.sa.hazard_summary", count=f["hazards"], general=f["general"],
                                      major=f["major"]))])
    if v["hazards"]:
        w.hazards(v["hazards"], measure=True, owner=True, status=True)
    else:
        w.para(t("doc.no_problems"))
    w.keep_last_with_signatures()
    w.signatures(w.signer(t("doc.sign.compiler")))
    w.evidence(v["evidence"])


def blank_forms(w: Writer, v: dict[str, Any]) -> None:
    """Blank checklist forms (``form --format docx``): one per form in ``v["forms"]``, each on new pages."""
    from docx.enum.text import WD_BREAK

    box = "□"
    for n, f in enumerate(v["forms"]):
        if n:
            w.document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        w.para(f["title"], "SC Title", keep=True)
        w.para(t("form.count", count=f["count"]), "SC Number", keep=True)
        w.fields([(t("doc.unit"), ""), (t("doc.address"), ""), (t("doc.principal"), "", t("doc.phone"), ""),
                  (t("doc.site"), ""), (t("form.date"), v["date"] or t("form.date_blank")), (t("doc.inspectors"), "")])
        w.para(t("form.how_to"), "SC Muted")
        for c in f["checklists"]:
            w.para(c["title"] + t("form.id_version", id=c["id"], version=c["version"]), "SC Heading", keep=True)
            if c["provisional"]:
                w.para(t("form.provisional"), "SC Muted")
            rows: list[list[Any]] = []
            spans = {}
            for s in c["sections"]:
                spans[(len(rows) + 1, 0)] = 6
                rows.append([[(s["title"], "SC Table Head")], "", "", "", "", ""])
                for i in s["all_items"]:
                    text = i["text"] + ((" " + t("doc.mark", text=t("form.major"))) if i["major_possible"] else "")
                    basis = t("doc.col.basis") + t("doc.colon") + i["basis_text"]
                    if not i["verified"]:
                        basis += t("doc.paren", text=t("form.unverified"))
                    method = t("doc.col.method") + t("doc.colon") + i["method"] + (
                        t("sep.semi") + i["when"] if i["when"] else "") + t("doc.gap") + f"[{i['id']}]"
                    lines = [(text, "SC Table"), (t("doc.col.standard") + t("doc.colon") + i["standard"], "SC Muted"),
                             (basis, "SC Muted"), (method, "SC Muted")]
                    rows.append([str(i["seq"]), lines, box, box, box, ""])
            w.table((12, 79, 15, 15, 15, 20), [t("doc.col.seq"), t("doc.col.item"), t("doc.result.pass"),
                                                t("doc.result.fail"), t("doc.result.na"), t("doc.col.note")],
                    rows, spans=spans)
        w.keep_last_with_signatures()
        w.signatures(w.signer(t("form.sign.inspectors")) + w.signer(t("form.sign.unit")))


def form_docx(view: dict[str, Any], reference: Path) -> bytes:
    """A blank form view (``documents.forms.form_view``) as DOCX bytes."""
    writer = Writer(open_reference(reference))
    blank_forms(writer, view)
    writer.footer()
    return save(writer.document, view["title"])


BUILDERS: dict[str, Callable[[Writer, dict[str, Any]], None]] = {
    "inspection-record": inspection_record,
    "rectification-order": rectification_order,
    "self-audit": self_audit,
    "supervision": supervision,
    "hazards": hazard_list,
    **FOLLOW_BUILDERS,  # on-site measures, the reviews, the supervision feedback (office.followdocx)
}


def build_docx(view: dict[str, Any], reference: Path, content: Callable[[Writer, dict[str, Any]], None]) -> bytes:
    """A DOCX from document data: the reference's look, the header, ``content``, the page footer."""
    writer = Writer(open_reference(reference))
    writer.header(view)
    content(writer, view)
    writer.footer()
    return save(writer.document, view["doc"]["title"])


def render_docx(record: InspectionRecord, doc: str, agency: Agency | None = None,
                reference: Path | None = None, full: bool = False, base: Path | None = None,
                today: dt.date | None = None, review: str | None = None,
                supervision: Supervision | None = None) -> bytes:
    """One document of a record as DOCX bytes (the same data as ``--format json`` gives).

    ``review`` picks the review of a document of one review (default the latest);
    ``supervision`` is the supervising office that signs the 督导反馈意见.

    Raises:
        ReferenceError: the reference.docx is unusable.
    """
    from safetycheck.documents.views import build_view

    view = build_view(record, doc, agency, today, review, full=full, base=base, supervision=supervision)
    return build_docx(view, reference or find_reference(), BUILDERS[doc])
