"""Reports: golden documents, escaping of what people typed, numbering, templates, the command."""

from __future__ import annotations

import html
import html.parser
import json
import multiprocessing
import re
import shutil
from pathlib import Path

import msgspec
import pytest

from safetycheck import messages
from safetycheck.documents.numbering import NumberingError, allocate, format_number
from safetycheck.documents.report import (
    TemplateError,
    builtin_template_files,
    export_templates,
    make_environment,
    render_document,
)
from safetycheck.documents.views import (
    DOCUMENTS,
    REVIEW_DOCUMENTS,
    build_view,
    check_document,
    documents_for,
    short_text,
)
from safetycheck.errors import SafetycheckError, UsageError
from safetycheck.inspection.config import Agency, Supervision
from safetycheck.inspection.recordmodels import InspectionRecord
from safetycheck.inspection.records import read_record
from safetycheck.layout import md_escape, wrap_text
from safetycheck.lifecycle.seal import migrate
from safetycheck.text import cite_texts, display_width

RECORDS = Path(__file__).resolve().parent / "data" / "records"
FIXTURES = ("inspect", "self", "supervise", "hostile", "in-progress", "v2-inspect", "v2-supervise", "review-inspect",
            "review-self", "review-supervise")
FORMATS = ("html", "md", "txt", "json")
AGENCY = Agency(name="长治市潞城区应急管理局", short_name="潞应急", review_body="长治市潞城区人民政府")
SUPERVISION = Supervision(name="垣曲县安全生产委员会办公室", short_name="垣安委办", code="安委办督")


def load(name: str) -> InspectionRecord:
    record = read_record(RECORDS / f"{name}.toml")
    if name == "inspect":  # numbered, as a complete record is after its first render
        record.numbers = {"inspection-record": format_number("潞应急", "应急检记", 2026, 12),
                          "rectification-order": format_number("潞应急", "应急责改", 2026, 7)}
    return record


def cases() -> list[tuple[str, str]]:
    out = []
    for name in FIXTURES:
        record = read_record(RECORDS / f"{name}.toml")
        for doc in documents_for(record.mode):
            if doc == "rectification-order" and not any(r.result == "fail" for r in record.responses):
                continue
            if doc in REVIEW_DOCUMENTS and not record.reviews:
                continue
            if doc == "onsite-measures" and not any(r.hazard and r.hazard.measures for r in record.responses):
                continue
            out.append((name, doc))
    return out


CASES = cases()


@pytest.fixture(scope="module")
def env():
    return make_environment()


def render_all(env, lang: str = "zh") -> dict[tuple[str, str, str], str]:
    messages.set_lang(lang)
    try:
        return {(n, d, f): render_document(env, load(n), d, f, AGENCY, supervision=SUPERVISION)
                for n, d in CASES for f in FORMATS}
    finally:
        messages.set_lang("zh")


@pytest.fixture(scope="module")
def rendered(env) -> dict[tuple[str, str, str], str]:
    return render_all(env)


# --- golden files ---------------------------------------------------------------------------


def test_every_document_fits_a_fixture():
    assert {d for _, d in CASES} == set(DOCUMENTS)
    assert {n for n, _ in CASES} == set(FIXTURES)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("name", "doc"), CASES)
def test_document_matches_golden(rendered, golden, name, doc, fmt):
    golden(f"report/{name}.{doc}.{fmt}", rendered[(name, doc, fmt)])


@pytest.mark.parametrize("fmt", ("html", "md", "txt"))
def test_full_inspection_record_lists_every_item_in_the_body(env, golden, fmt):
    full = render_document(env, load("inspect"), "inspection-record", fmt, AGENCY, full=True)
    golden(f"report/inspect.inspection-record.full.{fmt}", full)
    compact = render_document(env, load("inspect"), "inspection-record", fmt, AGENCY)
    annex = {"html": "附：检查项目清单", "md": "## 附：检查项目清单", "txt": "附：检查项目清单"}[fmt]
    assert annex in compact and annex not in full
    # the compact body names each failed item in full and each compliant one only in the annex
    body, _, appendix = compact.partition(annex)
    assert "shenfen-01" not in body and "shenfen-01" in appendix
    assert "主要负责人是否签署安全生产履职尽责承诺书" in body


@pytest.mark.parametrize("fmt", ("html", "md", "txt"))
@pytest.mark.parametrize("doc", ("inspection-record", "rectification-order", "hazards"))
def test_english_labels_match_golden(env, golden, doc, fmt):
    messages.set_lang("en")
    text = render_document(env, load("inspect"), doc, fmt, AGENCY)
    golden(f"report/en/inspect.{doc}.{fmt}", text)
    assert "现场检查记录" not in text and "责令限期整改指令书" not in text  # labels in English
    assert "长治市潞城区某化工有限公司" in text  # the data stays Chinese


@pytest.mark.parametrize("fmt", ("html", "md", "txt"))
@pytest.mark.parametrize(("name", "doc"), [("review-inspect", "onsite-measures"), ("review-inspect", "review-opinion"),
                                           ("review-self", "acceptance"), ("review-supervise", "supervision-review")])
def test_english_documents_of_measures_and_reviews_match_golden(env, golden, name, doc, fmt):
    messages.set_lang("en")
    text = render_document(env, load(name), doc, fmt, AGENCY)
    golden(f"report/en/{name}.{doc}.{fmt}", text)
    assert "测试公司" in text  # the data stays Chinese


def test_review_option_picks_the_review_and_its_own_issue_key(env):
    import datetime as dt

    from safetycheck.documents.views import document_key
    from safetycheck.inspection.recordmodels import Review, ReviewResult

    record = load("review-inspect")
    record.reviews.append(Review(id="r2", started_at=record.reviews[0].started_at + dt.timedelta(days=30),
                                 status="complete", inspectors=record.reviews[0].inspectors,
                                 results=[ReviewResult(hazard="h1", result="passed")]))
    latest = json.loads(render_document(env, record, "review-opinion", "json", AGENCY))
    first = json.loads(render_document(env, record, "review-opinion", "json", AGENCY, review="r1"))
    assert latest["review"]["id"] == "r2" and [r["result"] for r in latest["review"]["results"]] == ["passed"]
    assert first["review"]["id"] == "r1" and first["review"]["results"][0]["deadline"] == "2026-04-30"
    assert document_key(record, "review-opinion", None) == "review-opinion/r2"
    assert document_key(record, "review-opinion", "r1") == "review-opinion/r1"
    with pytest.raises(SafetycheckError, match="r9"):
        check_document(record, "review-opinion", "r.toml", "r9")


CHINESE = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


def _data_texts(record: InspectionRecord, agency: Agency | None) -> list[str]:
    """Everything in an English document that may stay Chinese: the record's and agency's own text."""
    texts: set[str] = set()

    def walk(value):
        if isinstance(value, str):
            texts.add(value)
        elif isinstance(value, dict | list):
            for v in value.values() if isinstance(value, dict) else value:
                walk(v)

    walk(msgspec.to_builtins(record))
    texts.update(cite for snap in record.checklists for item in snap.items for cite in cite_texts(item.basis))
    texts.update(short_text(item.text) for snap in record.checklists for item in snap.items)  # the annex: data cut
    if agency is not None:
        texts.update(v for v in (agency.name, agency.review_body) if v)
    texts.add(build_view(record, "inspection-record")["doc"]["number_line"])  # 应急检记: a number, not words
    texts.add(build_view(record, "rectification-order")["doc"]["number_line"])
    for doc in ("onsite-measures", "review-opinion"):
        texts.add(build_view(record, doc)["doc"]["number_line"])
    texts.add(build_view(record, "supervision-feedback")["doc"]["number_line"])  # 安办督: the office's code
    return sorted((re.sub(r"[ \n]", "", x) for x in texts if x), key=len, reverse=True)


@pytest.mark.parametrize("agency", [AGENCY, None], ids=["agency", "no-agency"])
def test_english_documents_have_no_chinese_but_the_data(env, agency):
    messages.set_lang("en")
    left = []
    for name, doc in CASES:
        if name == "hostile":  # its data is mangled by escaping; the other fixtures cover every label
            continue
        record = load(name)
        data = _data_texts(record, agency)
        for fmt in ("html", "md", "txt"):
            text = render_document(env, record, doc, fmt, agency)
            if fmt == "html":
                text = html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", "", text, flags=re.S))
            flat = re.sub(r"[ \n]", "", text)
            for piece in data:
                flat = flat.replace(piece, "·")
            left += [f"{name} {doc} {fmt}: {flat[max(0, m.start() - 12):m.end() + 12]}"
                     for m in CHINESE.finditer(flat)]
    assert left == []


def test_english_order_names_the_default_review_body_in_english(env):
    messages.set_lang("en")
    for agency in (None, Agency(name="X county emergency bureau")):  # review_body left out of the settings
        text = render_document(env, load("inspect"), "rectification-order", "txt", agency).replace("\n", " ")
        assert "apply to the people's government at the same level for administrative" in re.sub(r" +", " ", text)
        assert "本级" not in text
    text = render_document(env, load("inspect"), "rectification-order", "md", AGENCY)
    assert "apply to 长治市潞城区人民政府" in text  # a configured body is data


# --- what a person typed appears literally --------------------------------------------------

HOSTILE_BITS = ("<script>", "<b>粗</b>", "{{ 7 * 7 }}", "{% if true %}", "| 竖线 |", "🔥", "&amp;")


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


HOSTILE_TEXT = "<script>alert('x')</script> <b>粗</b> {{ 7 * 7 }} {% if true %} | 竖线 | 🔥 &amp;"


def _with_hostile_review(record: InspectionRecord) -> InspectionRecord:
    """On-site measures and a review whose typed text is hostile, for the documents of measures and reviews."""
    import datetime as dt

    from safetycheck.inspection.recordmodels import Person, Review, ReviewResult

    migrate(record)
    results = []
    for r in record.responses:
        if r.hazard is not None and r.hazard.id:
            r.hazard.measures, r.hazard.measure_other, r.hazard.measure_scope = ["other"], HOSTILE_TEXT, HOSTILE_TEXT
            results.append(ReviewResult(hazard=r.hazard.id, result="failed", note=HOSTILE_TEXT, followup="extend",
                                        deadline=dt.date(2026, 5, 1)))
    record.reviews = [Review(id="r1", started_at=record.started_at, status="complete", results=results,
                             inspectors=[Person(name=HOSTILE_TEXT, cert="1", post=HOSTILE_TEXT)])]
    return record


def _hostile_variants() -> list[tuple[str, InspectionRecord, str]]:
    """The hostile record in every mode, with every document that fits it."""
    out = []
    for mode in ("inspect", "self", "supervise"):
        record = _with_hostile_review(load("hostile"))
        record.mode = mode
        for doc in documents_for(mode):
            out.append((mode, record, doc))
    return out


@pytest.mark.parametrize(("mode", "record", "doc"), _hostile_variants(), ids=lambda v: v if isinstance(v, str) else "")
def test_hostile_text_is_escaped_in_html(env, mode, record, doc):
    text = render_document(env, record, doc, "html", AGENCY)
    parser = _Tags()
    parser.feed(text)
    tags = [tag for tag, _ in parser.tags]
    assert not set(tags) & {"script", "img", "a", "i", "iframe", "link"}, tags
    assert tags.count("h1") == 1
    assert all(not ({"src", "href", "onerror"} & set(attrs)) for _, attrs in parser.tags)
    shown = "".join(parser.text)
    for bit in HOSTILE_BITS:
        assert bit in shown, bit
    assert "49" not in shown  # {{ 7 * 7 }} was never evaluated


@pytest.mark.parametrize(("mode", "record", "doc"), _hostile_variants(), ids=lambda v: v if isinstance(v, str) else "")
def test_hostile_text_is_escaped_in_markdown(env, mode, record, doc):
    text = render_document(env, record, doc, "md", AGENCY)
    assert "<script" not in text and "<b>" not in text and "<img" not in text
    assert re.sub(r"<br>", "", text).count("<") == 0  # the only tag is the line break we emit
    assert "{{ 7 \\* 7 }}" in text and "\\| 竖线 \\|" in text and "🔥" in text
    _check_tables(text)


RESULTS_DOCUMENTS = ("inspection-record", "self-audit", "supervision")


@pytest.mark.parametrize("fmt", ("html", "md", "txt"))
@pytest.mark.parametrize(("mode", "record", "doc"), [v for v in _hostile_variants() if v[2] in RESULTS_DOCUMENTS],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_every_note_appears_literally_beside_its_item(env, mode, record, doc, fmt):
    """Issue 4 §3: item notes in the row of their item, record notes under 备注, as typed."""
    from markupsafe import escape

    text = render_document(env, record, doc, fmt, AGENCY)
    items = {(i.id): i.text for snap in record.checklists for i in snap.items}
    noted = [(items[r.item], r.note) for r in record.responses if r.note]
    assert len(noted) == 4 and len(record.notes) == 4
    if fmt == "html":
        rows = text.split("<tr")
        for item, note in noted:
            assert any(escape(item) in row and escape(note) in row for row in rows), note
        parser = _Tags()
        parser.feed(text)
        shown = "".join(parser.text)
        assert all(note in shown for note in record.notes) and "<h2>备注</h2>" in text
    elif fmt == "md":
        lines = text.split("\n")
        for item, note in noted:
            assert any(md_escape(item) in line and md_escape(note) in line for line in lines), note
        assert all(md_escape(note) in text for note in record.notes) and "\n## 备注\n" in text
    else:
        flat = re.sub(r"\s", "", text)
        for _, note in noted:
            assert re.sub(r"\s", "", note) in flat, note
        assert all(re.sub(r"\s", "", note) in flat for note in record.notes) and "\n备注\n---" in text


def _check_tables(text: str) -> None:
    """Every row of a Markdown table has as many cells as its header."""
    width = None
    for line in text.split("\n"):
        if not line.startswith("|"):
            width = None
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        if width is None:
            width = cells
        assert cells == width, line[:200]


@pytest.mark.parametrize(("mode", "record", "doc"), _hostile_variants(), ids=lambda v: v if isinstance(v, str) else "")
def test_hostile_text_is_literal_in_plain_text(env, mode, record, doc):
    text = render_document(env, record, doc, "txt", AGENCY)
    flat = re.sub(r"\s", "", text)  # wrapping may break a line at any space
    assert "<script>alert('x')</script>" in flat and "{{7*7}}" in flat and "{%iftrue%}" in flat
    for line in text.split("\n"):
        assert display_width(line) <= 80, line


@pytest.mark.parametrize("lang", ("zh", "en"))
def test_plain_text_never_exceeds_80_columns(env, lang):
    for (name, doc, fmt), text in render_all(env, lang).items():
        if fmt == "txt":
            for line in text.split("\n"):
                assert display_width(line) <= 80, (name, doc, line)


def test_markdown_tables_keep_their_shape(rendered):
    for (_, _, fmt), text in rendered.items():
        if fmt == "md":
            _check_tables(text)


def test_html_loads_nothing_from_the_network(rendered):
    for (name, doc, fmt), text in rendered.items():
        if fmt != "html":
            continue
        parser = _Tags()
        parser.feed(text)
        assert all(not ({"src", "href"} & set(attrs)) for _, attrs in parser.tags), (name, doc)
        style = text[text.index("<style>"):text.index("</style>")]
        assert "url(" not in style and "@import" not in style
        assert "@page" in style and "size: A4" in style and "break-inside: avoid" in style


# --- content --------------------------------------------------------------------------------


def test_in_progress_record_is_marked_and_unnumbered(rendered):
    for fmt in ("html", "md", "txt"):
        text = rendered[("in-progress", "inspection-record", fmt)]
        assert "未完成" in text
        assert "（　　）应急检记〔　　〕　　号" in text
    data = json.loads(rendered[("in-progress", "hazards", "json")])
    assert data["status"] == "in-progress" and data["figures"]["unanswered"] > 0


def test_complete_record_shows_its_number(rendered):
    assert "（潞应急）应急检记〔2026〕12号" in rendered[("inspect", "inspection-record", "html")]
    assert "（潞应急）应急责改〔2026〕7号" in rendered[("inspect", "rectification-order", "txt")]
    assert "（　　）应急检记" in rendered[("hostile", "inspection-record", "md")]  # complete, never numbered


def test_order_names_review_body_and_remedies(rendered):
    text = rendered[("inspect", "rectification-order", "txt")].replace("\n", "")
    assert "长治市潞城区人民政府申请行政复议" in text.replace(" ", "")
    assert "六十日" in text and "六个月" in text and "不停止执行" in text


def test_order_without_agency_names_the_default_review_body(env):
    text = render_document(env, load("inspect"), "rectification-order", "md", None)
    assert "本级人民政府申请行政复议" in text


def test_self_audit_tells_to_report_each_major_hazard(rendered):
    record = load("self")
    majors = sum(1 for r in record.responses if r.hazard and r.hazard.level == "major")
    assert majors
    for fmt in ("html", "md", "txt"):
        text = rendered[("self", "self-audit", fmt)].replace("\n", "")
        assert text.count("第四十一条") == majors


def test_supervision_has_no_enforcement_wording(rendered):
    for fmt in ("html", "md", "txt"):
        text = rendered[("supervise", "supervision", fmt)]
        for word in ("责令", "执法证号", "行政复议", "行政诉讼", "应急检记", "指令书"):
            assert word not in text, word


def test_json_is_the_record_and_its_figures(rendered):
    data = json.loads(rendered[("inspect", "inspection-record", "json")])
    assert list(data) == ["schema", "document", "status", "figures", "hazards", "record"]
    assert data["schema"] == "safetycheck.report/1"
    assert data["document"] == {"name": "inspection-record", "title": "现场检查记录", "code": "应急检记",
                                "number": "（潞应急）应急检记〔2026〕12号", "draft": False,
                                "seal": "4f7e7c6351bcf71d", "replaces": None}
    record = load("inspect")
    assert data["record"]["unit"]["name"] == record.unit.name
    assert msgspec.convert(data["record"], InspectionRecord) == migrate(record)  # the record as /2
    figures = data["figures"]
    assert figures["total"] == 10 and figures["pass"] == 6 and figures["fail"] == 3 and figures["na"] == 1
    assert figures["score"] == round(6 / 9, 4) and figures["major"] == 1 and figures["hazards"] == 3
    assert [h["seq"] for h in data["hazards"]] == [1, 2, 3]
    assert data["hazards"][0]["deadline"] == "2026-03-20"
    assert sum(c["total"] for c in figures["checklists"]) == 10


def test_view_counts_a_repeated_answer_once():
    record = load("inspect")
    fail = next(r for r in record.responses if r.result == "fail")
    twin = msgspec.structs.replace(fail, item=record.checklists[0].items[-1].id,
                                   same_as=f"{fail.checklist}/{fail.item}")
    record.responses = [r for r in record.responses if r.item != twin.item] + [twin]
    view = build_view(record, "hazards")
    assert view["figures"]["hazards"] == 3 and view["figures"]["fail"] == 4
    assert view["figures"]["fail_distinct"] == 3 and view["figures"]["asked"] == view["figures"]["total"] - 1
    assert view["figures"]["summary_text"].startswith("共 9 项：符合 6 项，不符合 3 项，不适用 0 项")
    data = json.loads(render_document(make_environment(), load("inspect"), "inspection-record", "json"))
    assert (data["figures"]["asked"], data["figures"]["fail_distinct"], data["figures"]["fail"]) == (10, 3, 3)


def test_score_never_stands_alone_beside_an_open_major_hazard(rendered):
    assert "存在重大事故隐患 1 项" in rendered[("inspect", "inspection-record", "md")]
    assert "75.0%　存在重大事故隐患 1 项" in rendered[("self", "self-audit", "txt")]
    assert "存在重大事故隐患" not in rendered[("supervise", "supervision", "md")]  # none there


# --- refusals -------------------------------------------------------------------------------


def test_document_of_another_mode_is_refused_naming_those_that_fit():
    with pytest.raises(UsageError, match="self-audit, hazards"):
        check_document(load("self"), "inspection-record", "self.toml")


def test_order_without_hazards_is_refused():
    record = load("inspect")
    record.responses = [r for r in record.responses if r.result != "fail"]
    with pytest.raises(SafetycheckError, match="没有不符合项"):
        check_document(record, "rectification-order", "a.toml")


def test_unknown_document_is_refused():
    with pytest.raises(UsageError, match="inspection-record, rectification-order"):
        check_document(load("inspect"), "minutes", "a.toml")


# --- numbering ------------------------------------------------------------------------------


def test_counters_run_per_agency_code_and_year(tmp_path):
    assert allocate(tmp_path, "甲局", "应急检记", 2026) == [1]
    assert allocate(tmp_path, "甲局", "应急检记", 2026, 2) == [2, 3]
    assert allocate(tmp_path, "甲局", "应急责改", 2026) == [1]
    assert allocate(tmp_path, "乙局", "应急检记", 2026) == [1]
    assert allocate(tmp_path, "甲局", "应急检记", 2027) == [1]
    assert allocate(tmp_path, "甲局", "应急检记", 2026) == [4]


def _take(args):
    folder, n = args
    return [allocate(Path(folder), "甲局", "应急检记", 2026)[0] for _ in range(n)]


def test_concurrent_processes_never_share_a_number(tmp_path):
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        taken = [x for chunk in pool.map(_take, [(str(tmp_path), 15)] * 4) for x in chunk]
    assert sorted(taken) == list(range(1, 61))


def test_damaged_counter_file_is_an_error_not_a_reset(tmp_path):
    (tmp_path / "document-numbers.toml").write_text("counters = [", encoding="utf-8")
    with pytest.raises(NumberingError, match="document-numbers.toml"):
        allocate(tmp_path, "甲局", "应急检记", 2026)


# --- templates ------------------------------------------------------------------------------


def test_user_template_overrides_builtin_by_name(tmp_path):
    (tmp_path / "hazards.md.j2").write_text("自定义 {{ unit.name | md }} {{ figures.hazards }}\n", encoding="utf-8")
    text = render_document(make_environment([tmp_path]), load("inspect"), "hazards", "md")
    assert text == "自定义 长治市潞城区某化工有限公司 3\n"


def test_templates_from_environment_variable(tmp_path):
    (tmp_path / "hazards.txt.j2").write_text("env {{ doc.name }}\n", encoding="utf-8")
    env = make_environment([], {"SAFETYCHECK_TEMPLATES": str(tmp_path)})
    assert render_document(env, load("self"), "hazards", "txt") == "env hazards\n"


def test_exported_templates_render_the_same_in_the_sandbox(tmp_path, rendered):
    written = export_templates(tmp_path / "t")
    assert sorted(p.name for p in written) == sorted(p.name for p in builtin_template_files())
    sandboxed = make_environment([tmp_path / "t"])
    import jinja2.sandbox

    assert isinstance(sandboxed, jinja2.sandbox.SandboxedEnvironment)
    for name, doc in CASES:
        for fmt in ("html", "md", "txt"):
            assert render_document(sandboxed, load(name), doc, fmt, AGENCY, supervision=SUPERVISION) \
                == rendered[(name, doc, fmt)]


def test_export_refuses_to_overwrite_without_force(tmp_path):
    export_templates(tmp_path)
    (tmp_path / "base.md.j2").write_text("mine", encoding="utf-8")
    with pytest.raises(SafetycheckError, match="--force"):
        export_templates(tmp_path)
    assert (tmp_path / "base.md.j2").read_text(encoding="utf-8") == "mine"
    export_templates(tmp_path, force=True)
    assert (tmp_path / "base.md.j2").read_text(encoding="utf-8") != "mine"


@pytest.mark.parametrize(("source", "line", "words"), [
    ("第一行\n{% if %}\n", 2, "语法错误"),
    ("a\nb\n{{ unit.nonexistent }}\n", 3, "nonexistent"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", 1, "__class__"),
    ("x\n{{ 1 + 'a' }}\n", 2, "模板渲染出错"),
])
def test_broken_template_is_reported_with_name_and_line(tmp_path, monkeypatch, source, line, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hazards.md.j2").write_text(source, encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        render_document(make_environment([tmp_path]), load("inspect"), "hazards", "md")
    assert str(info.value).startswith(f"hazards.md.j2:{line}: ")
    assert words in str(info.value)


def test_broken_included_template_is_located(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "macros.md.j2").write_text("{% macro fields(rows) %}\n\n{{ oops }\n{% endmacro %}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"^macros\.md\.j2:3: "):
        render_document(make_environment([tmp_path]), load("inspect"), "hazards", "md")


@pytest.mark.parametrize("name", ["hazards.md.j2", "macros.md.j2"])
def test_template_that_is_not_utf8_is_reported_with_name_and_line(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes("第一行\n".encode() + "第二行".encode("gbk"))
    with pytest.raises(TemplateError, match=rf"^{name}:2: .*UTF-8"):
        render_document(make_environment([tmp_path]), load("inspect"), "hazards", "md")


def test_missing_template_folder_is_an_error(tmp_path):
    with pytest.raises(TemplateError, match="--templates"):
        make_environment([tmp_path / "nope"])


# --- filters --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "escaped"), [
    ("a | b", "a \\| b"),
    ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ("1. 条", "1\\. 条"),
    ("- 条", "\\- 条"),
    ("*x* _y_ `z` [a](b) $m$ ~s~ #h \\", "\\*x\\* \\_y\\_ \\`z\\` \\[a\\](b) \\$m\\$ \\~s\\~ \\#h \\\\"),
    ("行一\n行二\r\n", "行一<br>行二<br>"),
    ("&amp;", "&amp;amp;"),
])
def test_markdown_escape(text, escaped):
    assert md_escape(text) == escaped


def test_wrap_counts_cjk_as_two_and_keeps_punctuation_attached():
    text = "依据：应急管理部令第2号 第三十三条；《安全生产法》第八十一条；晋政发〔2024〕1号 (二十七)"
    lines = wrap_text(text, 40, "  ").split("\n")
    assert all(display_width(line) <= 40 for line in lines)
    assert not any(line.lstrip()[:1] in "，。；）》〕)" for line in lines[1:])
    assert not any(line[-1:] in "（《〔(" for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize(("text", "width", "first", "wrapped"), [
    ("293号令", 10, "一二三四", "一二三四\n  293号令"),  # was 一二三四29 / 3号令
    ("tizhi-01 项", 17, "一二三四五", "一二三四五\n  tizhi-01 项"),  # was tizhi-0 / 1
    ("［方案］", 12, "一二三", "一二三\n  ［方案］"),  # was ［方案 / ］; the phrase 方案 stays whole
    ("（见《安全生产法》）", 18, "", "（见\n  《安全生产法》）"),  # was 《安全生产法 / 》）
    ("晋政发〔2024〕1号", 21, "依据：", "依据：\n  晋政发〔2024〕1号"),  # was 〔2024〕1 / 号; the citation stays whole
    ("潞城政发〔2025〕1号 (六)；垣", 30, "依据：", "依据：潞城政发〔2025〕1号\n  (六)；垣"),  # was (六 / )；
    ("12个月", 16, "合格标准：有近", "合格标准：有近\n  12个月"),  # was 12 / 个月
    ("第四十一条", 14, "依据：法", "依据：法\n  第四十一条"),
])
def test_wrap_keeps_numbers_ids_and_brackets_whole(text, width, first, wrapped):
    assert wrap_text(text, width, first, "  ") == wrapped


def test_wrap_never_splits_ids_numbers_or_bracket_pairs_in_the_builtin_forms(tmp_path):
    from safetycheck.catalog.catalog import open_catalog
    from safetycheck.documents.forms import FormRequest, produce_forms

    produce_forms(FormRequest(every=True, fmt="txt", out=tmp_path), open_catalog())
    word = re.compile(r"[A-Za-z0-9_-]")
    bad = []
    for path in sorted(tmp_path.iterdir()):
        lines = path.read_text(encoding="utf-8").split("\n")
        for above, below in zip(lines, lines[1:], strict=False):
            head = below.lstrip()
            if not above.strip() or not head or set(above) <= set("-="):
                continue
            if (word.match(above[-1]) and word.match(head[0])) or head[0] in "》］」）】〕" \
                    or above[-1] in "《［「（【〔" or (above[-1].isdigit() and head[0] in "号条个月年"):
                bad.append(f"{path.name}: {above[-12:]}⏎{head[:12]}")
    assert bad == []


def test_wrap_cuts_words_longer_than_a_line():
    lines = wrap_text("x" * 200, 80, "  - ").split("\n")
    assert [display_width(line) for line in lines] == [80, 80, 52]


# --- the command ----------------------------------------------------------------------------


def _copy(tmp_path: Path, *names: str) -> list[str]:
    for name in names:
        shutil.copy(RECORDS / f"{name}.toml", tmp_path / f"{name}.toml")
    return [f"{name}.toml" for name in names]


def test_report_defaults_to_the_modes_document_in_markdown(cli, tmp_path):
    (self_toml,) = _copy(tmp_path, "self")
    result = cli("report", self_toml)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("> **草稿** — ") and "\n# 企业自查报告\n" in result.stdout


def test_report_format_from_out_extension(cli, tmp_path):
    (rec,) = _copy(tmp_path, "supervise")
    result = cli("report", rec, "-o", "out.html")
    assert result.exit_code == 0
    assert (tmp_path / "out.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_out_extension_of_no_format_is_a_usage_error(cli, tmp_path):
    (rec,) = _copy(tmp_path, "inspect")
    result = cli("report", rec, "-o", "r.pdf")
    assert result.exit_code == 2
    assert "r.pdf" in result.stderr and ".html, .htm, .md, .markdown, .txt, .json, .csv, .docx, .xlsx" in result.stderr
    assert "--format html|md|txt|json|docx|xlsx|csv" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "r.pdf").exists()
    assert cli("report", rec, "-o", "r.csv").exit_code == 0  # a table: the hazard ledger by default
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("序号,")
    assert cli("report", rec, "-o", "r.docx", "--format", "md").exit_code == 0  # --format decides
    assert cli("report", rec, "-o", "plain").exit_code == 0  # no extension: md
    assert (tmp_path / "plain").read_text(encoding="utf-8").startswith("> **草稿** — ")  # never issued
    assert "\n# 现场检查记录\n" in (tmp_path / "plain").read_text(encoding="utf-8")


def test_report_several_documents_go_to_a_folder(cli, tmp_path):
    recs = _copy(tmp_path, "inspect", "self")
    result = cli("report", *recs, "--doc", "hazards", "--format", "txt", "-o", "docs")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["inspect.hazards.txt", "self.hazards.txt"]
    result = cli("report", *recs)
    assert result.exit_code == 2 and "-o" in result.stderr


def test_report_into_an_existing_folder_uses_the_file_name(cli, tmp_path):
    (rec,) = _copy(tmp_path, "self")
    (tmp_path / "docs").mkdir()
    assert cli("report", rec, "-o", "docs", "--format", "json").exit_code == 0
    assert [p.name for p in (tmp_path / "docs").iterdir()] == ["self.self-audit.json"]


def test_report_without_issue_takes_no_number_and_marks_a_draft(cli, tmp_path):
    (rec,) = _copy(tmp_path, "hostile")  # complete, never numbered
    (tmp_path / "safetycheck.toml").write_text('[agency]\nname = "甲市应急管理局"\nshort_name = "甲应急"\n',
                                               encoding="utf-8")
    before = (tmp_path / rec).read_bytes()
    result = cli("report", rec, "--doc", "rectification-order", "--format", "txt")
    assert result.exit_code == 0
    assert "（　　）应急责改〔　　〕　　号" in result.stdout and "【草稿】" in result.stdout
    assert "--issue" in result.stderr
    assert (tmp_path / rec).read_bytes() == before


def test_report_refusal_exits_with_message_and_writes_nothing(cli, tmp_path):
    recs = _copy(tmp_path, "inspect", "self")
    result = cli("report", *recs, "--doc", "self-audit", "-o", "docs")
    assert result.exit_code == 2
    assert "inspect.toml" in result.stderr and "inspection-record, rectification-order, hazards" in result.stderr
    assert not (tmp_path / "docs").exists()


def test_report_broken_template_exits_1_without_traceback(cli, tmp_path):
    (rec,) = _copy(tmp_path, "inspect")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "base.md.j2").write_text("{{ doc.title }\n", encoding="utf-8")
    result = cli("report", rec, "--templates", "tpl")
    assert result.exit_code == 1
    assert "base.md.j2:1:" in result.stderr and "Traceback" not in result.stderr


def test_report_template_not_utf8_exits_1_with_one_line(cli, tmp_path):
    (rec,) = _copy(tmp_path, "inspect")
    (tmp_path / "t5").mkdir()
    (tmp_path / "t5" / "hazards.md.j2").write_bytes(b"\xff\xfe")
    result = cli("report", rec, "--doc", "hazards", "--templates", "t5")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "hazards.md.j2:1: " in result.stderr and "UTF-8" in result.stderr


def test_report_unreadable_record_is_one_error_line(cli, tmp_path):
    (tmp_path / "bad.toml").write_text("not = [toml", encoding="utf-8")
    result = cli("report", "bad.toml")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1


def test_templates_export_command(cli, tmp_path):
    result = cli("templates", "export", "mine")
    assert result.exit_code == 0
    assert (tmp_path / "mine" / "inspection-record.html.j2").is_file()
    assert cli("templates", "export", "mine").exit_code == 1
