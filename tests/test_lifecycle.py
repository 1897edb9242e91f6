"""Record /2: migration of /1, hazard ids, the seal, the chain of events, amendments and ``verify``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from safetycheck.inspection import records, session
from safetycheck.lifecycle.amend import Keeper
from safetycheck.lifecycle.files import load_record
from safetycheck.lifecycle.seal import compute_seal, verify_record
from tests.conftest import run_cli
from tests.test_session import Clock, Script, make_record

RECORDS = Path(__file__).resolve().parent / "data" / "records"
CHECKLISTS = Path(__file__).resolve().parent / "data" / "answers" / "checklists"
FAIL = ("fail", "", "", "", "", "", "")  # finding, level, measure, deadline, owner: defaults; no evidence

ANSWERS = """\
mode: inspect
started_at: "2026-03-05T09:30:00+08:00"
finished_at: "2026-03-05T11:00:00+08:00"
unit: {name: 测试公司, industry: 商贸}
inspectors: [{name: 张三, cert: "1401"}, {name: 李四, cert: "1402"}]
default: pass
responses:
  alpha/shared-01: {result: fail, description: 没有制度, deadline: 2026-04-01, funds: 3000}
  a-02: {result: fail, level: major, description: 无人管理, deadline: 2026-05-01, plan: 停产整顿}
"""


def answered_record(folder: Path, text: str = ANSWERS) -> Path:
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    proc = run_cli("run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", "a.yaml", "-o", "r.toml",
                   cwd=folder)
    assert proc.returncode == 0, proc.stderr
    return folder / "r.toml"


def walked(script: Script, record: Any = None, keeper: Keeper | None = None, start: int | None = None) -> Any:
    record = record or make_record(industry=["商贸"])
    clock = Clock()
    keeper = keeper or Keeper(record, clock)

    def save(r: Any) -> None:
        keeper(r)
        records.parse_record(records.record_to_toml(r), "mem")

    session.run_inspection(record, script, session.WalkOptions(clock=clock, save=save, start=start))
    return record


# --- /1 records ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["inspect", "self", "supervise", "hostile"])
def test_v1_record_is_migrated_in_memory_the_same_way_every_time(name: str) -> None:
    first, was_v1 = load_record(RECORDS / f"{name}.toml")
    second, _ = load_record(RECORDS / f"{name}.toml")
    assert was_v1 and first.schema == "safetycheck.record/2"
    assert first.id == second.id and first.seal == second.seal and first.id.count("-") == 4
    assert [e.hash for e in first.events] == [e.hash for e in second.events]
    assert first.events[0].kind == "completed"
    fails = [r for r in first.responses if r.result == "fail" and not r.same_as]
    assert [r.hazard.id for r in fails] == [f"h{i}" for i in range(1, len(fails) + 1)]
    assert all(r.hazard is None for r in first.responses if r.same_as)
    assert verify_record(first, was_v1).state == "intact"


def test_v1_in_progress_record_is_not_sealed() -> None:
    record, _ = load_record(RECORDS / "in-progress.toml")
    assert record.seal is None and record.events == []
    assert verify_record(record).state == "not-sealed"


def test_v1_fixture_is_left_as_v1_by_reading(tmp_path: Path) -> None:
    shutil.copy(RECORDS / "inspect.toml", tmp_path / "r.toml")
    before = (tmp_path / "r.toml").read_bytes()
    assert run_cli("verify", "r.toml", cwd=tmp_path).returncode == 0
    assert (tmp_path / "r.toml").read_bytes() == before


# --- sealing at completion ----------------------------------------------------------------


def test_answers_file_gives_a_sealed_v2_record_with_hazard_ids_funds_plan_and_times(tmp_path: Path) -> None:
    path = answered_record(tmp_path)
    record = records.read_record(path)
    assert record.schema == "safetycheck.record/2" and record.id and record.seal == compute_seal(record)
    assert record.started_at.isoformat() == "2026-03-05T09:30:00+08:00"
    assert record.finished_at.isoformat() == "2026-03-05T11:00:00+08:00"
    hazards = {r.item: r.hazard for r in record.responses if r.hazard}
    assert hazards["a-02"].id == "h1" and hazards["shared-01"].id == "h2"  # plan order, not the file's
    assert hazards["shared-01"].funds == 3000 and hazards["a-02"].plan.text == "停产整顿"
    assert [e.kind for e in record.events] == ["completed"]
    assert record.events[0].hash and "status" not in path.read_text(encoding="utf-8").split("[[responses]]", 1)[1]
    proc = run_cli("verify", "r.toml", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.splitlines()[0] == f"r.toml：完好（封存 {record.seal[:16]}）"
    assert proc.stdout.splitlines()[1].startswith("r.toml：已同步（库中 ")  # the walk synced it (auto_sync)


def test_answers_times_must_carry_an_offset_and_deadlines_follow_them(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(ANSWERS.replace("09:30:00+08:00", "09:30:00"), encoding="utf-8")
    proc = run_cli("--lang", "en", "run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", "a.yaml",
                   "-o", "r.toml", cwd=tmp_path)
    assert proc.returncode == 1 and "a.yaml:2:" in proc.stderr and "started_at" in proc.stderr
    assert "offset" in proc.stderr and not (tmp_path / "r.toml").exists()
    late = ANSWERS.replace("2026-04-01", "2026-03-01")  # before the paper record's date
    (tmp_path / "a.yaml").write_text(late, encoding="utf-8")
    proc = run_cli("run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", "a.yaml", cwd=tmp_path)
    assert proc.returncode == 1 and "2026-03-01" in proc.stderr


def test_plan_is_only_for_a_major_hazard(tmp_path: Path) -> None:
    text = ANSWERS.replace("funds: 3000}", "funds: 3000, plan: 方案}")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    proc = run_cli("--lang", "en", "run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", "a.yaml",
                   cwd=tmp_path)
    assert proc.returncode == 1 and "a.yaml:8:" in proc.stderr and "only for a major hazard" in proc.stderr


def test_walk_seals_on_completion_and_same_as_copies_carry_no_hazard() -> None:
    record = walked(Script("pass", *FAIL, "pass"))
    assert record.status == "complete" and record.seal == compute_seal(record)
    assert [(r.item, r.hazard.id if r.hazard else None) for r in record.responses] == [
        ("a-01", None), ("a-02", "h1"), ("b-01", None), ("b-02", None)]
    assert [e.kind for e in record.events] == ["completed"]


# --- amendments ---------------------------------------------------------------------------


def test_reopening_keeps_the_old_answer_whole_the_end_time_and_never_reuses_an_id() -> None:
    record = walked(Script("pass", *FAIL, "pass"))
    finished, seal = record.finished_at, record.seal
    old_hazard = next(r.hazard for r in record.responses if r.item == "a-02")
    # fail -> pass on a-02 (h1), then pass -> fail on a-01: the new hazard is h2, not h1 again
    walked(Script("jump", "2", "pass"), record, Keeper(record, Clock()), start=0)  # resume --reopen
    walked(Script(*FAIL), record, Keeper(record, Clock()), start=0)
    assert record.finished_at == finished and record.seal == seal and record.status == "complete"
    kinds = [e.kind for e in record.events]
    assert kinds == ["completed", "reopened", "amended", "reopened", "amended"]
    removed = next(e for e in record.events if e.kind == "amended" and e.detail["response"] == "demo/a-02")
    assert removed.hazard == "h1" and removed.detail["old"]["hazard"]["description"] == old_hazard.description
    assert next(r.hazard.id for r in record.responses if r.item == "a-01") == "h2"
    assert verify_record(record).state == "intact"


def test_reopen_without_a_change_writes_no_event() -> None:
    record = walked(Script("pass", "pass", "pass"))
    walked(Script("quit"), record, Keeper(record, Clock()), start=0)
    assert [e.kind for e in record.events] == ["completed"]


# --- verify ---------------------------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_verify_names_a_hand_edited_response(tmp_path: Path) -> None:
    path = answered_record(tmp_path)
    _edit(path, 'description = "没有制度"', 'description = "有制度"')
    proc = run_cli("verify", "r.toml", cwd=tmp_path)
    first = proc.stdout.splitlines()[0]
    assert proc.returncode == 1 and first == "r.toml：已改动：检查项 alpha/shared-01 的答案与封存时不同"
    assert "本地有未同步的修改" in proc.stdout.splitlines()[1]


def test_verify_names_a_hand_edited_event_and_seal(tmp_path: Path) -> None:
    path = answered_record(tmp_path)
    good = path.read_text(encoding="utf-8")
    _edit(path, '"responses/alpha/a-01" = "', '"responses/alpha/a-01" = "0')
    proc = run_cli("--lang", "en", "verify", "r.toml", cwd=tmp_path)
    assert proc.returncode == 1 and "event 1 (completed" in proc.stdout
    path.write_text(good, encoding="utf-8")
    record = records.read_record(path)
    _edit(path, f'seal = "{record.seal[:4]}', 'seal = "ffff')
    proc = run_cli("--lang", "en", "verify", "r.toml", "--format", "json", cwd=tmp_path)
    rows = json.loads(proc.stdout)
    assert proc.returncode == 1 and rows[0]["state"] == "changed"
    assert any("the seal or event 1" in c for c in rows[0]["changes"])


def test_verify_in_progress_is_exit_0_and_unreadable_is_exit_1(tmp_path: Path) -> None:
    shutil.copy(RECORDS / "in-progress.toml", tmp_path / "p.toml")
    (tmp_path / "bad.toml").write_text("schema = [", encoding="utf-8")
    proc = run_cli("--lang", "en", "verify", "p.toml", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == "p.toml: not sealed (the inspection is in progress)\np.toml: not in store\n"
    proc = run_cli("verify", "p.toml", "bad.toml", "missing.toml", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "bad.toml:1:" in proc.stdout and "missing.toml" in proc.stdout
    assert proc.stdout.count("\n") == 4  # and p.toml: not in store
    assert run_cli("verify", "p.toml", "--format", "xml", cwd=tmp_path).returncode == 2


# --- the committed /2 fixture ------------------------------------------------------------------


def test_v2_fixture_verifies_and_rewrites_byte_for_byte() -> None:
    from safetycheck.lifecycle.hazards import hazard_states

    path = RECORDS / "v2-inspect.toml"
    record = records.read_record(path)
    assert records.record_to_toml(record) == path.read_bytes()
    assert verify_record(record).state == "intact"
    assert [e.kind for e in record.events] == ["completed", "issued", "served", "rectified", "reported-regulator",
                                               "reported-workers"]
    states = {s.id: s for s in hazard_states(record)}
    assert states["h2"].status == "rectified" and states["h1"].status == "open"
    assert states["h1"].reported_regulator == "2026-03-06 甲市应急管理局"


# --- re-answering and counting ---------------------------------------------------------------


def test_reanswering_offers_the_previous_answers_text_as_default() -> None:
    record = walked(Script("pass", "fail", "门口堆物", "2", "清理", "2025-06-01", "", "张三", "", "na", "停用"))
    # reopen: a-02 again as fail (Enter everywhere keeps what was typed), then b-02 again as n/a
    script = Script("jump", "2", "fail", "", "", "", "", "", "", "")
    walked(script, record, Keeper(record, Clock()), start=0)
    defaults = [d for _, d in script.questions]
    assert defaults[1:8] == ["门口堆物", "2", "清理", "2025-06-01", None, "张三", None]
    again = Script("jump", "3", "na", "")
    walked(again, record, Keeper(record, Clock()), start=0)
    assert again.questions[-1][1] == "停用"
    a02 = next(r for r in record.responses if r.item == "a-02")
    assert (a02.hazard.description, a02.hazard.level, a02.hazard.id) == ("门口堆物", "major", "h1")
    assert next(r.reason for r in record.responses if r.item == "b-02") == "停用"


def test_walk_summary_counts_an_item_asked_for_two_checklists_once_and_names_open_majors() -> None:
    import io

    from rich.console import Console

    from safetycheck.inspection.prompter import print_summary
    from tests.test_session import make_checklist

    one = make_checklist("one", [{"id": "x-01", "text": "甲", "standard": "乙", "major_possible": True}])
    two = make_checklist("two", [{"id": "x-01", "text": "甲", "standard": "乙", "same_as": "one/x-01"},
                                 {"id": "x-02", "text": "丙", "standard": "丁"}])
    record = walked(Script("fail", "", "2", "", "2025-06-01", "", "", "", "pass"), make_record(one, two))
    summary = session.summarize(record)
    assert (summary.total.failed, summary.total.passed, summary.major) == (1, 1, 1)
    out = io.StringIO()
    print_summary(Console(file=out, width=100), summary)
    assert "存在重大事故隐患 1 项。" in out.getvalue()


# --- resume --reopen on a file --------------------------------------------------------------


def _reopen(path: Path, script: Script) -> None:
    import io

    from rich.console import Console

    from safetycheck.inspection import walk
    from safetycheck.lifecycle.amend import keeper

    record = records.read_record(path)
    walk._walk(record, path, script, Console(file=io.StringIO()), Clock(), start=0, keeper=keeper)


def test_reopening_a_v1_record_without_a_change_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    shutil.copy(RECORDS / "self.toml", tmp_path / "r.toml")
    before = (tmp_path / "r.toml").read_bytes()
    _reopen(tmp_path / "r.toml", Script("quit"))
    assert (tmp_path / "r.toml").read_bytes() == before


def test_reopening_a_v1_record_and_changing_an_answer_writes_it_as_v2_with_the_change_as_an_event(
        tmp_path: Path) -> None:
    shutil.copy(RECORDS / "self.toml", tmp_path / "r.toml")
    original, _ = load_record(tmp_path / "r.toml")
    first = original.responses[0]
    assert first.result == "pass"
    _reopen(tmp_path / "r.toml", Script("na", "在建"))
    record = records.read_record(tmp_path / "r.toml")
    assert record.schema == "safetycheck.record/2" and record.id == original.id and record.seal == original.seal
    assert record.finished_at == original.finished_at
    assert [e.kind for e in record.events][-2:] == ["reopened", "amended"]
    assert record.events[-1].detail["old"]["result"] == "pass"
    assert verify_record(record).state == "intact"
