"""Shell completion through Typer's real protocol: the environment a completion script sets, and bash itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from safetycheck.catalog.models import INDUSTRIES


def complete(line: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> list[str]:
    """What bash would offer for ``line`` (the word being typed is the last one; a trailing space starts a new one)."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    result = run_cli(env={"_SAFETYCHECK_COMPLETE": "complete_bash", "COMP_WORDS": line,
                          "COMP_CWORD": str(cword), **(env or {})}, cwd=cwd)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.split()


def test_a_checklist_alias_completes_from_its_first_characters() -> None:
    assert complete("safetycheck run 五到") == ["五到位"]


@pytest.mark.parametrize(("line", "expected"), [
    ("safetycheck re", ["resume", "review", "report", "records"]),
    ("safetycheck va", ["validate"]),
    ("safetycheck templates ", ["export"]),
    ("safetycheck config ", ["init", "show"]),
])
def test_command_names_complete(line: str, expected: list[str]) -> None:
    assert complete(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("safetycheck list --format ", ["table", "json"]),
    ("safetycheck show wudaowei --format ", ["tree", "json"]),
    ("safetycheck validate --format ", ["text", "json", "github", "sarif", "junit"]),
    ("safetycheck validate --format s", ["sarif"]),
    ("safetycheck coverage --format ", ["table", "md", "json"]),
    ("safetycheck report r.toml --format ", ["html", "md", "txt", "json", "docx", "xlsx", "csv"]),
    ("safetycheck form --format ", ["html", "md", "txt", "csv", "docx"]),
    ("safetycheck schema --kind ", ["checklist", "profile", "sources"]),
    ("safetycheck run 五到位 --mode ", ["inspect", "self", "supervise"]),
    ("safetycheck report r.toml --doc rec", ["rectification-order"]),
    ("safetycheck --lang ", ["zh", "en"]),
])
def test_closed_option_values_complete(line: str, expected: list[str]) -> None:
    assert complete(line) == expected


def test_industries_complete_from_the_closed_vocabulary() -> None:
    assert complete("safetycheck run 五到位 --industry ") == list(INDUSTRIES)
    assert complete("safetycheck run 五到位 --industry 危") == ["危险化学品"]


def test_ids_and_aliases_of_checklists_and_profiles_complete(tmp_path: Path) -> None:
    assert complete("safetycheck show wu") == ["wudaowei"]
    assert complete("safetycheck form weihua") == ["weihua", "weihua-qiye"]
    assert "十必查" in complete("safetycheck run 十")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "my-plant.yaml").write_text(textwrap.dedent("""\
        id: my-plant
        title: 本厂季度安全检查
        aliases: [本厂季度检查]
        version: "1.0"
        audience: [企业]
        summary: 测试。
        sections:
          - id: s1
            title: 第一部分
            items:
              - id: a-01
                text: 是否制定全员安全生产责任制？
                standard: 以正式文件印发。
                method: [查资料]
                basis: [{law: 安全生产法, article: 22}]
        """), encoding="utf-8")
    assert complete(f"safetycheck show --checklists {mine} my") == ["my-plant"]
    assert complete("safetycheck run 本厂", env={"SAFETYCHECK_PATH": str(mine)}) == ["本厂季度检查"]
    assert complete("safetycheck run 本厂") == []


def test_options_complete_after_dashes() -> None:
    offered = complete("safetycheck form --")
    assert {"--all", "--no-builtin", "--format", "--checklists"} <= set(offered)


@pytest.fixture
def safetycheck_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has a ``safetycheck`` that runs this checkout, and an empty HOME."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "safetycheck"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m safetycheck "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFETYCHECK_", "_SAFETYCHECK"))}
    env.update(HOME=str(home), PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", PYTHONPATH=str(ROOT),
               NO_COLOR="1", PYTHONIOENCODING="utf-8")
    return env


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_completion_then_bash_completes_a_checklist(safetycheck_on_path: dict[str, str]) -> None:
    env = safetycheck_on_path
    installed = subprocess.run(["bash", "-c", "safetycheck --install-completion"], env=env, capture_output=True,
                               text=True, encoding="utf-8", timeout=60)
    assert installed.returncode == 0, installed.stderr
    script = Path(env["HOME"]) / ".bash_completions" / "safetycheck.sh"
    assert installed.stderr == f"已为 bash 安装命令补全：{script}。重新打开终端后生效。\n"
    assert str(script) in (Path(env["HOME"]) / ".bashrc").read_text(encoding="utf-8")
    # bash reads the installed script and calls its completion function as it would on Tab.
    driven = subprocess.run(["bash", "-c", textwrap.dedent("""\
        source ~/.bash_completions/safetycheck.sh
        COMP_WORDS=(safetycheck run 五到); COMP_CWORD=2
        _safetycheck_completion safetycheck 五到 run
        printf '%s\\n' "${COMPREPLY[@]}"
        COMP_WORDS=(safetycheck validate --format ''); COMP_CWORD=3
        _safetycheck_completion safetycheck '' --format
        printf '%s\\n' "${COMPREPLY[@]}"
        """)], env=env, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert driven.returncode == 0, driven.stderr
    assert driven.stdout.split() == ["五到位", "text", "json", "github", "sarif", "junit"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_show_completion_prints_the_script_and_english_follows_lang(safetycheck_on_path: dict[str, str]) -> None:
    shown = subprocess.run(["bash", "-c", "safetycheck --show-completion"], env=safetycheck_on_path,
                           capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "complete -o default -F _safetycheck_completion safetycheck" in shown.stdout
    assert "_SAFETYCHECK_COMPLETE=complete_bash" in shown.stdout
    english = subprocess.run(["bash", "-c", "safetycheck --lang en --install-completion"], env=safetycheck_on_path,
                             capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert english.returncode == 0
    assert english.stderr.startswith("bash completion installed in ")


def test_completion_options_are_described_in_the_interface_language() -> None:
    zh = run_cli("--help").stdout
    assert "--install-completion  为当前 shell 安装命令补全。" in zh
    assert "Install completion" not in zh
    en = run_cli("--lang", "en", "--help").stdout
    assert "Install completion for the current shell." in en
