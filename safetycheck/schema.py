"""JSON Schema (Draft 2020-12) of the YAML files, generated from the models."""

from __future__ import annotations

import json

import msgspec

from safetycheck import models

_MODELS: dict[str, type] = {
    "checklist": models.Checklist,
    "profile": models.Profile,
    "sources": models.SourceFile,
}


def json_schema(kind: str = "checklist") -> str:
    """The JSON Schema of a checklist, profile or sources file, as JSON text."""
    schema = msgspec.json.schema(_MODELS[kind])
    root = schema.pop("$ref", None)
    defs = schema.get("$defs", {})
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
    return json.dumps(out, ensure_ascii=False, indent=2)
