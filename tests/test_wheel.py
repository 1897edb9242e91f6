"""The wheel, installed into a fresh virtual environment, works from an empty folder."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]  # one wheel and venv


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel (no editable install) and install it into a new venv; return its bin folder."""
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(dist), str(ROOT)], check=True, timeout=300)
    wheel = next(dist.glob("safetycheck-*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if sys.platform == "win32" else "bin")
    subprocess.run([str(bindir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=600)
    return bindir


def _run(bindir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = bindir / ("safetycheck.exe" if sys.platform == "win32" else "safetycheck")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          timeout=120, env={"PATH": str(bindir), "NO_COLOR": "1", "HOME": str(cwd),
                                            "SAFETYCHECK_CACHE_DIR": str(cwd / ".cache")})


def test_installed_wheel_lists_and_shows_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    listed = _run(installed, empty, "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["id"]: r for r in json.loads(listed.stdout)}
    assert "wudaowei" in rows
    assert "/site-packages/safetycheck/data/checklists/" in rows["wudaowei"]["path"].replace("\\", "/")
    shown = _run(installed, empty, "show", "五到位")
    assert shown.returncode == 0, shown.stderr
    assert "安全投入" in shown.stdout
    validated = _run(installed, empty, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert _run(installed, empty, "--version").stdout.startswith("safetycheck ")
    assert sorted(p.name for p in empty.iterdir() if p.name != ".cache") == []
