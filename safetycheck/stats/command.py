"""``safetycheck stats``: read the records, compute the figures, write them in the format asked."""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetycheck.stats.facts import RecordFacts, Selection, facts_from_files
from safetycheck.stats.figures import Figures, compute_figures

FORMATS = ("table", "json", "csv", "xlsx", "html")
DOC_FORMATS = ("html", "md", "docx")


@dataclass
class StatsRequest:
    """What ``safetycheck stats`` was asked for."""

    paths: list[Path]
    selection: Selection
    by: str | None = None
    fmt: str = "table"
    out: Path | None = None
    fail_on: str | None = None
    broken: list[str] = field(default_factory=list)
    # ``--store``: the store's sums for a list of groupings (None: the total), as plain rows
    # (``store.statsrows.figure_rows``); the command line supplies it, so ``stats`` never imports the store.
    store_rows: Callable[[list[str | None], bool, bool], dict[str, Any]] | None = None  # (groupings, months, gate)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A callback (done, total) drawing a Rich progress bar on stderr, only on a terminal and only
    once the work has taken more than a second (``SAFETYCHECK_PROGRESS_AFTER``)."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from safetycheck.console import progress_delay

    start, after = time.monotonic(), progress_delay()
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            if time.monotonic() - start < after:
                return
            from rich.progress import Progress

            from safetycheck.console import make_console

            bar = Progress(console=make_console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(label, total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()


def gather(request: StatsRequest, keep: Callable[[RecordFacts], None] | None = None) -> Figures:
    """The figures of the selected records (``keep`` also sees each record's facts)."""
    from safetycheck.messages import t

    with progress_bar(t("stats.progress")) as progress:
        stream = facts_from_files(request.paths, request.selection, request.broken, progress)
        if keep is not None:
            stream = _tee(stream, keep)
        return compute_figures(stream, request.selection.day, request.by, also_for(request.fmt))


def from_store(request: StatsRequest) -> tuple[Figures, int]:
    """The figures from the store's sums, and how many hazards fail ``--fail-on`` (0 without it)."""
    from safetycheck.stats.storefigures import figures_from_rows, gate_hits

    assert request.store_rows is not None
    also = also_for(request.fmt)
    wanted = [None, *dict.fromkeys(b for b in (request.by, *also) if b)]
    rows = request.store_rows(wanted, request.fmt in ("html", "xlsx"), bool(request.fail_on))
    figures = figures_from_rows(rows, request.by, also)
    return figures, gate_hits(rows, request.fail_on) if request.fail_on else 0


def also_for(fmt: str) -> tuple[str, ...]:
    """The groupings a format needs besides ``--by``."""
    if fmt in ("html", "xlsx"):
        from safetycheck.stats.dashboard import ALSO

        return ALSO
    return ()


def _tee(stream: Iterator[RecordFacts], keep: Callable[[RecordFacts], None]) -> Iterator[RecordFacts]:
    for facts in stream:
        keep(facts)
        yield facts


def render(figures: Figures, request: StatsRequest) -> str | bytes:
    """The figures in the format asked."""
    from safetycheck.stats import output

    if request.fmt == "html":
        from safetycheck.stats.dashboard import dashboard_html

        return dashboard_html(figures, request.selection)
    if request.fmt == "xlsx":
        from safetycheck.stats.workbook import workbook_bytes

        return workbook_bytes(figures, request.selection)
    if request.fmt == "json":
        return output.json_text(figures, request.selection)
    if request.fmt == "csv":
        return output.csv_bytes(figures)
    width = shutil.get_terminal_size((100, 24)).columns
    return output.table_text(figures, request.selection, width)


def write(content: str | bytes, out: Path | None) -> None:
    """To ``out``, or to stdout."""
    if out is not None:
        out.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    elif isinstance(content, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)


def run_stats(request: StatsRequest) -> int:
    """Produce the figures; print warnings for broken records; the exit code (1 broken wins over 3 gate)."""
    from safetycheck.console import print_warning
    from safetycheck.lifecycle.gate import fails_gate, gate_exit
    from safetycheck.messages import t

    hits = [0]

    def count(facts: RecordFacts) -> None:
        gate = request.fail_on
        if gate and not facts.flagged:
            hits[0] += sum(fails_gate(gate, h.level or "", "overdue" if h.overdue else h.status) for h in facts.hazards)

    if request.store_rows is not None:
        figures, hits[0] = from_store(request)
    else:
        figures = gather(request, count if request.fail_on else None)
    write(render(figures, request), request.out)
    for line in request.broken:
        print_warning(line)
    if request.fail_on and hits[0]:
        sys.stderr.write(t("gate.failed", gate=request.fail_on, count=hits[0]) + "\n")
    return gate_exit(1 if request.broken else 0, request.fail_on, hits[0])


def run_monthly(paths: list[Path], month: str, unit: str | None, fmt: str, out: Path | None,
                store: Any = None) -> int:
    """Write the monthly report (from the store's rows with ``store``, a ``monthly.StoreSource``); the exit code."""
    from safetycheck.console import print_warning
    from safetycheck.inspection.config import load_config
    from safetycheck.stats.monthly import monthly_data, monthly_text

    broken: list[str] = []
    agency = load_config().agency
    from safetycheck.messages import t

    with progress_bar(t("stats.progress")) as progress:
        data = monthly_data(paths, month, unit, broken, agency.name if agency else None, store, progress)
    if fmt == "docx":
        from safetycheck.stats.monthlydocx import monthly_docx, unit_chart_png

        chart = unit_chart_png(data)
        data["charts"] = [chart] if chart else []
        write(monthly_docx(data), out)
    else:
        write(monthly_text(data, fmt), out)
    for line in dict.fromkeys(broken):
        print_warning(line)
    return 1 if broken else 0
