"""The strict YAML loader: scalars stay text, positions are kept, bad files are refused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from safetycheck.catalog.yamlsource import MAX_FILE_BYTES, YamlLoadError, load_yaml, parse_yaml


def test_versions_dates_and_no_stay_text() -> None:
    doc = parse_yaml(b'version: 1.10\ndate: 2024-01-20\nid: NO\nn: 21\nflag: true\nnothing: ~\n', "x.yaml")
    assert doc.data == {"version": "1.10", "date": "2024-01-20", "id": "NO", "n": 21, "flag": True, "nothing": None}


def test_unquoted_no_is_noted_quoted_is_not() -> None:
    doc = parse_yaml(b'a: no\nb: "no"\n', "x.yaml")
    assert [(n.location.line, n.location.column) for n in doc.notes] == [(1, 4)]


def test_positions_of_values_and_keys() -> None:
    doc = parse_yaml(b"sections:\n  - id: s1\n    items:\n      - id: a-01\n", "x.yaml")
    loc = doc.locate(("sections", 0, "items", 0, "id"))
    assert (loc.line, loc.column) == (4, 13)
    key = doc.locate(("sections", 0, "items"), key=True)
    assert (key.line, key.column) == (3, 5)


def test_duplicate_key_is_reported_with_its_line() -> None:
    doc = parse_yaml(b"a: 1\nb: 2\na: 3\n", "x.yaml")
    assert [(p.location.line, "a" in p.message) for p in doc.problems] == [(3, True)]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    with pytest.raises(YamlLoadError) as info:
        parse_yaml("\n".join(lines).encode(), "bomb.yaml")
    assert time.perf_counter() - start < 5
    assert "别名" in info.value.problem.message


def test_oversized_file_is_refused_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(YamlLoadError) as info:
        load_yaml(big)
    assert "过大" in info.value.problem.message


@pytest.mark.parametrize("raw", [b"", b"   \n", b"# only a comment\n"])
def test_empty_files_are_errors(raw: bytes) -> None:
    with pytest.raises(YamlLoadError) as info:
        parse_yaml(raw, "e.yaml")
    assert "为空" in info.value.problem.message
