"""The catalog: search folders, overrides, name look-up and the start-up cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_cli import write_checklist

from safetycheck.catalog.catalog import open_catalog, search_folders
from safetycheck.errors import UsageError


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SAFETYCHECK_CACHE_DIR", str(folder))
    monkeypatch.delenv("SAFETYCHECK_NO_CACHE", raising=False)
    return folder


def test_search_folders_order(tmp_path: Path) -> None:
    (tmp_path / "checklists").mkdir()
    env = {"SAFETYCHECK_PATH": os.pathsep.join([str(tmp_path / "e1"), str(tmp_path / "e2")])}
    folders = search_folders([tmp_path / "o1"], env, cwd=tmp_path)
    assert [f.origin for f in folders] == ["--checklists", "SAFETYCHECK_PATH", "SAFETYCHECK_PATH",
                                           "./checklists", "builtin"]
    assert [f.path.name for f in folders[:4]] == ["o1", "e1", "e2", "checklists"]


def test_cache_hit_returns_the_same_catalog_and_an_edit_makes_it_miss(tmp_path: Path, cache_dir: Path) -> None:
    folder = tmp_path / "mine"
    path = write_checklist(folder, "cache-test", "缓存测试", "缓存")
    first = open_catalog([folder], env={})
    assert list(cache_dir.glob("catalog-*.bin"))
    second = open_catalog([folder], env={})
    assert second.entries["cache-test"].model == first.entries["cache-test"].model
    assert second.entries["cache-test"].document is None  # came from the cache
    path.write_text(path.read_text(encoding="utf-8").replace("缓存测试", "缓存测试（修订）"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different modification time as well as a different size
    third = open_catalog([folder], env={})
    assert third.entries["cache-test"].model.title == "缓存测试（修订）"


def test_validate_never_uses_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    folder = tmp_path / "mine"
    write_checklist(folder, "cache-test", "缓存测试", "缓存")
    open_catalog([folder], env={})
    strict = open_catalog([folder], env={}, strict=True)
    assert strict.entries["cache-test"].document is not None


def test_unreadable_cache_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    folder = tmp_path / "mine"
    write_checklist(folder, "cache-test", "缓存测试", "缓存")
    open_catalog([folder], env={})
    for f in cache_dir.glob("catalog-*.bin"):
        f.write_bytes(b"garbage")
    assert open_catalog([folder], env={}).entries["cache-test"].model.title == "缓存测试"


def test_resolve_order_id_alias_title_prefix(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    write_checklist(folder, "alpha-one", "第一清单", "beta-two")  # an alias equal to another id
    write_checklist(folder, "beta-two", "第二清单", "第二")
    catalog = open_catalog([folder], env={})
    assert catalog.resolve("beta-two").id == "beta-two"  # id wins over alias
    assert catalog.resolve("第二").id == "beta-two"
    assert catalog.resolve("第一清单").id == "alpha-one"
    assert catalog.resolve("alpha").id == "alpha-one"
    with pytest.raises(UsageError) as info:
        catalog.resolve("zzz-none")
    assert info.value.exit_code == 2


def test_duplicate_id_in_one_folder_is_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    write_checklist(folder, "dup", "甲", "甲别名")
    (folder / "dup-copy.yaml").write_text((folder / "dup.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    catalog = open_catalog([folder], env={}, strict=True)
    assert any("dup" in p.message and p.location.path.endswith("dup.yaml") for p in catalog.problems)
