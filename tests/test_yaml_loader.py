"""The loader that resolves nothing gives what PyYAML's safe loaders gave: data, positions, problems, notes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from safetycheck.catalog import yamlsource
from safetycheck.catalog.yamlsource import YamlLoadError, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*(ROOT / "checklists").rglob("*.yaml"), *(ROOT / "tests" / "data" / "bad").rglob("*.yaml")])


def _read(raw: bytes, loader: type | None) -> object:
    saved = list(yamlsource._LOADER)
    if loader is not None:
        yamlsource._LOADER[:] = [loader]
    try:
        doc = parse_yaml(raw, "f.yaml")
    except YamlLoadError as exc:
        return ("error", exc.problem)
    finally:
        yamlsource._LOADER[:] = saved
    return doc.data, doc.values, doc.keys, doc.problems, doc.notes


def test_the_files_are_there() -> None:
    assert len(FILES) > 40


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_checklist_and_bad_file_reads_as_before(path: Path) -> None:
    raw = path.read_bytes()
    assert _read(raw, None) == _read(raw, getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # the loader used before


def test_the_c_parser_is_used_where_pyyaml_has_it() -> None:
    loader = yamlsource._loader_class()
    assert (yaml.__with_libyaml__ and issubclass(loader, yaml.cyaml.CParser)) or not yaml.__with_libyaml__


def test_text_stays_text_and_yes_no_are_refused() -> None:
    doc = parse_yaml(b"a: NO\nb: 1.10\nc: 2025-01-01\nd: 5\ne: true\nf: ~\ng: [yes, x]\nh: '1.10'\n", "f.yaml")
    assert doc.data == {"a": "NO", "b": "1.10", "c": "2025-01-01", "d": 5, "e": True, "f": None, "g": ["yes", "x"],
                        "h": "1.10"}
    assert [n.pointer for n in doc.notes] == ["a", "g[0]"]


@pytest.mark.parametrize("text", [b"a: !!str 103\nb: !!str true\nc: !!int 5\n", b"a: =\nb: <<\n", b"a: !foo x\n",
                                  b"a: ''\nb:\nc: \"5\"\nd: |\n  7\n", b"- 0x1F\n- .inf\n- 1.5\n- 2025-01-01\n"])
def test_tags_read_as_before(text: bytes) -> None:
    assert _read(text, None) == _read(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
