"""A real browser: headless Chromium prints every HTML document to PDF; poppler reads it back.

Skipped when Chromium or poppler-utils is missing, except under CI (``CI`` set), where a
missing tool fails the run: the CI image installs chromium, poppler-utils and a CJK font.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from safetycheck.catalog.catalog import open_catalog
from safetycheck.documents.forms import FormRequest, produce_forms
from safetycheck.documents.numbering import format_number
from safetycheck.documents.report import make_environment, render_document
from safetycheck.inspection.config import Agency, Supervision
from safetycheck.inspection.records import read_record
from safetycheck.lifecycle.issuing import record_issue

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one Chromium batch

DATA = Path(__file__).resolve().parent / "data"
AGENCY = Agency(name="长治市潞城区应急管理局", short_name="潞应急", review_body="长治市潞城区人民政府")
SUPERVISION = Supervision(name="垣曲县安全生产委员会办公室", short_name="垣安委办", code="安委办督")

# name -> (record, document, texts the PDF must show (whitespace ignored), most pages)
DOCUMENTS = {
    "inspection-record": ("inspect", "inspection-record",
                          ["现场检查记录", "（潞应急）应急检记〔2026〕3号", "长治市潞城区某化工有限公司", "拒绝签字"],
                          6),
    "rectification-order": ("inspect", "rectification-order",
                            ["责令限期整改指令书", "应急责改", "六十日内", "长治市潞城区人民政府", "2026年4月5日"], 4),
    "self-audit": ("self", "self-audit", ["企业自查报告", "第四十一条", "周敏", "待整改", "75.0%"], 4),
    "supervision": ("supervise", "supervision", ["督导检查记录", "垣曲县住房和城乡建设局", "整改要求"], 4),
    "supervision-feedback": ("v2-supervise", "supervision-feedback",
                             ["督导反馈意见", "（垣安委办）安委办督〔2026〕5号", "垣曲县住房和城乡建设局：",
                              "整改报告报送期限", "垣曲县安全生产委员会办公室（印章）"], 3),
    "hazards": ("inspect", "hazards", ["隐患整改清单", "序号", "整改措施", "待整改"], 3),
    "hostile": ("hostile", "inspection-record", ["<script>alert('单位')</script>", "{{7*7}}", "|竖线|"], 30),
    "hostile-hazards": ("hostile", "hazards", ["隐患整改清单", "{{7*7}}", "待整改"], 10),
    "in-progress": ("in-progress", "inspection-record", ["未完成", "潞城区某加油站"], 6),
    "onsite-measures": ("review-inspect", "onsite-measures",
                        ["现场处理措施决定书", "应急现决", "第六十五条第一款第（三）项", "二号库房", "六个月内"], 3),
    "review-opinion": ("review-inspect", "review-opinion",
                       ["整改复查意见书", "应急复查", "继续整改", "执法证号：1401"], 3),
    "acceptance": ("review-self", "acceptance", ["隐患整改验收记录", "验收人", "800.0", "报监管部门审核"], 3),
    "supervision-review": ("review-supervise", "supervision-review", ["督导整改复核记录", "赵督导"], 3),
}


def _tool(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


CHROMIUM = _tool("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
HAVE_POPPLER = bool(shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdftoppm"))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    """Every document as HTML, printed to PDF by Chromium, several browsers at a time."""
    if not CHROMIUM or not HAVE_POPPLER:
        message = "needs chromium and poppler-utils (pdftotext, pdfinfo, pdftoppm)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set: {message} must be installed")
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("browser")
    env = make_environment()
    pages: dict[str, Path] = {}
    for key, (fixture, doc, _, _) in DOCUMENTS.items():
        record = read_record(DATA / "records" / f"{fixture}.toml")
        if fixture == "inspect":
            record.numbers = {"inspection-record": format_number("潞应急", "应急检记", 2026, 3),
                              "rectification-order": format_number("潞应急", "应急责改", 2026, 3)}
        if fixture == "v2-supervise":  # issued: the supervising office's number
            record_issue(record, doc, format_number("垣安委办", "安委办督", 2026, 5), record.finished_at)
        pages[key] = folder / f"{key}.html"
        pages[key].write_text(render_document(env, record, doc, "html", AGENCY, supervision=SUPERVISION),
                              encoding="utf-8")
    (form,) = produce_forms(FormRequest(names=["form-sample"], fmt="html", out=folder / "form.html"),
                            open_catalog([DATA / "forms"]))
    assert form.path is not None
    pages["form"] = form.path

    def print_pdf(item: tuple[str, Path]) -> tuple[str, Path]:
        key, page = item
        pdf = page.with_suffix(".pdf")
        profile = folder / f"profile-{key}"
        args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()]
        done = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert pdf.is_file() and pdf.stat().st_size > 0, done.stderr[-2000:]
        return key, pdf

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 2)) as pool:
        return dict(pool.map(print_pdf, pages.items()))


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return re.sub(r"\s", "", out.stdout.decode("utf-8"))


def _info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_document_prints_on_a4_with_its_chinese_text(pdfs, key):
    _, _, texts, most = DOCUMENTS[key]
    info = _info(pdfs[key])
    pages = int(info["Pages"])
    assert 1 <= pages <= most, pages
    width, height = (float(x) for x in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2  # A4 portrait
    text = _text(pdfs[key])
    for expected in texts:
        assert re.sub(r"\s", "", expected) in text, expected
    assert f"{pages}/{pages}" in text  # page numbers in the footer: "n / N"


def _gray_pages(pdf: Path, folder: Path, dpi: int) -> list[tuple[int, int, bytes]]:
    """Every page of ``pdf`` as (width, height, 8-bit gray pixels), via pdftoppm's PGM output."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(folder / "p")], check=True)
    pages = []
    for path in sorted(folder.glob("p-*.pgm")):
        data = path.read_bytes()
        magic, width, height, _, pixels = data.split(maxsplit=4)  # P5 w h maxval, one whitespace, pixels
        assert magic == b"P5"
        pages.append((int(width), int(height), pixels[:int(width) * int(height)]))
    return pages


@pytest.mark.parametrize("key", [*DOCUMENTS, "form"])
def test_tables_keep_their_right_border(pdfs, key, tmp_path):
    """Each table's right border prints as strongly as its left one, on every page.

    Why: half of a collapsed table border lies outside the table, and Chromium clips at the
    page's content box, so a table as wide as the body lost half its right border; a column
    that could not wrap pushed the rest of a table off the page. At 300 dpi a 0.6 pt line is
    2.5 pixels: a clipped one carries about half the ink of the left border.
    """
    checked = 0
    for width, height, pixels in _gray_pages(pdfs[key], tmp_path, 300):
        ink = pixels.translate(bytes(255 - v for v in range(256)))
        columns = [sum(ink[x::width]) for x in range(width)]
        longest = max(columns)
        if longest < 255 * height * 0.05:  # no vertical line of any length on this page
            continue
        lines = [x for x, c in enumerate(columns) if c >= longest / 2]
        left, right = lines[0], lines[-1]
        # Only rows where both borders have ink: text at the margins (a line that starts where a
        # table's left border is) would otherwise count as border.
        def band(x: int, y: int, ink: bytes = ink, width: int = width) -> int:
            return sum(ink[y * width + x - 3:y * width + x + 4])

        rows = [y for y in range(height) if band(left, y) > 255 and band(right, y) > 255]
        ratio = sum(band(right, y) for y in rows) / max(1, sum(band(left, y) for y in rows))
        assert ratio > 0.8, (key, left, right, round(ratio, 2))
        checked += 1
    assert checked


def test_blank_form_prints_every_item_and_box(pdfs):
    text = _text(pdfs["form"])
    for words in ("表格测试清单检查表", "是否建立健全全员安全生产责任制", "双报告", "[zeren-02]", "检查人员（签名）"):
        assert words in text, words
    assert "|竖线<b>标签</b>*星号*" in text
