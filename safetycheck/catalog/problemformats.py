"""Validation problems for CI dashboards: SARIF 2.1.0 (code scanning) and JUnit XML (test reports)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from safetycheck import __version__
from safetycheck.console import format_problem
from safetycheck.errors import Problem
from safetycheck.messages import t

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULE_ID = "invalid-checklist"


def _uri(path: str) -> str:
    """A file's SARIF ``uri``: relative paths stay relative to ``%SRCROOT%``, percent-encoded."""
    candidate = Path(path)
    if candidate.is_absolute():
        return candidate.as_uri()
    return quote(path.replace("\\", "/"))


def sarif_log(problems: list[Problem]) -> str:
    """A SARIF 2.1.0 log with one result per problem, as JSON text.

    Why one rule: a problem carries its message, not a code; dashboards group by rule, and
    every problem means the same thing to them: this file does not validate.
    """
    results = []
    for problem in sorted(problems, key=Problem.sort_key):
        loc = problem.location
        physical: dict[str, object] = {"artifactLocation": {"uri": _uri(loc.path), "uriBaseId": "%SRCROOT%"}}
        if loc.line:
            region: dict[str, int] = {"startLine": loc.line}
            if loc.column:
                region["startColumn"] = loc.column
            physical["region"] = region
        result: dict[str, object] = {
            "ruleId": RULE_ID,
            "ruleIndex": 0,
            "level": "error",
            "message": {"text": problem.message},
            "locations": [{"physicalLocation": physical}],
        }
        if problem.pointer:
            result["properties"] = {"pointer": problem.pointer}
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "safetycheck",
                "version": __version__,
                "rules": [{
                    "id": RULE_ID,
                    "name": "InvalidChecklist",
                    "shortDescription": {"text": t("validate.rule")},
                    "defaultConfiguration": {"level": "error"},
                }],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def junit_xml(problems: list[Problem], files: list[str]) -> str:
    """A JUnit XML report: one test case per file, failed with every problem found in it."""
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Problem]] = {}
    for problem in sorted(problems, key=Problem.sort_key):
        by_file.setdefault(problem.location.path, []).append(problem)
    names = list(dict.fromkeys([*files, *by_file]))
    failed = sum(1 for name in names if by_file.get(name))
    counts = {"tests": str(len(names)), "failures": str(failed), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "safetycheck validate", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "safetycheck validate", **counts})
    for name in names:
        case = ET.SubElement(suite, "testcase", {"classname": "safetycheck.validate", "name": name, "file": name})
        found = by_file.get(name)
        if found:
            failure = ET.SubElement(case, "failure", {"type": "error",
                                                      "message": t("validate.problems", count=len(found))})
            failure.text = "\n".join(format_problem(p) for p in found)  # the lines of --format text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
