"""Hostile text stays text: control characters and bidi overrides never reach a terminal raw; CSV is defused."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest

from safetycheck.text import csv_cell, json_text, visible
from tests.conftest import DATA, run_cli

# ESC sequences (clear screen, title change), CSI as one C1 code, BEL, backspace, CR, DEL, bidi override
PAYLOAD = "\x1b[2J\x1b]0;pwned\x07\x9b31m\x08\r\x7f\u202egnp.exe"
SHOWN = r"\x1b[2J\x1b]0;pwned\x07\x9b31m\x08\x0d\x7f\u202egnp.exe"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TOML_PAYLOAD = r"\u001b[2J\u001b]0;pwned\u0007\u009b31m\u0008\r\u007f\u202egnp.exe"


def test_visible_writes_out_every_control_character_and_keeps_lines() -> None:
    assert visible(PAYLOAD) == SHOWN
    assert visible("第一行\n\t第二行") == "第一行\n\t第二行"
    assert visible("a\nb\tc", one_line=True) == r"a\nb\tc"
    for bidi in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert visible(bidi) == f"\\u{ord(bidi):04x}"
    assert visible("普通文本 ✓ ⚠️") == "普通文本 ✓ ⚠️"


def test_json_text_escapes_c1_and_bidi_and_keeps_the_value() -> None:
    import json

    text = json_text({"v": PAYLOAD})
    assert not RAW.search(text.replace("\n", ""))
    assert json.loads(text) == {"v": PAYLOAD}


def hostile_record(tmp_path: Path) -> Path:
    source = (DATA / "records" / "self.toml").read_text(encoding="utf-8")
    text = source.replace('name = "晋城市某煤矿机械制造有限公司"', f'name = "某公司{TOML_PAYLOAD}"')
    text = text.replace('description = "演练记录缺少演练评估和改进内容。"', f'description = "缺少{TOML_PAYLOAD}"')
    assert text != source
    path = tmp_path / "r.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["md", "txt", "html", "json"])
def test_report_to_stdout_shows_control_characters_visibly(tmp_path: Path, fmt: str) -> None:
    record = hostile_record(tmp_path)
    proc = run_cli("report", str(record), "--format", fmt, cwd=tmp_path, env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert not RAW.search(proc.stdout.replace("\n", "").replace("\t", ""))
    if fmt != "json":
        assert r"\x1b" in proc.stdout and r"pwned\x07\x9b31m\x08" in proc.stdout and r"\u202egnp" in proc.stdout


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_report_files_hold_no_control_characters(tmp_path: Path, fmt: str) -> None:
    record = hostile_record(tmp_path)
    out = tmp_path / f"doc.{fmt}"
    proc = run_cli("report", str(record), "-o", str(out), cwd=tmp_path, env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    assert not RAW.search(text.replace("\n", "").replace("\t", ""))
    assert r"\x1b" in text and r"pwned\x07" in text


HOSTILE_CHECKLIST = """\
id: evil
title: "恶意清单\\e[2J"
version: "1.0"
audience: [企业]
summary: "摘要\\a\\b"
sources:
  - doc: 测试文件〔2025〕1号
    clauses: ["(一)"]
sections:
  - id: s1
    title: 责任
    items:
      - id: e-01
        text: "是否\\e]0;pwned\\a检查\\u202e？"
        standard: "标准\\x9b31m"
        method: [查资料]
        basis: [{doc: 测试文件〔2025〕1号, clause: "(一)"}]
"""


def test_show_and_list_write_out_control_characters(tmp_path: Path) -> None:
    folder = tmp_path / "cl"
    folder.mkdir()
    (folder / "evil.yaml").write_text(HOSTILE_CHECKLIST, encoding="utf-8")
    for args in (("show", "evil"), ("show", "evil", "--format", "json"), ("list",), ("list", "--format", "json")):
        proc = run_cli(*args, "--checklists", str(folder), cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert not RAW.search(proc.stdout.replace("\n", "")), args
    proc = run_cli("show", "evil", "--checklists", str(folder), cwd=tmp_path)
    assert r"\x1b]0;pwned\x07" in proc.stdout and r"\u202e" in proc.stdout


def test_validate_and_error_messages_write_out_control_characters(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(HOSTILE_CHECKLIST.replace("method: [查资料]", 'method: ["\\e[2J查"]'), encoding="utf-8")
    proc = run_cli("validate", str(bad), cwd=tmp_path)
    assert proc.returncode == 1
    assert r"\x1b[2J查" in proc.stdout and not RAW.search(proc.stdout.replace("\n", ""))
    proc = run_cli("show", "\x1b[2Jnothing", cwd=tmp_path)
    assert proc.returncode == 2 and r"\x1b[2Jnothing" in proc.stderr
    assert not RAW.search(proc.stderr.replace("\n", ""))


def test_config_show_writes_out_control_characters(tmp_path: Path) -> None:
    (tmp_path / "safetycheck.toml").write_text(f'[agency]\nname = "局{TOML_PAYLOAD}"\n', encoding="utf-8")
    proc = run_cli("config", "show", cwd=tmp_path, env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path / "u")})
    assert proc.returncode == 0, proc.stderr
    assert r"\x1b[2J" in proc.stdout and not RAW.search(proc.stdout.replace("\n", ""))


def test_console_writes_out_control_characters_in_markup_and_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    from rich.markup import escape
    from rich.text import Text

    from safetycheck.console import make_console

    console = make_console()
    console.print(f"[bold]{escape(PAYLOAD)}[/bold]")
    console.print(PAYLOAD, markup=False)
    console.rule(escape(PAYLOAD))
    out = capsys.readouterr().out
    assert not RAW.search(out.replace("\n", "")) and out.count(r"\x1b[2J") == 3
    assert isinstance(Text(""), Text)


def test_walk_prompts_write_out_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    from safetycheck.console import make_console
    from safetycheck.inspection.prompter import RichPrompter

    prompter = RichPrompter(make_console())
    prompter.info(PAYLOAD)
    prompter.warn(PAYLOAD)
    out = capsys.readouterr().out
    assert not RAW.search(out.replace("\n", "")) and out.count(SHOWN) == 2


def test_typed_line_near_the_terminal_limit_is_refused_and_asked_again(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from safetycheck.console import make_console
    from safetycheck.inspection.prompter import MAX_TYPED_BYTES, RichPrompter

    assert MAX_TYPED_BYTES < 4095
    long_line = "隐" * (MAX_TYPED_BYTES // 3 + 1)  # three bytes each in UTF-8
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{long_line}\n短一些的描述\n"))
    answer = RichPrompter(make_console()).ask_text("问题描述", None)
    out = capsys.readouterr().out
    assert answer == "短一些的描述"
    assert "4000 字节" in out and "--answers" in out and "备注" in out
    monkeypatch.setattr(sys, "stdin", io.StringIO("隐" * (MAX_TYPED_BYTES // 3 - 1) + "\n"))
    assert len(RichPrompter(make_console()).ask_text("问题描述", None)) == MAX_TYPED_BYTES // 3 - 1


@pytest.mark.parametrize(("value", "cell"), [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+SUM(1,2)", "'+SUM(1,2)"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tHYPERLINK", "'\tHYPERLINK"),
    ("\rHYPERLINK", "'\rHYPERLINK"),
    ("+8613800000000", "'+8613800000000"),
    ("普通文本=1", "普通文本=1"),
    (12, 12),
    (-3, -3),
])
def test_csv_cell_defuses_formulas_and_keeps_numbers(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_csv_form_cells_never_start_a_formula(tmp_path: Path) -> None:
    folder = tmp_path / "cl"
    folder.mkdir()
    payloads = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", "\tx1", "\rx2", "=HYPERLINK(\"http://e\")"]
    items = "".join(f"""
      - id: e-0{i}
        text: {json.dumps(payload)}
        standard: {json.dumps(payload)}
        method: [查资料]
        basis: [{{doc: 测试文件〔2025〕1号, clause: "(一)"}}]
""" for i, payload in enumerate(payloads))
    checklist = HOSTILE_CHECKLIST.split("    items:\n")[0].replace('title: "恶意清单\\e[2J"', "title: '=1+1'")
    (folder / "evil.yaml").write_text(checklist + "    items:" + items, encoding="utf-8")
    out = tmp_path / "form.csv"
    proc = run_cli("form", "evil", "--format", "csv", "-o", str(out), "--checklists", str(folder), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row]
    assert len(rows) == 1 + len(payloads)
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=1+1" in cells and "'=cmd|' /C calc'!A0" in cells
    assert [row[3] for row in rows[1:]] == [str(n) for n in range(1, len(payloads) + 1)]  # numbers stay numbers


@pytest.mark.tty
@pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty")
def test_walk_and_resume_screens_on_a_real_terminal_show_control_characters(tmp_path: Path) -> None:
    from tests.test_tty import answer, at_item, finish, spawn

    folder = tmp_path / "cl"
    folder.mkdir()
    (folder / "evil.yaml").write_text(HOSTILE_CHECKLIST, encoding="utf-8")
    common = ("--checklists", "cl", "--mode", "self", "--address", "a", "--principal", "p", "--phone", "1",
              "--industry", "机械", "--site", "s", "--purpose", "自查", "--inspector", "安全员:1:某公司")
    child = spawn(tmp_path, "run", "evil", "--unit", "某公司\x1b]0;unit\x07", "-o", "r.toml", *common)
    answer(child, "自查人员职务", "安全科长")
    at_item(child, 1, 1)
    child.send("q")
    assert finish(child) == 0
    first = child.logfile_read.text()
    child = spawn(tmp_path, "resume", "r.toml")
    at_item(child, 1, 1)
    child.send("y")
    assert finish(child) == 0
    second = child.logfile_read.text()
    for screen in (first, second):
        assert "\x1b]0;pwned" not in screen and "\u202e" not in screen and "\x9b" not in screen
        assert r"\x1b]0;pwned\x07" in screen and r"\u202e" in screen
    assert "\x1b]0;unit" not in first + second


@pytest.mark.parametrize("fmt", ["md", "txt", "html"])
def test_blank_forms_write_out_control_characters(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "cl"
    folder.mkdir()
    (folder / "evil.yaml").write_text(HOSTILE_CHECKLIST, encoding="utf-8")
    proc = run_cli("form", "evil", "--format", fmt, "--checklists", str(folder), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert not RAW.search(proc.stdout.replace("\n", "").replace("\t", ""))
    assert r"pwned\x07" in proc.stdout and r"\u202e" in proc.stdout


def test_verify_hazards_list_and_show_write_out_control_characters(tmp_path) -> None:
    # A unit name and a file name carrying a terminal title sequence and an escape: written out, never raw.
    text = (DATA / "records" / "v2-inspect.toml").read_text(encoding="utf-8")
    name_line = next(line for line in text.splitlines() if line.startswith("name = "))
    text = text.replace(name_line, 'name = "甲\\u001b]0;pwned\\u0007公司\\u009b2J"', 1)
    record = tmp_path / "r\x1b[31m.toml"
    record.write_text(text, encoding="utf-8")
    for args in (["verify", str(record)], ["verify", str(record), "--format", "json"],
                 ["hazards", "list", str(tmp_path), "--status", "all"],
                 ["hazards", "list", str(tmp_path), "--status", "all", "--format", "json"],
                 ["hazards", "show", str(record), "h1"], ["hazards", "show", str(record), "h1", "--format", "json"]):
        proc = run_cli(*args, cwd=tmp_path)
        assert "Traceback" not in proc.stderr, args
        assert not RAW.search(proc.stdout.replace("\n", "")), (args, proc.stdout[:200])
