"""The progress bar of long work (``sync``): on a terminal's stderr only, and only for work over a second."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from safetycheck.console import progress_bar
from tests.test_store import Laptop


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _terminal() -> tuple[object, io.StringIO]:
    from rich.console import Console

    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=80, color_system=None), out


def test_the_bar_appears_only_once_the_work_has_taken_over_a_second() -> None:
    clock, (console, out) = Clock(), _terminal()
    with progress_bar("同步记录", 10, clock=clock, console=console) as advance:  # type: ignore[arg-type]
        for _ in range(4):
            clock.now += 0.2
            advance()
        assert out.getvalue() == ""  # 0.8 s: nothing drawn
        for _ in range(6):
            clock.now += 0.2
            advance()
    drawn = out.getvalue()
    assert "同步记录" in drawn and "10/10" in drawn
    quick, (console, out) = Clock(), _terminal()
    with progress_bar("同步记录", 10, clock=quick, console=console) as advance:  # type: ignore[arg-type]
        for _ in range(10):
            quick.now += 0.05
            advance()
    assert out.getvalue() == ""  # half a second of work: no bar at all


def test_the_delay_is_a_second_unless_set_to_a_number_of_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    from safetycheck.console import PROGRESS_AFTER_ENV, progress_delay

    assert progress_delay() == 1.0
    for value, delay in (("0", 0.0), ("2.5", 2.5), ("abc", 1.0), ("-1", 1.0), ("nan", 1.0), ("inf", 1.0)):
        monkeypatch.setenv(PROGRESS_AFTER_ENV, value)
        assert progress_delay() == delay, value


@pytest.mark.tty
@pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pseudo-terminal")
def test_sync_draws_its_bar_on_a_terminal_and_nothing_when_piped(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    pc = Laptop(tmp_path / "pc", f"sqlite:///{tmp_path / 's.sqlite3'}")
    raw = pc.inspect().read_bytes()
    many = pc.folder / "many"
    many.mkdir()
    for n in range(40):  # a comment makes each file a revision of its own
        (many / f"r{n:04d}.toml").write_bytes(raw + f"# copy {n}\n".encode())
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK")} | {
        "TERM": "xterm", "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "SAFETYCHECK_STORE": pc.url, "SAFETYCHECK_DATA_DIR": str(pc.folder / "data"),
        "SAFETYCHECK_CONFIG_DIR": str(pc.folder / "config"),
        "SAFETYCHECK_PROGRESS_AFTER": "0"}  # the bar at once: the same bar as after a second of work
    child = pexpect.spawn(sys.executable, ["-m", "safetycheck", "sync", "many"], cwd=str(pc.folder), env=env,
                          encoding="utf-8", timeout=300, dimensions=(24, 100))
    child.expect("同步记录")  # drawn on the terminal while the files go in
    child.expect(r"\d+/40")
    child.expect("新增 40")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    piped = pc("sync", "many")  # not a terminal: the summary line alone
    assert piped.returncode == 0 and piped.stderr.splitlines() == ["已同步：新增 0，未变 40，冲突 0，被改动 0。"]
