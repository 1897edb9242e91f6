"""CJK line breaking: the walk screen, ``show`` and the text documents over the whole built-in library."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safetycheck.layout import wrap_text
from safetycheck.text import display_width

DATA = Path(__file__).parent / "data"
STAMP = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
GUIDES = "│├└─ "
CLOSING = set("，。、；：？！）】》」』”’,.;:?!)]")
OPENING = set("（【《「『“‘([")
# Runs a line must never split (checked across each line break, independently of the implementation).
RUNS = [re.compile(p) for p in (
    r"\d+[号令条款项章节年月日时分个次人名家处台套元万%]+",  # 293号令, 12个月, 50万元
    r"\d{4}年\d{1,2}月\d{1,2}日",  # 2026年12月19日
    r"[\u4e00-\u9fff]〔\d{4}〕\d+号",  # 晋政发〔2024〕1号
    r"第[\d零一二三四五六七八九十百千]+[条款项章节号]",  # 第六十五条
    r"\d+(?:\.\d+)?(?:kPa|MPa|kV|mm|kg|m3|m|t|h|℃)",  # 30kPa
)]


def line_faults(text: str, where: str) -> list[str]:
    """Every line that starts with closing punctuation, ends with opening punctuation, or splits a run."""
    faults = []
    lines = [line.rstrip() for line in text.split("\n")]
    for above, below in zip(lines, [*lines[1:], ""], strict=True):
        body = above.lstrip(GUIDES)
        if body[:1] in CLOSING and not body.startswith(("...", "? ", "!：", "!: ")):  # labels: "?" key, "!" major
            faults.append(f"{where}: starts with closing punctuation: {body[:20]}")
        if above[-1:] in OPENING:
            faults.append(f"{where}: ends with opening punctuation: {above[-20:]}")
        head = below.lstrip(GUIDES)
        if not body or not head:
            continue
        tail = body[-14:]
        joined = tail + head[:14]
        for run in RUNS:
            for m in run.finditer(joined):
                if m.start() < len(tail) < m.end():
                    faults.append(f"{where}: splits {m.group()!r}: {tail}⏎{head[:14]}")
    return faults


@pytest.mark.parametrize(("text", "width"), [
    ("依据山西省人民政府令第293号令的规定，应在2026年12月19日前完成整改。", 30),
    ("依据垣政发〔2025〕1号和晋政发〔2024〕1号，压力不低于30kPa，按《安全生产法》第六十五条处理。", 24),
    ("整改资金50万元，期限12个月（自下达之日起）。", 16),
])
def test_wrap_keeps_runs_whole_and_punctuation_attached(text, width):
    wrapped = wrap_text(text, width)
    assert all(display_width(line) <= width for line in wrapped.split("\n"))
    assert wrapped.replace("\n", "") == text
    assert line_faults(wrapped, "sample") == []


def test_the_checker_sees_a_bad_break():
    # Guards the library-wide tests against passing vacuously.
    assert line_faults("依据山西省人民政府令第29\n3号令", "x")
    assert line_faults("应在2026年12\n月19日前", "x")
    assert line_faults("依据垣政发\n〔2025〕1号", "x")
    assert line_faults("整改\n，期限", "x")
    assert line_faults("见《\n安全生产法》", "x")


def test_help_text_wraps_without_the_phrase_model():
    text = "依据晋政发〔2024〕1号第三条，检查项的标识不变。"
    lines = wrap_text(text, 20, phrases=False).split("\n")
    assert "".join(lines) == text
    assert line_faults("\n".join(lines), "help") == []


# --- the whole library -----------------------------------------------------------------------


def _library_ids() -> list[str]:
    from safetycheck.catalog.catalog import open_catalog
    from safetycheck.catalog.models import Checklist

    return [entry.id for entry in open_catalog().checklists() if isinstance(entry.model, Checklist)]


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_show_breaks_no_line_badly_over_the_library(columns):
    from safetycheck.cli import build_app

    runner = CliRunner()
    faults = []
    for name in _library_ids():
        result = runner.invoke(build_app(), ["show", name], env={"COLUMNS": str(columns), "NO_COLOR": "1"})
        assert result.exit_code == 0, result.output
        lines = result.stdout.split("\n")
        assert max(display_width(line) for line in lines) <= columns, name
        faults += line_faults(result.stdout, f"show {name} @{columns}")
    assert faults == []


@pytest.mark.parametrize("columns", [60, 80, 100])
def test_walk_screen_breaks_no_line_badly_over_the_library(columns):
    from rich.console import Console

    from safetycheck.catalog.catalog import open_catalog
    from safetycheck.catalog.models import Checklist
    from safetycheck.inspection import recordmodels
    from safetycheck.inspection.prompter import RichPrompter
    from safetycheck.inspection.session import Progress, snapshot

    catalog = open_catalog()
    faults = []
    for entry in catalog.checklists():
        if not isinstance(entry.model, Checklist):
            continue
        snap = snapshot(entry.model, "0" * 64)
        buffer = io.StringIO()
        prompter = RichPrompter(Console(file=buffer, width=columns, color_system=None, highlight=False))
        for n, item in enumerate(snap.items, 1):
            current = (recordmodels.Response(checklist=snap.id, item=item.id, result="na", reason=item.standard,
                                               answered_at=STAMP) if n % 7 == 0 else None)
            prompter._item_screen(item, Progress(n, len(snap.items), snap.title, item.section, current=current))
            if n % 4 == 0:
                prompter._details(item)
        screen = buffer.getvalue()
        assert max(display_width(line) for line in screen.split("\n")) <= columns, entry.id
        faults += line_faults(screen, f"walk {entry.id} @{columns}")
    assert faults == []


def test_text_documents_break_no_line_badly(tmp_path):
    from safetycheck.catalog.catalog import open_catalog
    from safetycheck.documents.forms import FormRequest, produce_forms
    from safetycheck.documents.report import make_environment, render_document
    from safetycheck.inspection.records import read_record
    from safetycheck.messages import set_lang

    produce_forms(FormRequest(every=True, fmt="txt", out=tmp_path), open_catalog())
    faults = []
    for path in sorted(tmp_path.iterdir()):
        faults += line_faults(path.read_text(encoding="utf-8"), path.name)
    environment = make_environment()
    docs = {"inspect": ["inspection-record", "rectification-order", "hazards"], "self": ["self-audit", "hazards"],
            "supervise": ["supervision", "hazards"]}
    for lang in ("zh", "en"):
        set_lang(lang)
        try:
            for mode, names in docs.items():
                record = read_record(DATA / "records" / f"{mode}.toml")
                for doc in names:
                    text = render_document(environment, record, doc, "txt")
                    faults += line_faults(text, f"{mode}.{doc}.txt ({lang})")
        finally:
            set_lang("zh")
    assert faults == []
