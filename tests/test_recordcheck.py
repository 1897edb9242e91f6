"""The structural check every record read makes (the refusals themselves are cases in tests/data/bad/records/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from safetycheck.documents.numbering import CODES
from safetycheck.inspection.recordcheck import HAZARD_STATUSES, NUMBERED_DOCUMENTS
from safetycheck.inspection.records import RecordFileError, parse_record, read_record
from tests.conftest import DATA

BASE = (DATA / "bad" / "records" / "bad_lang.toml").read_text(encoding="utf-8").replace('lang = "fr"', 'lang = "zh"')


def test_the_base_of_the_record_cases_is_sound() -> None:
    """Each record case differs from this sound record by the one fault it is named after."""
    record = parse_record(BASE.encode(), "r.toml")
    assert record.status == "complete" and len(record.responses) == 3


@pytest.mark.parametrize("path", sorted((DATA / "records").glob("*.toml")), ids=lambda p: p.name)
def test_every_fixture_record_is_sound(path: Path) -> None:
    read_record(path)


SAME_AS = '''
[[checklists]]
id = "other"
title = "另一份清单"
version = "1.0"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
sections = [{ id = "s1", title = "第一部分" }]

[[checklists.items]]
id = "b-02"
text = "是否配备安全管理人员？"
standard = "配备专职人员。"
section = "s1"
same_as = "demo/a-02"

[[responses]]
checklist = "other"
item = "b-02"
result = "fail"
answered_at = 2026-03-06T14:20:00+08:00
same_as = "demo/a-02"
'''


def test_a_same_as_copy_is_exempt_from_the_hazard_rules() -> None:
    """A copy repeats the answer asked once; its hazard is the original's, counted once."""
    before = BASE.index("[[responses]]")
    text = BASE[:before] + SAME_AS.split("[[responses]]")[0] + BASE[before:] + "[[responses]]" + \
        SAME_AS.split("[[responses]]")[1]
    record = parse_record(text.encode(), "r.toml")
    assert record.responses[-1].hazard is None and record.responses[-1].same_as == "demo/a-02"
    original = text.replace('item = "b-02"\nresult = "fail"\nanswered_at = 2026-03-06T14:20:00+08:00\n'
                            'same_as = "demo/a-02"\n', 'item = "b-02"\nresult = "fail"\n'
                            'answered_at = 2026-03-06T14:20:00+08:00\n')
    with pytest.raises(RecordFileError, match="没有登记隐患"):
        parse_record(original.encode(), "r.toml")


def test_the_numbered_documents_are_those_numbering_gives_a_code() -> None:
    assert set(NUMBERED_DOCUMENTS) == set(CODES)


def test_the_hazard_statuses_a_v1_record_may_store_are_statuses_documents_name() -> None:
    from safetycheck.messages import MESSAGES

    named = {k.removeprefix("doc.status.") for k in MESSAGES if k.startswith("doc.status.")}
    assert set(HAZARD_STATUSES) <= named


def test_every_fault_of_a_record_is_reported_at_once() -> None:
    text = BASE.replace('lang = "zh"', 'lang = "fr"').replace("size = 4,", "size = -4,").replace(
        'status = "open"', 'status = "fixed"')
    with pytest.raises(RecordFileError) as info:
        parse_record(text.encode(), "r.toml")
    assert [p.pointer for p in info.value.problems] == [
        "lang", "responses[1].hazard.status", "responses[1].hazard.evidence[0].size"]
