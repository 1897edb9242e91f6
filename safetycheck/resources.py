"""The one place that knows where the built-in checklists and templates live."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    """Return the built-in folder ``name``: inside the installed package, else the checkout."""
    bundled = _PACKAGE / "data" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def builtin_checklists() -> Path:
    """Folder of the built-in checklists (with ``sources/`` and ``profiles/``)."""
    return _find("checklists")


def builtin_templates() -> Path:
    """Folder of the built-in Jinja2 templates."""
    return _find("templates")
