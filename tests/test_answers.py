"""Answers files: the error corpus (line + key, nothing written) and records equal to a walk's."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import textwrap
from pathlib import Path

import pytest

from safetycheck.errors import ChecklistError
from safetycheck.inspection import answers, config, recordmodels, records, session
from safetycheck.inspection import walk as inspection
from tests.conftest import run_cli
from tests.test_session import Clock, Script

DATA = Path(__file__).resolve().parent / "data" / "answers"
CHECKLISTS = DATA / "checklists"
CORPUS = sorted(p for p in DATA.iterdir() if p.name.startswith("bad_") and p.suffix in (".yaml", ".toml"))


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in an empty folder, with no user settings."""
    monkeypatch.setenv(config.DIR_ENV, str(tmp_path / "user-config"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def run_answers(source: str, names: tuple[str, ...] = ("alpha", "beta"), **kw: object) -> int:
    from rich.console import Console

    opts = inspection.RunOptions(names=list(names), answers=source, checklist_dirs=[CHECKLISTS], **kw)  # type: ignore[arg-type]
    return inspection.run(opts, Console(file=io.StringIO(), width=80), clock=Clock())


def only_record(folder: Path) -> recordmodels.InspectionRecord:
    files = sorted(folder.glob("*.toml"))
    assert len(files) == 1, files
    return records.read_record(files[0])


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_reports_line_and_key_and_writes_nothing(path: Path, tmp_path: Path) -> None:
    expected = [line.split(" ", 1) for line in (path.parent / (path.name + ".expected")).read_text(
        encoding="utf-8").splitlines() if line.strip()]
    with pytest.raises(ChecklistError) as err:
        run_answers(str(path))
    problems = err.value.problems
    got = [(p.location.line, p.message) for p in problems]
    assert len(problems) == len(expected), got
    for (line, key), problem in zip(expected, problems, strict=True):
        assert problem.location.path == str(path)
        assert problem.location.line == int(line), got
        if key != ".":  # "." marks a syntax error, which names no key
            assert problem.message.startswith(key), got
    assert list(Path.cwd().iterdir()) == []


def test_evidence_paths_are_relative_to_the_answers_file(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "photo.jpg").write_bytes(b"jpeg")
    (folder / "a.yaml").write_text(GOOD_YAML, encoding="utf-8")
    run_answers(str(folder / "a.yaml"), out=Path("r.toml"))
    hazard = next(r.hazard for r in records.read_record(Path("r.toml")).responses if r.item == "a-02")
    assert hazard is not None and hazard.evidence[0].path == str((folder / "photo.jpg").resolve())


def test_corpus_errors_are_printed_with_file_line_and_exit_1(tmp_path: Path) -> None:
    bad = DATA / "bad_many.yaml"
    proc = run_cli("run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", str(bad), cwd=tmp_path,
                   env={config.DIR_ENV: str(tmp_path / "cfg")})
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:7:") and "responses.a-0l" in lines[0] and "是不是" in lines[0]
    assert lines[1].startswith(f"{bad}:8:") and "2025-13-01" in lines[1]
    assert len(lines) == 3
    assert list(tmp_path.glob("*.toml")) == []


GOOD_YAML = """\
mode: inspect
unit:
  name: 测试化工有限公司
  industry: 商贸
  representative: {name: 赵六, post: 厂长}
inspectors:
  - {name: 张三, cert: "1401", org: 某县应急管理局}
  - {name: 李四, cert: "1402", org: 某县应急管理局}
responses:
  a-01: pass
  a-02:
    result: fail
    description: 未配备专职安全管理人员
    level: major
    measure: 配备专职安全管理人员
    deadline: 15
    owner: 王五
    evidence: [photo.jpg]
    note: 现场问询
  alpha/shared-01: {result: na, reason: 新建单位}
  beta/shared-01: fail
"""

GOOD_TOML = """\
mode = "inspect"

[unit]
name = "测试化工有限公司"
industry = ["商贸"]
representative = { name = "赵六", post = "厂长" }

[[inspectors]]
name = "张三"
cert = "1401"
org = "某县应急管理局"

[[inspectors]]
name = "李四"
cert = 1402
org = "某县应急管理局"

[responses]
a-01 = "pass"
"alpha/shared-01" = { result = "na", reason = "新建单位" }
"beta/shared-01" = "fail"

[responses.a-02]
result = "fail"
description = "未配备专职安全管理人员"
level = "major"
measure = "配备专职安全管理人员"
deadline = "15天"
owner = "王五"
evidence = ["photo.jpg"]
note = "现场问询"
"""


def strip_times(record: recordmodels.InspectionRecord) -> list[dict[str, object]]:
    out = []
    for r in record.responses:
        row = session.as_dict(r)
        row.pop("answered_at")
        out.append(row)
    return out


def test_yaml_and_toml_answers_give_the_same_record_as_a_walk() -> None:
    (Path.cwd() / "photo.jpg").write_bytes(b"jpeg")
    (Path.cwd() / "a.yaml").write_text(GOOD_YAML, encoding="utf-8")
    (Path.cwd() / "a.toml").write_text(GOOD_TOML, encoding="utf-8")
    assert run_answers("a.yaml", out=Path("y.toml")) == 0
    assert run_answers("a.toml", out=Path("t.toml")) == 0
    from_yaml = records.read_record(Path("y.toml"))
    from_toml = records.read_record(Path("t.toml"))
    assert from_yaml.status == "complete"
    assert strip_times(from_yaml) == strip_times(from_toml)

    # the same answers, given interactively
    walked = recordmodels.InspectionRecord(mode="inspect", started_at=from_yaml.started_at, unit=from_yaml.unit,
                                     inspectors=from_yaml.inspectors, checklists=from_yaml.checklists)
    walked_script = Script("pass", "note", "现场问询", "fail", "未配备专职安全管理人员", "2", "配备专职安全管理人员",
                           "15", "", "王五", "photo.jpg", "", "na", "新建单位", "fail", "", "", "", "", "", "")
    session.run_inspection(walked, walked_script, session.WalkOptions(clock=Clock(), save=lambda r: None,
                                                                      evidence_base=Path.cwd()))
    for got, want in zip(strip_times(walked), strip_times(from_yaml), strict=True):
        assert got == want
    hazard = next(r.hazard for r in from_yaml.responses if r.item == "a-02")
    assert hazard is not None and hazard.deadline == from_yaml.started_at.date() + dt.timedelta(days=15)
    assert [e.path for e in hazard.evidence] == ["photo.jpg"]
    b01 = next(r for r in from_yaml.responses if r.checklist == "beta" and r.item == "b-01")
    assert (b01.result, b01.same_as) == ("pass", "alpha/a-01")
    a03 = next(r for r in from_yaml.responses if r.item == "a-03")
    assert a03.auto and a03.result == "na"


def test_default_fills_items_not_listed() -> None:
    Path("a.yaml").write_text(textwrap.dedent("""\
        mode: self
        unit: {name: 自查公司}
        inspectors: [{name: 安全员, post: 安全科长}]
        default: na
        responses:
          a-01: pass
    """), encoding="utf-8")
    assert run_answers("a.yaml", out=Path("r.toml")) == 0
    record = records.read_record(Path("r.toml"))
    assert record.mode == "self" and record.inspectors[0].post == "安全科长"
    got = {(r.checklist, r.item): r.result for r in record.responses}
    assert got[("alpha", "a-01")] == "pass" and got[("beta", "b-01")] == "pass"
    assert got[("alpha", "a-03")] == "na"  # no industry: asked, so filled by the default
    assert sum(1 for v in got.values() if v == "na") == 4


def test_options_override_the_file_and_inspectors_come_from_options() -> None:
    Path("a.yaml").write_text("mode: inspect\nunit: {name: 文件中的名称}\ndefault: pass\n", encoding="utf-8")
    run_answers("a.yaml", unit="选项中的名称", inspectors=["张三:1401:某局", "李四:1402"], industry=["化工"],
                out=Path("r.toml"))
    record = records.read_record(Path("r.toml"))
    assert record.unit.name == "选项中的名称" and record.unit.industry == ["化工"]
    assert [(p.name, p.cert, p.org) for p in record.inspectors] == [("张三", "1401", "某局"), ("李四", "1402", None)]


def test_answering_an_item_its_condition_rules_out_records_that_answer() -> None:
    Path("a.yaml").write_text(textwrap.dedent("""\
        mode: inspect
        unit: {name: 某公司, industry: 商贸}
        inspectors: [{name: 张三, cert: "1"}, {name: 李四, cert: "2"}]
        default: pass
        responses:
          a-03: fail
    """), encoding="utf-8")
    run_answers("a.yaml", out=Path("r.toml"))
    a03 = next(r for r in records.read_record(Path("r.toml")).responses if r.item == "a-03")
    assert a03.result == "fail" and not a03.auto


def test_stdin_answers_through_the_cli(tmp_path: Path) -> None:
    proc = run_cli("--lang", "en", "run", "alpha", "--checklists", str(CHECKLISTS), "--answers", "-",
                   "--inspector", "Zhang:1401", cwd=tmp_path, env={config.DIR_ENV: str(tmp_path / "cfg")},
                   input_text='mode = "inspect"\ndefault = "pass"\n[unit]\nname = "Acme"\n')
    assert proc.returncode == 0, proc.stderr
    assert "Administrative Penalty Law" in proc.stderr  # one inspector: the two-person warning
    made = list(tmp_path.glob("*-Acme-01.toml"))
    assert len(made) == 1
    assert "safetycheck report" in proc.stdout and made[0].name in proc.stdout
    assert records.read_record(made[0]).status == "complete"


def test_unreadable_answers_file_is_one_error() -> None:
    with pytest.raises(answers.AnswersError, match="nope.yaml"):
        run_answers("nope.yaml")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
def test_toml_positions_cover_headers_inline_tables_and_arrays() -> None:
    doc = answers.parse_toml(GOOD_TOML.encode("utf-8"), "x.toml")
    assert doc.locate(("responses", "a-02", "deadline"), key=True).line == 28
    assert doc.locate(("responses", "alpha/shared-01", "reason"), key=True).line == 20
    assert doc.locate(("inspectors", 1, "cert"), key=True).line == 15
    assert doc.locate(("unit", "representative", "post"), key=True).line == 6


@pytest.mark.parametrize(("text", "line", "col", "key"), [
    ('[responses]\na-02 = { result = "fail", deadline = 2025-02-30 }\n', 2, 38, "responses.a-02.deadline"),
    ('[responses]\na-02.result = "fail"\na-02.deadline = 2025-02-30\n', 3, 17, "responses.a-02.deadline"),
    ('[[inspectors]]\nname = "a"\n[[inspectors]]\nname = 张三\n', 4, 8, "inspectors[1].name"),
    ('mode = "self"\nunit = { name = "未写完', 2, 21, "unit.name"),
])
def test_toml_syntax_error_names_the_key_it_is_in_in_plain_words(text: str, line: int, col: int, key: str) -> None:
    Path("a.toml").write_text(text, encoding="utf-8")
    with pytest.raises(answers.AnswersError) as err:
        answers.read_answers("a.toml")
    (problem,) = err.value.problems
    assert (problem.location.line, problem.location.column) == (line, col)
    assert problem.message.startswith(f"{key}：TOML 语法错误：")
    explained = problem.message.removeprefix(f"{key}：TOML 语法错误：")
    assert not re.search(r"[a-z]{3,}", explained), problem.message  # tomllib's English is not passed through
