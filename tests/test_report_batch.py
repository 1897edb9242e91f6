"""A batch report renders as it reads, and writes every document or none."""

from __future__ import annotations

import shutil
from pathlib import Path

RECORDS = Path(__file__).resolve().parent / "data" / "records"


def _batch(tmp_path: Path, *names: str) -> list[str]:
    """Copies of fixture records, ``name`` or ``name:copy`` (the same record under another file name)."""
    files = []
    for spec in names:
        name, _, copy = spec.partition(":")
        target = tmp_path / f"{copy or name}.toml"
        shutil.copy(RECORDS / f"{name}.toml", target)
        files.append(target.name)
    return files


def _everything(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_batch_writes_every_document_and_no_temporary_file(cli, tmp_path):
    files = _batch(tmp_path, "self", "self:self-2", "supervise", "inspect")
    result = cli("report", *files, "--format", "md", "-o", "docs")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "docs").iterdir())
    assert names == ["inspect.inspection-record.md", "self-2.self-audit.md", "self.self-audit.md",
                     "supervise.supervision.md"]
    alone = cli("report", "self.toml", "--format", "md")  # the same document on stdout
    assert (tmp_path / "docs" / "self.self-audit.md").read_text(encoding="utf-8") == alone.stdout
    assert not list(tmp_path.rglob("*.tmp"))


def test_an_unreadable_last_record_leaves_no_document_and_no_folder(cli, tmp_path):
    files = _batch(tmp_path, "self", "self:self-2", "supervise")
    (tmp_path / "zz-broken.toml").write_text("schema = [broken", encoding="utf-8")
    before = _everything(tmp_path)
    result = cli("report", *files, "zz-broken.toml", "--format", "html", "-o", "docs")
    assert result.exit_code == 1
    assert "zz-broken.toml:1:" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "docs").exists()
    assert _everything(tmp_path) == before  # no temporary file, no record touched


def test_a_refused_last_document_keeps_an_existing_folder_as_it_was(cli, tmp_path):
    files = _batch(tmp_path, "self", "self:self-2", "inspect")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "self.self-audit.txt").write_text("an older document\n", encoding="utf-8")
    before = _everything(docs)
    result = cli("report", *files, "--doc", "self-audit", "--format", "txt", "-o", "docs")
    assert result.exit_code == 2  # inspect.toml has no self-audit, found after two documents were rendered
    assert "inspect.toml" in result.stderr
    assert _everything(docs) == before


def test_a_template_fault_on_a_later_record_leaves_nothing(cli, tmp_path):
    files = _batch(tmp_path, "self", "supervise")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "supervision.md.j2").write_text("{{ no_such_thing.here }}\n", encoding="utf-8")
    result = cli("report", *files, "--format", "md", "--templates", "tpl", "-o", "docs")
    assert result.exit_code == 1
    assert "supervision.md.j2:1:" in result.stderr
    assert not (tmp_path / "docs").exists()
    assert not list(tmp_path.rglob("*.tmp"))


def test_issue_refused_on_a_later_record_makes_no_folder(cli, tmp_path):
    files = _batch(tmp_path, "inspect", "in-progress")  # the second is not complete: --issue refuses it
    before = _everything(tmp_path)
    result = cli("report", *files, "--issue", "--doc", "hazards", "--format", "md", "-o", "docs")
    assert result.exit_code != 0
    assert "in-progress.toml" in result.stderr
    assert not (tmp_path / "docs").exists()
    assert _everything(tmp_path) == before  # no record changed, no number taken
