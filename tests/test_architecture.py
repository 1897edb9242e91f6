"""The package is layered by stage: imports point one way and never form a cycle."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "safetycheck"

# What each part may import from the package (besides itself). Keep docs/architecture.md in step.
BASE = {"errors", "messages", "console", "text", "layout", "resources", "fileio", "inputfiles", "images"}
ALLOWED = {
    "base": {"base"},
    "catalog": {"base", "catalog"},
    "inspection": {"base", "catalog", "inspection"},
    "lifecycle": {"base", "catalog", "inspection", "lifecycle"},
    "documents": {"base", "catalog", "inspection", "lifecycle", "documents"},
    # office/ sits on top of documents/: the command line dispatches to it, documents/ never imports it.
    "office": {"base", "catalog", "inspection", "lifecycle", "documents", "office"},
    "stats": {"base", "catalog", "inspection", "lifecycle", "documents", "stats"},
    # The store sits on documents (it takes over their numbering and imports the old counter file
    # documents.numbering reads); documents reach its numbers only through the Allocator interface
    # of lifecycle.issuing, which cli.py fills with the store's.
    "store": {"base", "catalog", "inspection", "lifecycle", "documents", "store"},
    "cli": {"base", "catalog", "inspection", "lifecycle", "documents", "office", "stats", "store", "cli"},
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def part_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "root"
    if parts[1] in ("catalog", "inspection", "lifecycle", "documents", "office", "stats", "store"):
        return parts[1]
    if parts[1] in BASE:
        return "base"
    return "cli"  # cli, parserzh, typerclick, __main__


def imports_of(path: Path) -> set[str]:
    """Every package module a file imports, at any depth (function-level and TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "safetycheck" or node.module.startswith("safetycheck."):
                for alias in node.names:
                    candidate = f"{node.module}.{alias.name}"
                    found.add(candidate if candidate in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("safetycheck"))
    return {m for m in found if m in MODULES and m != "safetycheck"}


MODULES = {module_name(p) for p in PACKAGE.rglob("*.py")}
GRAPH = {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def test_no_import_cycle_inside_the_package() -> None:
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in sorted(GRAPH.get(node, ())):
            if state.get(dep) == 1:
                cycles.append([*trail[trail.index(dep):], dep] if dep in trail else [node, dep])
            elif dep not in state:
                visit(dep, [*trail, dep])
        state[node] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_each_part_imports_only_the_parts_below_it() -> None:
    wrong = []
    for module, deps in GRAPH.items():
        part = part_of(module)
        if part == "root":
            continue
        for dep in deps:
            if part_of(dep) not in ALLOWED[part] | {"root"}:
                wrong.append(f"{module} -> {dep}")
    assert wrong == []


def test_nothing_imports_the_cli_and_only_the_cli_imports_typer() -> None:
    cli_modules = {"safetycheck.cli", "safetycheck.parserzh", "safetycheck.typerclick", "safetycheck.__main__"}
    importers = sorted(m for m, deps in GRAPH.items() if "safetycheck.cli" in deps and m != "safetycheck.__main__")
    assert importers == []
    typer_users = sorted(
        module_name(p) for p in PACKAGE.rglob("*.py")
        if "import typer" in p.read_text(encoding="utf-8") or "from typer" in p.read_text(encoding="utf-8")
    )
    assert set(typer_users) <= cli_modules


def test_the_cycle_check_sees_a_planted_cycle() -> None:
    # The graph walk must report a cycle when one exists (guards the test above against passing vacuously).
    saved = dict(GRAPH)
    try:
        GRAPH["safetycheck.catalog.models"] = GRAPH["safetycheck.catalog.models"] | {"safetycheck.catalog.checklist"}
        try:
            test_no_import_cycle_inside_the_package()
        except AssertionError:
            return
        raise AssertionError("a planted cycle went unnoticed")
    finally:
        GRAPH.clear()
        GRAPH.update(saved)
