"""hazards update / show / list: the unit's side after the walk, as events; the ledger."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import shutil
from pathlib import Path

import pytest

from safetycheck.lifecycle.files import load_record
from safetycheck.lifecycle.hazards import HazardError, Update
from safetycheck.lifecycle.ledger import COLUMNS
from safetycheck.lifecycle.updates import update_hazards
from tests.conftest import run_cli
from tests.test_lifecycle import ANSWERS, answered_record

RECORDS = Path(__file__).resolve().parent / "data" / "records"
SELF = ANSWERS.replace("mode: inspect", "mode: self").replace(
    'inspectors: [{name: 张三, cert: "1401"}, {name: 李四, cert: "1402"}]', "inspectors: [{name: 张三, post: 安全员}]")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    answered_record(tmp_path)  # h1: alpha/a-02 (major), h2: alpha/shared-01 (general)
    return tmp_path


def test_rectified_with_note_evidence_funds_and_by_is_one_event(work: Path) -> None:
    (work / "after.jpg").write_bytes(b"photo")
    proc = run_cli("hazards", "update", "r.toml", "h2", "--rectified", "2026-03-20", "--note", "已补制度",
                   "--evidence", "after.jpg", "--funds", "1200.5", "--by", "王五", cwd=work)
    assert proc.returncode == 0, proc.stderr
    record, _ = load_record(work / "r.toml")
    event = record.events[-1]
    assert (event.kind, event.hazard, event.by) == ("rectified", "h2", "王五")
    assert event.detail["note"] == "已补制度" and event.detail["funds"] == 1200.5
    assert event.detail["evidence"] == [{"path": "after.jpg", "size": 5,
                                         "sha256": hashlib.sha256(b"photo").hexdigest()}]
    shown = json.loads(run_cli("hazards", "show", "r.toml", "alpha/shared-01", "--format", "json", cwd=work).stdout)
    assert shown["status"] == "rectified" and shown["funds"] == 1200.5 and shown["rectified_at"] == "2026-03-20"
    assert [e["kind"] for e in shown["history"]] == ["rectified"]
    assert run_cli("verify", "r.toml", cwd=work).returncode == 0


def test_ids_item_ids_and_checklist_item_all_name_a_hazard(work: Path) -> None:
    for ident in ("h1", "a-02", "alpha/a-02"):
        proc = run_cli("hazards", "show", "r.toml", ident, "--format", "json", cwd=work)
        assert proc.returncode == 0 and json.loads(proc.stdout)["hazard"] == "h1"


@pytest.mark.parametrize(("args", "words"), [
    (["h9", "--rectified", "today"], "h9"),
    (["shared-01", "--rectified", "today"], "alpha/shared-01, beta/shared-01"),
    (["a-01", "--rectified", "today"], "no hazard"),
    (["h2", "--rectified", "2026-13-01"], "2026-13-01"),
    (["h2", "--rectified", "2099-01-01"], "future"),
    (["h2", "--rectified", "2026-03-01"], "before the inspection"),
    (["h2", "--closed-by", "甲局", "--closed", "today"], "open"),
    (["h2", "--reported-workers", "today"], "only for a major hazard"),
    (["h1", "h2", "--reported-workers", "today"], "h2: --reported-workers"),  # all or nothing
    (["h1", "--reported-regulator", "today"], "--regulator"),
    (["h1", "--listed-by", "甲局"], "--listed-number"),
    (["h2", "--funds", "-5"], "--funds"),
    (["h2", "--plan", "r.toml"], "--plan"),
    (["h2", "--evidence", "nope.jpg"], "nope.jpg"),
    (["h2"], "nothing to record"),
])
def test_bad_input_is_one_line_exit_1_and_the_record_untouched(work: Path, args: list[str], words: str) -> None:
    before = (work / "r.toml").read_bytes()
    proc = run_cli("--lang", "en", "hazards", "update", "r.toml", *args, cwd=work)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and words in proc.stderr, proc.stderr
    assert (work / "r.toml").read_bytes() == before


def test_transitions_open_rectified_closed_and_no_way_back(work: Path) -> None:
    assert run_cli("hazards", "update", "r.toml", "h2", "--rectified", "today", cwd=work).returncode == 0
    again = run_cli("hazards", "update", "r.toml", "h2", "--rectified", "today", cwd=work)
    assert again.returncode == 1 and "已整改待复查" in again.stderr
    assert run_cli("hazards", "update", "r.toml", "h2", "--closed-by", "甲局", "--closed", "today",
                   cwd=work).returncode == 0
    shown = json.loads(run_cli("hazards", "show", "r.toml", "h2", "--format", "json", cwd=work).stdout)
    assert shown["status"] == "closed" and shown["closed_at"] and shown["last_event"].startswith("closed ")


def test_major_hazard_reports_and_listing_are_recorded(work: Path) -> None:
    proc = run_cli("hazards", "update", "r.toml", "h1", "--reported-regulator", "2026-03-06", "--regulator",
                   "甲市应急管理局", "--reported-workers", "2026-03-07", "--listed-by", "甲市安委办",
                   "--listed-number", "甲安督〔2026〕3号", "--listed-date", "2026-03-08", cwd=work)
    assert proc.returncode == 0, proc.stderr
    record, _ = load_record(work / "r.toml")
    assert [e.kind for e in record.events[1:]] == ["reported-regulator", "reported-workers", "listed"]
    assert record.events[-1].detail["number"] == "甲安督〔2026〕3号"
    (work / "plan.pdf").write_bytes(b"%PDF")
    proc = run_cli("hazards", "update", "r.toml", "h1", "--plan", "plan.pdf", "--funds", "20000", cwd=work)
    assert proc.returncode == 0
    noted = load_record(work / "r.toml")[0].events[-1]
    assert noted.kind == "noted" and noted.detail["plan"]["evidence"][0]["path"] == "plan.pdf"
    shown = json.loads(run_cli("hazards", "show", "r.toml", "h1", "--format", "json", cwd=work).stdout)
    assert shown["funds"] == 20000 and shown["status"] in ("open", "overdue")


def test_self_audit_major_hazard_does_not_close_on_the_units_word(tmp_path: Path) -> None:
    answered_record(tmp_path, SELF)
    run_cli("hazards", "update", "r.toml", "h1", "--rectified", "today", cwd=tmp_path)
    refused = run_cli("--lang", "en", "hazards", "update", "r.toml", "h1", "--closed-by", "测试公司", "--closed",
                      "today", cwd=tmp_path)
    assert refused.returncode == 1 and "own word" in refused.stderr
    rows = json.loads(run_cli("hazards", "list", "--status", "rectified", "--format", "json", cwd=tmp_path).stdout)
    assert [(r["hazard"], r["status"]) for r in rows] == [("h1", "rectified")]
    assert "已整改待监管部门审核" in run_cli("hazards", "list", cwd=tmp_path).stdout
    report = run_cli("report", "r.toml", "--doc", "hazards", cwd=tmp_path).stdout
    assert "已整改待监管部门审核" in report
    assert run_cli("hazards", "update", "r.toml", "h1", "--closed-by", "某县应急管理局", "--closed", "today",
                   cwd=tmp_path).returncode == 0


def _update(path: str, ident: str) -> None:
    update_hazards(Path(path), [ident], Update(rectified="today", note=f"by {ident}"))


def test_concurrent_updates_on_one_record_both_land(work: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_update, args=(str(work / "r.toml"), ident)) for ident in ("h1", "h2")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    record, _ = load_record(work / "r.toml")
    assert sorted(e.hazard for e in record.events if e.kind == "rectified") == ["h1", "h2"]
    assert run_cli("verify", "r.toml", cwd=work).returncode == 0


def test_update_refuses_an_in_progress_record(tmp_path: Path) -> None:
    shutil.copy(RECORDS / "in-progress.toml", tmp_path / "p.toml")
    with pytest.raises(HazardError, match="p.toml"):
        update_hazards(tmp_path / "p.toml", ["h1"], Update(rectified="today"))


# --- the ledger -------------------------------------------------------------------------------


def ledger_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    for name in ("inspect", "self", "supervise", "in-progress"):
        shutil.copy(RECORDS / f"{name}.toml", folder / "sub" / f"{name}.toml")
    shutil.copy(RECORDS / "inspect.toml", folder / ".hidden" / "copy.toml")
    (folder / "other.toml").write_text('title = "not a record"\n', encoding="utf-8")
    return folder


def test_list_is_one_row_per_hazard_overdue_first_in_every_format(tmp_path: Path) -> None:
    folder = ledger_folder(tmp_path)
    rows = json.loads(run_cli("hazards", "list", "records", "--format", "json", cwd=tmp_path).stdout)
    assert [list(r) for r in rows[:1]] == [[key for key, _ in COLUMNS]]
    assert len(rows) == 7 and not any(".hidden" in r["file"] or "in-progress" in r["file"] for r in rows)
    days = [r["overdue_days"] for r in rows]
    assert days == sorted(days, reverse=True) and all(r["status"] == "overdue" for r in rows)
    text = run_cli("--lang", "en", "hazards", "list", "records", cwd=tmp_path)
    assert text.returncode == 0 and text.stdout.endswith("7 hazard(s).\n")
    table = list(csv.reader(io.StringIO(run_cli("hazards", "list", "records", "--format", "csv",
                                                cwd=tmp_path).stdout)))
    assert table[0][:4] == ["记录标识", "文件", "单位", "隐患"] and len(table) == 8
    assert folder.is_dir()


def test_list_filters(tmp_path: Path) -> None:
    ledger_folder(tmp_path)

    def ids(*args: str) -> list[str]:
        proc = run_cli("hazards", "list", "records", "--format", "json", *args, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        return sorted(f"{Path(r['file']).stem}/{r['hazard']}" for r in json.loads(proc.stdout))

    assert ids("--level", "major") == ["inspect/h2", "self/h1"]
    assert ids("--unit", "煤矿") == ["self/h1", "self/h2"]
    assert ids("--status", "open") == [] and ids("--status", "closed") == []
    assert len(ids("--status", "all")) == 7 and len(ids("--due-within", "0")) == 7
    for bad in (["--status", "done"], ["--level", "big"], ["--format", "pdf"], ["--due-within", "x"]):
        assert run_cli("hazards", "list", "records", *bad, cwd=tmp_path).returncode == 2


def test_broken_record_is_a_warning_and_the_rest_is_listed(tmp_path: Path) -> None:
    ledger_folder(tmp_path)
    (tmp_path / "records" / "bad.toml").write_text('schema = "safetycheck.record/2"\nmode = [', encoding="utf-8")
    proc = run_cli("hazards", "list", "records", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1 and len(json.loads(proc.stdout)) == 7
    assert proc.stderr.count("\n") == 1 and "bad.toml:2:" in proc.stderr and "Traceback" not in proc.stderr


def test_csv_cells_that_would_run_as_formulas_are_defused(work: Path) -> None:
    run_cli("hazards", "update", "r.toml", "h2", "--rectified", "today", "--funds", "10", cwd=work)
    text = (work / "r.toml").read_text(encoding="utf-8").replace('description = "没有制度"', 'description = "=1+1"')
    (work / "x.toml").write_text(text, encoding="utf-8")
    rows = list(csv.reader(io.StringIO(run_cli("hazards", "list", "x.toml", "--status", "all", "--format", "csv",
                                               cwd=work).stdout)))
    assert "'=1+1" in rows[2] or "'=1+1" in rows[1]


def test_show_in_english_and_bad_ids(work: Path) -> None:
    proc = run_cli("--lang", "en", "hazards", "show", "r.toml", "h1", cwd=work)
    assert proc.returncode == 0 and "level: major hazard" in proc.stdout and "History:" in proc.stdout
    assert "status: open" in proc.stdout or "status: overdue" in proc.stdout
    bad = run_cli("--lang", "en", "hazards", "show", "r.toml", "h7", cwd=work)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "h1, h2" in bad.stderr
    assert run_cli("hazards", "show", "r.toml", "h1", "--format", "xml", cwd=work).returncode == 2
    missing = run_cli("hazards", "show", "nope.toml", "h1", cwd=work)
    assert missing.returncode == 1 and "nope.toml" in missing.stderr and "Traceback" not in missing.stderr
    days = run_cli("--lang", "en", "hazards", "list", "--due-within", "-1", cwd=work)
    assert days.returncode == 2 and "--due-within" in days.stderr


def test_several_ids_in_one_call_each_get_the_event(work: Path) -> None:
    proc = run_cli("hazards", "update", "r.toml", "h1", "alpha/shared-01", "--rectified", "today", "--by", "王五",
                   cwd=work)
    assert proc.returncode == 0 and proc.stderr.count("\n") == 2
    record, _ = load_record(work / "r.toml")
    assert [(e.kind, e.hazard, e.by) for e in record.events[1:]] == [("rectified", "h1", "王五"),
                                                                      ("rectified", "h2", "王五")]
