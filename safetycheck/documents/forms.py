"""Blank forms: checklists printed for paper inspections and CI, deterministically.

The same checklists, options and templates always give byte-identical output: nothing in a
form depends on the clock, the machine or dictionary order; a date appears only with ``--date``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safetycheck.errors import UsageError
from safetycheck.messages import get_lang, t
from safetycheck.text import cite_texts, csv_cell, method_text

if TYPE_CHECKING:
    import jinja2

    from safetycheck.catalog.catalog import Catalog
    from safetycheck.catalog.checklist import Loaded
    from safetycheck.catalog.models import Checklist
    from safetycheck.documents.report import Output

FORM_FORMATS = ("html", "md", "txt", "csv")


def parse_date(value: str | None) -> dt.date | None:
    """The ``--date`` value as a date.

    Raises:
        UsageError: not an ISO date (``2026-03-05``).
    """
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(t("form.bad_date", value=value)) from None


def when_text(when: dict[str, list[str]] | None) -> str:
    """An item's conditions in words: ``适用行业：危险化学品、化工；检查类型：企业自查``.

    Why: ``industry: 危险化学品`` is the YAML key, not something an inspector reads; modes are
    a closed vocabulary and follow ``--lang``, industries are checklist data and stay as written.
    """
    if not when:
        return ""
    sep = t("sep.list")
    parts = []
    for key, values in when.items():
        if key == "industry":
            parts.append(t("form.when_industry", values=sep.join(values)))
        elif key == "mode":
            parts.append(t("form.when_mode", values=sep.join(t(f"doc.mode.{v}") for v in values)))
        elif key == "body_type":
            parts.append(t("form.when_body_type", values=sep.join(values)))
        else:  # a key added after this version: shown as written
            parts.append(f"{key}{t('doc.colon')}{sep.join(values)}")
    return t("sep.semi").join(parts)


def checklist_view(checklist: Checklist, excluded: set[str], tags: set[str], start: int) -> dict[str, Any]:
    """One checklist as form templates see it; items numbered from ``start``."""
    seq = start
    sections = []
    for section in checklist.sections:
        items = []
        for item in section.items:
            if item.id in excluded or (tags and not tags & set(item.tags)):
                continue
            basis = cite_texts(item.basis)
            items.append({
                "seq": seq,
                "id": item.id,
                "text": item.text,
                "standard": item.standard,
                "method": method_text(item.method),
                "basis": basis,
                "basis_text": t("sep.semi").join(basis),
                "major_possible": item.major_possible,
                "verified": item.verified,
                "when": when_text(item.when),
            })
            seq += 1
        if items:
            sections.append({"id": section.id, "title": section.title, "all_items": items})
    return {
        "id": checklist.id,
        "title": checklist.title,
        "version": checklist.version,
        "status": checklist.status,
        "provisional": checklist.status == "provisional",
        "summary": checklist.summary,
        "sections": sections,
        "count": sum(len(s["all_items"]) for s in sections),
    }


def form_view(entries: list[tuple[Loaded, set[str]]], tags: list[str], date: dt.date | None,
              title: str | None = None) -> dict[str, Any]:
    """The data a form template renders (documented in docs/reports.md): one form.

    Args:
        entries: checklists with the item ids to leave out (from ``Catalog.expand``).
        tags: when given, only items carrying one of these tags.
        date: the date to print, or None for a blank date line.
        title: the form's heading (a profile's title); by default the checklist's, or a
            general heading for several checklists.

    Raises:
        UsageError: the tags leave no item at all.
    """
    from safetycheck.catalog.models import Checklist
    from safetycheck.documents.views import format_date

    checklists = []
    seq = 1
    for entry, excluded in entries:
        assert isinstance(entry.model, Checklist)
        view = checklist_view(entry.model, excluded, set(tags), seq)
        seq += view["count"]
        if view["count"]:
            checklists.append(view)
    if not checklists:
        raise UsageError(t("form.no_items", tags=", ".join(tags)))
    if title is None:
        title = (t("form.title_one", title=checklists[0]["title"]) if len(checklists) == 1
                 else t("form.title_many"))
    form = {"title": title, "count": seq - 1, "checklists": checklists}
    return {"lang": get_lang(), "date": format_date(date), "tags": list(tags), **form, "forms": [form]}


def join_forms(views: list[dict[str, Any]]) -> dict[str, Any]:
    """Several forms in one output (``form --all`` to stdout), each keeping its own heading.

    Why not one form: 1,000 items of twenty checklists under one heading and one signature
    block is no form anyone can use; each checklist stays a form of its own, one after another
    (on a new page in HTML), and ``checklists`` and ``count`` still cover them all.
    """
    first = views[0]
    return {
        "lang": first["lang"],
        "date": first["date"],
        "tags": first["tags"],
        "title": t("form.title_many"),
        "count": sum(v["count"] for v in views),
        "checklists": [c for v in views for c in v["checklists"]],
        "forms": [f for v in views for f in v["forms"]],
    }


def render_csv(view: dict[str, Any]) -> str:
    """The ``csv`` form: one row per item, UTF-8 with a BOM so that spreadsheets read Chinese.

    Every text cell goes through :func:`~safetycheck.text.csv_cell`, so no cell runs as a formula.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    keys = ("checklist", "checklist_title", "section", "seq", "item", "text", "standard", "method", "basis",
            "major", "result", "note")
    writer.writerow([t(f"form.csv.{k}") for k in keys])
    for c in view["checklists"]:
        for s in c["sections"]:
            for i in s["all_items"]:
                row = [c["id"], c["title"], s["title"], i["seq"], i["id"], i["text"], i["standard"],
                       i["method"], i["basis_text"], t("form.yes") if i["major_possible"] else "", "", ""]
                writer.writerow([csv_cell(cell) for cell in row])
    return "\ufeff" + buffer.getvalue()


def render_form(environment: jinja2.Environment, view: dict[str, Any], fmt: str) -> str:
    """Render a form view in ``html``, ``md``, ``txt`` or ``csv``.

    Raises:
        TemplateError: a template is broken.
    """
    from safetycheck.documents.report import render_template
    from safetycheck.layout import tidy

    if fmt == "csv":
        return render_csv(view)
    text = render_template(environment, f"form.{fmt}.j2", view)
    return tidy(text) if fmt in ("md", "txt") else text


@dataclass
class FormRequest:
    """What ``safetycheck form`` was asked for."""

    names: list[str] = field(default_factory=list)
    every: bool = False
    fmt: str | None = None
    out: Path | None = None
    date: str | None = None
    tags: list[str] = field(default_factory=list)
    templates: list[Path] = field(default_factory=list)
    checklists: list[Path] = field(default_factory=list)
    builtin: bool = True  # False: ``--all --no-builtin``, only the user's own checklists


def _entries(catalog: Catalog, request: FormRequest) -> tuple[list[tuple[Loaded, set[str]]], str | None]:
    """The checklists asked for, and the form's title when one profile was named."""
    if request.every:
        every = [(e, set[str]()) for e in catalog.checklists()
                 if e.kind == "checklist" and (request.builtin or e.origin != "builtin")]
        if not every:
            raise UsageError(t("form.no_own"))
        return every, None
    entries: list[tuple[Loaded, set[str]]] = []
    named = [catalog.resolve(name) for name in request.names]
    for entry in named:
        entries.extend(catalog.expand(entry))
    title = named[0].model.title if len(named) == 1 and named[0].kind == "profile" else None
    return entries, title


def produce_forms(request: FormRequest, catalog: Catalog | None = None) -> list[Output]:
    """Build the forms asked for and write them (or return one for stdout).

    With ``--all`` and ``-o``, or ``-o`` naming an existing folder, each checklist gets its own
    file ``<id>.<ext>`` there. ``--all`` to stdout or one file gives every checklist's form one
    after another, each with its own heading. Otherwise the named checklists (profiles expanded)
    make one form, headed with the profile's title when one profile was named.

    Raises:
        SafetycheckError: unknown names, a bad date or format, a broken template.
    """
    from safetycheck.catalog.catalog import open_catalog
    from safetycheck.documents.report import Output, choose_format, make_environment, output_folder, write_text

    if request.every and request.names:
        raise UsageError(t("form.both"))
    if not request.every and not request.names:
        raise UsageError(t("form.no_names"))
    if not request.builtin and not request.every:
        raise UsageError(t("form.no_builtin_alone"))
    date = parse_date(request.date)
    per_file = request.out is not None and (request.every or request.out.is_dir())
    fmt = choose_format(request.fmt, request.out, FORM_FORMATS, single=not per_file)
    environment = make_environment(request.templates) if fmt != "csv" else None
    catalog = catalog or open_catalog(request.checklists)
    entries, title = _entries(catalog, request)
    if per_file:
        assert request.out is not None
        folder = output_folder(request.out)
        outputs = []
        for entry, excluded in entries:
            if request.tags and not _has_tag(entry, excluded, request.tags):
                continue
            text = _render(environment, form_view([(entry, excluded)], request.tags, date), fmt)
            path = folder / f"{entry.id}.{fmt}"
            write_text(path, text)
            outputs.append(Output(path, ""))
        if not outputs:
            raise UsageError(t("form.no_items", tags=", ".join(request.tags)))
        return outputs
    if request.every:
        views = [form_view([(e, x)], request.tags, date) for e, x in entries
                 if not request.tags or _has_tag(e, x, request.tags)]
        if not views:
            raise UsageError(t("form.no_items", tags=", ".join(request.tags)))
        view = join_forms(views)
    else:
        view = form_view(entries, request.tags, date, title)
    text = _render(environment, view, fmt)
    if request.out is not None:
        write_text(request.out, text)
        return [Output(request.out, "")]
    return [Output(None, text)]


def _has_tag(entry: Loaded, excluded: set[str], tags: list[str]) -> bool:
    wanted = set(tags)
    return any(wanted & set(i.tags) for s in entry.model.sections for i in s.items  # type: ignore[union-attr]
               if i.id not in excluded)


def _render(environment: jinja2.Environment | None, view: dict[str, Any], fmt: str) -> str:
    if fmt == "csv":
        return render_csv(view)
    assert environment is not None
    return render_form(environment, view, fmt)


def run_form(request: FormRequest) -> None:
    """``safetycheck form``: the form to stdout, or the files written and where.

    Raises:
        SafetycheckError: see :func:`produce_forms`.
    """
    from safetycheck.catalog.catalog import open_catalog
    from safetycheck.console import print_warning
    from safetycheck.documents.report import emit

    catalog = open_catalog(request.checklists)
    if catalog.problems:
        print_warning(t("catalog.broken", count=len({p.location.path for p in catalog.problems})))
    emit(produce_forms(request, catalog), "form.wrote")
