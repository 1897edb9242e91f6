"""Record files: round trips, refusal of foreign files, atomic writes, exclusive create, the lock."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import msgspec
import pytest

from safetycheck.errors import ChecklistError, RecordError
from safetycheck.inspection import recordmodels, records
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
TZ = dt.timezone(dt.timedelta(hours=8))


def full_record() -> recordmodels.InspectionRecord:
    """A record using every field, with a mix of None and set values."""
    item = recordmodels.SnapshotItem(id="a-01", text="有责任制吗？", standard="有书面责任制。", section="a",
                               method=["查资料"], basis=[{"law": "安全生产法", "article": 21}],
                               hint="制定责任制。", major_possible=True, when={"industry": ["化工"]})
    snap = recordmodels.Snapshot(id="demo", title="演示", version="1.0", sha256="ab" * 32, status="stable",
                           sections=[recordmodels.SnapshotSection(id="a", title="第一部分")], items=[item])
    copy = recordmodels.SnapshotItem(id="x", text="有责任制吗？", standard="有书面责任制。", section="s",
                                     same_as="demo/a-01")
    other = recordmodels.Snapshot(id="other", title="另一份", version="2", sha256="ef" * 32,
                            sections=[recordmodels.SnapshotSection(id="s", title="部分")], items=[copy])
    hazard = recordmodels.Hazard(level="major", description="未建立责任制", measure="建立", deadline=dt.date(2025, 4,
                                                                                                     4),
                           owner="王五", evidence=[recordmodels.Evidence(path="p.jpg", size=10, sha256="cd" * 32)])
    return recordmodels.InspectionRecord(
        mode="inspect", status="complete",
        started_at=dt.datetime(2025, 3, 5, 9, 0, 5, tzinfo=TZ), finished_at=dt.datetime(2025, 3, 5, 10, 1, tzinfo=TZ),
        unit=recordmodels.Unit(name="测试公司", address="某路1号", industry=["化工", "危险化学品"],
                         representative=recordmodels.Person(name="赵六", post="厂长", phone="139"),
                         witness=recordmodels.Person(name="钱七")),
        inspectors=[recordmodels.Person(name="张三", cert="1400001", org="某局"), recordmodels.Person(name="李四",
                                                                                                  cert="2")],
        checklists=[snap, other],
        responses=[
            recordmodels.Response(checklist="demo", item="a-01", result="fail", note="多行\n备注 \"引号\"",
                            answered_at=dt.datetime(2025, 3, 5, 9, 30, tzinfo=TZ), hazard=hazard),
            recordmodels.Response(checklist="other", item="x", result="na", reason="不涉及", auto=True,
                            answered_at=dt.datetime(2025, 3, 5, 9, 31, tzinfo=dt.UTC), same_as="demo/a-01"),
        ],
        tags=["emergency"])


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    record = full_record()
    path = tmp_path / "r.toml"
    records.write_record(path, record)
    assert records.read_record(path) == record


def test_absent_values_are_left_out_and_times_are_iso_with_offset(tmp_path: Path) -> None:
    record = full_record()
    record.finished_at = None
    record.status = "in-progress"
    path = tmp_path / "r.toml"
    records.write_record(path, record)
    text = path.read_text(encoding="utf-8")
    assert "finished_at" not in text and "None" not in text and "null" not in text
    assert "started_at = 2025-03-05T09:00:05+08:00" in text
    assert "deadline = 2025-04-04\n" in text
    data = tomllib.loads(text)
    assert data["schema"] == "safetycheck.record/2"
    assert "principal" not in data["unit"]
    assert data["responses"][0]["hazard"]["evidence"] == [{"path": "p.jpg", "size": 10, "sha256": "cd" * 32}]
    assert records.read_record(path) == record


@pytest.mark.parametrize(("content", "expect"), [
    (b"this is = = not toml", "TOML"),
    (b"[unit]\nname = 'x'\n", "safetycheck"),
    (b'schema = "safetycheck.record/9"\n', "record/9"),
    (b'schema = "safetycheck.record/1"\nmode = "bogus"\nstarted_at = 2025-03-05T09:00:00+08:00\n'
     b'[unit]\nname = "x"\n', "mode"),
    (b'schema = "safetycheck.record/1"\nmode = "inspect"\n', "started_at"),
    (b"\xff\xfe\x00binary", "UTF-8"),
])
def test_foreign_files_are_refused_and_left_untouched(tmp_path: Path, content: bytes, expect: str) -> None:
    path = tmp_path / "notes.toml"
    path.write_bytes(content)
    before = path.stat()
    with pytest.raises(RecordError) as err:
        records.read_record(path)
    message = str(err.value)
    assert expect in message and str(path) in message and "\n" not in message
    assert path.read_bytes() == content and path.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.toml"]


@pytest.mark.parametrize(("old", "new", "col", "message"), [
    ('result = "fail"', 'result = "maybe"', 10, "responses[0].result：“maybe”不是允许的取值；可选：pass、fail、na。"),
    ('name = "测试公司"', "name = 3", 8, "unit.name：应为文本，实际是整数。"),
    ("deadline = 2025-04-04", 'deadline = "next week"', 12,
     "responses[0].hazard.deadline：应为日期（写成 YYYY-MM-DD），实际是文本。"),
    ('mode = "inspect"\n', "", 1, "缺少必填字段“mode”。"),
    ("deadline = 2025-04-04", "deadline = 2025-04-31", 12,
     "responses[0].hazard.deadline：TOML 语法错误：不是有效的日期或时间（日期写成 YYYY-MM-DD，"
     "时间写成 YYYY-MM-DDTHH:MM:SS+08:00）。"),
])
def test_a_malformed_record_is_refused_by_line_and_key_in_plain_words(tmp_path: Path, old: str, new: str, col: int,
                                                                       message: str) -> None:
    path = tmp_path / "r.toml"
    records.write_record(path, full_record())
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1 if new else 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RecordError) as err:
        records.read_record(path)
    assert str(err.value) == f"{path}:{line}:{col}: {message}"


def test_the_cli_prints_a_record_problem_as_file_line_column_error_key(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    records.write_record(path, full_record())
    text = path.read_text(encoding="utf-8")
    line = text[: text.index('result = "fail"')].count("\n") + 1
    path.write_text(text.replace('result = "fail"', 'result = "maybe"'), encoding="utf-8")
    proc = run_cli("--lang", "en", "report", "r.toml", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == (f"r.toml:{line}:10: error: responses[0].result: 'maybe' is not allowed; "
                           "use one of: pass, fail, na.\n")


def broken(tmp_path: Path, change: object) -> tuple[Path, bytes]:
    """A record written whole, then changed by ``change(record)``; returns its path and bytes."""
    record = full_record()
    change(record)  # type: ignore[operator]
    path = tmp_path / "r.toml"
    records.write_record(path, record)
    return path, path.read_bytes()


def line_of(data: bytes, needle: str, nth: int = 0) -> int:
    text = data.decode("utf-8")
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return text[:at].count("\n") + 1


def test_a_record_without_snapshots_is_refused(tmp_path: Path) -> None:
    path, data = broken(tmp_path, lambda r: setattr(r, "checklists", []))
    with pytest.raises(RecordError) as err:
        records.read_record(path)
    assert str(err.value).startswith(f"{path}:{line_of(data, 'checklists = []')}:14: checklists：记录中没有清单快照")
    assert path.read_bytes() == data


def test_a_snapshot_without_items_is_refused_once(tmp_path: Path) -> None:
    path, data = broken(tmp_path, lambda r: setattr(r.checklists[0], "items", []))
    with pytest.raises(ChecklistError) as err:
        records.read_record(path)
    assert [(p.location.line, p.pointer) for p in err.value.problems] == [(line_of(data, "[[checklists]]"),
                                                                          "checklists[0]")]
    assert "“demo”的快照没有检查项" in err.value.problems[0].message


def test_answers_to_items_the_snapshots_do_not_hold_are_refused(tmp_path: Path) -> None:
    def change(record: recordmodels.InspectionRecord) -> None:
        record.responses[0].item = "a-10"
        record.responses[1].checklist = "gone"

    path, data = broken(tmp_path, change)
    with pytest.raises(ChecklistError) as err:
        records.read_record(path)
    got = [(p.location.line, p.message) for p in err.value.problems]
    assert got == [
        (line_of(data, 'item = "a-10"'), "responses[0].item：清单“demo”的快照中没有检查项“a-10”（是不是“a-01”？）。"),
        (line_of(data, 'checklist = "gone"'),
         "responses[1].checklist：本记录没有清单“gone”的快照；有快照的清单：demo、other。"),
    ]


def test_two_answers_to_one_item_are_refused_but_a_same_as_copy_is_not_a_duplicate(tmp_path: Path) -> None:
    def change(record: recordmodels.InspectionRecord) -> None:
        again = recordmodels.Response(checklist="demo", item="a-01", result="pass", answered_at=record.started_at)
        record.responses.append(again)

    path, data = broken(tmp_path, change)
    with pytest.raises(ChecklistError) as err:
        records.read_record(path)
    (problem,) = err.value.problems
    assert problem.location.line == line_of(data, "[[responses]]", 2)
    first = line_of(data, "[[responses]]")
    assert problem.message == f"responses[2]：检查项“demo/a-01”已在第 {first} 行作答；每个检查项只能有一个答案。"


@pytest.mark.parametrize("command", [["resume", "--reopen"], ["resume"], ["report"]])
def test_resume_and_report_refuse_a_record_without_items_and_leave_it(tmp_path: Path, command: list[str]) -> None:
    path, data = broken(tmp_path, lambda r: setattr(r.checklists[0], "items", []))
    before = path.stat().st_mtime_ns
    proc = run_cli(command[0], "r.toml", *command[1:], cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"r.toml:{line_of(data, '[[checklists]]')}:1: 错误: checklists[0]：") and \
        proc.stderr.count("\n") == 1
    assert path.read_bytes() == data and path.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="nope.toml"):
        records.read_record(tmp_path / "nope.toml")


def test_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    for _ in range(3):
        records.write_record(path, full_record())
    assert [p.name for p in tmp_path.iterdir()] == ["r.toml"]


def test_create_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text("precious", encoding="utf-8")
    with pytest.raises(RecordError, match="r.toml"):
        records.create_record(path, full_record())
    assert path.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["r.toml"]


def test_numbered_names_take_the_next_free_number(tmp_path: Path) -> None:
    stem = records.default_stem(dt.date(2025, 3, 5), "某某/公司: 一车间")
    assert stem == "20250305-某某_公司_-一车间"
    first = records.create_numbered(tmp_path, stem, full_record())
    second = records.create_numbered(tmp_path, stem, full_record())
    assert (first.name, second.name) == (f"{stem}-01.toml", f"{stem}-02.toml")
    assert records.read_record(second) == full_record()


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_new_record_never_goes_through_a_planted_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    stem = records.default_stem(dt.date(2025, 3, 5), "公司")
    (tmp_path / f"{stem}-01.toml").symlink_to(victim)  # dangling: the name is taken all the same
    assert records.create_numbered(tmp_path, stem, full_record()).name == f"{stem}-02.toml"
    with pytest.raises(RecordError, match="已存在"):
        records.create_record(tmp_path / f"{stem}-01.toml", full_record())
    assert not victim.exists()


def test_lock_refuses_a_second_editor_and_is_released(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    records.write_record(path, full_record())
    with records.record_lock(path):
        with pytest.raises(RecordError, match=str(os.getpid())):
            with records.record_lock(path):
                pass
    assert not records.lock_path(path).exists()
    with records.record_lock(path):
        pass


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_lock_held_by_another_process_and_freed_when_it_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    records.write_record(path, full_record())
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from safetycheck.inspection import records
            with records.record_lock(Path({str(path)!r})):
                print("locked", flush=True)
                time.sleep(60)
        """)], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(RecordError, match=str(holder.pid)):
            with records.record_lock(path):
                pass
    finally:
        holder.kill()
        holder.wait()
    with records.record_lock(path):  # the OS dropped the dead process's lock
        pass


def test_lock_keeps_a_half_written_temporary_file_as_orphan_never_deleted_unread(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    records.write_record(path, full_record())
    stale = tmp_path / ".r.toml.99999-0.tmp"
    stale.write_bytes(b"half")
    with records.record_lock(path) as lock:
        assert not stale.exists()
        assert lock.recovery.orphans == [tmp_path / ".r.toml.99999-0.orphan"]
        assert lock.recovery.recovered is None
    assert (tmp_path / ".r.toml.99999-0.orphan").read_bytes() == b"half"
    assert records.read_record(path) == full_record()
    stale.write_bytes(b"another half")  # the same name again (a PID used again after a reboot)
    with records.record_lock(path) as lock:
        assert lock.recovery.orphans == [tmp_path / ".r.toml.99999-0-2.orphan"]
    assert (tmp_path / ".r.toml.99999-0.orphan").read_bytes() == b"half"
    assert (tmp_path / ".r.toml.99999-0-2.orphan").read_bytes() == b"another half"


def _earlier(record: recordmodels.InspectionRecord) -> recordmodels.InspectionRecord:
    """The same record one answer earlier (so not yet complete)."""
    return msgspec.structs.replace(record, responses=record.responses[:1], status="in-progress", finished_at=None)


def test_a_complete_temporary_copy_with_newer_answers_is_recovered(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    newest = full_record()
    records.write_record(path, _earlier(newest))
    (tmp_path / ".r.toml.4242-0.tmp").write_bytes(records.record_to_toml(newest))  # killed before its rename
    with records.record_lock(path) as lock:
        assert lock.recovery.recovered == tmp_path / ".r.toml.4242-0.tmp" and lock.recovery.added == 1
        assert lock.recovery.orphans == []
    assert records.read_record(path) == newest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]


@pytest.mark.parametrize("change", ["other-unit", "changed-answer", "fewer-answers"])
def test_a_temporary_copy_that_is_not_a_strict_superset_is_kept_as_orphan(tmp_path: Path, change: str) -> None:
    path = tmp_path / "r.toml"
    current = full_record()
    records.write_record(path, current)
    other = full_record()
    if change == "other-unit":
        other.unit.name = "另一家公司"
        other.responses.append(recordmodels.Response(checklist="demo", item="zz", result="pass",
                                                     answered_at=current.started_at))
    elif change == "changed-answer":
        other.responses[0].note = "改过的备注"
    else:
        other.responses = other.responses[:1]
    raw = records.record_to_toml(other)
    (tmp_path / ".r.toml.4242-0.tmp").write_bytes(raw)
    with records.record_lock(path) as lock:
        assert lock.recovery.recovered is None
    assert (tmp_path / ".r.toml.4242-0.orphan").read_bytes() == raw
    assert records.read_record(path) == current


def test_a_temporary_copy_identical_to_the_record_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    records.write_record(path, full_record())
    (tmp_path / ".r.toml.4242-0.tmp").write_bytes(path.read_bytes())
    with records.record_lock(path) as lock:
        assert lock.recovery.recovered is None and lock.recovery.orphans == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.toml"]


@pytest.mark.parametrize("where", ["top", "response"])
def test_unknown_keys_are_refused_not_dropped_on_rewrite(tmp_path: Path, where: str) -> None:
    path = tmp_path / "r.toml"
    records.write_record(path, full_record())
    text = path.read_text(encoding="utf-8")
    if where == "top":
        text = text.replace('status = "complete"\n', 'status = "complete"\nreviewed_by = "局长"\n', 1)
    else:
        text = text.replace('result = "fail"\n', 'result = "fail"\nsignature = "abc"\n', 1)
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ChecklistError) as err:
        records.read_record(path)
    problem = err.value.problems[0]
    key = "reviewed_by" if where == "top" else "signature"
    assert f"未知的键“{key}”" in problem.message
    assert problem.location.line == text.splitlines().index(next(ln for ln in text.splitlines()
                                                                 if ln.startswith(key))) + 1
    assert path.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_kill_just_before_the_rename_keeps_the_previous_record_whole(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    script = textwrap.dedent(f"""
        from pathlib import Path
        from safetycheck.inspection import records
        from tests.test_records import full_record
        record = full_record()
        records.write_record(Path({str(path)!r}), record)
        record.responses = record.responses[:1]
        records.write_record(Path({str(path)!r}), record)
        raise SystemExit("not reached")
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), records.CRASH_ENV: "2"})
    assert proc.returncode == -9, proc.stderr
    assert records.read_record(path) == full_record()  # first save intact, second never happened
    assert len(records.stale_temps(path)) == 1  # the complete temporary file is left; the lock recovers or keeps it


def test_toml_in_parts_reads_back_as_the_same_record_and_reuses_the_snapshot(tmp_path: Path) -> None:
    """The snapshot tables are rendered once and joined with the rest; the result is one valid record."""
    record = full_record()
    path = tmp_path / "r.toml"
    records.write_record(path, record)
    first = path.read_bytes()
    assert records.read_record(path) == record
    assert tomllib.loads(first.decode()) == tomllib.loads(records.record_to_toml(record).decode())
    record.responses[-1].note = "a later note"
    records.write_record(path, record)  # a later save: the snapshot text is reused, the answers are new
    assert records.read_record(path) == record
    assert first.split(b"[[responses]]")[0] == path.read_bytes().split(b"[[responses]]")[0]
