"""The built-in checklist library: validity, content lint, citations, profiles and coverage."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from safetycheck.catalog import models
from safetycheck.catalog.catalog import Catalog, open_catalog
from safetycheck.catalog.coverage import coverage_data

SEEDS = {
    "潞城政发〔2025〕1号", "2023年XX县安全生产工作要点", "晋市政发〔2021〕1号",
    "垣政发〔2025〕1号", "晋政发〔2024〕1号",
}
MAJOR_STANDARDS = {
    "应急管理部令第10号", "安监总管三〔2017〕121号", "矿安〔2022〕88号", "应急管理部令第4号",
    "城镇燃气经营安全重大隐患判定标准", "建质规〔2022〕2号",
    "道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）", "GB 35181",
}
NAMED = {"wudaowei": "五到位", "shibicha": "十必查", "sanguan-sanbixu": "三管三必须"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return open_catalog([], env={}, strict=True)


def builtin_items(catalog: Catalog) -> list[tuple[str, models.Item]]:
    out = []
    for entry in catalog.checklists():
        if isinstance(entry.model, models.Checklist):
            out.extend((f"{entry.id}/{item.id}", item) for s in entry.model.sections for item in s.items)
    return out


def test_every_builtin_file_is_valid(catalog: Catalog) -> None:
    assert [f"{p.location}: {p.message}" for p in catalog.problems] == []
    assert all(e.origin == "builtin" for e in catalog.entries.values())


def test_the_three_named_checklists_exist_with_their_aliases(catalog: Catalog) -> None:
    for cid, alias in NAMED.items():
        assert catalog.resolve(alias).id == cid
    wudaowei = catalog.entries["wudaowei"].model
    assert isinstance(wudaowei, models.Checklist)
    labels = {s.title: s.aliases for s in wudaowei.sections}
    assert len(labels) == 5
    assert any("主体责任" in "".join(a) for a in labels.values())
    assert any("基础管理" in "".join(a) for a in labels.values())
    shibicha = catalog.entries["shibicha"].model
    assert isinstance(shibicha, models.Checklist)
    assert shibicha.status == "provisional" and "推定" in shibicha.summary
    assert "监管部门" in catalog.entries["sanguan-sanbixu"].model.audience


def test_show_says_a_provisional_list_is_reconstructed() -> None:
    result = run_cli("show", "十必查")
    assert result.returncode == 0
    assert "推定" in result.stdout and "核实" in result.stdout


def test_content_lint(catalog: Catalog) -> None:
    """One fact per item, read aloud in under 120 characters, with a standard that is not the text."""
    problems = []
    for ref, item in builtin_items(catalog):
        if len(item.text) > 120:
            problems.append(f"{ref}: text over 120 characters")
        if item.standard.strip() == item.text.strip() or item.standard.strip().rstrip("。") in item.text:
            problems.append(f"{ref}: standard restates the text")
        if re.search(r"、[^，。？]*、[^，。？]*(均|都)", item.text):
            problems.append(f"{ref}: compound item ('A、B、C均…')")
        if not (item.method and item.basis and item.standard.strip()):
            problems.append(f"{ref}: missing standard, method or basis")
        if " " in item.text.strip() and re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", item.text):
            problems.append(f"{ref}: a space between Chinese characters (folded YAML?)")
    assert problems == []


def test_every_item_cites_a_seed_notice_clause(catalog: Catalog) -> None:
    missing = [ref for ref, item in builtin_items(catalog) if not any(c.doc in SEEDS for c in item.basis)]
    assert missing == []


def test_major_flags_cite_a_standard_or_are_marked_unverified(catalog: Catalog) -> None:
    bad = [ref for ref, item in builtin_items(catalog)
           if item.major_possible and item.verified and not any(c.doc in MAJOR_STANDARDS for c in item.basis)]
    assert bad == []


def test_unverified_items_say_what_is_unverified(catalog: Catalog) -> None:
    assert [ref for ref, item in builtin_items(catalog) if not item.verified and not item.note] == []


def test_same_as_links_point_at_the_same_kind_of_question(catalog: Catalog) -> None:
    items = dict(builtin_items(catalog))
    for ref, item in items.items():
        if item.same_as:
            assert item.same_as in items, f"{ref} -> {item.same_as}"
            assert items[item.same_as].same_as is None, f"{ref}: chained same_as"


def test_profiles_resolve_to_the_items_they_promise(catalog: Catalog) -> None:
    profiles = [e for e in catalog.checklists() if e.kind == "profile"]
    assert len(profiles) >= 4
    for entry in profiles:
        profile = entry.model
        assert isinstance(profile, models.Profile)
        parts = catalog.expand(entry)
        assert [loaded.id for loaded, _ in parts] == [catalog.resolve(n).id for n in profile.checklists]
        rows = {r["id"]: r for r in json.loads(run_cli("list", "--format", "json").stdout)}
        expected = sum(len(s.items) for loaded, _ in parts for s in loaded.model.sections) - len(profile.exclude)
        assert rows[entry.id]["items"] == expected
        assert rows[entry.id]["kind"] == "profile"


def test_profile_exclude_removes_items_everywhere(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "mini.yaml").write_text(textwrap.dedent("""\
        id: mini
        title: 精简方案
        audience: [企业]
        summary: 只查五到位，去掉两项。
        checklists: [五到位]
        exclude: [wudaowei/zeren-01, wudaowei/zeren-02]
        """), encoding="utf-8")
    shown = run_cli("show", "精简方案", "--format", "json", "--checklists", str(tmp_path))
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    ids = [i["id"] for part in data["expanded"] for s in part["sections"] for i in s["items"]]
    assert "zeren-01" not in ids and "zeren-02" not in ids and "zeren-03" in ids
    bad = tmp_path / "profiles" / "mini.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("zeren-02", "no-such-item"), encoding="utf-8")
    result = run_cli("validate", "--checklists", str(tmp_path))
    assert result.returncode == 1
    assert "no-such-item" in result.stdout


def test_coverage_json_lists_clauses_and_uncovered() -> None:
    result = run_cli("coverage", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert {"clauses", "uncovered"} <= set(data)
    first = data["clauses"][0]
    assert {"doc", "clause", "id", "audience", "checkable", "items"} <= set(first)
    assert {c["doc"] for c in data["clauses"]} == SEEDS
    by_id = {c["id"]: c for c in data["clauses"]}
    assert set(data["uncovered"]) == {i for i, c in by_id.items() if c["checkable"] and not c["items"]}
    assert all(c["reason"] for c in data["clauses"] if not c["checkable"])


def test_coverage_counts_an_item_that_cites_a_requirement(tmp_path: Path) -> None:
    catalog = open_catalog([], env={})
    data = coverage_data(catalog)
    cited = next(c for c in data["clauses"] if c["items"])
    cl_id, item_id = cited["items"][0].split("/")
    item = next(i for s in catalog.entries[cl_id].model.sections for i in s.items if i.id == item_id)
    assert any(b.req == cited["id"] or (b.doc == cited["doc"] and b.clause == cited["clause"]) for b in item.basis)


def test_schema_files_in_docs_match_the_models() -> None:
    for kind in ("checklist", "profile", "sources"):
        generated = run_cli("schema", "--kind", kind).stdout
        assert (ROOT / "docs" / f"{kind}.schema.json").read_text(encoding="utf-8") == generated, (
            f"docs/{kind}.schema.json is stale: safetycheck schema --kind {kind} > docs/{kind}.schema.json")


def test_every_checkable_requirement_has_an_item(catalog: Catalog) -> None:
    data = coverage_data(catalog)
    assert data["requirements"] >= 100
    assert data["uncovered"] == []


def test_every_notice_citation_is_in_the_index(catalog: Catalog) -> None:
    """Items cite requirements (or clauses) that the coverage index holds, never others."""
    registry = catalog.registry
    clauses = {(r.doc, r.clause) for r in registry.requirements.values()}
    bad = []
    for ref, item in builtin_items(catalog):
        for cite in item.basis:
            if cite.doc in SEEDS:
                if (cite.doc, cite.clause) not in clauses:
                    bad.append(f"{ref}: {cite.doc} {cite.clause}")
                req = registry.requirements.get(cite.req or "")
                if cite.req and (req is None or req.doc != cite.doc):
                    bad.append(f"{ref}: {cite.req}")
    assert bad == []
