"""Terminal output: Rich consoles for documents (stdout) and messages (stderr)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from safetycheck.errors import Problem
from safetycheck.messages import t

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


def make_console(stderr: bool = False) -> Console:
    """A Rich console; colour follows the terminal and NO_COLOR, width the terminal (80 when piped)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def prewrap(markup: str | Text, width: int) -> Text:
    """Rich text broken into lines by :func:`safetycheck.layout.wrap_text`, its styles kept.

    Why: Rich breaks Chinese between any two characters, so a line may start with ``，`` or
    split ``293号令``; text broken here to ``width`` columns is never re-broken by Rich.
    """
    from rich.text import Text

    from safetycheck.layout import wrap_text

    text = Text.from_markup(markup) if isinstance(markup, str) else markup
    plain = text.plain
    pieces: list[Text] = []
    pos = 0
    for line in wrap_text(plain, max(width, 10)).split("\n"):
        start = plain.find(line, pos) if line else pos
        if start < 0:  # wrap_text cleaned a character it cannot map back: leave it to Rich
            return text
        pieces.append(text[start:start + len(line)])
        pos = start + len(line)
    return Text("\n").join(pieces)


def print_error(message: str) -> None:
    """Print one user error line to stderr, prefixed with 错误 / error."""
    sys.stderr.write(f"safetycheck: {t('error')}: {message}\n")
    sys.stderr.flush()


def print_warning(message: str) -> None:
    """Print one warning line to stderr."""
    sys.stderr.write(f"safetycheck: {t('warning')}: {message}\n")
    sys.stderr.flush()


def format_problem(problem: Problem) -> str:
    """``PATH:LINE:COL: 错误: message`` — the line editors and CI parse."""
    return f"{problem.location}: {t('error')}: {problem.message}"


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
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    for p in ordered:
        if fmt == "github":
            loc = p.location
            msg = p.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            out.write(f"::error file={loc.path},line={loc.line},col={loc.column}::{msg}\n")
        else:
            out.write(format_problem(p) + "\n")
