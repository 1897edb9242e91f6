"""``safetycheck verify``: recompute the seal and the chain of each record, and say what changed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from safetycheck.errors import SafetycheckError
from safetycheck.lifecycle.files import load_record
from safetycheck.lifecycle.seal import SCHEMA_1, SCHEMA_2, verify_record
from safetycheck.messages import t
from safetycheck.text import json_text, visible


def verify_files(paths: list[Path]) -> list[dict[str, Any]]:
    """``verify`` over files: one row each (``file``, ``state``, ``seal``, ``changes``, ``schema``).

    A file that cannot be read is a row with state ``unreadable`` and its error as the change.
    """
    rows: list[dict[str, Any]] = []
    for path in paths:
        try:
            record, was_v1 = load_record(path)
        except SafetycheckError as exc:
            rows.append({"file": str(path), "state": "unreadable", "seal": None, "changes": [str(exc)],
                         "schema": None})
            continue
        verdict = verify_record(record, was_v1)
        rows.append({"file": str(path), "state": verdict.state, "seal": verdict.seal, "changes": verdict.changes,
                     "schema": SCHEMA_1 if was_v1 else SCHEMA_2})
    return rows


def print_verify(rows: list[dict[str, Any]], fmt: str) -> int:
    """Print ``verify``'s rows as text or JSON; the exit code (1 when any record changed or is unreadable)."""
    if fmt == "json":
        sys.stdout.write(json_text(rows) + "\n")
    else:
        for row in rows:
            seal = (row["seal"] or "")[:16]
            if row["state"] == "intact":
                key = "verify.intact_v1" if row["schema"] == SCHEMA_1 else "verify.intact"
                sys.stdout.write(visible(t(key, path=row["file"], seal=seal), one_line=True) + "\n")
            elif row["state"] == "not-sealed":
                sys.stdout.write(visible(t("verify.not_sealed", path=row["file"]), one_line=True) + "\n")
            elif row["state"] == "unreadable":
                sys.stdout.write(visible(row["changes"][0], one_line=True) + "\n")
            else:
                for change in row["changes"]:
                    line = t("verify.changed", path=row["file"], change=change)
                    sys.stdout.write(visible(line, one_line=True) + "\n")
    return 0 if all(row["state"] in ("intact", "not-sealed") for row in rows) else 1
