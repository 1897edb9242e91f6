"""Hazards after the walk: their ids, statuses derived from events, and the allowed transitions.

Status is never edited: ``open`` (待整改) → ``rectified`` (已整改待复查/验收) → ``closed`` (已销号);
a failed review (the review issue) returns ``rectified`` to ``open`` with a new deadline, and
``overdue`` (逾期) is ``open`` after the deadline. In ``self`` mode a 重大事故隐患 does not close on
the unit's own word: it stays ``rectified`` (待监管部门审核) until the body that approved it is named.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from safetycheck.errors import SafetycheckError
from safetycheck.inspection.recordmodels import Event, Hazard, InspectionRecord, Response
from safetycheck.messages import t

STATUSES = ("open", "rectified", "closed")
FILTERS = ("open", "rectified", "closed", "overdue", "not-closed", "all")


class HazardError(SafetycheckError):
    """A hazard id that names nothing, or a change the hazard's status does not allow."""


@dataclass
class HazardState:
    """A hazard as it stands now: the finding, and what its events made of it."""

    id: str
    response: Response
    hazard: Hazard
    status: str = "open"
    deadline: dt.date | None = None
    funds: float | None = None
    found_at: dt.datetime | None = None
    rectified_at: str | None = None
    reviewed_at: str | None = None
    reviewed_by: str | None = None
    closed_at: str | None = None
    closed_by: str | None = None
    reported_regulator: str | None = None
    reported_workers: str | None = None
    listed: dict[str, Any] | None = None
    awaits_authority: bool = False  # found by a self-audit and major: rectified awaits the authority's approval
    events: list[Event] = field(default_factory=list)

    @property
    def key(self) -> str:
        """``checklist/item``."""
        return f"{self.response.checklist}/{self.response.item}"

    @property
    def is_major(self) -> bool:
        """A 重大事故隐患."""
        return self.hazard.level == "major"

    def overdue_days(self, today: dt.date) -> int:
        """Days past the deadline of an open hazard; 0 when not overdue."""
        if self.status != "open" or self.deadline is None or today <= self.deadline:
            return 0
        return (today - self.deadline).days

    def shown_status(self, today: dt.date) -> str:
        """``overdue`` for an open hazard past its deadline, else the status."""
        return "overdue" if self.overdue_days(today) else self.status

    def label_key(self, today: dt.date) -> str:
        """The message id of the status in words (待监管部门审核 for a self-audit's rectified major hazard)."""
        shown = self.shown_status(today)
        return "doc.status.awaiting" if shown == "rectified" and self.awaits_authority else f"doc.status.{shown}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def hazard_states(record: InspectionRecord) -> list[HazardState]:
    """Every hazard of the record (``same_as`` copies excluded), in plan order, with its derived state."""
    states: dict[str, HazardState] = {}
    for r in record.responses:
        if r.result != "fail" or r.same_as or r.hazard is None:
            continue
        hid = r.hazard.id or f"?{len(states) + 1}"
        states[hid] = HazardState(hid, r, r.hazard, deadline=r.hazard.deadline, funds=r.hazard.funds,
                                  found_at=r.answered_at, awaits_authority=record.mode == "self" and
                                  r.hazard.level == "major")
        if r.hazard.corrected_on_site:  # deadline 0 / 当场: closed from completion
            states[hid].status = "closed"
            states[hid].closed_at = _text(r.answered_at.date())
    for event in record.events:
        state = states.get(event.hazard or "")
        if state is None:
            continue
        state.events.append(event)
        d = event.detail
        if isinstance(d.get("funds"), int | float):
            state.funds = float(d["funds"])
        if event.kind == "rectified":
            state.status = "rectified"
            state.rectified_at = _text(d.get("date"))
        elif event.kind == "reviewed":  # written by `safetycheck review`
            state.reviewed_at, state.reviewed_by = _text(d.get("date")), _text(d.get("by") or event.by)
            if d.get("passed") is False:
                state.status = "open"
                if isinstance(d.get("deadline"), dt.date):
                    state.deadline = d["deadline"]
            elif d.get("passed") is True and state.awaits_authority:
                state.status = "rectified"  # a self-audit's 验收 of a major hazard: the authority approves
            elif d.get("passed") is True:
                state.status = "closed"
                state.closed_at = state.reviewed_at
        elif event.kind == "closed":
            state.status = "closed"
            state.closed_at, state.closed_by = _text(d.get("date")), _text(d.get("org"))
        elif event.kind == "reported-regulator":
            state.reported_regulator = f"{_text(d.get('date'))} {d.get('regulator', '')}".strip()
        elif event.kind == "reported-workers":
            state.reported_workers = _text(d.get("date"))
        elif event.kind == "listed":
            state.listed = {k: _text(v) for k, v in d.items()}
    return list(states.values())


def find_hazard(record: InspectionRecord, ident: str, source: str) -> HazardState:
    """The hazard named by a hazard id (``h2``), an item id, or ``checklist/item``.

    A ``same_as`` copy names the hazard of the item asked.

    Raises:
        HazardError: nothing, or more than one hazard, answers to ``ident``.
    """
    states = hazard_states(record)
    by_id = {s.id: s for s in states}
    if ident in by_id:
        return by_id[ident]
    matches = [r for r in record.responses if ident in (r.item, f"{r.checklist}/{r.item}")]
    if len(matches) > 1:
        raise HazardError(t("hazards.ambiguous", path=source, id=ident,
                            choices=", ".join(f"{r.checklist}/{r.item}" for r in matches)))
    if matches:
        r = matches[0]
        key = r.same_as or f"{r.checklist}/{r.item}"
        found = next((s for s in states if s.key == key), None)
        if found is not None:
            return found
        raise HazardError(t("hazards.not_a_hazard", path=source, id=ident, result=t(f"doc.result.{r.result}")))
    raise HazardError(t("hazards.unknown", path=source, id=ident, choices=", ".join(by_id) or "—"))


def self_major(record: InspectionRecord, state: HazardState) -> bool:
    """A 重大事故隐患 found by a unit's self-audit: it closes only with the approving body named."""
    return record.mode == "self" and state.is_major


# --- hazards update ---------------------------------------------------------------------------


@dataclass
class Update:
    """What one ``hazards update`` call records (every field optional; at least one given)."""

    rectified: str | None = None
    note: str | None = None
    evidence: list[str] = field(default_factory=list)
    funds: str | None = None
    plan: str | None = None
    reported_regulator: str | None = None
    regulator: str | None = None
    reported_workers: str | None = None
    listed_by: str | None = None
    listed_number: str | None = None
    listed_date: str | None = None
    closed_by: str | None = None
    closed: str | None = None
    by: str | None = None

    def is_empty(self) -> bool:
        """Nothing to record."""
        return not any(v for k, v in vars(self).items() if k != "by")


def parse_day(value: str, option: str, record: InspectionRecord, today: dt.date) -> dt.date:
    """A date option: ``YYYY-MM-DD`` or ``today``, not before the inspection and not in the future.

    Raises:
        HazardError: anything else.
    """
    text = value.strip()
    try:
        day = today if text.lower() in ("today", "今天") else dt.date.fromisoformat(text)
    except ValueError:
        raise HazardError(t("hazards.bad_date", option=option, value=value)) from None
    if day > today:
        raise HazardError(t("hazards.future_date", option=option, value=day.isoformat()))
    if day < record.started_at.date():
        raise HazardError(t("hazards.date_before", option=option, value=day.isoformat(),
                            start=record.started_at.date().isoformat()))
    return day


def plan_events(record: InspectionRecord, state: HazardState, update: Update, today: dt.date,
                evidence: list[dict[str, Any]], plan_file: dict[str, Any] | None,
                source: str) -> list[tuple[str, dict[str, Any]]]:
    """The events one update adds to one hazard, in order, or why it is refused.

    Note, evidence, funds and plan attach to the first event of the call (a ``noted`` event
    when the call records nothing else).

    Raises:
        HazardError: a transition §1 does not allow, or options that do not go together.
    """
    out: list[tuple[str, dict[str, Any]]] = []
    where = f"{source}: {state.id}"
    major_only = [opt for opt, given in (("--reported-regulator", update.reported_regulator),
                                        ("--reported-workers", update.reported_workers),
                                        ("--listed-by", update.listed_by), ("--plan", update.plan)) if given]
    if major_only and not state.is_major:
        raise HazardError(t("hazards.major_only", where=where, option=major_only[0]))
    status = state.status
    if update.rectified is not None:
        if status != "open":
            raise HazardError(t("hazards.bad_transition", where=where, status=t(f"doc.status.{status}"),
                                change="--rectified"))
        out.append(("rectified", {"date": parse_day(update.rectified, "--rectified", record, today)}))
        status = "rectified"
    if update.reported_regulator is not None:
        if not update.regulator:
            raise HazardError(t("hazards.needs", where=where, option="--reported-regulator", other="--regulator"))
        out.append(("reported-regulator", {"date": parse_day(update.reported_regulator, "--reported-regulator",
                                                             record, today), "regulator": update.regulator}))
    elif update.regulator:
        raise HazardError(t("hazards.needs", where=where, option="--regulator", other="--reported-regulator"))
    if update.reported_workers is not None:
        out.append(("reported-workers", {"date": parse_day(update.reported_workers, "--reported-workers", record,
                                                           today)}))
    listed = (update.listed_by, update.listed_number, update.listed_date)
    if any(listed):
        if not all(listed):
            raise HazardError(t("hazards.listed_all", where=where))
        assert update.listed_date is not None
        out.append(("listed", {"org": update.listed_by, "number": update.listed_number,
                               "date": parse_day(update.listed_date, "--listed-date", record, today)}))
    if update.closed_by or update.closed:
        if not (update.closed_by and update.closed):
            raise HazardError(t("hazards.needs", where=where, option="--closed-by" if update.closed_by else "--closed",
                                other="--closed" if update.closed_by else "--closed-by"))
        if status != "rectified":
            raise HazardError(t("hazards.bad_transition", where=where, status=t(f"doc.status.{status}"),
                                change="--closed-by"))
        if self_major(record, state) and update.closed_by.strip() == record.unit.name.strip():
            raise HazardError(t("hazards.self_close", where=where))
        out.append(("closed", {"org": update.closed_by, "date": parse_day(update.closed, "--closed", record, today)}))
    extra: dict[str, Any] = {}
    if update.note:
        extra["note"] = update.note
    if evidence:
        extra["evidence"] = evidence
    if update.funds is not None:
        try:
            funds = float(update.funds)
        except ValueError:
            funds = -1.0
        if not funds >= 0:
            raise HazardError(t("hazards.bad_funds", value=update.funds))
        extra["funds"] = funds
    if plan_file is not None:
        extra["plan"] = plan_file
    if extra:
        if out:
            out[0][1].update(extra)
        else:
            out.append(("noted", extra))
    return out
