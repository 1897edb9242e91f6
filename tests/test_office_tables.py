"""The hazard ledger and the results as CSV and XLSX (``report --doc hazards|results --format csv|xlsx``)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from conftest import DATA, GOLDEN, run_cli

RECORDS = DATA / "records"
TODAY = dt.date(2026, 4, 1)  # after the first deadline (2026-03-20), before the others


def _table(doc: str, fmt: str, *names: str, lang: str = "zh") -> bytes:
    from safetycheck.messages import set_lang
    from safetycheck.office.report import table_bytes

    set_lang(lang)
    try:
        return table_bytes(doc, fmt, [RECORDS / f"{n}.toml" for n in names], TODAY)
    finally:
        set_lang("zh")


def _golden_bytes(name: str, data: bytes, update: bool) -> None:
    path = GOLDEN / "office" / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"missing golden file {path}; run pytest --update-golden"
    assert path.read_bytes() == data, f"{name} differs from its golden file (pytest --update-golden rewrites it)"


@pytest.mark.parametrize("doc", ["hazards", "results"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_and_xlsx_match_golden_files(doc, lang, update_golden):
    suffix = "" if lang == "zh" else ".en"
    for fmt in ("csv", "xlsx"):
        first = _table(doc, fmt, "inspect", "self", "supervise", lang=lang)
        assert _table(doc, fmt, "inspect", "self", "supervise", lang=lang) == first  # deterministic
        _golden_bytes(f"{doc}{suffix}.{fmt}", first, update_golden)


def test_ledger_csv_is_utf8_with_bom_crlf_and_the_ledger_columns():
    data = _table("hazards", "csv", "inspect")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["序号", "记录编号", "记录文件", "单位", "隐患编号", "检查表", "检查项编号", "检查项", "等级",
                       "隐患描述", "依据", "整改措施", "责任人", "整改资金（元）", "整改期限", "状态", "逾期天数",
                       "发现时间", "整改完成日期", "复查/验收日期", "复查/验收人员", "销号日期", "最近事件"]
    assert len(rows) == 1 + 3
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["整改期限"] == "2026-03-20" and first["状态"] == "逾期" and first["逾期天数"] == "12"
    assert first["等级"] == "一般" and first["检查项编号"] == "shenfen-02" and first["记录文件"] == "inspect.toml"
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["状态"] == "待整改" and second["逾期天数"] == ""


def test_csv_defuses_formula_cells(tmp_path):
    from safetycheck.office.csvfile import defuse

    for text in ("=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"):
        assert defuse(text) == "'" + text
    assert defuse("正常文本") == "正常文本"
    record = (RECORDS / "hostile.toml").read_text(encoding="utf-8")
    path = tmp_path / "hostile.toml"
    path.write_text(record.replace('description = "', 'description = "=HYPERLINK(\\"http://x\\")', 1), encoding="utf-8")
    from safetycheck.office.report import table_bytes

    rows = list(csv.reader(io.StringIO(table_bytes("hazards", "csv", [path], TODAY)[3:].decode("utf-8"), newline="")))
    cells = [c for row in rows[1:] for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


def test_xlsx_has_frozen_header_filter_real_dates_and_overdue_highlight(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(_table("hazards", "xlsx", "inspect"))
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "隐患台账"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:W4"
    headers = [c.value for c in sheet[1]]
    deadline = headers.index("整改期限") + 1
    cell = sheet.cell(row=2, column=deadline)
    assert cell.value == dt.datetime(2026, 3, 20) and cell.is_date
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")  # overdue
    assert sheet.cell(row=3, column=deadline).fill.fgColor.rgb in (None, "00000000")
    assert sheet.cell(row=2, column=1).value == 1  # 序号 is a number
    assert sheet.cell(row=2, column=headers.index("逾期天数") + 1).value == 12
    assert sheet.column_dimensions["H"].width >= 20  # item text: wide enough for Chinese


def test_results_have_one_row_per_asked_item_with_the_record_repeated(tmp_path):
    data = _table("results", "csv", "inspect")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
    assert rows[0] == ["记录编号", "检查日期", "单位", "检查类型", "检查表", "检查部分", "检查项编号", "检查项", "结论",
                       "隐患编号", "等级", "整改期限", "状态", "备注"]
    from safetycheck.inspection.records import read_record

    record = read_record(RECORDS / "inspect.toml")
    asked = [r for r in record.responses if not r.same_as]
    assert len(rows) - 1 == len(asked)
    assert {r[2] for r in rows[1:]} == {record.unit.name}
    assert sum(1 for r in rows[1:] if r[8] == "不符合") == sum(1 for r in asked if r.result == "fail")


def test_cli_writes_tables_and_refuses_other_documents(tmp_path):
    out = tmp_path / "台账.xlsx"
    done = run_cli("report", str(RECORDS / "inspect.toml"), "--doc", "hazards", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:2] == b"PK"
    done = run_cli("report", str(RECORDS / "inspect.toml"), "--doc", "results", "--format", "csv")
    assert done.returncode == 0 and done.stdout.startswith("\ufeff记录编号")
    refused = run_cli("report", str(RECORDS / "inspect.toml"), "--doc", "inspection-record", "--format", "xlsx")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "safetycheck: 错误: “inspection-record”没有 xlsx 格式；它有：html, md, txt, json, docx。"]
    refused = run_cli("report", str(RECORDS / "inspect.toml"), "--doc", "results", "--format", "html")
    assert refused.returncode == 2 and "xlsx, csv" in refused.stderr
    both = run_cli("report", str(RECORDS / "inspect.toml"), str(RECORDS / "self.toml"), "--doc", "hazards",
                   "--doc", "results", "--format", "xlsx", "-o", str(tmp_path / "out"))
    assert both.returncode == 0, both.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["hazards.xlsx", "results.xlsx"]


def test_help_and_html_report_do_not_import_the_office_writers():
    done = run_cli("report", str(RECORDS / "inspect.toml"), "--format", "html",
                   env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert done.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert not imported & {"docx", "xlsxwriter", "PIL", "openpyxl"}
    assert "safetycheck.office.report" in imported  # the dispatch is there, light
    done = run_cli("--help", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert done.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert not imported & {"docx", "xlsxwriter", "PIL", "openpyxl", "budoux"}
