"""Typed models: checklists, profiles and the source registry; the closed vocabularies.

Why: the models are declared once, as msgspec Structs; ``safetycheck schema`` derives the
JSON Schema from them, and the loader decodes YAML into them, so there is no second copy.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

METHODS = ("查资料", "看现场", "问询", "抽考")
AUDIENCES = ("企业", "执法", "监管部门", "党委政府", "乡镇村社区")
STATUSES = ("draft", "provisional", "stable")
MODES = ("inspect", "self", "supervise")
RESULTS = ("pass", "fail", "na")
LEVELS = ("general", "major")

# The closed vocabulary of industries: `run --industry` and checklist `when` conditions use it.
INDUSTRIES = (
    "危险化学品",
    "化工",
    "煤矿",
    "金属非金属矿山",
    "尾矿库",
    "冶金",
    "有色",
    "建材",
    "机械",
    "轻工",
    "纺织",
    "烟草",
    "商贸",
    "粉尘涉爆",
    "涉氨制冷",
    "有限空间作业",
    "建筑施工",
    "经营性自建房",
    "道路运输",
    "城镇燃气",
    "人员密集场所",
    "九小场所",
    "特种设备",
    "烟花爆竹",
    "民用爆炸物品",
    "文化旅游",
    "其他",
)

# Unit attributes a `when` condition may name, with their allowed values (None = free text).
WHEN_KEYS: dict[str, tuple[str, ...] | None] = {"industry": INDUSTRIES, "mode": MODES}

Method = Literal["查资料", "看现场", "问询", "抽考"]
Audience = Literal["企业", "执法", "监管部门", "党委政府", "乡镇村社区"]
Status = Literal["draft", "provisional", "stable"]
Mode = Literal["inspect", "self", "supervise"]
Result = Literal["pass", "fail", "na"]
Level = Literal["general", "major"]

Slug = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        max_length=64,
        description="ASCII slug: lower-case letters, digits and '-'.",
    ),
]
Text = Annotated[str, msgspec.Meta(min_length=1)]
MAX_ITEM_TEXT = 120  # characters of an item's text: one checkable fact, read aloud on site
ItemText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ITEM_TEXT)]


class Model(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Base of every checklist-side model: immutable, unknown keys refused."""


class Citation(Model, frozen=True, kw_only=True):
    """A basis or penalty citation: either ``{doc, clause}`` or ``{law, article}``.

    Why one struct: the YAML shapes carry no tag, and msgspec cannot decode untagged unions
    of structs; the loader checks that exactly one of ``doc`` and ``law`` is given.
    """

    doc: str | None = None
    clause: str | None = None
    req: str | None = None  # requirement id from the coverage index
    law: str | None = None
    article: Annotated[int, msgspec.Meta(ge=1)] | None = None
    item: str | None = None  # e.g. "(七)" of an article
    note: str | None = None


class Item(Model, frozen=True, kw_only=True):
    """One checkable fact, answered 符合 / 不符合 / 不适用."""

    id: Slug
    text: ItemText
    standard: Text
    method: Annotated[list[Method], msgspec.Meta(min_length=1)]
    basis: Annotated[list[Citation], msgspec.Meta(min_length=1)]
    major_possible: bool = False
    hint: str | None = None
    tags: list[str] = []
    verified: bool = True
    note: str | None = None
    when: dict[str, list[str]] | None = None
    penalty: list[Citation] = []
    same_as: str | None = None


class Section(Model, frozen=True, kw_only=True):
    """A titled group of items."""

    id: Slug
    title: Text
    aliases: list[str] = []
    items: Annotated[list[Item], msgspec.Meta(min_length=1)]


class SourceRef(Model, frozen=True, kw_only=True):
    """A document a checklist draws on, with the clauses it uses."""

    doc: Text
    issuer: str | None = None
    date: str | None = None
    title: str | None = None
    clauses: list[str] = []


class Checklist(Model, frozen=True, kw_only=True):
    """A checklist file (``checklists/*.yaml``)."""

    id: Slug
    title: Text
    aliases: list[str] = []
    version: Text
    audience: Annotated[list[Audience], msgspec.Meta(min_length=1)]
    summary: Text
    status: Status = "draft"
    sources: list[SourceRef] = []
    sections: Annotated[list[Section], msgspec.Meta(min_length=1)]


class Profile(Model, frozen=True, kw_only=True):
    """A profile (``checklists/profiles/*.yaml``): checklists combined for a kind of unit."""

    id: Slug
    title: Text
    aliases: list[str] = []
    version: Text = "1"
    audience: Annotated[list[Audience], msgspec.Meta(min_length=1)]
    summary: Text
    checklists: Annotated[list[str], msgspec.Meta(min_length=1)]
    exclude: list[str] = []
    industry: list[str] = []


class Document(Model, frozen=True, kw_only=True):
    """A notice, rule or standard that checklists may cite by document number."""

    doc: Text
    title: str | None = None
    issuer: str | None = None
    date: str | None = None
    kind: Literal["notice", "plan", "rule", "standard", "normative"] = "notice"
    aliases: list[str] = []
    verified: bool = True
    note: str | None = None


class Law(Model, frozen=True, kw_only=True):
    """A law or regulation that checklists cite by article."""

    law: Text
    title: str | None = None
    issuer: str | None = None
    date: str | None = None
    articles: Annotated[int, msgspec.Meta(ge=1)]
    aliases: list[str] = []
    verified: bool = True
    note: str | None = None


class Requirement(Model, frozen=True, kw_only=True):
    """One checkable requirement of a notice clause (the coverage index)."""

    id: Slug
    doc: Text
    clause: Text
    audience: Annotated[list[Audience], msgspec.Meta(min_length=1)]
    text: Text
    checkable: bool = True
    reason: str | None = None


class SourceFile(Model, frozen=True, kw_only=True):
    """A file in ``checklists/sources/``: registry entries and coverage-index entries."""

    documents: list[Document] = []
    laws: list[Law] = []
    requirements: list[Requirement] = []
