"""``run`` reaches its first item with one durable write: the record is created as the walk's first save leaves it."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from safetycheck.inspection import records

if sys.platform == "win32":
    pytest.skip("needs a POSIX pseudo-terminal", allow_module_level=True)
pytest.importorskip("pexpect")

from test_tty import at_item, finish, key, start_run, work  # noqa: E402, F401 - the fixture and helpers of the tty tests


@pytest.mark.tty
def test_the_first_save_is_the_first_answer(work: Path) -> None:  # noqa: F811
    child = start_run(work, SAFETYCHECK_TEST_CRASH_BEFORE_RENAME="1")  # die inside the first rewrite of the record
    at_item(child, 1, 4)
    record = records.read_record(work / "r.toml")  # as created: the automatic 不适用 answers in
    assert [(r.item, r.result) for r in record.responses if r.auto] == [("t-04", "na")]
    key(child, "y")
    assert finish(child) == -signal.SIGKILL  # so no write came between the record's creation and this answer
    assert records.read_record(work / "r.toml").responses == record.responses
