"""The run and resume commands: choose checklists, ask about the unit, walk, save, summarise.

Why a module of its own: ``cli.py`` keeps each command to a few lines, and ``session.py``
must never touch the terminal; this is the glue between them and the record file.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from safetycheck.catalog import models
from safetycheck.errors import RecordError, SafetycheckError, UsageError
from safetycheck.inspection import recordmodels, records, session
from safetycheck.inspection.options import RunOptions
from safetycheck.messages import get_lang, t
from safetycheck.text import visible

if TYPE_CHECKING:
    from rich.console import Console

    from safetycheck.catalog.catalog import Catalog


Keeper = Callable[[recordmodels.InspectionRecord, Callable[[], dt.datetime]],
                  Callable[[recordmodels.InspectionRecord], None]]
"""Given the record and the clock, what to call before each save (the lifecycle's seal and events)."""


def now() -> dt.datetime:
    """The default clock: local time with its UTC offset, to the second."""
    return dt.datetime.now().astimezone().replace(microsecond=0)


# --- option parsing -----------------------------------------------------------------------


def parse_inspector(value: str) -> recordmodels.Person:
    """``NAME[:CERT[:ORG]]`` (a full-width colon also separates).

    Raises:
        UsageError: no name.
    """
    parts = [p.strip() for p in value.replace("：", ":").split(":", 2)]
    if not parts[0]:
        raise UsageError(t("run.bad_inspector", value=value))
    return recordmodels.Person(name=parts[0], cert=(parts[1] or None) if len(parts) > 1 else None,
                         org=(parts[2] or None) if len(parts) > 2 else None)


def parse_industries(values: list[str]) -> list[str]:
    """Industry names (or their 1-based numbers), checked against the closed vocabulary.

    Raises:
        UsageError: an unknown industry.
    """
    out: list[str] = []
    for raw in values:
        for value in raw.replace("，", ",").replace("、", ",").split(","):
            value = value.strip()
            if not value:
                continue
            if value.isdigit() and 1 <= int(value) <= len(models.INDUSTRIES):
                value = models.INDUSTRIES[int(value) - 1]
            if value not in models.INDUSTRIES:
                raise UsageError(t("run.bad_industry", value=value, choices=t("sep.list").join(models.INDUSTRIES)))
            if value not in out:
                out.append(value)
    return out


# --- checklists ---------------------------------------------------------------------------


def snapshots(catalog: Catalog, names: list[str], tags: list[str]) -> list[recordmodels.Snapshot]:
    """Resolve names (checklists or profiles) into snapshots, each checklist once.

    Raises:
        UsageError: unknown or ambiguous name, or nothing left to check.
    """
    from safetycheck.catalog.catalog import display_path

    chosen: dict[str, tuple[Any, set[str] | None]] = {}
    for name in names:
        for loaded, excluded in catalog.expand(catalog.resolve(name)):
            prev = chosen.get(loaded.id)
            # Named twice (e.g. directly and by a profile): an item excluded by one is kept by the other.
            keep = set(excluded) if prev is None or prev[1] is None else prev[1] & excluded
            chosen[loaded.id] = (loaded, keep)
    snaps = [session.snapshot(loaded.model, loaded.sha256, display_path(loaded.path), excluded or set(), tags,
                              catalog.registry.major_industries)
             for loaded, excluded in chosen.values()]
    snaps = [s for s in snaps if s.items]
    if not snaps:
        raise UsageError(t("run.no_items", tags=", ".join(tags)))
    return snaps


# --- asking about the unit and the inspectors ---------------------------------------------


def ask_mode(prompter: Any) -> models.Mode:
    """Ask inspect / self / supervise."""
    while True:
        answer = str(prompter.ask_text(t("ask.mode"), None)).strip().lower()
        pick = {"1": "inspect", "2": "self", "3": "supervise"}.get(answer, answer)
        if pick in models.MODES:
            return cast(models.Mode, pick)
        prompter.warn(t("ask.mode_choices"))


def parse_body_type(value: str) -> str:
    """A kind of government body, by name or 1-based number, checked against the closed vocabulary.

    Raises:
        UsageError: not one of the kinds.
    """
    value = value.strip()
    if value.isdigit() and 1 <= int(value) <= len(models.BODY_TYPES):
        return models.BODY_TYPES[int(value) - 1]
    if value not in models.BODY_TYPES:
        raise UsageError(t("run.bad_body_type", value=value, choices=t("sep.list").join(models.BODY_TYPES)))
    return value


def ask_unit(prompter: Any, opts: RunOptions, mode: str) -> recordmodels.Unit:
    """Ask what the options did not give; only the name is required.

    A government body supervised is asked for its kind (not industries), its 主要负责人 and
    its 联系人 (not a 法定代表人 and an on-site representative).
    """
    supervised = mode == "supervise"
    prompter.info(t("ask.skip_hint"))
    name = (opts.unit or "").strip()
    while not name:
        name = prompter.ask_text(t("ask.body_name" if supervised else "ask.unit_name"), None).strip()
        if not name:
            prompter.warn(t("ask.unit_name_required"))

    def ask(value: str | None, question: str) -> str | None:
        if value:
            return value
        return prompter.ask_text(t(question), None).strip() or None

    address = ask(opts.address, "ask.address")
    principal = ask(opts.principal, "ask.body_principal" if supervised else "ask.principal")
    phone = ask(opts.phone, "ask.phone")
    industry = list(opts.industry)
    body_type = opts.body_type
    if supervised and not body_type:
        prompter.info(t("ask.body_types", choices="  ".join(f"{i} {n}" for i, n in enumerate(models.BODY_TYPES, 1))))
        while True:
            answer = prompter.ask_text(t("ask.body_type"), None).strip()
            try:
                body_type = parse_body_type(answer) if answer else None
                break
            except UsageError as exc:
                prompter.warn(exc.message)
    if not industry and not supervised:
        prompter.info(t("ask.industries", choices="  ".join(f"{i} {n}" for i, n in enumerate(models.INDUSTRIES, 1))))
        while True:
            try:
                industry = parse_industries([prompter.ask_text(t("ask.industry"), None)])
                break
            except UsageError as exc:
                prompter.warn(exc.message)
    site = opts.site if supervised else ask(opts.site, "ask.site")
    purpose = ask(opts.purpose, "ask.purpose_supervise" if supervised else "ask.purpose")
    representative = witness = None
    if mode != "self":
        prefix = "ask.contact" if supervised else "ask.rep"
        rep_name = ask(None, f"{prefix}_name")
        if rep_name:
            representative = recordmodels.Person(name=rep_name, post=ask(None, f"{prefix}_post"),
                                                 phone=ask(None, f"{prefix}_phone"))
    if mode == "inspect":
        witness_name = ask(None, "ask.witness")
        witness = recordmodels.Person(name=witness_name) if witness_name else None
    return recordmodels.Unit(name=name, address=address, principal=principal, phone=phone, industry=industry,
                             body_type=cast(models.BodyType | None, body_type), site=site, purpose=purpose,
                             representative=representative, witness=witness)


def ask_inspectors(prompter: Any, given: list[recordmodels.Person], mode: str) -> list[recordmodels.Person]:
    """Inspectors for ``inspect`` (one with a certificate at least), self-auditors for ``self``,
    supervisors for ``supervise`` (one at least, each named; Enter after the first ends the list)."""
    people = list(given)
    if mode == "self":
        if not people:
            name = ""
            while not name:
                name = prompter.ask_text(t("ask.auditor_name"), None).strip()
            people = [recordmodels.Person(name=name)]
        for i, person in enumerate(people):
            if not person.post:
                post = prompter.ask_text(t("ask.auditor_post"), None).strip() or None
                people[i] = recordmodels.Person(name=person.name, post=post, cert=person.cert, org=person.org)
        return people
    if mode == "supervise":
        if people:
            return people
        while True:
            name = prompter.ask_text(t("ask.supervisor_name" if people else "ask.supervisor_first"), None).strip()
            if not name:
                if people:
                    return people
                prompter.warn(t("run.supervisor_needed"))
                continue
            org = prompter.ask_text(t("ask.inspector_org"), None).strip() or None
            people.append(recordmodels.Person(name=name, org=org))
    while not any(p.cert for p in people) or (len(people) < 2 and not given):
        name = prompter.ask_text(t("ask.inspector_name"), None).strip()
        if not name:
            if any(p.cert for p in people):
                break
            prompter.warn(t("run.cert_needed_now"))
            continue
        cert = prompter.ask_text(t("ask.inspector_cert"), None).strip() or None
        org = prompter.ask_text(t("ask.inspector_org"), None).strip() or None
        people.append(recordmodels.Person(name=name, cert=cert, org=org))
    if len(people) < 2:
        prompter.warn(t("run.fewer_than_two", count=len(people)))
    return people


def given_inspectors(opts: RunOptions) -> list[recordmodels.Person]:
    """``--inspector`` values, else the inspectors of the settings files."""
    if opts.inspectors:
        return [parse_inspector(v) for v in opts.inspectors]
    from safetycheck.inspection.config import load_config

    return list(load_config().inspectors)


# --- signals: Ctrl-C, a closed terminal ---------------------------------------------------


class _Signals:
    """Turn SIGINT, SIGHUP and SIGTERM into KeyboardInterrupt, but never in the middle of a save."""

    def __init__(self) -> None:
        self.saving = False
        self.pending: int | None = None
        self.hung_up = False

    def handler(self, signum: int, frame: Any) -> None:
        if signum != signal.SIGINT:
            self.hung_up = True
        if self.saving:
            self.pending = signum
            return
        raise KeyboardInterrupt

    @contextmanager
    def installed(self) -> Iterator[None]:
        names = ("SIGINT", "SIGHUP", "SIGTERM")
        old = {n: signal.getsignal(getattr(signal, n)) for n in names if hasattr(signal, n)}
        for n in old:
            signal.signal(getattr(signal, n), self.handler)
        try:
            yield
        finally:
            for n, h in old.items():
                signal.signal(getattr(signal, n), h)

    def guarded(self, save: Callable[[recordmodels.InspectionRecord],
                                     None]) -> Callable[[recordmodels.InspectionRecord], None]:
        def run(record: recordmodels.InspectionRecord) -> None:
            self.saving = True
            try:
                save(record)
            finally:
                self.saving = False
            if self.pending is not None:
                self.pending = None
                raise KeyboardInterrupt
        return run


def _silence_terminal() -> None:
    """After a hang-up, writing to the terminal fails: send later output nowhere."""
    devnull = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 - lives until exit
    sys.stdout = devnull
    sys.stderr = devnull


# --- run and resume -----------------------------------------------------------------------


def shown(path: Path) -> str:
    """A path as the user should type it: relative when inside the working folder, quoted if needed."""
    from safetycheck.catalog.catalog import display_path

    text = display_path(path)
    if any(ch.isspace() or ch in "'\"$&;|<>()`*?!#" for ch in text):
        return '"' + text.replace('"', '\\"') + '"'
    return text


def report_commands(record: recordmodels.InspectionRecord, path: Path) -> list[str]:
    """The commands that render a record's documents (the default one, then those its findings call for)."""
    name = shown(path)
    commands = [f"safetycheck report {name}", f"safetycheck report {name} --format html --issue"]
    if any(r.result == "fail" for r in record.responses):
        if record.mode == "inspect":
            commands.append(f"safetycheck report {name} --doc rectification-order --format html --issue")
        if record.mode == "supervise":
            commands.append(f"safetycheck report {name} --doc supervision-feedback --format html --issue")
        commands.append(f"safetycheck report {name} --doc hazards")
    return commands


def run(opts: RunOptions, console: Console, clock: Callable[[], dt.datetime] = now,
        keeper: Keeper | None = None, written: list[Path] | None = None) -> int:
    """``safetycheck run``: a new inspection, interactive or from an answers file.

    ``written`` gets the record file once it is created (for the sync after the walk).

    Returns:
        The exit code: 0 when complete or quit with ``q``; 130 on Ctrl-C or a closed
        terminal, after a notice saying what was saved and how to resume.

    Raises:
        SafetycheckError: bad options, checklists, answers or record file.
    """
    if opts.mode is not None and opts.mode not in models.MODES:
        raise UsageError(t("cli.bad_choice", option="--mode", value=opts.mode, choices=", ".join(models.MODES)))
    if opts.answers is None and not sys.stdin.isatty():
        raise UsageError(t("run.no_tty"))
    check_out(opts.out)
    given = [parse_inspector(v) for v in opts.inspectors]
    industries = parse_industries(opts.industry)
    opts.industry = industries
    if opts.body_type is not None:
        opts.body_type = parse_body_type(opts.body_type)
    from safetycheck.catalog.catalog import open_catalog

    catalog = open_catalog(opts.checklist_dirs)
    snaps = snapshots(catalog, opts.names, opts.tags)
    if opts.answers is not None:
        from safetycheck.inspection import answers

        record = answers.build_record(opts, snaps, given, clock)
        if keeper is not None:
            keeper(record, clock)(record)
        if record.mode == "inspect" and len(record.inspectors) < 2:
            from safetycheck.console import print_warning

            print_warning(t("run.fewer_than_two", count=len(record.inspectors)))
        path = _create(record, opts.out, clock)
        if written is not None:
            written.append(path)
        sys.stderr.write(visible(t("answers.written", path=shown(path)), one_line=True) + "\n")
        _finish(console, record, path)
        return 0
    from safetycheck.inspection.prompter import RichPrompter

    prompter = RichPrompter(console)
    try:
        mode = cast(models.Mode, opts.mode) if opts.mode else ask_mode(prompter)
        unit = ask_unit(prompter, opts, mode)
        people = ask_inspectors(prompter, given if mode == "self" else given or given_inspectors(opts), mode)
    except (KeyboardInterrupt, EOFError):  # Ctrl-C, or the terminal went away, before anything was recorded
        console.print()
        _notice(t("run.interrupted_before"))
        return 130
    record = recordmodels.InspectionRecord(id=str(uuid.uuid4()), mode=mode, started_at=clock(), unit=unit,
                                           inspectors=people,
                                           checklists=snaps,
                                     lang=get_lang(), tags=list(opts.tags))
    # The record is created as the walk's first save would leave it (automatic 不适用 answers, the
    # seal), so that save finds nothing to write: one durable write before the first item.
    session.add_auto(record, session.make_plan(record), clock())
    if keeper is not None:
        keeper(record, clock)(record)
    path = _create(record, opts.out, clock)
    if written is not None:
        written.append(path)
    console.print(t("run.record", path=shown(path)), style="bold", markup=False, soft_wrap=True)
    return _walk(record, path, prompter, console, clock, keeper=keeper)


def resume(path: Path, reopen: bool, console: Console, clock: Callable[[], dt.datetime] = now,
           keeper: Keeper | None = None) -> int:
    """``safetycheck resume``: continue at the first unanswered item, from the snapshot alone.

    Returns:
        The exit code, as :func:`run`.

    Raises:
        RecordError: not a record, complete without ``--reopen``, or locked by another process.
    """
    record = records.read_record(path)
    if record.status == "complete" and not reopen:
        raise RecordError(t("resume.complete", path=shown(path)))
    if not sys.stdin.isatty():
        raise UsageError(t("resume.no_tty"))
    from safetycheck.inspection.prompter import RichPrompter

    console.print(t("run.record", path=shown(path)), style="bold", markup=False, soft_wrap=True)
    return _walk(record, path, RichPrompter(console), console, clock, start=0 if record.status == "complete" else None,
                 reopen=reopen, keeper=keeper)


def check_out(out: Path | None) -> None:
    """Refuse, before anything is asked, a record file that exists or a folder it cannot go in.

    Args:
        out: the ``-o`` file, or None for a numbered file in the working folder.

    Raises:
        RecordError: ``out`` exists, its lock path is a symlink, or its folder is missing or not writable.
    """
    folder = Path.cwd() if out is None else out.parent
    if out is not None and (out.exists() or out.is_symlink()):
        raise RecordError(t("run.out_exists", path=shown(out)))
    if out is not None and records.lock_path(out).is_symlink():  # refused now, not after the record is made
        raise RecordError(t("lock.symlink", path=shown(records.lock_path(out))))
    if not folder.is_dir():
        raise RecordError(t("run.out_no_folder", folder=shown(folder)))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RecordError(t("run.out_unwritable", folder=shown(folder.resolve())))


def _create(record: recordmodels.InspectionRecord, out: Path | None, clock: Callable[[], dt.datetime]) -> Path:
    if out is not None:
        if out.exists():
            raise RecordError(t("run.out_exists", path=shown(out)))
        records.create_record(out, record)
        return out
    return records.create_numbered(Path.cwd(), records.default_stem(clock().date(), record.unit.name), record)


def _walk(record: recordmodels.InspectionRecord, path: Path, prompter: Any, console: Console,
          clock: Callable[[], dt.datetime], start: int | None = None, reopen: bool = True,
          keeper: Keeper | None = None) -> int:
    signals = _Signals()
    with records.record_lock(path, "walk") as lock, signals.installed():
        for line in lock.recovery.notices():
            _notice(line)
        if lock.recovery.recovered is not None:
            record = records.read_record(path)
            if record.status == "complete" and not reopen:
                raise RecordError(t("resume.complete", path=shown(path)))
        before_save = keeper(record, clock) if keeper is not None else None
        written = [records.record_to_toml(record)]  # what the file holds (a /1 file: as migrated)
        writer = records.RecordWriter()  # each save renders only what changed since the last

        def save(r: recordmodels.InspectionRecord) -> None:
            if before_save is not None:
                before_save(r)
            data = writer.render(r)
            if data is None:  # no change since the last save, no write
                return
            if written:  # the first save: written only if it differs from the file (a /1 record stays /1)
                if records.joined(data) == written.pop():
                    return
            try:
                lock.check()  # never over another writer who took the record after our lock file was removed
                records.atomic_write(path, data)
            except BaseException:
                writer.forget()  # not written: the next save writes the whole record, changed or not
                raise

        options = session.WalkOptions(clock=clock, save=signals.guarded(save), evidence_base=path.parent,
                                      start=start, stored=writer.stored)
        try:
            outcome = session.run_inspection(record, prompter, options)
        except (KeyboardInterrupt, EOFError):
            outcome = "interrupted"
            if signals.hung_up:
                _silence_terminal()
            else:
                console.print()
    if outcome == "interrupted":  # not an error: every answer is saved
        _notice(t("run.interrupted", path=shown(path)))
        return 130
    if outcome == "quit":
        console.print(t("run.quit", path=shown(path)), markup=False, soft_wrap=True)
        return 0
    _finish(console, record, path)
    return 0


def _notice(message: str) -> None:
    """A status line on stderr, without the 错误 prefix of errors."""
    sys.stderr.write(visible(message) + "\n")
    sys.stderr.flush()


def _finish(console: Console, record: recordmodels.InspectionRecord, path: Path) -> None:
    from safetycheck.inspection.prompter import print_summary

    print_summary(console, session.summarize(record))
    console.print(t("run.complete", path=shown(path)), style="bold", markup=False, soft_wrap=True)
    console.print(t("run.reports"), markup=False)
    for command in report_commands(record, path):
        console.print(f"  {command}", markup=False, soft_wrap=True)


__all__ = ["RunOptions", "SafetycheckError", "resume", "run"]
