"""Numbering through the default embedded store: made on first use, the legacy counters taken over once."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, default_store_numbers

RECORD = Path(__file__).resolve().parent / "data" / "records" / "inspect.toml"
AGENCY = '[agency]\nname = "甲市应急管理局"\nshort_name = "甲应急"\n'


def _env(work: Path, **extra: str) -> dict[str, str]:
    """No store configured: the data folder is the test's own ``XDG_DATA_HOME`` (never the real home)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK_")}
    env.update(PYTHONPATH=str(ROOT), NO_COLOR="1", PYTHONIOENCODING="utf-8",
               SAFETYCHECK_CONFIG_DIR=str(work / "config"), **extra)
    return env


def _sc(work: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=work, env=_env(work, **extra), capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def _work(tmp_path: Path, *names: str) -> Path:
    (tmp_path / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    for name in names:
        shutil.copy(RECORD, tmp_path / name)
    return tmp_path


def _store() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "safetycheck" / "safetycheck.sqlite3"


def _number(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    return next(line.strip() for line in proc.stdout.splitlines() if "应急检记〔2026〕" in line)


def test_report_issue_without_a_store_url_numbers_from_the_embedded_store_made_on_first_use(tmp_path: Path) -> None:
    work = _work(tmp_path, "a.toml", "b.toml")
    (work / "config").mkdir()
    counter = work / "config" / "document-numbers.toml"
    counter.write_text('[counters."甲市应急管理局"."应急检记"]\n2026 = 41\n\n[[voided]]\nagency = "甲市应急管理局"\n'
                       'code = "应急检记"\nyear = 2026\nseq = 40\nrecord = "old.toml"\nreason = "render-failed"\n',
                       encoding="utf-8")
    assert not _store().exists()
    first = _sc(work, "-m", "safetycheck", "report", "a.toml", "--format", "txt", "--issue")
    assert _number(first) == "（甲应急）应急检记〔2026〕42号"  # the legacy counter went on, in the store
    assert _store().is_file()
    counter.write_text('[counters."甲市应急管理局"."应急检记"]\n2026 = 7\n', encoding="utf-8")  # changed after import
    second = _sc(work, "-m", "safetycheck", "report", "b.toml", "--format", "txt", "--issue")
    assert _number(second) == "（甲应急）应急检记〔2026〕43号"  # imported once: the file is not read again
    rows = {row["seq"]: row["status"] for row in default_store_numbers()}
    assert rows == {41: "imported", 40: "voided", 42: "issued", 43: "issued"}
    with sqlite3.connect(_store()) as conn:
        ((path, device),) = conn.execute("SELECT path, device FROM imported_counters").fetchall()
    assert path == str(counter) and device == (_store().parent / "device-id").read_text(encoding="utf-8").strip()
    assert not list(_store().parent.glob(".*.tmp*"))


def test_report_without_issue_never_imports_or_opens_a_database(tmp_path: Path) -> None:
    work = _work(tmp_path, "a.toml")
    (work / "config").mkdir()
    (work / "config" / "document-numbers.toml").write_text('[counters."甲市应急管理局"."应急检记"]\n2026 = 3\n',
                                                          encoding="utf-8")
    proc = _sc(work, "-X", "importtime", "-m", "safetycheck", "report", "a.toml", "--format", "txt")
    assert proc.returncode == 0, proc.stderr
    assert " sqlite3" not in proc.stderr and "psycopg" not in proc.stderr and "safetycheck.store" not in proc.stderr
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "safetycheck").exists()  # nothing made, nothing imported


def test_a_damaged_counter_file_stops_the_default_store_being_made_and_is_named_again(tmp_path: Path) -> None:
    work = _work(tmp_path, "a.toml")
    (work / "config").mkdir()
    (work / "config" / "document-numbers.toml").write_text("counters = [", encoding="utf-8")
    before = (work / "a.toml").read_bytes()
    for _ in range(2):
        proc = _sc(work, "-m", "safetycheck", "report", "a.toml", "--format", "txt", "--issue")
        assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "document-numbers.toml" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert not _store().exists() and (work / "a.toml").read_bytes() == before


def test_processes_issuing_at_once_on_a_new_laptop_never_share_a_number(tmp_path: Path) -> None:
    """Four real processes start together before the default store exists; each issues two records."""
    names = [f"r{i}.toml" for i in range(8)]
    work = _work(tmp_path, *names)
    env = _env(work, SAFETYCHECK_NO_CACHE="1")
    procs = [subprocess.Popen([sys.executable, "-m", "safetycheck", "report", *names[2 * k:2 * k + 2], "--format",
                               "json", "--issue", "-o", str(work / f"out{k}")], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for k in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    from safetycheck.lifecycle.files import load_record
    from safetycheck.lifecycle.issuing import issues

    numbers = sorted(issues(load_record(work / n)[0])["inspection-record"].number for n in names)
    assert numbers == sorted(f"（甲应急）应急检记〔2026〕{n}号" for n in range(1, 9))
    assert sorted(row["seq"] for row in default_store_numbers()) == list(range(1, 9))
    with sqlite3.connect(_store()) as conn:  # the processes agreed on one device id as they made it
        assert conn.execute("SELECT COUNT(DISTINCT device) FROM numbers").fetchone()[0] == 1


DRAW = """
import sys
from safetycheck.store.ranges import draw
print(" ".join(str(draw("甲市应急管理局", "应急检记", 2026)) for _ in range(int(sys.argv[1]))), flush=True)
"""


def test_processes_drawing_from_one_range_at_once_never_share_a_number(tmp_path: Path) -> None:
    """Offline numbering reads and writes the local ranges file under its lock: four real processes, 40 numbers."""
    import tomli_w

    data = tmp_path / "data"
    data.mkdir()
    (data / "number-ranges.toml").write_text(tomli_w.dumps({"ranges": [
        {"agency": "甲市应急管理局", "code": "应急检记", "year": 2026, "first": 101, "last": 140, "used": [],
         "reported": [], "at": "2026-03-01T08:00:00+08:00"}]}), encoding="utf-8")
    env = _env(tmp_path, SAFETYCHECK_DATA_DIR=str(data))
    procs = [subprocess.Popen([sys.executable, "-c", DRAW, "10"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in outs]
    drawn = [int(n) for out, _ in outs for n in out.split()]
    assert sorted(drawn) == list(range(101, 141))  # 40 numbers, none twice
    import tomllib

    (row,) = tomllib.loads((data / "number-ranges.toml").read_text(encoding="utf-8"))["ranges"]
    assert sorted(row["used"]) == list(range(101, 141))
    proc = subprocess.run([sys.executable, "-c", DRAW, "1"], env=env, capture_output=True, text=True)
    assert proc.returncode == 1 and "numbers reserve --code 应急检记" in proc.stderr  # used up: how to reserve
    assert not (data / "number-ranges.toml.lock").exists()
