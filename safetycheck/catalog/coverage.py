"""The coverage index: which checklist items cite each requirement of the source notices."""

from __future__ import annotations

import sys
from typing import Any

from safetycheck.catalog import models
from safetycheck.catalog.catalog import Catalog
from safetycheck.catalog.checklist import norm
from safetycheck.messages import t
from safetycheck.text import json_text, visible


def coverage_data(catalog: Catalog) -> dict[str, Any]:
    """Each requirement with the items citing it, and the checkable ones no item cites.

    An item covers a requirement when it cites the requirement's id (``req``), or cites its
    clause without an id and the clause holds only that one requirement.
    """
    registry = catalog.registry
    by_clause: dict[tuple[str, str], list[models.Requirement]] = {}
    for req in registry.requirements.values():
        by_clause.setdefault((norm(req.doc), norm(req.clause)), []).append(req)
    cited: dict[str, list[str]] = {rid: [] for rid in registry.requirements}
    for entry in catalog.checklists():
        if not isinstance(entry.model, models.Checklist):
            continue
        for section in entry.model.sections:
            for item in section.items:
                ref = f"{entry.id}/{item.id}"
                for cite in item.basis:
                    if cite.doc is None or cite.clause is None:
                        continue
                    if cite.req is not None and cite.req in cited:
                        targets = [cite.req]
                    else:
                        reqs = by_clause.get((norm(cite.doc), norm(cite.clause)), [])
                        targets = [reqs[0].id] if len(reqs) == 1 and cite.req is None else []
                    for rid in targets:
                        if ref not in cited[rid]:
                            cited[rid].append(ref)
    clauses = [
        {
            "doc": req.doc,
            "clause": req.clause,
            "id": req.id,
            "audience": list(req.audience),
            "text": req.text,
            "checkable": req.checkable,
            **({"reason": req.reason} if req.reason else {}),
            "items": cited[req.id],
        }
        for req in registry.requirements.values()
    ]
    uncovered = [c["id"] for c in clauses if c["checkable"] and not c["items"]]
    checkable = sum(1 for c in clauses if c["checkable"])
    return {
        "requirements": len(clauses),
        "checkable": checkable,
        "covered": checkable - len(uncovered),
        "clauses": clauses,
        "uncovered": uncovered,
    }


def print_coverage(catalog: Catalog, fmt: str) -> None:
    """Print the coverage index as a table, Markdown or JSON."""
    data = coverage_data(catalog)
    out = sys.stdout
    if fmt == "json":
        out.write(json_text(data) + "\n")
        return
    summary = t("coverage.summary", total=data["requirements"], checkable=data["checkable"],
                covered=data["covered"], uncovered=len(data["uncovered"]))
    if fmt == "md":
        out.write(f"# {t('coverage.title')}\n\n{summary}\n\n")
        out.write(f"| {t('coverage.col_doc')} | {t('coverage.col_clause')} | {t('col.id')} | "
                  f"{t('coverage.col_text')} | {t('col.audience')} | {t('coverage.col_items')} |\n")
        out.write("|---|---|---|---|---|---|\n")
        for c in data["clauses"]:
            items = "<br>".join(c["items"]) if c["items"] else (
                t("coverage.not_checkable") if not c["checkable"] else f"**{t('coverage.uncovered')}**")
            cells = [c["doc"], c["clause"], c["id"], c["text"], "、".join(c["audience"]), items]
            out.write("| " + " | ".join(visible(x, one_line=True).replace("|", "\\|") for x in cells) + " |\n")
        return
    from rich.table import Table

    from safetycheck.console import make_console

    table = Table(box=None, pad_edge=False, show_edge=False)
    for key in ("col.id", "coverage.col_clause", "coverage.col_text", "coverage.col_items"):
        table.add_column(t(key), overflow="fold")
    for c in data["clauses"]:
        if c["items"]:
            items = "\n".join(c["items"])
        elif not c["checkable"]:
            items = f"[dim]{t('coverage.not_checkable')}[/dim]"
        else:
            items = f"[red]{t('coverage.uncovered')}[/red]"
        table.add_row(c["id"], f"{c['doc']} {c['clause']}", c["text"], items)
    console = make_console()
    console.print(table)
    console.print(summary)
