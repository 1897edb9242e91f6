"""Word documents: structure read back with python-docx, whole-file golden copies, the reference.docx."""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, GOLDEN, ROOT, run_cli

from safetycheck.inspection.config import Agency

RECORDS = DATA / "records"
AGENCY = Agency(name="长治市潞城区应急管理局", short_name="潞应急", review_body="长治市潞城区人民政府")
CASES = [("inspect", "inspection-record"), ("inspect", "rectification-order"), ("inspect", "hazards"),
         ("self", "self-audit"), ("self", "hazards"), ("supervise", "supervision"), ("hostile", "inspection-record"),
         ("in-progress", "inspection-record")]


def render(name: str, doc: str, lang: str = "zh", reference: Path | None = None) -> bytes:
    from safetycheck.inspection.records import read_record
    from safetycheck.messages import set_lang
    from safetycheck.office.docx import render_docx

    set_lang(lang)
    try:
        return render_docx(read_record(RECORDS / f"{name}.toml"), doc, AGENCY, reference)
    finally:
        set_lang("zh")


def open_docx(data: bytes):
    import docx

    return docx.Document(io.BytesIO(data))


@pytest.mark.parametrize(("name", "doc"), CASES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_is_byte_identical_and_matches_its_golden_file(name, doc, lang, update_golden):
    data = render(name, doc, lang)
    assert render(name, doc, lang) == data
    path = GOLDEN / "office" / ("en" if lang == "en" else "") / f"{name}.{doc}.docx"
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
    assert path.read_bytes() == data, f"{path.name} differs from its golden file (pytest --update-golden)"


def test_docx_zip_entries_have_a_fixed_time_and_fixed_core_properties():
    data = render("inspect", "inspection-record")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
    props = open_docx(data).core_properties
    assert props.created.year == 2000 and props.modified.year == 2000 and props.revision == 1
    assert props.title == "现场检查记录"


def test_docx_page_is_a4_with_the_reference_margins_and_a_page_footer():
    document = open_docx(render("inspect", "inspection-record"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (28, 26)
    footer = section.footer.paragraphs[0]
    instructions = [el.text.strip() for el in footer._p.iter() if el.tag.endswith("}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.replace("1", "") == "第  页 共  页"


def test_docx_tables_have_full_borders_and_repeated_header_rows():
    from docx.oxml.ns import qn

    document = open_docx(render("inspect", "rectification-order"))
    grid = [tb for tb in document.tables if tb._tbl.tblPr.find(qn("w:tblBorders")) is not None]
    assert grid, "no bordered table"
    for table in grid:
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        edges = {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders}
        assert edges == dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), "single")
    hazards = grid[0]
    assert [c.text for c in hazards.rows[0].cells] == ["序号", "问题描述", "依据", "期限"]
    assert hazards.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(hazards.rows) == 1 + 3


def _signature_rows(document) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in document.tables[-1].rows]


def test_docx_has_one_signature_line_per_inspector_with_the_certificate():
    document = open_docx(render("inspect", "inspection-record"))
    rows = _signature_rows(document)
    labels = [r[0] for r in rows]
    assert labels == ["检查人员（签名）：", "检查人员（签名）：", "被检查单位现场负责人（签名）：", "见证人（签名）：",
                      "被检查单位负责人拒绝签字的，记明情况："]
    assert rows[0][1] == "张伟\n14040000001" and rows[1][1] == "刘洋\n14040000002"
    assert rows[2][1] == "李明" and rows[3][1] == "赵强"
    texts = [p.text for p in document.paragraphs]
    foot = texts.index("长治市潞城区应急管理局")
    assert texts[foot + 1] == "2026年3月5日" and texts[foot + 2] == "附：检查项目清单（符合、不适用）"
    # Not issued: marked as a draft above the title, and the number is left blank.
    assert texts[0].startswith("草稿 — ") and document.paragraphs[0].style.name == "SC Draft"
    assert texts[1] == "现场检查记录" and texts[2] == "（\u3000\u3000）应急检记〔\u3000\u3000〕\u3000\u3000号"


def test_docx_takes_its_content_from_the_document_data():
    import json

    from safetycheck.documents.views import document_json
    from safetycheck.inspection.records import read_record

    data = json.loads(document_json(read_record(RECORDS / "self.toml"), "hazards", AGENCY))
    document = open_docx(render("self", "hazards"))
    table = next(tb for tb in document.tables if tb.rows[0].cells[0].text == "序号" and len(tb.columns) > 6)
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[2] for r in rows] == [h["description"] for h in data["hazards"]]
    assert [r[0] for r in rows] == [str(h["seq"]) for h in data["hazards"]]


def test_incomplete_record_is_marked_as_a_draft():
    document = open_docx(render("in-progress", "inspection-record"))
    assert document.paragraphs[0].text.startswith("未完成")
    assert document.paragraphs[0].style.name == "SC Draft"


def test_english_docx():
    document = open_docx(render("inspect", "rectification-order", "en"))
    assert document.paragraphs[0].text.startswith("DRAFT — ")
    assert document.paragraphs[1].text == "Order to rectify within a time limit"
    assert document.sections[0].footer.paragraphs[0].text == "Page 1 of 1"  # field values until a viewer lays out
    labels = [r[0] for r in _signature_rows(document)]
    assert labels[0] == "Inspectors (signature and certificate no.): " and len(labels) == 4


# --- the reference.docx ------------------------------------------------------------------------


def test_committed_reference_docx_is_what_the_generator_makes_and_has_every_style():
    from safetycheck.office.docx import STYLES

    sys.path.insert(0, str(ROOT / "tests"))
    import make_reference_docx

    committed = (ROOT / "templates" / "reference.docx").read_bytes()
    assert make_reference_docx.build() == committed, "run python tests/make_reference_docx.py"
    names = {s.name for s in open_docx(committed).styles}
    assert set(STYLES) <= names


def test_a_users_reference_docx_changes_the_look(tmp_path):
    import docx
    from docx.shared import Mm

    document = docx.Document(str(ROOT / "templates" / "reference.docx"))
    document.sections[0].left_margin = Mm(35)
    document.sections[0].header.paragraphs[0].text = "某县应急管理局"
    document.save(str(tmp_path / "reference.docx"))
    out = tmp_path / "记录.docx"
    done = run_cli("report", str(RECORDS / "inspect.toml"), "-o", str(out), "--templates", str(tmp_path))
    assert done.returncode == 0, done.stderr
    section = open_docx(out.read_bytes()).sections[0]
    assert round(section.left_margin.mm) == 35
    assert section.header.paragraphs[0].text == "某县应急管理局"


def test_a_reference_docx_without_a_style_is_a_one_line_error(tmp_path):
    import docx

    document = docx.Document(str(ROOT / "templates" / "reference.docx"))
    style = document.styles["SC Heading"]
    style.element.getparent().remove(style.element)
    document.save(str(tmp_path / "reference.docx"))
    out = tmp_path / "记录.docx"
    done = run_cli("report", str(RECORDS / "inspect.toml"), "-o", str(out), "--templates", str(tmp_path))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "SC Heading" in lines[0] and "reference.docx" in lines[0]
    assert not out.exists()


def test_templates_export_copies_the_reference_docx(tmp_path):
    done = run_cli("templates", "export", str(tmp_path / "mine"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "mine" / "reference.docx").read_bytes() == (ROOT / "templates" / "reference.docx").read_bytes()


def test_cli_writes_docx_by_extension_and_several_into_a_folder(tmp_path):
    done = run_cli("report", str(RECORDS / "inspect.toml"), "-o", str(tmp_path / "自查报告.docx"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "自查报告.docx").read_bytes()[:2] == b"PK"
    done = run_cli("report", str(RECORDS / "inspect.toml"), "--doc", "inspection-record", "--doc",
                   "rectification-order", "--format", "docx", "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "inspect.inspection-record.docx", "inspect.rectification-order.docx"]
    refused = run_cli("report", str(RECORDS / "self.toml"), "--doc", "inspection-record", "--format", "docx",
                      "-o", str(tmp_path / "x.docx"))
    assert refused.returncode == 2 and not (tmp_path / "x.docx").exists()


# --- blank forms ---------------------------------------------------------------------------------


def test_blank_form_docx_has_every_item_with_boxes_and_matches_its_golden_file(tmp_path, update_golden):
    out = tmp_path / "form.docx"
    done = run_cli("form", "form-sample", "--date", "2026-03-05", "-o", str(out),
                   "--checklists", str(DATA / "forms"))
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    path = GOLDEN / "office" / "form-sample.docx"
    if update_golden:
        path.write_bytes(data)
    else:
        assert path.read_bytes() == data, "form-sample.docx differs from its golden file (pytest --update-golden)"
    from safetycheck.catalog.catalog import open_catalog

    checklist = open_catalog([DATA / "forms"]).resolve("form-sample").model
    ids = [i.id for s in checklist.sections for i in s.items]
    document = open_docx(data)
    items = next(tb for tb in document.tables if tb.rows[0].cells[2].text == "符合")
    rows = [[c.text for c in row.cells] for row in items.rows[1:]]
    item_rows = [r for r in rows if r[2] == "□"]
    assert len(item_rows) == len(ids)
    assert [re.search(r"\[([^\]]+)\]$", r[1]).group(1) for r in item_rows] == ids
    assert all(r[2:5] == ["□", "□", "□"] for r in item_rows)
    assert "2026年3月5日" in [c.text for row in document.tables[0].rows for c in row.cells]
    assert [r[0] for r in _signature_rows(document)] == ["检查人员（签名）：", "被检查单位负责人（签名）："]


def test_docx_is_issued_like_the_text_formats(tmp_path):
    import os
    import subprocess
    import sys

    record = tmp_path / "r.toml"
    record.write_bytes((RECORDS / "inspect.toml").read_bytes())
    (tmp_path / "safetycheck.toml").write_text('[agency]\nname = "甲市应急管理局"\nshort_name = "甲应急"\n',
                                               encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK_")},
           "SAFETYCHECK_CONFIG_DIR": str(tmp_path / "config"), "SAFETYCHECK_NO_CACHE": "1"}

    def report(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "safetycheck", "report", "r.toml", *args], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=120)

    draft = report("-o", "draft.docx")
    assert draft.returncode == 0, draft.stderr
    assert open_docx((tmp_path / "draft.docx").read_bytes()).paragraphs[0].text.startswith("草稿")
    issued = report("-o", "issued.docx", "--issue")
    assert issued.returncode == 0, issued.stderr
    texts = [p.text for p in open_docx((tmp_path / "issued.docx").read_bytes()).paragraphs]
    assert texts[0] == "现场检查记录" and texts[1] == "（甲应急）应急检记〔2026〕1号"
    assert "（甲应急）应急检记〔2026〕1号" in issued.stderr
    again = report("-o", "again.docx")  # re-rendered later: the same number, no draft mark
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    assert [p.text for p in open_docx((tmp_path / "again.docx").read_bytes()).paragraphs][:2] == texts[:2]


def test_a_document_without_a_word_layout_refuses_docx_naming_its_formats(tmp_path):
    result = run_cli("report", str(RECORDS / "inspect.toml"), "--doc", "results", "--format", "docx", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "xlsx, csv" in result.stderr
