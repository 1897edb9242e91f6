"""The terminal prompter: item screens, single-key answers, line questions, the summary.

Why single keys: an inspector on site answers dozens of items with one hand; Enter after
every key doubles the work, and a stray Enter must not answer an item.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from safetycheck.inspection import recordmodels
from safetycheck.inspection.session import Key, Progress, Summary, Tally
from safetycheck.messages import t
from safetycheck.text import cite_texts, display_width, method_text, visible

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# Longest line the walk takes typed: a terminal keeps 4,095 bytes of a line and drops the rest
# without a sign, so lines near that are refused with a pointer to notes and answers files.
MAX_TYPED_BYTES = 4000

KEYS: dict[str, Key] = {
    "y": "pass", "1": "pass",
    "n": "fail", "2": "fail",
    "s": "na", "3": "na",
    "b": "back", "j": "jump", "m": "note", "q": "quit",
}


def read_key() -> str:
    r"""Read one keypress without Enter and without echo.

    POSIX: the terminal is put in cbreak mode for the one read (signals stay on, so Ctrl-C
    raises KeyboardInterrupt); escape sequences (arrow keys) are swallowed. Windows:
    ``msvcrt.getwch``; Ctrl-C arrives as ``\\x03`` and is raised as KeyboardInterrupt.

    Raises:
        EOFError: the terminal is gone.
        KeyboardInterrupt: Ctrl-C.
    """
    if sys.platform == "win32":
        import msvcrt

        ch = msvcrt.getwch()
        if ch in ("\x00", "\xe0"):  # function and arrow keys come as two characters
            msvcrt.getwch()
            return ""
        if ch == "\x03":
            raise KeyboardInterrupt
        if ch == "\x1a":
            raise EOFError
        return ch
    import codecs
    import termios
    import tty

    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)  # TCSANOW: keep keys typed ahead
        data = os.read(fd, 1)
        if not data:
            raise EOFError
        if data == b"\x1b":
            _drain(fd)
            return ""
        if data == b"\x04":
            raise EOFError
        # the rest of a character in the terminal's encoding (UTF-8, GBK, …)
        decoder = codecs.getincrementaldecoder(_terminal_encoding())("replace")
        text = decoder.decode(data)
        while not text and len(data) < 4:
            more = os.read(fd, 1)
            if not more:
                break
            data += more
            text = decoder.decode(more)
        return text or decoder.decode(b"", final=True)
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, old)


def _terminal_encoding() -> str:
    """The encoding keys arrive in: stdin's, UTF-8 when it names none Python knows."""
    import codecs

    name = getattr(sys.stdin, "encoding", None) or "utf-8"
    try:
        codecs.lookup(name)
    except LookupError:
        return "utf-8"
    return name


def drop_typed_ahead() -> None:
    """Throw away keys typed before a prompt showed, so that a stale key never answers an item.

    POSIX: ``tcflush`` of the terminal's input queue; Windows: read what ``kbhit`` reports.
    """
    if sys.platform == "win32":
        import msvcrt

        while msvcrt.kbhit():
            msvcrt.getwch()
        return
    import termios

    try:
        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    except (termios.error, OSError, ValueError):
        pass  # not a terminal (tests, pipes): nothing was typed ahead


def line_typed_ahead() -> bool:
    """Whether a whole line typed ahead is waiting (POSIX).

    Why: the terminal echoed that line's Enter when it was typed, before the prompt was
    printed, so reading it leaves the cursor after the prompt; the next prompt would then
    start on the same line. Windows echoes a line only as it is read.
    """
    if sys.platform == "win32":
        return False
    import select

    try:
        return bool(select.select([sys.stdin.fileno()], [], [], 0)[0])
    except (OSError, ValueError):
        return False


def _drain(fd: int) -> None:
    import select

    while select.select([fd], [], [], 0.02)[0]:
        if not os.read(fd, 16):
            return


class RichPrompter:
    """Asks on the terminal through a Rich console; implements ``session.Prompter``."""

    def __init__(self, console: Console) -> None:
        """Use ``console`` for every screen."""
        self.console = console
        self._typed = "y"

    # --- the item screen ---

    def ask_item(self, item: recordmodels.SnapshotItem, progress: Progress) -> Key:
        """Show the item compactly and wait for an answer key (``?`` shows everything)."""
        self._item_screen(item, progress)
        drop_typed_ahead()
        while True:
            self._out(f"{t('walk.keys')}\n> ", style="dim", end="")
            while True:
                ch = read_key()
                if ch in ("\r", "\n", "", " "):
                    continue  # Enter alone does nothing here
                break
            key = KEYS.get(ch.lower())
            if ch == "?":
                self._out("?")
                self._details(item)
                continue
            if key is None:
                self._out(ch if ch.isprintable() else "")
                continue
            if key == "pass":
                self._typed = ch  # echoed with its result once the answer is saved (acknowledge)
            elif key in ("fail", "na"):
                self._out(f"{ch} → {t(f'result.{key}')}")  # the questions of that answer follow
            else:
                self._out(ch)
            return key

    def acknowledge(self, result: str) -> None:
        """Confirm an answer once it is on disk: ``y → 符合``, or ``已保存：不符合`` after its questions."""
        label = t(f"result.{result}")
        if result == "pass":
            self._out(f"{self._typed} → {label}")
        else:
            self._out(t("walk.answer_saved", answer=label), style="dim")

    def _item_screen(self, item: recordmodels.SnapshotItem, progress: Progress) -> None:
        from rich.markup import escape

        from safetycheck.console import prewrap

        c = self.console
        c.print()
        c.rule(escape(f"[{progress.position}/{progress.count}] {progress.checklist} › {progress.section}"),
               align="left", style="cyan")
        flags = "".join(f"  [{style}]{escape(t(msg_id))}[/{style}]" for msg_id, style, shown in (
            ("walk.major_possible", "bold red", item.major_possible), ("walk.unverified", "yellow", not item.verified))
            if shown)
        width = max(c.width, 40)
        c.print(prewrap(f"[bold]{escape(item.text)}[/bold]  [dim]{escape(item.id)}[/dim]{flags}", width))
        label = t("show.standard")
        colon = t("colon")
        c.print(_lines(f"{label}{colon}{item.standard}", width, 2))
        basis = t("sep.semi").join(cite_texts(item.basis))
        line = f"{t('show.method')}{colon}{method_text(item.method)}  {t('show.basis')}{colon}{basis}"
        c.print(_lines(line, width, 2), style="dim")
        if progress.current is not None:
            r = progress.current
            extra = f" — {r.reason}" if r.result == "na" and r.reason else ""
            if r.hazard is not None:
                label = t("level.problem") if r.hazard.is_problem else t(f"level.{r.hazard.level or 'general'}")
                extra = f" — {label}{t('colon')}{r.hazard.description}"
            c.print(_lines(t("walk.current", answer=t(f"result.{r.result}")) + extra, width, 2), style="green")
        if progress.note:
            c.print(prewrap(escape(t("walk.note", note=progress.note)), width))
        if progress.also:
            c.print(prewrap(escape(t("walk.also", items=t("sep.list").join(progress.also))), width), style="dim")

    def _details(self, item: recordmodels.SnapshotItem) -> None:
        from rich.markup import escape

        from safetycheck.console import prewrap

        c = self.console
        c.print(prewrap(escape(t("walk.help")), max(c.width, 40)))
        c.print()
        semi, comma = t("sep.semi"), t("sep.list")
        rows = [(t("show.standard"), item.standard), (t("show.method"), method_text(item.method)),
                (t("show.basis"), semi.join(cite_texts(item.basis)))]
        if item.penalty:
            rows.append((t("show.penalty"), semi.join(cite_texts(item.penalty))))
        if item.hint:
            rows.append((t("show.hint"), item.hint))
        if item.when:
            rows.append((t("show.when"), semi.join(f"{k}: {comma.join(v)}" for k, v in item.when.items())))
        if item.major_possible:
            scope = t("show.major_scope", industries=comma.join(item.major_industries)) if item.major_industries else ""
            rows.append(("!", t("show.major") + scope))
        if not item.verified:
            rows.append((t("show.unverified"), item.note or ""))
        elif item.note:
            rows.append((t("show.note"), item.note))
        for label, value in rows:
            c.print(prewrap(escape(f"{label}{t('colon')}{value}"), max(c.width, 40)))

    # --- line questions ---

    def ask_text(self, question: str, default: str | None) -> str:
        """One line; Enter gives ``default``.

        Why the length limit: a terminal's line discipline holds at most 4,095 bytes of a line
        and silently drops the rest, so a line that long is refused rather than saved cut.
        """
        shown = f" [{_clip(default, 40)}]" if default else ""
        while True:
            typed_ahead = line_typed_ahead()
            self._out(f"{question}{shown}{t('colon')}", end="", style="bold")  # ：in Chinese, ": " in English
            line = input()
            if typed_ahead:  # its Enter was echoed before the prompt: end the prompt's line here
                self._out("")
            if len(line.encode("utf-8", "surrogateescape")) < MAX_TYPED_BYTES:
                return line.strip() or (default or "")
            self.warn(t("walk.line_too_long", limit=MAX_TYPED_BYTES))

    def confirm(self, message: str) -> bool:
        """Ask yes/no with a single key."""
        self._out(f"{message} {t('walk.yes_no')} ", end="", style="bold yellow")
        while True:
            ch = read_key().lower()
            if ch in ("y", "1"):
                self._out("y")
                return True
            if ch in ("n", "2", "\r", "\n"):
                self._out("n")
                return False

    def warn(self, message: str) -> None:
        """Why the answer was refused."""
        self._out(message, style="yellow")

    def info(self, message: str) -> None:
        """A line of information."""
        self._out(message)

    def _out(self, text: str, *, style: str | None = None, end: str = "\n") -> None:
        from rich.text import Text

        self.console.print(Text(visible(text), style=style or ""), end=end)
        self.console.file.flush()



def _lines(text: str, width: int, most: int) -> Text:
    """Plain text pre-wrapped to ``width`` columns, at most ``most`` lines, a cut marked with an ellipsis."""
    from rich.text import Text

    from safetycheck.layout import wrap_text

    lines = wrap_text(" ".join(text.split()), width).split("\n")
    if len(lines) > most:
        lines = [*lines[:most - 1], _clip(lines[most - 1] + lines[most], width)]
    return Text("\n".join(lines))


def _clip(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` terminal columns, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if display_width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


# --- the summary --------------------------------------------------------------------------


def _tally_line(tally: Tally) -> str:
    line = t("summary.row", passed=tally.passed, failed=tally.failed, na=tally.na)
    if tally.open:
        line += t("summary.open", open=tally.open)
    if tally.score is not None:
        line += t("summary.score", score=f"{tally.score:.0%}")
    return line


def print_summary(console: Console, summary: Summary) -> None:
    """Print 符合/不符合/不适用 per checklist and section, hazards by level and the score."""
    from rich.markup import escape

    console.print()
    console.rule(t("summary.title"), align="left")
    colon = t("colon")
    for tally, sections in summary.checklists:
        console.print(f"[bold]{escape(tally.title)}[/bold]{colon}{escape(_tally_line(tally))}")
        for sec in sections:
            console.print(f"  {escape(sec.title)}{colon}{escape(_tally_line(sec))}")
    if len(summary.checklists) > 1:
        console.print(f"[bold]{t('summary.total')}[/bold]{colon}{escape(_tally_line(summary.total))}")
    if summary.mode == "supervise":  # a body supervised has problems; an enterprise's hazards only if found
        console.print(escape(t("summary.problems", count=summary.problems)))
    if summary.mode != "supervise" or summary.general or summary.major:
        console.print(escape(t("summary.hazards", general=summary.general, major=summary.major)))
    if summary.major:  # a score never stands alone beside a major hazard
        console.print(escape(t("summary.major_open", count=summary.major)), style="bold")
