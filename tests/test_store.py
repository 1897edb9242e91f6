"""The store on both engines: sync with lineage and flags, queries, numbering, roles, faults."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import ROOT, run_cli

CHECKLISTS = Path(__file__).resolve().parent / "data" / "answers" / "checklists"
AGENCY = '[agency]\nname = "甲市应急管理局"\nshort_name = "甲应急"\n'
ANSWERS = """\
mode: inspect
started_at: "2026-03-05T09:30:00+08:00"
finished_at: "2026-03-05T11:00:00+08:00"
unit: {{name: {unit}, industry: 商贸}}
inspectors: [{{name: {person}, cert: "1401"}}, {{name: 李四, cert: "1402"}}]
default: pass
responses:
  alpha/shared-01: {{result: fail, description: {text}, deadline: 2026-04-01, funds: 3000}}
  a-02: {{result: fail, level: major, description: 无人管理, deadline: 2099-05-01, plan: 停产整顿}}
"""
PG_ENV = "SAFETYCHECK_TEST_PG"


def _pg_admin() -> str | None:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} is not set: .ci/run starts a PostgreSQL cluster for the postgres tests")
        pytest.skip(f"no PostgreSQL: set {PG_ENV} (see .ci/postgres.sh)")
    return url


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh database on the test cluster, dropped afterwards."""
    import psycopg

    admin = _pg_admin()
    assert admin is not None
    name = "sc_" + uuid.uuid4().hex[:12]
    from safetycheck.store.dialect import pg_conninfo

    with psycopg.connect(**pg_conninfo(admin), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield _with_db(admin, name)
    with psycopg.connect(**pg_conninfo(admin), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store tests run on both engines from this one fixture."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    url = request.getfixturevalue("pg_url")
    proc = run_cli("store", "init", env={"SAFETYCHECK_STORE": url, "SAFETYCHECK_CONFIG_DIR": str(tmp_path / "init"),
                                         "SAFETYCHECK_DATA_DIR": str(tmp_path / "init")})
    assert proc.returncode == 0, proc.stderr
    return url


class Laptop:
    """One config folder (device id, settings) using one store, running the real program."""

    def __init__(self, folder: Path, url: str) -> None:
        self.folder, self.url = folder, url
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, cwd=self.folder, env={"SAFETYCHECK_CONFIG_DIR": str(self.folder / "config"),
                                                    "SAFETYCHECK_DATA_DIR": str(self.folder / "data"),
                                                    "SAFETYCHECK_STORE": self.url, **env})

    def inspect(self, name: str = "r.toml", unit: str = "测试公司", person: str = "张三",
                text: str = "没有制度", **env: str) -> Path:
        (self.folder / "a.yaml").write_text(ANSWERS.format(unit=json.dumps(unit, ensure_ascii=False),
                                                           person=json.dumps(person, ensure_ascii=False),
                                                           text=json.dumps(text, ensure_ascii=False)),
                                            encoding="utf-8")
        proc = self("run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", "a.yaml", "-o", name, **env)
        assert proc.returncode == 0, proc.stderr
        return self.folder / name


def _json(proc: subprocess.CompletedProcess[str]) -> object:
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _status(laptop: Laptop) -> dict:  # type: ignore[type-arg]
    return _json(laptop("store", "status", "--format", "json"))  # type: ignore[return-value]


# --- sync, queries --------------------------------------------------------------------------


def test_the_walk_syncs_its_record_and_sync_is_idempotent(tmp_path: Path, store_url: str) -> None:
    pc = Laptop(tmp_path / "pc", store_url)
    pc.inspect()
    assert _status(pc)["revisions"] == 1  # auto_sync after run
    for _ in range(2):
        proc = pc("sync", ".")
        assert proc.returncode == 0 and "新增 0，未变 1" in proc.stderr
    status = _status(pc)
    assert status["revisions"] == 1 and status["records"] == 1 and status["hazards"] == 2
    assert status["engine"] == store_url.split(":")[0] and status["schema_version"] == 2
    (row,) = _json(pc("records", "--format", "json"))  # type: ignore[misc]
    assert row["unit"] == "测试公司" and row["inspectors"] == ["张三", "李四"]
    assert row["checklists"] == ["alpha", "beta"]
    assert row["fails"] == 2 and row["open"] == 2 and row["overdue"] == 1 and row["file"] == str(pc.folder / "r.toml")


def test_hazards_list_store_gives_the_file_ledgers_columns_and_filters(tmp_path: Path, store_url: str) -> None:
    pc = Laptop(tmp_path / "pc", store_url)
    pc.inspect()
    pc.inspect("s.toml", unit="乙公司")
    for args in ([], ["--status", "overdue"], ["--status", "all", "--unit", "乙"], ["--level", "major"]):
        files = _json(pc("hazards", "list", ".", "--format", "json", *args))
        stored = _json(pc("hazards", "list", "--store", "--format", "json", *args))
        assert files and [dict(r, file=None) for r in stored] == [dict(r, file=None) for r in files]  # type: ignore[union-attr]
    csv_files = pc("hazards", "list", ".", "--format", "csv").stdout.splitlines()[0]
    assert pc("hazards", "list", "--store", "--format", "csv").stdout.splitlines()[0] == csv_files


def test_records_filters(tmp_path: Path, store_url: str) -> None:
    pc = Laptop(tmp_path / "pc", store_url)
    pc.inspect()
    pc.inspect("s.toml", unit="乙公司", person="王五")
    units = lambda *a: [r["unit"] for r in _json(pc("records", "--format", "json", *a))]  # type: ignore[union-attr]  # noqa: E731
    assert units() == ["乙公司", "测试公司"] or units() == ["测试公司", "乙公司"]
    assert units("--unit", "乙") == ["乙公司"]
    assert units("--inspector", "王五") == ["乙公司"]
    assert units("--from", "2026-03-06") == [] and len(units("--to", "2026-03-05")) == 2
    assert units("--mode", "self") == [] and len(units("--checklist", "beta", "--status", "complete")) == 2
    bad = pc("records", "--from", "yesterday")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--from" in bad.stderr
    table = pc("records")
    assert table.returncode == 0 and "共 2 份记录。" in table.stdout


# --- lineage and flags ----------------------------------------------------------------------


def test_a_hand_edit_is_flagged_tampered_and_named_by_verify(tmp_path: Path, store_url: str) -> None:
    pc = Laptop(tmp_path / "pc", store_url)
    path = pc.inspect()
    assert "已同步" in pc("verify", "r.toml").stdout
    path.write_text(path.read_text(encoding="utf-8").replace("没有制度", "有制度"), encoding="utf-8")
    proc = pc("verify", "r.toml")
    assert proc.returncode == 1 and "本地有未同步的修改" in proc.stdout
    proc = pc("sync", "r.toml")
    assert proc.returncode == 0 and "r.toml：已存入库中并标记为 tampered" in proc.stderr
    (flagged,) = _json(pc("records", "--flagged", "--format", "json"))  # type: ignore[misc]
    assert flagged["flag"] == "tampered"
    (row,) = _json(pc("hazards", "list", "--store", "--format", "json", "--level", "general"))  # type: ignore[misc]
    assert row["description"] == "没有制度"  # queries keep the latest good revision


def test_two_copies_changed_apart_are_a_conflict_and_a_checkout_fast_forwards(tmp_path: Path, store_url: str) -> None:
    pc = Laptop(tmp_path / "pc", store_url)
    path = pc.inspect()
    record_id = _json(pc("records", "--format", "json"))[0]["record_id"]  # type: ignore[index]
    colleague = Laptop(tmp_path / "colleague", store_url)
    got = colleague("records", "get", record_id, "-o", "case.toml")
    assert got.returncode == 0 and (colleague.folder / "case.toml").read_bytes() == path.read_bytes()
    assert colleague("records", "get", record_id, "-o", "case.toml").returncode == 1  # never overwrites
    proc = colleague("hazards", "update", "case.toml", "h1", "--rectified", "2026-04-01")
    assert proc.returncode == 0 and "警告" not in proc.stderr
    assert _json(pc("records", "--flagged", "--format", "json")) == []  # a fast-forward
    assert _status(pc)["revisions"] == 2
    pc("hazards", "update", "r.toml", "h2", "--rectified", "2026-04-02")  # the old copy: a fork
    (flagged,) = _json(pc("records", "--flagged", "--format", "json"))  # type: ignore[misc]
    assert flagged["flag"] == "conflict" and flagged["file"] == str(path)
    statuses = {r["hazard"]: r["status"] for r in _json(pc("hazards", "list", "--store", "--status", "all",
                                                                "--format", "json"))}  # type: ignore[union-attr]
    assert statuses == {"h1": "rectified", "h2": "overdue"}  # the fork is not what queries use
    devices = _status(pc)["devices"]
    assert len(devices) == 2


def test_a_structurally_invalid_record_is_refused_with_its_line(tmp_path: Path, store_url: str) -> None:
    pc = Laptop(tmp_path / "pc", store_url)
    (pc.folder / "bad.toml").write_text('schema = "safetycheck.record/2"\nmode = "inspect"\nstarted_at = 3\n',
                                        encoding="utf-8")
    proc = pc("sync", "bad.toml")
    assert proc.returncode == 1 and "bad.toml:" in proc.stderr and "Traceback" not in proc.stderr


INJECTIONS = ["x'); DROP TABLE revisions; --", "Robert'); DELETE FROM numbers WHERE ('1'='1", "%_\\' OR 1=1 --",
              "\"; UPDATE records SET unit = 'p0wned'; --"]


@pytest.mark.parametrize("evil", INJECTIONS)
def test_sql_injection_strings_in_every_text_field_are_data(tmp_path: Path, store_url: str, evil: str) -> None:
    pc = Laptop(tmp_path / "pc", store_url)
    pc.inspect(unit=evil, person=evil, text=evil)
    pc.inspect("plain.toml")
    (row,) = _json(pc("records", "--format", "json", "--unit", evil, "--inspector", evil))  # type: ignore[misc]
    assert row["unit"] == evil and evil in row["inspectors"]
    (hazard,) = _json(pc("hazards", "list", "--store", "--format", "json", "--unit", evil,
                         "--level", "general"))  # type: ignore[misc]
    assert hazard["description"] == evil
    literal = [r["unit"] for r in _json(pc("records", "--format", "json", "--unit", "%"))]  # type: ignore[union-attr]
    assert literal == ([evil] if "%" in evil else [])  # LIKE wildcards are taken literally
    status = _status(pc)
    assert status["records"] == 2 and status["revisions"] == 2
    assert _json(pc("records", "--checklist", evil, "--format", "json")) == []
    assert pc("records", "get", evil, "-o", "x.toml").returncode == 1


# --- append-only history --------------------------------------------------------------------


def test_sqlite_triggers_refuse_to_rewrite_history(tmp_path: Path) -> None:
    pc = Laptop(tmp_path / "pc", f"sqlite:///{tmp_path / 's.sqlite3'}")
    pc.inspect()
    conn = sqlite3.connect(tmp_path / "s.sqlite3")
    for statement in ("UPDATE revisions SET raw = 'x'", "DELETE FROM revisions", "UPDATE events SET kind = 'x'",
                      "DELETE FROM events"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    conn.close()


@pytest.mark.postgres
def test_the_writer_role_cannot_rewrite_history_and_the_reader_only_reads(tmp_path: Path, pg_url: str) -> None:
    import psycopg

    from safetycheck.store.dialect import pg_conninfo

    pc = Laptop(tmp_path / "pc", pg_url)
    assert pc("store", "init").returncode == 0
    pc.inspect()
    writer = dict(pg_conninfo(pg_url), user="safetycheck_writer")
    with psycopg.connect(**writer, autocommit=True) as conn:
        assert conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 1  # type: ignore[index]
        for statement in ("UPDATE revisions SET raw = 'x'", "DELETE FROM revisions", "UPDATE events SET kind = 'x'",
                          "DELETE FROM events", "TRUNCATE revisions"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    # the writer role is enough for the program itself
    as_writer = urlunsplit(urlsplit(pg_url)._replace(netloc="safetycheck_writer@"))
    other = Laptop(tmp_path / "other", as_writer)
    other.inspect()
    assert "警告" not in other("sync", ".").stderr
    reader = dict(pg_conninfo(pg_url), user="safetycheck_reader")
    with psycopg.connect(**reader, autocommit=True) as conn:
        assert conn.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 2  # type: ignore[index]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO numbers (agency, code, year, seq, status, device, at)"
                         " VALUES ('a', 'b', 2026, 1, 'issued', 'd', 'now')")


# --- numbering ------------------------------------------------------------------------------


def test_report_issue_takes_numbers_from_the_store(tmp_path: Path, store_url: str) -> None:
    pc = Laptop(tmp_path / "pc", store_url)
    pc.inspect()
    pc.inspect("s.toml")
    for name, n in (("r.toml", 1), ("s.toml", 2), ("r.toml", 1)):
        proc = pc("report", name, "--format", "txt", "--issue", "-o", f"{name}.txt")
        assert proc.returncode == 0, proc.stderr
        assert f"（甲应急）应急检记〔2026〕{n}号" in (pc.folder / f"{name}.txt").read_text(encoding="utf-8")
    assert not (pc.folder / "config" / "document-numbers.toml").exists()
    numbers = [r["numbers"] for r in _json(pc("records", "--format", "json"))]  # type: ignore[union-attr]
    assert sorted(numbers) == [["（甲应急）应急检记〔2026〕1号"], ["（甲应急）应急检记〔2026〕2号"]]
    assert _status(pc)["numbers"] == 2


def test_a_counter_file_not_imported_refuses_numbering_until_store_init(tmp_path: Path, store_url: str) -> None:
    pc = Laptop(tmp_path / "pc", store_url)
    pc.inspect()
    (pc.folder / "config").mkdir(exist_ok=True)
    (pc.folder / "config" / "document-numbers.toml").write_text(
        '[counters."甲市应急管理局"."应急检记"]\n2026 = 41\n', encoding="utf-8")
    before = (pc.folder / "r.toml").read_bytes()
    proc = pc("report", "r.toml", "--format", "txt", "--issue")
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "store init" in proc.stderr
    assert (pc.folder / "r.toml").read_bytes() == before
    proc = pc("store", "init")
    assert proc.returncode == 0 and "document-numbers.toml" in proc.stderr
    proc = pc("report", "r.toml", "--format", "txt", "--issue")
    assert proc.returncode == 0 and "（甲应急）应急检记〔2026〕42号" in proc.stdout


ALLOCATE = """
import sys
from safetycheck.store.core import open_store
from safetycheck.store.numbers import allocate
db = open_store(sys.argv[1])
got = [allocate(db, "甲市应急管理局", "应急责改", 2026, sys.argv[2]) for _ in range(50)]
print(" ".join(map(str, got)))
"""


def test_eight_processes_taking_fifty_numbers_each_get_400_consecutive_ones(tmp_path: Path, store_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK_")}
    env.update(PYTHONPATH=str(ROOT), SAFETYCHECK_CONFIG_DIR=str(tmp_path / "config"),
               SAFETYCHECK_DATA_DIR=str(tmp_path / "data"))
    subprocess.run([sys.executable, "-c", "import sys; from safetycheck.store.core import open_store;"
                    " open_store(sys.argv[1]).close()", store_url], env=env, check=True)
    procs = [subprocess.Popen([sys.executable, "-c", ALLOCATE, store_url, f"device-{i}"], env=env,
                              stdout=subprocess.PIPE, text=True) for i in range(8)]
    taken = [int(n) for p in procs for n in p.communicate(timeout=300)[0].split()]
    assert all(p.returncode == 0 for p in procs)
    assert sorted(taken) == list(range(1, 401))


@pytest.mark.postgres
def test_two_laptops_on_one_server_never_share_a_number(tmp_path: Path, pg_url: str) -> None:
    first, second = Laptop(tmp_path / "first", pg_url), Laptop(tmp_path / "second", pg_url)
    assert first("store", "init").returncode == 0
    issued = []
    for laptop in (first, second, first, second):
        path = laptop.inspect(f"{uuid.uuid4().hex[:6]}.toml")
        proc = laptop("report", path.name, "--format", "txt", "--issue")
        assert proc.returncode == 0, proc.stderr
        issued.append(next(line for line in proc.stdout.splitlines() if "应急检记〔2026〕" in line))
    assert len(set(issued)) == 4
    assert len(_status(first)["devices"]) == 2


# --- faults ---------------------------------------------------------------------------------


def _make_records(folder: Path, count: int) -> None:
    """``count`` distinct sealed records, made from one walked record (new id, unit, seal)."""
    from safetycheck.inspection.records import write_record
    from safetycheck.lifecycle.files import load_record
    from safetycheck.lifecycle.seal import seal_record

    base, _ = load_record(folder / "r.toml")
    for i in range(count):
        base.id, base.seal, base.events = str(uuid.uuid4()), None, []
        base.unit.name = f"单位{i:05d}"
        seal_record(base, dt.datetime(2026, 3, 5, 11, tzinfo=dt.UTC))
        write_record(folder / "many" / f"{i:05d}.toml", base)


def test_a_kill_during_sync_leaves_the_store_consistent_and_the_next_sync_completes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    pc = Laptop(tmp_path / "pc", url)
    pc.inspect()
    (pc.folder / "many").mkdir()
    _make_records(pc.folder, 300)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK_")}
    env.update(PYTHONPATH=str(ROOT), SAFETYCHECK_STORE=url, SAFETYCHECK_CONFIG_DIR=str(pc.folder / "config"),
               SAFETYCHECK_DATA_DIR=str(pc.folder / "data"))
    proc = subprocess.Popen([sys.executable, "-m", "safetycheck", "sync", "many"], cwd=pc.folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    count = 0
    while time.monotonic() < deadline and count < 20:
        time.sleep(0.05)
        with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
            count = conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        revisions, records = (conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("revisions", "records"))
        assert revisions == records and 1 < revisions < 301  # every record stored whole, or not at all
    done = pc("sync", "many")
    assert done.returncode == 0, done.stderr
    assert _status(pc)["records"] == 301 and _status(pc)["revisions"] == 301
    assert "新增 0，未变 300" in pc("sync", "many").stderr


def test_an_unreachable_server_is_one_notice_and_never_shows_the_password(tmp_path: Path) -> None:
    url = "postgresql://inspector:s3cret-pw@127.0.0.1:9/agency"
    pc = Laptop(tmp_path / "pc", url)
    (pc.folder / "a.yaml").write_text(ANSWERS.format(unit="甲", person="张三", text="无"), encoding="utf-8")
    proc = pc("run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", "a.yaml", "-o", "r.toml")
    assert proc.returncode == 0
    notices = [line for line in proc.stderr.splitlines() if "safetycheck sync" in line]
    assert len(notices) == 1 and "未能同步到库" in notices[0]
    verify = pc("verify", "r.toml")
    assert verify.returncode == 0 and "无法连接" in verify.stdout
    assert pc("verify", "--strict", "r.toml").returncode == 0  # unreachable is not divergence
    shown = pc("config", "show")
    assert "inspector:***@127.0.0.1:9" in shown.stdout
    for out in (proc, verify, shown, pc("records"), pc("sync", ".")):
        assert "s3cret-pw" not in out.stdout + out.stderr


def test_a_store_behind_the_program_names_store_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()
    pc = Laptop(tmp_path / "pc", f"sqlite:///{path}")
    proc = pc("records")
    assert proc.returncode == 1 and "store upgrade" in proc.stderr and proc.stderr.count("\n") == 1
    assert pc("store", "upgrade").returncode == 0
    assert pc("records").returncode == 0


def test_verify_strict_fails_on_divergence_from_the_store(tmp_path: Path, store_url: str) -> None:
    pc = Laptop(tmp_path / "pc", store_url)
    pc.inspect()
    assert pc("verify", "--strict", "r.toml").returncode == 0
    (pc.folder / "r.toml").rename(pc.folder / "moved.toml")
    pc.inspect("new.toml", unit="新单位")
    pc("hazards", "update", "new.toml", "h1", "--rectified", "2026-04-01", SAFETYCHECK_STORE="sqlite:////nonexistent/x")
    proc = pc("verify", "new.toml")
    assert proc.returncode == 0 and "本地有未同步的修改" in proc.stdout and "rectified" in proc.stdout
    assert pc("verify", "--strict", "new.toml").returncode == 1


def test_the_default_store_is_a_sqlite_file_in_the_user_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "pc"
    folder.mkdir()
    data = tmp_path / "xdg"
    env = {"XDG_DATA_HOME": str(data)}
    (folder / "a.yaml").write_text(ANSWERS.format(unit="甲", person="张三", text="无"), encoding="utf-8")
    proc = run_cli("run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", "a.yaml", "-o", "r.toml",
                   cwd=folder, env=env)
    assert proc.returncode == 0
    assert (data / "safetycheck" / "safetycheck.sqlite3").is_file()
    assert "已同步" in run_cli("verify", "r.toml", cwd=folder, env=env).stdout


def _imports(*args: str, cwd: Path, env: dict[str, str]) -> str:
    full = {k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK_")}
    full.update(PYTHONPATH=str(ROOT), **env)
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "safetycheck", *args], cwd=cwd, env=full,
                          capture_output=True, text=True, encoding="utf-8")
    return proc.stderr


def test_list_show_and_report_without_issue_never_import_the_database(tmp_path: Path) -> None:
    pc = Laptop(tmp_path / "pc", f"sqlite:///{tmp_path / 's.sqlite3'}")
    pc.inspect()
    env = {"SAFETYCHECK_CONFIG_DIR": str(pc.folder / "config"), "SAFETYCHECK_DATA_DIR": str(pc.folder / "data"),
           "SAFETYCHECK_STORE": pc.url}
    for args in (("list",), ("show", "alpha", "--checklists", str(CHECKLISTS)), ("report", "r.toml", "--format", "txt"),
                 ("hazards", "list", ".")):
        found = _imports(*args, cwd=pc.folder, env=env)
        assert " sqlite3" not in found and "psycopg" not in found and "safetycheck.store" not in found, args
    walk = subprocess.run([sys.executable, "-X", "importtime", "-c",
                           "import safetycheck.cli, safetycheck.inspection.walk, safetycheck.inspection.prompter"],
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True).stderr
    assert " sqlite3" not in walk and "psycopg" not in walk
    assert " sqlite3" in _imports("report", "r.toml", "--format", "txt", "--issue", cwd=pc.folder, env=env)


# --- ranges for offline devices -------------------------------------------------------------


def test_numbers_reserve_against_the_embedded_store_explains_why_not(tmp_path: Path) -> None:
    pc = Laptop(tmp_path / "pc", f"sqlite:///{tmp_path / 's.sqlite3'}")
    proc = pc("numbers", "reserve", "--code", "应急责改", "--count", "50")
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1 and "PostgreSQL" in proc.stderr
    assert pc("numbers", "reserve", "--code", "乱码", "--count", "5").returncode == 2


def test_offline_without_a_range_is_a_clear_error_not_a_duplicate(tmp_path: Path) -> None:
    pc = Laptop(tmp_path / "pc", "postgresql://inspector@127.0.0.1:9/agency")
    (pc.folder / "a.yaml").write_text(ANSWERS.format(unit="甲", person="张三", text="无"), encoding="utf-8")
    pc("run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", "a.yaml", "-o", "r.toml")
    before = (pc.folder / "r.toml").read_bytes()
    proc = pc("report", "r.toml", "--format", "txt", "--issue")
    assert proc.returncode == 1 and "numbers reserve --code 应急检记" in proc.stderr
    assert (pc.folder / "r.toml").read_bytes() == before
