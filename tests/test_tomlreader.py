"""The compiled TOML reader gives the same data as tomllib: every fixture, and a generated corpus."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetycheck.catalog import tomlsource
from safetycheck.catalog.tomlsource import loads

DATA = Path(__file__).parent / "data"
FIXTURES = sorted(DATA.rglob("*.toml"))


def same(a: Any, b: Any, where: str = "") -> None:
    """Assert ``a`` and ``b`` are the same data: types, key order, offsets and microseconds included."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        assert list(a) == list(b), f"{where}: keys {list(a)} != {list(b)}"
        for key in a:
            same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), f"{where}: {len(a)} items != {len(b)}"
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{n}]")
    elif isinstance(a, float):
        assert repr(a) == repr(b), f"{where}: {a!r} != {b!r}"  # nan, -0.0
    elif isinstance(a, (dt.datetime, dt.time)):
        assert (a.isoformat(), a.microsecond) == (b.isoformat(), b.microsecond), f"{where}: {a!r} != {b!r}"
        assert type(a.tzinfo) is type(b.tzinfo), f"{where}: tzinfo {a.tzinfo!r} != {b.tzinfo!r}"
        if a.tzinfo is not None:
            assert a.utcoffset() == b.utcoffset() and a.tzinfo == b.tzinfo, f"{where}: {a!r} != {b!r}"
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def test_a_compiled_reader_is_in_use() -> None:
    assert tomlsource._rtoml is not None  # the wheel is installed on every platform tested


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(DATA)))
def test_every_fixture_reads_the_same(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        with pytest.raises(tomllib.TOMLDecodeError) as got:
            loads(text)
        assert str(got.value) == str(exc)  # the message comes from tomllib, as before
        return
    except RecursionError:  # nested deeper than tomllib goes: the reader ends the same way (parse_toml locates it)
        with pytest.raises(RecursionError):
            loads(text)
        return
    same(loads(text), expected)


def test_the_records_fixtures_are_there() -> None:
    assert len([p for p in FIXTURES if p.parent.name == "records"]) >= 5


def test_offsets_and_microseconds_of_a_record_are_kept() -> None:
    text = ('created = 2025-03-05T09:30:00.123456+08:00\nutc = 2025-03-05T01:30:00Z\n'
            'west = 2025-03-05T09:30:00.5-05:30\nlocal = 2025-03-05T09:30:00.000001\nday = 2025-03-05\n'
            'long = 2025-03-05T09:30:00.1234567+08:00\nspace = 2025-03-05 09:30:00+08:00\n'
            'lower = 2025-03-05t09:30:00z\nclock = 09:30:00.25\n')
    data = loads(text)
    same(data, tomllib.loads(text))
    assert data["created"].tzinfo == dt.timezone(dt.timedelta(hours=8))
    assert type(data["created"].tzinfo) is dt.timezone and data["created"].microsecond == 123456
    assert data["utc"].tzinfo is dt.UTC
    assert data["long"].microsecond == 123456


def test_what_the_compiled_reader_refuses_goes_to_tomllib() -> None:
    text = "big = 1e400\nsmall = -1e400\n"  # rtoml refuses the overflow; tomllib reads infinities
    data = loads(text)
    same(data, tomllib.loads(text))
    assert math.isinf(data["big"])


@pytest.mark.parametrize("text", ["a = 1\na = 2\n", "a = \"x\\q\"\n", "[t]\nx=1\n[t]\n", "a = 2025-02-30\n",
                                  "a = [1,\n", "a = 1979-05-27T07:32:00+24:00\n", "= 1\n"])
def test_bad_toml_raises_tomllibs_error(text: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as expected:
        tomllib.loads(text)
    with pytest.raises(tomllib.TOMLDecodeError) as got:
        loads(text)
    assert str(got.value) == str(expected.value)


# --- a generated corpus --------------------------------------------------------------------

zones = st.one_of(st.none(), st.just(dt.UTC),
                  st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: dt.timezone(dt.timedelta(minutes=m))))
datetimes = st.builds(lambda d, tz: d.replace(tzinfo=tz),
                      st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)), zones)
times = st.times()  # naive, with microseconds
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
keys = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
scalars = st.one_of(text, st.integers(-(2**63), 2**63 - 1), st.booleans(), datetimes, st.dates(), times,
                    st.floats(allow_nan=False, width=64))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(keys, inner, max_size=4)), max_leaves=20)
documents = st.dictionaries(keys, values, max_size=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.booleans())
def test_generated_documents_read_the_same(doc: dict[str, Any], multiline: bool) -> None:
    source = tomli_w.dumps(doc, multiline_strings=multiline)
    same(loads(source), tomllib.loads(source))


fraction = st.text("0123456789", min_size=1, max_size=9)
offset = st.one_of(st.sampled_from(["", "Z", "z"]),
                   st.builds(lambda s, h, m: f"{s}{h:02d}:{m:02d}", st.sampled_from("+-"), st.integers(0, 23),
                             st.integers(0, 59)))


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)), fraction, offset,
       st.sampled_from("Tt "))
def test_generated_datetimes_read_the_same(when: dt.datetime, digits: str, zone: str, sep: str) -> None:
    day = f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
    source = f"at = {day}{sep}{when:%H:%M:%S}.{digits}{zone}\nclock = {when:%H:%M:%S}.{digits}\n"
    same(loads(source), tomllib.loads(source))


@pytest.mark.parametrize("levels", [97, 98, 99, 100, 150])
def test_the_depth_checked_on_the_way_refuses_what_the_separate_check_refused(levels: int,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from safetycheck.catalog.tomlsource import TomlLoadError, parse_toml

    text = ("[" + ".".join(f"k{n}" for n in range(levels)) + "]\nx = [[1]]\n").encode()

    def read() -> object:
        try:
            return parse_toml(text, "f.toml", positions=False).data
        except TomlLoadError as exc:
            return exc.problem

    got = read()
    monkeypatch.setattr(tomlsource, "_rtoml", None)  # tomllib and the separate depth check, as before
    expected = read()
    if isinstance(expected, dict):
        same(got, expected)
    else:
        assert got == expected
    assert isinstance(expected, dict) is (levels < 99)  # the inner array sits at depth levels + 2
