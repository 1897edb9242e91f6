"""Checklist validation: the malformed-input corpus and valid edge cases."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import DATA, run_cli

from safetycheck.catalog.catalog import open_catalog
from safetycheck.catalog.checklist import Registry, load_checklist
from safetycheck.errors import ChecklistError

BAD = sorted((DATA / "bad").glob("bad_*.yaml"))


def test_corpus_is_large_enough() -> None:
    """The checklist cases; tests/test_corpus.py runs them with every other class of malformed input."""
    assert len(BAD) >= 30
    multi = [p for p in BAD if len(p.with_suffix(".expected").read_text(encoding="utf-8").splitlines()) >= 3]
    assert len(multi) >= 2


def test_corpus_errors_in_english() -> None:
    path = DATA / "bad" / "bad_unknown_item_key.yaml"
    result = run_cli("--lang", "en", "validate", path.name, cwd=path.parent)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "bad_unknown_item_key.yaml:16:9: error: sections[0].items[0].standrd: unknown key 'standrd'. "
        "Did you mean 'standard'?"
    ]


def _registry() -> Registry:
    return open_catalog([], env={}).registry


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD = """\
    id: demo
    title: 演示
    version: 1.10
    audience: [企业]
    summary: 演示。
    sources:
      - {doc: 2026年某县安全生产工作要点, issuer: 某县, date: 2026-01-05, clauses: [第1条]}
    sections:
      - id: s1
        title: 一
        items:
          - id: a-01
            text: 是否制定安全生产责任制？
            standard: 以正式文件印发的全员安全生产责任制。
            method: [查资料]
            basis:
              - {doc: 2026年某县安全生产工作要点, clause: 第1条}
              - {law: 中华人民共和国安全生产法, article: 22}
            when: {industry: [危险化学品, 化工], mode: [inspect]}
"""


def test_valid_checklist_keeps_text_and_cites_its_own_source(tmp_path: Path) -> None:
    loaded = load_checklist(_write(tmp_path, GOOD), _registry())
    cl = loaded.model
    assert cl.version == "1.10"
    assert cl.sources[0].date == "2026-01-05"
    assert cl.sections[0].items[0].when == {"industry": ["危险化学品", "化工"], "mode": ["inspect"]}
    assert len(loaded.sha256) == 64


def test_full_width_clause_matches_half_width(tmp_path: Path) -> None:
    body = GOOD.replace("clause: 第1条}", "clause: 第１条}")
    registry = _registry()
    registry.clauses["2026年某县安全生产工作要点"] = {"第1条"}
    load_checklist(_write(tmp_path, body), registry)  # no error: NFKC makes them equal


def test_clause_missing_from_index_is_reported(tmp_path: Path) -> None:
    registry = _registry()
    registry.clauses["2026年某县安全生产工作要点"] = {"第2条"}
    with pytest.raises(ChecklistError) as info:
        load_checklist(_write(tmp_path, GOOD), registry)
    assert [(p.location.line, "第1条" in p.message) for p in info.value.problems] == [(17, True)]
