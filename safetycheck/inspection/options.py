"""What ``safetycheck run`` was given, shared by the walk and answers files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RunOptions:
    """Everything ``safetycheck run`` was given."""

    names: list[str]
    mode: str | None = None
    unit: str | None = None
    address: str | None = None
    principal: str | None = None
    phone: str | None = None
    industry: list[str] = field(default_factory=list)
    body_type: str | None = None  # supervise: the kind of government body (models.BODY_TYPES)
    site: str | None = None
    purpose: str | None = None
    inspectors: list[str] = field(default_factory=list)
    out: Path | None = None
    answers: str | None = None
    tags: list[str] = field(default_factory=list)
    checklist_dirs: list[Path] = field(default_factory=list)
