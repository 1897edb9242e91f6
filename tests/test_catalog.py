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


def test_switching_between_folder_sets_hits_the_cache_both_ways(tmp_path: Path, cache_dir: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    write_checklist(one, "cache-one", "缓存一", "缓存一")
    write_checklist(two, "cache-two", "缓存二", "缓存二")
    open_catalog([one], env={})
    open_catalog([two], env={})
    # Both folder sets stay cached: the second open of each comes from the cache, not the YAML.
    assert open_catalog([one], env={}).entries["cache-one"].document is None
    assert open_catalog([two], env={}).entries["cache-two"].document is None
    assert len(list(cache_dir.glob("catalog-*.bin"))) == 2


def test_cache_keeps_a_bounded_number_of_entries_dropping_the_least_recently_used(
        tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from safetycheck.catalog import cache

    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)  # each miss reads the whole built-in library
    folders = []
    for i in range(cache.MAX_ENTRIES + 2):
        folder = tmp_path / f"f{i}"
        write_checklist(folder, f"cache-{i}", f"缓存{i}", f"别名{i}")
        folders.append(folder)
        open_catalog([folder], env={})
        # keep the first one in use: reading it makes it the most recently used
        open_catalog([folders[0]], env={})
    assert len(list(cache_dir.glob("catalog-*.bin"))) == cache.MAX_ENTRIES
    assert open_catalog([folders[0]], env={}).entries["cache-0"].document is None  # used all along: kept
    assert open_catalog([folders[1]], env={}).entries["cache-1"].document is not None  # least recent: gone
