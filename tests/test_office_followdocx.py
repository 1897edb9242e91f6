"""Word documents that follow an inspection: on-site measures, review opinion, acceptance, supervision review, feedback.

Each is compared with a whole-file golden copy and with a text dump of its body (the dump is the
part to read in a diff), and read back with python-docx against the document data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
from conftest import DATA, GOLDEN, run_cli

from safetycheck.inspection.config import Agency, Supervision

RECORDS = DATA / "records"
AGENCY = Agency(name="长治市潞城区应急管理局", short_name="潞应急", review_body="长治市潞城区人民政府")
SUPERVISION = Supervision(name="垣曲县安全生产委员会办公室", short_name="垣安委办", code="安委办督")
CASES = [("review-inspect", "onsite-measures"), ("review-inspect", "review-opinion"), ("review-self", "acceptance"),
         ("review-supervise", "supervision-review"), ("review-supervise", "supervision-feedback")]
TEXT_WIDTH_EMU = int(156 * 36000)  # A4 less the reference's margins


def load(name: str, folder: Path = RECORDS):
    from safetycheck.inspection.records import read_record

    return read_record(folder / f"{name}.toml")


def render(record, doc: str, lang: str = "zh", base: Path | None = None, review: str | None = None) -> bytes:
    from safetycheck.messages import set_lang
    from safetycheck.office.docx import render_docx

    set_lang(lang)
    try:
        return render_docx(record, doc, AGENCY, base=base, review=review, supervision=SUPERVISION)
    finally:
        set_lang("zh")


def open_docx(data: bytes):
    import docx

    return docx.Document(io.BytesIO(data))


def blocks(document) -> list:
    """The body in order: paragraphs and tables as python-docx objects."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out = []
    for element in document.element.body:
        if element.tag.endswith("}p"):
            out.append(Paragraph(element, document))
        elif element.tag.endswith("}tbl"):
            out.append(Table(element, document))
    return out


def is_bordered(table) -> bool:
    from docx.oxml.ns import qn

    return table._tbl.tblPr.find(qn("w:tblBorders")) is not None


def dump(data: bytes) -> str:
    """The body as text: each paragraph with its style, each table row with its cells (merged cells once)."""
    from docx.table import Table

    lines = []
    for block in blocks(open_docx(data)):
        if isinstance(block, Table):
            kind = "table" if is_bordered(block) else "signatures"
            lines.append(f"[{kind}]")
            for row in block.rows:
                cells = []
                for cell in row.cells:
                    if not cells or cell._tc is not cells[-1][0]:
                        cells.append((cell._tc, cell.text.replace("\n", " / ")))
                lines.append("| " + " | ".join(text for _, text in cells) + " |")
        elif block.text or block._p.xpath(".//w:drawing"):
            picture = " [picture]" if block._p.xpath(".//w:drawing") else ""
            lines.append(f"{block.style.name}: {block.text}{picture}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("name", "doc"), CASES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_follow_docx_is_byte_identical_and_matches_its_golden_files(name, doc, lang, update_golden):
    record = load(name)
    data = render(record, doc, lang)
    assert render(record, doc, lang) == data
    folder = GOLDEN / "office" / ("en" if lang == "en" else "")
    path, text = folder / f"{name}.{doc}.docx", folder / f"{name}.{doc}.docx.txt"
    if update_golden:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        text.write_text(dump(data), encoding="utf-8")
        return
    assert text.read_text(encoding="utf-8") == dump(data), f"{text.name} differs (pytest --update-golden)"
    assert path.read_bytes() == data, f"{path.name} differs from its golden file (pytest --update-golden)"


@pytest.mark.parametrize(("name", "doc"), CASES)
def test_follow_docx_tables_have_full_borders_fit_the_page_and_keep_the_signatures_with_the_end(name, doc):
    from docx.oxml.ns import qn

    document = open_docx(render(load(name), doc))
    body = blocks(document)
    tables = [b for b in body if hasattr(b, "rows")]
    grid = [tb for tb in tables if is_bordered(tb)]
    assert grid, "no bordered table"
    for table in grid:
        edges = {c.tag.split("}")[1]: c.get(qn("w:val")) for c in table._tbl.tblPr.find(qn("w:tblBorders"))}
        assert edges == dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), "single")
        widths = [int(col.get(qn("w:w"))) * 635 for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(widths) <= TEXT_WIDTH_EMU + 36000, "a column runs off the page"  # twips -> EMU, 1 mm slack
    # The paragraph before the signatures (or the foot) is kept with them: never alone on a page.
    last = next(i for i, b in enumerate(body) if (hasattr(b, "rows") and not is_bordered(b))
                or (not hasattr(b, "rows") and b.style.name == "SC Foot"))
    assert body[last - 1].paragraph_format.keep_with_next


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _signature_rows(document) -> list[list[str]]:
    return _rows(next(b for b in blocks(document) if hasattr(b, "rows") and not is_bordered(b)))


def test_review_opinion_docx_states_the_review_of_the_json():
    from safetycheck.documents.views import document_json

    record = load("review-inspect")
    data = json.loads(document_json(record, "review-opinion", AGENCY))
    document = open_docx(render(record, "review-opinion"))
    table = next(tb for tb in document.tables if is_bordered(tb))
    rows = _rows(table)
    assert rows[0] == ["序号", "问题描述", "结论", "情况描述", "后续处理"]
    assert [r[3] for r in rows[1:]] == [r["note"] for r in data["review"]["results"]]
    assert rows[1][1] == "【重大事故隐患】无人管理" and rows[1][4] == "继续整改，限2026年4月30日前整改完毕"
    signatures = _signature_rows(document)
    assert [r[0] for r in signatures] == ["被复查单位负责人（签名）："] + ["安全生产执法人员（签名及执法证号）："] * 2
    assert [r[1] for r in signatures[1:]] == ["张三\n1401", "李四\n1402"]
    texts = [p.text for p in document.paragraphs]
    assert texts[1:3] == ["整改复查意见书", "（　　）应急复查〔　　〕　　号"]
    foot = texts.index("长治市潞城区应急管理局")
    assert texts[foot + 1] == "2026年3月20日"
    # the review's own evidence (h2's photo after rectification, absent here) follows, flagged, never shown
    assert "其他证据文件" in texts[foot:]
    rows = [[c.text for c in row.cells] for tb in document.tables for row in tb.rows
            if any("after.jpg" in c.text for c in row.cells)]
    assert len(rows) == 1 and "隐患 2（复查）" in rows[0] and not document.inline_shapes


def test_review_option_picks_the_review_in_docx():
    from safetycheck.inspection.recordmodels import Review, ReviewResult

    record = load("review-inspect")
    first = record.reviews[0]
    record.reviews.append(Review(id="r2", started_at=first.started_at + dt.timedelta(days=30), status="complete",
                                 inspectors=first.inspectors, results=[ReviewResult(hazard="h1", result="passed")]))
    latest = _rows(next(tb for tb in open_docx(render(record, "review-opinion")).tables if is_bordered(tb)))
    chosen = _rows(next(tb for tb in open_docx(render(record, "review-opinion", review="r1")).tables
                        if is_bordered(tb)))
    assert [r[2] for r in latest[1:]] == ["已整改"]
    assert [r[2] for r in chosen[1:]] == ["未整改", "已整改"]


def test_onsite_measures_and_feedback_docx_take_their_parts_from_the_view():
    from safetycheck.documents.views import build_view

    record = load("review-inspect")
    view = build_view(record, "onsite-measures", AGENCY)
    document = open_docx(render(record, "onsite-measures"))
    measures = next(tb for tb in document.tables if is_bordered(tb))
    assert _rows(measures)[1:] == [[str(n), h["measures_text"], h["measure_scope"]]
                                   for n, h in enumerate(view["measure_hazards"], 1)]
    labels = [r[0] for r in _signature_rows(document)]
    assert labels == ["检查人员（签名及执法证号）："] * 2 + ["被检查单位现场负责人（签名）："]

    record = load("review-supervise")
    view = build_view(record, "supervision-feedback", AGENCY, supervision=SUPERVISION)
    texts = [p.text for p in open_docx(render(record, "supervision-feedback")).paragraphs]
    headings = [h for h in view["feedback"]["headings"].values() if h]
    assert [x for x in texts if x in headings] == headings
    assert view["feedback"]["intro"] in texts and view["feedback"]["requirements"] in texts
    assert texts[-2:] == ["垣曲县安全生产委员会办公室", "2026年3月5日"]
    assert "（　　）安委办督〔　　〕　　号" in texts


def test_english_follow_docx():
    document = open_docx(render(load("review-self"), "acceptance", "en"))
    assert document.paragraphs[1].text == "Record of the acceptance of rectified hazards"
    assert [r[0] for r in _signature_rows(document)] == ["Accepted by (signature): "]
    assert "隐患" not in "".join(p.text for p in document.paragraphs[:2])


@pytest.fixture
def with_photo(tmp_path: Path) -> Path:
    """review-inspect with a photo as the evidence of its major hazard (h1, under on-site measures)."""
    from PIL import Image

    Image.new("RGB", (1200, 900), (200, 80, 40)).save(tmp_path / "罐区.jpg", "JPEG")
    data = (tmp_path / "罐区.jpg").read_bytes()
    entry = f'evidence = [{{ path = "罐区.jpg", size = {len(data)}, sha256 = "{hashlib.sha256(data).hexdigest()}" }}]'
    text = (RECORDS / "review-inspect.toml").read_text(encoding="utf-8").replace("evidence = []", entry, 1)
    (tmp_path / "r.toml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("doc", ["onsite-measures", "review-opinion"])
def test_measures_and_review_docx_carry_the_photos_of_their_hazards(with_photo, doc):
    document = open_docx(render(load("r", with_photo), doc, base=with_photo))
    texts = [p.text for p in document.paragraphs]
    assert "附件：现场照片" in texts
    captions = [c.text for tb in document.tables for row in tb.rows for c in row.cells if "罐区.jpg" in c.text]
    assert captions and captions[0].strip().startswith("隐患 1 · 罐区.jpg · ")
    assert document.inline_shapes and len(document.inline_shapes) == 1


def test_cli_writes_every_follow_document_as_docx(tmp_path, with_photo):
    done = run_cli("report", str(with_photo / "r.toml"), "--doc", "onsite-measures", "--doc", "review-opinion",
                   "--format", "docx", "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r.onsite-measures.docx", "r.review-opinion.docx"]
    assert open_docx((tmp_path / "out" / "r.onsite-measures.docx").read_bytes()).inline_shapes  # photos found
    done = run_cli("report", str(RECORDS / "review-self.toml"), "--doc", "acceptance",
                   "-o", str(tmp_path / "验收.docx"))
    assert done.returncode == 0, done.stderr
    assert open_docx((tmp_path / "验收.docx").read_bytes()).paragraphs[1].text == "隐患整改验收记录"
    done = run_cli("--lang", "en", "report", str(RECORDS / "review-supervise.toml"), "--doc", "supervision-review",
                   "--doc", "supervision-feedback", "--format", "docx", "-o", str(tmp_path / "en"))
    assert done.returncode == 0, done.stderr
    titles = {p.name: open_docx(p.read_bytes()).paragraphs[1].text for p in (tmp_path / "en").iterdir()}
    assert titles == {"review-supervise.supervision-review.docx": "Record of the re-check of rectification",
                      "review-supervise.supervision-feedback.docx": "Supervision feedback"}


def test_html_of_measures_embeds_the_photos_of_their_hazards(with_photo):
    from safetycheck.documents.report import make_environment, render_document

    html = render_document(make_environment(), load("r", with_photo), "onsite-measures", "html", AGENCY,
                           base=with_photo)
    assert "附件：现场照片" in html and '<img src="data:image/jpeg;base64,' in html


def test_every_table_of_the_html_documents_carries_the_border_attribute():
    """LibreOffice Writer, importing an HTML document, takes the borders from ``border="1"``, not the stylesheet."""
    import re

    for path in sorted((GOLDEN / "report").glob("*.html")):
        tables = re.findall(r"<table\b[^>]*>", path.read_text(encoding="utf-8"))
        assert all('border="1"' in tag for tag in tables), path.name


def test_every_document_but_the_results_table_has_a_word_layout():
    from safetycheck.documents.views import DOCUMENTS
    from safetycheck.office.report import formats_of

    assert [d for d in DOCUMENTS if "docx" not in formats_of(d)] == []
    assert "docx" not in formats_of("results")


def test_a_table_that_ends_the_content_is_kept_with_the_signatures():
    from safetycheck.inspection.records import read_record
    from safetycheck.office.docx import render_docx

    document = open_docx(render_docx(read_record(RECORDS / "self.toml"), "hazards", AGENCY))
    body = blocks(document)
    signatures = next(i for i, b in enumerate(body) if hasattr(b, "rows") and not is_bordered(b))
    table = next(b for b in reversed(body[:signatures]) if hasattr(b, "rows"))
    assert all(p.paragraph_format.keep_with_next for c in table.rows[-1].cells for p in c.paragraphs)
    assert not any(p.paragraph_format.keep_with_next for c in table.rows[1].cells for p in c.paragraphs)
