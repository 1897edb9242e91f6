"""Layout of plain text and Markdown: wrapping by display width, padding, escaping, tidying.

Why its own module: these are pure string functions the templates use as filters (registered in
``report.py``); they know nothing of records or Jinja2.
"""

from __future__ import annotations

import functools
import re
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
_NUMERALS = "零〇一二三四五六七八九十百千"
# Units written after a number and kept with it: 293号令, 3个月, 50万元, 20%, 30kPa.
_UNIT_CHARS = "号令条款项章节年月日时分秒个次人名家处台套辆座层米吨元倍岁天周批类级部份张页万千百亿"
# The tailoring of the phrase breaker: runs that are never broken, whatever it proposes.
_KEEP = re.compile(
    r"\d{4}年\d{1,2}月(?:\d{1,2}日)?"                              # 2026年12月19日
    r"|《[^《》\s]{1,8}》"                                           # 《安全生产法》 (short titles)
    r"|[\u4e00-\u9fff]{0,4}[〔\[［]\d{4}[〕\]］]第?\d+号"            # 晋政发〔2024〕1号
    rf"|第[\d{_NUMERALS}]+[{_UNIT_CHARS}]+"                         # 第六十五条, 第2号
    r"|[\u4e00-\u9fff]{2}令第\d+号"                                   # 政府令第293号
    rf"|[(（][\d{_NUMERALS}]+[)）]"                                  # (二十七)
    rf"|\d+(?:[.:/]\d+)*(?:[A-Za-z%‰℃°]+|[{_UNIT_CHARS}]+)+"        # 293号令, 30kPa, 50万元
    rf"|\d+ [{_UNIT_CHARS}]"                                         # 存在重大事故隐患 1 项 (a spaced count)
)


@functools.lru_cache(maxsize=1)
def _phrase_parser() -> Any:
    """BudouX's Simplified Chinese model (loaded once, on the first wrapped paragraph)."""
    import budoux

    return budoux.load_default_simplified_chinese_parser()


def _kept(line: str) -> list[bool]:
    """For each position 1..len-1, whether a break there is forbidden by the tailoring.

    Rules (on top of the phrase breaker): never before closing punctuation nor after opening
    punctuation; never inside a run of narrow characters (Latin words, ids like ``tizhi-01``,
    numbers); never inside a :data:`_KEEP` run (a number with its unit, a date, a citation).
    """
    n = len(line)
    kept = [False] * (n + 1)
    wide = [display_width(ch) == 2 for ch in line]
    for i in range(1, n):
        a, b = line[i - 1], line[i]
        if a == " " or b == " ":
            continue
        if b in _NO_LINE_START or a in _NO_LINE_END or (not wide[i - 1] and not wide[i]):
            kept[i] = True
    for m in _KEEP.finditer(line):
        for i in range(m.start() + 1, m.end()):
            kept[i] = True
    return kept


def _split_at(line: str, cuts: list[int]) -> list[str]:
    bounds = [0, *cuts, len(line)]
    return [line[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _units(line: str, phrases: bool = True) -> list[str]:
    """The line as wrap units: spaces on their own, the rest cut where a line may break.

    Why a phrase breaker: a Chinese line may break between any two characters, but a break
    inside a word (整改 / 措施) reads badly; BudouX proposes breaks between phrases, and the
    tailoring in :func:`_kept` vetoes those a printed form must never have. With
    ``phrases=False`` every break the tailoring allows is offered (a narrow cell, help text).
    """
    kept = _kept(line)
    if phrases and any(display_width(ch) == 2 for ch in line):
        offered: set[int] = set()
        pos = 0
        for phrase in _phrase_parser().parse(line):
            pos += len(phrase)
            offered.add(pos)
    else:
        offered = set(range(1, len(line)))
    cuts = [i for i in range(1, len(line))
            if not kept[i] and (line[i] == " " or line[i - 1] == " " or i in offered)]
    return _split_at(line, cuts)


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


def _wrap_paragraph(paragraph: str, width: int, first: str, rest: str, phrases: bool = True) -> list[str]:
    lines: list[str] = []
    prefix = first
    line: list[str] = []  # units after the prefix
    used = display_width(prefix)

    def flush() -> None:
        nonlocal prefix, line, used
        lines.append((prefix + "".join(line)).rstrip())
        prefix, line, used = rest, [], display_width(rest)

    room = width - display_width(rest)  # a whole following line
    pending = _units(paragraph, phrases)
    pending.reverse()
    while pending:
        unit = pending.pop()
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
        finer = _units(unit, phrases=False)
        if len(finer) > 1:  # a phrase longer than a line: offer every break the rules allow
            pending.extend(reversed(finer))
            continue
        if line:  # a run that must not break, longer than a whole line: cut it, on a fresh line
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


def wrap_text(value: Any, width: int = TEXT_WIDTH, first: str = "", rest: str | None = None,
              phrases: bool = True) -> str:
    """Wrap text to ``width`` display columns, counting CJK characters as two.

    Lines break between words and, in Chinese, between the phrases BudouX finds (between
    characters where a phrase is longer than a line), never inside a run of ASCII letters,
    digits, ``-`` and ``_``, between a number and its unit (``293号令``, ``30kPa``), inside a date
    or a citation (``2026年12月19日``, ``晋政发〔2024〕1号``, ``第六十五条``), before closing
    punctuation nor after opening punctuation (``《安全生产法》``, ``［方案］``); only a run
    longer than a whole line is cut.

    Args:
        value: the text; its own line breaks are kept.
        width: the widest line, prefixes included.
        first: prefix of the first line.
        rest: prefix of the following lines (defaults to spaces as wide as ``first``).
        phrases: use the phrase breaker; ``False`` breaks between any characters the rules
            allow and loads no model (``--help``).

    Returns:
        The lines joined by newlines, without a final newline.
    """
    text = _clean("" if value is None else str(value))
    if rest is None:
        rest = " " * display_width(first)
    lines: list[str] = []
    for i, paragraph in enumerate(text.split("\n")):
        lines.extend(_wrap_paragraph(paragraph, width, first if i == 0 else rest, rest, phrases))
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


class TreeNode:
    """One label of a :func:`tree_text` tree, with its style and children.

    Args:
        text: the label (plain text; wrapped to the width).
        style: ``bold``, ``dim``, ``red``, ``yellow`` or ``cyan`` for the whole label, or empty.
        marks: parts of the label shown in a style of their own: ``(text, style)`` pairs.
    """

    __slots__ = ("children", "marks", "style", "text")

    def __init__(self, text: str, style: str = "", marks: tuple[tuple[str, str], ...] = ()) -> None:
        self.text, self.style, self.marks = text, style, marks
        self.children: list[TreeNode] = []

    def add(self, text: str, style: str = "", marks: tuple[tuple[str, str], ...] = ()) -> TreeNode:
        """Add a child and return it."""
        child = TreeNode(text, style, marks)
        self.children.append(child)
        return child


_ANSI = {"bold": "1", "dim": "2", "red": "31", "yellow": "33", "cyan": "36"}
_GUIDES = {True: ("├── ", "└── ", "│   ", "    "), False: ("+-- ", "`-- ", "|   ", "    ")}


def _paint(text: str, style: str, colour: bool) -> str:
    return f"\x1b[{_ANSI[style]}m{text}\x1b[0m" if colour and style and text else text


def tree_text(root: TreeNode, width: int, colour: bool = False, unicode: bool = True) -> str:
    """A tree drawn with guide lines, each label wrapped by :func:`wrap_text` to fit ``width`` columns.

    Why not Rich's Tree: ``show`` draws a whole checklist, and Rich's tree was most of its time;
    the lines are the ones Rich drew from labels pre-wrapped to the room at their depth.
    Control characters in a label are written out (:func:`visible`); only the styles are ANSI.

    Args:
        root: the top label and its children.
        width: the widest line.
        colour: add ANSI styles (the caller decides: a terminal, and no ``NO_COLOR``).
        unicode: box-drawing guides; ASCII ones (``+--``) for terminals that cannot show them.

    Returns:
        The lines joined by newlines, without a final newline.
    """
    branch, last_branch, bar, blank = _GUIDES[unicode]
    out: list[str] = []

    def label(node: TreeNode, first: str, rest: str) -> None:
        lines = wrap_text(visible(node.text), max(width - display_width(rest), 10)).split("\n")
        for n, line in enumerate(lines):
            if colour:
                styled = _paint(line, node.style, colour)
                for part, style in node.marks:
                    if part and part in line:
                        styled = styled.replace(part, _paint(part, style, colour), 1)
                line = styled
            out.append((first if n == 0 else rest) + line)

    def walk(node: TreeNode, prefix: str) -> None:
        for n, child in enumerate(node.children):
            last = n == len(node.children) - 1
            label(child, prefix + (last_branch if last else branch), prefix + (blank if last else bar))
            walk(child, prefix + (blank if last else bar))

    label(root, "", "")
    walk(root, "")
    return "\n".join(line.rstrip() for line in out)
