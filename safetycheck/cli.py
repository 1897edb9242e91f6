"""The command-line interface: one small function per command, errors mapped to exit codes."""

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from safetycheck import __version__
from safetycheck.console import print_error
from safetycheck.errors import ChecklistError, SafetycheckError
from safetycheck.messages import os_error, set_lang, t
from safetycheck.text import visible
from safetycheck.typerclick import ClickException, UsageError


def _listed(*names: str) -> str:
    """Choices as the interface language lists them: ``table、json`` or ``table, json``."""
    return t("sep.list").join(names)


def _choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    """Check an option value against its choices; a bad one is a usage error (exit 2)."""
    if value not in choices:
        print_error(t("cli.bad_choice", option=option, value=value, choices=_listed(*choices)))
        raise typer.Exit(2)
    return value


MODES = ("inspect", "self", "supervise")
BODY_TYPES = ("乡镇人民政府", "街道办事处", "开发区管委会", "县级部门", "村（社区）")  # as catalog.models.BODY_TYPES
REPORT_FORMATS = ("html", "md", "txt", "json", "docx", "xlsx", "csv")
FORM_FORMATS = ("html", "md", "txt", "csv", "docx")
DOCS = ("inspection-record", "rectification-order", "self-audit", "supervision", "supervision-feedback", "hazards",
        "results",
        "onsite-measures", "review-opinion", "acceptance", "supervision-review")


def _example(command: str) -> str:
    """The epilog of a command's help: one example, kept as written (Click's ``\\b`` mark)."""
    return f"{t('cli.example')}\n\n\b\n  {t('example.' + (command or 'safetycheck'))}"


def _complete_from(choices: tuple[str, ...]) -> Any:
    """A shell-completion callback offering the closed choices that start with what was typed."""
    def complete(incomplete: str) -> list[str]:
        return [c for c in choices if c.startswith(incomplete)]

    return complete


def _complete_industry(incomplete: str) -> list[str]:
    """The closed vocabulary of industries, for shell completion of ``--industry``."""
    from safetycheck.catalog.models import INDUSTRIES

    return [c for c in INDUSTRIES if c.startswith(incomplete)]


def _complete_checklist(ctx: Any, incomplete: str) -> list[str]:
    """Checklist and profile ids and aliases, for shell completion (from the catalog cache)."""
    try:
        from safetycheck.catalog.catalog import open_catalog

        catalog = open_catalog(ctx.params.get("checklists") or ())
        names = [name for e in catalog.checklists() for name in (e.id, *e.aliases)]
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        return []
    return [n for n in dict.fromkeys(names) if n.startswith(incomplete)]


def _choice_opt(name: str, choices: tuple[str, ...], help_text: str) -> Any:
    """An option with closed choices: they show in --help and complete in the shell."""
    return typer.Option(name, metavar="|".join(choices), help=help_text, autocompletion=_complete_from(choices))


def _fail(exc: SafetycheckError) -> typer.Exit:
    """Print a user error (one line per problem) and give the exit to raise."""
    if isinstance(exc, ChecklistError):
        from safetycheck.console import format_problem

        for problem in exc.problems:
            sys.stderr.write(format_problem(problem) + "\n")
    else:
        print_error(str(exc))
    return typer.Exit(exc.exit_code)


def _date_opt(option: str, value: str | None) -> Any:
    """A ``YYYY-MM-DD`` option, or a usage error (exit 2)."""
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        print_error(t("cli.bad_date", option=option, value=value))
        raise typer.Exit(2) from None


def _month_opt(value: str | None) -> str:
    """``--month YYYY-MM`` (required with ``--doc monthly``), or a usage error (exit 2)."""
    if value is None:
        print_error(t("cli.month_needed"))
        raise typer.Exit(2)
    from safetycheck.stats.monthly import month_bounds

    try:
        month_bounds(value)
    except ValueError:
        print_error(t("cli.bad_month", option="--month", value=value))
        raise typer.Exit(2) from None
    return value.strip()


def _catalog(checklists: list[Path] | None, strict: bool = False) -> Any:
    from safetycheck.catalog.catalog import open_catalog

    return open_catalog(checklists or (), strict=strict)


def _store_call(function: Any, *args: Any) -> int:
    """Run a store command; a user error is one line and its exit code."""
    try:
        return int(function(*args))
    except SafetycheckError as exc:
        raise _fail(exc) from None
    except Exception as exc:
        if not type(exc).__module__.startswith(("sqlite3", "psycopg")):
            raise
        from safetycheck.store.dialect import mask_error

        print_error(t("store.refused", error=mask_error(exc)))
        raise typer.Exit(1) from None


def _auto_sync(*paths: Path) -> None:
    """Sync the records a command wrote (``[store] auto_sync``); never fails the command."""
    from safetycheck.store.commands import auto_sync

    for path in paths:
        auto_sync(path)


def _store_allocator(config: Any) -> Any:
    """Numbers from the store: `[store] url` or `SAFETYCHECK_STORE`, else the embedded default (made on first use)."""
    from safetycheck.store.commands import StoreAllocator

    return StoreAllocator(config.store.url)


def build_app() -> typer.Typer:
    """Build the Typer app with help texts in the current language."""
    app = typer.Typer(
        name="safetycheck",
        help=t("cli.help"),
        no_args_is_help=True,
        add_completion=True,
        epilog=_example(""),
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
        lang: Annotated[str, _choice_opt("--lang", ("zh", "en"), t("cli.lang"))] = "zh",
    ) -> None:
        """Global options."""

    @app.command("list", help=t("cli.list_help"), epilog=_example("list"))
    def list_command(
        fmt: Annotated[str, _choice_opt("--format", ("table", "json"),
                                        t("cli.format", choices=_listed("table", "json")))] = "table",
        checklists: Annotated[list[Path] | None, checklists_opt] = None,
    ) -> None:
        _choice("--format", fmt, ("table", "json"))
        from safetycheck.catalog import listing

        catalog = _catalog(checklists)
        listing.print_list(catalog, fmt)
        if catalog.problems:
            from safetycheck.console import print_warning

            print_warning(t("catalog.broken", count=len({p.location.path for p in catalog.problems})))

    @app.command("show", help=t("cli.show_help"), epilog=_example("show"))
    def show_command(
        name: Annotated[str, typer.Argument(metavar="CHECKLIST", help=t("cli.name_arg"),
                                            autocompletion=_complete_checklist)],
        fmt: Annotated[str, _choice_opt("--format", ("tree", "json"),
                                        t("cli.format", choices=_listed("tree", "json")))] = "tree",
        checklists: Annotated[list[Path] | None, checklists_opt] = None,
    ) -> None:
        _choice("--format", fmt, ("tree", "json"))
        from safetycheck.catalog import listing

        try:
            catalog = _catalog(checklists)
            listing.print_show(catalog, catalog.resolve(name), fmt)
        except SafetycheckError as exc:
            raise _fail(exc) from None

    validate_formats = ("text", "json", "github", "sarif", "junit")

    @app.command("validate", help=t("cli.validate_help"), epilog=_example("validate"))
    def validate_command(
        paths: Annotated[list[Path] | None, typer.Argument(metavar="[PATH]...", help=t("cli.paths_arg"),
                                                           show_default=False)] = None,
        fmt: Annotated[str, _choice_opt("--format", validate_formats,
                                        t("cli.format", choices=_listed(*validate_formats)))] = "text",
        no_builtin: Annotated[bool, typer.Option("--no-builtin", help=t("cli.no_builtin"))] = False,
        checklists: Annotated[list[Path] | None, checklists_opt] = None,
    ) -> None:
        _choice("--format", fmt, validate_formats)
        from safetycheck.catalog import listing

        try:
            code = listing.validate(paths or [], checklists or [], fmt, builtin=not no_builtin)
        except SafetycheckError as exc:
            raise _fail(exc) from None
        raise typer.Exit(code)

    @app.command("schema", help=t("cli.schema_help"), epilog=_example("schema"))
    def schema_command(
        kind: Annotated[str, _choice_opt("--kind", ("checklist", "profile", "sources"),
                                         t("cli.schema_kind"))] = "checklist",
    ) -> None:
        _choice("--kind", kind, ("checklist", "profile", "sources"))
        from safetycheck.catalog.schema import json_schema

        sys.stdout.write(json_schema(kind) + "\n")

    # --- inspection commands: run, resume, config ---
    @app.command("run", help=t("cli.run_help"), epilog=_example("run"))
    def run_command(
        names: Annotated[list[str], typer.Argument(metavar="CHECKLIST...", help=t("cli.checklists_arg"),
                                                   autocompletion=_complete_checklist)],
        mode: Annotated[str | None, _choice_opt("--mode", MODES, t("cli.mode_opt"))] = None,
        unit: Annotated[str | None, typer.Option("--unit", metavar="NAME", help=t("cli.unit_opt"))] = None,
        address: Annotated[str | None, typer.Option("--address", metavar="TEXT", help=t("cli.address_opt"))] = None,
        principal: Annotated[str | None, typer.Option("--principal", metavar="NAME",
                                                      help=t("cli.principal_opt"))] = None,
        phone: Annotated[str | None, typer.Option("--phone", metavar="PHONE", help=t("cli.phone_opt"))] = None,
        industry: Annotated[list[str] | None, typer.Option("--industry", metavar="INDUSTRY", help=t("cli.industry_opt"),
                                                           autocompletion=_complete_industry)] = None,
        body_type: Annotated[str | None, typer.Option("--body-type", metavar="KIND", help=t("cli.body_type_opt"),
                                                      autocompletion=_complete_from(BODY_TYPES))] = None,
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
            _choice("--mode", mode, MODES)
        from safetycheck.console import make_console
        from safetycheck.inspection import walk as inspection

        opts = inspection.RunOptions(
            names=names, mode=mode, unit=unit, address=address, principal=principal, phone=phone,
            industry=industry or [], body_type=body_type, site=site, purpose=purpose, inspectors=inspector or [],
            out=out,
            answers=answers, tags=tag or [], checklist_dirs=checklists or [])
        try:
            from safetycheck.lifecycle.amend import keeper

            written: list[Path] = []
            code = inspection.run(opts, make_console(), keeper=keeper, written=written)
        except SafetycheckError as exc:
            raise _fail(exc) from None
        _auto_sync(*written)
        raise typer.Exit(code)

    @app.command("resume", help=t("cli.resume_help"), epilog=_example("resume"))
    def resume_command(
        record: Annotated[Path, typer.Argument(metavar="RECORD", help=t("cli.record_arg"))],
        reopen: Annotated[bool, typer.Option("--reopen", help=t("cli.reopen_opt"))] = False,
    ) -> None:
        from safetycheck.console import make_console
        from safetycheck.inspection import walk as inspection

        try:
            from safetycheck.lifecycle.amend import keeper

            code = inspection.resume(record, reopen, make_console(), keeper=keeper)
        except SafetycheckError as exc:
            raise _fail(exc) from None
        _auto_sync(record)
        raise typer.Exit(code)

    @app.command("review", help=t("cli.review_help"))
    def review_command(
        record: Annotated[Path, typer.Argument(metavar="RECORD", help=t("cli.record_arg"))],
        inspector: Annotated[list[str] | None, typer.Option("--inspector", metavar="NAME[:CERT[:ORG]]",
                                                            help=t("cli.review_inspector"))] = None,
        answers: Annotated[str | None, typer.Option("--answers", metavar="FILE|-",
                                                    help=t("cli.review_answers"))] = None,
        date: Annotated[str | None, typer.Option("--date", metavar="DATE", help=t("cli.review_date"))] = None,
    ) -> None:
        from safetycheck.console import make_console
        from safetycheck.lifecycle.reviewwalk import review_command as review

        try:
            code = review(record, inspector or [], answers, date, make_console())
        except SafetycheckError as exc:
            raise _fail(exc) from None
        raise typer.Exit(code)

    config_app = typer.Typer(help=t("cli.config_help"), no_args_is_help=True, rich_markup_mode=None,
                             epilog=_example("config"))
    app.add_typer(config_app, name="config")

    @config_app.command("init", help=t("cli.config_init_help"), epilog=_example("config init"))
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
        sys.stderr.write(visible(t("config.written", path=target), one_line=True) + "\n")

    @config_app.command("show", help=t("cli.config_show_help"), epilog=_example("config show"))
    def config_show_command() -> None:
        from safetycheck.inspection import config

        try:
            sys.stdout.write(config.describe(config.load_config()))
        except SafetycheckError as exc:
            raise _fail(exc) from None


    # --- lifecycle commands: verify, hazards ---
    @app.command("verify", help=t("cli.verify_help"))
    def verify_command(
        records: Annotated[list[Path], typer.Argument(metavar="RECORD...", help=t("cli.records_arg"))],
        fmt: Annotated[str, typer.Option("--format", help=t("cli.verify_format", choices="text, json"))] = "text",
        strict: Annotated[bool, typer.Option("--strict", help=t("cli.verify_strict"))] = False,
    ) -> None:
        _choice("--format", fmt, ("text", "json"))
        from safetycheck.store.commands import verify_with_store

        raise typer.Exit(verify_with_store(records, fmt, strict))

    hazards_app = typer.Typer(help=t("cli.hazards_help"), no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(hazards_app, name="hazards")

    def _opt(name: str, metavar: str, help_id: str) -> Any:
        return typer.Option(name, metavar=metavar, help=t(help_id), show_default=False)

    @hazards_app.command("update", help=t("cli.hazards_update_help"))
    def hazards_update_command(
        record: Annotated[Path, typer.Argument(metavar="RECORD", help=t("cli.record_arg"))],
        ids: Annotated[list[str], typer.Argument(metavar="ID...", help=t("cli.hazard_ids"))],
        rectified: Annotated[str | None, _opt("--rectified", "DATE|today", "cli.h_rectified")] = None,
        note: Annotated[str | None, _opt("--note", "TEXT", "cli.h_note")] = None,
        evidence: Annotated[list[str] | None, _opt("--evidence", "FILE", "cli.h_evidence")] = None,
        funds: Annotated[str | None, _opt("--funds", "YUAN", "cli.h_funds")] = None,
        plan: Annotated[str | None, _opt("--plan", "FILE", "cli.h_plan")] = None,
        reported_regulator: Annotated[str | None, _opt("--reported-regulator", "DATE",
                                                       "cli.h_reported_regulator")] = None,
        regulator: Annotated[str | None, _opt("--regulator", "ORG", "cli.h_regulator")] = None,
        reported_workers: Annotated[str | None, _opt("--reported-workers", "DATE", "cli.h_reported_workers")] = None,
        listed_by: Annotated[str | None, _opt("--listed-by", "ORG", "cli.h_listed_by")] = None,
        listed_number: Annotated[str | None, _opt("--listed-number", "NO", "cli.h_listed_number")] = None,
        listed_date: Annotated[str | None, _opt("--listed-date", "DATE", "cli.h_listed_date")] = None,
        closed_by: Annotated[str | None, _opt("--closed-by", "ORG", "cli.h_closed_by")] = None,
        closed: Annotated[str | None, _opt("--closed", "DATE", "cli.h_closed")] = None,
        by: Annotated[str | None, _opt("--by", "NAME", "cli.h_by")] = None,
    ) -> None:
        from safetycheck.lifecycle.hazards import Update
        from safetycheck.lifecycle.updates import update_hazards

        update = Update(rectified, note, evidence or [], funds, plan, reported_regulator, regulator, reported_workers,
                        listed_by, listed_number, listed_date, closed_by, closed, by)
        try:
            lines = update_hazards(record, ids, update)
        except SafetycheckError as exc:
            raise _fail(exc) from None
        sys.stderr.write("".join(line + "\n" for line in lines))
        _auto_sync(record)

    @hazards_app.command("show", help=t("cli.hazards_show_help"))
    def hazards_show_command(
        record: Annotated[Path, typer.Argument(metavar="RECORD", help=t("cli.record_arg"))],
        ident: Annotated[str, typer.Argument(metavar="ID", help=t("cli.hazard_ids"))],
        fmt: Annotated[str, typer.Option("--format", help=t("cli.verify_format", choices="text, json"))] = "text",
    ) -> None:
        _choice("--format", fmt, ("text", "json"))
        from safetycheck.lifecycle.updates import show_hazard

        try:
            show_hazard(record, ident, fmt)
        except SafetycheckError as exc:
            raise _fail(exc) from None

    @hazards_app.command("list", help=t("cli.hazards_list_help"))
    def hazards_list_command(
        paths: Annotated[list[Path] | None, typer.Argument(metavar="[PATH]...", help=t("cli.h_paths"),
                                                           show_default=False)] = None,
        status: Annotated[str, typer.Option("--status", help=t(
            "cli.h_status", choices="open, rectified, closed, overdue, not-closed, all"))] = "not-closed",
        level: Annotated[str | None, _opt("--level", "general|major", "cli.h_level")] = None,
        kind: Annotated[str | None, _opt("--kind", "hazard|problem", "cli.h_kind")] = None,
        unit: Annotated[str | None, _opt("--unit", "TEXT", "cli.h_unit")] = None,
        due_within: Annotated[int | None, _opt("--due-within", "DAYS", "cli.h_due_within")] = None,
        fmt: Annotated[str, typer.Option("--format", metavar="table|json|csv|xlsx", help=t(
            "cli.format", choices="table, json, csv, xlsx"))] = "table",
        out: Annotated[Path | None, typer.Option("-o", "--out", metavar="FILE", help=t("cli.h_out"),
                                                 show_default=False)] = None,
        fail_on: Annotated[str | None, _opt("--fail-on", "major|overdue|any", "cli.fail_on")] = None,
        store: Annotated[bool, typer.Option("--store", help=t("cli.h_store"))] = False,
    ) -> None:
        from safetycheck.lifecycle.gate import GATES
        from safetycheck.lifecycle.hazards import FILTERS

        if fail_on is not None:
            _choice("--fail-on", fail_on, GATES)

        _choice("--status", status, FILTERS)
        _choice("--format", fmt, ("table", "json", "csv", "xlsx"))
        if level is not None:
            _choice("--level", level, ("general", "major"))
        if kind is not None:
            _choice("--kind", kind, ("hazard", "problem"))
        if due_within is not None and due_within < 0:
            print_error(t("cli.bad_days", option="--due-within", value=due_within))
            raise typer.Exit(2)
        if store and (fmt == "xlsx" or out is not None):
            print_error(t("ledger.store_file"))
            raise typer.Exit(2)
        if store:
            from safetycheck.store.commands import hazards_from_store

            raise typer.Exit(_store_call(hazards_from_store, status, level, unit, due_within, fmt))
        from safetycheck.lifecycle.ledger import build_ledger, print_ledger

        if fmt == "xlsx" or out is not None:
            from safetycheck.office.report import ledger_format, write_ledger

            try:
                fmt = ledger_format(fmt, out)
                ledger = build_ledger(paths or [], status, level, unit, due_within, kind=kind)
                raise typer.Exit(write_ledger(ledger, fmt, out, fail_on))
            except SafetycheckError as exc:
                raise _fail(exc) from None
        raise typer.Exit(print_ledger(build_ledger(paths or [], status, level, unit, due_within, kind=kind), fmt,
                                       fail_on))

    # --- statistics ---
    def _store_with_paths(paths: list[Path] | None) -> None:
        if paths:
            print_error(t("cli.stats_store_paths"))
            raise typer.Exit(2)

    def _store_figure_rows(selection: Any) -> Any:
        """The store's sums for ``stats --store`` (the store hands plain rows to the statistics)."""
        from safetycheck.store.statsrows import Filters, from_configured_store

        filters = Filters(selection.day, selection.start, selection.mode, selection.unit)
        return lambda groupings, months, gate: from_configured_store(filters, groupings, months=months, standing=gate)

    def _store_monthly_source() -> Any:
        """The store's sums and hazard rows for the monthly report, by the report's selections."""
        from safetycheck.stats.monthly import StoreSource
        from safetycheck.store.statsrows import Filters, from_configured_store

        def filters(s: Any) -> Filters:
            return Filters(s.day, s.start, s.mode, s.unit)

        return StoreSource(
            lambda s, groupings: from_configured_store(filters(s), groupings),
            lambda s, major, overdue: from_configured_store(filters(s), hazards={"major_only": major,
                                                                                 "overdue_only": overdue}))

    @app.command("stats", help=t("cli.stats_help"))
    def stats_command(
        paths: Annotated[list[Path] | None, typer.Argument(metavar="[PATH]...", help=t("cli.h_paths"),
                                                           show_default=False)] = None,
        start: Annotated[str | None, _opt("--from", "DATE", "cli.stats_from")] = None,
        end: Annotated[str | None, _opt("--to", "DATE", "cli.stats_to")] = None,
        mode: Annotated[str | None, typer.Option("--mode", metavar="|".join(MODES), show_default=False,
                                                 help=t("cli.stats_mode", choices=_listed(*MODES)))] = None,
        unit: Annotated[str | None, _opt("--unit", "TEXT", "cli.h_unit")] = None,
        by: Annotated[str | None, typer.Option("--by", metavar="unit|checklist|item|level|month|inspector|industry",
                                               show_default=False, help=t("cli.stats_by", choices=_listed(
                                                   "unit", "checklist", "item", "level", "month", "inspector",
                                                   "industry")))] = None,
        fmt: Annotated[str | None, typer.Option("--format", metavar="table|json|csv|xlsx|html|md|docx",
                                                show_default=False, help=t("cli.stats_format"))] = None,
        out: Annotated[Path | None, typer.Option("-o", "--out", metavar="FILE", help=t("cli.stats_out"),
                                                 show_default=False)] = None,
        fail_on: Annotated[str | None, _opt("--fail-on", "major|overdue|any", "cli.fail_on")] = None,
        store: Annotated[bool, typer.Option("--store", help=t("cli.stats_store"))] = False,
        doc: Annotated[str | None, _opt("--doc", "monthly", "cli.stats_doc")] = None,
        month: Annotated[str | None, _opt("--month", "YYYY-MM", "cli.stats_month")] = None,
    ) -> None:
        from safetycheck.lifecycle.gate import GATES
        from safetycheck.stats.command import DOC_FORMATS, FORMATS, StatsRequest, run_monthly, run_stats
        from safetycheck.stats.facts import Selection
        from safetycheck.stats.figures import GROUPINGS

        if doc is not None:
            _choice("--doc", doc, ("monthly",))
            fmt = _choice("--format", fmt or "md", DOC_FORMATS)
            if fail_on is not None:
                print_error(t("cli.fail_on_doc"))
                raise typer.Exit(2)
            month_text = _month_opt(month)
            if fmt == "docx" and out is None:
                print_error(t("cli.needs_out", fmt=fmt))
                raise typer.Exit(2)
            if store:
                _store_with_paths(paths)
                raise typer.Exit(_store_call(run_monthly, [], month_text, unit, fmt, out, _store_monthly_source()))
            try:
                raise typer.Exit(run_monthly(paths or [], month_text, unit, fmt, out))
            except SafetycheckError as exc:
                raise _fail(exc) from None
        fmt = _choice("--format", fmt or "table", FORMATS)
        if mode is not None:
            _choice("--mode", mode, MODES)
        if by is not None:
            _choice("--by", by, GROUPINGS)
        if fail_on is not None:
            _choice("--fail-on", fail_on, GATES)
        selection = Selection(_date_opt("--from", start), _date_opt("--to", end), mode, unit)
        if fmt == "xlsx" and out is None:
            print_error(t("cli.needs_out", fmt=fmt))
            raise typer.Exit(2)
        request = StatsRequest(paths or [], selection, by, fmt, out, fail_on)
        if store:
            _store_with_paths(paths)
            request.store_rows = _store_figure_rows(selection)
            raise typer.Exit(_store_call(run_stats, request))
        try:
            code = run_stats(request)
        except SafetycheckError as exc:
            raise _fail(exc) from None
        raise typer.Exit(code)

    # --- document commands: report, form, templates ---
    templates_opt = typer.Option("--templates", metavar="DIR", help=t("cli.templates_opt"), show_default=False)

    @app.command("report", help=t("cli.report_help"), epilog=_example("report"))
    def report_command(
        records: Annotated[list[Path], typer.Argument(metavar="RECORD...", help=t("cli.records_arg"))],
        doc: Annotated[list[str] | None, typer.Option("--doc", metavar="NAME", show_default=False, help=t(
            "cli.report_doc", docs=_listed(*DOCS)), autocompletion=_complete_from(DOCS))] = None,
        fmt: Annotated[str | None, _choice_opt("--format", REPORT_FORMATS,
                                               t("cli.report_format", choices=_listed(*REPORT_FORMATS)))] = None,
        out: Annotated[Path | None, typer.Option("-o", "--out", metavar="PATH", help=t("cli.report_out"))] = None,
        templates: Annotated[list[Path] | None, templates_opt] = None,
        issue: Annotated[bool, typer.Option("--issue", help=t("cli.issue_opt"))] = False,
        reissue: Annotated[bool, typer.Option("--reissue", help=t("cli.reissue_opt"))] = False,
        served: Annotated[str | None, typer.Option("--served", metavar="DATE", help=t("cli.served_opt"))] = None,
        served_how: Annotated[str | None, typer.Option("--served-how", metavar="HOW", help=t(
            "cli.served_how_opt", choices="直接送达, 留置送达, 邮寄送达, 电子送达"))] = None,
        full: Annotated[bool, typer.Option("--full", help=t("cli.report_full"))] = False,
        review: Annotated[str | None, typer.Option("--review", metavar="ID", help=t("cli.report_review"))] = None,
    ) -> None:
        if fmt is not None:
            _choice("--format", fmt, REPORT_FORMATS)
        from safetycheck.documents.report import run_report
        from safetycheck.office.report import check_extension, check_format, office_format, run_office_report

        try:
            office = office_format(fmt, out)
            if office is not None:
                run_office_report(records, doc or [], office, out, templates or [], full, issue, reissue, served,
                                  served_how, review, allocator=_store_allocator)
                return
            if fmt is None:
                check_extension(out, len(records) == 1 and len(set(doc or [])) <= 1)
            for name in doc or []:
                if name == "results":
                    check_format(name, fmt or "md")
            run_report(records, doc or [], fmt, out, templates or [], issue, reissue, served, served_how, review,
                       full, allocator=_store_allocator)
        except SafetycheckError as exc:
            raise _fail(exc) from None
        if issue or reissue or served is not None:
            _auto_sync(*records)

    @app.command("form", help=t("cli.form_help"), epilog=_example("form"))
    def form_command(
        names: Annotated[list[str] | None, typer.Argument(
            metavar="[CHECKLIST]...", help=t("cli.form_names"), show_default=False,
            autocompletion=_complete_checklist)] = None,
        every: Annotated[bool, typer.Option("--all", help=t("cli.form_all"))] = False,
        no_builtin: Annotated[bool, typer.Option("--no-builtin", help=t("cli.no_builtin"))] = False,
        fmt: Annotated[str | None, _choice_opt("--format", FORM_FORMATS,
                                               t("cli.report_format", choices=_listed(*FORM_FORMATS)))] = None,
        out: Annotated[Path | None, typer.Option("-o", "--out", metavar="FILE|DIR", help=t("cli.form_out"))] = None,
        date: Annotated[str | None, typer.Option("--date", metavar="DATE", help=t("cli.form_date"))] = None,
        tag: Annotated[list[str] | None, typer.Option("--tag", metavar="TAG", help=t("cli.form_tag"),
                                                      show_default=False)] = None,
        templates: Annotated[list[Path] | None, templates_opt] = None,
        checklists: Annotated[list[Path] | None, checklists_opt] = None,
    ) -> None:
        if fmt is not None:
            _choice("--format", fmt, FORM_FORMATS)
        from safetycheck.documents.forms import FormRequest, run_form

        try:
            request = FormRequest(names or [], every, fmt, out, date, tag or [], templates or [], checklists or [],
                                  builtin=not no_builtin)
            by_name = fmt is None and out is not None and not out.is_dir() and out.suffix.lower() == ".docx"
            if fmt == "docx" or by_name:
                from safetycheck.office.report import run_office_form

                run_office_form(request)
                return
            run_form(request)
        except SafetycheckError as exc:
            raise _fail(exc) from None

    templates_app = typer.Typer(help=t("cli.templates_help"), no_args_is_help=True, rich_markup_mode=None,
                                epilog=_example("templates"))
    app.add_typer(templates_app, name="templates")

    @templates_app.command("export", help=t("cli.templates_export_help"), epilog=_example("templates export"))
    def templates_export_command(
        dest: Annotated[Path, typer.Argument(metavar="DIR", help=t("cli.export_dir"))],
        force: Annotated[bool, typer.Option("--force", help=t("cli.force"))] = False,
    ) -> None:
        from safetycheck.documents.report import export_templates

        try:
            written = export_templates(dest, force)
        except SafetycheckError as exc:
            raise _fail(exc) from None
        sys.stderr.write(visible(t("template.exported", count=len(written), path=dest), one_line=True) + "\n")


    # --- coverage ---

    # --- store commands: store, sync, records ---
    store_app = typer.Typer(help=t("cli.store_help"), no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(store_app, name="store")

    @store_app.command("init", help=t("cli.store_init_help"))
    def store_init_command() -> None:
        from safetycheck.store.commands import store_init

        raise typer.Exit(_store_call(store_init))

    @store_app.command("upgrade", help=t("cli.store_upgrade_help"))
    def store_upgrade_command() -> None:
        from safetycheck.store.commands import store_upgrade

        raise typer.Exit(_store_call(store_upgrade))

    @store_app.command("status", help=t("cli.store_status_help"))
    def store_status_command(
        fmt: Annotated[str, typer.Option("--format", help=t("cli.verify_format", choices="text, json"))] = "text",
    ) -> None:
        _choice("--format", fmt, ("text", "json"))
        from safetycheck.store.commands import store_status

        raise typer.Exit(_store_call(store_status, fmt))

    @app.command("sync", help=t("cli.sync_help"))
    def sync_command(
        paths: Annotated[list[Path] | None, typer.Argument(metavar="[PATH]...", help=t("cli.h_paths"),
                                                           show_default=False)] = None,
    ) -> None:
        from safetycheck.store.commands import sync_command as sync

        raise typer.Exit(_store_call(sync, paths or []))

    records_app = typer.Typer(help=t("cli.records_help"), invoke_without_command=True, rich_markup_mode=None)
    app.add_typer(records_app, name="records")

    @records_app.callback()
    def records_command(
        ctx: typer.Context,
        unit: Annotated[str | None, _opt("--unit", "TEXT", "cli.h_unit")] = None,
        since: Annotated[str | None, _opt("--from", "DATE", "cli.r_from")] = None,
        until: Annotated[str | None, _opt("--to", "DATE", "cli.r_to")] = None,
        mode: Annotated[str | None, _choice_opt("--mode", MODES, t("cli.mode_opt"))] = None,
        checklist: Annotated[str | None, _opt("--checklist", "ID", "cli.r_checklist")] = None,
        status: Annotated[str | None, _opt("--status", "S", "cli.r_status")] = None,
        inspector: Annotated[str | None, _opt("--inspector", "NAME", "cli.r_inspector")] = None,
        flagged: Annotated[bool, typer.Option("--flagged", help=t("cli.r_flagged"))] = False,
        fmt: Annotated[str, typer.Option("--format", help=t("cli.format", choices="table, json, csv"))] = "table",
    ) -> None:
        if ctx.invoked_subcommand is not None:
            return
        _choice("--format", fmt, ("table", "json", "csv"))
        if mode is not None:
            _choice("--mode", mode, MODES)
        if status is not None:
            _choice("--status", status, ("in-progress", "complete"))
        from safetycheck.store.commands import records_command as records

        filters = {"unit": unit, "since": since, "until": until, "mode": mode, "checklist": checklist,
                   "status": status, "inspector": inspector, "flagged": flagged}
        raise typer.Exit(_store_call(records, filters, fmt))

    @records_app.command("get", help=t("cli.records_get_help"))
    def records_get_command(
        ident: Annotated[str, typer.Argument(metavar="ID")],
        out: Annotated[Path, typer.Option("-o", "--out", metavar="FILE", help=t("cli.out_opt"))],
    ) -> None:
        from safetycheck.store.commands import records_get

        raise typer.Exit(_store_call(records_get, ident, out))

    numbers_app = typer.Typer(help=t("cli.numbers_help"), no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(numbers_app, name="numbers")

    @numbers_app.command("reserve", help=t("cli.numbers_reserve_help"))
    def numbers_reserve_command(
        code: Annotated[str, typer.Option("--code", metavar="CODE", help=t("cli.n_code"))],
        count: Annotated[int, typer.Option("--count", metavar="N", help=t("cli.n_count"))],
        year: Annotated[int | None, _opt("--year", "YYYY", "cli.n_year")] = None,
    ) -> None:
        from safetycheck.documents.numbering import CODES
        from safetycheck.store.commands import numbers_reserve

        _choice("--code", code, tuple(CODES.values()))
        raise typer.Exit(_store_call(numbers_reserve, code, count, year))

    @numbers_app.command("status", help=t("cli.numbers_status_help"))
    def numbers_status_command(
        fmt: Annotated[str, typer.Option("--format", help=t("cli.verify_format", choices="text, json"))] = "text",
    ) -> None:
        _choice("--format", fmt, ("text", "json"))
        from safetycheck.store.commands import numbers_status

        raise typer.Exit(_store_call(numbers_status, fmt))

    @app.command("coverage", help=t("cli.coverage_help"), epilog=_example("coverage"))
    def coverage_command(
        fmt: Annotated[str, _choice_opt("--format", ("table", "md", "json"),
                                        t("cli.format", choices=_listed("table", "md", "json")))] = "table",
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
    print_error(t("cli.bad_choice", option=source, value=value, choices=_listed("zh", "en")))
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
    from safetycheck.console import fit_streams

    fit_streams()
    env_lang = os.environ.get("SAFETYCHECK_LANG", "")
    if env_lang:
        _set_lang_or_exit(env_lang, "SAFETYCHECK_LANG")
    args = _take_lang(sys.argv[1:])
    from safetycheck.parserzh import localise_parser, translate_error

    localise_parser()
    cli = typer.main.get_command(build_app())
    _own_completion_options(cli)
    try:
        code = cli.main(args=args, prog_name="safetycheck", standalone_mode=False)
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
    except OSError as exc:
        if exc.filename is None:  # not about a file the user named: a bug, keep the traceback
            raise
        print_error(t("os.path", path=exc.filename, error=os_error(exc)))
        raise SystemExit(1) from None
    raise SystemExit(code if isinstance(code, int) else 0)


def _own_completion_options(command: Any) -> None:
    """Typer's ``--install-completion`` / ``--show-completion``, speaking the interface language."""
    for param in command.params:
        if param.name == "install_completion":
            param.help, param.callback = t("cli.install_completion"), _completion_callback(install=True)
        elif param.name == "show_completion":
            param.help, param.callback = t("cli.show_completion"), _completion_callback(install=False)


def _completion_callback(install: bool) -> Any:
    def callback(ctx: Any, param: Any, value: Any) -> Any:
        if not value or ctx.resilient_parsing:
            return value
        from safetycheck.typerclick import COMPLETION_SHELLS, completion_script, detect_shell, install_completion

        shell = detect_shell() or Path(os.environ.get("SHELL", "")).name
        if shell not in COMPLETION_SHELLS:
            print_error(t("cli.completion_shell", shell=shell))
            raise typer.Exit(1)
        if install:
            path = install_completion(shell, "safetycheck")
            sys.stderr.write(t("cli.completion_installed", shell=shell, path=path) + "\n")
        else:
            sys.stdout.write(completion_script(shell, "safetycheck") + "\n")
        raise typer.Exit(0)

    return callback
