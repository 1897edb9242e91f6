"""Bounded work on any input: regular files only, size limits, nesting limits, symbolic-link loops."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from safetycheck.catalog.tomlsource import TomlLoadError, parse_toml
from safetycheck.catalog.yamlsource import MAX_DEPTH, YamlLoadError, parse_yaml
from safetycheck.inputfiles import InputFileError, read_input
from tests.conftest import DATA, run_cli

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero are POSIX")


@posix_only
@pytest.mark.parametrize("args", [
    ("validate", "{path}"),
    ("report", "{path}"),
    ("run", "wudaowei", "--answers", "{path}"),
])
def test_a_fifo_is_refused_at_once_and_named_as_one(tmp_path: Path, args: tuple[str, ...]) -> None:
    fifo = tmp_path / "in.yaml"
    os.mkfifo(fifo)
    proc = run_cli(*(a.format(path=fifo) for a in args), cwd=tmp_path, timeout=20,
                   env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path)})
    assert proc.returncode in (1, 2) and "Traceback" not in proc.stderr
    assert "命名管道（FIFO）" in proc.stdout + proc.stderr


@posix_only
@pytest.mark.parametrize("command", ["validate", "report"])
def test_dev_zero_is_refused_as_a_device(tmp_path: Path, command: str) -> None:
    proc = run_cli(command, "/dev/zero", cwd=tmp_path, timeout=20, env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path)})
    assert proc.returncode == 1 and "设备文件" in proc.stdout + proc.stderr


def test_read_input_refuses_a_folder_a_large_file_and_a_missing_one(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="文件夹"):
        read_input(tmp_path, 100)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a" * 101)
    with pytest.raises(InputFileError, match="上限"):
        read_input(big, 100)
    with pytest.raises(InputFileError, match="不存在"):
        read_input(tmp_path / "none.yaml", 100)
    assert read_input(big, 101) == b"a" * 101


@posix_only
def test_settings_file_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "safetycheck.toml")
    proc = run_cli("config", "show", cwd=tmp_path, timeout=20, env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path / "u")})
    assert proc.returncode == 1 and "命名管道" in proc.stderr


DEEP_YAML = {
    "flow": "a: " + "[" * 600 + "]" * 600,
    "block": "".join("  " * i + "k:\n" for i in range(600)) + "  " * 600 + "v\n",
    "dashes": "- " * 600 + "x\n",
}


@pytest.mark.parametrize("case", sorted(DEEP_YAML))
def test_deep_yaml_is_refused_with_a_location(case: str) -> None:
    with pytest.raises(YamlLoadError) as info:
        parse_yaml(DEEP_YAML[case].encode(), "deep.yaml")
    problem = info.value.problem
    assert problem.location.line >= 1 and problem.location.column > 1
    assert problem.message == f"嵌套超过 {MAX_DEPTH} 层，拒绝读取。"


DEEP_TOML = {
    "array": ("a = " + "[" * 600 + "]" * 600, (1, 105)),
    "inline": ("x = 1\na = " + "{b = " * 600 + "1" + "}" * 600, (2, 505)),
    "dotted": ("[" + ".".join(["k"] * 600) + "]\nx = 1\n", (1, 1)),
}


@pytest.mark.parametrize("case", sorted(DEEP_TOML))
def test_deep_toml_is_refused_with_a_location(case: str) -> None:
    text, (line, col) = DEEP_TOML[case]
    with pytest.raises(TomlLoadError) as info:
        parse_toml(text.encode(), "deep.toml")
    loc = info.value.problem.location
    assert (loc.line, loc.column) == (line, col)
    assert info.value.problem.message == f"嵌套超过 {MAX_DEPTH} 层，拒绝读取。"


def test_brackets_inside_toml_strings_and_comments_do_not_count() -> None:
    text = 's = "' + "[" * 300 + '"\nt = \'' + "{" * 300 + "'\n# " + "[" * 300 + '\nm = """\n' + "[" * 300 + '\n"""\n'
    assert parse_toml(text.encode(), "ok.toml").data["t"] == "{" * 300


def test_deep_record_is_a_located_error_not_a_recursion_error(tmp_path: Path) -> None:
    record = tmp_path / "r.toml"
    source = (DATA / "records" / "self.toml").read_text(encoding="utf-8")
    record.write_text(source.replace("notes = []", "notes = " + "[" * 700 + "]" * 700), encoding="utf-8")
    proc = run_cli("report", str(record), cwd=tmp_path, env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path)})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"r.toml:10:{9 + MAX_DEPTH}: 错误: 嵌套超过 {MAX_DEPTH} 层" in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symlink_loops_in_a_checklist_folder_are_skipped_and_reported(tmp_path: Path) -> None:
    folder = tmp_path / "cl"
    (folder / "profiles").mkdir(parents=True)
    (folder / "loop.yaml").symlink_to("loop.yaml")
    (folder / "profiles" / "p.yaml").symlink_to("q.yaml")
    (folder / "profiles" / "q.yaml").symlink_to("p.yaml")
    (folder / "alpha.yaml").write_bytes((DATA / "answers" / "checklists" / "alpha.yaml").read_bytes())
    (tmp_path / "self").symlink_to("self")
    proc = run_cli("list", "--checklists", str(folder), "--checklists", str(tmp_path / "self"), cwd=tmp_path)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr and "alpha" in proc.stdout
    proc = run_cli("validate", "--checklists", "cl", "--checklists", "self", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    looped = sorted(line for line in proc.stdout.splitlines() if "符号链接形成循环" in line)
    assert looped == [f"{p}: 错误: 符号链接形成循环，已跳过。" for p in
                      ("cl/loop.yaml", "cl/profiles/p.yaml", "cl/profiles/q.yaml", "self")]
    proc = run_cli("validate", "cl/loop.yaml", cwd=tmp_path)
    assert proc.returncode == 1 and "cl/loop.yaml: 错误: 符号链接形成循环，指不到任何文件。" in proc.stdout


@posix_only
def test_a_template_that_is_a_fifo_is_refused_naming_it(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    os.mkfifo(tmp_path / "t" / "self-audit.md.j2")
    proc = run_cli("report", str(DATA / "records" / "self.toml"), "--templates", "t", cwd=tmp_path, timeout=20,
                   env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path)})
    assert proc.returncode == 1
    assert proc.stderr == ("safetycheck: 错误: t/self-audit.md.j2: "
                           "这是命名管道（FIFO），不是普通文件；只读取普通文件。\n")
