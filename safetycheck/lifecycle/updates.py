"""``hazards update`` and ``hazards show``: the unit's side after the walk, as events; one hazard's history."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from safetycheck.inspection.recordmodels import InspectionRecord
from safetycheck.lifecycle.events import append_event, plain
from safetycheck.lifecycle.files import change_record, load_record
from safetycheck.lifecycle.hazards import HazardError, HazardState, Update, find_hazard, plan_events
from safetycheck.lifecycle.seal import verify_record
from safetycheck.messages import t
from safetycheck.text import json_text, visible


def now() -> dt.datetime:
    """Local time with its UTC offset, to the second."""
    return dt.datetime.now().astimezone().replace(microsecond=0)


def file_evidence(text: str, base: Path) -> dict[str, Any]:
    """A file fixed by path (relative to the record's folder when inside it), size and SHA-256.

    Raises:
        HazardError: not a regular file, or unreadable.
    """
    path = Path(text).expanduser()
    if not path.is_file():
        raise HazardError(t("hazards.no_file", path=text))
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        size = path.stat().st_size
    except OSError as exc:
        raise HazardError(t("hazards.unreadable_file", path=text, error=exc.strerror or exc)) from None
    full = path.resolve()
    try:
        shown = full.relative_to(base.resolve()).as_posix()
    except ValueError:
        shown = str(full)
    return {"path": shown, "size": size, "sha256": digest.hexdigest()}


def update_hazards(path: Path, ids: list[str], update: Update, clock: Callable[[], dt.datetime] = now) -> list[str]:
    """Record one ``hazards update`` call for each hazard named, all or nothing.

    Returns:
        One line per event recorded, for stderr.

    Raises:
        HazardError: a bad id, date or transition (nothing is written).
        RecordError: the record cannot be read, locked or written.
    """
    if update.is_empty():
        raise HazardError(t("hazards.nothing"))
    base = path.parent
    evidence = [file_evidence(e, base) for e in update.evidence]
    plan_file = {"evidence": [file_evidence(update.plan, base)]} if update.plan else None
    moment = clock()

    def change(record: InspectionRecord) -> list[str]:
        if record.status != "complete" or not record.seal:
            raise HazardError(t("hazards.not_complete", path=path.name))
        verdict = verify_record(record)
        if not verdict.ok:
            raise HazardError(t("hazards.unverified", path=path.name, change=verdict.changes[0]))
        states: list[HazardState] = []
        for ident in ids:
            state = find_hazard(record, ident, path.name)
            if state.id not in {s.id for s in states}:
                states.append(state)
        planned = [(s, plan_events(record, s, update, moment.date(), evidence, plan_file, path.name)) for s in states]
        lines = []
        for state, events in planned:
            for kind, detail in events:
                append_event(record, kind, moment, by=update.by, hazard=state.id, detail=detail)
                lines.append(t("hazards.recorded", path=path.name, id=state.id, kind=kind))
        return lines

    return change_record(path, change)


# --- hazards show -------------------------------------------------------------------------------


def hazard_data(record: InspectionRecord, state: HazardState, file: str, today: dt.date) -> dict[str, Any]:
    """One hazard with its history, as plain data (``hazards show --format json``)."""
    from safetycheck.lifecycle.ledger import ledger_row

    row = ledger_row(record, state, file, today)
    hazard = plain(state.hazard)
    return {**row, "finding": hazard, "response": {k: v for k, v in plain(state.response).items() if k != "hazard"},
            "history": [plain(e) for e in state.events]}


def show_hazard(path: Path, ident: str, fmt: str, today: dt.date | None = None) -> None:
    """Print one hazard and its history.

    Raises:
        HazardError: the id names no hazard.
        RecordError: the record cannot be read.
    """
    record, _ = load_record(path)
    state = find_hazard(record, ident, path.name)
    day = today or dt.date.today()
    data = hazard_data(record, state, str(path), day)
    if fmt == "json":
        sys.stdout.write(json_text(data, default=str) + "\n")
        return
    from safetycheck.lifecycle.ledger import COLUMNS, cell_text

    shown = dict(data, status=data.pop("status_text"), kind=t(f"ledger.kind.{data['kind']}"),
                 level=t(f"doc.level.{data['level']}") if data["level"] else "")
    lines = [f"{label()}{t('colon')}{cell_text(shown[key])}" for key, label in COLUMNS
             if shown[key] not in (None, "", 0)]
    lines.append(t("hazards.history"))
    for event in state.events:
        detail = "; ".join(f"{k}={cell_text(v)}" for k, v in sorted(plain(event.detail).items()) if k != "parts")
        who = f" ({event.by})" if event.by else ""
        lines.append(f"  {event.at.isoformat()}  {event.kind}{who}  {detail}".rstrip())
    if not state.events:
        lines.append("  —")
    sys.stdout.write(visible("\n".join(lines)) + "\n")  # record text reaches the terminal written out
