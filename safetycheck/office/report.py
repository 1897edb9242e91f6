"""``report`` and ``form`` in the office formats: which requests are theirs, and writing the files.

Why the dispatch lives here: ``documents/`` renders text and knows nothing of Word or Excel;
the command line asks :func:`office_format` (cheap, nothing heavy imported) whether a request
is for an office format, and only then imports the writers.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safetycheck.errors import UsageError
from safetycheck.messages import t

if TYPE_CHECKING:
    from safetycheck.documents.forms import FormRequest
    from safetycheck.inspection.recordmodels import InspectionRecord

OFFICE_EXTENSIONS = {".docx": "docx", ".xlsx": "xlsx", ".csv": "csv"}
OFFICE_FORMATS = ("docx", "xlsx", "csv")
TABLE_FORMATS = ("xlsx", "csv")
TEXT_FORMATS = ("html", "md", "txt", "json")


def office_format(fmt: str | None, out: Path | None) -> str | None:
    """The office format a ``report`` request asks for (``--format``, else ``-o``'s extension), or None."""
    if fmt is not None:
        return fmt if fmt in OFFICE_FORMATS else None
    if out is not None and not out.is_dir():
        return OFFICE_EXTENSIONS.get(out.suffix.lower())
    return None


def check_extension(out: Path | None, single: bool) -> None:
    """Refuse an ``-o`` file whose extension names no format (``-o r.pdf``), listing every one on offer.

    Why here: the text formats' own check lists only theirs, and a user who typed ``.pdf`` should
    learn that ``.docx``, ``.xlsx`` and ``.csv`` exist.

    Raises:
        UsageError: one line naming every extension and format.
    """
    from safetycheck.documents.report import EXTENSIONS

    if out is None or not single or not out.suffix or out.is_dir():
        return
    if out.suffix.lower() in EXTENSIONS or out.suffix.lower() in OFFICE_EXTENSIONS:
        return
    exts = ", ".join(dict.fromkeys([*EXTENSIONS, *OFFICE_EXTENSIONS]))
    raise UsageError(t("output.bad_extension", path=out, exts=exts, choices="|".join((*TEXT_FORMATS, *OFFICE_FORMATS))))


def formats_of(doc: str) -> tuple[str, ...]:
    """The formats a document has: the tables have xlsx and csv; ``hazards`` has every format."""
    from safetycheck.office.docx import BUILDERS
    from safetycheck.office.tables import TABLES

    if doc == "results":
        return TABLE_FORMATS
    if doc in TABLES:
        return (*TEXT_FORMATS, *OFFICE_FORMATS)
    return (*TEXT_FORMATS, "docx") if doc in BUILDERS else TEXT_FORMATS  # a Word builder per document


def check_format(doc: str, fmt: str) -> None:
    """Refuse a document in a format it does not have, naming those it has.

    Raises:
        UsageError: e.g. ``--doc inspection-record --format xlsx``.
    """
    if fmt not in formats_of(doc):
        raise UsageError(t("report.formats_of", doc=doc, fmt=fmt, formats=", ".join(formats_of(doc))))


def write_bytes(path: Path | None, data: bytes, fmt: str) -> None:
    """Write a file, or to stdout when ``path`` is None (never binary to a terminal).

    Raises:
        UsageError: XLSX or DOCX to a terminal.
        SafetycheckError: the file cannot be written.
    """
    if path is None:
        if fmt != "csv" and sys.stdout.isatty():
            raise UsageError(t("report.binary_stdout", fmt=fmt.upper()))
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from safetycheck import fileio

    fileio.atomic_write(path, data)  # the old file or the new one, never a fragment (full disk, crash)


def table_bytes(doc: str, fmt: str, records: list[Path], today: dt.date | None = None) -> bytes:
    """One table (``hazards`` or ``results``) over the records given, as CSV or XLSX bytes.

    Raises:
        SafetycheckError: an unreadable record.
    """
    from safetycheck.inspection.config import load_config
    from safetycheck.inspection.records import read_record
    from safetycheck.office.tables import build_table

    loaded = [(p, read_record(p)) for p in records]
    table = build_table(doc, loaded, load_config().agency, today)
    if fmt == "csv":
        from safetycheck.office.csvfile import table_csv

        return table_csv(table)
    from safetycheck.office.xlsx import table_xlsx

    return table_xlsx(table)


LEDGER_EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".json": "json"}


def ledger_format(fmt: str, out: Path | None) -> str:
    """The format ``hazards list`` writes: ``--format``, or with ``-o`` and the default ``table``, the extension's.

    Raises:
        UsageError: ``xlsx`` without a file or pipe is caught later; a table into a file is refused here.
    """
    if out is None or fmt != "table":
        return fmt
    found = LEDGER_EXTENSIONS.get(out.suffix.lower())
    if found is None:
        raise UsageError(t("ledger.out_format", path=out))
    return found


def write_ledger(ledger: Any, fmt: str, out: Path | None, fail_on: str | None = None) -> int:
    """``hazards list --format xlsx`` (the 隐患台账 of ``report --doc hazards``), or JSON/CSV into ``-o FILE``.

    The XLSX has the columns of ``report --doc hazards --format xlsx`` and the rows ``hazards list``
    selected, in its order. CSV and JSON keep the ``hazards list`` columns; a CSV file starts with
    a BOM so that Excel reads it as UTF-8.

    Returns:
        The exit code of ``hazards list`` (1 for unreadable records, 3 for a failed ``--fail-on``).

    Raises:
        UsageError: XLSX to a terminal.
        SafetycheckError: the file cannot be written.
    """
    from safetycheck.lifecycle.ledger import ledger_exit, ledger_text

    if fmt == "xlsx":
        from safetycheck.office.tables import ledger_table
        from safetycheck.office.xlsx import table_xlsx

        data = table_xlsx(ledger_table(ledger.rows))
    else:
        data = (b"\xef\xbb\xbf" if fmt == "csv" else b"") + ledger_text(ledger, fmt).encode("utf-8")
    write_bytes(out, data, fmt)
    if out is not None:
        sys.stderr.write(t("report.wrote", count=1, path=out) + "\n")
    return int(ledger_exit(ledger, fail_on))


def run_office_report(records: list[Path], docs: list[str], fmt: str, out: Path | None,
                      templates: list[Path], full: bool = False, issue: bool = False, reissue: bool = False,
                      served: str | None = None, served_how: str | None = None, review: str | None = None,
                      allocator: Any = None) -> None:
    """``safetycheck report`` in an office format.

    Tables (xlsx, csv) put the rows of every record given into one file per document;
    DOCX writes one file per record and document, like the text formats, and is issued the same
    way (``--issue``: numbered; otherwise a 草稿 / DRAFT).

    Raises:
        SafetycheckError: see the writers; UsageError for a document without the format.
    """
    if fmt in TABLE_FORMATS:
        if issue or reissue or served is not None:
            raise UsageError(t("report.table_not_issued", fmt=fmt))
        docs = list(dict.fromkeys(docs)) or ["hazards"]
        for doc in docs:
            check_format(doc, fmt)
        if len(docs) == 1 and (out is None or not out.is_dir()):
            write_bytes(out, table_bytes(docs[0], fmt, records), fmt)
            if out is not None:
                sys.stderr.write(t("report.wrote", count=1, path=out) + "\n")
            return
        if out is None:
            raise UsageError(t("report.needs_folder"))
        from safetycheck.documents.report import output_folder

        folder = output_folder(out)
        for doc in docs:
            write_bytes(folder / f"{doc}.{fmt}", table_bytes(doc, fmt, records), fmt)
        sys.stderr.write(t("report.wrote", count=len(docs), path=folder) + "\n")
        return
    run_docx_report(records, docs, out, templates, full, issue, reissue, served, served_how, review, allocator)


def run_docx_report(records: list[Path], docs: list[str], out: Path | None, templates: list[Path],
                    full: bool = False, issue: bool = False, reissue: bool = False, served: str | None = None,
                    served_how: str | None = None, review: str | None = None, allocator: Any = None) -> None:
    """``report --format docx``: one file per record and document, drafted or issued as the text formats are.

    Raises:
        SafetycheckError: an unreadable record, a refused document, an unusable reference.docx.
    """
    from safetycheck.documents.report import run_report
    from safetycheck.inspection.config import load_config
    from safetycheck.office.docx import find_reference, open_reference, render_docx

    for name in docs:
        check_format(name, "docx")
    if out is None and sys.stdout.isatty():
        raise UsageError(t("report.binary_stdout", fmt="DOCX"))
    reference = find_reference(templates)
    open_reference(reference)  # a bad reference fails before anything is numbered or written
    config = load_config()
    agency = config.agency

    def renderer(record: InspectionRecord, doc: str, path: Path) -> bytes:
        return render_docx(record, doc, agency, reference, full, path.parent, dt.date.today(), review,
                           config.supervision)

    run_report(records, docs, "docx", out, templates, issue, reissue, served, served_how, review=review, full=full,
               renderer=renderer, allocator=allocator)


def run_office_form(request: FormRequest) -> None:
    """``safetycheck form --format docx``: the same forms as the text formats, as Word files.

    Raises:
        SafetycheckError: unknown names, a bad date, an unusable reference.docx.
    """
    from safetycheck.catalog.catalog import open_catalog
    from safetycheck.documents.forms import _entries, _has_tag, form_view, join_forms, parse_date
    from safetycheck.documents.report import output_folder
    from safetycheck.office.docx import find_reference, form_docx, open_reference

    if request.every and request.names:
        raise UsageError(t("form.both"))
    if not request.every and not request.names:
        raise UsageError(t("form.no_names"))
    date = parse_date(request.date)
    reference = find_reference(request.templates)
    open_reference(reference)
    catalog = open_catalog(request.checklists)
    entries, title = _entries(catalog, request)
    per_file = request.out is not None and (request.every or request.out.is_dir())
    if per_file:
        assert request.out is not None
        folder = output_folder(request.out)
        count = 0
        for entry, excluded in entries:
            if request.tags and not _has_tag(entry, excluded, request.tags):
                continue
            write_bytes(folder / f"{entry.id}.docx", form_docx(form_view([(entry, excluded)], request.tags, date),
                                                                reference), "docx")
            count += 1
        if not count:
            raise UsageError(t("form.no_items", tags=", ".join(request.tags)))
        sys.stderr.write(t("form.wrote", count=count, path=folder) + "\n")
        return
    if request.every:
        views = [form_view([(e, x)], request.tags, date) for e, x in entries
                 if not request.tags or _has_tag(e, x, request.tags)]
        if not views:
            raise UsageError(t("form.no_items", tags=", ".join(request.tags)))
        view = join_forms(views)
    else:
        view = form_view(entries, request.tags, date, title)
    write_bytes(request.out, form_docx(view, reference), "docx")
    if request.out is not None:
        sys.stderr.write(t("form.wrote", count=1, path=request.out) + "\n")
