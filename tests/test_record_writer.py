"""The walk's writer renders only what changed, and its parts are always the bytes of record_to_toml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import pytest

from safetycheck.inspection.recordmodels import Hazard, InspectionRecord, Response
from safetycheck.inspection.records import RecordWriter, atomic_write, joined, read_record, record_to_toml
from safetycheck.inspection.session import make_plan, record_answer
from safetycheck.lifecycle.files import load_record
from safetycheck.lifecycle.seal import seal_record

RECORDS = Path(__file__).parent / "data" / "records"
CST = dt.timezone(dt.timedelta(hours=8))


def _walked(name: str) -> InspectionRecord:
    return load_record(RECORDS / name)[0]


def _answer(n: int, fail: bool = False) -> Response:
    at = dt.datetime(2025, 3, 5, 10, 0, n % 60, n, tzinfo=CST)
    if fail:
        return Response(checklist="", item="", result="fail", answered_at=at,
                        hazard=Hazard(description=f"隐患{n}", measure="整改", owner="王五"))
    return Response(checklist="", item="", result="pass", answered_at=at, note=f"说明{n}" if n % 3 else None)


@pytest.mark.parametrize("name", ["in-progress.toml", "v2-inspect.toml", "self.toml"])
def test_every_save_of_a_walk_is_the_record_as_record_to_toml_writes_it(name: str) -> None:
    record = _walked(name)
    plan = make_plan(record)
    writer = RecordWriter()
    assert joined(writer.render(record) or []) == record_to_toml(record)
    assert writer.render(record) is None  # nothing changed
    order = [*range(len(plan.slots) - 1, -1, -2), *range(0, len(plan.slots), 3), len(plan.slots) - 1]
    for n, pos in enumerate(order):  # answers out of order, again, new ones and replaced ones, notes
        record_answer(record, plan, plan.slots[pos], _answer(n, fail=n % 4 == 1), writer.stored)
        parts = writer.render(record)
        assert parts is not None and joined(parts) == record_to_toml(record), (n, pos)
    record.unit.name += "（改名）"  # the head changes: seen
    assert joined(writer.render(record) or []) == record_to_toml(record)


def test_a_list_it_was_not_told_of_is_rendered_whole() -> None:
    record = _walked("in-progress.toml")
    plan = make_plan(record)
    writer = RecordWriter()
    writer.render(record)
    record_answer(record, plan, plan.slots[-1], _answer(1))  # not told
    record.responses = list(reversed(record.responses))  # another list
    assert joined(writer.render(record) or []) == record_to_toml(record)
    record.responses.append(msgspec.structs.replace(record.responses[0], item="extra"))  # another length
    assert joined(writer.render(record) or []) == record_to_toml(record)


def test_sealing_in_place_renders_the_hazards_again() -> None:
    record = _walked("in-progress.toml")
    plan = make_plan(record)
    writer = RecordWriter()
    for n, slot in enumerate(plan.slots):
        record_answer(record, plan, slot, _answer(n, fail=n % 2 == 0), writer.stored)
        writer.render(record)
    record.status = "complete"
    record.finished_at = dt.datetime(2025, 3, 5, 11, 0, tzinfo=CST)
    seal_record(record, record.finished_at)  # hazard ids and statuses set in place
    data = joined(writer.render(record) or [])
    assert data == record_to_toml(record) and b'id = "h1"' in data


def test_parts_written_as_one_file(tmp_path: Path) -> None:
    record = _walked("v2-inspect.toml")
    parts = RecordWriter().render(record)
    assert parts is not None and len(parts) > 3
    target = tmp_path / "r.toml"
    atomic_write(target, parts)
    assert target.read_bytes() == record_to_toml(record)
    assert read_record(target).responses == record.responses
