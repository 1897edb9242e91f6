"""Shared fixtures and options for the test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The programs under test size their screens from the terminal: a COLUMNS or LINES inherited from
# the shell (or set by pytest-xdist in its workers, 80x24) would override the pseudo-terminals' own size.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)
DATA = Path(__file__).resolve().parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files from the current output instead of comparing")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to regenerate golden files."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests start from Chinese, no user checklist path, no colour, and the default language.

    The user data folder (where the default embedded store lives) is a fresh folder per test.
    """
    for name in ("SAFETYCHECK_PATH", "SAFETYCHECK_LANG", "SAFETYCHECK_TEMPLATES", "SAFETYCHECK_STORE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
    from safetycheck import messages

    messages.set_lang("zh")


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``cli(*args)``: the command line in this process (Typer's runner) from ``tmp_path``; a traceback fails."""
    from typer.testing import CliRunner

    from safetycheck.cli import build_app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SAFETYCHECK_CONFIG_DIR", str(tmp_path / "config"))
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(build_app(), list(args), catch_exceptions=False)

    return run


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            input_text: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``python -m safetycheck`` in a subprocess, as a user would."""

    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK_")}
    full_env.update({"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"})
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "safetycheck", *args], cwd=cwd, env=full_env,
                          input=input_text, capture_output=True, text=True, encoding="utf-8", timeout=timeout)


def default_store_numbers() -> list[dict[str, object]]:
    """The numbers in the default embedded store of this test's user data folder (``XDG_DATA_HOME``)."""
    import sqlite3

    path = Path(os.environ["XDG_DATA_HOME"]) / "safetycheck" / "safetycheck.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT agency, code, year, seq, status, record, reason FROM numbers ORDER BY id")
        return [dict(row) for row in rows]


GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def golden(update_golden: bool):
    """``golden(name, text)``: compare ``text`` with ``tests/golden/<name>`` byte for byte.

    With ``pytest --update-golden`` the file is (re)written instead; review the diff like code.
    """

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        data = text.encode("utf-8")
        if update_golden:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
            return
        assert path.exists(), f"missing golden file {path}; run pytest --update-golden and review it"
        expected = path.read_bytes()
        if expected != data:
            import difflib

            diff = "".join(difflib.unified_diff(expected.decode("utf-8").splitlines(keepends=True),
                                                text.splitlines(keepends=True), str(path), "rendered", n=2))
            pytest.fail(f"{name} differs from its golden file (pytest --update-golden rewrites it):\n{diff[:6000]}")

    return check
