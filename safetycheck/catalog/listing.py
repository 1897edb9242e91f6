"""The read-only commands' work: list, show and validate."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import msgspec

from safetycheck.catalog import models
from safetycheck.catalog.catalog import Catalog, display_path, open_catalog
from safetycheck.catalog.checklist import Loaded, Registry, load_checklist, load_profile, load_sources
from safetycheck.catalog.yamlsource import Document
from safetycheck.console import write_problems
from safetycheck.errors import ChecklistError, Location, Problem, SafetycheckError, UsageError
from safetycheck.inputfiles import real_path
from safetycheck.messages import t
from safetycheck.text import cite_texts, json_text, method_text, visible


def item_count(catalog: Catalog, entry: Loaded) -> int:
    """Number of items a checklist holds, or a profile selects."""
    total = 0
    for loaded, excluded in catalog.expand(entry, check=False):
        cl = loaded.model
        assert isinstance(cl, models.Checklist)
        total += sum(1 for s in cl.sections for i in s.items if i.id not in excluded)
    return total


def list_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """The rows of ``list --format json``."""
    rows: list[dict[str, Any]] = []
    shadowed = {e.id for e in catalog.shadowed}
    for entry in catalog.checklists():
        m = entry.model
        row: dict[str, Any] = {
            "id": m.id,
            "kind": entry.kind,
            "title": m.title,
            "aliases": list(m.aliases),
            "audience": list(m.audience),
            "items": item_count(catalog, entry),
            "version": m.version,
            "status": getattr(m, "status", "stable"),
            "path": str(entry.path.resolve()),
            "origin": entry.origin,
            "overrides_builtin": entry.id in shadowed and entry.origin != "builtin",
        }
        if entry.kind == "profile":
            row["checklists"] = [loaded.id for loaded, _ in catalog.expand(entry, check=False)]
        rows.append(row)
    return rows


def print_list(catalog: Catalog, fmt: str) -> None:
    """Print the catalog as a table or JSON."""
    rows = list_rows(catalog)
    if fmt == "json":
        sys.stdout.write(json_text(rows) + "\n")
        return
    import shutil

    from safetycheck.layout import table

    headers = [t(k) for k in ("col.id", "col.title", "col.aliases", "col.audience", "col.items", "col.origin")]
    cells: list[list[str]] = []
    for row in rows:
        origin = t("origin.builtin") if row["origin"] == "builtin" else display_path(Path(row["path"]))
        if row["overrides_builtin"]:
            origin += f"（{t('overrides')}）"
        title = row["title"] if row["kind"] == "checklist" else f"{row['title']}［{t('kind.profile')}］"
        aliases, audience = t("sep.list").join(row["aliases"]), t("sep.list").join(row["audience"])
        cells.append([row["id"], title, aliases, audience, str(row["items"]), origin])
    width = shutil.get_terminal_size((80, 24)).columns
    sys.stdout.write(visible(table(headers, cells, width, shrink=(1, 2, 3, 5), drop=(2, 5, 3))) + "\n")


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value]
    return value


def show_data(catalog: Catalog, entry: Loaded) -> dict[str, Any]:
    """The data of ``show --format json``: the checklist (or a profile's checklists) in full."""
    def one(loaded: Loaded, excluded: set[str]) -> dict[str, Any]:
        data: dict[str, Any] = _strip_none(msgspec.to_builtins(loaded.model))
        model = {i.id: i for s in loaded.model.sections for i in s.items}
        for section in data["sections"]:
            section["items"] = [i for i in section["items"] if i["id"] not in excluded]
            for item in section["items"]:
                scope = catalog.registry.major_industries(model[item["id"]])
                if scope:
                    item["major_industries"] = scope
        data["sections"] = [s for s in data["sections"] if s["items"]]
        data.update(kind="checklist", path=str(loaded.path.resolve()), origin=loaded.origin, sha256=loaded.sha256)
        return data

    parts = [one(loaded, excluded) for loaded, excluded in catalog.expand(entry)]
    if entry.kind == "checklist":
        return parts[0]
    data: dict[str, Any] = _strip_none(msgspec.to_builtins(entry.model))
    data.update(kind="profile", path=str(entry.path.resolve()), origin=entry.origin, expanded=parts)
    return data


def print_show(catalog: Catalog, entry: Loaded, fmt: str) -> None:
    """Print a checklist (or a profile's checklists) as a tree or JSON."""
    if fmt == "json":
        sys.stdout.write(json_text(show_data(catalog, entry)) + "\n")
        return
    import os
    import shutil

    from safetycheck.console import _is_utf
    from safetycheck.layout import TreeNode

    width = shutil.get_terminal_size((80, 24)).columns
    colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    unicode = _is_utf(sys.stdout)
    colon, semi = t("colon"), t("sep.semi")
    count = 0
    parts = catalog.expand(entry)
    out: list[str] = []
    if entry.kind == "profile":
        out.append(_drawn(TreeNode(f"{entry.model.title} ({entry.id}) — {entry.model.summary}",
                                   marks=((entry.model.title, "bold"),)), width, colour, unicode))
    for loaded, excluded in parts:
        cl = loaded.model
        assert isinstance(cl, models.Checklist)
        tree = TreeNode(f"{cl.title}  {cl.id} v{cl.version}  [{t('sep.list').join(cl.audience)}]",
                        marks=((cl.title, "bold"),))
        if cl.status == "provisional":
            tree.add(t("show.provisional"), "yellow")
        tree.add(cl.summary)
        for section in cl.sections:
            items = [i for i in section.items if i.id not in excluded]
            if not items:
                continue
            label = section.title + (f"（{'、'.join(section.aliases)}）" if section.aliases else "")  # data
            branch = tree.add(label, "bold")
            for item in items:
                count += 1
                flags, marks = "", [(item.id, "cyan")]
                if item.major_possible:
                    scope = catalog.registry.major_industries(item)
                    shown = t("show.major_scope", industries=t("sep.list").join(scope)) if scope else ""
                    flags += f" ◆{t('show.major') + shown}"
                    marks.append((f"◆{t('show.major') + shown}", "red"))
                if not item.verified:
                    flags += f" 【{t('show.unverified')}】"
                    marks.append((f"【{t('show.unverified')}】", "yellow"))
                node = branch.add(f"{item.id} {item.text}{flags}", marks=tuple(marks))
                node.add(f"{t('show.standard')}{colon}{item.standard}")
                node.add(f"{t('show.method')}{colon}{method_text(item.method)}  "
                         f"{t('show.basis')}{colon}{semi.join(cite_texts(item.basis))}")
                if item.penalty:
                    node.add(f"{t('show.penalty')}{colon}{semi.join(cite_texts(item.penalty))}")
                if item.when:
                    cond = semi.join(f"{k}={'/'.join(v)}" for k, v in item.when.items())
                    node.add(f"{t('show.when')}{colon}{cond}")
                if not item.verified and item.note:
                    node.add(item.note, "yellow")
                elif item.note:
                    node.add(f"{t('show.note')}{colon}{item.note}", "dim")
        out.append(_drawn(tree, width, colour, unicode))
    out.append(visible(t("show.summary", checklists=len(parts), items=count)))
    sys.stdout.write("\n".join(out) + "\n")


SHOWN_KEPT = 16  # trees kept drawn in the cache folder


def _drawn(tree: Any, width: int, colour: bool, unicode: bool) -> str:
    """:func:`~safetycheck.layout.tree_text` of ``tree``, kept in the cache folder by its every input.

    Why: breaking every label into phrases (BudouX) was most of ``show``; the drawing depends only
    on the labels, their styles, the width, colour, guides and this program's and BudouX's
    versions, which make the key, so a tree drawn before is read back as it was drawn.
    """
    import hashlib
    import importlib.util

    from safetycheck import __version__
    from safetycheck.catalog import cache
    from safetycheck.layout import tree_text

    spec = importlib.util.find_spec("budoux")
    if not cache.is_enabled() or spec is None or spec.origin is None:
        return tree_text(tree, width, colour, unicode)
    phrases = Path(spec.origin).stat()  # BudouX as installed (importing it to ask its version costs what is saved)
    digest = hashlib.sha256(f"{__version__} {phrases.st_size} {phrases.st_mtime_ns} {width} {colour} {unicode}"
                            .encode())
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        digest.update(repr((depth, node.text, node.style, node.marks)).encode("utf-8", "surrogatepass"))
        stack.extend((child, depth + 1) for child in reversed(node.children))
    folder = cache.cache_dir() / "shown"
    path = folder / f"{digest.hexdigest()}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = tree_text(tree, width, colour, unicode)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        kept = sorted(folder.glob("*.txt"), key=lambda p: p.stat().st_mtime)
        for old in kept[:max(0, len(kept) - SHOWN_KEPT + 1)]:
            old.unlink(missing_ok=True)
        from safetycheck import fileio

        fileio.atomic_write(path, text.encode("utf-8"))
    except (OSError, SafetycheckError):
        pass  # a cache that cannot be written is only slower
    return text


def _kind_of(path: Path) -> str:
    if path.parent.name == "sources":
        return "sources"
    if path.parent.name == "profiles":
        return "profile"
    return "checklist"


def validate(paths: list[Path], extra: list[Path], fmt: str, builtin: bool = True) -> int:
    """Validate the given files and folders (or the whole catalog); print problems.

    Args:
        paths: files and folders to validate; none means every file the catalog sees.
        extra: ``--checklists`` folders.
        fmt: ``text``, ``json``, ``github``, ``sarif`` or ``junit``.
        builtin: with no paths, False leaves the built-in files out (``--no-builtin``).

    Returns:
        0 when everything is valid, 1 when any problem was found.

    Raises:
        UsageError: ``--no-builtin`` and no files of the user's own.
    """
    problems: list[Problem] = []
    if not paths:
        catalog = open_catalog(extra, strict=True)
        problems.extend(catalog.problems)
        files = catalog.files
        if not builtin:
            files = [f for f in files if not _is_builtin(f)]
            problems = [p for p in problems if not _is_builtin(Path(p.location.path))]
            if not files:
                raise UsageError(t("validate.no_own_files"))
    else:
        # A `profiles` or `sources` folder belongs to the checklist folder above it.
        folders = [p.parent if p.name in ("profiles", "sources") else p for p in paths if p.is_dir()]
        catalog = open_catalog([*folders, *extra], strict=True)
        files = []
        known = {real_path(f) for f in catalog.files}
        for path in paths:
            root = real_path(path)
            if path.is_dir():
                found = [p for p in catalog.files if root in real_path(p).parents]
                if not found:
                    problems.append(Problem(Location(str(path)), t("validate.no_files", path=path)))
                files.extend(found)
                problems.extend(p for p in catalog.problems if real_path(Path(p.location.path)).is_relative_to(root))
            elif root in known:
                files.append(path)
                problems.extend(p for p in catalog.problems if real_path(Path(p.location.path)) == root)
            else:
                files.append(path)
                problems.extend(_validate_file(path, catalog))
    if fmt in ("sarif", "junit"):
        from safetycheck.catalog.problemformats import junit_xml, sarif_log

        names = [display_path(f) for f in files]
        sys.stdout.write((sarif_log(problems) if fmt == "sarif" else junit_xml(problems, names)) + "\n")
        return 1 if problems else 0
    if problems:
        write_problems(problems, fmt)
        if fmt == "text":
            sys.stderr.write(t("validate.failed", problems=len(problems),
                               files=len({p.location.path for p in problems})) + "\n")
        return 1
    if fmt == "json":
        write_problems([], fmt)
    else:
        sys.stderr.write(t("validate.ok", files=len(files)) + "\n")
    return 0


def _is_builtin(path: Path) -> bool:
    from safetycheck.resources import builtin_checklists

    return path.resolve().is_relative_to(builtin_checklists().resolve())


def _validate_file(path: Path, catalog: Catalog) -> list[Problem]:
    """Validate a file outside the search folders, links to other files included."""
    display = display_path(path)
    kind = _kind_of(path)
    if kind == "sources":
        return load_sources(path, Registry(), display)
    try:
        if kind == "profile":
            loaded = load_profile(path, "validate", display)
        else:
            loaded = load_checklist(path, catalog.registry, "validate", display)
    except ChecklistError as exc:
        problems = list(exc.problems)
        if isinstance(exc.document, Document):
            problems.extend(catalog.reference_problems(kind, exc.document))
        return problems
    assert loaded.document is not None
    previous = catalog.entries.get(loaded.id)
    catalog.entries[loaded.id] = loaded  # it may link to itself
    try:
        return catalog.reference_problems(kind, loaded.document)
    finally:
        if previous is None:
            del catalog.entries[loaded.id]
        else:
            catalog.entries[loaded.id] = previous
