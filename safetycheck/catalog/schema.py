"""JSON Schema (Draft 2020-12) of the YAML files, generated from the models."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from safetycheck.catalog import models

_MODELS: dict[str, type] = {
    "checklist": models.Checklist,
    "profile": models.Profile,
    "sources": models.SourceFile,
}


def json_schema(kind: str = "checklist") -> str:
    """The JSON Schema of a checklist, profile or sources file, as JSON text.

    Why normalised: msgspec copies each Struct's docstring into ``$defs.*.description`` and has
    changed how it dedents them between releases; the output must be byte-identical for every
    msgspec version ``pyproject.toml`` allows, so docstrings are dropped, keys are sorted (field
    order inside ``properties`` is kept) and ``anyOf`` alternatives are put in a fixed order.
    """
    schema = msgspec.json.schema(_MODELS[kind])
    root = schema.pop("$ref", None)
    defs: dict[str, Any] = schema.get("$defs", {})
    for definition in defs.values():
        definition.pop("description", None)
    out: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://safetycheck.invalid/schema/{kind}.json",
        "title": f"safetycheck {kind}",
    }
    if root:
        out["$ref"] = root
    out["$defs"] = defs
    # Only one of doc/law per citation: say it in the schema too.
    citation = defs.get("Citation")
    if isinstance(citation, dict):
        citation["oneOf"] = [{"required": ["doc", "clause"]}, {"required": ["law", "article"]}]
    return json.dumps(_normalise(out), ensure_ascii=False, indent=2)


def _normalise(node: Any, *, field_names: bool = False) -> Any:
    """Sort keys (field names under ``properties`` keep model order) and ``anyOf`` alternatives."""
    if isinstance(node, dict):
        keys = list(node) if field_names else sorted(node)
        out = {key: _normalise(node[key], field_names=(key == "properties" and not field_names)) for key in keys}
        if not field_names and isinstance(out.get("anyOf"), list):
            out["anyOf"] = sorted(out["anyOf"], key=lambda alt: json.dumps(alt, sort_keys=True, ensure_ascii=False))
        return out
    if isinstance(node, list):
        return [_normalise(item) for item in node]
    return node
