"""The inspection walk: snapshots, the plan of items to ask, answers, the loop, the summary.

The loop talks to a :class:`Prompter` and never prints, so it runs the same under the Rich
terminal prompter, a scripted prompter in tests and the ``--answers`` path.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import msgspec

from safetycheck.catalog import models
from safetycheck.inspection import recordmodels
from safetycheck.messages import os_error, t

Key = Literal["pass", "fail", "na", "back", "jump", "note", "quit"]
Clock = Callable[[], dt.datetime]
Save = Callable[[recordmodels.InspectionRecord], None]
GENERAL_DAYS = 30


@dataclass(frozen=True)
class Progress:
    """What the item screen shows besides the item itself."""

    position: int  # 1-based among the items to answer
    count: int
    checklist: str  # title
    section: str  # title
    current: recordmodels.Response | None = None  # the answer given so far, if any
    also: tuple[str, ...] = ()  # other "checklist/item" keys this answer is recorded for
    note: str | None = None


class Prompter(Protocol):
    """What the walk needs from a terminal (or a script)."""

    def ask_item(self, item: recordmodels.SnapshotItem, progress: Progress) -> Key:
        """Show one item and return the key pressed (help is handled by the prompter)."""
        ...

    def ask_text(self, question: str, default: str | None) -> str:
        """Ask one line; Enter returns ``default`` (or "" when there is none)."""
        ...

    def confirm(self, message: str) -> bool:
        """Ask yes or no."""
        ...

    def warn(self, message: str) -> None:
        """Say why an answer was not accepted, before asking again."""
        ...

    def acknowledge(self, result: str) -> None:
        """Say that the answer (``pass``, ``fail`` or ``na``) is on disk; called only after its save returned."""
        ...


# --- snapshots ----------------------------------------------------------------------------


def _cite(cite: models.Citation) -> dict[str, str | int]:
    return {k: v for k, v in msgspec.structs.asdict(cite).items() if v is not None}


def snapshot(checklist: models.Checklist, sha256: str, path: str | None = None,
             excluded: Iterable[str] = (), tags: Iterable[str] = (),
             major_scope: Callable[[models.Item], list[str] | None] | None = None) -> recordmodels.Snapshot:
    """Freeze a checklist into a record, keeping every item text resume and reports need.

    Args:
        checklist: the loaded checklist.
        sha256: hash of its source file.
        path: where it was loaded from (informational).
        excluded: item ids a profile leaves out.
        tags: when given, only items carrying one of these tags are kept.
        major_scope: gives the industries an item's major-hazard flag holds for (the registry's
            ``major_industries``); the record keeps them, so a resumed walk needs no registry.
    """
    skip = set(excluded)
    wanted = set(tags)
    sections: list[recordmodels.SnapshotSection] = []
    items: list[recordmodels.SnapshotItem] = []
    for section in checklist.sections:
        kept = [it for it in section.items if it.id not in skip and (not wanted or wanted & set(it.tags))]
        if not kept:
            continue
        sections.append(recordmodels.SnapshotSection(id=section.id, title=section.title))
        for it in kept:
            items.append(recordmodels.SnapshotItem(
                id=it.id, text=it.text, standard=it.standard, section=section.id, method=list(it.method),
                basis=[_cite(c) for c in it.basis], penalty=[_cite(c) for c in it.penalty], hint=it.hint,
                major_possible=it.major_possible, major_industries=major_scope(it) if major_scope else None,
                verified=it.verified, note=it.note,
                when={k: list(v) for k, v in it.when.items()} if it.when else None, same_as=it.same_as))
    return recordmodels.Snapshot(id=checklist.id, title=checklist.title, version=checklist.version, sha256=sha256,
                           status=checklist.status, path=path, sections=sections, items=items)


# --- the plan: which items are asked, in which order ---------------------------------------


ItemKey = tuple[str, str]  # (checklist id, item id)


@dataclass
class Slot:
    """One question of the walk; its answer is recorded for every member (``same_as``)."""

    members: list[ItemKey]

    @property
    def key(self) -> ItemKey:
        """The item shown."""
        return self.members[0]


@dataclass
class Plan:
    """The items to ask, and those answered 不适用 automatically by their ``when``."""

    slots: list[Slot] = field(default_factory=list)
    auto: dict[ItemKey, str] = field(default_factory=dict)  # key -> reason
    items: dict[ItemKey, tuple[recordmodels.Snapshot, recordmodels.SnapshotItem]] = field(default_factory=dict)
    order: dict[ItemKey, int] = field(default_factory=dict)  # position in the snapshots
    # the responses list record_answer last left in order, and its length (see record_answer)
    in_order: tuple[list[recordmodels.Response] | None, int] = field(default=(None, -1), repr=False, compare=False)

    def slot_of(self, key: ItemKey) -> int | None:
        """Index of the slot that asks ``key``."""
        for i, slot in enumerate(self.slots):
            if key in slot.members:
                return i
        return None


def when_reason(item: recordmodels.SnapshotItem, unit: recordmodels.Unit, mode: str) -> str | None:
    """Why the item does not apply to the unit, or None when it applies (or cannot be told).

    Why: a condition on an attribute the unit does not state (no industry given) cannot rule
    the item out, so it is asked.
    """
    if not item.when:
        return None
    known: dict[str, list[str]] = {"mode": [mode], "industry": list(unit.industry),
                                   "body_type": [unit.body_type] if unit.body_type else []}
    for key, allowed in item.when.items():
        have = known.get(key)
        if not have:
            continue
        if not set(have) & set(allowed):
            sep = t("sep.list")
            shown = sep.join(t(f"mode.{v}") if key == "mode" else v for v in have)
            return t("walk.auto_reason", key=t(f"unit.{key}"), allowed=sep.join(allowed), have=shown)
    return None


def major_applies(item: recordmodels.SnapshotItem, unit: recordmodels.Unit) -> bool:
    """Whether the item's "can be a major hazard" flag holds for this unit.

    Why an unknown industry keeps the flag: as with ``when``, an attribute the unit does not
    state cannot rule the flag out.
    """
    if not item.major_possible:
        return False
    return not item.major_industries or not unit.industry or bool(set(unit.industry) & set(item.major_industries))


def as_shown(item: recordmodels.SnapshotItem, unit: recordmodels.Unit) -> recordmodels.SnapshotItem:
    """The item as the walk shows and grades it: the major flag only where its standard applies."""
    applies = major_applies(item, unit)
    return item if applies == item.major_possible else msgspec.structs.replace(item, major_possible=applies)


def make_plan(record: recordmodels.InspectionRecord) -> Plan:
    """Work out the walk from the record's snapshots and unit (the checklist files are not read)."""
    plan = Plan()
    for snap in record.checklists:
        for item in snap.items:
            key = (snap.id, item.id)
            plan.order[key] = len(plan.order)
            plan.items[key] = (snap, item)
    parent: dict[ItemKey, ItemKey] = {}

    def find(k: ItemKey) -> ItemKey:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    for key, (_snap, item) in plan.items.items():
        reason = when_reason(item, record.unit, record.mode)
        if reason:
            plan.auto[key] = reason
    for key, (_snap, item) in plan.items.items():
        if item.same_as and key not in plan.auto:
            cl, _, it = item.same_as.partition("/")
            other = (cl, it)
            if other in plan.items and other not in plan.auto:
                a, b = find(key), find(other)
                if a != b:
                    first, second = sorted((a, b), key=plan.order.__getitem__)
                    parent[second] = first
    groups: dict[ItemKey, list[ItemKey]] = {}
    for key in plan.items:
        if key not in plan.auto:
            groups.setdefault(find(key), []).append(key)
    for members in sorted(groups.values(), key=lambda m: plan.order[m[0]]):
        plan.slots.append(Slot(members))
    return plan


# --- answers ------------------------------------------------------------------------------


def finding_default(item: recordmodels.SnapshotItem) -> str:
    """The finding Enter accepts: drawn from the item's standard."""
    return t("walk.finding_default", standard=item.standard.strip())


def na_default() -> str:
    """The 不适用 reason Enter accepts."""
    return t("walk.na_default")


def date_example(today: dt.date) -> str:
    """A date to show as an example: the default deadline, so that it is never in the past."""
    return (today + dt.timedelta(days=GENERAL_DAYS)).isoformat()


def parse_deadline(text: str, today: dt.date) -> dt.date:
    """A deadline typed as a date (2025-04-30, 2025/4/30) or a number of calendar days.

    Raises:
        ValueError: with a message for the user (impossible date, past date, bad format).
    """
    value = text.strip().replace("/", "-").replace(".", "-")
    for suffix in ("天", "日", "days", "day", "d"):
        if value.lower().endswith(suffix) and value[: -len(suffix)].strip().isdigit():
            value = value[: -len(suffix)].strip()
    if value.isdigit() and len(value) <= 4:
        days = int(value)
        if days < 1:
            raise ValueError(t("walk.deadline_days"))
        return today + dt.timedelta(days=days)
    parts = value.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(t("walk.deadline_format", value=text, example=date_example(today)))
    try:
        day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError(t("walk.deadline_impossible", value=text)) from None
    if day < today:
        raise ValueError(t("walk.deadline_past", value=day.isoformat()))
    return day


def evidence_for(path_text: str, base: Path | None = None) -> recordmodels.Evidence:
    """Fix an evidence file by size and SHA-256.

    The path is recorded relative to ``base`` (the record's folder) when the file lies
    inside it, else absolute, so that the record still finds it when moved with its folder.
    Why open non-blocking and check the opened file: a FIFO would block the walk forever and a
    device (``/dev/zero``) never ends; only a regular file is evidence.

    Raises:
        ValueError: the path does not exist, is not a regular file (a folder, FIFO, device
            or socket, said as such) or cannot be read.
    """
    import os
    import stat

    raw = path_text.strip().strip('"').strip("'")
    path = Path(raw).expanduser()
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ValueError(t("walk.evidence_missing", path=raw)) from None
    except IsADirectoryError:
        raise ValueError(t("walk.evidence_not_file", path=raw, kind=t("walk.kind_folder"))) from None
    except OSError as exc:
        kind = _file_kind(path)
        if kind is not None:
            raise ValueError(t("walk.evidence_not_file", path=raw, kind=kind)) from None
        raise ValueError(t("walk.evidence_unreadable", path=raw, error=os_error(exc))) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise ValueError(t("walk.evidence_not_file", path=raw, kind=_mode_kind(mode)))
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
            size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        raise ValueError(t("walk.evidence_unreadable", path=raw, error=os_error(exc))) from None
    full = path.resolve()
    shown = str(full)
    if base is not None:
        try:
            shown = full.relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return recordmodels.Evidence(path=shown, size=size, sha256=digest.hexdigest())


def _mode_kind(mode: int) -> str:
    """A file that is not a regular one, in words: folder, FIFO, device, socket."""
    import stat

    if stat.S_ISDIR(mode):
        return t("walk.kind_folder")
    if stat.S_ISFIFO(mode):
        return t("walk.kind_fifo")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return t("walk.kind_device")
    if stat.S_ISSOCK(mode):
        return t("walk.kind_socket")
    return t("walk.kind_other")


def _file_kind(path: Path) -> str | None:
    """What ``path`` is when it exists and is not a regular file, else None."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else _mode_kind(mode)


def record_answer(record: recordmodels.InspectionRecord, plan: Plan, slot: Slot,
                  response: recordmodels.Response, stored: Stored | None = None) -> None:
    """Store ``response`` for every member of ``slot``, replacing earlier answers (never duplicating).

    Why in place: the responses are kept in the snapshots' order. Once this function has put a
    list in that order, each answer is stored at its place (a binary search) instead of
    rebuilding and sorting the whole list, so storing an answer does not grow with the answers.
    A list it did not leave so (another object, or another length) is rebuilt and sorted first.
    ``stored`` is told each place an answer is stored at in the list as it was kept (the save of a
    walk renders only those again); a rebuilt list is another list object.
    """
    first = slot.key
    copies = [(key, msgspec.structs.replace(response, checklist=key[0], item=key[1],
                                            same_as=None if key == first else f"{first[0]}/{first[1]}"))
              for key in slot.members]
    responses = record.responses
    kept, length = plan.in_order
    if kept is not responses or length != len(responses):
        by_key = {(r.checklist, r.item): r for r in responses}
        by_key.update(copies)
        record.responses = sorted(by_key.values(), key=lambda r: plan.order.get((r.checklist, r.item), 1 << 30))
    else:
        def rank(r: recordmodels.Response) -> int:
            return plan.order.get((r.checklist, r.item), 1 << 30)

        for key, copy in copies:
            at = bisect.bisect_left(responses, plan.order.get(key, 1 << 30), key=rank)
            inserted = not (at < len(responses) and (responses[at].checklist, responses[at].item) == key)
            if inserted:
                responses.insert(at, copy)
            else:
                responses[at] = copy
            if stored is not None:
                stored(at, inserted, copy)
    plan.in_order = (record.responses, len(record.responses))


def add_auto(record: recordmodels.InspectionRecord, plan: Plan, now: dt.datetime) -> bool:
    """Record the 不适用 answers of items whose ``when`` rules them out (once); whether any was added."""
    answered = {(r.checklist, r.item) for r in record.responses}
    added = False
    for key, reason in plan.auto.items():
        if key not in answered:
            record.responses.append(recordmodels.Response(checklist=key[0], item=key[1], result="na", answered_at=now,
                                                    reason=reason, auto=True))
            added = True
    record.responses.sort(key=lambda r: plan.order.get((r.checklist, r.item), 1 << 30))
    return added


# --- the walk -----------------------------------------------------------------------------


Stored = Callable[[int, bool, recordmodels.Response], None]
"""Told where :func:`record_answer` stored an answer: (place in the list, inserted there, the answer)."""


@dataclass
class WalkOptions:
    """Things the walk needs besides the record."""

    clock: Clock
    save: Save
    evidence_base: Path | None = None
    start: int | None = None  # 0-based slot to begin at; default: first unanswered
    stored: Stored | None = None  # told where each answer is stored (the save's writer)


def run_inspection(record: recordmodels.InspectionRecord, prompter: Prompter, options: WalkOptions) -> str:
    """Walk the items, saving the record after every answer.

    Args:
        record: the record to fill in (changed in place).
        prompter: asks the questions.
        options: clock, save callback, evidence folder, start position.

    Returns:
        ``"complete"`` when every item is answered (the record is then marked complete and
        saved), ``"quit"`` when the user pressed ``q``.

    Raises:
        KeyboardInterrupt: passed through; the record holds every answer saved so far.
    """
    plan = make_plan(record)
    add_auto(record, plan, options.clock())
    reopened = record.status == "complete"  # it keeps its status and end time: an amendment is not a new walk
    options.save(record)
    answered = {(r.checklist, r.item) for r in record.responses}
    if options.start is not None and options.start < len(plan.slots):
        pos: int | None = options.start
    else:  # a fresh start, or a reopened record that asks nothing (every item ruled out)
        pos = _next_open(plan, answered, -1)
    pending_notes: dict[ItemKey, str] = {}
    while pos is not None:
        slot = plan.slots[pos]
        snap, item = plan.items[slot.key]
        item = as_shown(item, record.unit)
        current = next((r for r in record.responses if (r.checklist, r.item) == slot.key), None)
        progress = Progress(pos + 1, len(plan.slots), snap.title, _section_title(snap, item.section), current,
                            tuple(f"{c}/{i}" for c, i in slot.members[1:]),
                            current.note if current and current.note else pending_notes.get(slot.key))
        key = prompter.ask_item(item, progress)
        if key == "quit":
            if _next_open(plan, answered, -1) is None:  # reopened, nothing left open: complete again
                break
            return "quit"  # every answer is already saved
        if key == "back":
            if pos == 0:
                prompter.warn(t("walk.at_first"))
            pos = max(pos - 1, 0)
            continue
        if key == "jump":
            target = _ask_jump(prompter, plan)
            pos = pos if target is None else target
            continue
        if key == "note":
            text = prompter.ask_text(t("walk.ask_note"), progress.note)
            if current is not None:
                record_answer(record, plan, slot, msgspec.structs.replace(current, note=text or None),
                              options.stored)
                options.save(record)
            else:
                pending_notes[slot.key] = text
            continue
        response = _ask_answer(prompter, item, key, options, record, current)
        if response is None:
            continue
        note = pending_notes.pop(slot.key, None) or (current.note if current else None)
        if note:
            response = msgspec.structs.replace(response, note=note)
        record_answer(record, plan, slot, response, options.stored)
        options.save(record)
        prompter.acknowledge(response.result)  # only now: an answer on screen is an answer on disk
        answered.update(slot.members)
        pos = _next_open(plan, answered, pos)
    if not reopened:
        record.status = "complete"
        record.finished_at = options.clock()
    options.save(record)
    return "complete"


def _section_title(snap: recordmodels.Snapshot, section_id: str) -> str:
    return next((s.title for s in snap.sections if s.id == section_id), section_id)


def _next_open(plan: Plan, answered: set[ItemKey], after: int) -> int | None:
    """The next unanswered slot after ``after``, wrapping round; None when all are answered."""
    n = len(plan.slots)
    for step in range(1, n + 1):
        i = (after + step) % n
        if plan.slots[i].key not in answered:
            return i
    return None


def _ask_jump(prompter: Prompter, plan: Plan) -> int | None:
    """The slot to go to: a position, an item id, or ``checklist/item`` when an id is in several."""
    sep = t("sep.list")
    while True:
        text = prompter.ask_text(t("walk.ask_jump", count=len(plan.slots)), None).strip()
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= len(plan.slots):
            return int(text) - 1
        keys = [key for key in plan.items if text in (key[1], f"{key[0]}/{key[1]}")]
        targets = {slot if (slot := plan.slot_of(key)) is not None else key for key in keys}  # a slot, or an auto item
        if len(targets) > 1:
            prompter.warn(t("walk.jump_ambiguous", value=text, choices=sep.join(f"{c}/{i}" for c, i in keys)))
        elif not targets:
            prompter.warn(t("walk.jump_unknown", value=text, count=len(plan.slots)))
        elif isinstance(target := targets.pop(), int):
            return target
        elif prompter.confirm(t("walk.jump_auto", item=f"{target[0]}/{target[1]}", reason=plan.auto[target])):
            return _open_auto(plan, target)
        else:
            return None


def _open_auto(plan: Plan, key: ItemKey) -> int:
    """Make an item its condition ruled out askable, in checklist order; its slot's index.

    Why: the answers file already lets an explicit answer override the automatic 不适用
    (the condition may not fit the site); the walk allows the same when the user asks.
    """
    del plan.auto[key]
    index = next((i for i, slot in enumerate(plan.slots) if plan.order[slot.key] > plan.order[key]), len(plan.slots))
    plan.slots.insert(index, Slot([key]))
    return index


def _ask_answer(prompter: Prompter, item: recordmodels.SnapshotItem, key: Key, options: WalkOptions,
                record: recordmodels.InspectionRecord,
                current: recordmodels.Response | None = None) -> recordmodels.Response | None:
    """Ask what the key calls for; a re-answered item offers its previous answer's text as the default."""
    if key == "pass":
        return recordmodels.Response(checklist="", item=item.id, result="pass", answered_at=options.clock())
    if key == "na":
        default = (current.reason if current and current.result == "na" else None) or na_default()
        reason = prompter.ask_text(t("walk.ask_na_reason"), default).strip() or default
        return recordmodels.Response(checklist="", item=item.id, result="na", answered_at=options.clock(),
                                     reason=reason)
    previous = current.hazard if current and current.result == "fail" else None
    hazard = _ask_hazard(prompter, item, options, previous, record.mode)
    return recordmodels.Response(checklist="", item=item.id, result="fail", answered_at=options.clock(), hazard=hazard)


def _ask_kind(prompter: Prompter, previous: recordmodels.Hazard | None) -> models.Kind:
    """Supervise: a 问题 of the body supervised (Enter), or an enterprise's accident hazard."""
    default = "2" if previous and previous.kind == "hazard" else "1"
    while True:
        answer = prompter.ask_text(t("walk.ask_kind"), default).strip() or default
        if answer in ("1", "2"):
            return "problem" if answer == "1" else "hazard"
        prompter.warn(t("walk.kind_choices"))


def _ask_level(prompter: Prompter, item: recordmodels.SnapshotItem,
               previous: recordmodels.Hazard | None) -> models.Level:
    while True:
        answer = prompter.ask_text(t("walk.ask_level"), "2" if previous and previous.level == "major" else "1").strip()
        if answer == "" and previous is not None and previous.level == "major":
            return "major"  # kept as confirmed before
        if answer in ("", "1"):
            return "general"
        if answer == "2":
            if item.major_possible or prompter.confirm(t("walk.confirm_major")):
                return "major"
            continue
        prompter.warn(t("walk.level_choices"))


def _ask_hazard(prompter: Prompter, item: recordmodels.SnapshotItem, options: WalkOptions,
                previous: recordmodels.Hazard | None = None, mode: str = "inspect") -> recordmodels.Hazard:
    """What a fail found: a hazard (level, measure, deadline), or in ``supervise`` a 问题 by default
    (整改要求 and the day its 整改报告 is due, no level)."""
    found = (previous.description if previous else None) or finding_default(item)
    description = prompter.ask_text(t("walk.ask_finding"), found).strip() or found
    kind: models.Kind = _ask_kind(prompter, previous) if mode == "supervise" else "hazard"
    level: models.Level | None = _ask_level(prompter, item, previous) if kind == "hazard" else None
    hint = (previous.measure if previous else None) or item.hint
    measure = prompter.ask_text(t("walk.ask_requirement" if kind == "problem" else "walk.ask_measure"),
                                hint).strip() or hint
    today = options.clock().date()
    before = previous.deadline.isoformat() if previous and previous.deadline else None
    if previous and previous.corrected_on_site:
        before = "0"
    corrected = False
    while True:
        if level != "major":
            key = "walk.ask_report_deadline" if kind == "problem" else "walk.ask_deadline_general"
            question = t(key, days=GENERAL_DAYS, example=date_example(today))
            default = before or str(GENERAL_DAYS)
            onsite = "" if kind == "problem" else t("walk.ask_deadline_onsite")  # a 问题 is reported on, not fixed here
            text = prompter.ask_text(question + onsite, default).strip() or default
        else:
            question = t("walk.ask_deadline_major", example=date_example(today))
            text = prompter.ask_text(question + t("walk.ask_deadline_onsite"), before).strip() or (before or "")
            if not text:
                prompter.warn(t("walk.deadline_required"))
                continue
        if kind == "hazard" and is_on_the_spot(text):
            corrected, deadline = True, today
            break
        try:
            deadline = parse_deadline(text, today)
            break
        except ValueError as exc:
            prompter.warn(str(exc))
    measures: tuple[list[str] | None, str | None, str | None] = (None, None, None)
    if level == "major" and mode == "inspect":
        measures = _ask_measures(prompter, previous)
    known = previous.owner if previous else None
    owner = prompter.ask_text(t("walk.ask_owner"), known).strip() or known
    evidence: list[recordmodels.Evidence] = list(previous.evidence) if previous else []  # kept; more may be added
    while True:
        path = prompter.ask_text(t("walk.ask_evidence"), None).strip()
        if not path:
            break
        try:
            evidence.append(evidence_for(path, options.evidence_base))
        except ValueError as exc:
            prompter.warn(str(exc))
    return recordmodels.Hazard(kind=kind, level=level, description=description, measure=measure, deadline=deadline,
                               owner=owner, evidence=evidence, corrected_on_site=True if corrected else None,
                               measures=measures[0], measure_scope=measures[1], measure_other=measures[2])


MEASURES = ("evacuate", "suspend", "stop-equipment", "other")  # 《安全生产法》第六十五条第一款第（三）项
ON_THE_SPOT = ("0", "当场", "现场", "now", "on the spot")


def is_on_the_spot(text: str) -> bool:
    """A deadline of ``0`` (``当场``): the hazard was corrected on the spot."""
    return text.strip().lower() in ON_THE_SPOT


def parse_measures(text: str) -> list[str]:
    """``1,3`` (numbers or names, separated by commas or spaces) as measure names in their order.

    Raises:
        ValueError: something that is not one of the four measures.
    """
    chosen: list[str] = []
    for part in text.replace("，", ",").replace("、", ",").replace(",", " ").split():
        name = MEASURES[int(part) - 1] if part.isdigit() and 1 <= int(part) <= len(MEASURES) else part
        if name not in MEASURES:
            raise ValueError(t("walk.measures_choices"))
        if name not in chosen:
            chosen.append(name)
    return sorted(chosen, key=MEASURES.index)


def _ask_measures(prompter: Prompter, previous: recordmodels.Hazard | None) -> tuple[list[str] | None, str | None,
                                                                                       str | None]:
    before = " ".join(str(MEASURES.index(m) + 1) for m in (previous.measures or [])) if previous else ""
    while True:
        try:
            chosen = parse_measures(prompter.ask_text(t("walk.ask_measures"), before or None))
            break
        except ValueError as exc:
            prompter.warn(str(exc))
    if not chosen:
        return None, None, None
    known = previous.measure_scope if previous else None
    scope = prompter.ask_text(t("walk.ask_measure_scope"), known).strip() or known
    other = None
    if "other" in chosen:
        known = previous.measure_other if previous else None
        while not other:
            other = prompter.ask_text(t("walk.ask_measure_other"), known).strip() or known
    return chosen, scope, other


# --- the summary --------------------------------------------------------------------------


@dataclass
class Tally:
    """符合 / 不符合 / 不适用 counts of a section or checklist."""

    title: str
    passed: int = 0
    failed: int = 0
    na: int = 0
    open: int = 0  # not answered

    def add(self, result: str | None) -> None:
        """Count one item."""
        if result == "pass":
            self.passed += 1
        elif result == "fail":
            self.failed += 1
        elif result == "na":
            self.na += 1
        else:
            self.open += 1

    @property
    def score(self) -> float | None:
        """The score: pass / (pass + fail), None when there is neither."""
        done = self.passed + self.failed
        return self.passed / done if done else None


@dataclass
class Summary:
    """Counts per checklist and section, hazards by level, problems, overall score."""

    checklists: list[tuple[Tally, list[Tally]]] = field(default_factory=list)
    total: Tally = field(default_factory=lambda: Tally(""))
    general: int = 0
    major: int = 0
    problems: int = 0  # 问题 of a government body (supervise), counted apart from hazards
    mode: str = ""


def summarize(record: recordmodels.InspectionRecord) -> Summary:
    """Count the answers of a record; a ``same_as`` copy is counted in its checklist, its hazard once."""
    results = {(r.checklist, r.item): r for r in record.responses}
    summary = Summary(mode=record.mode)
    for snap in record.checklists:
        cl = Tally(snap.title)
        sections = {s.id: Tally(s.title) for s in snap.sections}
        for item in snap.items:
            response = results.get((snap.id, item.id))
            result = response.result if response else None
            cl.add(result)
            if not (response and response.same_as):  # an item asked once for two checklists counts once
                summary.total.add(result)
            sections.setdefault(item.section, Tally(item.section)).add(result)
        summary.checklists.append((cl, list(sections.values())))
    for r in record.responses:
        if r.result == "fail" and r.hazard is not None and not r.same_as:
            if r.hazard.is_problem:
                summary.problems += 1
            elif r.hazard.level == "major":
                summary.major += 1
            else:
                summary.general += 1
    return summary


def as_dict(value: Any) -> Any:
    """A struct as plain data (for JSON output and tests)."""
    return msgspec.to_builtins(value)
