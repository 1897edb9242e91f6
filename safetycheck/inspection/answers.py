"""Answers files (``run --answers FILE|-``): a whole inspection without a terminal.

Every problem is reported with the answers file's line and the offending key, all at once,
and then nothing is written. The record is built with the same functions as an interactive
walk, so the two give the same record.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from safetycheck.catalog import models
from safetycheck.catalog.tomlsource import TomlLoadError, parse_toml
from safetycheck.catalog.yamlsource import MAX_FILE_BYTES, Document, PathKey, YamlLoadError, parse_yaml, pointer
from safetycheck.errors import ChecklistError, Location, Problem
from safetycheck.inputfiles import InputFileError, read_input
from safetycheck.inspection import recordmodels, session
from safetycheck.messages import get_lang, t

if TYPE_CHECKING:
    from safetycheck.inspection.options import RunOptions

TOP_KEYS = ("mode", "unit", "inspectors", "default", "responses", "started_at", "finished_at")
UNIT_KEYS = ("name", "address", "principal", "phone", "industry", "body_type", "site", "purpose", "representative",
             "witness")
PERSON_KEYS = ("name", "cert", "org", "post", "phone")
RESPONSE_KEYS = ("result", "kind", "description", "level", "measure", "deadline", "owner", "funds", "plan",
                 "evidence", "measures", "measure_scope", "measure_other", "reason", "note")
FAIL_ONLY = ("kind", "description", "level", "measure", "deadline", "owner", "funds", "plan", "evidence", "measures",
             "measure_scope", "measure_other")
RESULTS = {"pass": "pass", "fail": "fail", "na": "na", "符合": "pass", "不符合": "fail", "不适用": "na"}
LEVELS = {"general": "general", "major": "major", "一般": "general", "重大": "major", "1": "general", "2": "major"}
KINDS = {"hazard": "hazard", "problem": "problem", "隐患": "hazard", "问题": "problem"}


class AnswersError(ChecklistError):
    """An answers file has problems; every one is located."""


# --- reading ------------------------------------------------------------------------------


def read_answers(source: str) -> Document:
    """Read an answers file (YAML or TOML; ``-`` is stdin) into data with a position map.

    Raises:
        AnswersError: unreadable, too large, or not YAML/TOML.
    """
    if source == "-":
        name, raw = "<stdin>", sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    else:
        name = source
        try:
            raw = read_input(Path(source), MAX_FILE_BYTES)
        except InputFileError as exc:
            raise AnswersError([Problem(Location(name), t("answers.read", error=exc.message.rstrip("。.")))]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise AnswersError([Problem(Location(name, 1, 1), t("yaml.too_big", size=len(raw), limit=MAX_FILE_BYTES))])
    if _is_toml(source, raw):
        try:
            return parse_toml(raw, name)
        except TomlLoadError as exc:
            raise AnswersError([exc.problem]) from None
    try:
        return parse_yaml(raw, name)
    except YamlLoadError as exc:
        raise AnswersError([exc.problem]) from None


def _is_toml(source: str, raw: bytes) -> bool:
    suffix = Path(source).suffix.lower()
    if suffix == ".toml":
        return True
    if suffix in (".yaml", ".yml"):
        return False
    for line in raw.decode("utf-8", "replace").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        return bool(re.match(r"^(\[|[A-Za-z0-9_\"'.-]+\s*=)", stripped))
    return False


class _Checker:
    """Collects located problems while reading the answers data."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def bad(self, path: PathKey, message_id: str, *, at_key: bool = True, **values: Any) -> None:
        location = self.doc.locate(path, key=at_key)
        key = str(values.pop("key", None) or pointer(path) or ".")
        self.problems.append(Problem(location, t(message_id, key=key, **values), pointer(path)))

    def text(self, value: Any, path: PathKey) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.bad(path, "answers.type", expected=t("type.str"))
            return None
        return str(value).strip() or None

    def table(self, value: Any, path: PathKey, allowed: tuple[str, ...]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.bad(path, "answers.type", expected=t("type.map"))
            return {}
        for key in value:
            if key not in allowed:
                self.bad((*path, key), "answers.unknown_key", allowed=", ".join(allowed))
        return value

    def person(self, value: Any, path: PathKey) -> recordmodels.Person | None:
        if isinstance(value, str):
            return recordmodels.Person(name=value.strip()) if value.strip() else None
        row = self.table(value, path, PERSON_KEYS)
        fields = {k: self.text(row.get(k), (*path, k)) for k in PERSON_KEYS if k in row}
        name = fields.pop("name", None)
        if not name:
            if row:
                self.bad(path, "answers.missing", key=pointer((*path, "name")))
            return None
        return recordmodels.Person(name=name, **{k: v for k, v in fields.items() if v})


def build_record(opts: RunOptions, snaps: list[recordmodels.Snapshot], given: list[recordmodels.Person],
                 clock: Callable[[], dt.datetime]) -> recordmodels.InspectionRecord:
    """Build a complete record from ``opts.answers``; nothing is written here.

    Args:
        opts: the run options (the answers source, and unit fields that override the file's).
        snaps: the checklists of the inspection.
        given: inspectors from ``--inspector``.
        clock: the clock.

    Raises:
        AnswersError: every problem of the answers file, each with its line and key.
    """
    assert opts.answers is not None
    doc = read_answers(opts.answers)
    check = _Checker(doc)
    check.problems.extend(doc.problems)
    data = check.table(doc.data, (), TOP_KEYS) if isinstance(doc.data, dict) else None
    if data is None:
        raise AnswersError([Problem(Location(doc.path, 1, 1), t("answers.not_map"))])
    mode = opts.mode or data.get("mode")
    if mode is None:
        check.problems.append(Problem(Location(doc.path, 1, 1), t("answers.missing", key="mode"), "mode"))
        mode = "inspect"
    elif mode not in models.MODES:
        check.bad(("mode",), "answers.bad_value", at_key=False, value=mode, choices=", ".join(models.MODES))
        mode = "inspect"
    unit = _unit(check, data, opts)
    inspectors = _inspectors(check, data, given, mode)
    started = _moment(check, data, "started_at")
    finished = _moment(check, data, "finished_at")
    if started and finished and finished < started:
        check.bad(("finished_at",), "answers.finished_before", at_key=False)
    now = started or finished or clock()
    record = recordmodels.InspectionRecord(id=str(uuid.uuid4()), mode=cast(models.Mode, mode), started_at=now,
                                           unit=unit,
                                           inspectors=inspectors,
                                     checklists=snaps, lang=get_lang(), tags=list(opts.tags))
    base = Path.cwd() if opts.answers == "-" else Path(opts.answers).resolve().parent
    record_base = (opts.out.resolve().parent if opts.out else Path.cwd())
    _responses(check, data, record, now, base, record_base)
    if check.problems:
        raise AnswersError(check.problems)
    record.status = "complete"
    record.finished_at = finished or now
    return record


def _moment(check: _Checker, data: dict[str, Any], key: str) -> dt.datetime | None:
    """``started_at`` / ``finished_at``: a date and time with its UTC offset (paper records entered later)."""
    raw = data.get(key)
    if raw is None:
        return None
    value = raw
    if isinstance(raw, str):
        try:
            value = dt.datetime.fromisoformat(raw.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        check.bad((key,), "answers.bad_time", at_key=False, value=raw)
        return None
    return value.replace(microsecond=0)


def _unit(check: _Checker, data: dict[str, Any], opts: RunOptions) -> recordmodels.Unit:
    row = check.table(data.get("unit"), ("unit",), UNIT_KEYS)
    fields = {k: check.text(row.get(k), ("unit", k)) for k in ("name", "address", "principal", "phone", "site",
                                                                 "purpose") if k in row}
    for key in ("name", "address", "principal", "phone", "site", "purpose"):
        if getattr(opts, "unit" if key == "name" else key):
            fields[key] = getattr(opts, "unit" if key == "name" else key)
    industry: list[str] = list(opts.industry)
    if not industry and "industry" in row:
        raw = row["industry"]
        values = raw if isinstance(raw, list) else [raw]
        for i, value in enumerate(values):
            path: PathKey = ("unit", "industry", i) if isinstance(raw, list) else ("unit", "industry")
            if value not in models.INDUSTRIES:
                check.bad(path, "answers.bad_value", at_key=False, value=value,
                          choices=t("sep.list").join(models.INDUSTRIES))
            elif value not in industry:
                industry.append(value)
    body_type = opts.body_type
    if not body_type and "body_type" in row:
        raw_type = row["body_type"]
        if raw_type not in models.BODY_TYPES:
            check.bad(("unit", "body_type"), "answers.bad_value", at_key=False, value=raw_type,
                      choices=t("sep.list").join(models.BODY_TYPES))
        else:
            body_type = raw_type
    name = fields.pop("name", None)
    if not name:
        check.bad(("unit",), "answers.missing", key="unit.name")
        name = "?"
    rep = check.person(row.get("representative"), ("unit", "representative"))
    witness = check.person(row.get("witness"), ("unit", "witness"))
    return recordmodels.Unit(name=name, industry=industry, body_type=body_type, representative=rep,  # type: ignore[arg-type]
                             witness=witness, **{k: v for k, v in fields.items() if v})


def _inspectors(check: _Checker, data: dict[str, Any], given: list[recordmodels.Person],
                mode: str) -> list[recordmodels.Person]:
    people: list[recordmodels.Person] = []
    if "inspectors" in data:
        raw = data["inspectors"]
        if not isinstance(raw, list):
            check.bad(("inspectors",), "answers.type", expected=t("type.list"))
        else:
            for i, row in enumerate(raw):
                before = len(check.problems)
                person = check.person(row, ("inspectors", i))
                if person is not None:
                    people.append(person)
                elif len(check.problems) == before:  # "" or {}: a person without a name
                    check.bad(("inspectors", i), "answers.empty_inspector", at_key=False)
    if not people:
        people = list(given)
    if not people and mode != "self":
        from safetycheck.inspection.config import load_config

        people = list(load_config().inspectors)
    where: PathKey = ("inspectors",) if "inspectors" in data else ("mode",) if "mode" in data else ()
    if mode == "inspect" and not any(p.cert for p in people):
        check.bad(where, "answers.no_cert")
    if mode in ("self", "supervise") and not people:
        check.bad(where, "answers.missing", key="inspectors")
    return people


def _responses(check: _Checker, data: dict[str, Any], record: recordmodels.InspectionRecord, now: dt.datetime,
               base: Path, record_base: Path) -> None:
    plan = session.make_plan(record)
    by_id: dict[str, list[session.ItemKey]] = {}
    for key in plan.items:
        by_id.setdefault(key[1], []).append(key)
        by_id.setdefault(f"{key[0]}/{key[1]}", []).append(key)
    default = data.get("default")
    if default is not None and default not in ("pass", "na"):
        check.bad(("default",), "answers.bad_value", at_key=False, value=default, choices="pass, na")
        default = None
    raw = data.get("responses", {})
    if not isinstance(raw, dict):
        check.bad(("responses",), "answers.type", expected=t("type.map"))
        raw = {}
    answered: dict[int, int] = {}  # slot -> line of its answer
    explicit_auto: list[tuple[session.ItemKey, recordmodels.Response]] = []
    for name, value in raw.items():
        path: PathKey = ("responses", name)
        line = check.doc.locate(path, key=True).line
        keys = by_id.get(str(name), [])
        if not keys:
            import difflib

            near = difflib.get_close_matches(str(name), list(by_id), n=1, cutoff=0.6)
            check.bad(path, "answers.unknown_item", value=name, near=t("answers.near", name=near[0]) if near else "")
            continue
        if len(keys) > 1:
            check.bad(path, "answers.ambiguous_item", value=name, choices=", ".join(f"{c}/{i}" for c, i in keys))
            continue
        key = keys[0]
        response = _response(check, value, path, plan.items[key][1], now, base, record_base, record.mode)
        if response is None:
            continue
        slot = plan.slot_of(key)
        if slot is None:  # ruled out by its `when`, but answered explicitly: the answer wins
            explicit_auto.append((key, response))
            continue
        if slot in answered:
            check.bad(path, "answers.twice", value=name, line=answered[slot])
            continue
        answered[slot] = line
        session.record_answer(record, plan, plan.slots[slot], response)
    missing = [s for i, s in enumerate(plan.slots) if i not in answered]
    if missing and default is None:
        where: PathKey = ("responses",) if "responses" in data else ()
        names = ", ".join(f"{s.key[0]}/{s.key[1]}" for s in missing[:5]) + (" …" if len(missing) > 5 else "")
        check.bad(where, "answers.unanswered", count=len(missing), items=names)
    for open_slot in missing:
        if default == "pass":
            fill = recordmodels.Response(checklist="", item="", result="pass", answered_at=now)
        else:
            fill = recordmodels.Response(checklist="", item="", result="na", answered_at=now,
                                         reason=session.na_default())
        session.record_answer(record, plan, open_slot, fill)
    for key, response in explicit_auto:
        session.record_answer(record, plan, session.Slot([key]), response)
    session.add_auto(record, plan, now)


def _response(check: _Checker, value: Any, path: PathKey, item: recordmodels.SnapshotItem, now: dt.datetime,
              base: Path, record_base: Path, mode: str = "inspect") -> recordmodels.Response | None:
    if isinstance(value, str):
        value = {"result": value}
        at_value = True
    else:
        at_value = False
    row = check.table(value, path, RESPONSE_KEYS)
    if not row:
        if value is None or value == {}:
            check.bad(path, "answers.missing", key=pointer((*path, "result")))
        return None
    result = RESULTS.get(str(row.get("result", "")).strip())
    if result is None:
        where = path if at_value else (*path, "result")
        if "result" not in row:
            check.bad(path, "answers.missing", key=pointer((*path, "result")))
        else:
            check.bad(where, "answers.bad_value", at_key=False, value=row.get("result"), choices="pass, fail, na")
        return None
    before = len(check.problems)
    for key in row:
        if key in FAIL_ONLY and result != "fail":
            check.bad((*path, key), "answers.field_not_for", result="fail")
        if key == "reason" and result != "na":
            check.bad((*path, key), "answers.field_not_for", result="na")
    note = check.text(row.get("note"), (*path, "note"))
    if result == "pass":
        response = recordmodels.Response(checklist="", item=item.id, result="pass", answered_at=now, note=note)
    elif result == "na":
        reason = check.text(row.get("reason"), (*path, "reason")) or session.na_default()
        response = recordmodels.Response(checklist="", item=item.id, result="na", answered_at=now, note=note,
                                         reason=reason)
    else:
        hazard = _hazard(check, row, path, item, now, base, record_base, mode)
        response = recordmodels.Response(checklist="", item=item.id, result="fail", answered_at=now, note=note,
                                   hazard=hazard)
    return response if len(check.problems) == before else None


def _hazard(check: _Checker, row: dict[str, Any], path: PathKey, item: recordmodels.SnapshotItem, now: dt.datetime,
            base: Path, record_base: Path, mode: str = "inspect") -> recordmodels.Hazard:
    """A fail's finding: in ``supervise`` a 问题 (no level) unless ``kind: hazard``; elsewhere a hazard."""
    description = check.text(row.get("description"), (*path, "description")) or session.finding_default(item)
    kind_raw = row.get("kind", "problem" if mode == "supervise" else "hazard")
    kind = KINDS.get(str(kind_raw).strip())
    if kind is None:
        check.bad((*path, "kind"), "answers.bad_value", at_key=False, value=kind_raw, choices="problem, hazard")
        kind = "hazard"
    elif kind == "problem" and mode != "supervise":
        check.bad((*path, "kind"), "answers.problem_supervise", at_key=False)
    level: str | None = None
    if kind == "problem":
        if "level" in row:
            check.bad((*path, "level"), "answers.problem_level")
    else:
        level_raw = row.get("level", "general")
        level = LEVELS.get(str(level_raw).strip())
        if level is None:
            check.bad((*path, "level"), "answers.bad_value", at_key=False, value=level_raw, choices="general, major")
            level = "general"
    measure = check.text(row.get("measure"), (*path, "measure")) or item.hint
    deadline: dt.date | None = None
    raw = row.get("deadline")
    corrected = not isinstance(raw, bool) and raw is not None and session.is_on_the_spot(str(raw))
    if corrected:
        deadline = now.date()
    elif raw is None:
        if level == "major":
            check.bad(path, "answers.major_deadline")
        else:
            deadline = now.date() + dt.timedelta(days=session.GENERAL_DAYS)
    elif isinstance(raw, dt.datetime) or isinstance(raw, bool):
        error = t("walk.deadline_format", value=raw, example=session.date_example(now.date()))
        check.bad((*path, "deadline"), "answers.bad_date", at_key=False, error=error)
    elif isinstance(raw, dt.date):
        if raw < now.date():
            check.bad((*path, "deadline"), "answers.bad_date", at_key=False,
                      error=t("walk.deadline_past", value=raw.isoformat()))
        deadline = raw
    else:
        try:
            deadline = session.parse_deadline(str(raw), now.date())
        except ValueError as exc:
            check.bad((*path, "deadline"), "answers.bad_date", at_key=False, error=str(exc))
    owner = check.text(row.get("owner"), (*path, "owner"))
    evidence: list[recordmodels.Evidence] = []
    raw_ev = row.get("evidence", [])
    paths = raw_ev if isinstance(raw_ev, list) else [raw_ev]
    for i, value in enumerate(paths):
        where: PathKey = (*path, "evidence", i) if isinstance(raw_ev, list) else (*path, "evidence")
        text = check.text(value, where)
        if not text:
            continue
        target = Path(text).expanduser()
        if not target.is_absolute():
            target = base / target
        try:
            evidence.append(session.evidence_for(str(target), record_base))
        except ValueError as exc:
            message = f"{pointer(where)}{t('colon')}{exc}"
            check.problems.append(Problem(check.doc.locate(where), message, pointer(where)))
    funds: float | None = None
    if "funds" in row:
        raw_funds = row["funds"]
        if isinstance(raw_funds, bool) or not isinstance(raw_funds, int | float) or raw_funds < 0:
            check.bad((*path, "funds"), "answers.bad_funds", at_key=False)
        else:
            funds = float(raw_funds)
    plan = None
    if "plan" in row:
        if level != "major":
            check.bad((*path, "plan"), "answers.plan_major")
        plan = _plan(check, row["plan"], (*path, "plan"), base, record_base)
    measures, scope, other = _measures(check, row, path, level or "general", mode)
    return recordmodels.Hazard(kind=kind, level=level, description=description, measure=measure,  # type: ignore[arg-type]
                               deadline=deadline, owner=owner, funds=funds, plan=plan, evidence=evidence,
                               corrected_on_site=True if corrected else None, measures=measures,
                               measure_scope=scope, measure_other=other)


def _measures(check: _Checker, row: dict[str, Any], path: PathKey, level: str,
              mode: str) -> tuple[list[str] | None, str | None, str | None]:
    """``measures = ["evacuate", …]``, ``measure_scope``, ``measure_other``: 现场处理措施 of a major hazard."""
    given = [k for k in ("measures", "measure_scope", "measure_other") if k in row]
    if not given:
        return None, None, None
    if level != "major" or mode != "inspect":
        check.bad((*path, given[0]), "answers.measures_major")
        return None, None, None
    raw = row.get("measures", [])
    values = raw if isinstance(raw, list) else [raw]
    chosen: list[str] = []
    for i, value in enumerate(values):
        where: PathKey = (*path, "measures", i) if isinstance(raw, list) else (*path, "measures")
        try:
            chosen += session.parse_measures(str(value))
        except ValueError:
            check.bad(where, "answers.bad_value", at_key=False, value=value, choices=", ".join(session.MEASURES))
    chosen = sorted(set(chosen), key=session.MEASURES.index)
    scope = check.text(row.get("measure_scope"), (*path, "measure_scope"))
    other = check.text(row.get("measure_other"), (*path, "measure_other"))
    if bool(other) != ("other" in chosen):
        check.bad((*path, "measure_other" if other else "measures"), "answers.measure_other")
    return chosen or None, scope if chosen else None, other


def _plan(check: _Checker, value: Any, path: PathKey, base: Path, record_base: Path) -> recordmodels.HazardPlan:
    """``plan: TEXT`` or ``plan: {text: TEXT, evidence: [FILE, …]}``."""
    if isinstance(value, str):
        return recordmodels.HazardPlan(text=value.strip() or None)
    row = check.table(value, path, ("text", "evidence"))
    files: list[recordmodels.Evidence] = []
    raw = row.get("evidence", [])
    for i, item in enumerate(raw if isinstance(raw, list) else [raw]):
        where: PathKey = (*path, "evidence", i) if isinstance(raw, list) else (*path, "evidence")
        text = check.text(item, where)
        if not text:
            continue
        target = Path(text).expanduser()
        try:
            files.append(session.evidence_for(str(target if target.is_absolute() else base / target), record_base))
        except ValueError as exc:
            check.problems.append(Problem(check.doc.locate(where), f"{pointer(where)}{t('colon')}{exc}",
                                          pointer(where)))
    return recordmodels.HazardPlan(text=check.text(row.get("text"), (*path, "text")), evidence=files)
