"""Supervision from answers files: government bodies by kind, several supervisors, problems, the feedback."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from safetycheck.catalog.schema import json_schema
from safetycheck.inspection import records
from safetycheck.lifecycle.seal import verify_record
from tests.conftest import default_store_numbers, run_cli

OFFICE = """\
[agency]
name = "垣曲县应急管理局"
short_name = "垣应急"

[supervision]
name = "垣曲县安全生产委员会办公室"
short_name = "垣安委办"
code = "安委办督"
"""

TOWN = """\
mode: supervise
unit:
  name: 某某镇人民政府
  body_type: 乡镇人民政府
  principal: 王镇长
  representative: {name: 李干事, post: 安监站站长}
inspectors:
  - {name: 马林, org: 垣曲县安委会办公室}
  - {name: 黄静, org: 垣曲县应急管理局}
default: pass
responses:
  dangzheng-zeren/chengshi-01:
    result: fail
    description: 未成立创建工作领导机构。
    measure: 印发创建工作领导机构文件。
    deadline: 20
  dangzheng-zeren/baobao-06:
    result: fail
    kind: hazard
    level: general
    description: 辖区某企业包保领导未到企业检查。
"""

DEPARTMENT = """\
mode: supervise
unit:
  name: 垣曲县住房和城乡建设局
  body_type: 县级部门
inspectors: [马林, 黄静, 赵磊]
default: pass
responses:
  qingdan-02:
    result: fail
    description: 权责清单未公开。
    measure: 在门户网站公开权责清单。
    deadline: 30
"""


@pytest.fixture
def office(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A working folder whose settings name the county 安委办 as the supervising office."""
    (tmp_path / "safetycheck.toml").write_text(OFFICE, encoding="utf-8")
    return tmp_path, {"SAFETYCHECK_CONFIG_DIR": str(tmp_path / "state")}


def run(work: Path, env: dict[str, str], name: str, text: str, *checklists: str) -> Path:
    (work / f"{name}.yaml").write_text(text, encoding="utf-8")
    done = run_cli("run", *checklists, "--answers", f"{name}.yaml", "-o", f"{name}.toml", cwd=work, env=env)
    assert done.returncode == 0, done.stderr
    return work / f"{name}.toml"


def test_a_county_office_supervises_a_town_and_a_department_and_issues_numbered_feedback(office) -> None:
    work, env = office
    town = run(work, env, "town", TOWN, "乡镇街道")
    dept = run(work, env, "dept", DEPARTMENT, "部门督导")
    record = records.read_record(town)
    assert verify_record(record).ok and verify_record(records.read_record(dept)).ok
    assert record.unit.body_type == "乡镇人民政府" and [p.name for p in record.inspectors] == ["马林", "黄静"]
    by_item = {r.item: r for r in record.responses}
    # a town is not walked through county-level 包保 and 示范城市 items
    for item in ("baobao-01", "baobao-04", "chengshi-04", "chengshi-08"):
        assert by_item[item].auto and by_item[item].result == "na" and "乡镇人民政府" in by_item[item].reason
    assert not by_item["chengshi-01"].auto  # a town has its own 创建 leading body
    problem, hazard = by_item["chengshi-01"].hazard, by_item["baobao-06"].hazard
    assert (problem.kind, problem.level, problem.measure) == ("problem", None, "印发创建工作领导机构文件。")
    assert (hazard.kind, hazard.level) == ("hazard", "general")

    issued = run_cli("report", "town.toml", "dept.toml", "--doc", "supervision-feedback", "--format", "md",
                     "--issue", "-o", "out", cwd=work, env=env)
    assert issued.returncode == 0, issued.stderr
    assert "（垣安委办）安委办督〔" in issued.stderr
    town_doc = next((work / "out").glob("town.*")).read_text(encoding="utf-8")
    dept_doc = next((work / "out").glob("dept.*")).read_text(encoding="utf-8")
    year = record.finished_at.year
    assert f"（垣安委办）安委办督〔{year}〕1号" in town_doc and f"（垣安委办）安委办督〔{year}〕2号" in dept_doc
    assert "某某镇人民政府：" in town_doc and "垣曲县安全生产委员会办公室（印章）" in town_doc
    assert "整改报告报送期限" in town_doc and "印发创建工作领导机构文件。" in town_doc
    assert "督导中发现的企业事故隐患" in town_doc and "督导中发现的企业事故隐患" not in dept_doc
    for enterprise in ("法定代表人", "责令", "行政复议", "企业自查"):
        assert enterprise not in town_doc and enterprise not in dept_doc
    owners = {row["agency"] for row in default_store_numbers()}
    assert owners == {"垣曲县安全生产委员会办公室"}  # the office numbers it, not the agency

    ledger = json.loads(run_cli("hazards", "list", "town.toml", "dept.toml", "--format", "json", cwd=work,
                                env=env).stdout)
    rows = {(Path(r["file"]).stem, r["item"]): r for r in ledger}
    assert (rows[("town", "chengshi-01")]["kind"], rows[("town", "chengshi-01")]["level"]) == ("problem", None)
    assert (rows[("town", "baobao-06")]["kind"], rows[("town", "baobao-06")]["level"]) == ("hazard", "general")
    assert rows[("dept", "qingdan-02")]["kind"] == "problem"
    table = run_cli("hazards", "list", "town.toml", "dept.toml", cwd=work, env=env).stdout
    assert "共 1 项隐患、2 项问题。" in table
    only = run_cli("hazards", "list", "town.toml", "dept.toml", "--kind", "problem", "--format", "json", cwd=work,
                   env=env).stdout
    assert sorted(r["item"] for r in json.loads(only)) == ["chengshi-01", "qingdan-02"]

    data = json.loads(run_cli("report", "town.toml", "--doc", "supervision-feedback", "--format", "json",
                              cwd=work, env=env).stdout)
    assert data["document"]["number"] == f"（垣安委办）安委办督〔{year}〕1号"
    assert data["figures"]["problems"] == 1 and data["figures"]["general"] == 1
    assert [(h["item"], h["kind"], h.get("level")) for h in data["hazards"]] == [
        ("baobao-06", "hazard", "general"), ("chengshi-01", "problem", None)]
    assert run_cli("verify", "town.toml", cwd=work, env=env).returncode == 0


def test_feedback_in_english_speaks_to_a_government_body(office) -> None:
    work, env = office
    run(work, env, "dept", DEPARTMENT, "部门督导")
    done = run_cli("--lang", "en", "report", "dept.toml", "--doc", "supervision-feedback", "--format", "txt",
                   cwd=work, env=env)
    assert done.returncode == 0, done.stderr
    text = re.sub(r"\s+", " ", done.stdout)
    assert "Supervision feedback" in text and "To 垣曲县住房和城乡建设局:" in text
    assert "Rectification report due:" in text and "the supervision team of 垣曲县安全生产委员会办公室" in text
    assert "督导" not in done.stdout.replace("安委办督", "")  # labels in English; the office's code is data


def test_issuing_feedback_needs_the_supervising_office_not_the_agency(tmp_path: Path) -> None:
    (tmp_path / "safetycheck.toml").write_text('[agency]\nname = "甲局"\nshort_name = "甲"\n', encoding="utf-8")
    env = {"SAFETYCHECK_CONFIG_DIR": str(tmp_path / "state")}
    run(tmp_path, env, "dept", DEPARTMENT, "部门督导")
    done = run_cli("report", "dept.toml", "--doc", "supervision-feedback", "--issue", "-o", "f.md", cwd=tmp_path,
                   env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "[supervision] short_name" in done.stderr
    assert not (tmp_path / "f.md").exists()


def test_config_show_and_init_know_the_supervising_office(office) -> None:
    work, env = office
    shown = run_cli("config", "show", cwd=work, env=env).stdout
    assert "[supervision]" in shown and 'short_name = "垣安委办"' in shown and 'code = "安委办督"' in shown
    (work / "safetycheck.toml").write_text('[supervision]\ncdoe = "x"\n', encoding="utf-8")
    bad = run_cli("config", "show", cwd=work, env=env)
    assert bad.returncode != 0 and "safetycheck.toml:2:1:" in bad.stderr
    assert "supervision.cdoe" in bad.stderr and "code" in bad.stderr


@pytest.mark.parametrize(("response", "message"), [
    ("{result: fail, level: major, deadline: 10}", "responses.qingdan-02.level：问题"),
    ("{result: fail, kind: issue}", "responses.qingdan-02.kind：“issue”无效"),
    ("{result: fail, kind: hazard, level: 重大}", "重大事故隐患必须写 deadline"),
])
def test_a_problem_has_no_level_and_the_exception_is_a_hazard(tmp_path: Path, response: str, message: str) -> None:
    text = DEPARTMENT.replace("""  qingdan-02:
    result: fail
    description: 权责清单未公开。
    measure: 在门户网站公开权责清单。
    deadline: 30
""", f"  qingdan-02: {response}\n")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    done = run_cli("run", "部门督导", "--answers", "a.yaml", "-o", "r.toml", cwd=tmp_path,
                   env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path / "state")})
    assert done.returncode == 1 and message in done.stderr and "a.yaml:8:" in done.stderr
    assert not (tmp_path / "r.toml").exists()


@pytest.mark.parametrize(("change", "where", "message"), [
    (("inspectors: [马林, 黄静, 赵磊]", "inspectors: [马林, '', 赵磊]"), "a.yaml:5:",
     "inspectors[1]：人员姓名不能为空"),
    (("inspectors: [马林, 黄静, 赵磊]\n", ""), "a.yaml:", "inspectors：缺少这一必填项"),
    (("body_type: 县级部门", "body_type: 县政府"), "a.yaml:4:", "unit.body_type：“县政府”无效"),
    (("mode: supervise", "mode: self"), "a.yaml:", "kind: problem 只用于督导检查"),
])
def test_answers_file_errors_of_a_supervision(tmp_path: Path, change: tuple[str, str], where: str,
                                              message: str) -> None:
    text = DEPARTMENT.replace(*change)
    if change[1] == "mode: self":
        text = text.replace("    result: fail\n", "    result: fail\n    kind: problem\n")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    done = run_cli("run", "部门督导", "--answers", "a.yaml", "-o", "r.toml", cwd=tmp_path,
                   env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path / "state")})
    assert done.returncode == 1 and where in done.stderr and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "r.toml").exists()


def test_in_other_modes_a_fail_is_a_hazard_by_default(tmp_path: Path) -> None:
    text = DEPARTMENT.replace("mode: supervise", "mode: self")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    done = run_cli("run", "部门督导", "--answers", "a.yaml", "-o", "r.toml", cwd=tmp_path,
                   env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path / "state")})
    assert done.returncode == 0, done.stderr
    (hazard,) = [r.hazard for r in records.read_record(tmp_path / "r.toml").responses if r.hazard]
    assert (hazard.kind, hazard.level) == ("hazard", "general")
    assert "kind" not in (tmp_path / "r.toml").read_text(encoding="utf-8").split("[responses.hazard]")[1][:200]


def test_run_body_type_option_is_checked(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(DEPARTMENT, encoding="utf-8")
    done = run_cli("run", "部门督导", "--answers", "a.yaml", "--body-type", "县政府", cwd=tmp_path,
                   env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path / "state")})
    assert done.returncode == 2 and "“县政府”不是被督导单位类型" in done.stderr and "县级部门" in done.stderr
    assert done.stderr.count("\n") == 1


def test_when_body_type_is_validated_and_in_the_schema(tmp_path: Path) -> None:
    when = json.loads(json_schema())["$defs"]["Item"]["properties"]["when"]
    properties = next(alt for alt in when["anyOf"] if alt.get("type") == "object")["properties"]
    assert properties["body_type"]["items"]["enum"] == [
        "乡镇人民政府", "街道办事处", "开发区管委会", "县级部门", "村（社区）"]
    assert "body_type" in properties["body_type"]["description"] or "政府机构" in properties["body_type"]["description"]
    assert (Path(__file__).resolve().parent.parent / "docs" / "checklist.schema.json").read_text(
        encoding="utf-8").rstrip("\n") == json_schema().rstrip("\n")
    (tmp_path / "c.yaml").write_text(textwrap.dedent("""\
        id: c
        title: 测试
        version: "1"
        audience: [党委政府]
        summary: 测试。
        sources: [{doc: 测试〔2026〕1号}]
        sections:
          - id: s
            title: 部分
            items:
              - id: i-01
                text: 是否测试？
                standard: 已测试。
                method: [查资料]
                basis: [{doc: 测试〔2026〕1号, clause: "(一)"}]
                when: {body_type: [县政府]}
        """), encoding="utf-8")
    done = run_cli("validate", "c.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert "c.yaml:16:" in done.stdout and "“县政府”不是 body_type 的取值" in done.stdout
