"""A citation's text, remembered per fields and language, is the one worked out afresh."""

from __future__ import annotations

import pytest

from safetycheck import text
from safetycheck.messages import get_lang, set_lang

CITES = [{"law": "安全生产法", "article": 41}, {"law": "安全生产法", "article": 41, "item": "（一）"},
         {"law": "消防法"},
         {"doc": "晋政发〔2024〕1号", "clause": "(三)"}, {"doc": "晋政发〔2024〕1号"},
         {"law": "安全生产法", "article": 41, "odd": ["x"]}]


@pytest.mark.parametrize("cite", CITES)
def test_a_remembered_citation_reads_as_worked_out_in_either_language(cite: dict[str, object]) -> None:
    before = get_lang()
    try:
        for lang in ("zh", "en", "zh"):
            set_lang(lang)
            assert text.cite_text(cite) == text._cite_text(cite)
            assert text.cite_text(dict(cite)) == text._cite_text(cite)  # again, from what was remembered
    finally:
        set_lang(before)
    set_lang("en")
    try:
        assert text.cite_text({"law": "安全生产法", "article": 41}) == "《安全生产法》 art. 41"
    finally:
        set_lang(before)
    assert text.cite_text({"law": "安全生产法", "article": 41}) == "《安全生产法》第四十一条"
    assert len(text._CITES) <= 4096
