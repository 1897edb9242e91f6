"""Property-based fuzzing of the YAML, TOML and answers loaders: a clean error or a valid result, never
a traceback or a hang.

Deterministic (``derandomize``) and small, so it runs in seconds on every test run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from safetycheck.catalog.tomlsource import TomlLoadError, parse_toml
from safetycheck.catalog.yamlsource import YamlLoadError, parse_yaml
from safetycheck.errors import ChecklistError
from safetycheck.inspection import answers, records, session
from safetycheck.inspection.options import RunOptions
from tests.conftest import DATA

FUZZ = settings(derandomize=True, max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
SECONDS = 10  # one example; far above any real file's time


@contextlib.contextmanager
def no_hang() -> Iterator[None]:
    """Fail the example if it runs past SECONDS (POSIX alarm; elsewhere the suite's own timeout)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise AssertionError(f"the loader ran longer than {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- YAML ----------------------------------------------------------------------------------

YAML_ALPHABET = st.sampled_from(list("abcxyz019 -:,[]{}#&*!|>'\"%@?~.\\\t\n\r\ufeff")
                                + ["是否", "：", "\u202e", "\x1b"])
SAMPLE_YAML = (DATA / "bad" / "bad_same_as.yaml").read_text(encoding="utf-8")


def yaml_texts() -> st.SearchStrategy[str]:
    """Random YAML-ish text, and a real checklist with random text spliced in."""
    noise = st.lists(YAML_ALPHABET, max_size=80).map("".join)
    spliced = st.tuples(st.integers(0, len(SAMPLE_YAML)), st.integers(0, 40), noise).map(
        lambda c: SAMPLE_YAML[:c[0]] + c[2] + SAMPLE_YAML[c[0] + c[1]:])
    return st.one_of(noise, spliced)


def check_yaml(raw: bytes) -> None:
    with no_hang():
        try:
            doc = parse_yaml(raw, "f.yaml")
        except YamlLoadError as exc:
            assert exc.problem.message and exc.problem.location.path == "f.yaml"
            return
    for problem in doc.problems + doc.notes:
        assert problem.location.line >= 1


@FUZZ
@given(yaml_texts())
@example("a: " + "[" * 600)  # nesting that once ended in RecursionError
@example("x: !foo [1]\ny: !!binary aGk=\n")
def test_yaml_loader_gives_data_or_a_located_error(text: str) -> None:
    check_yaml(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=200))
def test_yaml_loader_on_any_bytes(raw: bytes) -> None:
    check_yaml(raw)


# --- TOML ----------------------------------------------------------------------------------

KEYS = st.text(alphabet=st.sampled_from(list("ab-_09 .\"'[]=#") + ["键", "\u202e"]), min_size=1, max_size=6)
SCALARS = st.one_of(st.integers(-(2**63), 2**63 - 1), st.booleans(), st.text(max_size=12),
                    st.dates(), st.datetimes(timezones=st.just(dt.UTC)), st.floats(allow_nan=False))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(KEYS, inner, max_size=3)), max_leaves=12)


@FUZZ
@given(st.dictionaries(KEYS, VALUES, max_size=5), st.booleans())
def test_toml_positions_on_any_valid_toml(data: dict[str, Any], multiline: bool) -> None:
    """Valid TOML of any shape: the position scan never breaks, and every key it finds is in the data."""
    text = tomli_w.dumps(data, multiline_strings=multiline)
    with no_hang():
        doc = parse_toml(text.encode(), "f.toml")
    assert isinstance(doc.data, dict)
    for path in doc.keys:
        value: Any = doc.data
        for part in path:
            value = value[part]


TOML_ALPHABET = st.sampled_from(list('abc019 =.,[]{}#"\'\\\n\t-+:TZ') + ['"""', "'''", "键", "\u202e"])


@FUZZ
@given(st.lists(TOML_ALPHABET, max_size=80).map("".join))
@example("a = " + "[" * 600 + "]" * 600)  # nesting that once ended in RecursionError
@example("a = " + "{b = " * 600 + "1" + "}" * 600)
def test_toml_loader_gives_data_or_a_located_error(text: str) -> None:
    with no_hang():
        try:
            parse_toml(text.encode(), "f.toml")
        except TomlLoadError as exc:
            assert exc.problem.message and exc.problem.location.path == "f.toml"


# --- answers files ---------------------------------------------------------------------------

def _snapshots() -> list[Any]:
    from safetycheck.catalog.catalog import open_catalog

    catalog = open_catalog([DATA / "answers" / "checklists"])
    return [session.snapshot(entry.model, entry.sha256, str(entry.path), set(), [])
            for entry in (catalog.resolve("alpha"), catalog.resolve("beta"))]


SNAPSHOTS = _snapshots()
ITEMS = ["a-01", "a-02", "a-03", "shared-01", "alpha/shared-01", "beta/shared-01", "b-01", "nosuch"]
TEXT = st.one_of(st.text(max_size=10), st.sampled_from(["某公司", "", "=cmd", "\x1b[2J", "1401"]))
ANSWER_VALUE = st.one_of(
    st.sampled_from(["pass", "fail", "na", "符合", "不符合", "不适用", "maybe"]),
    st.fixed_dictionaries({"result": st.sampled_from(["pass", "fail", "na", "x"])}, optional={
        "description": TEXT, "level": st.sampled_from(["general", "major", "一般", "重大", "3"]),
        "measure": TEXT, "deadline": st.one_of(st.integers(-5, 400), st.dates(), TEXT), "owner": TEXT,
        "reason": TEXT, "note": TEXT, "evidence": st.lists(TEXT, max_size=2)}),
    st.integers(), st.lists(st.integers(), max_size=2))
ANSWERS = st.fixed_dictionaries({}, optional={
    "mode": st.sampled_from(["inspect", "self", "supervise", "other"]),
    "unit": st.one_of(st.fixed_dictionaries({"name": TEXT}, optional={
        "industry": st.sampled_from(["化工", "商贸", "x"]), "phone": TEXT}), TEXT),
    "inspectors": st.lists(st.fixed_dictionaries({"name": TEXT}, optional={
        "cert": TEXT, "org": TEXT, "post": TEXT}), max_size=3),
    "default": st.sampled_from(["pass", "na", "fail"]),
    "responses": st.dictionaries(st.sampled_from(ITEMS), ANSWER_VALUE, max_size=6),
    "extra": TEXT,
})


VALID_ANSWER = st.one_of(
    st.sampled_from(["pass", "na", "符合", "不适用"]),
    st.fixed_dictionaries({"result": st.just("fail"), "description": st.sampled_from(["未配备", "=cmd", "\x1b[2J缺"]),
                           "level": st.sampled_from(["general", "一般"]), "deadline": st.integers(1, 60)},
                          optional={"measure": TEXT, "owner": TEXT, "note": TEXT}),
    st.fixed_dictionaries({"result": st.just("na"), "reason": st.sampled_from(["新建", "无此设备"])}))
NEAR_VALID = st.fixed_dictionaries({
    "mode": st.just("self"),
    "unit": st.fixed_dictionaries({"name": st.sampled_from(["某公司", "=某公司", "某\u202e公司"])}),
    "inspectors": st.just([{"name": "周敏", "post": "安全员"}]),
    "default": st.sampled_from(["pass", "na"]),
    "responses": st.dictionaries(st.sampled_from(["a-01", "a-02", "alpha/shared-01", "b-01"]), VALID_ANSWER,
                                 max_size=4),
})


def _clock() -> dt.datetime:
    return dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@FUZZ
@given(st.one_of(ANSWERS, NEAR_VALID), st.sampled_from(["yaml", "toml"]))
def test_answers_file_gives_a_sound_record_or_located_errors(data: dict[str, Any], fmt: str) -> None:
    """An answers file either builds a record that reads back as sound, or is refused with located problems."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"a.{fmt}"
        if fmt == "yaml":
            path.write_text(yaml.safe_dump(data, allow_unicode=True, default_flow_style=False), encoding="utf-8")
        else:
            path.write_text(tomli_w.dumps(data), encoding="utf-8")
        opts = RunOptions(names=["alpha", "beta"], answers=str(path), out=Path(folder) / "r.toml")
        with no_hang():
            try:
                record = answers.build_record(opts, [s.__copy__() for s in SNAPSHOTS], [], _clock)
            except ChecklistError as exc:
                assert all(p.location.path == str(path) and p.message for p in exc.problems)
                return
        records.parse_record(records.record_to_toml(record), "r.toml")  # sound: no record problem


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGALRM")
def test_no_hang_guard_fires() -> None:
    import time

    global SECONDS
    saved, SECONDS = SECONDS, 1
    try:
        with pytest.raises(AssertionError, match="longer than 1 s"), no_hang():
            time.sleep(3)
    finally:
        SECONDS = saved
