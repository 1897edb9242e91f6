"""Reports: the Jinja2 environment and its filters, rendering documents, writing them out.

Search order for templates: each ``--templates DIR`` as given, then ``SAFETYCHECK_TEMPLATES``
(folders separated by the path separator), then the built-in ``templates/``; a user file with
the same name wins. When any user folder is in play the environment is Jinja2's sandbox.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safetycheck.errors import SafetycheckError, UsageError
from safetycheck.layout import TEXT_WIDTH, center, field_text, md_escape, pad, rule, tidy, wrap_text
from safetycheck.messages import os_error, t
from safetycheck.resources import builtin_templates
from safetycheck.text import HIDDEN, visible

if TYPE_CHECKING:
    import jinja2

    from safetycheck.inspection.config import Agency, Config, Supervision
    from safetycheck.inspection.recordmodels import InspectionRecord
    from safetycheck.lifecycle.issuing import Allocator

TEMPLATES_ENV = "SAFETYCHECK_TEMPLATES"
MAX_DOCUMENT_CHARS = 50_000_000  # one rendered document; a 1,000-item hazard list is about 1 MB
RENDER_SECONDS = 30.0  # one document, where the OS has interval timers (POSIX); none on Windows
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
    cls = _limited_sandbox() if users else jinja2.Environment
    environment = cls(
        loader=_utf8_loader([*users, builtin_templates()]),
        undefined=jinja2.StrictUndefined,
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=_visible_finalize(),
    )
    environment.filters.update({
        "md": md_escape,
        "wrap": wrap_text,
        "field": field_text,
        "pad": pad,
        "center": center,
    })
    environment.globals.update({"t": t, "rule": rule, "width": TEXT_WIDTH})
    if users:
        environment.filters = {name: _guarded(f) for name, f in environment.filters.items()}
    return environment


class _LimitError(Exception):
    """A user template asked for a value larger than any document may be."""


def _check_size(value: Any) -> None:
    """Refuse an integer argument that would build a value past the document limit (``center(10**10)``)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_DOCUMENT_CHARS:
        raise _LimitError


def _guarded(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter that refuses sizes past the document limit (the Jinja2 pass-argument marks kept)."""
    import functools

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        for value in (*args, *kwargs.values()):
            _check_size(value)
        return function(*args, **kwargs)

    return guarded


def _limited_sandbox() -> type[jinja2.Environment]:
    """Jinja2's sandbox, plus limits on ``*``, ``**`` and call arguments.

    Why: the sandbox stops code execution, not ``'a' * 10**10`` (memory) or ``9**9**9`` (time).
    """
    import jinja2.sandbox

    class LimitedSandbox(jinja2.sandbox.SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for seq, times in ((left, right), (right, left)):
                    if isinstance(seq, str | list | tuple) and isinstance(times, int) and \
                            len(seq) * times > MAX_DOCUMENT_CHARS:
                        raise _LimitError
            elif operator == "**" and isinstance(left, int) and isinstance(right, int) and \
                    abs(left) > 1 and right > 0 and abs(left).bit_length() * right > 1_000_000:
                raise _LimitError
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            for value in (*args, *kwargs.values()):
                _check_size(value)
            return super().call(__context, __obj, *args, **kwargs)

    return LimitedSandbox


class _RenderTimeout(Exception):
    """The render of one document ran past RENDER_SECONDS."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the block after ``seconds`` with :class:`_RenderTimeout` (POSIX interval timer, main thread).

    Why only there: Windows has no ``setitimer``, and signals reach only the main thread;
    elsewhere the output-size limit still bounds a render, but not a loop that writes nothing.
    """
    import signal
    import threading

    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _RenderTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _visible_finalize() -> Callable[[Any], Any]:
    """Jinja2's ``finalize``: every ``{{ … }}`` output with its control characters written out (``\\x1b``).

    Why here: documents go to files and to a terminal; text from a record must not carry an
    escape sequence into either. Escaped HTML (``Markup``) stays escaped.
    """
    from markupsafe import Markup

    hidden = HIDDEN.search

    def finalize(value: Any) -> Any:
        if isinstance(value, str) and hidden(value):
            shown = visible(value)
            return Markup(shown) if isinstance(value, Markup) else shown
        return value

    return finalize


def _utf8_loader(folders: list[Path]) -> jinja2.BaseLoader:
    """A file loader that reports a template file that is not UTF-8 as a located TemplateError.

    Why: Jinja2's loader lets the UnicodeDecodeError escape, which names no file and would
    show as a traceback; a user's template saved in GBK is a user error.
    """
    import jinja2

    class Utf8Loader(jinja2.FileSystemLoader):
        def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
            from safetycheck.inputfiles import InputFileError, check_regular

            found = next((p for p in (Path(f).joinpath(*template.split("/")) for f in self.searchpath)
                          if p.exists()), None)
            if found is not None:
                try:
                    check_regular(found)
                except InputFileError as exc:
                    raise TemplateError(f"{_shown(str(found), template)}: {exc.message}") from None
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


def _where(exc: BaseException, shown_name: str) -> str:
    """``FILE:LINE`` of the innermost template frame of ``exc``, else the template's name."""
    filename, line = _template_line(exc.__traceback__)
    return f"{_shown(filename, None)}:{line}" if filename else shown_name


def render_template(environment: jinja2.Environment, name: str, context: Mapping[str, Any]) -> str:
    """Render one template, turning every template fault into a located :class:`TemplateError`.

    Raises:
        TemplateError: ``PATH:LINE: message`` naming the template and line.
    """
    import jinja2
    from jinja2.exceptions import SecurityError

    shown_name = name
    try:
        template = environment.get_template(name)
        shown_name = _shown(template.filename, name)
        with _time_limit(RENDER_SECONDS):
            parts: list[str] = []
            size = 0
            for chunk in template.generate(context):
                size += len(chunk)
                if size > MAX_DOCUMENT_CHARS:
                    raise _LimitError
                parts.append(chunk)
        return "".join(parts)
    except (_LimitError, MemoryError) as exc:
        raise TemplateError(t("template.too_big", where=_where(exc, shown_name), limit=MAX_DOCUMENT_CHARS)) from None
    except _RenderTimeout as exc:
        raise TemplateError(t("template.timeout", where=_where(exc, shown_name), seconds=RENDER_SECONDS)) from None
    except RecursionError as exc:
        raise TemplateError(t("template.recursion", where=_where(exc, shown_name))) from None
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
                    agency: Agency | None = None, today: dt.date | None = None, review: str | None = None,
                    full: bool = False, base: Path | None = None, supervision: Supervision | None = None) -> str:
    """Render one document of a record in one format.

    Args:
        environment: from :func:`make_environment`.
        record: the record (its number for ``doc``, if issued, is in its ``issued`` events).
        doc: ``inspection-record``, ``rectification-order``, ``self-audit``, ``supervision`` or ``hazards``.
        fmt: ``html``, ``md``, ``txt`` or ``json``.
        agency: the agency settings, if any.
        today: the day hazard statuses are shown for (default: the record's date).
        review: the review (``r2``) of a document of one review; default the latest.
        full: every item in the body of the inspection record (``--full``).
        base: the record's folder (where its evidence files are).
        supervision: the supervising office's settings, for ``supervision-feedback``.

    Returns:
        The document text.

    Raises:
        TemplateError: a template is broken.
    """
    from safetycheck.documents.views import build_view, document_json

    if fmt == "json":
        return document_json(record, doc, agency, today, review, supervision)
    text = render_template(environment, f"{doc}.{fmt}.j2",
                           build_view(record, doc, agency, today, review, full=full, base=base,
                                      supervision=supervision))
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
    issue: bool = False  # --issue: take a number and record `issued`
    reissue: bool = False  # --reissue: a new number replacing the one issued before
    served: dt.date | None = None  # --served DATE
    served_how: str | None = None  # --served-how
    review: str | None = None  # --review r2: the review of a document of one review (default the latest)
    full: bool = False  # --full: every item in the body of the inspection record
    # A writer of another format (office/ passes its DOCX writer): (record, document, record file) -> bytes.
    renderer: Callable[[InspectionRecord, str, Path], bytes] | None = None
    supervision: Supervision | None = None  # [supervision]: numbers and signs the 督导反馈意见
    allocator: Allocator | None = None  # where numbers come from: the store; None = the local counter file


@dataclass(slots=True)
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
    """Write a document as UTF-8 with LF line ends (byte-identical on every OS), atomically.

    A full disk or a crash leaves the old file or the new one, never a fragment; a symlink at
    ``path`` is replaced by the document, the file it pointed to is left alone.

    Raises:
        SafetycheckError: the file cannot be written (DiskFullError when the disk is full).
    """
    from safetycheck import fileio

    fileio.atomic_write(path, text.encode("utf-8"))


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
        raise SafetycheckError(t("output.unwritable", path=out, error=os_error(exc))) from None
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
    notices: list[str] = field(default_factory=list)  # temporary copies recovered or kept while issuing
    drafts: int = 0  # documents of complete records rendered as drafts (not issued)
    issued: list[str] = field(default_factory=list)  # "file: document number" lines, for stderr


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


def produce_reports(request: ReportRequest) -> ReportResult:
    """Read the records, check every document, issue what ``--issue`` asks for, render and write.

    Nothing is written unless every record can be read and every document fits its record (and,
    with ``--issue``, can be issued). When ``-o`` names an existing folder, even a single document
    goes into it by its file name.

    Why in one pass: a batch renders each record as it is read, into a temporary file beside its
    document, and renames them all only after the last record passed (removing them otherwise),
    so memory stays flat however many records there are. With ``--issue`` (``--reissue``,
    ``--served``), every record is read and checked first, one at a time, before the folder is
    made or a number taken.

    Returns:
        The outputs (one with ``path`` None is for stdout: one document, no ``-o``), the count of
        drafts and the numbers issued.

    Raises:
        SafetycheckError: an unreadable record, a refused document, a broken template, a document
            that cannot be issued.
    """
    from safetycheck.documents.views import DEFAULT_DOCUMENT, check_document
    from safetycheck.lifecycle.files import load_record

    def read_checked(path: Path) -> tuple[InspectionRecord, list[str]]:
        record = load_record(path)[0]
        docs = list(dict.fromkeys(request.docs)) or [DEFAULT_DOCUMENT[record.mode]]
        for doc in docs:
            check_document(record, doc, path.name, request.review)
            check_issue(record, doc, path.name, request)
        return record, docs

    into_folder = request.out is not None and request.out.is_dir()  # -o names an existing folder
    single = len(request.records) == 1 and len(set(request.docs)) <= 1 and not into_folder
    changing = request.issue or request.reissue or request.served is not None
    first = read_checked(request.records[0]) if single else None
    fmt = request.fmt if request.renderer is not None and request.fmt else choose_format(
        request.fmt, request.out, FORMATS, single)
    if not single and request.out is None:
        raise UsageError(t("report.needs_folder"))
    all_docs: list[list[str]] = []
    if changing:  # every check first, one record at a time, before a folder is made or a number taken
        all_docs = [first[1]] if first is not None else [read_checked(path)[1] for path in request.records]
    made = not single and request.out is not None and not request.out.exists()
    folder = None if single or request.out is None else output_folder(request.out)
    environment = make_environment(request.templates)
    result = ReportResult([])

    def targets_of(path: Path, docs: list[str]) -> dict[str, Path | None]:
        return {doc: (request.out if single else folder / f"{path.stem}.{doc}.{fmt}")  # type: ignore[operator]
                for doc in docs}

    if changing:
        with progress_bar(len(all_docs), t("report.progress"), len(all_docs) >= PROGRESS_FROM) as advance:
            for path, docs in zip(request.records, all_docs, strict=True):
                result.outputs.extend(_issue_and_render(path, docs, targets_of(path, docs), environment, fmt,
                                                        request, result))
                advance()
        return result
    if first is not None:
        record, docs = first
        path = request.records[0]
        result.outputs.append(_put(request.out, _render(environment, record, docs[0], fmt, request, path)))
        result.drafts += _is_draft(record, docs[0], request.review)
        return result
    assert folder is not None
    _stream_batch(request, folder, made, read_checked, targets_of, environment, fmt, result)
    return result


def _stream_batch(request: ReportRequest, folder: Path, made: bool,
                  read_checked: Callable[[Path], tuple[InspectionRecord, list[str]]],
                  targets_of: Callable[[Path, list[str]], dict[str, Path | None]],
                  environment: jinja2.Environment, fmt: str, result: ReportResult) -> None:
    """Render each record as it is read into a temporary file; rename them all once the last one passed.

    Why one buffer of names: what is kept per document until the end is all that grows with the
    batch. Small objects kept from each record's work (paths, outputs) would pin the memory pools
    of that record's garbage; the names go into one growing buffer instead, and the outputs are
    made at the end, together.
    """
    from safetycheck import fileio

    for path in request.records:
        os.fspath(path)  # each record's path caches its text now, with the others, not among its garbage
    names = bytearray()  # "temporary file NUL document NUL" for each document, in order
    renamed = 0
    try:
        with progress_bar(len(request.records), t("report.progress"),
                          len(request.records) >= PROGRESS_FROM) as advance:
            for path in request.records:
                record, docs = read_checked(path)
                targets = targets_of(path, docs)
                for doc in docs:
                    data = _render(environment, record, doc, fmt, request, path)
                    target = targets[doc]
                    assert target is not None
                    tmp = fileio.write_temp(target, data if isinstance(data, bytes) else data.encode("utf-8"))
                    names += os.fsencode(tmp.name) + b"\0" + os.fsencode(target.name) + b"\0"
                    result.drafts += _is_draft(record, doc, request.review)
                advance()
        pending = [os.fsdecode(name) for name in bytes(names).split(b"\0")[:-1]]
        outputs = [Output(folder / name, "") for name in pending[1::2]]
        for tmp_name, output in zip(pending[::2], outputs, strict=True):
            assert output.path is not None
            fileio.replace(folder / tmp_name, output.path)
            renamed += 1
        result.outputs.extend(outputs)
    finally:
        if renamed * 2 < names.count(0):  # a record or document failed: no document of the batch is left
            for tmp_name in bytes(names).split(b"\0")[:-1][renamed * 2::2]:
                fileio.unlink_quietly(folder / os.fsdecode(tmp_name))
        if made and not renamed:
            with contextlib.suppress(OSError):
                folder.rmdir()  # the folder this call made, if nothing else is in it
    fileio.fsync_folder(folder)


def _render(environment: jinja2.Environment, record: InspectionRecord, doc: str, fmt: str,
            request: ReportRequest, path: Path) -> str | bytes:
    """One document: text from the templates, or the bytes of ``request.renderer`` (DOCX)."""
    if request.renderer is not None:
        return request.renderer(record, doc, path)
    return render_document(environment, record, doc, fmt, request.agency, dt.date.today(), request.review,
                           request.full, path.parent, request.supervision)


def _put(target: Path | None, data: str | bytes) -> Output:
    if isinstance(data, bytes):
        from safetycheck import fileio

        if target is None:  # one binary document to a pipe (never to a terminal: see office.report)
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return Output(None, "")
        fileio.atomic_write(target, data)
        return Output(target, "")
    if target is not None:
        write_text(target, data)
        return Output(target, "")
    return Output(None, data)


def _is_draft(record: InspectionRecord, doc: str, review: str | None = None) -> int:
    from safetycheck.documents.views import document_key
    from safetycheck.lifecycle.issuing import is_current, issues

    if record.status != "complete":
        return 0
    issue = issues(record).get(document_key(record, doc, review))
    return int(issue is None or not is_current(record, issue))


def numbering(doc: str, request: ReportRequest) -> tuple[str, str, str] | None:
    """Who numbers ``doc`` and how: (the counter's owner, short name, code).

    The 督导反馈意见 is numbered by the supervising office (``[supervision]``), every other
    numbered document by the agency (``[agency]``).

    Returns:
        None when ``doc`` carries no number, or the settings give no short name to number it with.
    """
    from safetycheck.documents.feedback import DOC as FEEDBACK
    from safetycheck.documents.numbering import CODES

    if doc == FEEDBACK:
        office = request.supervision
        if office is None or not office.short_name:
            return None
        return office.name or office.short_name, office.short_name, office.code
    agency = request.agency
    if doc not in CODES or agency is None or not agency.short_name:
        return None
    return agency.name or agency.short_name, agency.short_name, CODES[doc]


def is_numbered(doc: str) -> bool:
    """Whether ``doc`` carries a document number (文号) when issued."""
    from safetycheck.documents.feedback import DOC as FEEDBACK
    from safetycheck.documents.numbering import CODES

    return doc in CODES or doc == FEEDBACK


def check_issue(record: InspectionRecord, doc: str, source: str, request: ReportRequest) -> None:
    """Refuse, before anything is numbered or written, a document ``--issue``/``--served`` cannot take.

    Raises:
        SafetycheckError: the record is not complete or fails ``verify``; the document changed
            since it was issued (without ``--reissue``); ``--reissue`` or ``--served`` on a
            document never issued; a numbered document without an agency short name (the
            督导反馈意见: without a supervising office short name).
    """
    from safetycheck.documents.views import document_key
    from safetycheck.lifecycle.issuing import is_current, issues
    from safetycheck.lifecycle.seal import verify_record

    if not (request.issue or request.reissue or request.served is not None):
        return
    if record.status != "complete":
        raise SafetycheckError(t("issue.incomplete", path=source))
    verdict = verify_record(record)
    if not verdict.ok:
        raise SafetycheckError(t("issue.unverified", path=source, change=verdict.changes[0]))
    issue = issues(record).get(document_key(record, doc, request.review))
    if request.reissue:
        if issue is None:
            raise SafetycheckError(t("issue.reissue_never", path=source, doc=doc))
    elif request.issue:
        if issue is not None and not is_current(record, issue):
            raise SafetycheckError(t("issue.changed", path=source, doc=doc, number=issue.number or "—"))
    elif issue is None:  # --served alone: on an issued document only
        raise SafetycheckError(t("issue.served_never", path=source, doc=doc))
    taking = request.reissue or (request.issue and issue is None)
    if taking and is_numbered(doc) and (numbering(doc, request) is None or request.state_dir is None):
        from safetycheck.documents.feedback import DOC as FEEDBACK

        raise SafetycheckError(t("issue.no_supervision" if doc == FEEDBACK else "issue.no_agency", path=source,
                                 doc=doc))


def _issue_and_render(path: Path, docs: list[str], targets: dict[str, Path | None], environment: jinja2.Environment,
                      fmt: str, request: ReportRequest, result: ReportResult) -> list[Output]:
    """Under the record's lock: take numbers, render, write, and record issued / reissued / voided / served."""
    from safetycheck.documents.numbering import allocate, document_year, format_number
    from safetycheck.documents.views import document_key
    from safetycheck.inspection.records import write_record
    from safetycheck.lifecycle.files import load_record, waiting_lock
    from safetycheck.lifecycle.issuing import issues, record_issue, record_service, record_void

    outputs: list[Output] = []
    taken: list[tuple[str, str, int, int, str]] = []  # (owner, code, year, seq, number) taken: voided if not stored
    with waiting_lock(path) as lock:
        result.notices.extend(lock.recovery.notices())
        record, _ = load_record(path)  # again, under the lock: another process may have issued meanwhile
        for doc in docs:
            check_issue(record, doc, path.name, request)
            key = document_key(record, doc, request.review)
            issue = issues(record).get(key)
            now = _now()
            number = issue.number if issue is not None else None
            fresh = request.reissue or (request.issue and issue is None)
            if fresh:
                number = None
                numbered = numbering(doc, request)
                if numbered is not None:
                    owner, short_name, code = numbered
                    assert request.state_dir is not None
                    year = document_year(record)
                    if request.allocator is not None:
                        seq = request.allocator.take(owner, code, year, path)
                    else:
                        (seq,) = allocate(request.state_dir, owner, code, year)
                    number = format_number(short_name, code, year, seq)
                    taken.append((owner, code, year, seq, number))
                record_issue(record, doc, number, now, replaces=issue if request.reissue else None, key=key)
                try:
                    text = _render(environment, record, doc, fmt, request, path)
                    outputs.append(_put(targets[doc], text))
                except BaseException as exc:
                    record.events.pop()  # the number was taken and not used: accounted for as voided
                    if number is not None:
                        record_void(record, doc, number, now, "render-failed", key=key)
                        _void_in_counter(request, [taken.pop()], path, exc)
                    lock.check()
                    write_record(path, record)
                    raise
                shown = number or t("issue.no_number")
                result.issued.append(t("issue.done", path=path.name, doc=doc, number=shown,
                                       seal=str(record.events[-1].detail.get("seal", ""))[:16]))
            else:
                text = _render(environment, record, doc, fmt, request, path)
                outputs.append(_put(targets[doc], text))
            if request.served is not None:
                current = issues(record)[key]
                record_service(record, current, request.served, request.served_how, now)
                result.issued.append(t("issue.served", path=path.name, doc=doc, number=current.number or "—",
                                       date=request.served.isoformat()))
        try:
            lock.check()  # never over another writer who took the record after our lock file was removed
            write_record(path, record)
        except BaseException as exc:  # the numbers taken cannot be stored: the counter accounts for them
            _void_in_counter(request, taken, path, exc)
            raise
    return outputs


def _void_in_counter(request: ReportRequest, taken: list[tuple[str, str, int, int, str]], path: Path,
                     exc: BaseException) -> None:
    """List numbers taken and not used as voided (作废) in the counter file; its own failure is not reported."""
    from safetycheck.documents.numbering import void

    if not taken or request.state_dir is None:
        return
    reason = str(exc) or type(exc).__name__
    for owner in dict.fromkeys(entry[0] for entry in taken):  # each office's numbers under its own name
        numbers = [(code, year, seq, number) for who, code, year, seq, number in taken if who == owner]
        with contextlib.suppress(SafetycheckError, OSError):  # the first failure is the one to report
            if request.allocator is not None:
                request.allocator.void(owner, numbers, path, reason)
            else:
                void(request.state_dir, owner, numbers, path, reason)


def run_report(records: list[Path], docs: list[str], fmt: str | None, out: Path | None,
               templates: list[Path], issue: bool = False, reissue: bool = False, served: str | None = None,
               served_how: str | None = None, review: str | None = None, full: bool = False,
               renderer: Callable[[InspectionRecord, str, Path], bytes] | None = None,
               allocator: Callable[[Config], Allocator | None] | None = None) -> None:
    """``safetycheck report``: settings from the agency config, documents to stdout or files.

    ``allocator`` gives, from the settings, where ``--issue`` takes numbers (the store); called
    only when numbers may be taken.

    Raises:
        SafetycheckError: see :func:`produce_reports`; a bad settings file; a bad ``--served`` date.
    """
    from safetycheck.inspection.config import load_config, state_dir
    from safetycheck.lifecycle.issuing import SERVICE

    day = None
    if served is not None:
        try:
            day = dt.date.fromisoformat(served.strip())
        except ValueError:
            raise UsageError(t("issue.bad_served", value=served)) from None
    if served_how is not None and served_how not in SERVICE:
        raise UsageError(t("cli.bad_choice", option="--served-how", value=served_how, choices=", ".join(SERVICE)))
    if served_how is not None and day is None:
        raise UsageError(t("issue.how_without_date"))
    config = load_config()
    taking = (issue or reissue) and allocator is not None
    request = ReportRequest(records, docs, fmt, out, templates, config.agency, state_dir(), issue, reissue, day,
                            served_how, review, full, renderer, supervision=config.supervision,
                            allocator=allocator(config) if taking and allocator is not None else None)
    result = produce_reports(request)
    for line in result.notices:
        sys.stderr.write(visible(line, one_line=True) + "\n")
    for line in result.issued:
        sys.stderr.write(visible(line, one_line=True) + "\n")
    if result.drafts:
        from safetycheck.console import print_warning

        print_warning(t("report.drafts", count=result.drafts))
    emit(result.outputs, "report.wrote")


def emit(outputs: list[Output], wrote: str) -> None:
    """Write a stdout document, or say on stderr (message ``wrote``) where the files went.

    The document is UTF-8 unless it is shown on a terminal of another encoding.
    """
    if len(outputs) == 1 and outputs[0].path is None:
        from safetycheck.console import write_document

        write_document(outputs[0].text)
        return
    paths = [o.path for o in outputs if o.path is not None]
    if paths:
        where = paths[0] if len(paths) == 1 else paths[0].parent
        sys.stderr.write(visible(t(wrote, count=len(paths), path=where), one_line=True) + "\n")


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
    from safetycheck import fileio

    written = []
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fileio.write_error(exc, dest) from None
    for src in sources:  # each template whole or not at all: an empty one would render an empty document
        fileio.atomic_write(dest / src.name, src.read_bytes())
        written.append(dest / src.name)
    return written
