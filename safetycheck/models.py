"""Typed models: checklists, profiles, the source registry and inspection records.

Why: the models are declared once, as msgspec Structs; ``safetycheck schema`` derives the
JSON Schema from them, and the loader decodes YAML into them, so there is no second copy.
"""

from __future__ import annotations

import datetime as dt
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
    text: Text
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


# --- inspection records -------------------------------------------------------------------


class Record(msgspec.Struct, kw_only=True):
    """Base of record-side models: mutable while a walk goes on.

    TOML has no null: the record writer leaves out every field whose value is None.
    """


class Person(Record, kw_only=True):
    """A named person: on-site representative, witness or inspector."""

    name: str = ""
    post: str | None = None
    phone: str | None = None
    cert: str | None = None
    org: str | None = None


class Unit(Record, kw_only=True):
    """The unit inspected (企业, department, government or town)."""

    name: str
    address: str | None = None
    principal: str | None = None
    phone: str | None = None
    industry: list[str] = []
    site: str | None = None
    purpose: str | None = None
    representative: Person | None = None
    witness: Person | None = None


class Evidence(Record, kw_only=True):
    """A file attached to a finding, fixed by size and hash."""

    path: str
    size: int
    sha256: str


class Hazard(Record, kw_only=True):
    """What a 不符合 answer found and how it is to be put right."""

    level: Level = "general"
    description: str = ""
    measure: str | None = None
    deadline: dt.date | None = None
    owner: str | None = None
    evidence: list[Evidence] = []
    status: str = "open"


class Response(Record, kw_only=True):
    """The answer to one item."""

    checklist: str
    item: str
    result: Result
    answered_at: dt.datetime
    note: str | None = None
    reason: str | None = None
    auto: bool = False
    hazard: Hazard | None = None
    same_as: str | None = None  # "checklist/item" whose answer this repeats (asked once); count its hazard once


class SnapshotItem(Record, kw_only=True):
    """An item as it stood when the inspection began."""

    id: str
    text: str
    standard: str
    section: str
    method: list[str] = []
    basis: list[dict[str, str | int]] = []
    penalty: list[dict[str, str | int]] = []
    hint: str | None = None
    major_possible: bool = False
    verified: bool = True
    note: str | None = None  # what is unverified, when verified is false
    when: dict[str, list[str]] | None = None
    same_as: str | None = None


class SnapshotSection(Record, kw_only=True):
    """A section title as it stood when the inspection began."""

    id: str
    title: str


class Snapshot(Record, kw_only=True):
    """A checklist as it stood when the inspection began: reports and resume use only this."""

    id: str
    title: str
    version: str
    sha256: str
    status: str = "draft"
    path: str | None = None
    sections: list[SnapshotSection] = []
    items: list[SnapshotItem] = []


class InspectionRecord(Record, kw_only=True):
    """A whole inspection record (``safetycheck.record/1``)."""

    schema: str = "safetycheck.record/1"
    mode: Mode
    status: Literal["in-progress", "complete"] = "in-progress"
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    lang: str | None = None
    unit: Unit
    inspectors: list[Person] = []
    checklists: list[Snapshot] = []
    responses: list[Response] = []
    notes: list[str] = []
    numbers: dict[str, str] = {}
    tags: list[str] = []  # --tag: only items with one of these tags were taken into the snapshots
