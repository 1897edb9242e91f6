"""User templates are bounded: output size, render time, recursion; each ends in one line naming the template."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from safetycheck.documents import report
from safetycheck.documents.report import TemplateError, make_environment, render_template
from tests.conftest import DATA, run_cli


def render(tmp_path: Path, body: str, name: str = "x.md.j2") -> str:
    folder = tmp_path / "t"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(body, encoding="utf-8")
    return render_template(make_environment([folder]), name, {})


@pytest.mark.parametrize(("body", "message"), [
    ("{{ 'a' * 10**10 }}", "t/x.md.j2:1: 模板生成的内容超过 50000000 个字符，已停止。"),
    ("{{ [1, 2] * 10**9 }}", "t/x.md.j2:1: 模板生成的内容超过 50000000 个字符，已停止。"),
    ("{{ 'ab'.ljust(10**10) }}", "t/x.md.j2:1: 模板生成的内容超过 50000000 个字符，已停止。"),
    ("{{ 'ab'|center(10**10) }}", "t/x.md.j2:1: 模板生成的内容超过 50000000 个字符，已停止。"),
    ("{{ 'ab'|wrap(10**10) }}", "t/x.md.j2:1: 模板生成的内容超过 50000000 个字符，已停止。"),
    ("{{ 7 ** 100000000 }}", "t/x.md.j2:1: 模板生成的内容超过 50000000 个字符，已停止。"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}{{ 'x' * 100 }}{% endfor %}{% endfor %}",
     "t/x.md.j2: 模板生成的内容超过 50000000 个字符，已停止。"),
    ("\n{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
     "t/x.md.j2:2: 模板无限递归（宏调用自身，或模板继承、包含自身），已停止。"),
    ('{% extends "x.md.j2" %}', "t/x.md.j2:1: 模板无限递归（宏调用自身，或模板继承、包含自身），已停止。"),
    ('a\n{% include "x.md.j2" %}', "t/x.md.j2:2: 模板无限递归（宏调用自身，或模板继承、包含自身），已停止。"),
])
def test_runaway_template_is_one_line_naming_the_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          body: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    with pytest.raises(TemplateError) as info:
        render(tmp_path, body)
    assert str(info.value) == message
    assert time.monotonic() - started < 20


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has no interval timer; the size limit applies there")
def test_a_loop_that_writes_nothing_is_stopped_by_the_time_limit(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(report, "RENDER_SECONDS", 0.5)
    started = time.monotonic()
    with pytest.raises(TemplateError) as info:
        render(tmp_path, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    assert str(info.value) == "t/x.md.j2:1: 模板渲染超过 0.5 秒，已停止（循环过多？）。"
    assert time.monotonic() - started < 10
    import signal

    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # the timer is cleared after the render


def test_ordinary_user_template_still_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert render(tmp_path, "{{ 'ab' * 3 }} {{ 2 ** 10 }} {{ 'x'|center(9) }} {{ 'ab'.ljust(4) }}|") == \
        "ababab 1024     x ab  |"


def test_runaway_template_through_the_report_command(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "self-audit.md.j2").write_text("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", encoding="utf-8")
    proc = run_cli("report", str(DATA / "records" / "self.toml"), "--templates", "t", cwd=tmp_path,
                   env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path)})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr == ("safetycheck: 错误: t/self-audit.md.j2:1: "
                           "模板无限递归（宏调用自身，或模板继承、包含自身），已停止。\n")
