"""Supervision on a real terminal: a government body's questions, several supervisors, a problem."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from safetycheck.inspection import records
from tests.test_tty import answer, at_item, finish, key, spawn

pytest.importorskip("pexpect") if sys.platform != "win32" else None
pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty"), pytest.mark.tty]

CHECKLIST = """\
id: dudao
title: 督导测试清单
version: "1.0"
audience: [党委政府]
summary: 督导终端测试用。
sources:
  - doc: 测试文件〔2026〕1号
    clauses: ["(一)"]
sections:
  - id: s1
    title: 责任落实
    items:
      - id: d-01
        text: 是否制定安全生产权力和责任清单？
        standard: 有印发的安全生产权力和责任清单。
        method: [查资料]
        basis: [{doc: 测试文件〔2026〕1号, clause: "(一)"}]
        hint: 编制并印发权责清单。
      - id: d-02
        text: 是否实行领导干部包保煤矿安全生产责任制？
        standard: 有印发的包保名单。
        method: [查资料]
        basis: [{doc: 测试文件〔2026〕1号, clause: "(一)"}]
        when: {body_type: [县级部门]}
      - id: d-03
        text: 是否每季度召开安委会会议？
        standard: 每季度至少召开1次。
        method: [查资料]
        basis: [{doc: 测试文件〔2026〕1号, clause: "(一)"}]
"""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "cl").mkdir()
    (tmp_path / "cl" / "dudao.yaml").write_text(CHECKLIST, encoding="utf-8")
    return tmp_path


def test_a_town_is_asked_as_a_government_body_with_several_supervisors_and_a_fail_is_a_problem(work: Path) -> None:
    child = spawn(work, "run", "dudao", "--checklists", "cl", "--mode", "supervise", "--unit", "某某镇人民政府",
                  "-o", "r.toml")
    answer(child, "地址", "")
    answer(child, "主要负责人", "王镇长")
    answer(child, "联系电话", "")
    child.expect_exact("1 乡镇人民政府")
    answer(child, "单位类型", "镇")  # not a kind: asked again
    child.expect_exact("不是被督导单位类型")
    answer(child, "单位类型", "1")
    answer(child, "督导事由", "年度安全生产督导")
    answer(child, "联系人姓名", "李干事")
    answer(child, "联系人职务", "安监站站长")
    answer(child, "联系人电话", "")
    answer(child, "督导人员姓名（至少一名）", "")  # an empty name is refused
    child.expect_exact("至少需要一名督导人员")
    answer(child, "督导人员姓名（至少一名）", "马林")
    answer(child, "所在单位", "县安委办")
    answer(child, "督导人员姓名（Enter 结束）", "黄静")  # the second name is a supervisor, not keystrokes
    answer(child, "所在单位", "")
    answer(child, "督导人员姓名（Enter 结束）", "")
    at_item(child, 1, 2)  # d-02 is for county departments: not asked of a town
    key(child, "n")
    answer(child, "问题描述", "权责清单未印发。")
    answer(child, "记为：1 问题（提出整改要求）/ 2 企业事故隐患", "")  # Enter: a problem
    answer(child, "整改要求", "一个月内印发权责清单。")
    answer(child, "整改报告报送期限", "15")
    answer(child, "整改责任人", "")
    answer(child, "证据文件路径", "")
    at_item(child, 2, 2)
    key(child, "y")
    child.expect_exact("问题：1 项")
    child.expect_exact("--doc supervision-feedback --format html --issue")
    assert finish(child) == 0
    transcript = child.logfile_read.text()
    for enterprise_words in ("法定代表人", "行业", "隐患等级", "现场负责人", "执法证号", "隐患：一般"):
        assert enterprise_words not in transcript
    record = records.read_record(work / "r.toml")
    assert [(p.name, p.org) for p in record.inspectors] == [("马林", "县安委办"), ("黄静", None)]
    assert record.unit.body_type == "乡镇人民政府" and record.unit.industry == []
    assert record.unit.principal == "王镇长" and record.unit.representative.name == "李干事"
    by_item = {r.item: r for r in record.responses}
    assert by_item["d-02"].auto and by_item["d-02"].result == "na"
    problem = by_item["d-01"].hazard
    assert problem.kind == "problem" and problem.level is None and problem.id == "h1"
    assert problem.measure == "一个月内印发权责清单。"
    assert problem.deadline == record.started_at.date() + dt.timedelta(days=15)
    text = (work / "r.toml").read_text(encoding="utf-8")
    assert 'kind = "problem"' in text and "level" not in text.split("[responses.hazard]")[1].split("[[")[0]
    listed = spawn(work, "hazards", "list", "r.toml")
    listed.expect_exact("问题")
    listed.expect_exact("共 0 项隐患、1 项问题。")
    assert finish(listed) == 0


def test_in_english_a_department_supervised_records_an_enterprise_hazard_when_asked(work: Path) -> None:
    child = spawn(work, "--lang", "en", "run", "dudao", "--checklists", "cl", "--mode", "supervise",
                  "--unit", "County housing bureau", "--body-type", "4", "--address", "1 Main St",
                  "--principal", "Sun", "--phone", "0359", "--purpose", "annual", "-o", "r.toml")
    answer(child, "Contact person: name", "Zheng")
    answer(child, "Contact person: post", "")
    answer(child, "Contact person: phone", "")
    answer(child, "Supervisor's name (one at least)", "Ma")
    answer(child, "Organisation", "")
    answer(child, "Supervisor's name (Enter ends)", "Huang")
    answer(child, "Organisation", "")
    answer(child, "Supervisor's name (Enter ends)", "")
    at_item(child, 1, 3)
    key(child, "y")
    at_item(child, 2, 3)
    key(child, "n")
    answer(child, "Finding", "A mine in the county has no leader assigned.")
    answer(child, "Record as", "2")
    answer(child, "Hazard level", "1")
    answer(child, "Rectification measure", "Assign a leader.")
    answer(child, "Deadline", "10")
    answer(child, "Owner", "")
    answer(child, "Evidence file", "")
    at_item(child, 3, 3)
    key(child, "n")
    answer(child, "Finding", "")
    answer(child, "Record as", "1")
    answer(child, "Rectification requirement", "")
    answer(child, "Rectification report due", "")
    answer(child, "Owner", "")
    answer(child, "Evidence file", "")
    child.expect_exact("Problems: 1 (with rectification requirements).")
    child.expect_exact("Hazards: 1 general, 0 major.")
    assert finish(child) == 0
    transcript = child.logfile_read.text()
    assert "Legal representative" not in transcript and "Industr" not in transcript
    record = records.read_record(work / "r.toml")
    assert record.unit.body_type == "县级部门"
    assert [p.name for p in record.inspectors] == ["Ma", "Huang"]
    hazards = {r.item: r.hazard for r in record.responses if r.hazard}
    assert (hazards["d-02"].kind, hazards["d-02"].level) == ("hazard", "general")
    assert (hazards["d-03"].kind, hazards["d-03"].level) == ("problem", None)
    assert hazards["d-03"].deadline == record.started_at.date() + dt.timedelta(days=30)
