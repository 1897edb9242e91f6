"""Small text helpers shared by the terminal and the documents: citations, numerals, widths."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from safetycheck.messages import get_lang

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """Write 1–9999 in Chinese numerals as article numbers are written (第四十一条)."""
    if n <= 0 or n >= 10000:
        return str(n)
    parts: list[str] = []
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    zero = False
    for value, unit in units:
        digit = n // value % 10
        if digit == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(_DIGITS[digit] + unit)
    out = "".join(parts)
    return out[1:] if out.startswith("一十") else out


def cite_text(cite: Any) -> str:
    """One citation as a reader sees it: ``晋政发〔2024〕1号 (三)`` or ``《安全生产法》第四十一条``.

    Why remembered: a document cites the same few articles on every item, and it was a good part
    of building a document's data; a citation's text depends only on its fields and the language.
    """
    if type(cite) is dict:
        try:
            key = (get_lang(), *cite.items())
            found = _CITES.get(key)
        except TypeError:  # a value that cannot be a key (a list): worked out each time
            return _cite_text(cite)
        if found is None:
            found = _cite_text(cite)
            if len(_CITES) >= 4096:
                _CITES.clear()
            _CITES[key] = found
        return found
    return _cite_text(cite)


_CITES: dict[tuple[Any, ...], str] = {}


def _cite_text(cite: Any) -> str:
    def get(key: str) -> Any:
        return cite.get(key) if isinstance(cite, Mapping) else getattr(cite, key, None)

    if get("law"):
        article = get("article")
        item = get("item") or ""
        if get_lang() == "en":
            return f"《{get('law')}》 art. {article}{item}"
        return f"《{get('law')}》第{chinese_number(int(article))}条{item}" if article else f"《{get('law')}》"
    clause = get("clause") or ""
    return f"{get('doc')} {clause}".strip()


def cite_texts(cites: Iterable[Any]) -> list[str]:
    """Citations as readers see them, each once (several requirements of one clause read the same)."""
    return list(dict.fromkeys(cite_text(c) for c in cites))


def method_text(names: Iterable[str]) -> str:
    """Inspection methods in the interface language (a closed vocabulary, so it is translated)."""
    from safetycheck.messages import MESSAGES, t

    return t("sep.list").join(t(f"method.{m}") if f"method.{m}" in MESSAGES else m for m in names)


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: East Asian wide and full-width characters count 2."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


# Characters a terminal acts on instead of showing: C0 controls (tab and newline excepted), DEL,
# the C1 controls (U+0080–U+009F, CSI among them) and the bidirectional overrides and isolates,
# which reorder what follows them on screen.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_HIDDEN = [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), *map(ord, BIDI_CONTROLS)]
_VISIBLE = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _HIDDEN}
_VISIBLE_LINE = {**_VISIBLE, ord("\n"): "\\n", ord("\t"): "\\t"}


HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # what visible() writes out


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character written out (ESC as ``\\x1b``), safe for a terminal.

    Why: records, checklists and settings are files anyone can write; an ESC sequence, a
    backspace or a bidi override in them must show as what it is, not move the cursor,
    recolour the screen or reorder the line a reader sees.

    Args:
        text: any text.
        one_line: also write out newlines and tabs (for one-line messages).

    Returns:
        The text, unchanged where it holds no such character.
    """
    return text.translate(_VISIBLE_LINE if one_line else _VISIBLE)


def has_bidi_control(text: str) -> bool:
    """Whether ``text`` holds a bidirectional override or isolate (refused in ids and names)."""
    return not BIDI_CONTROLS.isdisjoint(text)


_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_text(data: Any, default: Any = None) -> str:
    """Indented UTF-8 JSON with C1 controls, DEL and bidi overrides as ``\\uXXXX`` escapes.

    Why: ``json.dumps`` escapes C0 controls itself but passes C1 codes (CSI among them) and
    bidi overrides through raw; the escaped form is the same JSON value, safe on a terminal.
    """
    text = _flat_rows_json(data)
    if text is None:
        text = json.dumps(data, ensure_ascii=False, indent=2, default=default)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_SCALARS = frozenset((str, int, float, bool, type(None)))


def _flat_rows_json(data: Any) -> str | None:
    """``json.dumps(indent=2)`` of a list of dicts of scalars, byte for byte, by msgspec; None for other data.

    Why: ``json`` writes indented text in pure Python (its C encoder has no indent before Python
    3.14): 0.4 s of the 14 MB of ``hazards list --store --format json`` over 10,000 records,
    against 0.04 s for msgspec. msgspec writes every string, integer and layout as ``json`` does;
    floats differ only in exponent form (``1e16`` against ``1e+16``), so rows holding one take the
    ``json`` path.
    """
    if type(data) is not list or not data:
        return None
    scalars, text_keys = _SCALARS, {str}
    for row in data:
        if type(row) is not dict:
            return None
        kinds = set(map(type, row.values()))
        if not scalars.issuperset(kinds) or (row and set(map(type, row)) != text_keys):
            return None
        if float in kinds:
            for value in row.values():
                if type(value) is float and not (value == 0.0 or 1e-4 <= abs(value) < 1e16):
                    return None  # NaN, infinities and exponents: as json writes them
    import msgspec

    try:
        return msgspec.json.format(msgspec.json.encode(data), indent=2).decode("utf-8")
    except (OverflowError, msgspec.EncodeError):  # an integer past 64 bits
        return None


_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet shows as text, never runs as a formula (OWASP's rule).

    Text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``; numbers stay numbers. Why: a spreadsheet opening the file would run ``=cmd|…`` or
    ``@SUM(…)``; the cost is that a phone number written ``+86…`` is deliberately text.
    """
    if isinstance(value, str) and value.startswith(_CSV_TRIGGERS):
        return "'" + value
    return value
