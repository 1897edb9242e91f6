"""A record's TOML, with each response rendered once and reused, is byte for byte what it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec
import pytest
import tomli_w

from safetycheck.inspection import records
from safetycheck.inspection.recordmodels import Hazard, InspectionRecord, Response
from safetycheck.inspection.records import (
    SCHEMAS,
    _prepare,
    _snapshots_toml,
    _without_default_kind,
    read_record,
    record_to_toml,
)
from safetycheck.lifecycle.files import load_record

RECORDS = sorted((Path(__file__).parent / "data" / "records").glob("*.toml"))
CST = dt.timezone(dt.timedelta(hours=8))


def whole_list_toml(record: InspectionRecord) -> bytes:
    """The record as TOML with every part rendered again, as the writer did before it reused them."""
    rest = msgspec.structs.replace(record, checklists=[], responses=[], events=[], reviews=[])
    data = _prepare(msgspec.to_builtins(rest, builtin_types=(dt.datetime, dt.date)))
    if record.checklists:
        data.pop("checklists", None)
    if record.responses:
        data.pop("responses", None)
    data.pop("events", None)
    data.pop("reviews", None)
    if record.schema != SCHEMAS[0]:
        data.pop("numbers", None)
    parts = [tomli_w.dumps(data, multiline_strings=True), _snapshots_toml(record.checklists)]
    if record.responses:
        responses = _prepare([_without_default_kind(msgspec.to_builtins(r, builtin_types=(dt.datetime, dt.date)))
                              for r in record.responses])
        parts.append(tomli_w.dumps({"responses": responses}, multiline_strings=True))
    if record.reviews:
        reviews = _prepare(msgspec.to_builtins(record.reviews, builtin_types=(dt.datetime, dt.date)))
        parts.append(tomli_w.dumps({"reviews": reviews}, multiline_strings=True))
    if record.events:
        events = _prepare(msgspec.to_builtins(record.events, builtin_types=(dt.datetime, dt.date)))
        parts.append(tomli_w.dumps({"events": events}, multiline_strings=True))
    return "\n".join(p.rstrip("\n") + "\n" for p in parts if p).encode("utf-8")


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_every_fixture_record_writes_the_same_bytes(path: Path) -> None:
    for record in (read_record(path), load_record(path)[0]):  # as read, and migrated to /2 (events, seal)
        assert record_to_toml(record) == whole_list_toml(record)
        assert record_to_toml(record) == whole_list_toml(record)  # again, from the reused parts


def test_a_v2_record_with_events_and_a_seal_writes_the_same_bytes() -> None:
    v2 = [p for p in RECORDS if "v2" in p.name]
    assert v2
    record = read_record(v2[0])
    assert record.events and record.responses
    assert any("seal" in event.detail for event in record.events)
    assert record_to_toml(record) == whole_list_toml(record)


def _grown(record: InspectionRecord, count: int) -> InspectionRecord:
    """The record with ``count`` responses: notes (multi-line too), hazards, n/a with reasons, offsets, microseconds."""
    base = record.responses[0]
    grown: list[Response] = []
    for n in range(count):
        at = dt.datetime(2025, 3, 5, 9, 30, n % 60, n * 7 % 1_000_000,
                         tzinfo=CST if n % 3 else dt.timezone(dt.timedelta(hours=-5, minutes=-30)))
        if n % 7 == 3:
            response = Response(checklist=base.checklist, item=f"x-{n}", result="fail", answered_at=at,
                                hazard=Hazard(level="major" if n % 2 else None,
                                              kind="problem" if n % 2 == 0 else "hazard",
                                              description=f"隐患{n}\n第二行",
                                              measure="整改", deadline=dt.date(2025, 4, 1), owner="王五"))
        elif n % 5 == 1:
            response = Response(checklist=base.checklist, item=f"x-{n}", result="na", answered_at=at,
                                reason="不涉及" * (n % 4 + 1))
        elif n % 4 == 2:
            response = Response(checklist=base.checklist, item=f"x-{n}", result="pass", answered_at=at,
                                note=f"第{n}项\n查阅台账。")
        else:
            response = Response(checklist=base.checklist, item=f"x-{n}", result="pass", answered_at=at)
        grown.append(response)
    return msgspec.structs.replace(record, responses=grown)


@pytest.mark.parametrize("count", [1, 2, 50, 400])
def test_many_responses_write_the_same_bytes(count: int) -> None:
    record = _grown(load_record(RECORDS[0])[0], count)
    first = record_to_toml(record)
    assert first == whole_list_toml(record)
    record.responses.append(Response(checklist="c", item="new", result="pass",
                                     answered_at=dt.datetime(2025, 3, 5, 10, 0, tzinfo=CST)))
    assert record_to_toml(record) == whole_list_toml(record)  # a save after one more answer


def test_only_short_responses_keep_the_inline_array() -> None:
    record = msgspec.structs.replace(load_record(RECORDS[0])[0], responses=[
        Response(checklist="c", item=f"{n}", result="na", answered_at=dt.datetime(2025, 3, 5, 9, n))
        for n in range(3)])
    text = record_to_toml(record)
    assert text == whole_list_toml(record)
    assert b"responses = [" in text  # tomli-w's own choice for tables that fit on a line


def test_a_response_changed_in_place_is_written_as_it_is_now() -> None:
    record = _grown(load_record(RECORDS[0])[0], 20)
    record_to_toml(record)
    changed: Any = record.responses[3]
    changed.note = "改过的说明"
    changed.answered_at = changed.answered_at.replace(microsecond=1)
    text = record_to_toml(record)
    assert text == whole_list_toml(record)
    assert "改过的说明".encode() in text


def test_reused_parts_stay_bounded() -> None:
    assert len(records._ENTRY_CACHE) <= 50_001
