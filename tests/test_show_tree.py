"""``show``'s tree, drawn by the project's own layout: every item, within the width, colour only on a terminal."""

from __future__ import annotations

import io
import json
import os
import re
import sys

import pytest
from conftest import ROOT, run_cli

from safetycheck.layout import TreeNode, tree_text
from safetycheck.text import display_width

GUIDES = re.compile(r"^[│├└─ |+`-]*")


def _flat(text: str) -> str:
    """The tree's text without guides, line breaks and spaces: what a reader reads."""
    return "".join(GUIDES.sub("", line).replace(" ", "") for line in text.splitlines())


@pytest.mark.parametrize("columns", [40, 60, 100, 160])
def test_every_item_of_a_checklist_is_shown_within_the_width(columns: int) -> None:
    data = json.loads(run_cli("show", "五到位", "--format", "json").stdout)
    result = run_cli("show", "五到位", env={"COLUMNS": str(columns)})
    assert result.returncode == 0, result.stderr
    assert max(display_width(line) for line in result.stdout.splitlines()) <= columns
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    flat = _flat(result.stdout)
    for section in data["sections"]:
        for item in section["items"]:
            assert (item["id"] + item["text"]).replace(" ", "") in flat
            assert item["standard"].replace(" ", "") in flat
    count = sum(len(s["items"]) for s in data["sections"])
    assert result.stdout.endswith(f"1 份清单，{count} 个检查项。\n")


def test_a_tree_draws_guides_and_keeps_a_short_citation_whole() -> None:
    root = TreeNode("根")
    branch = root.add("第一部分", "bold")
    branch.add("方法：查资料  依据：晋政发〔2024〕1号 (四)；《安全生产法》第二十二条")
    root.add("最后")
    text = tree_text(root, 40)
    assert text.splitlines()[:2] == ["根", "├── 第一部分"]
    assert text.splitlines()[-1] == "└── 最后"
    assert "《安全生产法》第二十二条" in text
    assert all(display_width(line) <= 40 for line in text.splitlines())
    assert tree_text(root, 40, unicode=False).splitlines()[1] == "+-- 第一部分"
    painted = tree_text(root, 40, colour=True)
    assert "\x1b[1m第一部分\x1b[0m" in painted
    assert re.sub(r"\x1b\[\d+m", "", painted) == text


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
@pytest.mark.parametrize("no_color", [False, True])
def test_colour_only_on_a_terminal_without_no_color(no_color: bool) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK_") and k != "NO_COLOR"}
    env.update({"PYTHONPATH": str(ROOT), "COLUMNS": "100", "TERM": "xterm"})
    if no_color:
        env["NO_COLOR"] = "1"
    child = pexpect.spawn(sys.executable, ["-m", "safetycheck", "show", "五到位"], env=env, encoding="utf-8",
                          timeout=60, dimensions=(40, 100))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = child.before
    assert "zeren-01" in shown
    assert ("\x1b[36mzeren-01\x1b[0m" in shown) is not no_color
    assert ("\x1b[" in shown) is not no_color


@pytest.mark.parametrize("columns", [60, 100])
def test_the_tree_is_the_one_rich_drew_from_the_same_pre_wrapped_labels(columns: int) -> None:
    from rich.console import Console
    from rich.tree import Tree

    from safetycheck.console import prewrap

    root = TreeNode("企业安全生产“五到位”  wudaowei v1.0  [企业、执法]", marks=(("企业安全生产“五到位”", "bold"),))
    section = root.add("安全责任到位（责任）", "bold")
    item = section.add("zeren-01 是否建立健全全员安全生产责任制，明确各岗位的责任人员、责任范围和考核标准"
                       " ◆可能构成重大隐患", marks=(("zeren-01", "cyan"),))
    item.add("依据：《中华人民共和国安全生产法》第二十二条；晋政发〔2024〕1号(三)；《山西省安全生产条例》第十五条")
    item.add("控制\x1b[2J字符\u202e")
    root.add("最后一项", "dim")

    def rich_tree(node: TreeNode, depth: int) -> Tree:
        tree = Tree(prewrap(node.text.replace("[", r"\["), columns - 4 * depth))
        for child in node.children:
            tree.children.append(rich_tree(child, depth + 1))
        return tree

    buffer = io.StringIO()
    Console(file=buffer, width=columns, color_system=None, highlight=False, soft_wrap=False).print(rich_tree(root, 0))
    expected = "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").split("\n"))
    assert tree_text(root, columns) == expected
    assert r"\x1b[2J" in expected


def test_a_tree_drawn_before_is_read_back_and_a_changed_one_drawn_again(tmp_path) -> None:
    env = {"SAFETYCHECK_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "70"}
    first = run_cli("show", "五到位", env=env)
    kept = list((tmp_path / "cache" / "shown").glob("*.txt"))
    assert first.returncode == 0 and len(kept) == 1
    again = run_cli("show", "五到位", env=env)
    assert again.stdout == first.stdout
    kept[0].write_text("改过的\n", encoding="utf-8")  # read back as kept: the key holds every input
    assert "改过的" in run_cli("show", "五到位", env=env).stdout
    wider = run_cli("show", "五到位", env={**env, "COLUMNS": "100"})
    assert wider.stdout != first.stdout and len(list((tmp_path / "cache" / "shown").glob("*.txt"))) == 2
    fresh = run_cli("show", "五到位", env={**env, "SAFETYCHECK_NO_CACHE": "1"})
    assert fresh.stdout == first.stdout  # drawn without the cache: the same
