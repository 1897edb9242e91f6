"""Numbered documents are issued on purpose: --issue, drafts, --reissue after an amendment, voided, served."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from safetycheck.inspection import records
from safetycheck.lifecycle.amend import Keeper
from safetycheck.lifecycle.files import load_record
from safetycheck.lifecycle.issuing import issues
from tests.conftest import default_store_numbers, run_cli
from tests.test_lifecycle import answered_record
from tests.test_session import Clock

RECORDS = Path(__file__).resolve().parent / "data" / "records"
AGENCY = '[agency]\nname = "甲市应急管理局"\nshort_name = "甲应急"\n'


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    answered_record(tmp_path)
    return tmp_path


def sc(work: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli(*args, cwd=work, env={"SAFETYCHECK_CONFIG_DIR": str(work / "state")})




def amend(path: Path) -> None:
    """Change the finding of alpha/shared-01 as resume --reopen would."""
    with records.record_lock(path):
        record, _ = load_record(path)
        keeper = Keeper(record, Clock())
        response = next(r for r in record.responses if r.item == "shared-01" and r.checklist == "alpha")
        response.hazard.description = "制度不全"
        keeper(record)
        records.write_record(path, record)


def test_without_issue_nothing_takes_a_number(work: Path) -> None:
    before = (work / "r.toml").read_bytes()
    proc = sc(work, "report", "r.toml", "--doc", "rectification-order", "--format", "txt")
    assert proc.returncode == 0 and "【草稿】" in proc.stdout and "（　　）应急责改〔　　〕　　号" in proc.stdout
    assert default_store_numbers() == [] and (work / "r.toml").read_bytes() == before


def test_issue_takes_a_number_once_and_records_it_with_seal_and_digest(work: Path) -> None:
    proc = sc(work, "report", "r.toml", "--doc", "rectification-order", "--format", "txt", "--issue")
    assert proc.returncode == 0, proc.stderr
    record, _ = load_record(work / "r.toml")
    assert "（甲应急）应急责改〔2026〕1号" in proc.stdout and f"记录封存 {record.seal[:16]}" in proc.stdout
    assert "【草稿】" not in proc.stdout and "（甲应急）应急责改〔2026〕1号" in proc.stderr
    event = record.events[-1]
    assert event.kind == "issued" and event.detail["number"] == "（甲应急）应急责改〔2026〕1号"
    assert event.detail["seal"] == record.seal and len(event.detail["digest"]) == 64
    again = sc(work, "report", "r.toml", "--doc", "rectification-order", "--format", "txt", "--issue")
    plain = sc(work, "report", "r.toml", "--doc", "rectification-order", "--format", "txt")
    assert again.stdout == proc.stdout == plain.stdout  # re-rendering an issued document gives the same number
    assert len(load_record(work / "r.toml")[0].events) == 2
    assert sc(work, "verify", "r.toml").returncode == 0


def test_digest_does_not_depend_on_language_or_format(work: Path) -> None:
    sc(work, "report", "r.toml", "--doc", "rectification-order", "--issue", "--format", "html")
    en = sc(work, "--lang", "en", "report", "r.toml", "--doc", "rectification-order", "--issue", "--format", "md")
    assert en.returncode == 0 and "（甲应急）应急责改〔2026〕1号" in en.stdout and "DRAFT" not in en.stdout


def test_amended_record_refuses_issue_and_reissue_replaces_the_number(work: Path) -> None:
    assert sc(work, "report", "r.toml", "--doc", "rectification-order", "--issue", "--format", "txt").returncode == 0
    amend(work / "r.toml")
    before = (work / "r.toml").read_bytes()
    refused = sc(work, "report", "r.toml", "--doc", "rectification-order", "--issue", "--format", "txt")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "rectification-order" in refused.stderr and "（甲应急）应急责改〔2026〕1号" in refused.stderr
    assert "--reissue" in refused.stderr and (work / "r.toml").read_bytes() == before
    draft = sc(work, "report", "r.toml", "--doc", "rectification-order", "--format", "txt")
    assert draft.returncode == 0 and "【草稿】" in draft.stdout  # drafts are never refused
    proc = sc(work, "report", "r.toml", "--doc", "rectification-order", "--reissue", "--format", "txt")
    assert proc.returncode == 0, proc.stderr
    assert "（甲应急）应急责改〔2026〕2号" in proc.stdout
    assert "本文书更正并替代（甲应急）应急责改〔2026〕1号。" in proc.stdout
    amended_seal = load_record(work / "r.toml")[0].events[-1].detail["seal"]
    assert f"记录封存 {amended_seal[:16]}" in proc.stdout  # the seal of what the reissued document states
    record, _ = load_record(work / "r.toml")
    assert [e.kind for e in record.events][-3:] == ["reopened", "amended", "reissued"]
    assert sc(work, "verify", "r.toml").returncode == 0


def test_a_number_taken_and_not_used_is_voided(work: Path) -> None:
    (work / "tpl").mkdir()
    (work / "tpl" / "rectification-order.txt.j2").write_text("{{ nothing.here }}\n", encoding="utf-8")
    proc = sc(work, "report", "r.toml", "--doc", "rectification-order", "--issue", "--format", "txt",
              "--templates", "tpl")
    assert proc.returncode == 1 and "rectification-order.txt.j2:1" in proc.stderr
    record, _ = load_record(work / "r.toml")
    assert [(e.kind, e.detail["number"]) for e in record.events[1:]] == [("voided", "（甲应急）应急责改〔2026〕1号")]
    proc = sc(work, "report", "r.toml", "--doc", "rectification-order", "--issue", "--format", "txt")
    assert "（甲应急）应急责改〔2026〕2号" in proc.stdout  # never silently reused
    assert sc(work, "verify", "r.toml").returncode == 0


def test_served_is_recorded_on_an_issued_document_only(work: Path) -> None:
    never = sc(work, "report", "r.toml", "--doc", "rectification-order", "--served", "2026-03-06")
    assert never.returncode == 1 and "--issue" in never.stderr
    assert sc(work, "report", "r.toml", "--served", "3月6日").returncode == 2
    assert sc(work, "report", "r.toml", "--served", "2026-03-06", "--served-how", "快递").returncode == 2
    proc = sc(work, "report", "r.toml", "--doc", "rectification-order", "--issue", "--served", "2026-03-06",
              "--served-how", "直接送达", "--format", "txt")
    assert proc.returncode == 0, proc.stderr
    record, _ = load_record(work / "r.toml")
    assert issues(record)["rectification-order"].served == {"date": dt.date(2026, 3, 6), "how": "直接送达"}
    later = sc(work, "report", "r.toml", "--doc", "rectification-order", "--served", "2026-03-07", "-o", "o.txt")
    assert later.returncode == 0 and [e.kind for e in load_record(work / "r.toml")[0].events][-2:] == [
        "served", "served"]


def test_hand_edited_number_fails_verify_and_blocks_issuing(work: Path) -> None:
    sc(work, "report", "r.toml", "--doc", "rectification-order", "--issue", "--format", "txt")
    path = work / "r.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("应急责改〔2026〕1号", "应急责改〔2026〕9号"),
                    encoding="utf-8")
    proc = sc(work, "--lang", "en", "verify", "r.toml")
    assert proc.returncode == 1 and "event 2 (issued" in proc.stdout
    refused = sc(work, "report", "r.toml", "--issue", "--format", "txt")
    assert refused.returncode == 1 and "verify" not in refused.stdout and "核验" in refused.stderr
    draft = sc(work, "report", "r.toml", "--format", "txt")
    assert draft.returncode == 0 and "记录未通过核验" in draft.stdout


def test_issue_needs_a_complete_record_and_an_agency_short_name(tmp_path: Path) -> None:
    shutil.copy(RECORDS / "in-progress.toml", tmp_path / "p.toml")
    shutil.copy(RECORDS / "hostile.toml", tmp_path / "h.toml")
    env = {"SAFETYCHECK_CONFIG_DIR": str(tmp_path / "state")}
    proc = run_cli("report", "p.toml", "--issue", cwd=tmp_path, env=env)
    assert proc.returncode == 1 and "未完成" in proc.stderr
    proc = run_cli("--lang", "en", "report", "h.toml", "--issue", cwd=tmp_path, env=env)
    assert proc.returncode == 1 and "short_name" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("--lang", "en", "report", "h.toml", "--doc", "hazards", "--issue", cwd=tmp_path, env=env)
    assert proc.returncode == 0 and "issued hazards: no number" in proc.stderr  # a document without a code
    assert (tmp_path / "h.toml").read_text(encoding="utf-8").startswith('schema = "safetycheck.record/2"')


def _issue(folder: str) -> int:
    return run_cli("report", "r.toml", "--doc", "rectification-order", "--issue", "-o", "o.txt", cwd=Path(folder),
                   env={"SAFETYCHECK_CONFIG_DIR": str(Path(folder) / "state")}).returncode


def _rectify(folder: str) -> int:
    return run_cli("hazards", "update", "r.toml", "h2", "--rectified", "today", cwd=Path(folder)).returncode


def test_concurrent_issue_and_update_both_land_and_take_one_number(work: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(3) as pool:
        codes = list(pool.map(lambda f: f(str(work)), [_issue, _issue, _rectify]))
    assert codes == [0, 0, 0]
    record, _ = load_record(work / "r.toml")
    kinds = sorted(e.kind for e in record.events)
    assert kinds == ["completed", "issued", "rectified"]  # the second --issue found it issued
    assert sc(work, "verify", "r.toml").returncode == 0
