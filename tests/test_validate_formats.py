"""validate for CI: SARIF 2.1.0 (against the OASIS schema), JUnit XML (junitparser), --no-builtin, pre-commit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import DATA, ROOT, run_cli

GOOD = """\
id: my-plant
title: 本厂季度安全检查
version: "1.0"
audience: [企业]
summary: 本厂每季度自查用。
sections:
  - id: zeren
    title: 安全责任
    items:
      - id: zeren-01
        text: 是否制定全员安全生产责任制？
        standard: 以正式文件印发的全员安全生产责任制。
        method: [查资料]
        basis:
          - {law: 安全生产法, article: 22}
"""

BAD = GOOD.replace("id: my-plant", "id: my-bad").replace("method: [查资料]", "method: [检查]").replace(
    "article: 22", "article: 9999")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository of one's own checklists: one good file and one with two problems."""
    folder = tmp_path / "repo" / "checklists"
    folder.mkdir(parents=True)
    (folder / "my-plant.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "本厂-bad.yaml").write_text(BAD, encoding="utf-8")
    return folder.parent


def _text_problems(repo: Path) -> list[str]:
    result = run_cli("validate", "checklists", cwd=repo)
    assert result.returncode == 1
    return result.stdout.splitlines()


def test_sarif_is_valid_sarif_2_1_0_with_one_result_per_problem(repo: Path) -> None:
    import jsonschema

    result = run_cli("validate", "checklists", "--format", "sarif", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    log = json.loads(result.stdout)
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "safetycheck"
    lines = _text_problems(repo)
    assert len(run["results"]) == len(lines) == 2
    for sarif_result, line in zip(run["results"], lines, strict=True):
        place = sarif_result["locations"][0]["physicalLocation"]
        path, row, column = line.split(": ")[0].rsplit(":", 2)
        assert place["artifactLocation"]["uri"] == "checklists/%E6%9C%AC%E5%8E%82-bad.yaml"
        assert path == "checklists/本厂-bad.yaml"
        assert (place["region"]["startLine"], place["region"]["startColumn"]) == (int(row), int(column))
        assert sarif_result["message"]["text"] in line and sarif_result["level"] == "error"
        assert run["tool"]["driver"]["rules"][sarif_result["ruleIndex"]]["id"] == sarif_result["ruleId"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"


def test_sarif_without_problems_has_no_results_and_exit_0(repo: Path) -> None:
    import jsonschema

    (repo / "checklists" / "本厂-bad.yaml").unlink()
    result = run_cli("--lang", "en", "validate", "--format", "sarif", "checklists", cwd=repo)
    assert result.returncode == 0, result.stderr
    log = json.loads(result.stdout)
    jsonschema.Draft7Validator(json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))).validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"]["text"] == (
        "The checklist file does not validate.")


def test_junit_is_read_by_junitparser_one_case_per_file(repo: Path) -> None:
    from junitparser import Failure, JUnitXml

    result = run_cli("validate", "checklists", "--format", "junit", cwd=repo)
    assert result.returncode == 1, result.stderr
    report = repo / "report.xml"
    report.write_text(result.stdout, encoding="utf-8")
    xml = JUnitXml.fromfile(str(report))
    suites = list(xml)
    assert len(suites) == 1
    suite = suites[0]
    assert (suite.tests, suite.failures, suite.errors) == (2, 1, 0)
    cases = {case.name: case for case in suite}
    assert set(cases) == {"checklists/my-plant.yaml", "checklists/本厂-bad.yaml"}
    assert cases["checklists/my-plant.yaml"].is_passed
    failures = [r for r in cases["checklists/本厂-bad.yaml"].result if isinstance(r, Failure)]
    assert len(failures) == 1 and failures[0].message == "2 个问题"
    assert failures[0].text.splitlines() == _text_problems(repo)


def test_junit_of_everything_the_catalog_sees_and_of_ones_own_only(repo: Path) -> None:
    from junitparser import JUnitXml

    (repo / "checklists" / "本厂-bad.yaml").unlink()
    builtin_files = len(list((ROOT / "checklists").rglob("*.yaml")))

    def cases(*args: str) -> list[str]:
        result = run_cli("validate", "--format", "junit", *args, cwd=repo)
        assert result.returncode == 0, result.stderr
        (repo / "r.xml").write_text(result.stdout, encoding="utf-8")
        return [case.name for suite in JUnitXml.fromfile(str(repo / "r.xml")) for case in suite]

    assert len(cases()) == builtin_files + 1
    assert cases("--no-builtin") == ["checklists/my-plant.yaml"]


def test_validate_no_builtin_checks_only_ones_own_files(repo: Path, tmp_path: Path) -> None:
    result = run_cli("validate", "--no-builtin", cwd=repo)
    assert result.returncode == 1
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {"checklists/本厂-bad.yaml"}
    (repo / "checklists" / "本厂-bad.yaml").unlink()
    ok = run_cli("validate", "--no-builtin", cwd=repo)
    assert ok.returncode == 0 and ok.stderr == "全部有效：1 个文件。\n"
    everything = run_cli("validate", cwd=repo)
    assert everything.returncode == 0 and everything.stderr != ok.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run_cli("validate", "--no-builtin", cwd=empty)
    assert nothing.returncode == 2 and nothing.stderr.startswith("safetycheck: 错误: --no-builtin：")


def _git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_runs_the_hook_from_this_repository(repo: Path, tmp_path: Path) -> None:
    """The real pre-commit framework clones this repository (as a local git repository) and runs the hook."""
    pre_commit = pytest.importorskip("pre_commit")
    assert pre_commit
    hook_repo = tmp_path / "hook-repo"
    files = _git("ls-files", "--cached", "--others", "--exclude-standard", cwd=ROOT).splitlines()
    for name in files:
        source = ROOT / name
        if source.is_file():
            target = hook_repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    assert (hook_repo / ".pre-commit-hooks.yaml").is_file()
    _git("init", "-q", cwd=hook_repo)
    _git("add", "-A", cwd=hook_repo)
    _git("commit", "-q", "-m", "snapshot", cwd=hook_repo)
    rev = _git("rev-parse", "HEAD", cwd=hook_repo)

    (repo / "checklists" / "本厂-bad.yaml").unlink()
    (repo / ".pre-commit-config.yaml").write_text(textwrap.dedent(f"""\
        repos:
          - repo: {hook_repo.as_uri()}
            rev: {rev}
            hooks:
              - id: safetycheck-validate
        """), encoding="utf-8")
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK_")}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), NO_COLOR="1", PYTHONIOENCODING="utf-8",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")

    def pre_commit_run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                              cwd=repo, env=env, capture_output=True, text=True, encoding="utf-8", timeout=900)

    passed = pre_commit_run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "safetycheck validate" in passed.stdout and "Passed" in passed.stdout

    (repo / "checklists" / "本厂-bad.yaml").write_text(BAD, encoding="utf-8")
    _git("add", "-A", cwd=repo)
    failed = pre_commit_run()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    for line in _text_problems(repo):
        assert line in failed.stdout, failed.stdout
    assert ".pre-commit-config.yaml" not in failed.stdout
