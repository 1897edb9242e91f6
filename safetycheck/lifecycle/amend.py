"""Seal a record when its walk completes, and turn later changes of answers into ``amended`` events.

``run`` and ``resume`` hand a :class:`Keeper` to the walk; it is called before every save.
Why here and not in the walk: the walk (``inspection``) knows nothing of seals and events; the
command line passes the keeper in, so the layers keep pointing one way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import msgspec

from safetycheck.inspection.recordmodels import HazardPlan, InspectionRecord, Response
from safetycheck.lifecycle.events import append_event, digest, plain
from safetycheck.lifecycle.seal import (
    PART_DIGITS,
    compute_seal,
    hazard_ids_used,
    migrate,
    next_hazard_id,
    response_key,
    seal_record,
)


class Keeper:
    """Called before each save of a walk: seals on completion; after it, records amendments.

    Args:
        record: the record as the walk starts (a ``/1`` record is migrated here).
        clock: the walk's clock.
    """

    def __init__(self, record: InspectionRecord, clock: Callable[[], dt.datetime]) -> None:
        migrate(record)
        self.clock = clock
        self.reopened = False
        self.last = self._answers(record)

    @staticmethod
    def _answers(record: InspectionRecord) -> dict[str, Any]:
        return {response_key(r): plain(r) for r in record.responses}

    def __call__(self, record: InspectionRecord) -> None:
        """Bring the record's seal and events up to date with its responses."""
        if not record.seal:
            seal_record(record, self.clock())
            self.last = self._answers(record)
            return
        current = {response_key(r): r for r in record.responses}
        self._keep_hazard_ids(record, current)
        changed = [k for k in current if plain(current[k]) != self.last.get(k)]
        changed += [k for k in self.last if k not in current]
        if not changed:
            return
        now = self.clock()
        if not self.reopened:
            append_event(record, "reopened", now)
            self.reopened = True
        seal = compute_seal(record)
        for key in changed:
            new = current.get(key)
            detail: dict[str, Any] = {"response": key, "seal": seal}
            if key in self.last:
                detail["old"] = self.last[key]
            if new is not None:
                detail["part"] = digest(new)[:PART_DIGITS]
            hazard = new.hazard.id if new is not None and new.hazard and new.hazard.id else None
            old_hazard = (self.last.get(key) or {}).get("hazard") or {}
            append_event(record, "amended", now, hazard=hazard or old_hazard.get("id"), detail=detail)
        self.last = self._answers(record)

    def _keep_hazard_ids(self, record: InspectionRecord, current: dict[str, Response]) -> None:
        """A fail that stays a fail keeps its hazard id; a new fail gets the next free one."""
        used = hazard_ids_used(record) | {str((v.get("hazard") or {}).get("id")) for v in self.last.values()
                                          if (v.get("hazard") or {}).get("id")}
        for key, r in current.items():
            if r.same_as:
                r.hazard = None
                continue
            if r.result != "fail" or r.hazard is None or r.hazard.id:
                continue
            old = (self.last.get(key) or {}).get("hazard") or {}
            if old.get("id"):
                r.hazard.id = str(old["id"])
                for name in ("funds", "plan"):  # what the walk does not ask is kept
                    if getattr(r.hazard, name) is None and old.get(name) is not None:
                        value = old[name] if name == "funds" else msgspec.convert(old[name], HazardPlan)
                        setattr(r.hazard, name, value)
            else:
                r.hazard.id = next_hazard_id(used)
            used.add(r.hazard.id)


def keeper(record: InspectionRecord, clock: Callable[[], dt.datetime]) -> Callable[[InspectionRecord], None]:
    """The keeper factory ``run`` and ``resume`` take."""
    return Keeper(record, clock)
