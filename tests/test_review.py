"""``safetycheck review``: answers-file reviews, transitions, the chain, and the walk on a real terminal."""

from __future__ import annotations

import json
import re
import signal
import sys
from pathlib import Path
from typing import Any

import pytest

from safetycheck.lifecycle.files import load_record
from safetycheck.lifecycle.hazards import hazard_states
from tests.conftest import run_cli
from tests.test_hazards import SELF
from tests.test_lifecycle import answered_record
from tests.test_onsite import ONSITE

MAJOR = ONSITE.replace("deadline: 0}", "deadline: 2026-04-01}")  # h1 major with measures, h2 general


def statuses(path: Path) -> dict[str, str]:
    record, _ = load_record(path)
    return {s.id: s.status for s in hazard_states(record)}


def review_file(folder: Path, text: str, name: str = "rv.yaml") -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return name


@pytest.fixture
def work(tmp_path: Path) -> Path:
    answered_record(tmp_path, MAJOR)
    return tmp_path


def test_answers_review_failed_then_passed_closes_and_lifts_measures(work: Path) -> None:
    (work / "after.jpg").write_bytes(b"after")
    first = review_file(work, "date: 2026-03-20\nresults:\n"
                              "  h1: {result: failed, note: 仍有人员作业, followup: extend, deadline: 2026-04-30}\n"
                              "  alpha/shared-01: {result: passed, evidence: [after.jpg]}\n")
    proc = run_cli("review", "r.toml", "--answers", first, cwd=work)
    assert proc.returncode == 0, proc.stderr
    record, _ = load_record(work / "r.toml")
    review = record.reviews[0]
    assert (review.id, review.status, review.started_at.date().isoformat()) == ("r1", "complete", "2026-03-20")
    assert [(r.hazard, r.result, r.followup) for r in review.results] == [("h1", "failed", "extend"),
                                                                          ("h2", "passed", None)]
    assert review.results[1].evidence[0].path == "after.jpg"
    assert statuses(work / "r.toml") == {"h1": "open", "h2": "closed"}
    state = {s.id: s for s in hazard_states(record)}["h1"]
    assert state.deadline.isoformat() == "2026-04-30"
    assert [e.kind for e in record.events[-3:]] == ["reviewed", "reviewed", "reviewed"]
    assert "measures-lifted" not in [e.kind for e in record.events]
    second = review_file(work, "inspectors: [{name: 王六, cert: '1500'}]\nresults: {a-02: passed}\n", "rv2.yaml")
    assert run_cli("review", "r.toml", "--answers", second, cwd=work).returncode == 0
    record, _ = load_record(work / "r.toml")
    assert [r.id for r in record.reviews] == ["r1", "r2"] and record.reviews[1].inspectors[0].name == "王六"
    assert statuses(work / "r.toml") == {"h1": "closed", "h2": "closed"}
    lifted = [e for e in record.events if e.kind == "measures-lifted"]
    assert len(lifted) == 1 and lifted[0].hazard == "h1" and lifted[0].detail["review"] == "r2"
    assert run_cli("verify", "r.toml", cwd=work).returncode == 0
    proc = run_cli("review", "r.toml", "--answers", second, cwd=work)
    assert proc.returncode == 1 and "closed" in run_cli("--lang", "en", "review", "r.toml", "--answers", second,
                                                        cwd=work).stderr


def test_a_hand_edited_review_fails_verify(work: Path) -> None:
    review_file(work, "results: {h2: passed}\n")
    assert run_cli("review", "r.toml", "--answers", "rv.yaml", cwd=work).returncode == 0
    text = (work / "r.toml").read_text(encoding="utf-8")
    (work / "r.toml").write_text(text.replace('result = "passed"', 'result = "failed"'), encoding="utf-8")
    proc = run_cli("--lang", "en", "verify", "r.toml", cwd=work)
    assert proc.returncode == 1 and "review r1" in proc.stdout


@pytest.mark.parametrize(("text", "words"), [
    ("results: {h9: passed}\n", "h9"),
    ("results: {h1: maybe}\n", "maybe"),
    ("results: {h1: {result: failed}}\n", "followup"),
    ("results: {h2: {result: failed, followup: closure}}\n", "closure is only for a major hazard"),
    ("results: {h1: {result: failed, followup: extend, deadline: 2026-02-30}}\n", "2026-02-30"),
    ("results: {h1: {result: failed, followup: later}}\n", "later"),
    ("results: {h1: {result: passed, followup: case}}\n", "passed"),
    ("date: 2026-03-01\nresults: {h1: passed}\n", "inspection began"),
    ("inspectors: [王六]\nresults: {h1: passed}\n", "certificate"),
    ("results: {h1: passed}\nextra: 1\n", "extra"),
])
def test_bad_answers_are_located_and_nothing_is_written(work: Path, text: str, words: str) -> None:
    review_file(work, text)
    before = (work / "r.toml").read_bytes()
    proc = run_cli("--lang", "en", "review", "r.toml", "--answers", "rv.yaml", cwd=work)
    assert proc.returncode != 0 and "rv.yaml:" in proc.stderr and words in proc.stderr, proc.stderr
    assert (work / "r.toml").read_bytes() == before


def test_without_a_terminal_and_answers_review_exits_2(work: Path) -> None:
    proc = run_cli("review", "r.toml", cwd=work, input_text="")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--answers" in proc.stderr


def test_self_mode_acceptance_of_a_major_hazard_waits_for_the_authority(tmp_path: Path) -> None:
    answered_record(tmp_path, SELF)
    review_file(tmp_path, "results: {h1: passed, h2: passed}\n")
    assert run_cli("review", "r.toml", "--answers", "rv.yaml", cwd=tmp_path).returncode == 0
    assert statuses(tmp_path / "r.toml") == {"h1": "rectified", "h2": "closed"}
    shown = json.loads(run_cli("hazards", "show", "r.toml", "h1", "--format", "json", cwd=tmp_path).stdout)
    assert shown["status_text"] == "已整改待监管部门审核" and shown["reviewed_by"] == "张三"
    proc = run_cli("hazards", "update", "r.toml", "h1", "--closed-by", "甲市应急管理局", "--closed", "today",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert statuses(tmp_path / "r.toml") == {"h1": "closed", "h2": "closed"}


# --- on a terminal ------------------------------------------------------------------------------

tty = pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pty")


def _spawn(work: Path, *args: str) -> Any:
    from tests.test_tty import spawn

    return spawn(work, "review", "r.toml", *args)


def _screen(child: Any, k: int, n: int, hazard: str, *shown: str) -> None:
    child.expect_exact(f"[{k}/{n}] {hazard}")
    for text in shown:
        child.expect_exact(text)
    child.expect_exact("> ")


@pytest.mark.tty
@tty
def test_whole_reviews_with_both_keys_and_every_followup(work: Path) -> None:
    from tests.test_tty import answer, finish

    pytest.importorskip("pexpect")
    (work / "fix.jpg").write_bytes(b"fixed")
    # r1: h1 (major) fails → 4 提请关闭; h2 fails → 1 继续整改 with a new deadline
    child = _spawn(work)
    _screen(child, 1, 2, "h1", "现场处理措施：责令从危险区域内撤出作业人员", "二号库房")
    child.send("?")
    child.expect_exact("保存并退出")
    child.send("m")
    answer(child, "备注", "现场仍有人员")
    _screen(child, 1, 2, "h1")
    child.send("n")
    answer(child, "整改情况", "")
    child.expect_exact("提请关闭（")
    answer(child, "后续处理", "9")
    child.expect_exact("请输入序号")
    answer(child, "后续处理", "4")
    answer(child, "证据文件", "fix.jpg")
    answer(child, "证据文件", "")
    child.expect_exact("已保存：h1")
    _screen(child, 2, 2, "h2")
    child.send("n")
    answer(child, "整改情况", "制度未印发")
    answer(child, "后续处理", "1")
    answer(child, "整改期限", "15")
    answer(child, "证据文件", "")
    child.expect_exact("复查 r1 完成")
    child.expect_exact("--doc review-opinion --review r1")
    assert finish(child) == 0
    record, _ = load_record(work / "r.toml")
    r1 = record.reviews[0]
    assert [(r.hazard, r.result, r.followup, r.note) for r in r1.results] == [
        ("h1", "failed", "closure", "现场仍有人员"), ("h2", "failed", "extend", "制度未印发")]
    assert r1.results[0].evidence[0].path == "fix.jpg" and r1.results[1].deadline is not None
    assert statuses(work / "r.toml") == {"h1": "open", "h2": "open"}
    # r2, after the failed r1: h1 → 3 责令停产停业整顿, h2 → 2 立案查处 (b goes back and changes h1 first)
    child = _spawn(work)
    _screen(child, 1, 2, "h1")
    child.send("y")
    answer(child, "证据文件", "")
    child.expect_exact("已保存：h1")
    _screen(child, 2, 2, "h2")
    child.send("b")
    _screen(child, 1, 2, "h1", "本次复查已记：已整改")
    child.send("n")
    answer(child, "整改情况", "")
    answer(child, "后续处理", "3")
    answer(child, "证据文件", "")
    _screen(child, 2, 2, "h2")
    child.send("n")
    answer(child, "整改情况", "")
    child.expect_exact("3 责令停产停业整顿")
    answer(child, "后续处理", "2")
    answer(child, "证据文件", "")
    child.expect_exact("复查 r2 完成")
    assert finish(child) == 0
    # r3: both pass
    child = _spawn(work, "--inspector", "王六:1500")
    for k, hazard in ((1, "h1"), (2, "h2")):
        _screen(child, k, 2, hazard)
        child.send("y")
        answer(child, "证据文件", "")
    child.expect_exact("合格 2 项")
    assert finish(child) == 0
    record, _ = load_record(work / "r.toml")
    assert [(r.hazard, r.followup) for r in record.reviews[1].results] == [("h2", "case"), ("h1", "suspend")] or [
        (r.hazard, r.followup) for r in record.reviews[1].results] == [("h1", "suspend"), ("h2", "case")]
    assert record.reviews[2].inspectors[0].name == "王六"
    assert statuses(work / "r.toml") == {"h1": "closed", "h2": "closed"}
    assert [e.kind for e in record.events].count("measures-lifted") == 1
    assert run_cli("verify", "r.toml", cwd=work).returncode == 0


@pytest.mark.tty
@tty
def test_sigkill_during_a_review_then_review_again_loses_and_duplicates_nothing(work: Path) -> None:
    from tests.test_tty import answer, finish

    child = _spawn(work)
    _screen(child, 1, 2, "h1")
    child.send("y")
    answer(child, "证据文件", "")
    child.expect_exact("已保存：h1")
    _screen(child, 2, 2, "h2")
    child.send("n")
    answer(child, "整改情况", "写了一半")
    child.expect_exact("后续处理")
    child.kill(signal.SIGKILL)
    assert finish(child) == -signal.SIGKILL
    record, _ = load_record(work / "r.toml")
    assert [(r.id, r.status) for r in record.reviews] == [("r1", "in-progress")]
    assert [r.hazard for r in record.reviews[0].results] == ["h1"]
    assert run_cli("verify", "r.toml", cwd=work).returncode == 0
    child = _spawn(work)
    child.expect_exact("继续未完成的复查 r1")
    _screen(child, 2, 2, "h2")
    child.send("y")
    answer(child, "证据文件", "")
    child.expect_exact("复查 r1 完成")
    assert finish(child) == 0
    record, _ = load_record(work / "r.toml")
    assert len(record.reviews) == 1 and record.reviews[0].status == "complete"
    assert [r.hazard for r in record.reviews[0].results] == ["h1", "h2"]
    assert [e.hazard for e in record.events if e.kind == "reviewed" and e.hazard] == ["h1", "h2"]
    assert run_cli("verify", "r.toml", cwd=work).returncode == 0


@pytest.mark.tty
@tty
def test_review_in_english(work: Path) -> None:
    from tests.test_tty import finish, spawn

    child = spawn(work, "--lang", "en", "review", "r.toml")
    _screen(child, 1, 2, "h1", "On-site measures: workers ordered out of the danger area", "y rectified")
    child.send("q")
    child.expect_exact("Continue: safetycheck review r.toml")
    assert finish(child) == 0
    record, _ = load_record(work / "r.toml")
    assert record.reviews == []  # nothing answered, nothing written
    assert run_cli("verify", "r.toml", cwd=work).returncode == 0


def test_documents_are_issued_per_review_and_cite_the_order_and_measures(work: Path) -> None:
    (work / "safetycheck.toml").write_text('[agency]\nname = "甲市应急管理局"\nshort_name = "甲应急"\n',
                                           encoding="utf-8")

    def sc(*args: str) -> Any:
        return run_cli(*args, cwd=work, env={"SAFETYCHECK_CONFIG_DIR": str(work / "state")})

    for doc in ("rectification-order", "onsite-measures"):
        assert sc("report", "r.toml", "--doc", doc, "--issue", "-o", f"{doc}.txt").returncode == 0
    assert "（甲应急）应急现决〔2026〕1号" in (work / "onsite-measures.txt").read_text(encoding="utf-8")
    review_file(work, "results:\n  h1: {result: failed, followup: suspend}\n")
    assert sc("review", "r.toml", "--answers", "rv.yaml").returncode == 0
    proc = sc("report", "r.toml", "--doc", "review-opinion", "--issue", "--format", "txt")
    assert proc.returncode == 0, proc.stderr
    flat = re.sub(r"\s", "", proc.stdout)  # wrapping may break a line anywhere
    assert "（甲应急）应急复查〔2026〕1号" in flat and "（甲应急）应急责改〔2026〕1号" in flat
    assert "（甲应急）应急现决〔2026〕1号" in flat and "责令停产停业整顿" in flat
    review_file(work, "results: {h1: passed, alpha/shared-01: passed}\n")
    assert sc("review", "r.toml", "--answers", "rv.yaml").returncode == 0
    second = sc("report", "r.toml", "--doc", "review-opinion", "--issue", "--format", "txt")
    assert second.returncode == 0 and "应急复查〔2026〕2号" in second.stdout
    again = sc("report", "r.toml", "--doc", "review-opinion", "--review", "r1", "--format", "txt")
    assert again.returncode == 0 and "应急复查〔2026〕1号" in again.stdout and "【草稿】" not in again.stdout
    record, _ = load_record(work / "r.toml")
    assert [e.detail["key"] for e in record.events if e.kind == "issued"] == [
        "rectification-order", "onsite-measures", "review-opinion/r1", "review-opinion/r2"]
    shown = json.loads(sc("hazards", "show", "r.toml", "h1", "--format", "json").stdout)
    assert shown["status"] == "closed"
    assert [e["kind"] for e in shown["history"]] == ["reviewed", "reviewed", "measures-lifted"]
    unknown = sc("--lang", "en", "report", "r.toml", "--doc", "review-opinion", "--review", "r7")
    assert unknown.returncode == 1 and "r7" in unknown.stderr and unknown.stderr.count("\n") == 1
