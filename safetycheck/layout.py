"""Layout of plain text and Markdown: wrapping by display width, padding, escaping, tidying.

Why its own module: these are pure string functions the templates use as filters (registered in
``report.py``); they know nothing of records or Jinja2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from safetycheck.text import display_width, visible

TEXT_WIDTH = 80


_MD_ESCAPE = {ch: "\\" + ch for ch in "\\`*_[]|~#$"}
_MD_ESCAPE.update({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": "<br>", "\r": "", "\t": " "})


def md_escape(value: Any) -> str:
    """Text as literal Markdown, safe in a paragraph or a table cell.

    Why: Markdown viewers render HTML tags, emphasis, links and math, and a ``|`` or a
    newline breaks a table row; escaping them keeps what a person typed exactly as typed.
    """
    text = "" if value is None else str(value)
    out = "".join(_MD_ESCAPE.get(ch, ch) for ch in text)
    # A leading list marker or heading would start a block: "1." "-" "+" "=".
    head = len(out) - len(out.lstrip(" "))
    rest = out[head:]
    digits = len(rest) - len(rest.lstrip("0123456789"))
    if rest[:1] in ("-", "+", "="):
        out = out[:head] + "\\" + rest
    elif digits and rest[digits:digits + 1] in (".", ")"):
        out = out[:head] + rest[:digits] + "\\" + rest[digits:]
    return out


_NO_LINE_START = set("，。、；：？！）》」』】〕〗〉］｝”’,.;:?!)]}%‰")
_NO_LINE_END = set("（《「『【〔〖〈［｛“‘([{")
# Written after a number and kept with it: 第293号, 3个月, 50万元, 20%.
_UNITS = set("号条款项章节年月日时分秒个次人名家处台套辆座层米吨元倍岁天周批类级部份张页万千百亿")
# Kept whole although written in CJK: 第四十一条, 〔2024〕1号, (二十七).
_NUMERALS = "零〇一二三四五六七八九十百千"
_KEEP = re.compile(rf"第[{_NUMERALS}]+[条款项章节]|〔\d+〕\d+号|[(（][{_NUMERALS}]+[)）]")


def _atoms(line: str) -> Iterator[str]:
    """Atoms of a line: a space, a narrow run, one wide character, or a span kept whole (第四十一条)."""
    i, n = 0, len(line)
    while i < n:
        keep = _KEEP.match(line, i)
        if keep:
            yield keep.group()
            i = keep.end()
        elif line[i] == " " or display_width(line[i]) == 2:
            yield line[i]
            i += 1
        else:
            j = i
            while j < n and line[j] != " " and display_width(line[j]) != 2:
                j += 1
            yield line[i:j]
            i = j


def _units(line: str) -> list[str]:
    """The line as wrap units: atoms glued where a line must not break.

    Why: a break inside ``tizhi-01`` or ``293号``, before ``）`` or after ``《`` misreads in
    print. Closing punctuation sticks to what precedes it, opening punctuation to what follows,
    a unit of measure to its number, and ``第`` to the number after it.
    """
    units: list[str] = []
    glue = False  # the previous atom ends in opening punctuation
    for atom in _atoms(line):
        if atom == " ":
            units.append(atom)
            glue = False
            continue
        prev = units[-1] if units and units[-1] != " " else ""
        if prev and (glue or atom[0] in _NO_LINE_START
                     or (atom in _UNITS and (prev[-1].isdigit() or (prev[-1] in _UNITS and _numeric(prev))))
                     or (prev.endswith("第") and atom[0].isdigit())):
            units[-1] = prev + atom
        else:
            units.append(atom)
        glue = atom[-1] in _NO_LINE_END
    return units


def _numeric(unit: str) -> bool:
    """A unit that ends in a number followed by units of measure (``50万``), so ``元`` may follow."""
    return unit.rstrip("".join(_UNITS))[-1:].isdigit()


def _clean(text: str) -> str:
    """Tabs to spaces, CR/CRLF to LF, other control characters written out (``\\x1b``) before measuring."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return visible(text)


def _split_long(token: str, room: int) -> tuple[str, str]:
    """Cut a token so that the head fits ``room`` columns (at least one character)."""
    cut, used = 0, 0
    while cut < len(token) and used + display_width(token[cut]) <= room:
        used += display_width(token[cut])
        cut += 1
    cut = max(cut, 1)
    return token[:cut], token[cut:]


def _wrap_paragraph(paragraph: str, width: int, first: str, rest: str) -> list[str]:
    lines: list[str] = []
    prefix = first
    line: list[str] = []  # units after the prefix
    used = display_width(prefix)

    def flush() -> None:
        nonlocal prefix, line, used
        lines.append((prefix + "".join(line)).rstrip())
        prefix, line, used = rest, [], display_width(rest)

    room = width - display_width(rest)  # a whole following line
    for unit in _units(paragraph):
        size = display_width(unit)
        if unit == " " and not line:
            continue
        if used + size <= width:
            line.append(unit)
            used += size
            continue
        if unit == " ":
            flush()
            continue
        if size <= room:  # fits on a line of its own: start one
            flush()
            line.append(unit)
            used += size
            continue
        if line:  # longer than a whole line: cut it, starting on a fresh line
            flush()
        while unit:
            if used + display_width(unit) <= width:
                line.append(unit)
                used += display_width(unit)
                break
            head, unit = _split_long(unit, width - used)
            line.append(head)
            used += display_width(head)
            if unit:
                flush()
    lines.append((prefix + "".join(line)).rstrip())
    return lines


def wrap_text(value: Any, width: int = TEXT_WIDTH, first: str = "", rest: str | None = None) -> str:
    """Wrap text to ``width`` display columns, counting CJK characters as two.

    Lines break between words and between CJK characters, never inside a run of ASCII letters,
    digits, ``-`` and ``_``, between a number and its unit (``293号``, ``第四十一条``), before
    closing punctuation nor after opening punctuation (``《安全生产法》``, ``［方案］``); only a
    unit longer than a whole line is cut.

    Args:
        value: the text; its own line breaks are kept.
        width: the widest line, prefixes included.
        first: prefix of the first line.
        rest: prefix of the following lines (defaults to spaces as wide as ``first``).

    Returns:
        The lines joined by newlines, without a final newline.
    """
    text = _clean("" if value is None else str(value))
    if rest is None:
        rest = " " * display_width(first)
    lines: list[str] = []
    for i, paragraph in enumerate(text.split("\n")):
        lines.extend(_wrap_paragraph(paragraph, width, first if i == 0 else rest, rest))
    return "\n".join(lines)


def field_text(value: Any, label: str, width: int = TEXT_WIDTH, indent: str = "") -> str:
    """``label：value`` wrapped, with following lines hanging under the value."""
    first = indent + label
    hang = indent + " " * min(display_width(label), 20)
    return wrap_text(value, width, first, hang)


def pad(value: Any, width: int, align: str = "left") -> str:
    """Pad text with spaces to ``width`` display columns (never cut)."""
    text = "" if value is None else str(value)
    gap = " " * max(0, width - display_width(text))
    return gap + text if align == "right" else text + gap


def rule(width: int = TEXT_WIDTH, char: str = "-") -> str:
    """A horizontal line of ``width`` columns."""
    return char * (width // max(1, display_width(char)))


def center(value: Any, width: int = TEXT_WIDTH) -> str:
    """Centre text in ``width`` display columns (left-aligned if it does not fit)."""
    text = "" if value is None else str(value)
    gap = max(0, (width - display_width(text)) // 2)
    return " " * gap + text


def tidy(text: str) -> str:
    """Plain-text output: no trailing spaces, no runs of blank lines, one final newline.

    Why: templates stay readable with generous blank lines around blocks; the output does not
    show them twice. Markdown turns a person's line breaks into ``<br>``, so only layout is touched.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def table(headers: list[str], rows: list[list[str]], width: int, shrink: tuple[int, ...] = (),
          drop: tuple[int, ...] = ()) -> str:
    """A plain table aligned by display width, wrapped to fit ``width`` columns.

    Why not Rich: a table of every checklist is printed on each ``list``; this is a fraction of
    Rich's cost, and start-up time is part of the product.

    Args:
        headers: the column titles.
        rows: the cells, as text.
        width: the terminal width.
        shrink: indexes of the columns that may wrap when the table is too wide.
        drop: indexes of the columns to leave out, in this order, while it is still too wide.

    Returns:
        The table's lines, joined by newlines, with no trailing spaces.
    """
    minimum = 8
    gap = 2
    natural = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    keep = list(range(len(headers)))
    for col in drop:
        least = sum(min(natural[i], minimum) if i in shrink else natural[i] for i in keep)
        if least + gap * (len(keep) - 1) <= width:
            break
        keep.remove(col)
    headers = [headers[i] for i in keep]
    shrink = tuple(keep.index(i) for i in shrink if i in keep)
    rows = [[r[i] for i in keep] for r in rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    excess = sum(widths) + gap * (len(widths) - 1) - width
    while excess > 0 and shrink:
        widest = max(shrink, key=lambda i: widths[i])
        if widths[widest] <= minimum:
            break
        widths[widest] -= 1
        excess -= 1
    out: list[str] = []
    for cells in [headers, *rows]:
        wrapped = [wrap_text(c, widths[i]).split("\n") for i, c in enumerate(cells)]
        for k in range(max(len(w) for w in wrapped)):
            parts = [pad(w[k] if k < len(w) else "", widths[i]) for i, w in enumerate(wrapped)]
            out.append((" " * gap).join(parts).rstrip())
    return "\n".join(out)
