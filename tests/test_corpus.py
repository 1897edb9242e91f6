"""The malformed-input corpus: every case ends in its expected one-line messages, exit 1, no traceback.

``tests/data/bad/`` holds one case per file (a template case is a folder), each beside
``<case>.expected``, the exact lines the command prints:

- ``bad_*.yaml`` — checklists, through ``validate`` (stdout);
- ``profiles/`` — profiles naming the checklists of ``tests/data/answers/checklists``, through ``validate``;
- ``answers/`` — answers files, through ``run alpha beta --answers`` (stderr);
- ``records/`` — records, through ``report`` (stderr);
- ``counters/`` — document-number counter files, through a ``report`` that numbers (stderr);
- ``templates/`` — user template folders holding ``self-audit.md.j2``, through ``report --templates`` (stderr).

Each case is copied into an empty folder and run there, so the messages name it by a short path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from safetycheck.cli import build_app
from tests.conftest import DATA

BAD = DATA / "bad"
CHECKLISTS = DATA / "answers" / "checklists"
AGENCY = '[agency]\nname = "长治市潞城区应急管理局"\nshort_name = "潞应急"\n'


def _cases() -> list[tuple[str, Path]]:
    cases = [("checklists", p) for p in sorted(BAD.glob("bad_*.yaml"))]
    for kind in ("profiles", "answers", "records", "counters", "templates"):
        cases += [(kind, p) for p in sorted((BAD / kind).glob("bad_*")) if p.suffix != ".expected"]
    return cases


CASES = _cases()


def _prepare(kind: str, case: Path, work: Path) -> tuple[list[str], str]:
    """Lay out the case in ``work``; return the command line and the stream its messages go to."""
    if kind == "checklists":
        shutil.copy(case, work / case.name)
        return ["validate", case.name], "stdout"
    if kind == "profiles":
        (work / "profiles").mkdir()
        shutil.copy(case, work / "profiles" / case.name)
        shutil.copytree(CHECKLISTS, work / "cl")
        return ["validate", f"profiles/{case.name}", "--checklists", "cl"], "stdout"
    if kind == "answers":
        shutil.copy(case, work / case.name)
        return ["run", "alpha", "beta", "--checklists", str(CHECKLISTS), "--answers", case.name], "stderr"
    if kind == "records":
        shutil.copy(case, work / case.name)
        return ["report", case.name, "--format", "md"], "stderr"
    if kind == "counters":
        lines = (DATA / "records" / "inspect.toml").read_text(encoding="utf-8").split("\n[numbers]\n")[0]
        (work / "r.toml").write_text(lines + "\n", encoding="utf-8")
        (work / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
        shutil.copy(case, work / "state" / "document-numbers.toml")
        return ["report", "r.toml", "--format", "md", "--issue"], "stderr"
    assert kind == "templates"
    shutil.copytree(case, work / "t")
    shutil.copy(DATA / "records" / "self.toml", work / "self.toml")
    return ["report", "self.toml", "--templates", "t", "--format", "md"], "stderr"


def test_corpus_covers_every_class() -> None:
    kinds = [kind for kind, _ in CASES]
    assert kinds.count("checklists") >= 40
    for kind in ("profiles", "answers", "records", "counters", "templates"):
        assert kinds.count(kind) >= 3, kind
    assert kinds.count("records") >= 15


@pytest.mark.parametrize(("kind", "case"), CASES, ids=[f"{k}/{p.name}" for k, p in CASES])
def test_malformed_input_ends_in_its_expected_messages(kind: str, case: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    named = case.with_name(case.name + ".expected")  # answers: bad_x.yaml and bad_x.toml are two cases
    expected = (named if named.exists() else case.with_suffix(".expected")).read_text(encoding="utf-8").splitlines()
    assert expected, f"{case.name} has no expected messages"
    work = tmp_path / "work"
    (work / "state").mkdir(parents=True)
    args, stream = _prepare(kind, case, work)
    before = {p: p.read_bytes() for p in work.rglob("*") if p.is_file()}
    monkeypatch.chdir(work)
    result = CliRunner().invoke(build_app(), args, env={"SAFETYCHECK_CONFIG_DIR": "state",
                                                        "COLUMNS": "100"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    got = (result.stdout if stream == "stdout" else result.stderr).splitlines()
    assert got == expected
    after = {p: p.read_bytes() for p in work.rglob("*") if p.is_file() and p.suffix != ".lock"}
    assert after == before  # a refused input writes nothing (the counters' empty lock file aside)


@pytest.mark.parametrize("name", ["bad_exclude_unknown.yaml", "bad_excludes_all.yaml", "bad_unknown_checklist.yaml"])
def test_run_refuses_the_profile_validate_refuses(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One check for both: the same lines, located in the profile, and no record written."""
    shutil.copytree(CHECKLISTS, tmp_path / "cl")
    (tmp_path / "cl" / "profiles").mkdir()
    shutil.copy(BAD / "profiles" / name, tmp_path / "cl" / "profiles" / name)
    (tmp_path / "a.yaml").write_text("mode: self\nunit: {name: 某公司}\ninspectors: [{name: 周敏, post: 安全员}]\n"
                                     "default: na\n", encoding="utf-8")
    profile_id = next(line.split(": ", 1)[1] for line in (tmp_path / "cl" / "profiles" / name).read_text(
        encoding="utf-8").splitlines() if line.startswith("id: "))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(build_app(), ["run", profile_id, "--checklists", "cl", "--answers", "a.yaml"],
                                env={"SAFETYCHECK_CONFIG_DIR": "state"})
    expected = (BAD / "profiles" / name).with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"cl/{line}" for line in expected]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "cl"]
