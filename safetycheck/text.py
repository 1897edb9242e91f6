"""Small text helpers shared by the terminal and the documents: citations, numerals, widths."""

from __future__ import annotations

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
    """One citation as a reader sees it: ``晋政发〔2024〕1号 (三)`` or ``《安全生产法》第四十一条``."""
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
