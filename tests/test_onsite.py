"""Deadline 0 (当场整改) and on-site measures (现场处理措施) of a major hazard, in the walk and in answers files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from safetycheck.lifecycle.files import load_record
from tests.conftest import run_cli
from tests.test_lifecycle import ANSWERS, answered_record
from tests.test_session import Script, make_checklist, make_record, walk

ONSITE = ANSWERS.replace("deadline: 2026-04-01, funds: 3000}", "deadline: 0}").replace(
    "deadline: 2026-05-01, plan: 停产整顿}",
    "deadline: 2026-05-01, plan: 停产整顿,\n        measures: [evacuate, stop-equipment, other],"
    " measure_scope: 二号库房, measure_other: 切断电源}")


def test_deadline_0_in_the_walk_is_corrected_on_the_spot() -> None:
    record = make_record(make_checklist("demo", [{"id": "a-01", "text": "甲", "standard": "乙"}]))
    walk(record, Script("fail", "", "", "", "当场", "", ""))
    hazard = record.responses[0].hazard
    assert hazard is not None and hazard.corrected_on_site is True and hazard.measures is None
    assert hazard.deadline == record.responses[0].answered_at.date()


def test_a_major_hazard_of_an_inspection_asks_for_measures_scope_and_other() -> None:
    record = make_record(make_checklist("demo", [{"id": "a-01", "text": "甲", "standard": "乙",
                                                  "major_possible": True}]))
    script = Script("fail", "", "2", "", "7", "1,9", "3 1 4", "二号库房", "", "切断电源", "", "")
    walk(record, script)
    hazard = record.responses[0].hazard
    assert hazard is not None
    assert (hazard.measures, hazard.measure_scope, hazard.measure_other) == (
        ["evacuate", "stop-equipment", "other"], "二号库房", "切断电源")
    assert len(script.warnings) == 1  # 9 is not a measure


@pytest.mark.parametrize("mode", ["self", "supervise"])
def test_measures_are_asked_only_in_inspect_mode(mode: str) -> None:
    record = make_record(make_checklist("demo", [{"id": "a-01", "text": "甲", "standard": "乙",
                                                  "major_possible": True}]), mode=mode)
    # In a supervision a fail is first asked whether it is a 问题 or an enterprise's hazard: "2", a hazard.
    kind = ("2",) if mode == "supervise" else ()
    script = Script("fail", "", *kind, "2", "", "7", "", "")
    walk(record, script)
    assert not any(q.startswith("现场处理措施") for q, _ in script.questions)


def test_answers_file_keys_give_closed_hazard_and_measures(tmp_path: Path) -> None:
    answered_record(tmp_path, ONSITE)
    record, _ = load_record(tmp_path / "r.toml")
    by_item = {r.item: r.hazard for r in record.responses if r.hazard}
    assert by_item["shared-01"].corrected_on_site is True
    assert by_item["a-02"].measures == ["evacuate", "stop-equipment", "other"]
    assert (by_item["a-02"].measure_scope, by_item["a-02"].measure_other) == ("二号库房", "切断电源")
    rows = json.loads(run_cli("hazards", "list", "--status", "all", "--format", "json", cwd=tmp_path).stdout)
    assert {r["hazard"]: r["status"] for r in rows} == {"h1": "overdue", "h2": "closed"}
    order = run_cli("report", "r.toml", "--doc", "rectification-order", "--format", "txt", cwd=tmp_path)
    assert order.returncode == 0 and "无人管理" in order.stdout and "没有制度" not in order.stdout
    shown = run_cli("report", "r.toml", "--doc", "inspection-record", "--format", "txt", cwd=tmp_path).stdout
    assert "已当场整改" in shown and "没有制度" in shown
    assert run_cli("verify", "r.toml", cwd=tmp_path).returncode == 0


def test_only_corrected_hazards_leave_no_order_to_issue(tmp_path: Path) -> None:
    answered_record(tmp_path, ONSITE.replace("deadline: 2026-05-01, plan: 停产整顿,", "deadline: 0,"))
    proc = run_cli("report", "r.toml", "--doc", "rectification-order", cwd=tmp_path)
    assert proc.returncode != 0 and proc.stderr.count("\n") == 1


@pytest.mark.parametrize("witness", [True, False])
def test_the_measures_decision_has_a_witness_line_when_the_record_has_a_witness(tmp_path: Path, witness: bool) -> None:
    """见证人（可选）: signed where the record names a witness, in every format; absent otherwise."""
    text = ONSITE.replace("unit: {name: 测试公司, industry: 商贸}",
                          "unit: {name: 测试公司, industry: 商贸, witness: {name: 王五}}") if witness else ONSITE
    answered_record(tmp_path, text)
    for fmt in ("txt", "md", "html", "docx"):
        proc = run_cli("report", "r.toml", "--doc", "onsite-measures", "--format", fmt, "-o", f"m.{fmt}", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        if fmt == "docx":
            import docx

            document = docx.Document(str(tmp_path / "m.docx"))
            shown = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
            shown += "\n".join(p.text for p in document.paragraphs)
        else:
            shown = (tmp_path / f"m.{fmt}").read_text(encoding="utf-8")
        assert ("见证人" in shown) is witness, fmt
        assert "被检查单位" in shown, fmt  # the representative's line is there either way


@pytest.mark.parametrize(("change", "words"), [
    (("level: major, description: 无人管理", "description: 无人管理"), "major hazard"),
    (("[evacuate, stop-equipment, other]", "[evacuate, leave]"), "leave"),
    ((", measure_other: 切断电源", ""), "measure_other"),
    (("mode: inspect", "mode: self"), "major hazard"),
])
def test_bad_measures_are_located_and_nothing_is_written(tmp_path: Path, change: tuple[str, str], words: str) -> None:
    text = ONSITE.replace(*change)
    if "mode: self" in text:
        text = text.replace('inspectors: [{name: 张三, cert: "1401"}, {name: 李四, cert: "1402"}]',
                            "inspectors: [{name: 张三, post: 安全员}]")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    from tests.test_lifecycle import CHECKLISTS

    proc = run_cli("--lang", "en", "run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", "a.yaml",
                   "-o", "r.toml", cwd=tmp_path)
    assert proc.returncode != 0 and "a.yaml:" in proc.stderr and words in proc.stderr, proc.stderr
    assert not (tmp_path / "r.toml").exists()


@pytest.mark.tty
@pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty")
def test_deadline_0_and_measures_on_a_terminal(tmp_path: Path) -> None:
    pytest.importorskip("pexpect")
    from safetycheck.inspection import records
    from tests.test_tty import CHECKLIST_ZH, answer, at_item, finish, key, start_run

    (tmp_path / "cl").mkdir()
    (tmp_path / "cl" / "tty.yaml").write_text(CHECKLIST_ZH, encoding="utf-8")
    child = start_run(tmp_path)
    at_item(child, 1, 4)
    key(child, "n")
    for question, line in (("问题描述", ""), ("隐患等级", "1"), ("整改措施", ""), ("0 或“当场”", "当场"),
                           ("整改责任人", ""), ("证据文件", "")):
        answer(child, question, line)
    at_item(child, 2, 4)
    key(child, "n")
    answer(child, "问题描述", "")
    answer(child, "隐患等级", "2")
    child.expect_exact("确定将本项定为重大事故隐患吗")
    key(child, "y")
    answer(child, "整改措施", "")
    answer(child, "整改期限", "7")
    answer(child, "4 其他", "1 3")
    answer(child, "措施涉及的区域或设施、设备", "一号车间")
    answer(child, "整改责任人", "")
    answer(child, "证据文件", "")
    for k in (3, 4):
        at_item(child, k, 4)
        key(child, "y")
    child.expect_exact("检查小结")
    assert finish(child) == 0
    hazards = {r.item: r.hazard for r in records.read_record(tmp_path / "r.toml").responses if r.hazard}
    assert hazards["t-01"].corrected_on_site is True
    assert (hazards["t-02"].measures, hazards["t-02"].measure_scope) == (["evacuate", "stop-equipment"], "一号车间")
