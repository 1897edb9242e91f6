"""The command-line interface: one small function per command, errors mapped to exit codes."""

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from safetycheck import __version__
from safetycheck.console import print_error
from safetycheck.errors import ChecklistError, SafetycheckError
from safetycheck.messages import set_lang, t
from safetycheck.typerclick import ClickException, UsageError


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
    from safetycheck.catalog.catalog import open_catalog

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
        from safetycheck.catalog import listing

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
        from safetycheck.catalog import listing

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
        from safetycheck.catalog import listing

        code = listing.validate(paths or [], checklists or [], fmt)
        raise typer.Exit(code)

    @app.command("schema", help=t("cli.schema_help"))
    def schema_command(
        kind: Annotated[str, typer.Option("--kind", help=t("cli.schema_kind"))] = "checklist",
    ) -> None:
        _choice("--kind", kind, ("checklist", "profile", "sources"))
        from safetycheck.catalog.schema import json_schema

        sys.stdout.write(json_schema(kind) + "\n")

    # --- inspection commands: run, resume, config ---
    @app.command("run", help=t("cli.run_help"))
    def run_command(
        names: Annotated[list[str], typer.Argument(metavar="CHECKLIST...", help=t("cli.checklists_arg"))],
        mode: Annotated[str | None, typer.Option("--mode", metavar="inspect|self|supervise",
                                                 help=t("cli.mode_opt"))] = None,
        unit: Annotated[str | None, typer.Option("--unit", metavar="NAME", help=t("cli.unit_opt"))] = None,
        address: Annotated[str | None, typer.Option("--address", metavar="TEXT", help=t("cli.address_opt"))] = None,
        principal: Annotated[str | None, typer.Option("--principal", metavar="NAME",
                                                      help=t("cli.principal_opt"))] = None,
        phone: Annotated[str | None, typer.Option("--phone", metavar="PHONE", help=t("cli.phone_opt"))] = None,
        industry: Annotated[list[str] | None, typer.Option("--industry", metavar="INDUSTRY",
                                                           help=t("cli.industry_opt"))] = None,
        site: Annotated[str | None, typer.Option("--site", metavar="TEXT", help=t("cli.site_opt"))] = None,
        purpose: Annotated[str | None, typer.Option("--purpose", metavar="TEXT", help=t("cli.purpose_opt"))] = None,
        inspector: Annotated[list[str] | None, typer.Option("--inspector", metavar="NAME[:CERT[:ORG]]",
                                                            help=t("cli.inspector_opt"))] = None,
        out: Annotated[Path | None, typer.Option("-o", "--out", metavar="FILE", help=t("cli.out_opt"))] = None,
        answers: Annotated[str | None, typer.Option("--answers", metavar="FILE|-", help=t("cli.answers_opt"))] = None,
        tag: Annotated[list[str] | None, typer.Option("--tag", metavar="TAG", help=t("cli.tag_opt"))] = None,
        checklists: Annotated[list[Path] | None, checklists_opt] = None,
    ) -> None:
        if mode is not None:
            _choice("--mode", mode, ("inspect", "self", "supervise"))
        from safetycheck.console import make_console
        from safetycheck.inspection import walk as inspection

        opts = inspection.RunOptions(
            names=names, mode=mode, unit=unit, address=address, principal=principal, phone=phone,
            industry=industry or [], site=site, purpose=purpose, inspectors=inspector or [], out=out,
            answers=answers, tags=tag or [], checklist_dirs=checklists or [])
        try:
            code = inspection.run(opts, make_console())
        except SafetycheckError as exc:
            raise _fail(exc) from None
        raise typer.Exit(code)

    @app.command("resume", help=t("cli.resume_help"))
    def resume_command(
        record: Annotated[Path, typer.Argument(metavar="RECORD", help=t("cli.record_arg"))],
        reopen: Annotated[bool, typer.Option("--reopen", help=t("cli.reopen_opt"))] = False,
    ) -> None:
        from safetycheck.console import make_console
        from safetycheck.inspection import walk as inspection

        try:
            code = inspection.resume(record, reopen, make_console())
        except SafetycheckError as exc:
            raise _fail(exc) from None
        raise typer.Exit(code)

    config_app = typer.Typer(help=t("cli.config_help"), no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(config_app, name="config")

    @config_app.command("init", help=t("cli.config_init_help"))
    def config_init_command(
        path: Annotated[Path | None, typer.Argument(metavar="[FILE]", show_default=False)] = None,
        user: Annotated[bool, typer.Option("--user", help=t("cli.config_user"))] = False,
    ) -> None:
        from safetycheck.inspection import config

        target = path or (config.user_config_path() if user else config.local_config_path())
        try:
            config.init_config(target)
        except SafetycheckError as exc:
            raise _fail(exc) from None
        sys.stderr.write(t("config.written", path=target) + "\n")

    @config_app.command("show", help=t("cli.config_show_help"))
    def config_show_command() -> None:
        from safetycheck.inspection import config

        try:
            sys.stdout.write(config.describe(config.load_config()))
        except SafetycheckError as exc:
            raise _fail(exc) from None


    # --- document commands: report, form, templates ---
    templates_opt = typer.Option("--templates", metavar="DIR", help=t("cli.templates_opt"), show_default=False)

    @app.command("report", help=t("cli.report_help"))
    def report_command(
        records: Annotated[list[Path], typer.Argument(metavar="RECORD...", help=t("cli.records_arg"))],
        doc: Annotated[list[str] | None, typer.Option("--doc", metavar="NAME", show_default=False, help=t(
            "cli.report_doc", docs="inspection-record, rectification-order, self-audit, supervision, hazards, results"))
        ] = None,
        fmt: Annotated[str | None, typer.Option("--format", metavar="html|md|txt|json|docx|xlsx|csv", help=t(
            "cli.report_format", choices="html, md, txt, json, docx, xlsx, csv"))] = None,
        out: Annotated[Path | None, typer.Option("-o", "--out", metavar="PATH", help=t("cli.report_out"))] = None,
        templates: Annotated[list[Path] | None, templates_opt] = None,
        full: Annotated[bool, typer.Option("--full", help=t("cli.report_full"))] = False,
    ) -> None:
        if fmt is not None:
            _choice("--format", fmt, ("html", "md", "txt", "json", "docx", "xlsx", "csv"))
        from safetycheck.documents.report import run_report
        from safetycheck.office.report import check_format, office_format, run_office_report

        try:
            office = office_format(fmt, out)
            if office is not None:
                run_office_report(records, doc or [], office, out, templates or [], full)
                return
            for name in doc or []:
                check_format(name, fmt or "md") if name == "results" else None
            run_report(records, doc or [], fmt, out, templates or [], full)
        except SafetycheckError as exc:
            raise _fail(exc) from None

    @app.command("form", help=t("cli.form_help"))
    def form_command(
        names: Annotated[list[str] | None, typer.Argument(metavar="[CHECKLIST]...", help=t("cli.form_names"),
                                                          show_default=False)] = None,
        every: Annotated[bool, typer.Option("--all", help=t("cli.form_all"))] = False,
        fmt: Annotated[str | None, typer.Option("--format", metavar="html|md|txt|csv|docx", help=t(
            "cli.report_format", choices="html, md, txt, csv, docx"))] = None,
        out: Annotated[Path | None, typer.Option("-o", "--out", metavar="FILE|DIR", help=t("cli.form_out"))] = None,
        date: Annotated[str | None, typer.Option("--date", metavar="DATE", help=t("cli.form_date"))] = None,
        tag: Annotated[list[str] | None, typer.Option("--tag", metavar="TAG", help=t("cli.form_tag"),
                                                      show_default=False)] = None,
        templates: Annotated[list[Path] | None, templates_opt] = None,
        checklists: Annotated[list[Path] | None, checklists_opt] = None,
    ) -> None:
        if fmt is not None:
            _choice("--format", fmt, ("html", "md", "txt", "csv", "docx"))
        from safetycheck.documents.forms import FormRequest, run_form

        try:
            request = FormRequest(names or [], every, fmt, out, date, tag or [], templates or [], checklists or [])
            by_name = fmt is None and out is not None and not out.is_dir() and out.suffix.lower() == ".docx"
            if fmt == "docx" or by_name:
                from safetycheck.office.report import run_office_form

                run_office_form(request)
                return
            run_form(request)
        except SafetycheckError as exc:
            raise _fail(exc) from None

    templates_app = typer.Typer(help=t("cli.templates_help"), no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(templates_app, name="templates")

    @templates_app.command("export", help=t("cli.templates_export_help"))
    def templates_export_command(
        dest: Annotated[Path, typer.Argument(metavar="DIR", help=t("cli.export_dir"))],
        force: Annotated[bool, typer.Option("--force", help=t("cli.force"))] = False,
    ) -> None:
        from safetycheck.documents.report import export_templates

        try:
            written = export_templates(dest, force)
        except SafetycheckError as exc:
            raise _fail(exc) from None
        sys.stderr.write(t("template.exported", count=len(written), path=dest) + "\n")


    # --- coverage ---

    @app.command("coverage", help=t("cli.coverage_help"))
    def coverage_command(
        fmt: Annotated[str, typer.Option("--format", help=t("cli.format", choices="table, md, json"))] = "table",
        checklists: Annotated[list[Path] | None, checklists_opt] = None,
    ) -> None:
        _choice("--format", fmt, ("table", "md", "json"))
        from safetycheck.catalog.coverage import print_coverage

        print_coverage(_catalog(checklists), fmt)

    return app


def _set_lang_or_exit(value: str, source: str) -> None:
    """Select the language, or stop with a usage error (exit 2) for one we do not have."""
    code = value.strip().lower().replace("_", "-")
    if code in ("zh", "en") or code.startswith(("zh-", "en-")):
        set_lang(code)
        return
    print_error(t("cli.bad_choice", option=source, value=value, choices="zh, en"))
    raise SystemExit(2)


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
            _set_lang_or_exit(argv[i + 1], "--lang")
            i += 2
            continue
        if arg.startswith("--lang="):
            _set_lang_or_exit(arg.split("=", 1)[1], "--lang")
            i += 1
            continue
        out.append(arg)
        i += 1
    return out


def run_app() -> None:
    """Entry point used by ``safetycheck`` and ``python -m safetycheck``."""
    env_lang = os.environ.get("SAFETYCHECK_LANG", "")
    if env_lang:
        _set_lang_or_exit(env_lang, "SAFETYCHECK_LANG")
    args = _take_lang(sys.argv[1:])
    from safetycheck.parserzh import localise_parser, translate_error

    localise_parser()
    app = build_app()
    try:
        code = app(args=args, prog_name="safetycheck", standalone_mode=False)
    except KeyboardInterrupt:
        print_error(t("cli.interrupted"))
        raise SystemExit(130) from None
    except typer.Abort:
        raise SystemExit(130) from None
    except UsageError as exc:
        command = exc.ctx.command_path if exc.ctx is not None else "safetycheck"
        print_error(translate_error(exc.format_message()) + t("parser.try_help", command=command))
        raise SystemExit(exc.exit_code) from None
    except ClickException as exc:
        print_error(translate_error(exc.format_message()))
        raise SystemExit(exc.exit_code) from None
    raise SystemExit(code if isinstance(code, int) else 0)
