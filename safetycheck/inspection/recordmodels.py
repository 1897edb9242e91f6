"""Typed models of the inspection record (the case file), the TOML that ``run`` writes."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import msgspec

from safetycheck.catalog.models import BodyType, Kind, Level, Mode, Result


class Record(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base of record-side models: mutable while a walk goes on.

    TOML has no null: the record writer leaves out every field whose value is None.
    Why unknown fields are refused: a record is rewritten after every answer, and a key this
    version does not know would be dropped silently on the first save.
    """


class Person(Record, kw_only=True):
    """A named person: on-site representative, witness or inspector."""

    name: str = ""
    post: str | None = None
    phone: str | None = None
    cert: str | None = None
    org: str | None = None


class Unit(Record, kw_only=True):
    """The unit inspected (企业, department, government or town).

    A government body supervised (``supervise``) states its ``body_type`` instead of industries;
    its ``principal`` is the 主要负责人 and its ``representative`` the 联系人.
    """

    name: str
    address: str | None = None
    principal: str | None = None
    phone: str | None = None
    industry: list[str] = []
    body_type: BodyType | None = None
    site: str | None = None
    purpose: str | None = None
    representative: Person | None = None
    witness: Person | None = None


class Evidence(Record, kw_only=True):
    """A file attached to a finding, fixed by size and hash."""

    path: str
    size: int
    sha256: str


class HazardPlan(Record, kw_only=True):
    """治理方案 of a 重大事故隐患: text and/or files."""

    text: str | None = None
    evidence: list[Evidence] = []


class Hazard(Record, kw_only=True):
    """What a 不符合 answer found and how it is to be put right.

    Why no status in ``/2``: a hazard's status is derived from the record's events
    (``safetycheck.lifecycle.hazards``); ``status`` is read from ``/1`` records only.
    Why one model for a 问题: a problem a supervision finds in a government body (``kind =
    "problem"``: 整改要求 in ``measure``, the 整改报告 due by ``deadline``) has no level, but the
    same ids, statuses, events and reviews as a hazard. A hazard without a level is general.
    """

    id: str | None = None  # h1, h2, … given at completion in plan order, never reused
    kind: Kind = "hazard"  # left out of the record file and the seal when "hazard"
    level: Level | None = None
    description: str = ""
    measure: str | None = None
    deadline: dt.date | None = None
    owner: str | None = None
    funds: float | None = None  # 整改资金, yuan
    plan: HazardPlan | None = None  # 治理方案, for a 重大事故隐患
    evidence: list[Evidence] = []
    status: str | None = None  # /1 only
    # Why optional rather than False/[]: absent keys keep the seal of records made before they existed.
    corrected_on_site: bool | None = None  # deadline 0 / 当场: found and corrected on the spot
    measures: list[str] | None = None  # 现场处理措施: evacuate, suspend, stop-equipment, other
    measure_scope: str | None = None  # the area or equipment the measures concern
    measure_other: str | None = None  # the text of an `other` measure

    def __post_init__(self) -> None:
        if self.kind == "hazard" and self.level is None:
            self.level = "general"

    @property
    def is_problem(self) -> bool:
        """Whether this is a 问题 of a government body rather than an accident hazard."""
        return self.kind == "problem"


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
    major_industries: list[str] | None = None  # the major flag holds only for units of these industries
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


class Event(Record, kw_only=True):
    """One entry of the record's append-only chain of events (``[[events]]``)."""

    at: dt.datetime
    kind: str
    by: str | None = None
    hazard: str | None = None
    detail: dict[str, Any] = {}
    hash: str = ""


class ReviewResult(Record, kw_only=True):
    """What a review (复查 / 验收 / 复核) found for one hazard."""

    hazard: str  # h1
    result: Literal["passed", "failed"]
    note: str | None = None  # the situation found
    followup: Literal["extend", "case", "suspend", "closure"] | None = None  # of a failed hazard
    deadline: dt.date | None = None  # the new deadline of `extend`
    evidence: list[Evidence] = []


class Review(Record, kw_only=True):
    """One re-inspection of the record's hazards that were not closed (``[[reviews]]``)."""

    id: str  # r1, r2, …
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    inspectors: list[Person] = []
    status: Literal["in-progress", "complete"] = "in-progress"
    results: list[ReviewResult] = []


class InspectionRecord(Record, kw_only=True):
    """A whole inspection record (``safetycheck.record/2``; ``/1`` is read and migrated)."""

    schema: str = "safetycheck.record/2"
    id: str | None = None  # a UUID made at creation (a /1 record gets a UUIDv5 in memory)
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
    numbers: dict[str, str] = {}  # /1 only: /2 keeps numbers in `issued` events
    tags: list[str] = []  # --tag: only items with one of these tags were taken into the snapshots
    seal: str | None = None  # SHA-256 of what the walk produced, written on completion
    reviews: list[Review] = []  # 复查 / 验收 / 复核 after the walk; each answer is also a `reviewed` event
    events: list[Event] = []
