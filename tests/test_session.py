"""The inspection walk, driven by a scripted prompter (no terminal, no patching)."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest

from safetycheck.catalog import models
from safetycheck.inspection import recordmodels, records, session

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2025, 3, 5, 9, 0, tzinfo=TZ)


def make_checklist(cl_id: str = "demo", items: list[dict[str, Any]] | None = None) -> models.Checklist:
    """A small checklist built from plain data."""
    cite = [{"law": "安全生产法", "article": 21}]
    items = items or [
        {"id": "a-01", "text": "有责任制吗？", "standard": "有书面责任制。", "hint": "制定责任制。"},
        {"id": "a-02", "text": "配备安全管理人员吗？", "standard": "按规定配备。", "major_possible": True},
        {"id": "b-01", "text": "化工反应风险评估？", "standard": "已评估。", "when": {"industry": ["化工"]}},
        {"id": "b-02", "text": "开展应急演练吗？", "standard": "每年一次。", "tags": ["emergency"]},
    ]
    full = [{"method": ["查资料"], "basis": cite, **it} for it in items]
    sections = [{"id": "a", "title": "第一部分", "items": [i for i in full if i["id"].startswith("a")]},
                {"id": "b", "title": "第二部分", "items": [i for i in full if not i["id"].startswith("a")]}]
    sections = [s for s in sections if s["items"]]
    return msgspec.convert({"id": cl_id, "title": f"清单{cl_id}", "version": "1", "audience": ["企业"],
                            "summary": "测试", "sections": sections}, models.Checklist)


def make_record(*checklists: models.Checklist, industry: list[str] | None = None, mode: str = "inspect",
                tags: tuple[str, ...] = ()) -> recordmodels.InspectionRecord:
    snaps = [session.snapshot(cl, "0" * 64, tags=tags) for cl in checklists or (make_checklist(),)]
    return recordmodels.InspectionRecord(mode=mode, started_at=START, unit=recordmodels.Unit(name="测试公司",
                                   industry=industry or []), checklists=snaps)  # type: ignore[arg-type]


class Script:
    """A prompter that replays answers; ``""`` to a text question means Enter."""

    def __init__(self, *steps: Any) -> None:
        self.steps = list(steps)
        self.shown: list[tuple[str, session.Progress]] = []
        self.questions: list[tuple[str, str | None]] = []
        self.warnings: list[str] = []
        self.confirms: list[str] = []
        self.acknowledged: list[str] = []

    def _next(self) -> Any:
        assert self.steps, "the walk asked more than the script answers"
        step = self.steps.pop(0)
        if step is KeyboardInterrupt:
            raise KeyboardInterrupt
        return step

    def ask_item(self, item: recordmodels.SnapshotItem, progress: session.Progress) -> session.Key:
        self.shown.append((item.id, progress))
        key = self._next()
        assert key in ("pass", "fail", "na", "back", "jump", "note", "quit"), key
        return key  # type: ignore[no-any-return]

    def ask_text(self, question: str, default: str | None) -> str:
        self.questions.append((question, default))
        value = self._next()
        assert isinstance(value, str), value
        return value or (default or "")

    def confirm(self, message: str) -> bool:
        self.confirms.append(message)
        return bool(self._next())

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def info(self, message: str) -> None:
        pass

    def acknowledge(self, result: str) -> None:
        self.acknowledged.append(result)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def walk(record: recordmodels.InspectionRecord, script: Script, **kw: Any) -> tuple[str,
                                                                                    list[recordmodels.InspectionRecord]]:
    saved: list[recordmodels.InspectionRecord] = []

    def save(r: recordmodels.InspectionRecord) -> None:
        saved.append(records.parse_record(records.record_to_toml(r), "mem"))  # proves each save is writable

    outcome = session.run_inspection(record, script, session.WalkOptions(clock=Clock(), save=save, **kw))
    return outcome, saved


def results(record: recordmodels.InspectionRecord) -> dict[str, str]:
    return {f"{r.checklist}/{r.item}": r.result for r in record.responses}


FAIL_GENERAL = ("fail", "", "", "", "", "", "")  # finding, level, measure, deadline, owner, evidence: all Enter


def test_walk_ends_by_itself_and_saves_after_every_answer() -> None:
    record = make_record(industry=["商贸"])
    outcome, saved = walk(record, Script("pass", *FAIL_GENERAL, "na", ""))
    assert outcome == "complete"
    assert record.status == "complete" and record.finished_at is not None
    assert results(record) == {"demo/a-01": "pass", "demo/a-02": "fail", "demo/b-01": "na", "demo/b-02": "na"}
    # one save before the walk (auto answers), one per answer, one to mark it complete
    assert [len([r for r in s.responses if not r.auto]) for s in saved] == [0, 1, 2, 3, 3]
    assert saved[-1].status == "complete"


def test_fail_defaults_come_from_the_item() -> None:
    record = make_record(industry=["商贸"])
    walk(record, Script("pass", *FAIL_GENERAL, "na", ""))
    hazard = next(r.hazard for r in record.responses if r.item == "a-02")
    assert hazard is not None
    assert hazard.level == "general"
    assert "按规定配备" in hazard.description
    assert hazard.deadline == START.date() + dt.timedelta(days=30)
    assert hazard.measure is None and hazard.owner is None and hazard.evidence == []
    na = next(r for r in record.responses if r.item == "b-02")
    assert na.reason == session.na_default()


def test_when_rules_out_an_item_for_the_unit_industry() -> None:
    record = make_record(industry=["商贸"])
    script = Script("pass", "pass", "pass")
    walk(record, script)
    assert [item for item, _ in script.shown] == ["a-01", "a-02", "b-02"]
    auto = next(r for r in record.responses if r.item == "b-01")
    assert auto.result == "na" and auto.auto is True and "化工" in (auto.reason or "")
    assert script.shown[0][1].count == 3


def test_item_with_when_is_asked_when_the_unit_gives_no_industry() -> None:
    record = make_record()
    script = Script("pass", "pass", "pass", "pass")
    walk(record, script)
    assert [item for item, _ in script.shown] == ["a-01", "a-02", "b-01", "b-02"]
    assert not any(r.auto for r in record.responses)


def test_same_as_item_is_asked_once_and_recorded_for_both() -> None:
    first = make_checklist("one", [{"id": "x-01", "text": "共同项", "standard": "标准"}])
    second = make_checklist("two", [{"id": "y-01", "text": "共同项（重复）", "standard": "标准",
                                     "same_as": "one/x-01"},
                                    {"id": "y-02", "text": "另一项", "standard": "标准"}])
    record = make_record(first, second)
    script = Script("fail", "", "", "", "", "", "", "pass")
    walk(record, script)
    assert [item for item, _ in script.shown] == ["x-01", "y-02"]
    assert script.shown[0][1].also == ("two/y-01",)
    assert results(record) == {"one/x-01": "fail", "two/y-01": "fail", "two/y-02": "pass"}
    copy = next(r for r in record.responses if r.item == "y-01")
    assert copy.same_as == "one/x-01"
    summary = session.summarize(record)
    assert (summary.general, summary.major) == (1, 0)  # the copy's hazard counts once


def test_back_changes_an_answer_without_duplicating_it() -> None:
    record = make_record(industry=["商贸"])
    script = Script("pass", "back", "na", "", "pass", "pass")
    walk(record, script)
    assert [item for item, _ in script.shown] == ["a-01", "a-02", "a-01", "a-02", "b-02"]
    assert script.shown[2][1].current is not None and script.shown[2][1].current.result == "pass"
    assert results(record)["demo/a-01"] == "na"
    assert len(record.responses) == 4


def test_back_on_the_first_item_warns_and_stays() -> None:
    record = make_record(industry=["商贸"])
    script = Script("back", "pass", "pass", "pass")
    walk(record, script)
    assert script.warnings and [item for item, _ in script.shown][:2] == ["a-01", "a-01"]


def test_jump_by_position_and_by_id_and_unknown_target() -> None:
    record = make_record(industry=["商贸"])
    script = Script("jump", "3", "pass", "jump", "nope", "a-02", "pass", "pass")
    walk(record, script)
    assert [item for item, _ in script.shown] == ["a-01", "b-02", "a-01", "a-02", "a-01"]
    assert script.warnings and "nope" in script.warnings[0]
    assert record.status == "complete"


def test_jump_to_an_id_in_two_checklists_lists_both_and_takes_checklist_slash_item() -> None:
    first = make_checklist("one", [{"id": "x-01", "text": "甲", "standard": "标准"},
                                   {"id": "x-02", "text": "乙", "standard": "标准"}])
    second = make_checklist("two", [{"id": "x-01", "text": "丙", "standard": "标准"}])
    script = Script("jump", "x-01", "two/x-01", "pass", "pass", "pass")
    walk(make_record(first, second), script)
    assert [(p.checklist, item) for item, p in script.shown] == [
        ("清单one", "x-01"), ("清单two", "x-01"), ("清单one", "x-01"), ("清单one", "x-02")]
    assert script.warnings == ["“x-01”在多份清单中都有：one/x-01、two/x-01；请输入其中之一（清单标识/检查项标识）。"]


def test_jump_to_an_id_shared_through_same_as_goes_to_the_one_question() -> None:
    first = make_checklist("one", [{"id": "x-01", "text": "甲", "standard": "标准"},
                                   {"id": "x-02", "text": "乙", "standard": "标准"}])
    second = make_checklist("two", [{"id": "x-01", "text": "甲", "standard": "标准", "same_as": "one/x-01"}])
    script = Script("pass", "jump", "x-01", "pass", "pass")
    walk(make_record(first, second), script)
    assert [item for item, _ in script.shown] == ["x-01", "x-02", "x-01", "x-02"] and not script.warnings


def test_jump_to_an_item_its_condition_ruled_out_says_so_and_may_change_it() -> None:
    record = make_record(industry=["商贸"])
    # declined: stays on a-01; accepted: b-01 is asked between a-02 and b-02 (3 of 4), answered by hand,
    # and the walk goes on to the next open item
    script = Script("jump", "b-01", False, "jump", "b-01", True, *FAIL_GENERAL, "pass", "pass", "pass")
    walk(record, script)
    assert [(item, p.position, p.count) for item, p in script.shown] == [
        ("a-01", 1, 3), ("a-01", 1, 3), ("b-01", 3, 4), ("b-02", 4, 4), ("a-01", 1, 4), ("a-02", 2, 4)]
    assert script.shown[2][1].current is not None and script.shown[2][1].current.auto
    b01 = next(r for r in record.responses if r.item == "b-01")
    assert (b01.result, b01.auto) == ("fail", False)
    assert record.status == "complete" and len(record.responses) == 4


def test_note_is_kept_before_and_after_answering() -> None:
    record = make_record(industry=["商贸"])
    script = Script("note", "先记一笔", "pass", "back", "note", "改过的备注", "quit")
    outcome, saved = walk(record, script)
    assert outcome == "quit"
    a01 = next(r for r in record.responses if r.item == "a-01")
    assert a01.note == "改过的备注"
    assert next(r for r in saved[-1].responses if r.item == "a-01").note == "改过的备注"


def test_quit_leaves_the_record_in_progress() -> None:
    record = make_record(industry=["商贸"])
    outcome, saved = walk(record, Script("pass", "quit"))
    assert outcome == "quit" and record.status == "in-progress"
    assert saved[-1].status == "in-progress"
    assert results(saved[-1])["demo/a-01"] == "pass"


def test_interrupt_inside_a_sub_prompt_loses_only_that_item() -> None:
    record = make_record(industry=["商贸"])
    saved: list[recordmodels.InspectionRecord] = []
    script = Script("pass", "fail", "问题", KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        session.run_inspection(record, script, session.WalkOptions(clock=Clock(), save=saved.append))
    last = {r.item: r.result for r in saved[-1].responses if not r.auto}
    assert last == {"a-01": "pass"}


def test_major_on_an_item_that_is_not_major_possible_needs_confirmation() -> None:
    record = make_record(make_checklist("demo", [{"id": "a-01", "text": "甲", "standard": "乙"}]))
    # 2 -> declined -> asked again -> 2 -> confirmed; a major hazard then needs a typed deadline
    script = Script("fail", "", "2", False, "2", True, "", "", "2025-02-30", "2025-02-01", "14", "", "", "")
    walk(record, script)
    hazard = record.responses[0].hazard
    assert hazard is not None and hazard.level == "major"
    assert hazard.deadline == START.date() + dt.timedelta(days=14)
    assert len(script.warnings) == 3  # required, impossible date, past date
    assert script.confirms == ["本项通常不构成重大事故隐患。确定将本项定为重大事故隐患吗？"] * 2


def test_major_possible_item_takes_major_without_confirmation() -> None:
    record = make_record(make_checklist("demo", [{"id": "a-01", "text": "甲", "standard": "乙",
                                                  "major_possible": True, "hint": "整改"}]))
    walk(record, Script("fail", "自定义问题", "2", "", "2025-04-01", "", "李四", ""))
    hazard = record.responses[0].hazard
    assert hazard is not None
    assert (hazard.level, hazard.description, hazard.measure, hazard.owner) == ("major", "自定义问题", "整改", "李四")
    assert hazard.deadline == dt.date(2025, 4, 1)


def test_evidence_is_recorded_with_size_and_hash(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8 picture")
    record = make_record(make_checklist("demo", [{"id": "a-01", "text": "甲", "standard": "乙"}]))
    script = Script("fail", "", "", "", "", "", str(tmp_path / "missing.jpg"), str(photo), "")
    walk(record, script, evidence_base=tmp_path)
    hazard = record.responses[0].hazard
    assert hazard is not None
    assert [msgspec.structs.asdict(e) for e in hazard.evidence] == [
        {"path": "photo.jpg", "size": photo.stat().st_size,
         "sha256": hashlib.sha256(photo.read_bytes()).hexdigest()}]
    assert script.warnings and "missing.jpg" in script.warnings[0]


def test_resume_starts_at_the_first_unanswered_item() -> None:
    record = make_record(industry=["商贸"])
    walk(record, Script("pass", "quit"))
    script = Script("back", "pass", "pass", "pass")
    walk(record, script)
    assert [item for item, _ in script.shown] == ["a-02", "a-01", "a-02", "b-02"]
    assert record.status == "complete"


def test_reopened_record_quit_without_open_items_is_complete_again() -> None:
    record = make_record(industry=["商贸"])
    walk(record, Script("pass", "pass", "pass"))
    script = Script("jump", "2", "na", "")
    outcome, _ = walk(record, script, start=0)
    assert outcome == "complete" and results(record)["demo/a-02"] == "na"
    finished, before = record.finished_at, msgspec.json.encode(record)
    outcome, saved = walk(record, Script("quit"), start=0)  # resume --reopen, then q with no change
    # Nothing changed, so every save hands the file layer the same record (it then writes nothing).
    assert outcome == "complete" and all(msgspec.json.encode(r) == before for r in saved)
    assert record.status == "complete" and record.finished_at == finished


def test_a_change_to_a_reopened_record_keeps_it_complete_with_its_end_time() -> None:
    # An amendment is not a new walk: the 检查时间 on the 现场检查记录 stays as it was.
    record = make_record(industry=["商贸"])
    walk(record, Script("pass", "pass", "pass"))
    finished = record.finished_at
    outcome, saved = walk(record, Script("na", "", "quit"), start=0)
    assert outcome == "complete" and saved and {r.status for r in saved} == {"complete"}
    assert {r.finished_at for r in saved} == {finished} and results(record)["demo/a-01"] == "na"


def test_reopening_a_record_whose_items_are_all_ruled_out_asks_nothing() -> None:
    record = make_record(make_checklist("demo", [{"id": "b-01", "text": "甲", "standard": "乙",
                                                  "when": {"industry": ["化工"]}}]), industry=["商贸"])
    assert walk(record, Script())[0] == "complete"
    before = msgspec.json.encode(record)
    outcome, saved = walk(record, Script(), start=0)  # resume --reopen
    assert outcome == "complete" and record.status == "complete"
    assert all(msgspec.json.encode(r) == before for r in saved)  # nothing changed: nothing to write
    assert [(r.item, r.result, r.auto) for r in record.responses] == [("b-01", "na", True)]


def test_tag_selection_keeps_only_tagged_items() -> None:
    record = make_record(tags=("emergency",))
    script = Script("pass")
    walk(record, script)
    assert [item.id for item in record.checklists[0].items] == ["b-02"]
    assert [s.id for s in record.checklists[0].sections] == ["b"]
    assert [item for item, _ in script.shown] == ["b-02"]


def test_summary_counts_sections_hazards_and_score() -> None:
    record = make_record(industry=["商贸"])
    walk(record, Script("pass", *FAIL_GENERAL, "pass"))
    summary = session.summarize(record)
    tally, sections = summary.checklists[0]
    assert (tally.passed, tally.failed, tally.na, tally.open) == (2, 1, 1, 0)
    assert tally.score == pytest.approx(2 / 3)
    assert [(s.title, s.passed, s.failed, s.na) for s in sections] == [("第一部分", 1, 1, 0), ("第二部分", 1, 0, 1)]
    assert (summary.general, summary.major) == (1, 0)
    assert session.Tally("x", na=3).score is None


def test_deadline_examples_are_dates_after_today_by_the_clock() -> None:
    record = make_record(make_checklist("demo", [{"id": "a-01", "text": "甲", "standard": "乙",
                                                  "major_possible": True}]))
    script = Script("fail", "", "2", "", "next week", "7", "", "", "")
    walk(record, script)  # the clock says 2025-03-05
    deadline = next(q for q, _ in script.questions if q.startswith("整改期限"))
    assert deadline == "整改期限（重大隐患必须填写：日期如 2025-04-04，或天数）（0 或“当场”= 已当场整改）"
    assert script.warnings == ["“next week”不是日期（如 2025-04-04）也不是天数。"]
    general = make_record(make_checklist("demo", [{"id": "a-01", "text": "甲", "standard": "乙"}]))
    script = Script(*FAIL_GENERAL)
    walk(general, script)
    assert ("整改期限（日期如 2025-04-04，或天数；Enter 为 30 天）（0 或“当场”= 已当场整改）", "30") in script.questions


@pytest.mark.parametrize(("text", "expected"), [
    ("30", dt.date(2025, 4, 4)), ("7天", dt.date(2025, 3, 12)), ("2025-04-30", dt.date(2025, 4, 30)),
    ("2025/4/30", dt.date(2025, 4, 30)), ("2025.4.30", dt.date(2025, 4, 30)),
])
def test_deadline_accepts_dates_and_days(text: str, expected: dt.date) -> None:
    assert session.parse_deadline(text, dt.date(2025, 3, 5)) == expected


@pytest.mark.parametrize("text", ["0", "2025-02-30", "2025-03-04", "next week", "2025-13-01"])
def test_deadline_refuses_bad_values(text: str) -> None:
    with pytest.raises(ValueError):
        session.parse_deadline(text, dt.date(2025, 3, 5))


def test_snapshot_keeps_the_note_of_an_unverified_item() -> None:
    cl = make_checklist(items=[
        {"id": "a-01", "text": "有责任制吗？", "standard": "有书面责任制。", "verified": False,
         "note": "第六条原文未核对。"},
        {"id": "a-02", "text": "配备安全管理人员吗？", "standard": "按规定配备。"},
    ])
    snap = session.snapshot(cl, "0" * 64)
    notes = [(i.id, i.verified, i.note) for i in snap.items]
    assert notes == [("a-01", False, "第六条原文未核对。"), ("a-02", True, None)]
    record = make_record(cl)
    assert msgspec.convert(msgspec.to_builtins(record), recordmodels.InspectionRecord).checklists[0].items[0].note == (
        "第六条原文未核对。")


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/null are POSIX")
@pytest.mark.parametrize(("make", "kind"), [("folder", "是文件夹"), ("fifo", "是命名管道（FIFO）"),
                                            ("device", "是设备文件")])
def test_evidence_that_is_a_folder_fifo_or_device_is_named_as_such_at_once(tmp_path: Path, make: str,
                                                                           kind: str) -> None:
    import os
    import time

    target = tmp_path / "evidence"
    if make == "folder":
        target.mkdir()
    elif make == "fifo":
        os.mkfifo(target)
    else:
        target = Path("/dev/null")
    started = time.monotonic()
    with pytest.raises(ValueError, match=kind) as err:
        session.evidence_for(str(target), tmp_path)
    assert "找不到" not in str(err.value) and time.monotonic() - started < 5  # a FIFO never blocks the walk


def scoped_record(industry: list[str]) -> recordmodels.InspectionRecord:
    """One flagged item whose standard applies to 冶金 units only."""
    checklist = make_checklist("demo", [{"id": "a-01", "text": "甲", "standard": "乙", "major_possible": True}])
    snap = session.snapshot(checklist, "0" * 64, major_scope=lambda item: ["冶金"])
    return recordmodels.InspectionRecord(mode="inspect", started_at=START, checklists=[snap],
                                         unit=recordmodels.Unit(name="测试公司", industry=industry))  # type: ignore[arg-type]


def test_a_scoped_major_flag_is_shown_and_taken_only_for_its_industries() -> None:
    record = scoped_record(["冶金"])
    assert record.checklists[0].items[0].major_industries == ["冶金"]
    script = Script("fail", "", "2", "", "2025-04-01", "", "", "")
    walk(record, script)
    assert script.shown[0][0] == "a-01" and script.confirms == []
    assert record.responses[0].hazard is not None and record.responses[0].hazard.level == "major"


def test_outside_its_industries_a_scoped_flag_needs_the_usual_confirmation() -> None:
    record = scoped_record(["建筑施工"])
    seen: list[bool] = []

    class Watch(Script):
        def ask_item(self, item: recordmodels.SnapshotItem, progress: session.Progress) -> session.Key:
            seen.append(item.major_possible)
            return super().ask_item(item, progress)

    script = Watch("fail", "", "2", True, "", "2025-04-01", "", "", "")
    walk(record, script)
    assert seen == [False]  # no ◆ on the item screen
    assert script.confirms == ["本项通常不构成重大事故隐患。确定将本项定为重大事故隐患吗？"]
    assert record.checklists[0].items[0].major_possible  # the record keeps the checklist's flag


def test_a_unit_without_industry_keeps_a_scoped_flag() -> None:
    item = scoped_record([]).checklists[0].items[0]
    assert session.major_applies(item, recordmodels.Unit(name="x"))
    assert not session.major_applies(item, recordmodels.Unit(name="x", industry=["商贸"]))
