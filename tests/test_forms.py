"""Blank forms: golden files, byte-identical runs, every item present, options and refusals."""

from __future__ import annotations

import csv
import html
import io
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safetycheck import messages
from safetycheck.catalog.catalog import open_catalog
from safetycheck.cli import build_app
from safetycheck.documents.forms import FormRequest, produce_forms, when_text
from safetycheck.errors import UsageError
from safetycheck.text import display_width

SAMPLE = Path(__file__).resolve().parent / "data" / "forms"
FORMATS = ("html", "md", "txt", "csv")


@pytest.fixture(scope="module")
def catalog():
    return open_catalog([SAMPLE])


@pytest.fixture(scope="module")
def builtin_forms(tmp_path_factory) -> dict[str, Path]:
    """``form --all -o DIR`` in every format, over the built-in checklists only."""
    out = {}
    catalog = open_catalog()
    for fmt in FORMATS:
        folder = tmp_path_factory.mktemp(fmt)
        produce_forms(FormRequest(every=True, fmt=fmt, out=folder), catalog)
        out[fmt] = folder
    return out


def form(catalog, *names: str, **options) -> str:
    (output,) = produce_forms(FormRequest(names=list(names), **options), catalog)
    return output.text


# --- golden files ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_form_matches_golden(catalog, golden, fmt):
    golden(f"forms/form-sample.{fmt}", form(catalog, "form-sample", fmt=fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_dated_profile_form_matches_golden(catalog, golden, fmt):
    golden(f"forms/form-sample-profile.dated.{fmt}", form(catalog, "表格测试方案", fmt=fmt, date="2026-03-05"))


@pytest.mark.parametrize("fmt", ("html", "txt", "csv"))
def test_english_form_matches_golden(catalog, golden, fmt):
    messages.set_lang("en")
    golden(f"forms/en/form-sample.{fmt}", form(catalog, "form-sample", fmt=fmt))


@pytest.mark.parametrize(("lang", "words", "shown"), [
    ("zh", "适用行业：危险化学品、化工；检查类型：企业自查、督导检查", "适用行业：危险化学品"),
    ("en", "Industries: 危险化学品, 化工; Inspections: self-audit, supervision", "Industries:危险化学品"),
])
def test_conditions_are_shown_in_words(catalog, lang, words, shown):
    messages.set_lang(lang)
    assert when_text({"industry": ["危险化学品", "化工"], "mode": ["self", "supervise"]}) == words
    for fmt in ("html", "md", "txt"):
        text = re.sub(r"\s", "", form(catalog, "form-sample", fmt=fmt))
        assert shown in text and "industry:" not in text, fmt


def test_english_forms_have_no_chinese_but_the_checklist(catalog):
    from safetycheck.layout import md_escape
    from safetycheck.text import cite_texts

    messages.set_lang("en")
    entry = catalog.resolve("form-sample")
    data = {entry.model.title, entry.model.id}
    for section in entry.model.sections:
        data.add(section.title)
        for item in section.items:
            data.update({item.text, item.standard, *cite_texts(item.basis), *(item.when or {}).get("industry", [])})
    left = []
    for fmt in ("html", "md", "txt"):
        text = form(catalog, "form-sample", fmt=fmt)
        if fmt == "html":
            text = html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "", text, flags=re.S))
        flat = re.sub(r"[ \n]", "", text)
        for piece in sorted(data, key=len, reverse=True):
            flat = flat.replace(re.sub(r"[ \n]", "", md_escape(piece) if fmt == "md" else piece), "·")
        left += [f"{fmt}: {flat[max(0, m.start() - 12):m.end() + 12]}"
                 for m in re.finditer(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]", flat)]
    assert left == []


# --- determinism ----------------------------------------------------------------------------


def test_no_date_unless_asked(catalog):
    for fmt in FORMATS:
        text = form(catalog, "form-sample", fmt=fmt)
        assert not re.search(r"20\d\d[-年]", text), fmt
    assert "2026年3月5日" in form(catalog, "form-sample", fmt="md", date="2026-03-05")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_two_runs_give_identical_bytes(tmp_path):
    """Separate processes with different hash seeds: nothing may depend on set or dict order.

    The runs go side by side, so that both see the same checklist files.
    """
    import subprocess
    import sys

    from conftest import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK_")}
    env.update({"PYTHONPATH": str(ROOT), "NO_COLOR": "1"})
    runs = []
    for seed in ("1", "2"):
        for fmt in ("html", "csv", "txt"):
            args = [sys.executable, "-m", "safetycheck", "form", "--all", "--format", fmt,
                    "-o", str(tmp_path / seed / fmt)]
            runs.append(subprocess.Popen(args, env={**env, "PYTHONHASHSEED": seed}, stderr=subprocess.PIPE))
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read() if run.stderr else ""
    trees = [{fmt: _tree(tmp_path / seed / fmt) for fmt in ("html", "csv", "txt")} for seed in ("1", "2")]
    assert trees[0] == trees[1]
    assert len(trees[0]["html"]) >= 10


def test_in_process_runs_are_identical(catalog):
    for fmt in FORMATS:
        assert form(catalog, "form-sample", "表格测试方案", fmt=fmt).encode() == \
            form(catalog, "form-sample", "表格测试方案", fmt=fmt).encode()


# --- completeness ---------------------------------------------------------------------------


def _checklists():
    return [e for e in open_catalog().checklists() if e.kind == "checklist"]


def test_all_writes_one_file_per_checklist(builtin_forms):
    ids = {e.id for e in _checklists()}
    for fmt, folder in builtin_forms.items():
        assert {p.name for p in folder.iterdir()} == {f"{i}.{fmt}" for i in ids}


def test_every_item_is_in_every_builtin_form(builtin_forms):
    for entry in _checklists():
        items = [i for s in entry.model.sections for i in s.items]
        rows = list(csv.DictReader(io.StringIO((builtin_forms["csv"] / f"{entry.id}.csv")
                                               .read_text(encoding="utf-8-sig"))))
        assert [(r["检查项标识"], r["检查项"], r["合格标准"]) for r in rows] == \
            [(i.id, i.text, i.standard) for i in items]
        assert all(r["依据"] for r in rows)
        page = html.unescape((builtin_forms["html"] / f"{entry.id}.html").read_text(encoding="utf-8"))
        md = (builtin_forms["md"] / f"{entry.id}.md").read_text(encoding="utf-8")
        txt = (builtin_forms["txt"] / f"{entry.id}.txt").read_text(encoding="utf-8")
        flat_txt = re.sub(r"\s", "", txt)
        for item in items:
            assert item.text in page and item.standard in page, item.id
            assert f"\\[{item.id}\\]" in md, item.id
            assert f"[{item.id}]" in txt and re.sub(r"\s", "", item.standard) in flat_txt, item.id
        assert page.count('<span class="box"></span>') == 3 * len(items)


def test_plain_text_forms_stay_within_80_columns(builtin_forms, catalog):
    texts = [p.read_text(encoding="utf-8") for p in builtin_forms["txt"].iterdir()]
    messages.set_lang("en")
    texts.append(form(catalog, "form-sample", fmt="txt"))
    for text in texts:
        for line in text.split("\n"):
            assert display_width(line) <= 80, line


def test_markdown_form_rows_keep_their_cells(builtin_forms):
    for path in builtin_forms["md"].iterdir():
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.startswith("| ") and "☐" in line:
                assert len(re.findall(r"(?<!\\)\|", line)) == 9, line


def test_csv_is_utf8_with_bom_and_crlf(catalog):
    data = form(catalog, "form-sample", fmt="csv").encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 5 and b"\n" not in data.replace(b"\r\n", b"")


# --- options --------------------------------------------------------------------------------


def test_profile_leaves_out_excluded_items(catalog):
    text = form(catalog, "form-sample-profile", fmt="csv")
    assert "zeren-01" in text and "zeren-02" not in text


def test_profile_form_is_headed_with_the_profile_title(catalog):
    assert form(catalog, "form-sample-profile", fmt="md").startswith("# 表格测试方案\n")
    assert form(catalog, "form-sample", fmt="md").startswith("# 表格测试清单检查表\n")
    assert "<h1>危险化学品企业综合检查</h1>" in form(open_catalog(), "weihua-qiye", fmt="html")


def test_all_to_stdout_keeps_each_checklists_own_form():
    catalog = open_catalog()
    titles = [f"{e.model.title}检查表" for e in _checklists()]
    md = form(catalog, every=True, fmt="md")
    assert re.findall(r"^# (.+)$", md, flags=re.M) == titles
    assert md.count("检查人员（签名）") == len(titles)
    page = form(catalog, every=True, fmt="html")
    assert re.findall(r"<h1>(.+?)</h1>", page) == titles
    assert page.count('<section class="form">') == len(titles)
    assert "section.form + section.form { break-before: page;" in page
    txt = form(catalog, every=True, fmt="txt")
    assert [line.strip() for line in txt.split("\n") if line.strip() in titles] == titles
    rows = list(csv.reader(io.StringIO(form(catalog, every=True, fmt="csv").lstrip("\ufeff"))))
    assert rows[0][0] == "清单标识" and sum(r[0] == "清单标识" for r in rows) == 1  # one table, one header
    assert {r[0] for r in rows[1:]} == {e.id for e in _checklists()}


def test_names_into_an_existing_folder_give_one_file_per_checklist(catalog, tmp_path):
    outputs = produce_forms(FormRequest(names=["表格测试方案"], fmt="md", out=tmp_path), catalog)
    assert [o.path.name for o in outputs if o.path] == ["form-sample.md"]
    assert "zeren-02" not in (tmp_path / "form-sample.md").read_text(encoding="utf-8")


def test_tags_select_items(catalog):
    text = form(catalog, "form-sample", fmt="csv", tags=["检查"])
    assert [row[4] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))][1:] == ["zeren-02", "yinhuan-01"]
    with pytest.raises(UsageError, match="--tag"):
        form(catalog, "form-sample", fmt="csv", tags=["没有这个标签"])


def test_bad_date_and_bad_combinations_are_refused(catalog):
    with pytest.raises(UsageError, match="2026-03-05"):
        form(catalog, "form-sample", date="3/5/2026")
    with pytest.raises(UsageError):
        produce_forms(FormRequest(names=["form-sample"], every=True), catalog)
    with pytest.raises(UsageError):
        produce_forms(FormRequest(), catalog)


def test_form_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    app = build_app()
    result = runner.invoke(app, ["form", "form-sample", "--checklists", str(SAMPLE), "-o", "f.csv"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "f.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    result = runner.invoke(app, ["form", "form-sample", "--checklists", str(SAMPLE), "--date", "bad"])
    assert result.exit_code == 2 and "2026-03-05" in result.stderr
    result = runner.invoke(app, ["form", "no-such-checklist", "--checklists", str(SAMPLE)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["form", "--checklists", str(SAMPLE), "form-sample", "--format", "pdf"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["form", "form-sample", "--checklists", str(SAMPLE), "-o", "f.json"])
    assert result.exit_code == 2 and ".html, .htm, .md, .markdown, .txt, .csv" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["f.csv"]
