"""The hazard ledger (隐患台账): one row per hazard over a folder of records, and its columns.

The columns and JSON keys are defined here once, for ``hazards list`` and every later use
(Excel, the store, statistics).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safetycheck.errors import SafetycheckError
from safetycheck.inspection.recordmodels import InspectionRecord
from safetycheck.lifecycle.hazards import HazardState, hazard_states
from safetycheck.messages import t
from safetycheck.text import cite_texts, json_text, visible

KEYS = ("record_id", "file", "unit", "hazard", "checklist", "item", "item_text", "kind", "level", "description",
        "basis",
        "measure", "owner", "funds", "deadline", "status", "overdue_days", "found_at", "rectified_at", "reviewed_at",
        "reviewed_by", "closed_at", "last_event")


def _header(key: str) -> Callable[[], str]:
    return lambda: t(f"ledger.{key}")


# (JSON key and CSV column, its header in the current language)
COLUMNS: list[tuple[str, Callable[[], str]]] = [(key, _header(key)) for key in KEYS]
TABLE_COLUMNS = ("file", "hazard", "unit", "item", "kind", "level", "deadline", "status", "overdue_days", "description")
RECORD_MARK = b"safetycheck.record/"


def _item_text(record: InspectionRecord, checklist: str, item: str) -> tuple[str, list[str]]:
    for snap in record.checklists:
        if snap.id == checklist:
            for it in snap.items:
                if it.id == item:
                    return it.text, cite_texts(it.basis)
    return "", []


def ledger_row(record: InspectionRecord, state: HazardState, file: str, today: dt.date) -> dict[str, Any]:
    """One ledger row, keyed as :data:`COLUMNS`."""
    text, basis = _item_text(record, state.response.checklist, state.response.item)
    last = state.events[-1] if state.events else None
    return {
        "record_id": record.id,
        "file": file,
        "unit": record.unit.name,
        "hazard": state.id,
        "checklist": state.response.checklist,
        "item": state.response.item,
        "item_text": text,
        "kind": state.hazard.kind,  # problem: a 问题 of a government body (supervise), without a level
        "level": state.hazard.level,
        "description": state.hazard.description,
        "basis": t("sep.semi").join(basis),
        "measure": state.hazard.measure,
        "owner": state.hazard.owner,
        "funds": state.funds,
        "deadline": state.deadline.isoformat() if state.deadline else None,
        "status": state.shown_status(today),
        "status_text": t(state.label_key(today)),
        "overdue_days": state.overdue_days(today),
        "found_at": state.found_at.isoformat() if state.found_at else None,
        "rectified_at": state.rectified_at,
        "reviewed_at": state.reviewed_at,
        "reviewed_by": state.reviewed_by,
        "closed_at": state.closed_at,
        "last_event": f"{last.kind} {last.at.isoformat()}" if last else None,
    }


@dataclass
class Ledger:
    """The rows, and the files that could not be read (each a one-line warning)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)


def record_files(paths: list[Path]) -> Iterator[Path]:
    """``*.toml`` files under ``paths`` (folders recursively, dotfiles and dot-folders skipped), in order."""
    for path in paths or [Path()]:
        if path.is_dir():
            for found in sorted(path.rglob("*.toml")):
                rel = found.relative_to(path).parts
                if not any(part.startswith(".") for part in rel) and found.is_file():
                    yield found
        else:
            yield path


def matches(row: dict[str, Any], status: str, level: str | None, unit: str | None, due_within: int | None,
            today: dt.date, kind: str | None = None) -> bool:
    """A row kept by the filters of ``hazards list``."""
    if kind and row["kind"] != kind:
        return False
    shown = row["status"]
    if status == "not-closed" and shown == "closed":
        return False
    if status not in ("all", "not-closed") and shown != status:
        return False
    if level and row["level"] != level:
        return False
    if unit and unit not in row["unit"]:
        return False
    if due_within is not None:
        if shown == "closed" or row["deadline"] is None:
            return False
        if dt.date.fromisoformat(row["deadline"]) > today + dt.timedelta(days=due_within):
            return False
    return True


def build_ledger(paths: list[Path], status: str = "not-closed", level: str | None = None, unit: str | None = None,
                 due_within: int | None = None, today: dt.date | None = None, kind: str | None = None) -> Ledger:
    """Read every record under ``paths`` and list its hazards; overdue first, then by deadline."""
    from safetycheck.lifecycle.files import parse_migrated

    day = today or dt.date.today()
    ledger = Ledger()
    for path in record_files(paths):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            ledger.broken.append(t("ledger.unreadable", path=path, error=exc.strerror or exc))
            continue
        if RECORD_MARK not in raw:
            continue  # not a safetycheck record: not ours to list
        try:
            record = parse_migrated(raw, str(path))
        except SafetycheckError as exc:
            ledger.broken.append(str(exc).splitlines()[0])
            continue
        if record.status != "complete":
            continue  # hazards get their ids, and enter the ledger, when the walk completes
        for state in hazard_states(record):
            row = ledger_row(record, state, str(path), day)
            if matches(row, status, level, unit, due_within, day, kind):
                ledger.rows.append(row)
    ledger.rows.sort(key=lambda r: (-r["overdue_days"], r["deadline"] or "9999", r["file"], _seq(r["hazard"])))
    return ledger


def _seq(hazard: str) -> int:
    return int(hazard[1:]) if hazard[1:].isdigit() else 0


def cell_text(value: Any) -> str:
    """A value as a table cell shows it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={cell_text(v)}" for k, v in value.items())
    return str(value)


def _csv_cell(value: Any) -> Any:
    """Numbers stay numbers; text that a spreadsheet would run as a formula is defused (OWASP)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = cell_text(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def ledger_text(ledger: Ledger, fmt: str) -> str:
    """The ledger as JSON or CSV text (the columns and keys of :data:`COLUMNS`)."""
    if fmt == "json":
        rows = [{key: row[key] for key, _ in COLUMNS} for row in ledger.rows]
        return json_text(rows) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label() for _, label in COLUMNS])
    for row in ledger.rows:
        writer.writerow([_csv_cell(row[key]) for key, _ in COLUMNS])
    return buffer.getvalue()


def print_ledger(ledger: Ledger, fmt: str, fail_on: str | None = None) -> int:
    """Print the ledger as a table, JSON or CSV; warnings for broken records; the exit code.

    With ``fail_on`` (the CI gate), exit 3 when a listed hazard fails it; a broken record (1) wins.
    """
    if fmt in ("json", "csv"):
        sys.stdout.write(ledger_text(ledger, fmt))
    else:
        _print_table(ledger.rows)
    return ledger_exit(ledger, fail_on)


def ledger_exit(ledger: Ledger, fail_on: str | None = None) -> int:
    """Warn of the records that could not be read; the exit code (1 for those, else the gate's)."""
    if ledger.broken:
        from safetycheck.console import print_warning

        for line in ledger.broken:
            print_warning(line)
    return _gate(1 if ledger.broken else 0, fail_on, ledger.rows)


def _gate(code: int, fail_on: str | None, rows: list[dict[str, Any]]) -> int:
    from safetycheck.lifecycle.gate import fails_gate, gate_exit

    if not fail_on:
        return code
    hits = sum(fails_gate(fail_on, row["level"], row["status"]) for row in rows)
    if hits:
        sys.stderr.write(t("gate.failed", gate=fail_on, count=hits) + "\n")
    return gate_exit(code, fail_on, hits)


def _short(file: str) -> str:
    """A file as typed: relative to the working folder when inside it."""
    try:
        return str(Path(file).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return file


def _print_table(rows: list[dict[str, Any]]) -> None:
    import shutil

    from safetycheck.layout import table

    labels = dict(COLUMNS)
    cells = []
    for row in rows:
        level = t(f"doc.level.{row['level']}.short") if row["level"] else ""
        shown = dict(row, status=row["status_text"], level=level, kind=t(f"ledger.kind.{row['kind']}"),
                     overdue_days=str(row["overdue_days"]) if row["overdue_days"] else "", file=_short(row["file"]))
        cells.append([cell_text(shown[key]) for key in TABLE_COLUMNS])
    if rows:
        width = shutil.get_terminal_size((100, 24)).columns
        headers = [labels[key]() for key in TABLE_COLUMNS]
        index = {key: i for i, key in enumerate(TABLE_COLUMNS)}
        text = table(headers, cells, width, shrink=(index["description"], index["unit"], index["file"]),
                     drop=(index["item"],))
        sys.stdout.write(visible(text) + "\n")
    problems = sum(1 for row in rows if row["kind"] == "problem")
    if problems:  # problems of government bodies are counted apart from hazards
        sys.stdout.write(t("ledger.count_problems", hazards=len(rows) - problems, problems=problems) + "\n")
    else:
        sys.stdout.write(t("ledger.count", count=len(rows)) + "\n")
