"""The command-line interface: one small function per command, errors mapped to exit codes."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from safetycheck import __version__
from safetycheck.console import print_error
from safetycheck.errors import ChecklistError, SafetycheckError
from safetycheck.messages import set_lang, t

def _choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    """Check an option value against its choices; a bad one is a usage error (exit 2)."""
    if value not in choices:
        print_error(t("cli.bad_choice", option=option, value=value, choices=", ".join(choices)))
        raise typer.Exit(2)
    return value


def _fail(exc: SafetycheckError) -> typer.Exit:
    """Print a user error (one line per problem) and give the exit to raise."""
    if isinstance(exc, ChecklistError):
        from safetycheck.console import format_problem

        for problem in exc.problems:
            sys.stderr.write(format_problem(problem) + "\n")
    else:
        print_error(str(exc))
    return typer.Exit(exc.exit_code)


def _catalog(checklists: list[Path] | None, strict: bool = False) -> Any:
    from safetycheck.catalog import open_catalog

    return open_catalog(checklists or (), strict=strict)


def build_app() -> typer.Typer:
    """Build the Typer app with help texts in the current language."""
    app = typer.Typer(
        name="safetycheck",
        help=t("cli.help"),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    checklists_opt = typer.Option("--checklists", metavar="DIR", help=t("cli.checklists_opt"), show_default=False)

    def version_callback(value: bool) -> None:
        if value:
            sys.stdout.write(f"safetycheck {__version__}\n")
            raise typer.Exit()

    @app.callback()
    def main_callback(
        version: Annotated[bool, typer.Option("--version", help=t("cli.version"), callback=version_callback,
                                              is_eager=True)] = False,
        lang: Annotated[str, typer.Option("--lang", metavar="zh|en", help=t("cli.lang"))] = "zh",
    ) -> None:
        """Global options."""

    @app.command("list", help=t("cli.list_help"))
    def list_command(
        fmt: Annotated[str, typer.Option("--format", help=t("cli.format", choices="table, json"))] = "table",
        checklists: Annotated[list[Path] | None, checklists_opt] = None,
    ) -> None:
        _choice("--format", fmt, ("table", "json"))
        from safetycheck import listing

        catalog = _catalog(checklists)
        listing.print_list(catalog, fmt)
        if catalog.problems:
            from safetycheck.console import print_warning

            print_warning(t("catalog.broken", count=len({p.location.path for p in catalog.problems})))

    @app.command("show", help=t("cli.show_help"))
    def show_command(
        name: Annotated[str, typer.Argument(metavar="CHECKLIST", help=t("cli.name_arg"))],
        fmt: Annotated[str, typer.Option("--format", help=t("cli.format", choices="tree, json"))] = "tree",
        checklists: Annotated[list[Path] | None, checklists_opt] = None,
    ) -> None:
        _choice("--format", fmt, ("tree", "json"))
        from safetycheck import listing

        try:
            catalog = _catalog(checklists)
            listing.print_show(catalog, catalog.resolve(name), fmt)
        except SafetycheckError as exc:
            raise _fail(exc) from None

    @app.command("validate", help=t("cli.validate_help"))
    def validate_command(
        paths: Annotated[list[Path] | None, typer.Argument(metavar="[PATH]...", help=t("cli.paths_arg"),
                                                           show_default=False)] = None,
        fmt: Annotated[str, typer.Option("--format", help=t("cli.format", choices="text, json, github"))] = "text",
        checklists: Annotated[list[Path] | None, checklists_opt] = None,
    ) -> None:
        _choice("--format", fmt, ("text", "json", "github"))
        from safetycheck import listing

        code = listing.validate(paths or [], checklists or [], fmt)
        raise typer.Exit(code)

    @app.command("schema", help=t("cli.schema_help"))
    def schema_command(
        kind: Annotated[str, typer.Option("--kind", help=t("cli.schema_kind"))] = "checklist",
    ) -> None:
        _choice("--kind", kind, ("checklist", "profile", "sources"))
        from safetycheck.schema import json_schema

        sys.stdout.write(json_schema(kind) + "\n")

    # --- inspection commands: run, resume, config ---

    # --- document commands: report, form, templates ---

    # --- coverage ---

    return app


def _take_lang(argv: list[str]) -> list[str]:
    """Apply ``--lang`` wherever it stands (before or after the command) and drop it from argv.

    Why: help texts are chosen when the app is built, so the language must be known first.
    """
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out.extend(argv[i:])
            break
        if arg == "--lang" and i + 1 < len(argv):
            set_lang(argv[i + 1])
            i += 2
            continue
        if arg.startswith("--lang="):
            set_lang(arg.split("=", 1)[1])
            i += 1
            continue
        out.append(arg)
        i += 1
    return out


def run_app() -> None:
    """Entry point used by ``safetycheck`` and ``python -m safetycheck``."""
    args = _take_lang(sys.argv[1:])
    app = build_app()
    try:
        app(args=args, prog_name="safetycheck")
    except KeyboardInterrupt:
        print_error(t("cli.interrupted"))
        raise SystemExit(130) from None
