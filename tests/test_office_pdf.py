"""LibreOffice headless converts every DOCX and XLSX to PDF; poppler reads the pages back.

One soffice process converts everything, with its own profile folder. Skipped when LibreOffice
or poppler-utils is missing, except under CI (``CI`` set), where a missing tool fails the run:
``.ci/run`` installs libreoffice-writer-nogui, libreoffice-calc-nogui and poppler-utils.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DATA, run_cli

pytestmark = [pytest.mark.office, pytest.mark.xdist_group("office_pdf")]  # one soffice run

RECORDS = DATA / "records"
# name -> (record, document, texts the PDF must show (whitespace ignored), most pages)
DOCUMENTS = {
    "inspection-record": ("inspect", "inspection-record",
                          ["现场检查记录", "长治市潞城区某化工有限公司", "拒绝签字", "14040000001", "第1页共"], 6),
    "rectification-order": ("inspect", "rectification-order",
                            ["责令限期整改指令书", "应急责改", "六十日内", "长治市潞城区人民政府", "2026年4月5日"], 3),
    "self-audit": ("self", "self-audit", ["企业自查报告", "待整改", "75.0%"], 4),
    "supervision": ("supervise", "supervision", ["督导检查记录", "整改要求"], 4),
    "hazards": ("inspect", "hazards", ["隐患整改清单", "序号", "整改措施", "待整改"], 2),
    "hostile": ("hostile", "inspection-record", ["<script>alert('单位')</script>", "{{7*7}}"], 30),
    "in-progress": ("in-progress", "inspection-record", ["未完成", "潞城区某加油站"], 6),
    # The documents that follow an inspection; the last column's text shows no column is cut off.
    "onsite-measures": ("review-inspect", "onsite-measures",
                        ["现场处理措施决定书", "切断电源", "二号库房", "长治市潞城区人民政府", "1402"], 2),
    "review-opinion": ("review-inspect", "review-opinion",
                       ["整改复查意见书", "仍有人员在库房作业", "继续整改", "2026年4月30日", "1401"], 2),
    "acceptance": ("review-self", "acceptance", ["隐患整改验收记录", "800.0", "2026-03-18", "制度未印发", "验收人"], 2),
    "supervision-review": ("review-supervise", "supervision-review", ["督导整改复核记录", "仍未配备", "赵督导"], 2),
    "supervision-feedback": ("review-supervise", "supervision-feedback",
                             ["督导反馈意见", "督导中发现的企业事故隐患", "2026年5月1日", "整改工作要求"], 2),
}
TABLES = {"hazards-xlsx": ("hazards", "xlsx"), "results-xlsx": ("results", "xlsx")}
# A typical visit: 五到位 + 十必查 with five findings (the compact record must keep its body to 3 pages).
VISIT = """\
mode: inspect
unit: {name: 长治市潞城区某化工有限公司, industry: 化工, address: 潞城区店上镇工业园区8号, principal: 王建国,
       phone: 0355-6000000, representative: {name: 李明, post: 安全总监}, witness: {name: 赵强}}
inspectors:
  - {name: 张伟, cert: "14040000001", org: 长治市潞城区应急管理局}
  - {name: 刘洋, cert: "14040000002", org: 长治市潞城区应急管理局}
default: pass
responses:
  zeren-01: {result: fail, description: 安全生产责任制未明确主要负责人为第一责任人。, measure: 修订责任制并印发。,
             deadline: 15, owner: 王建国}
  zeren-02: {result: fail, description: 主要负责人未签署履职尽责承诺书。, measure: 签署承诺书并存档。, deadline: 15,
             owner: 王建国}
  touru-01: {result: fail, description: 未按规定提取安全生产费用，2025年台账缺失。, measure: 按标准提取并建立台账。,
             deadline: 30, owner: 李明}
  wudaowei/peixun-01: {result: fail, description: 主要负责人未经安全生产知识和管理能力考核。,
                       measure: 参加考核并取得合格证明。, deadline: 30, owner: 王建国}
  shibicha/fuzeren-01: {result: fail, description: 罐区泄漏事故应急预案未经评审、未报备案。, level: major,
                        measure: 组织评审并报应急管理部门备案。, deadline: 20, owner: 李明}
"""


def make_visit(folder: Path) -> Path:
    """The typical visit's record, made from an answers file by ``run``."""
    answers = folder / "visit.yaml"
    answers.write_text(VISIT, encoding="utf-8")
    record = folder / "visit.toml"
    done = run_cli("run", "五到位", "十必查", "--answers", str(answers), "-o", str(record))
    assert done.returncode == 0, done.stderr
    return record


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HAVE_POPPLER = bool(shutil.which("pdftotext") and shutil.which("pdfinfo"))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every DOCX document and XLSX table, converted to PDF by one soffice run."""
    if not SOFFICE or not HAVE_POPPLER:
        message = "needs LibreOffice (soffice) and poppler-utils (pdftotext, pdfinfo)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set: {message} must be installed")
        pytest.skip(message)
    from safetycheck.inspection.config import Agency
    from safetycheck.inspection.records import read_record
    from safetycheck.office.docx import render_docx
    from safetycheck.office.report import table_bytes

    agency = Agency(name="长治市潞城区应急管理局", short_name="潞应急", review_body="长治市潞城区人民政府")
    folder = tmp_path_factory.mktemp("office")
    files = []
    for key, (fixture, doc, _, _) in DOCUMENTS.items():
        path = folder / f"{key}.docx"
        path.write_bytes(render_docx(read_record(RECORDS / f"{fixture}.toml"), doc, agency))
        files.append(path)
    (folder / "visit.docx").write_bytes(render_docx(read_record(make_visit(folder)), "inspection-record", agency))
    files.append(folder / "visit.docx")
    photos = folder / "photos"
    photos.mkdir()
    from PIL import Image

    for n, size in enumerate(((1600, 1200), (900, 1200), (800, 800))):
        Image.new("RGB", size, (60 * n, 120, 200)).save(photos / f"p{n}.jpg", "JPEG")
    answers = folder / "photos.yaml"
    with_photos = "deadline: 15,\n             owner: 王建国, evidence: [photos/p0.jpg, photos/p1.jpg, photos/p2.jpg]}"
    answers.write_text(VISIT.replace("deadline: 15,\n             owner: 王建国}", with_photos, 1), encoding="utf-8")
    record = folder / "photos.toml"
    done = run_cli("run", "五到位", "十必查", "--answers", str(answers), "-o", str(record))
    assert done.returncode == 0, done.stderr
    (folder / "with-photos.docx").write_bytes(render_docx(read_record(record), "inspection-record", agency,
                                                          base=folder))
    files.append(folder / "with-photos.docx")
    from safetycheck.catalog.catalog import open_catalog
    from safetycheck.documents.forms import form_view
    from safetycheck.office.docx import find_reference, form_docx

    entry = open_catalog().resolve("wudaowei")
    (folder / "form-wudaowei.docx").write_bytes(form_docx(form_view([(entry, set())], [], None), find_reference()))
    files.append(folder / "form-wudaowei.docx")
    for key, (doc, fmt) in TABLES.items():
        path = folder / f"{key}.{fmt}"
        names = [RECORDS / f"{n}.toml" for n in ("inspect", "self", "supervise")]
        path.write_bytes(table_bytes(doc, fmt, names, dt.date(2026, 4, 1)))
        files.append(path)
    from safetycheck.lifecycle.ledger import build_ledger
    from safetycheck.office.tables import ledger_table
    from safetycheck.office.xlsx import table_xlsx

    ledger = build_ledger([RECORDS / f"{n}.toml" for n in ("inspect", "self", "v2-supervise")], "all",
                          today=dt.date(2026, 4, 1))  # hazards list --format xlsx
    (folder / "hazards-list-xlsx.xlsx").write_bytes(table_xlsx(ledger_table(ledger.rows)))
    files.append(folder / "hazards-list-xlsx.xlsx")
    profile = folder / "profile"
    done = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {p.stem: p for p in (folder / "pdf").glob("*.pdf")}


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_docx_converts_with_its_text_and_page_count(pdfs, key):
    _, _, texts, most = DOCUMENTS[key]
    assert key in pdfs, f"LibreOffice made no PDF of {key}.docx"
    pages = _pages(pdfs[key])
    assert 1 <= pages <= most
    shown = _text(pdfs[key])
    for text in texts:
        assert re.sub(r"\s+", "", text) in shown, text
    assert f"共{pages}页" in shown  # the NUMPAGES field was computed


@pytest.mark.parametrize("key", [*TABLES, "hazards-list-xlsx"])
def test_xlsx_converts_without_error(pdfs, key):
    assert key in pdfs, f"LibreOffice made no PDF of {key}"
    shown = _text(pdfs[key])
    assert ("隐患台账" in shown or "检查项编号" in shown) and "长治市潞城区某化工有限公司" in shown


def test_blank_form_docx_converts(pdfs):
    assert "form-wudaowei" in pdfs
    shown = _text(pdfs["form-wudaowei"])
    assert "企业安全生产“五到位”" in shown and "[zeren-01]" in shown and "检查人员（签名）" in shown
    assert _pages(pdfs["form-wudaowei"]) <= 25


def _page_texts(pdf: Path) -> list[str]:
    return [re.sub(r"\s+", "", page) for page in _text_raw(pdf).split("\f")]


def _text_raw(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _body_fits(pages: list[str]) -> None:
    """The body ends by page 3, the signatures on the page of the end of the findings."""
    last = next(i for i, page in enumerate(pages) if "拒绝签字" in page)
    first = next(i for i, page in enumerate(pages) if "检查人员（签名）" in page)
    assert last < 3, f"the body runs to page {last + 1}"
    assert "依法责令限期整改" in pages[first], "the signatures stand apart from the end of the findings"
    assert any("附：检查项目清单" in page for page in pages[last:])


def test_typical_visit_record_body_fits_three_pages_in_docx(pdfs):
    _body_fits(_page_texts(pdfs["visit"]))


def test_typical_visit_record_body_fits_three_pages_in_html_print(tmp_path):
    chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                    None)
    if not chromium or not HAVE_POPPLER:
        if os.environ.get("CI"):
            pytest.fail("CI is set: chromium and poppler-utils must be installed")
        pytest.skip("needs chromium and poppler-utils")
    page = tmp_path / "visit.html"
    done = run_cli("report", str(make_visit(tmp_path)), "-o", str(page))
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "visit.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    page.as_uri()], capture_output=True, timeout=120)
    _body_fits(_page_texts(pdf))


def test_docx_with_photos_converts_with_the_attachment_page(pdfs):
    pages = _page_texts(pdfs["with-photos"])
    attachment = [i for i, page in enumerate(pages) if "附件：现场照片" in page]
    assert attachment, "no attachment page"
    assert "隐患2·p0.jpg·" in pages[attachment[0]] and "p2.jpg" in pages[attachment[0]]
