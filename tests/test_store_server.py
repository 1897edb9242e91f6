"""A PostgreSQL server of the test's own: passwords from PGPASSFILE / ~/.pgpass, TLS by default, offline ranges.

The shared test server trusts every local connection, so it cannot tell whether a password was
read; this cluster asks for one (scram-sha-256) and listens on 127.0.0.2, an address the program
does not count as local, and the offline test stops it for real.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pgcluster import Cluster
from tests.test_store import Laptop, _json

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.xdist_group("pgcluster")]  # one cluster

PASSWORD = "Insp-pw-4d1e"  # the inspector role's password: never printed by the program


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """One throwaway cluster for this module, with an ``inspector`` role that has a password."""
    own = Cluster()
    try:
        own.admin(f"CREATE ROLE inspector LOGIN CREATEROLE PASSWORD '{PASSWORD}'")
        yield own
    finally:
        own.remove()


@pytest.fixture
def agency_db(cluster: Cluster) -> str:
    """A fresh database owned by ``inspector``; its name."""
    name = "agency_" + uuid.uuid4().hex[:10]
    cluster.admin(f"CREATE DATABASE {name} OWNER inspector")
    return name


def _pgpass(folder: Path, password: str, name: str = "pgpass") -> Path:
    path = folder / name
    path.write_text(f"*:*:*:inspector:{password}\n", encoding="utf-8")
    path.chmod(0o600)  # libpq ignores a password file others can read
    return path


def _laptop(tmp_path: Path, url: str) -> tuple[Laptop, Path]:
    """A laptop whose HOME holds no ~/.pgpass, and that home."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return Laptop(tmp_path / "pc", url), home


def _said(*procs: object) -> str:
    return "".join(p.stdout + p.stderr for p in procs)  # type: ignore[attr-defined]


def test_the_password_comes_from_pgpassfile_or_pgpass_and_is_never_printed(tmp_path: Path, cluster: Cluster,
                                                                           agency_db: str) -> None:
    pc, home = _laptop(tmp_path, cluster.url("inspector", agency_db))
    nowhere = {"HOME": str(home), "PGPASSFILE": str(tmp_path / "none")}
    refused = pc("store", "init", **nowhere)  # the server asks for a password: none given, none guessed
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "password" in refused.stderr
    wrong = pc("store", "init", HOME=str(home), PGPASSFILE=str(_pgpass(tmp_path, "not-it", "wrong")))
    assert wrong.returncode == 1 and "password authentication failed" in wrong.stderr
    passfile = {"HOME": str(home), "PGPASSFILE": str(_pgpass(tmp_path, PASSWORD))}
    done = pc("store", "init", **passfile)  # the password only in the file PGPASSFILE names
    assert done.returncode == 0, done.stderr
    pc.inspect(**passfile)
    issued = pc("report", "r.toml", "--format", "txt", "--issue", **passfile)
    assert issued.returncode == 0 and "（甲应急）应急检记〔2026〕1号" in issued.stdout, issued.stderr
    _pgpass(home, PASSWORD, ".pgpass")  # libpq's default file, with no PGPASSFILE set
    status = pc("store", "status", "--format", "json", HOME=str(home), PGPASSFILE="")
    assert _json(status)["numbers"] == 1  # type: ignore[index]
    in_url = pc.url.replace("inspector@", f"inspector:{PASSWORD}@")
    shown = pc("config", "show", SAFETYCHECK_STORE=in_url, **nowhere)
    from_url = pc("records", "--format", "json", SAFETYCHECK_STORE=in_url, **nowhere)
    assert from_url.returncode == 0 and f"inspector:***@/{agency_db}" in shown.stdout
    bad_url = pc("records", SAFETYCHECK_STORE=in_url.replace(PASSWORD, "Wr0ng-pw"), **nowhere)
    assert bad_url.returncode == 1 and "password authentication failed" in bad_url.stderr
    said = _said(refused, wrong, done, issued, status, shown, from_url, bad_url)
    assert PASSWORD not in said and "Wr0ng-pw" not in said and "not-it" not in said


def test_a_host_that_is_not_local_gets_verify_full_and_an_explicit_sslmode_wins(tmp_path: Path, cluster: Cluster,
                                                                               agency_db: str) -> None:
    from safetycheck.store.dialect import pg_conninfo

    for remote in ("postgresql://u@db.agency.example/sc", "postgresql://u@10.1.2.3:5432/sc",
                   "postgresql://u:pw@db.agency.example/sc?connect_timeout=3", "postgresql://u@/sc?host=db.example"):
        assert pg_conninfo(remote)["sslmode"] == "verify-full", remote
    for local in ("postgresql://u@localhost/sc", "postgresql://u@127.0.0.1/sc", "postgresql://u@[::1]/sc",
                  "postgresql://u@/sc?host=/run/postgresql"):
        assert pg_conninfo(local)["sslmode"] == "prefer", local
    assert pg_conninfo("postgresql://u@db.agency.example/sc?sslmode=require")["sslmode"] == "require"
    assert pg_conninfo("postgresql://u@localhost/sc?sslmode=verify-full")["sslmode"] == "verify-full"
    # A real libpq against the real server on 127.0.0.2, which has no TLS: verify-full refuses it.
    url = f"postgresql://inspector@{cluster.tcp_host}:{cluster.port}/{agency_db}"
    pc, home = _laptop(tmp_path, url)
    env = {"HOME": str(home), "PGPASSFILE": str(_pgpass(tmp_path, PASSWORD))}
    refused = pc("store", "init", **env)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
    assert "SSL" in refused.stderr or "root certificate" in refused.stderr
    plain = pc("store", "init", SAFETYCHECK_STORE=url + "?sslmode=disable", **env)  # the URL's own choice wins
    assert plain.returncode == 0, plain.stderr
    assert PASSWORD not in _said(refused, plain)


def test_a_device_with_a_range_issues_while_the_server_is_stopped_and_never_collides_after(
        tmp_path: Path, cluster: Cluster, agency_db: str) -> None:
    url = cluster.url("inspector", agency_db)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PGPASSFILE": str(_pgpass(tmp_path, PASSWORD))}
    laptop, other = Laptop(tmp_path / "laptop", url), Laptop(tmp_path / "other", url)
    assert laptop("store", "init", **env).returncode == 0
    proc = laptop("numbers", "reserve", "--code", "应急检记", "--count", "3", "--year", "2026", **env)
    assert proc.returncode == 0 and "1 至 3" in proc.stderr, proc.stderr
    for name in ("a.toml", "b.toml"):
        laptop.inspect(name, **env)
    cluster.stop()
    try:
        issued = []
        for name in ("a.toml", "b.toml"):  # the same URL, the server down
            proc = laptop("report", name, "--format", "txt", "--issue", **env)
            assert proc.returncode == 0, proc.stderr
            assert "未能同步到库" in proc.stderr  # auto_sync: one notice, not a failure
            issued.append(next(line.strip() for line in proc.stdout.splitlines() if "应急检记〔2026〕" in line))
        assert issued == ["（甲应急）应急检记〔2026〕1号", "（甲应急）应急检记〔2026〕2号"]
        status = _json(laptop("numbers", "status", "--format", "json", **env))
        assert [(r["ranges"], r["used"], r["next_offline"]) for r in status] == [(["1-3"], 2, 3)]  # type: ignore[union-attr]
    finally:
        cluster.start()
    path = other.inspect(**env)
    proc = other("report", path.name, "--format", "txt", "--issue", **env)
    assert "（甲应急）应急检记〔2026〕4号" in proc.stdout, proc.stderr  # past the reserved range
    laptop.inspect("c.toml", **env)
    proc = laptop("report", "c.toml", "--format", "txt", "--issue", **env)  # back online: the store numbers
    assert "（甲应急）应急检记〔2026〕5号" in proc.stdout, proc.stderr
    assert laptop("sync", ".", **env).returncode == 0  # what auto_sync missed while the server was down
    numbers = sorted(n for r in _json(laptop("records", "--format", "json", **env)) for n in r["numbers"])  # type: ignore[union-attr]
    assert numbers == sorted(f"（甲应急）应急检记〔2026〕{n}号" for n in (1, 2, 4, 5))
    import psycopg

    with psycopg.connect(host=str(cluster.folder), port=cluster.port, user="postgres", dbname=agency_db,
                         passfile=str(cluster.pgpass)) as conn:
        rows = conn.execute("SELECT seq, status FROM numbers ORDER BY seq").fetchall()
    assert rows == [(1, "issued"), (2, "issued"), (3, "reserved"), (4, "issued"), (5, "issued")]
