"""Terminal output: Rich consoles for documents (stdout) and messages (stderr)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from safetycheck.errors import Problem
from safetycheck.messages import t
from safetycheck.text import json_text, visible

if TYPE_CHECKING:
    from rich.console import Console


def make_console(stderr: bool = False) -> Console:
    """A Rich console; colour follows the terminal and NO_COLOR, width the terminal (80 when piped).

    Every string it prints has its control characters written out (:func:`visible`) before
    markup and layout, so text from a record or a checklist never drives the terminal; only
    the console's own styles do.
    """
    from rich.console import Console

    class VisibleConsole(Console):
        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(visible(text), **kwargs)

    return VisibleConsole(stderr=stderr, highlight=False, soft_wrap=False)


def print_error(message: str) -> None:
    """Print one user error line to stderr, prefixed with 错误 / error."""
    sys.stderr.write(f"safetycheck: {t('error')}: {visible(message, one_line=True)}\n")
    sys.stderr.flush()


def print_warning(message: str) -> None:
    """Print one warning line to stderr."""
    sys.stderr.write(f"safetycheck: {t('warning')}: {visible(message, one_line=True)}\n")
    sys.stderr.flush()


def format_problem(problem: Problem) -> str:
    """``PATH:LINE:COL: 错误: message`` — the line editors and CI parse (control characters written out)."""
    return visible(f"{problem.location}: {t('error')}: {problem.message}", one_line=True)


def write_problems(problems: list[Problem], fmt: str) -> None:
    """Write validation problems to stdout in the ``text``, ``json`` or ``github`` format."""
    out = sys.stdout
    ordered = sorted(problems, key=Problem.sort_key)
    if fmt == "json":
        rows: list[dict[str, Any]] = [
            {
                "path": p.location.path,
                "line": p.location.line,
                "column": p.location.column,
                "severity": "error",
                "pointer": p.pointer,
                "message": p.message,
            }
            for p in ordered
        ]
        out.write(json_text(rows) + "\n")
        return
    for p in ordered:
        if fmt == "github":
            loc = p.location
            msg = p.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            out.write(visible(f"::error file={loc.path},line={loc.line},col={loc.column}::{msg}\n"))
        else:
            out.write(format_problem(p) + "\n")

