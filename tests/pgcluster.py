"""A throwaway PostgreSQL cluster a test owns: password authentication, a Unix socket, stop and start.

The shared test server (``SAFETYCHECK_TEST_PG``) trusts every local connection and must stay up for
the other tests; a test that proves a password was read, or that stops the server, makes its own.
``initdb`` and ``pg_ctl`` refuse to run as root, so as root they run as the ``postgres`` user in a
folder it owns.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ADMIN_PASSWORD = "adm-Pw-7f3c"  # the superuser's, known to the fixture only


def _bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
                   if p.parent.parent.name.isdigit() else 0)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """One cluster: its folder (data, socket, log), port and the admin URL (password in a pgpass file)."""

    def __init__(self, tcp_host: str = "127.0.0.2") -> None:
        binary = _bin()
        if binary is None:
            if os.environ.get("CI"):
                pytest.fail("no initdb: .ci/run installs PostgreSQL for the postgres tests")
            pytest.skip("no PostgreSQL binaries (initdb) on this machine")
        self.bin = binary
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        if self.as_root and not shutil.which("runuser"):
            pytest.skip("running as root without runuser: initdb cannot run")
        self.folder = Path(tempfile.mkdtemp(prefix="safetycheck-pgown-"))
        self.folder.chmod(0o755)  # the test's processes reach the socket; the data folder stays 0700
        self.port = 5400 + os.getpid() % 500
        self.tcp_host = tcp_host
        pwfile = self.folder / "pw"
        pwfile.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
        if self.as_root:
            shutil.chown(self.folder, "postgres")
            shutil.chown(pwfile, "postgres")
        self._run("initdb", "-D", str(self.folder / "data"), "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                  "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", f"--pwfile={pwfile}")
        hba = self.folder / "data" / "pg_hba.conf"  # 127.0.0.2 is not in initdb's host lines
        with hba.open("a", encoding="utf-8") as fh:
            fh.write(f"host all all {tcp_host}/32 scram-sha-256\n")
        pwfile.unlink()
        for attempt in range(5):  # the port may be taken by another server on this machine
            try:
                self.start()
                break
            except AssertionError:
                if attempt == 4:
                    raise
                self.port += 1
        self.pgpass = self.folder / "admin.pgpass"
        self.pgpass.write_text(f"*:*:*:postgres:{ADMIN_PASSWORD}\n", encoding="utf-8")
        self.pgpass.chmod(0o600)

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr

    def start(self) -> None:
        """Start (again) the server on its Unix socket and on ``tcp_host``."""
        options = (f"-c listen_addresses='{self.tcp_host}' -k {self.folder} -p {self.port} -c fsync=off"
                   " -c max_connections=30 -c shared_buffers=16MB")
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-l", str(self.folder / "server.log"), "-w",
                  "-o", options, "start")

    def stop(self) -> None:
        """Stop the server (fast: sessions are ended)."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def url(self, user: str = "postgres", db: str = "postgres") -> str:
        """A Unix-socket URL without a password."""
        return f"postgresql://{user}@/{db}?host={self.folder}&port={self.port}"

    def admin(self, *statements: str, db: str = "postgres") -> None:
        """Run statements as the superuser (its password from the fixture's own pgpass file)."""
        import psycopg

        with psycopg.connect(host=str(self.folder), port=self.port, user="postgres", dbname=db,
                             passfile=str(self.pgpass), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def remove(self) -> None:
        """Stop the server if it runs and delete the folder."""
        if (self.folder / "data" / "postmaster.pid").exists():
            try:
                self.stop()
            except AssertionError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)
