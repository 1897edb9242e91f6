"""``hazards list --format xlsx`` and ``-o FILE``: the 隐患台账 of ``report --doc hazards`` over the rows listed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, run_cli

RECORDS = DATA / "records"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Three records of the three modes (the supervision one with 问题, which have no level)."""
    root = tmp_path_factory.mktemp("ledger")
    for name in ("inspect", "self", "v2-supervise"):
        shutil.copy(RECORDS / f"{name}.toml", root / f"{name}.toml")
    return root


def _sheet(data: bytes):
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_hazards_list_xlsx_has_the_report_ledger_columns_and_the_listed_rows(folder, tmp_path):
    done = run_cli("hazards", "list", ".", "--status", "all", "--format", "xlsx", "-o", str(tmp_path / "台账.xlsx"),
                   cwd=folder)
    assert done.returncode == 0, done.stderr
    sheet = _sheet((tmp_path / "台账.xlsx").read_bytes())
    listed = json.loads(run_cli("hazards", "list", ".", "--status", "all", "--format", "json", cwd=folder).stdout)
    report = run_cli("report", "inspect.toml", "--doc", "hazards", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"),
                     cwd=folder)
    assert report.returncode == 0, report.stderr
    header = [c.value for c in sheet[1]]
    assert header == [c.value for c in _sheet((tmp_path / "r.xlsx").read_bytes())[1]]  # the same columns
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [(r["记录文件"], r["隐患编号"]) for r in rows] == [(h["file"], h["hazard"]) for h in listed]  # its order
    assert [r["序号"] for r in rows] == list(range(1, len(listed) + 1))
    assert {r["等级"] for r in rows} == {"一般", "重大", "问题"}
    assert all(isinstance(r["整改期限"], dt.datetime) for r in rows if r["整改期限"] is not None)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:W{len(rows) + 1}"


def test_hazards_list_filters_apply_to_the_xlsx_and_csv_files(folder, tmp_path):
    done = run_cli("hazards", "list", ".", "--level", "major", "-o", str(tmp_path / "major.xlsx"), cwd=folder)
    assert done.returncode == 0, done.stderr
    assert {c.value for c in _sheet((tmp_path / "major.xlsx").read_bytes())["I"][1:]} == {"重大"}
    done = run_cli("hazards", "list", ".", "--format", "csv", "-o", str(tmp_path / "台账.csv"), cwd=folder)
    assert done.returncode == 0, done.stderr
    data = (tmp_path / "台账.csv").read_bytes()
    stdout = run_cli("hazards", "list", ".", "--format", "csv", cwd=folder).stdout
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data  # a BOM for Excel, CRLF
    assert data[3:].decode("utf-8").replace("\r\n", "\n") == stdout  # the CSV hazards list prints
    assert len(list(csv.reader(io.StringIO(stdout, newline="")))) > 1


def test_hazards_list_file_errors_are_one_line(folder, tmp_path):
    wrong = run_cli("hazards", "list", ".", "-o", str(tmp_path / "台账.txt"), cwd=folder)
    assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1 and ".xlsx" in wrong.stderr
    store = run_cli("hazards", "list", "--store", "--format", "xlsx", "-o", str(tmp_path / "s.xlsx"), cwd=folder)
    assert store.returncode == 2 and len(store.stderr.strip().splitlines()) == 1 and "--store" in store.stderr
    assert not (tmp_path / "台账.txt").exists() and not (tmp_path / "s.xlsx").exists()


def test_report_ledger_of_a_supervision_with_problems_names_them(tmp_path):
    done = run_cli("report", str(RECORDS / "v2-supervise.toml"), "--doc", "hazards", "-o", str(tmp_path / "t.xlsx"))
    assert done.returncode == 0, done.stderr
    assert {c.value for c in _sheet((tmp_path / "t.xlsx").read_bytes())["I"][1:]} >= {"问题"}
