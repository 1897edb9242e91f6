"""The CI gate (``--fail-on``) of ``hazards list`` and ``stats``: exit 3 when the selection holds a hazard it names."""

from __future__ import annotations

GATES = ("major", "overdue", "any")
GATE_EXIT = 3


def fails_gate(gate: str, level: str, status: str) -> bool:
    """Whether a hazard of ``level`` showing ``status`` (open, overdue, rectified, closed) stops the gate.

    ``major``: a not-closed 重大事故隐患; ``overdue``: an overdue hazard; ``any``: any not-closed hazard.
    """
    if gate == "major":
        return level == "major" and status != "closed"
    if gate == "overdue":
        return status == "overdue"
    return status != "closed"


def gate_exit(code: int, gate: str | None, hits: int) -> int:
    """The exit code: a broken record (1) wins over the gate (3)."""
    if code or not gate or not hits:
        return code
    return GATE_EXIT
