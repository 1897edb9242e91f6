"""Reports: the Jinja2 environment and its filters, rendering documents, writing them out.

Search order for templates: each ``--templates DIR`` as given, then ``SAFETYCHECK_TEMPLATES``
(folders separated by the path separator), then the built-in ``templates/``; a user file with
the same name wins. When any user folder is in play the environment is Jinja2's sandbox.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safetycheck.errors import SafetycheckError, UsageError
from safetycheck.layout import TEXT_WIDTH, center, field_text, md_escape, pad, rule, tidy, wrap_text
from safetycheck.messages import t
from safetycheck.resources import builtin_templates

if TYPE_CHECKING:
    import jinja2

    from safetycheck.inspection.config import Agency
    from safetycheck.inspection.recordmodels import InspectionRecord

TEMPLATES_ENV = "SAFETYCHECK_TEMPLATES"
FORMATS = ("html", "md", "txt", "json")
EXTENSIONS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".txt": "txt", ".json": "json",
              ".csv": "csv"}


class TemplateError(SafetycheckError):
    """A template is missing, does not compile, or fails while rendering."""


# --- environment --------------------------------------------------------------------------


def template_dirs(extra: Sequence[Path] = (), env: Mapping[str, str] | None = None) -> list[Path]:
    """User template folders in search order: ``--templates`` then ``SAFETYCHECK_TEMPLATES``.

    Raises:
        TemplateError: a named folder does not exist.
    """
    env = os.environ if env is None else env
    named = [(Path(p), "--templates") for p in extra]
    named += [(Path(p), TEMPLATES_ENV) for p in env.get(TEMPLATES_ENV, "").split(os.pathsep) if p.strip()]
    for path, origin in named:
        if not path.is_dir():
            raise TemplateError(t("template.no_folder", path=path, origin=origin))
    return [p for p, _ in named]


def make_environment(extra: Sequence[Path] = (), env: Mapping[str, str] | None = None) -> jinja2.Environment:
    """Build the template environment for one command.

    Args:
        extra: folders given with ``--templates``, searched first.
        env: environment (for ``SAFETYCHECK_TEMPLATES``).

    Returns:
        A Jinja2 environment: sandboxed when any user folder is searched, ``StrictUndefined``,
        autoescaping ``.html.j2`` templates only.

    Raises:
        TemplateError: a named folder does not exist.
    """
    import jinja2
    import jinja2.sandbox

    users = template_dirs(extra, env)
    cls = jinja2.sandbox.SandboxedEnvironment if users else jinja2.Environment
    environment = cls(
        loader=_utf8_loader([*users, builtin_templates()]),
        undefined=jinja2.StrictUndefined,
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    environment.filters.update({
        "md": md_escape,
        "wrap": wrap_text,
        "field": field_text,
        "pad": pad,
        "center": center,
    })
    environment.globals.update({"t": t, "rule": rule, "width": TEXT_WIDTH})
    return environment


def _utf8_loader(folders: list[Path]) -> jinja2.BaseLoader:
    """A file loader that reports a template file that is not UTF-8 as a located TemplateError.

    Why: Jinja2's loader lets the UnicodeDecodeError escape, which names no file and would
    show as a traceback; a user's template saved in GBK is a user error.
    """
    import jinja2

    class Utf8Loader(jinja2.FileSystemLoader):
        def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
            try:
                return super().get_source(environment, template)
            except UnicodeDecodeError:
                raise TemplateError(_not_utf8([Path(p) for p in self.searchpath], template)) from None

    return Utf8Loader(folders, encoding="utf-8")


def _not_utf8(folders: list[Path], name: str) -> str:
    """The message for a template that does not decode: its file and the line of the first bad byte."""
    path = next((p for p in (f.joinpath(*name.split("/")) for f in folders) if p.is_file()), None)
    if path is None:
        return t("template.not_utf8", where=name)
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        return t("template.not_utf8", where=f"{_shown(str(path), name)}:{line}")
    except OSError:
        pass
    return t("template.not_utf8", where=_shown(str(path), name))


def _shown(filename: str | None, name: str | None) -> str:
    """A template's name as messages show it: relative to the working folder, else as loaded."""
    if not filename:
        return name or "?"
    path = Path(filename)
    with contextlib.suppress(ValueError, OSError):
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    return filename


def _template_line(tb: types.TracebackType | None) -> tuple[str | None, int]:
    """The innermost template file and line in a traceback (Jinja2 maps frames to templates)."""
    found: tuple[str | None, int] = (None, 0)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_template(environment: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render one template, turning every template fault into a located :class:`TemplateError`.

    Raises:
        TemplateError: ``PATH:LINE: message`` naming the template and line.
    """
    import jinja2
    from jinja2.exceptions import SecurityError

    try:
        return environment.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:  # the template, or one it includes or extends, does not compile
        where = _shown(exc.filename, exc.name)
        raise TemplateError(t("template.syntax", where=f"{where}:{exc.lineno}", error=exc.message)) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(t("template.missing", name=exc.name)) from None
    except (jinja2.TemplateError, SecurityError, ArithmeticError, AttributeError, KeyError,
            IndexError, TypeError, ValueError) as exc:
        filename, line = _template_line(exc.__traceback__)
        if filename is None:
            raise
        where = f"{_shown(filename, name)}:{line}"
        message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
        raise TemplateError(t("template.render", where=where, error=message)) from None


# --- documents ----------------------------------------------------------------------------


def render_document(environment: jinja2.Environment, record: InspectionRecord, doc: str, fmt: str,
                    agency: Agency | None = None, full: bool = False, base: Path | None = None) -> str:
    """Render one document of a record in one format.

    Args:
        environment: from :func:`make_environment`.
        record: the record (its number for ``doc``, if any, is in ``record.numbers``).
        doc: ``inspection-record``, ``rectification-order``, ``self-audit``, ``supervision`` or ``hazards``.
        fmt: ``html``, ``md``, ``txt`` or ``json``.
        agency: the agency settings, if any.
        full: every item in the body of the inspection record (``--full``).
        base: the record's folder (where its evidence files are).

    Returns:
        The document text.

    Raises:
        TemplateError: a template is broken.
    """
    from safetycheck.documents.views import build_view, document_json

    if fmt == "json":
        return document_json(record, doc, agency)
    text = render_template(environment, f"{doc}.{fmt}.j2", build_view(record, doc, agency, full, base))
    return tidy(text) if fmt in ("md", "txt") else text


@dataclass
class ReportRequest:
    """What ``safetycheck report`` was asked for."""

    records: list[Path]
    docs: list[str] = field(default_factory=list)
    fmt: str | None = None
    out: Path | None = None
    templates: list[Path] = field(default_factory=list)
    agency: Agency | None = None
    state_dir: Path | None = None
    full: bool = False


@dataclass
class Output:
    """One rendered document: its file (None = stdout) and text."""

    path: Path | None
    text: str


def choose_format(fmt: str | None, out: Path | None, choices: Sequence[str], single: bool) -> str:
    """The format from ``--format``, else ``-o``'s extension (for one file), else md.

    Why refuse an unknown extension: ``-o r.docx`` silently writing Markdown into a file Word
    cannot open is worse than a usage error that names the formats on offer.

    Raises:
        UsageError: a format that is not one of ``choices``, or (without ``--format``) an ``-o``
            extension that names none of them.
    """
    if fmt is None and out is not None and single and out.suffix:
        fmt = EXTENSIONS.get(out.suffix.lower())
        if fmt not in choices:
            exts = ", ".join(ext for ext, name in EXTENSIONS.items() if name in choices)
            raise UsageError(t("output.bad_extension", path=out, exts=exts, choices="|".join(choices)))
    fmt = fmt or "md"
    if fmt not in choices:
        raise UsageError(t("cli.bad_choice", option="--format", value=fmt, choices=", ".join(choices)))
    return fmt


def write_text(path: Path, text: str) -> None:
    """Write a document as UTF-8 with LF line ends (byte-identical on every OS)."""
    try:
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        raise SafetycheckError(t("output.unwritable", path=path, error=exc.strerror or exc)) from None


def output_folder(out: Path) -> Path:
    """Make sure ``-o`` names a usable folder for several documents.

    Raises:
        UsageError: ``out`` is an existing file.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(t("output.not_folder", path=out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SafetycheckError(t("output.unwritable", path=out, error=exc.strerror or exc)) from None
    return out


@contextlib.contextmanager
def progress_bar(total: int, label: str, show: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr (only when shown and stderr is a terminal); yields ``advance``."""
    if not show or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from safetycheck.console import make_console

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=make_console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


PROGRESS_FROM = 5  # records; fewer render too fast for a bar to help


@dataclass
class ReportResult:
    """What ``produce_reports`` did."""

    outputs: list[Output]
    unnumbered: bool = False  # a complete record's numbered document went out with a blank number


def produce_reports(request: ReportRequest) -> ReportResult:
    """Read the records, check every document, number complete records, render and write.

    Nothing is written unless every record can be read and every document fits its record.
    When ``-o`` names an existing folder, even a single document goes into it by its file name.

    Returns:
        The outputs (one with ``path`` None is for stdout: one document, no ``-o``), and whether
        a number was left blank for want of an agency short name.

    Raises:
        SafetycheckError: an unreadable record, a refused document, a broken template.
    """
    from safetycheck.documents.numbering import needs_numbers, number_record
    from safetycheck.documents.views import DEFAULT_DOCUMENT, check_document
    from safetycheck.inspection.records import read_record

    records: list[tuple[Path, InspectionRecord]] = [(p, read_record(p)) for p in request.records]
    jobs: list[tuple[Path, InspectionRecord, list[str]]] = []
    for path, record in records:
        docs = list(dict.fromkeys(request.docs)) or [DEFAULT_DOCUMENT[record.mode]]
        for doc in docs:
            check_document(record, doc, path.name)
        jobs.append((path, record, docs))
    into_folder = request.out is not None and request.out.is_dir()  # -o names an existing folder
    single = len(records) == 1 and len(jobs[0][2]) == 1 and not into_folder
    fmt = choose_format(request.fmt, request.out, FORMATS, single)
    folder = None if single or request.out is None else output_folder(request.out)
    if not single and folder is None:
        raise UsageError(t("report.needs_folder"))
    environment = make_environment(request.templates)
    result = ReportResult([])
    agency = request.agency
    can_number = bool(agency and agency.short_name and request.state_dir)
    with progress_bar(len(jobs), t("report.progress"), len(jobs) >= PROGRESS_FROM) as advance:
        for path, record, docs in jobs:
            if needs_numbers(record, docs):
                if can_number:
                    assert agency is not None and request.state_dir is not None
                    record = number_record(path, docs, agency, request.state_dir)
                else:
                    result.unnumbered = True
            for doc in docs:
                text = render_document(environment, record, doc, fmt, agency, request.full, path.parent)
                if single:
                    target = request.out
                else:
                    assert folder is not None
                    target = folder / f"{path.stem}.{doc}.{fmt}"
                if target is not None:
                    write_text(target, text)
                    text = ""
                result.outputs.append(Output(target, text))
            advance()
    return result


def run_report(records: list[Path], docs: list[str], fmt: str | None, out: Path | None,
               templates: list[Path], full: bool = False) -> None:
    """``safetycheck report``: settings from the agency config, documents to stdout or files.

    Raises:
        SafetycheckError: see :func:`produce_reports`; a bad settings file.
    """
    from safetycheck.inspection.config import load_config, state_dir

    config = load_config()
    request = ReportRequest(records, docs, fmt, out, templates, config.agency, state_dir(), full)
    result = produce_reports(request)
    if result.unnumbered:
        from safetycheck.console import print_warning

        print_warning(t("report.no_agency"))
    emit(result.outputs, "report.wrote")


def emit(outputs: list[Output], wrote: str) -> None:
    """Write a stdout document as UTF-8 bytes, or say on stderr (message ``wrote``) where the files went."""
    if len(outputs) == 1 and outputs[0].path is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(outputs[0].text.encode("utf-8"))
        sys.stdout.flush()
        return
    paths = [o.path for o in outputs if o.path is not None]
    if paths:
        where = paths[0] if len(paths) == 1 else paths[0].parent
        sys.stderr.write(t(wrote, count=len(paths), path=where) + "\n")


# --- templates export ---------------------------------------------------------------------


def builtin_template_files() -> list[Path]:
    """Every built-in template file, by name: the Jinja2 templates and the reference.docx of the Word documents."""
    return sorted(p for p in builtin_templates().iterdir()
                  if p.is_file() and (p.name.endswith(".j2") or p.name == "reference.docx"))


def export_templates(dest: Path, force: bool = False) -> list[Path]:
    """Copy the built-in templates to ``dest`` for editing.

    Args:
        dest: the folder (created if missing).
        force: overwrite files already there.

    Returns:
        The files written.

    Raises:
        SafetycheckError: files exist and ``force`` is not set, or ``dest`` cannot be written.
    """
    sources = builtin_template_files()
    if dest.exists() and not dest.is_dir():
        raise UsageError(t("output.not_folder", path=dest))
    clashes = [dest / p.name for p in sources if (dest / p.name).exists()]
    if clashes and not force:
        raise SafetycheckError(t("template.exists", path=dest, names=", ".join(p.name for p in clashes)))
    written = []
    try:
        dest.mkdir(parents=True, exist_ok=True)
        for src in sources:
            shutil.copyfile(src, dest / src.name)
            written.append(dest / src.name)
    except OSError as exc:
        raise SafetycheckError(t("output.unwritable", path=dest, error=exc.strerror or exc)) from None
    return written
