"""The real program on a pseudo-terminal: the walk, kills, Ctrl-C, hang-up, resume, LANG=C, 60 columns."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from safetycheck.inspection import recordmodels, records, session
from tests.conftest import run_cli

pexpect = pytest.importorskip("pexpect") if sys.platform != "win32" else None
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty")

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 20

CHECKLIST_ZH = """\
id: tty
title: 终端测试清单
version: "1.0"
audience: [企业]
summary: 终端测试用。
sources:
  - doc: 测试文件〔2025〕1号
    clauses: ["(一)"]
sections:
  - id: s1
    title: 责任
    items:
      - id: t-01
        text: 是否建立全员安全生产责任制？
        standard: 有书面的全员安全生产责任制。
        method: [查资料]
        basis: [{doc: 测试文件〔2025〕1号, clause: "(一)"}]
        hint: 制定并印发全员安全生产责任制。
      - id: t-02
        text: 是否配备专职安全管理人员？
        standard: 按规定配备专职安全生产管理人员。
        method: [查资料, 问询]
        basis: [{doc: 测试文件〔2025〕1号, clause: "(一)"}]
  - id: s2
    title: 现场
    items:
      - id: t-03
        text: 是否开展应急演练？
        standard: 每年至少组织一次应急演练。
        method: [看现场]
        basis: [{doc: 测试文件〔2025〕1号, clause: "(一)"}]
      - id: t-04
        text: 化工装置是否完成反应风险评估？
        standard: 已完成反应安全风险评估。
        method: [查资料]
        basis: [{doc: 测试文件〔2025〕1号, clause: "(一)"}]
        when: {industry: [化工]}
      - id: t-05
        text: 安全出口是否畅通？
        standard: 安全出口、疏散通道畅通，无占用、堵塞。
        method: [看现场]
        basis: [{doc: 测试文件〔2025〕1号, clause: "(一)"}]
"""

CHECKLIST_EN = """\
id: ttyen
title: Terminal test list
version: "1.0"
audience: [企业]
summary: For the terminal tests.
sources:
  - doc: TEST-2025-1
    clauses: ["1"]
sections:
  - id: s1
    title: Duties
    items:
      - id: e-01
        text: Is there a written safety responsibility system for every post in the whole company?
        standard: A written responsibility system covers every post, from the principal to the front-line worker.
        method: [查资料]
        basis: [{doc: TEST-2025-1, clause: "1"}]
        hint: Write and issue the responsibility system.
      - id: e-02
        text: Are the emergency exits clear?
        standard: Exits and escape routes are clear.
        method: [看现场]
        basis: [{doc: TEST-2025-1, clause: "1"}]
"""

# answered items per run; t-04 is ruled out by its `when` for a 商贸 unit
ASKED = ["t-01", "t-02", "t-03", "t-05"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "cl").mkdir()
    (tmp_path / "cl" / "tty.yaml").write_text(CHECKLIST_ZH, encoding="utf-8")
    (tmp_path / "cl" / "ttyen.yaml").write_text(CHECKLIST_EN, encoding="utf-8")
    return tmp_path


def env_for(work: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFETYCHECK_", "LC_", "LANG"))}
    env.update({"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "TERM": "xterm", "LANG": "C.UTF-8",
                "SAFETYCHECK_CONFIG_DIR": str(work / "cfg")})
    env.update(extra)
    return env


def spawn(work: Path, *args: str, cols: int = 100, **extra: str) -> Any:
    child = pexpect.spawn(sys.executable, ["-m", "safetycheck", *args], cwd=str(work), env=env_for(work, **extra),
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(40, cols))
    child.logfile_read = _Log()
    return child


class _Log:
    """Keeps the transcript (for assertions and for failure messages)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, data: str) -> None:
        self.parts.append(data)

    def flush(self) -> None:
        pass

    def text(self) -> str:
        return ANSI.sub("", "".join(self.parts))


def start_run(work: Path, *more: str, cols: int = 100, lang: str = "zh", checklist: str = "tty",
              witness_answer: str | None = None, **extra: str) -> Any:
    """``run`` with the unit given by options; answer the representative and witness questions.

    ``witness_answer`` is sent as it is (no Enter added), to type ahead of the first item.
    """
    args = ["--lang", lang, "run", checklist, "--checklists", "cl", "--mode", "inspect", "--unit", "测试公司",
            "--address", "某路1号", "--principal", "钱总", "--phone", "0351", "--industry", "商贸", "--site", "车间",
            "--purpose", "日常检查", "--inspector", "张三:1401:某局", "--inspector", "李四:1402:某局", "-o", "r.toml",
            *more]
    child = spawn(work, *args, cols=cols, **extra)
    answer(child, "现场负责人姓名" if lang == "zh" else "representative: name", "赵六")
    answer(child, "现场负责人职务" if lang == "zh" else "representative: post", "")
    answer(child, "现场负责人电话" if lang == "zh" else "representative: phone", "")
    if witness_answer is None:
        answer(child, "见证人" if lang == "zh" else "Witness", "")
    else:
        child.expect_exact("见证人")
        child.expect_exact("：")
        child.send(witness_answer)
    return child


def answer(child: Any, question: str, line: str) -> None:
    """Answer a line question; Chinese prompts end with a full-width colon, English ones with ': '."""
    child.expect_exact(question)
    child.expect_exact("：" if re.search(r"[\u4e00-\u9fff]", question) else ": ")
    child.sendline(line)


def at_item(child: Any, k: int, n: int) -> None:
    """Wait for item k of n, and for its key prompt."""
    child.expect_exact(f"[{k}/{n}]")
    child.expect_exact("> ")


def key(child: Any, ch: str) -> None:
    child.send(ch)


def finish(child: Any) -> int:
    child.expect(pexpect.EOF)
    child.close()
    if child.signalstatus is not None:
        return -int(child.signalstatus)
    return int(child.exitstatus)


def answered(path: Path) -> dict[str, tuple[str, str]]:
    """item -> (result, answered_at) of the record's non-automatic answers; fails on a duplicate."""
    record = records.read_record(path)
    seen: dict[str, tuple[str, str]] = {}
    for r in record.responses:
        assert r.item not in seen, f"{r.item} recorded twice"
        seen[r.item] = (r.result, r.answered_at.isoformat())
    return {k: v for k, v in seen.items() if not next(x for x in record.responses if x.item == k).auto}


@pytest.mark.tty
def test_whole_walk_with_every_key_back_and_change(work: Path) -> None:
    (work / "photo.txt").write_text("evidence", encoding="utf-8")
    child = start_run(work)
    at_item(child, 1, 4)
    key(child, "\r")  # Enter alone does nothing
    key(child, "?")
    child.expect_exact("q       保存并退出")
    child.expect_exact("整改措施：制定并印发全员安全生产责任制。")
    child.expect_exact("> ")
    key(child, "y")
    at_item(child, 2, 4)
    key(child, "n")
    answer(child, "问题描述", "")
    answer(child, "隐患等级", "2")
    child.expect_exact("确定将本项定为重大事故隐患吗")
    key(child, "y")
    answer(child, "整改措施", "配齐专职安全管理人员")
    answer(child, "整改期限", "")
    child.expect_exact("重大事故隐患必须填写整改期限")
    answer(child, "整改期限", "2025-02-30")
    child.expect_exact("不是真实存在的日期")
    answer(child, "整改期限", "7")
    answer(child, "现场处理措施", "")
    answer(child, "整改责任人", "王五")
    answer(child, "证据文件", "photo.txt")
    answer(child, "证据文件", "")
    at_item(child, 3, 4)
    key(child, "m")
    answer(child, "备注", "演练记录在档案室")
    at_item(child, 3, 4)
    key(child, "3")
    answer(child, "不适用的理由", "")
    at_item(child, 4, 4)
    key(child, "b")  # back to 3 and change 不适用 into 符合
    at_item(child, 3, 4)
    key(child, "1")
    at_item(child, 4, 4)
    key(child, "j")
    answer(child, "跳到第几项", "t-02")
    at_item(child, 2, 4)
    key(child, "2")  # fail again, now a general hazard; Enter keeps what was typed before
    answer(child, "问题描述", "")
    answer(child, "隐患等级", "1")
    for question in ("整改措施", "整改期限", "整改责任人", "证据文件"):
        answer(child, question, "")
    at_item(child, 4, 4)
    key(child, "s")
    answer(child, "不适用的理由", "出口改造中")
    child.expect_exact("检查小结")
    child.expect_exact("safetycheck report r.toml")
    assert finish(child) == 0
    record = records.read_record(work / "r.toml")
    assert record.status == "complete" and record.finished_at is not None
    assert record.seal and [e.kind for e in record.events] == ["completed"]  # sealed by the walk
    got = {r.item: r for r in record.responses}
    assert sorted(got) == ["t-01", "t-02", "t-03", "t-04", "t-05"] and len(record.responses) == 5
    assert (got["t-01"].result, got["t-03"].result, got["t-05"].result) == ("pass", "pass", "na")
    assert got["t-03"].note == "演练记录在档案室"
    assert got["t-04"].auto and got["t-04"].result == "na"
    assert got["t-05"].reason == "出口改造中"
    hazard = got["t-02"].hazard
    assert hazard is not None and hazard.level == "general" and [e.path for e in hazard.evidence] == ["photo.txt"]
    assert hazard.measure == "配齐专职安全管理人员" and "按规定配备" in hazard.description and hazard.owner == "王五"
    assert (hazard.deadline - record.started_at.date()).days == 7  # type: ignore[operator]
    assert [p.name for p in work.iterdir() if p.name.startswith(".")] == []  # no lock or temp left


@pytest.mark.tty
def test_enters_typed_ahead_leave_each_prompt_on_its_own_line(work: Path) -> None:
    child = spawn(work, "run", "tty", "--checklists", "cl", "--mode", "self", "--unit", "测试公司", "-o", "r.toml")
    child.expect_exact("地址：")
    child.send("\r\r\r")  # three quick Enters: address, principal and phone, all skipped
    child.expect_exact("行业（编号或名称")
    child.sendintr()
    assert finish(child) == 130
    lines = child.logfile_read.text().splitlines()
    principal = next(ln for ln in lines if "法定代表人/主要负责人" in ln)
    assert "联系电话" not in principal, principal
    assert any(ln.startswith("联系电话：") for ln in lines), lines


@pytest.mark.tty
def test_a_key_typed_ahead_does_not_answer_the_first_item(work: Path) -> None:
    child = start_run(work, witness_answer="\ry")  # Enter for the witness, then a stray y before the item shows
    at_item(child, 1, 4)
    key(child, "s")
    answer(child, "不适用的理由", "")
    at_item(child, 2, 4)
    key(child, "q")
    assert finish(child) == 0
    assert {k: v[0] for k, v in answered(work / "r.toml").items()} == {"t-01": "na"}


@pytest.mark.tty
@pytest.mark.parametrize("where", ["item-screen", "sub-prompt", "inside-save"])
def test_sigkill_then_resume_loses_and_duplicates_nothing(work: Path, where: str) -> None:
    crash = {"SAFETYCHECK_TEST_CRASH_BEFORE_RENAME": "3"} if where == "inside-save" else {}
    child = start_run(work, **crash)
    at_item(child, 1, 4)
    key(child, "y")
    at_item(child, 2, 4)
    key(child, "s")
    answer(child, "不适用的理由", "")
    at_item(child, 3, 4)
    before = answered(work / "r.toml")
    assert {k: v[0] for k, v in before.items()} == {"t-01": "pass", "t-02": "na"}
    if where == "item-screen":
        child.kill(signal.SIGKILL)
        expected = dict(before)
    elif where == "sub-prompt":
        key(child, "n")
        answer(child, "问题描述", "写了一半")
        child.expect_exact("隐患等级")
        child.kill(signal.SIGKILL)
        expected = dict(before)
    else:  # the record is created as the walk starts; saves 1 and 2 hold t-01 and t-02; save 3 (t-03) dies
        key(child, "y")
        expected = dict(before)
    assert finish(child) == -signal.SIGKILL
    assert "y → 符合" not in child.before  # the answer whose save was cut short was never acknowledged
    assert answered(work / "r.toml") == expected  # parses whole; nothing lost
    child = spawn(work, "resume", "r.toml")
    if where == "inside-save":  # its complete, fsynced temporary copy holds t-03: recovered, not deleted
        child.expect_exact("已从临时文件")
        child.expect_exact("恢复 1 条")
        at_item(child, 4, 4)
        key(child, "b")
    at_item(child, 3, 4)  # the first unanswered item (or, recovered, the one before it)
    key(child, "b")
    at_item(child, 2, 4)
    key(child, "j")
    answer(child, "跳到第几项", "3")
    at_item(child, 3, 4)
    key(child, "y")
    at_item(child, 4, 4)
    key(child, "y")
    child.expect_exact("检查小结")
    assert finish(child) == 0
    after = answered(work / "r.toml")
    assert sorted(after) == ASKED
    for item, (result, when) in before.items():
        assert after[item] == (result, when)  # earlier answers untouched
    assert records.read_record(work / "r.toml").status == "complete"
    assert not records.stale_temps(work / "r.toml")


@pytest.mark.tty
def test_ctrl_c_exits_130_with_the_record_saved(work: Path) -> None:
    child = start_run(work)
    at_item(child, 1, 4)
    key(child, "y")
    at_item(child, 2, 4)
    child.sendintr()
    child.expect_exact("safetycheck resume r.toml")
    assert finish(child) == 130
    assert {k: v[0] for k, v in answered(work / "r.toml").items()} == {"t-01": "pass"}
    text = child.logfile_read.text()
    assert "检查已中断，已答项目都已保存在 r.toml。" in text and "错误" not in text  # a notice, not an error


@pytest.mark.tty
def test_ctrl_c_inside_a_sub_prompt_exits_130(work: Path) -> None:
    child = start_run(work)
    at_item(child, 1, 4)
    key(child, "n")
    answer(child, "问题描述", "")
    child.expect_exact("隐患等级")
    child.sendintr()
    child.expect_exact("safetycheck resume r.toml")
    assert finish(child) == 130
    assert answered(work / "r.toml") == {}


@pytest.mark.tty
def test_closed_terminal_exits_130_with_the_record_saved(work: Path) -> None:
    child = start_run(work)
    at_item(child, 1, 4)
    key(child, "1")
    at_item(child, 2, 4)
    child.kill(signal.SIGHUP)
    assert finish(child) == 130
    assert {k: v[0] for k, v in answered(work / "r.toml").items()} == {"t-01": "pass"}
    assert not (work / ".r.toml.lock").exists()


@pytest.mark.tty
def test_quit_then_resume_after_the_checklist_file_is_deleted(work: Path) -> None:
    child = start_run(work)
    at_item(child, 1, 4)
    key(child, "y")
    at_item(child, 2, 4)
    key(child, "q")
    child.expect_exact("safetycheck resume r.toml")
    assert finish(child) == 0
    assert records.read_record(work / "r.toml").status == "in-progress"
    shutil.rmtree(work / "cl")
    child = spawn(work, "resume", "r.toml")
    at_item(child, 2, 4)
    key(child, "y")
    at_item(child, 3, 4)
    key(child, "y")
    at_item(child, 4, 4)
    key(child, "y")
    child.expect_exact("检查小结")
    assert "是否配备专职安全管理人员" in child.logfile_read.text()  # the text came from the snapshot
    assert finish(child) == 0
    assert sorted(answered(work / "r.toml")) == ASKED
    refused = run_cli("resume", "r.toml", cwd=work)
    assert refused.returncode == 1 and "--reopen" in refused.stderr
    child = spawn(work, "resume", "r.toml", "--reopen")
    child.expect_exact("[1/4]")
    child.expect_exact("当前答案：符合")
    child.expect_exact("> ")
    key(child, "n")
    for question in ("问题描述", "隐患等级", "整改措施", "整改期限", "整改责任人", "证据文件"):
        answer(child, question, "")
    child.expect_exact("检查小结")
    assert finish(child) == 0
    assert answered(work / "r.toml")["t-01"][0] == "fail"
    record = records.read_record(work / "r.toml")
    assert [e.kind for e in record.events] == ["completed", "reopened", "amended"]  # the old pass kept whole
    assert record.events[-1].detail["old"]["result"] == "pass" and record.events[-1].hazard == "h1"
    assert run_cli("verify", "r.toml", cwd=work).returncode == 0


@pytest.mark.tty
def test_a_second_process_cannot_edit_the_same_record(work: Path) -> None:
    child = start_run(work)
    at_item(child, 1, 4)
    other = spawn(work, "resume", "r.toml")
    other.expect_exact("另一个进程")
    assert finish(other) == 1
    key(child, "q")
    assert finish(child) == 0


@pytest.mark.tty
def test_lang_c_locale_walks_and_records_chinese(work: Path) -> None:
    child = start_run(work, LANG="C", LC_ALL="C")
    at_item(child, 1, 4)
    key(child, "m")
    answer(child, "备注", "中文备注：消防通道")
    at_item(child, 1, 4)
    key(child, "y")
    at_item(child, 2, 4)
    key(child, "q")
    assert finish(child) == 0
    record = records.read_record(work / "r.toml")
    assert record.responses[0].note == "中文备注：消防通道"


@pytest.mark.tty
def test_sixty_columns_in_english_shows_no_chinese_but_the_data(work: Path) -> None:
    child = start_run(work, cols=60, lang="en", checklist="ttyen")
    at_item(child, 1, 2)
    key(child, "?")
    child.expect_exact("Keys")
    child.expect_exact("> ")
    key(child, "n")
    for question in ("Finding", "Hazard level", "Rectification measure", "Deadline", "Owner", "Evidence file"):
        answer(child, question, "")
    at_item(child, 2, 2)
    key(child, "y")
    child.expect_exact("Summary")
    assert finish(child) == 0
    text = child.logfile_read.text()
    own_data = {"测试公司", "某路1号", "钱总", "商贸", "车间", "日常检查", "张三", "李四", "某局", "赵六"}
    for word in own_data:
        text = text.replace(word, "")
    assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", text), text
    rules = [ln for ln in text.splitlines() if ln.startswith("[")]
    assert rules and all(len(ln.rstrip()) <= 60 for ln in rules)
    assert "safetycheck report r.toml" in text


@pytest.mark.tty
@pytest.mark.parametrize(("lang", "prompt"), [("zh", "检查类型：1 执法检查 / 2 企业自查 / 3 督导检查："),
                                              ("en", "Kind: 1 inspection / 2 self-audit / 3 supervision: ")])
def test_line_prompts_end_with_the_colon_of_their_language(work: Path, lang: str, prompt: str) -> None:
    child = spawn(work, "--lang", lang, "run", "tty", "--checklists", "cl", "-o", "r.toml")
    child.expect_exact(prompt)
    child.sendintr()
    assert finish(child) == 130
    text = child.logfile_read.text()
    assert ("没有创建检查记录" if lang == "zh" else "no record was created") in text
    assert "错误" not in text and "error" not in text.lower()
    assert sorted(p.name for p in work.iterdir()) == ["cl"]


@pytest.mark.tty
@pytest.mark.parametrize(("out", "expect"), [("r.toml", "r.toml 已存在，不会覆盖"),
                                             ("nofolder/r.toml", "文件夹 nofolder 不存在")])
def test_run_refuses_a_record_file_it_cannot_create_before_asking_anything(work: Path, out: str, expect: str) -> None:
    (work / "r.toml").write_text("precious", encoding="utf-8")
    child = spawn(work, "run", "tty", "--checklists", "cl", "--mode", "self", "--unit", "某公司", "-o", out)
    assert finish(child) == 1
    text = child.logfile_read.text()
    assert expect in text and "地址" not in text and "自查人员" not in text
    assert (work / "r.toml").read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in work.iterdir()) == ["cl", "r.toml"]


def screen(item: recordmodels.SnapshotItem, lang: str = "zh") -> str:
    """The item screen as the terminal prompter prints it (no terminal needed to draw it)."""
    from rich.console import Console

    from safetycheck.inspection.prompter import RichPrompter
    from safetycheck.messages import set_lang

    set_lang(lang)
    out = io.StringIO()
    RichPrompter(Console(file=out, width=100, color_system=None))._item_screen(
        item, session.Progress(3, 9, "五到位", "安全培训到位"))
    return out.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_item_screen_flags_a_possible_major_hazard_and_an_unverified_basis(lang: str) -> None:
    item = recordmodels.SnapshotItem(id="peixun-03", text="是否开展全员培训？", standard="有培训记录。",
                                     section="peixun",
                               major_possible=True, verified=False)
    title = next(ln for ln in screen(item, lang).splitlines() if "peixun-03" in ln)
    flags = ("◆可能构成重大事故隐患", "【未核实】") if lang == "zh" else ("* can be a major hazard", "[unverified]")
    assert title.index(flags[0]) < title.index(flags[1])
    plain = recordmodels.SnapshotItem(id="peixun-01", text="甲", standard="乙", section="peixun")
    assert not any(flag in screen(plain, lang) for flag in flags)


def test_run_without_a_terminal_exits_2_at_once_naming_answers(tmp_path: Path) -> None:
    started = time.monotonic()
    proc = run_cli("run", "wudaowei", cwd=tmp_path, input_text="", env={"SAFETYCHECK_CONFIG_DIR": str(tmp_path)})
    assert proc.returncode == 2 and "--answers" in proc.stderr
    assert time.monotonic() - started < 15
    assert list(tmp_path.iterdir()) == []


def test_resume_refuses_a_file_that_is_not_a_record_and_leaves_it(tmp_path: Path) -> None:
    target = tmp_path / "notes.toml"
    target.write_bytes(b'title = "not a record"\n')
    proc = run_cli("resume", str(target), cwd=tmp_path)
    assert proc.returncode == 1 and "safetycheck" in proc.stderr and "Traceback" not in proc.stderr
    assert target.read_bytes() == b'title = "not a record"\n'
    assert [p.name for p in tmp_path.iterdir()] == ["notes.toml"]


@pytest.mark.tty
def test_builtin_checklist_smoke(tmp_path: Path) -> None:
    """The built-in 五到位 checklist starts, shows its first item, and quits cleanly."""
    child = pexpect.spawn(sys.executable, ["-m", "safetycheck", "run", "wudaowei", "--mode", "self", "--unit", "某公司",
                                           "--address", "a", "--principal", "p", "--phone", "1", "--industry", "机械",
                                           "--site", "s", "--purpose", "自查", "--inspector", "安全员"],
                          cwd=str(tmp_path), env=env_for(tmp_path), encoding="utf-8", timeout=TIMEOUT,
                          dimensions=(40, 100))
    answer(child, "自查人员职务", "安全科长")
    child.expect(r"\[1/\d+\]")
    child.expect_exact("> ")
    child.send("q")
    child.expect_exact("safetycheck resume")
    assert finish(child) == 0
    made = list(tmp_path.glob("*-某公司-01.toml"))
    assert len(made) == 1
    record = records.read_record(made[0])
    assert record.checklists[0].id == "wudaowei" and record.inspectors[0].post == "安全科长"


def kill_checklist(count: int = 30) -> str:
    items = "".join(f"""\
      - id: k-{n:02d}
        text: 第 {n} 项是否符合要求？
        standard: 第 {n} 项的标准。
        method: [看现场]
        basis: [{{doc: 测试文件〔2025〕1号, clause: "(一)"}}]
""" for n in range(1, count + 1))
    return f"""\
id: kill
title: 随机中断测试
version: "1.0"
audience: [企业]
summary: 随机中断测试用。
sources:
  - doc: 测试文件〔2025〕1号
    clauses: ["(一)"]
sections:
  - id: all
    title: 全部
    items:
{items}"""


ACK = {"pass": "y → 符合", "fail": "已保存：不符合", "na": "已保存：不适用"}


def _next_item(child: Any) -> str | None:
    """The id of the item now asked, or None when the walk ended with its summary."""
    if child.expect([r"\[\d+/\d+\]", "检查小结"]) == 1:
        return None
    child.expect(r"k-\d\d")
    item = str(child.after)
    child.expect_exact("> ")
    return item


def _give(child: Any, result: str) -> None:
    """Answer the item on screen; the last key or Enter is sent without waiting for anything after it."""
    child.send({"pass": "y", "fail": "n", "na": "s"}[result])
    questions = {"pass": (), "fail": ("问题描述", "隐患等级", "整改措施", "整改期限", "整改责任人", "证据文件"),
                 "na": ("不适用的理由",)}[result]
    for question in questions:
        answer(child, question, "")


@pytest.mark.tty
def test_random_sigkills_lose_no_acknowledged_answer(work: Path) -> None:
    """Forty SIGKILLs at random moments, most of them 0-3 ms after a key; every answer shown as saved is saved."""
    import random

    (work / "cl" / "kill.yaml").write_text(kill_checklist(), encoding="utf-8")
    rng = random.Random(20261204)
    acknowledged: dict[tuple[str, str], str] = {}
    started = time.monotonic()
    current: Path | None = None
    made = kills = 0
    while kills < 40:
        fresh = current is None or records.read_record(current).status == "complete"
        if fresh:
            made += 1
            current = work / f"k{made}.toml"
            child = spawn(work, "run", "kill", "--checklists", "cl", "--mode", "self", "--unit", "测试公司",
                          "--address", "a", "--principal", "p", "--phone", "1", "--industry", "商贸", "--site", "s",
                          "--purpose", "p", "--inspector", "安全员", "-o", current.name)
            answer(child, "自查人员职务", "")
        else:
            assert current is not None
            child = spawn(work, "resume", current.name)
        assert current is not None
        child.delaybeforesend = None  # keys as fast as a hurried inspector types them
        if not fresh and rng.random() < 0.25:  # any moment: starting, locking, recovering, drawing
            time.sleep(rng.uniform(0, 0.4))
            child.kill(signal.SIGKILL)
            child.expect(pexpect.EOF)
        else:
            item = _next_item(child)
            for _ in range(rng.randint(0, 2)):  # answers given, and waited for
                if item is None:
                    break
                result = rng.choice(["pass", "pass", "fail", "na"])
                _give(child, result)
                child.expect_exact(ACK[result])
                acknowledged[(current.name, item)] = result
                item = _next_item(child)
            if item is None:  # the walk completed; no kill this time
                assert finish(child) == 0
                continue
            result = rng.choice(["pass", "pass", "fail", "na"])
            _give(child, result)
            time.sleep(rng.uniform(0, 0.003))
            child.kill(signal.SIGKILL)
            child.expect(pexpect.EOF)
            if ACK[result] in child.before:
                acknowledged[(current.name, item)] = result
        child.close()
        kills += 1
        for name in {name for name, _ in acknowledged}:
            saved = {r.item: r.result for r in records.read_record(work / name).responses}  # parses whole
            lost = {i: res for (n, i), res in acknowledged.items() if n == name and saved.get(i) != res}
            assert not lost, f"after kill {kills}: acknowledged answers missing from {name}: {lost}"
    assert len(acknowledged) >= 20
    assert time.monotonic() - started < 90  # about 35 s on a 2-core machine; headroom for a loaded one


@pytest.fixture(scope="session")
def gbk_locale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment of a real zh_CN.GBK locale where localedef can build one, else PYTHONIOENCODING=gbk."""
    folder = tmp_path_factory.mktemp("locale")
    if shutil.which("localedef"):
        import subprocess

        made = subprocess.run(["localedef", "-i", "zh_CN", "-f", "GBK", str(folder / "zh_CN.GBK")],
                              capture_output=True)
        if made.returncode in (0, 1) and (folder / "zh_CN.GBK").exists():
            return {"LOCPATH": str(folder), "LANG": "zh_CN.GBK", "LC_ALL": "zh_CN.GBK"}
    return {"PYTHONIOENCODING": "gbk"}


def spawn_encoded(work: Path, encoding: str, *args: str, **extra: str) -> Any:
    child = pexpect.spawn(sys.executable, ["-m", "safetycheck", *args], cwd=str(work), env=env_for(work, **extra),
                          encoding=encoding, codec_errors="strict", timeout=TIMEOUT, dimensions=(40, 100))
    child.logfile_read = _Log()
    return child


SELF_RUN = ("run", "tty", "--checklists", "cl", "--mode", "self", "--unit", "ACME", "--address", "a", "--principal",
            "p", "--phone", "1", "--industry", "13", "--site", "s", "--purpose", "p", "--inspector", "Zhang:1:org",
            "-o", "r.toml")


@pytest.mark.tty
def test_gbk_terminal_walks_with_a_fallback_for_every_glyph_and_the_record_stays_utf8(
        work: Path, gbk_locale: dict[str, str]) -> None:
    child = spawn_encoded(work, "gbk", *SELF_RUN, **gbk_locale)  # strict: every byte on screen is GBK
    answer(child, "自查人员职务", "安全员")
    child.expect_exact("[1/4] 终端测试清单 > 责任")  # › is not in GBK
    child.expect_exact("> ")
    key(child, "m")
    answer(child, "备注", "中文备注：消防通道")  # typed in GBK
    child.expect_exact("> ")
    key(child, "y")
    child.expect_exact("y → 符合")
    at_item(child, 2, 4)
    key(child, "n")
    for question in ("问题描述", "隐患等级", "整改措施", "整改期限", "整改责任人", "证据文件"):
        answer(child, question, "")
    child.expect_exact("已保存：不符合")
    at_item(child, 3, 4)
    key(child, "q")
    assert finish(child) == 0
    raw = (work / "r.toml").read_bytes()
    raw.decode("utf-8")
    record = records.read_record(work / "r.toml")
    assert record.responses[0].note == "中文备注：消防通道" and record.responses[1].result == "fail"


@pytest.mark.tty
def test_ascii_terminal_walks_without_a_traceback(work: Path) -> None:
    child = spawn_encoded(work, "ascii", "--lang", "en", *SELF_RUN, PYTHONIOENCODING="ascii")
    answer(child, "post", "safety officer")
    child.expect_exact("[1/4] ")
    child.expect_exact("> ")
    key(child, "y")
    child.expect_exact("y -> pass")
    at_item(child, 2, 4)
    key(child, "q")
    assert finish(child) == 0
    assert "Traceback" not in child.logfile_read.text()
    assert records.read_record(work / "r.toml").checklists[0].title == "终端测试清单"


@pytest.mark.tty
def test_a_document_is_shown_in_the_terminals_encoding_and_piped_as_utf8(tmp_path: Path,
                                                                          gbk_locale: dict[str, str]) -> None:
    import subprocess

    shutil.copy(ROOT / "tests" / "data" / "records" / "inspect.toml", tmp_path / "inspect.toml")
    child = spawn_encoded(tmp_path, "gbk", "report", "inspect.toml", "--doc", "hazards", **gbk_locale)
    child.expect_exact("隐患整改清单")
    assert finish(child) == 0
    env = env_for(tmp_path, **gbk_locale)
    piped = subprocess.run([sys.executable, "-m", "safetycheck", "report", "inspect.toml", "--doc", "hazards"],
                           cwd=tmp_path, env=env, capture_output=True)
    assert piped.returncode == 0
    assert "隐患整改清单" in piped.stdout.decode("utf-8")  # documents declare UTF-8 off a terminal


@pytest.mark.parametrize("encoding", ["ascii", "gbk", "latin-1"])
@pytest.mark.parametrize("command", [("resume", "missing.toml"), ("show", "tty", "--checklists", "cl"),
                                     ("config", "show")])
def test_output_and_messages_follow_a_non_utf8_encoding_without_a_traceback(work: Path, encoding: str,
                                                                             command: tuple[str, ...]) -> None:
    import subprocess

    env = env_for(work, PYTHONIOENCODING=encoding)
    proc = subprocess.run([sys.executable, "-m", "safetycheck", *command], cwd=work, env=env, capture_output=True)
    out, err = proc.stdout.decode(encoding), proc.stderr.decode(encoding)
    assert "Traceback" not in err, err
    if command[0] == "resume":
        assert proc.returncode == 1 and len(err.strip().splitlines()) == 1 and "missing.toml" in err
    else:
        assert proc.returncode == 0 and out.strip()
        if command[0] == "show":
            assert "t-01" in out


@pytest.mark.tty
def test_a_walk_whose_lock_file_was_removed_stops_before_overwriting_the_second_walk(work: Path) -> None:
    first = start_run(work)
    at_item(first, 1, 4)
    assert (work / ".r.toml.lock").read_text(encoding="ascii") == f"{first.pid} walk\n"
    (work / ".r.toml.lock").unlink()  # someone removes the lock file while the walk runs
    second = spawn(work, "resume", "r.toml")
    at_item(second, 1, 4)
    key(second, "s")
    answer(second, "不适用的理由", "第二个进程")
    second.expect_exact("已保存：不适用")
    at_item(second, 2, 4)
    key(first, "y")
    first.expect_exact("已被删除或替换")
    assert finish(first) == 1
    assert "y → 符合" not in first.logfile_read.text()
    assert records.read_record(work / "r.toml").responses[0].reason == "第二个进程"  # not overwritten
    key(second, "q")
    assert finish(second) == 0
    assert not (work / ".r.toml.lock").exists()


@pytest.mark.tty
def test_report_fails_at_once_naming_the_walk_that_holds_the_record_and_reopen_then_q_writes_nothing(
        work: Path) -> None:
    shutil.copy(ROOT / "tests" / "data" / "records" / "inspect.toml", work / "inspect.toml")
    (work / "safetycheck.toml").write_text('[agency]\nname = "甲市应急管理局"\nshort_name = "甲应急"\n',
                                           encoding="utf-8")
    before = (work / "inspect.toml").read_bytes()
    mtime = (work / "inspect.toml").stat().st_mtime_ns
    child = spawn(work, "resume", "inspect.toml", "--reopen")
    child.expect(r"\[1/\d+\]")
    child.expect_exact("> ")
    started = time.monotonic()
    report = run_cli("report", "inspect.toml", "--issue", cwd=work, env={"SAFETYCHECK_CONFIG_DIR": str(work / "cfg")})
    assert time.monotonic() - started < 8
    assert report.returncode == 1 and f"pid {child.pid}，现场检查" in report.stderr, report.stderr
    key(child, "q")
    assert finish(child) == 0
    assert (work / "inspect.toml").read_bytes() == before and (work / "inspect.toml").stat().st_mtime_ns == mtime
    assert [p.name for p in work.iterdir() if p.name.startswith(".")] == []  # no lock, temporary or orphan left


def _root_can_mount() -> bool:
    return sys.platform == "linux" and os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.mark.tty
@pytest.mark.skipif(not _root_can_mount(), reason="needs a tmpfs; tests/test_faults.py covers a full disk with a "
                                                  "patched write everywhere")
def test_a_full_disk_during_resume_is_one_line_and_the_answer_is_not_acknowledged(work: Path) -> None:
    import subprocess

    disk = work / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("tmpfs could not be mounted here")
    try:
        shutil.copytree(work / "cl", disk / "cl")
        child = start_run(disk)
        at_item(child, 1, 4)
        key(child, "q")
        assert finish(child) == 0
        before = (disk / "r.toml").read_bytes()
        child = spawn(disk, "resume", "r.toml")
        at_item(child, 1, 4)
        with (disk / "filler").open("wb", buffering=0) as fh:  # now the disk fills up
            try:
                while True:
                    fh.write(b"\0" * 4096)
            except OSError:
                pass
        key(child, "y")
        child.expect_exact("磁盘空间不足：")
        assert finish(child) == 1
        text = child.logfile_read.text()
        assert "y → 符合" not in text and "Traceback" not in text
        assert (disk / "r.toml").read_bytes() == before
        assert sorted(p.name for p in disk.iterdir()) == ["cl", "filler", "r.toml"]
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


@pytest.mark.tty
def test_run_refuses_a_planted_lock_link_before_asking_and_writes_nothing(work: Path) -> None:
    (work / "victim.txt").write_text("keep\n", encoding="utf-8")
    (work / ".r.toml.lock").symlink_to(work / "victim.txt")
    child = spawn(work, "run", "tty", "--checklists", "cl", "--mode", "self", "--unit", "某公司", "-o", "r.toml")
    assert finish(child) == 1
    text = child.logfile_read.text()
    assert "符号链接" in text and "地址" not in text
    assert (work / "victim.txt").read_text(encoding="utf-8") == "keep\n"
    assert not (work / "r.toml").exists()


@pytest.mark.tty
def test_resume_refuses_a_symlinked_record_and_keeps_the_link_and_its_target(work: Path) -> None:
    shutil.copy(ROOT / "tests" / "data" / "records" / "in-progress.toml", work / "target.toml")
    (work / "link.toml").symlink_to("target.toml")
    before = (work / "target.toml").read_bytes()
    child = spawn(work, "resume", "link.toml")
    assert finish(child) == 1
    assert "是指向 target.toml 的符号链接" in child.logfile_read.text()
    assert (work / "link.toml").is_symlink() and (work / "target.toml").read_bytes() == before
    assert [p.name for p in work.iterdir() if p.name.startswith(".")] == []
