"""``json_text``: its fast path for rows (msgspec) writes exactly what ``json.dumps(indent=2)`` writes."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from safetycheck.text import json_text

RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**80), max_value=2**80),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(), st.sampled_from(
                        ["中文", "\x1b[31m", "\x9b2J", "\u202e", "\u2028", "},\n    {", "\\", '"', "\x7f", ""]))
ROWS = st.lists(st.dictionaries(st.text(max_size=8), SCALARS, max_size=6), max_size=6)
NESTED = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                           max_size=3), max_leaves=8)


def _expected(data: object) -> str:
    return RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False, indent=2))


@settings(max_examples=300, deadline=None)
@given(ROWS)
def test_rows_of_scalars_are_written_as_json_writes_them(rows: list[dict[str, object]]) -> None:
    assert json_text(rows) == _expected(rows)


@settings(max_examples=150, deadline=None)
@given(NESTED)
def test_any_other_data_is_written_as_json_writes_it(data: object) -> None:
    assert json_text(data) == _expected(data)


def test_a_ledger_sized_list_takes_the_fast_path_and_the_same_bytes() -> None:
    rows = [{"unit": f"单位{i:05d}", "funds": 3000.0, "overdue_days": i, "measure": None, "open": True,
             "deadline": "2026-04-01", "basis": "测试文件〔2025〕1号 (一)"} for i in range(2000)]
    assert json_text(rows) == _expected(rows)
    assert json_text([*rows, {"big": 1e16}]) == _expected([*rows, {"big": 1e16}])  # exponent: the json path
    edges = [{"f": v} for v in (1e-4, -1e-4, 9999999999999998.0, 5e-324, 1e-5, -0.0, 2.0**63, 123456789012345.67)]
    assert json_text(edges) == _expected(edges)
