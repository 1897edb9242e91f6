"""Terminal output: Rich consoles for documents (stdout) and messages (stderr)."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from safetycheck.errors import Problem
from safetycheck.messages import t
from safetycheck.text import json_text, visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


GLYPH_ERRORS = "safetycheck-glyph"

# What to show for a character the terminal's encoding lacks (GBK has no ›, ASCII no Chinese):
# the nearest ASCII, else "?". Fullwidth punctuation falls back through NFKC first.
_GLYPHS = {"›": ">", "‹": "<", "→": "->", "←": "<-", "…": "...", "—": "--", "–": "-", "─": "-", "━": "=",
           "│": "|", "◆": "*", "•": "*", "·": ".", "✓": "v", "✗": "x", "×": "x", "【": "[", "】": "]",
           "〔": "[", "〕": "]", "“": '"', "”": '"', "‘": "'", "’": "'", "、": ",", "。": ".", "《": "<<",
           "》": ">>", "\u3000": "  ", "█": "#", "╸": "-", "╺": "-"}


def _glyph_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: replace what the encoding cannot show with the nearest ASCII."""
    import unicodedata

    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        if ch in _GLYPHS:
            out.append(_GLYPHS[ch])
            continue
        near = unicodedata.normalize("NFKC", ch)
        out.append(near if near.isascii() and near.isprintable() and near else "?")
    return "".join(out), exc.end


def fit_streams() -> None:
    """Make stdout and stderr follow the terminal's encoding with a fallback for every glyph.

    Why: under a GBK or ASCII locale (or ``PYTHONIOENCODING=ascii``) printing ``›`` or a
    Chinese message raised UnicodeEncodeError; now the text is written in that encoding and a
    character it lacks is shown as its nearest ASCII (``›`` as ``>``) or ``?``. Input that is
    not valid in the encoding is read with replacement characters instead of failing.
    """
    import codecs

    try:
        codecs.lookup_error(GLYPH_ERRORS)
    except LookupError:
        codecs.register_error(GLYPH_ERRORS, _glyph_fallback)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _is_utf(stream):
            reconfigure(errors=GLYPH_ERRORS)
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None and not _is_utf(sys.stdin):
        reconfigure(errors="replace")


def _is_utf(stream: Any) -> bool:
    return str(getattr(stream, "encoding", "") or "").lower().replace("-", "").startswith("utf")


def write_document(text: str) -> None:
    """Write a document to stdout: UTF-8 bytes unless stdout is a terminal of another encoding.

    Why: documents declare UTF-8 (HTML's meta charset), so a pipe or redirect gets UTF-8
    whatever the locale; a terminal shows them in its own encoding, with the glyph fallback.
    """
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or (sys.stdout.isatty() and not _is_utf(sys.stdout)):
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


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


PROGRESS_AFTER_ENV = "SAFETYCHECK_PROGRESS_AFTER"


def progress_delay() -> float:
    """Seconds of work before a progress bar appears: 1, or ``SAFETYCHECK_PROGRESS_AFTER`` (0: at once).

    Why a setting: a slow machine or a watching user may want the bar sooner, and a script
    driving a terminal wants it predictable; a value that is not a number >= 0 is ignored.
    """
    import math

    try:
        value = float(os.environ.get(PROGRESS_AFTER_ENV, ""))
    except ValueError:
        return 1.0
    return value if math.isfinite(value) and value >= 0 else 1.0


@contextlib.contextmanager
def progress_bar(label: str, total: int, after: float | None = None, clock: Callable[[], float] = time.monotonic,
                 console: Console | None = None) -> Iterator[Callable[[], None]]:
    """A Rich progress bar (label, bar, done/total) on stderr; yields ``advance``, called after each unit of work.

    Drawn only on a terminal and only once the work has taken more than ``after`` seconds, so a
    short command prints nothing more; it is erased when the work ends.

    Args:
        label: what is being done.
        total: how many units of work.
        after: seconds of work before the bar appears (default :func:`progress_delay`).
        clock: the time source (tests pass their own).
        console: where to draw (default: a console on stderr, when stderr is a terminal).
    """
    if console is None and not sys.stderr.isatty():
        yield lambda: None
        return
    if after is None:
        after = progress_delay()
    start = clock()
    state: dict[str, Any] = {"done": 0}

    def advance() -> None:
        state["done"] += 1
        if "bar" not in state:
            if clock() - start <= after:
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           console=console or make_console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(label, total=total)
        state["bar"].update(state["task"], completed=state["done"])

    try:
        yield advance
    finally:
        if "bar" in state:
            state["bar"].stop()


def prewrap(markup: str | Text, width: int) -> Text:
    """Rich text broken into lines by :func:`safetycheck.layout.wrap_text`, its styles kept.

    Why: Rich breaks Chinese between any two characters, so a line may start with ``，`` or
    split ``293号令``; text broken here to ``width`` columns is never re-broken by Rich.
    """
    from rich.text import Text

    from safetycheck.layout import wrap_text

    if isinstance(markup, str):
        text = Text.from_markup(visible(markup))  # control characters written out, as the console does
    elif visible(markup.plain) != markup.plain:
        text = Text(visible(markup.plain))
    else:
        text = markup
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
    """Print a user error to stderr, prefixed with 错误 / error (a list of candidates follows on its own lines)."""
    lines = "\n".join(visible(line, one_line=True) for line in message.split("\n"))
    sys.stderr.write(f"safetycheck: {t('error')}: {lines}\n")
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

