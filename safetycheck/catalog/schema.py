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

_ITEM_EXAMPLE: dict[str, Any] = {
    "id": "zeren-01",
    "text": "是否制定全员安全生产责任制？",
    "standard": "以正式文件印发的全员安全生产责任制，覆盖每个岗位，每年至少修订一次。",
    "method": ["查资料", "抽考"],
    "basis": [{"doc": "某政发〔2026〕1号", "clause": "(三)"}, {"law": "安全生产法", "article": 22}],
}

# What each object is, shown by editors on hover; the models' docstrings never reach the schema.
_OBJECTS: dict[str, tuple[str, list[Any]]] = {
    "Checklist": ("检查清单文件：标识、标题、使用对象和各部分检查项。 / A checklist file: id, title, audience "
                  "and sections of items.",
                  [{"id": "my-plant", "title": "本厂季度安全检查", "version": "1.0", "audience": ["企业"],
                    "summary": "本厂每季度自查用。", "sections": [{"id": "zeren", "title": "安全责任",
                                                           "items": [_ITEM_EXAMPLE]}]}]),
    "Section": ("清单的一个部分：标题和若干检查项。 / A section: a title and its items.",
                [{"id": "zeren", "title": "安全责任", "items": [_ITEM_EXAMPLE]}]),
    "Item": ("一个检查项，回答“符合 / 不符合 / 不适用”。 / One item, answered pass, fail or n/a.", [_ITEM_EXAMPLE]),
    "Citation": ("一条引用：{doc, clause}（文件条款）或 {law, article}（法律条文），二者选一。 / A citation: "
                 "either {doc, clause} (a document's clause) or {law, article} (a law's article).",
                 [{"doc": "某政发〔2026〕1号", "clause": "(三)"}, {"law": "安全生产法", "article": 94}]),
    "SourceRef": ("本清单引用的文件及所用条款。 / A document this checklist draws on, with the clauses it uses.",
                  [{"doc": "某政发〔2026〕1号", "issuer": "某县人民政府", "date": "2026-02-01", "clauses": ["(三)"]}]),
    "Profile": ("配置方案：为一类单位组合若干清单。 / A profile: checklists combined for a kind of unit.",
                [{"id": "weihua-qiye", "title": "危险化学品企业综合检查", "audience": ["企业", "执法"],
                  "summary": "危险化学品企业的综合检查。", "checklists": ["wudaowei", "weihua"],
                  "industry": ["危险化学品"]}]),
    "SourceFile": ("来源文件：可引用的文件、法律法规和要求索引。 / A sources file: documents, laws and the "
                   "requirement index that checklists cite.",
                   [{"laws": [{"law": "安全生产法", "articles": 119}]}]),
    "Document": ("可按文号引用的通知、规章或标准。 / A notice, rule or standard cited by document number.",
                 [{"doc": "某政发〔2026〕1号", "title": "某县人民政府关于做好2026年安全生产工作的通知",
                   "issuer": "某县人民政府", "date": "2026-02-01", "kind": "notice"}]),
    "Law": ("可按条号引用的法律法规。 / A law or regulation cited by article.",
            [{"law": "安全生产法", "title": "中华人民共和国安全生产法", "articles": 119}]),
    "Requirement": ("来源通知中的一项要求（要求索引）。 / One requirement of a source notice (the requirement index).",
                    [{"id": "lc-03-01", "doc": "某政发〔2026〕1号", "clause": "(三)", "audience": ["企业"],
                      "text": "企业建立全员安全生产责任制。"}]),
}

_WHEN_KEYS: dict[str, str] = {
    "industry": "行业：本项只适用于这些行业的单位。 / Industries: the item applies only to units of these industries.",
    "mode": "检查类型：inspect 执法检查、self 企业自查、supervise 督导检查。 / Inspection kinds: inspect, "
            "self (self-audit) or supervise.",
    "body_type": "被督导单位类型：本项只在督导这些政府机构时检查"
                 "（乡镇人民政府、街道办事处、开发区管委会、县级部门、村（社区））。"
                 " / Kinds of government body: the item is checked only when one of these is supervised.",
}


def json_schema(kind: str = "checklist") -> str:
    """The JSON Schema of a checklist, profile or sources file, as JSON text.

    Why normalised: msgspec copies each Struct's docstring into ``$defs.*.description`` and has
    changed how it dedents them between releases; the output must be byte-identical for every
    msgspec version ``pyproject.toml`` allows, so docstrings are dropped, keys are sorted (field
    order inside ``properties`` is kept) and ``anyOf`` alternatives are put in a fixed order.
    Descriptions come from the fields' metadata and from ``_OBJECTS``, never from docstrings.

    Why the built-in registry: the names of laws and documents offered for ``basis`` come from
    the built-in ``checklists/sources`` only, so the schema changes with the program, never with
    a user's folders.
    """
    schema = msgspec.json.schema(_MODELS[kind])
    root = schema.pop("$ref", None)
    defs: dict[str, Any] = schema.get("$defs", {})
    for name, definition in defs.items():
        definition.pop("description", None)
        if name in _OBJECTS:
            definition["description"], definition["examples"] = _OBJECTS[name]
    out: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://safetycheck.invalid/schema/{kind}.json",
        "title": f"safetycheck {kind}",
    }
    if root:
        out["$ref"] = root
    out["$defs"] = defs
    _add_vocabularies(defs)
    # Only one of doc/law per citation: say it in the schema too.
    citation = defs.get("Citation")
    if isinstance(citation, dict):
        citation["oneOf"] = [{"required": ["doc", "clause"]}, {"required": ["law", "article"]}]
    return json.dumps(_normalise(out), ensure_ascii=False, indent=2)


def _add_vocabularies(defs: dict[str, Any]) -> None:
    """Closed vocabularies the models keep as plain text: ``when``, industries, registry names."""
    item = defs.get("Item")
    if item is not None:
        when = item["properties"]["when"]
        properties = {}
        for key, values in models.WHEN_KEYS.items():
            entry: dict[str, Any] = {"type": "string"} if values is None else {"enum": list(values)}
            properties[key] = {"description": _WHEN_KEYS[key], "type": "array", "items": entry, "minItems": 1}
        when["anyOf"] = [{"type": "object", "properties": properties, "additionalProperties": False,
                          "minProperties": 1}, {"type": "null"}]
    profile = defs.get("Profile")
    if profile is not None:
        profile["properties"]["industry"]["items"] = {"enum": list(models.INDUSTRIES)}
    names = None
    for name, field_names in (("Citation", ("doc", "law")), ("SourceRef", ("doc",)), ("Requirement", ("doc",))):
        if name in defs:
            names = names or _registry_names()
            for field_name in field_names:
                defs[name]["properties"][field_name]["examples"] = names[field_name]


def _registry_names() -> dict[str, list[str]]:
    """Names (and aliases) of the documents and laws in the built-in registry."""
    from safetycheck.catalog.checklist import Registry, load_sources
    from safetycheck.resources import builtin_checklists

    registry = Registry()
    for path in sorted((builtin_checklists() / "sources").glob("*.yaml")):
        load_sources(path, registry)
    docs = {name for d in registry.documents.values() for name in (d.doc, *d.aliases)}
    laws = {name for law in registry.laws.values() for name in (law.law, *law.aliases)}
    return {"doc": sorted(docs), "law": sorted(laws)}


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
