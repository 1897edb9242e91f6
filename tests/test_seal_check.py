"""The seal, built from each part's canonical JSON reused, is the digest of the whole record's canonical JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec
import pytest

from safetycheck.inspection.recordmodels import Hazard, InspectionRecord, Response
from safetycheck.lifecycle import events
from safetycheck.lifecycle.events import digest
from safetycheck.lifecycle.files import load_record
from safetycheck.lifecycle.seal import compute_seal, parts, sealed_content, verify_record

RECORDS = sorted((Path(__file__).parent / "data" / "records").glob("*.toml"))
UTC, WEST = dt.UTC, dt.timezone(dt.timedelta(hours=-5, minutes=-30))


def whole_seal(record: InspectionRecord) -> str:
    """The seal as it was computed before: the canonical JSON of the whole sealed content, in one piece."""
    return digest(sealed_content(record))


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_every_fixture_record_has_the_seal_of_its_whole_content(path: Path) -> None:
    record = load_record(path)[0]
    for _ in range(2):  # built, then reused
        assert compute_seal(record) == whole_seal(record)
    for key, value in parts(record).items():
        kind, _, rest = key.partition("/")
        if kind == "checklists":
            assert value == digest(next(s for s in record.checklists if s.id == rest))[:16]
        elif kind == "responses":
            assert value == digest(next(r for r in record.responses if f"{r.checklist}/{r.item}" == rest))[:16]


def _odd(record: InspectionRecord) -> InspectionRecord:
    """The record with answers whose times are UTC, west of it or naive, with microseconds, problems and Unicode."""
    base = record.responses[0]
    odd: list[Any] = []
    for n, zone in enumerate([UTC, WEST, None, dt.timezone(dt.timedelta(hours=8))]):
        at = dt.datetime(2025, 3, 5, 9, 30, n, 123456 * n, tzinfo=zone)
        odd.append(Response(checklist=base.checklist, item=f"odd-{n}", result="fail" if n % 2 else "pass",
                            answered_at=at, note="“引号”\n\\反斜杠\t制表" if n == 2 else None,
                            hazard=Hazard(kind="problem" if n == 1 else "hazard", description="问题", id=f"h{n}",
                                          deadline=dt.date(2025, 4, n + 1)) if n % 2 else None))
    return msgspec.structs.replace(record, responses=[*record.responses, *odd], finished_at=None, tags=["甲", "b"],
                                   started_at=dt.datetime(2025, 3, 5, 1, 0, tzinfo=UTC))


def test_odd_times_and_text_give_the_seal_of_the_whole() -> None:
    record = _odd(load_record(RECORDS[0])[0])
    assert compute_seal(record) == whole_seal(record)


def test_a_part_changed_in_place_is_seen_by_the_next_check() -> None:
    record = load_record(next(p for p in RECORDS if p.name == "v2-inspect.toml"))[0]
    assert verify_record(record).state == "intact"
    changed: Any = record.checklists[0].items[0]
    changed.text += "（改）"  # the same objects, changed: their canonical JSON is built again
    assert compute_seal(record) == whole_seal(record)
    verdict = verify_record(record)
    assert verdict.state == "changed" and verdict.changes
    record.responses[0].answered_at = record.responses[0].answered_at.replace(microsecond=1)
    assert compute_seal(record) == whole_seal(record)


def test_reused_parts_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(4200):
        events.struct_canonical(Hazard(description=str(n)))
    assert len(events._CANONICAL) <= 4096
    monkeypatch.setattr(events, "_CANONICAL_LIMIT", 100_000)
    for n in range(50):
        events.struct_canonical(Hazard(description=f"{n}" * 2000))
        assert events._CANONICAL_BYTES[0] <= 100_000
        assert events._CANONICAL_BYTES[0] == sum(len(k[1]) + len(v) for k, v in events._CANONICAL.items())
