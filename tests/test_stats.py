"""``safetycheck stats``: the figures agree with an independent computation over generated records."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import random
import re
import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tests.conftest import run_cli

UNITS = ["甲化工公司", "乙煤矿", "丙加油站", "丁建筑公司", "戊商场"]
PEOPLE = ["张三", "李四", "王五", "赵六"]
INDUSTRIES = ["化工", "煤矿", "商贸"]
FROM, TO = dt.date(2026, 2, 1), dt.date(2026, 10, 31)
TZ = dt.timezone(dt.timedelta(hours=8))


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def _snapshot(cid: str, copy_of: str | None) -> dict[str, Any]:
    items = []
    for i in range(6):
        item = {"id": f"{cid}-{i}", "text": f"{cid} 第{i}项？", "standard": "标准", "section": "s1"}
        if i == 0 and copy_of:
            item["same_as"] = copy_of
        items.append(item)
    return {"id": cid, "title": f"清单{cid}", "version": "1.0", "sha256": "0" * 64, "sections": [{"id": "s1",
            "title": "一"}], "items": items}


def make_record(rng: random.Random, n: int) -> dict[str, Any]:
    """A complete /2 record with hazards, and events that rectify, review, move deadlines and close them."""
    start = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 330))
    record: dict[str, Any] = {
        "schema": "safetycheck.record/2", "id": f"00000000-0000-0000-0000-{n:012d}",
        "mode": rng.choice(["inspect", "self", "supervise"]), "status": "complete",
        "started_at": _at(start, 9), "finished_at": _at(start, 11),
        "unit": {"name": rng.choice(UNITS), "industry": rng.sample(INDUSTRIES, rng.randrange(0, 3))},
        "inspectors": [{"name": p} for p in rng.sample(PEOPLE, rng.randrange(0, 3))],
        "checklists": [_snapshot("c1", None), _snapshot("c2", "c1/c1-1")],
        "responses": [], "events": [],
    }
    hid = 0
    results: dict[str, str] = {}
    for cid in ("c1", "c2"):
        for i in range(6):
            key = f"{cid}/{cid}-{i}"
            response: dict[str, Any] = {"checklist": cid, "item": f"{cid}-{i}", "answered_at": _at(start, 10)}
            if cid == "c2" and i == 0:
                response.update(result=results["c1/c1-1"], same_as="c1/c1-1")
            else:
                result = rng.choices(["pass", "fail", "na"], [5, 3, 1])[0]
                response["result"] = result
                if result == "fail":
                    hid += 1
                    deadline = start + dt.timedelta(days=rng.randrange(0, 60))
                    hazard = {"id": f"h{hid}", "level": rng.choices(["general", "major"], [4, 1])[0],
                              "description": f"问题{hid}", "deadline": deadline}
                    if rng.random() < 0.5:
                        hazard["funds"] = float(rng.randrange(1, 50) * 100)
                    response["hazard"] = hazard
                    record["events"].extend(_events(rng, f"h{hid}", start, deadline))
            results[key] = response["result"]
            record["responses"].append(response)
    return record


def _events(rng: random.Random, hid: str, start: dt.date, deadline: dt.date) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    day = start
    if rng.random() < 0.25:  # a failed review moves the deadline
        day += dt.timedelta(days=rng.randrange(1, 40))
        out.append({"kind": "rectified", "date": day})
        day += dt.timedelta(days=rng.randrange(1, 10))
        deadline = day + dt.timedelta(days=rng.randrange(5, 40))
        out.append({"kind": "reviewed", "date": day, "passed": False, "deadline": deadline})
    if rng.random() < 0.7:
        day += dt.timedelta(days=rng.randrange(1, 80))
        out.append({"kind": "rectified", "date": day})
        if rng.random() < 0.8:
            day += dt.timedelta(days=rng.randrange(0, 10))
            out.append({"kind": "closed", "date": day, "org": "某局"})
    return [{"at": _at(e["date"], 12), "kind": e.pop("kind"), "hazard": hid, "detail": e, "hash": ""} for e in out]


# --- the independent computation: plain Python over the generated data, none of the tool's code --


def hazard_rows(record: dict[str, Any], to: dt.date = TO) -> list[dict[str, Any]]:
    rows = []
    for r in record["responses"]:
        if "hazard" not in r:
            continue
        h = r["hazard"]
        status, deadline, closed = "open", h["deadline"], None
        for e in record["events"]:
            d = e["detail"]
            if e["hazard"] != h["id"] or d["date"] > to:
                continue
            if e["kind"] == "rectified":
                status = "rectified"
            elif e["kind"] == "reviewed":
                status, deadline = "open", d["deadline"]
            elif e["kind"] == "closed":
                status, closed = "closed", d["date"]
        rows.append({"id": h["id"], "level": h["level"], "status": status, "deadline": deadline, "closed": closed,
                     "funds": h.get("funds", 0.0), "found": record["started_at"].date()})
    return rows


def expected(records: list[dict[str, Any]], to: dt.date = TO) -> dict[str, Any]:
    hazards = [h for rec in records for h in hazard_rows(rec, to)]
    closed = [h for h in hazards if h["status"] == "closed"]
    due = [h for h in hazards if h["deadline"] <= to]
    days = [(h["closed"] - h["found"]).days for h in closed]
    fails: Counter[tuple[str, str]] = Counter()
    asked = 0
    for rec in records:
        for r in rec["responses"]:
            if "same_as" in r:
                continue
            asked += 1
            if r["result"] == "fail":
                fails[(r["checklist"], r["item"])] += 1
    top = sorted(fails.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return {
        "inspections": len(records), "units": len({r["unit"]["name"] for r in records}), "asked": asked,
        "fail": sum(fails.values()), "hazards": len(hazards),
        "general": sum(h["level"] == "general" for h in hazards), "major": sum(h["level"] == "major" for h in hazards),
        "corrected_on_site": 0, "closed": len(closed), "not_closed": len(hazards) - len(closed),
        "overdue": sum(h["status"] == "open" and to > h["deadline"] for h in hazards),
        "rectification_rate": round(len(closed) / len(hazards), 4) if hazards else None,
        "on_time_rate": round(sum(h["status"] == "closed" and h["closed"] <= h["deadline"] for h in due) / len(due), 4)
        if due else None,
        "days_to_close_mean": round(sum(days) / len(days), 2) if days else None,
        "days_to_close_median": float(statistics.median(days)) if days else None,
        "measures": 0, "reviews_passed": 0, "reviews_failed": 0,
        "funds": round(sum(h["funds"] for h in hazards), 2),
        "top_items": [{"checklist": c, "item": i, "text": f"{c} 第{i[-1]}项？", "count": n} for (c, i), n in top],
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("stats") / "records"
    (folder / "2026").mkdir(parents=True)
    rng = random.Random(16)
    records = [make_record(rng, n) for n in range(80)]
    for n, record in enumerate(records):
        (folder / "2026" / f"r{n:03d}.toml").write_bytes(tomli_w.dumps(record).encode("utf-8"))
    selected = [r for r in records if FROM <= r["started_at"].date() <= TO]
    return folder, selected


def _stats(folder: Path, *args: str) -> dict[str, Any]:
    proc = run_cli("stats", str(folder), "--from", FROM.isoformat(), "--to", TO.isoformat(), "--format", "json",
                   *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_total_figures_match_an_independent_computation(generated) -> None:
    folder, selected = generated
    out = _stats(folder)
    want = expected(selected)
    assert out["total"] == want and list(out["total"]) == list(want)
    assert want["closed"] and want["overdue"] and want["major"] and 0 < want["on_time_rate"] < 1
    assert out["from"] == "2026-02-01" and out["to"] == "2026-10-31" and out["flagged"] == 0 and out["groups"] == []


@pytest.mark.parametrize("by, key", [
    ("unit", lambda r: [r["unit"]["name"]]),
    ("month", lambda r: [r["started_at"].strftime("%Y-%m")]),
    ("inspector", lambda r: list(dict.fromkeys(p["name"] for p in r["inspectors"])) or ["—"]),
    ("industry", lambda r: r["unit"]["industry"] or ["—"]),
])
def test_groups_match_an_independent_computation(generated, by: str, key: Any) -> None:
    folder, selected = generated
    out = _stats(folder, "--by", by)
    names: dict[str, list[dict[str, Any]]] = {}
    for r in selected:
        for name in key(r):
            names.setdefault(name, []).append(r)
    assert {g["group"]: {k: v for k, v in g.items() if k != "group"} for g in out["groups"]} == {
        name: expected(recs) for name, recs in names.items()}
    overlapping = by in ("inspector", "industry")
    assert (out["note"] is not None) == overlapping
    if not overlapping:
        assert sum(g["inspections"] for g in out["groups"]) == out["total"]["inspections"]
        assert sum(g["hazards"] for g in out["groups"]) == out["total"]["hazards"]


def test_level_checklist_and_item_groups_divide_the_hazards(generated) -> None:
    folder, _ = generated
    for by in ("level", "checklist", "item"):
        out = _stats(folder, "--by", by)
        assert sum(g["hazards"] for g in out["groups"]) == out["total"]["hazards"], by
        assert sum(g["fail"] for g in out["groups"]) == out["total"]["fail"], by
        assert out["note"]
    levels = {g["group"]: g for g in _stats(folder, "--by", "level")["groups"]}
    assert levels["major"]["major"] == levels["major"]["hazards"] and levels["general"]["major"] == 0


def test_mode_and_unit_filters(generated) -> None:
    folder, selected = generated
    assert _stats(folder, "--mode", "self")["total"] == expected([r for r in selected if r["mode"] == "self"])
    assert _stats(folder, "--unit", "煤矿")["total"] == expected([r for r in selected if "煤矿" in r["unit"]["name"]])


def test_table_and_csv_in_both_languages(generated, tmp_path: Path) -> None:
    folder, selected = generated
    want = expected(selected)
    text = run_cli("--lang", "en", "stats", str(folder), "--to", TO.isoformat(), "--from", FROM.isoformat(),
                   "--by", "inspector")
    assert text.returncode == 0 and "rectification rate" in text.stdout and "Note: by inspector" in text.stdout
    assert f"inspections           {want['inspections']}" in text.stdout
    zh = run_cli("stats", str(folder), "--to", TO.isoformat(), "--from", FROM.isoformat())
    assert "整改率" in zh.stdout and "最常不符合的检查项" in zh.stdout
    proc = run_cli("stats", str(folder), "--to", TO.isoformat(), "--from", FROM.isoformat(), "--by", "unit",
                   "--format", "csv", "-o", str(tmp_path / "s.csv"))
    assert proc.returncode == 0 and proc.stdout == ""
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0][:3] == ["单位", "检查次数", "单位数"] and table[-1][0] == "合计"
    assert int(table[-1][1]) == want["inspections"] and len(table) == 2 + len({r["unit"]["name"] for r in selected})


def test_csv_defuses_formula_cells(tmp_path: Path) -> None:
    rng = random.Random(3)
    record = make_record(rng, 1)
    record["unit"]["name"] = "=HYPERLINK(\"http://x\")"
    record["started_at"] = _at(dt.date(2026, 3, 1), 9)
    (tmp_path / "r.toml").write_bytes(tomli_w.dumps(record).encode("utf-8"))
    proc = run_cli("stats", str(tmp_path), "--by", "unit", "--format", "csv", "--to", "2026-10-31")
    rows = list(csv.reader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")" and rows[1][1] == "1"


def test_broken_record_warns_with_its_line_and_exits_1(generated, tmp_path: Path) -> None:
    folder, selected = generated
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = "safetycheck.record/2"\nmode = [', encoding="utf-8")
    proc = run_cli("stats", str(folder), str(bad), "--from", FROM.isoformat(), "--to", TO.isoformat(),
                   "--format", "json")
    assert proc.returncode == 1 and "bad.toml:2:" in proc.stderr and "Traceback" not in proc.stderr
    assert json.loads(proc.stdout)["total"]["inspections"] == len(selected)


@pytest.mark.parametrize("args", [["--from", "2026-13-01"], ["--by", "year"], ["--format", "pdf"],
                                  ["--mode", "audit"], ["--format", "xlsx"]])
def test_bad_options_are_usage_errors(args: list[str], tmp_path: Path) -> None:
    proc = run_cli("stats", str(tmp_path), *args)
    assert proc.returncode == 2 and proc.stderr.count("\n") <= 2 and "Traceback" not in proc.stderr


# --- the CI gate ------------------------------------------------------------------------------


def _gate_folder(tmp_path: Path, levels: list[str], closed: list[bool], deadline: dt.date) -> Path:
    folder = tmp_path / "gate"
    folder.mkdir(exist_ok=True)
    record = make_record(random.Random(5), 7)
    record["events"] = []
    hazards = [r for r in record["responses"] if "hazard" in r]
    assert len(hazards) >= len(levels)
    for r in hazards:
        r["result"], r["hazard"] = "pass", None
        del r["hazard"]
    for n, (r, level, is_closed) in enumerate(zip(hazards, levels, closed, strict=False), 1):
        r["result"] = "fail"
        r["hazard"] = {"id": f"g{n}", "level": level, "description": "x", "deadline": deadline}
        if is_closed:
            for kind in ("rectified", "closed"):
                record["events"].append({"at": _at(deadline), "kind": kind, "hazard": r["hazard"]["id"],
                                         "detail": {"date": deadline, "org": "某局"}, "hash": ""})
    for r in record["responses"]:  # the copy repeats its item's answer
        if r.get("same_as"):
            r["result"] = next(x["result"] for x in record["responses"] if x["item"] == "c1-1")
    record["started_at"] = _at(dt.date(2026, 3, 1), 9)
    (folder / "r.toml").write_bytes(tomli_w.dumps(record).encode("utf-8"))
    return folder


@pytest.mark.parametrize("command", [["stats"], ["hazards", "list"]])
def test_fail_on_exits_3_on_the_hazards_it_names(tmp_path: Path, command: list[str]) -> None:
    late = dt.date(2026, 3, 10)
    future = dt.date.today() + dt.timedelta(days=30)

    def code(levels: list[str], closed: list[bool], deadline: dt.date, gate: str, *more: str) -> int:
        folder = _gate_folder(tmp_path, levels, closed, deadline)
        proc = run_cli(*command, str(folder), "--fail-on", gate, "--format", "json", *more)
        assert "Traceback" not in proc.stderr
        assert (proc.returncode == 3) == ("--fail-on " + gate in proc.stderr or "fail-on " + gate in proc.stderr)
        json.loads(proc.stdout)  # the output is still written
        return proc.returncode

    assert code(["major"], [False], future, "major") == 3
    assert code(["major"], [True], late, "major") == 0
    assert code(["general"], [False], future, "major") == 0
    assert code(["general"], [False], late, "overdue") == 3
    assert code(["general"], [False], future, "overdue") == 0
    assert code(["general"], [False], future, "any") == 3
    assert code(["general", "major"], [True, True], late, "any") == 0
    folder = _gate_folder(tmp_path, ["major"], [False], future)
    (folder / "bad.toml").write_text('schema = "safetycheck.record/2"\nmode = [', encoding="utf-8")
    assert run_cli(*command, str(folder), "--fail-on", "major").returncode == 1  # a broken record wins over 3
    assert run_cli(*command, str(folder), "--fail-on", "open").returncode == 2


def test_fail_on_applies_after_the_other_filters(tmp_path: Path) -> None:
    folder = _gate_folder(tmp_path, ["major"], [False], dt.date.today() + dt.timedelta(days=30))
    assert run_cli("stats", str(folder), "--fail-on", "any").returncode == 3
    assert run_cli("stats", str(folder), "--fail-on", "any", "--unit", "没有这个单位").returncode == 0
    assert run_cli("stats", str(folder), "--fail-on", "any", "--from", "2026-04-01").returncode == 0
    assert run_cli("hazards", "list", str(folder), "--fail-on", "any", "--level", "general").returncode == 0


# --- the dashboard ----------------------------------------------------------------------------

CHARTS = ("monthly", "level", "overdue", "top-items", "rate")


def _dashboard(folder: Path, out: Path, *args: str, code: str | None = None) -> str:
    command = ["stats", str(folder), "--from", FROM.isoformat(), "--to", TO.isoformat(), "--format", "html",
               "-o", str(out), *args]
    if code is None:
        proc = run_cli(*command)
    else:  # the same program with matplotlib made unimportable, as on a machine without the extra
        import subprocess
        import sys

        proc = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return out.read_text(encoding="utf-8")


def test_dashboard_is_one_offline_file_with_a_chart_and_a_table_each(generated, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    folder, selected = generated
    html = _dashboard(folder, tmp_path / "d.html")
    want = expected(selected)
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/", "")
    assert "https://" not in html and "<img" not in html and "<link" not in html
    for name in CHARTS:
        start = html.index(f'<section id="{name}">')
        section = html[start:html.index("</section>", start)]
        assert f'data-chart="{name}"' in section and "<table>" in section, name
    assert html.count('<svg class="chart"') == len(CHARTS)
    # labels are SVG text: units, items, months, levels and the values on the bars
    for unit in {r["unit"]["name"] for r in selected}:
        assert html.count(unit) >= 4, unit  # overdue and rate charts, each with its table
    for item in want["top_items"]:
        assert f"{item['checklist']}/{item['item']}</text>" in html or f"{item['checklist']}/{item['item']}" in html
    months = {r["started_at"].strftime("%Y-%m") for r in selected}
    assert all(m in html for m in months) and "一般" in html and "重大" in html
    assert "size: A4 landscape" in html and "svg.fonttype" not in html
    assert "font-family: 'Noto Sans CJK SC'" in html and "WenQuanYi Micro Hei" in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # five charts inline: no id shared between them
    again = _dashboard(folder, tmp_path / "e.html")
    assert again == html  # deterministic: fixed ids, no date


def test_dashboard_in_english(generated, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    folder, _ = generated
    proc = run_cli("--lang", "en", "stats", str(folder), "--to", TO.isoformat(), "--format", "html")
    assert proc.returncode == 0 and '<html lang="en">' in proc.stdout
    for words in ("Hazards found and closed per month", "Overdue hazards by unit", "Rectification rate by unit",
                  "items failed most often", "general", "major"):
        assert words in proc.stdout, words


BLOCK = ("import sys\nsys.modules['matplotlib'] = None\nsys.argv[1:] = sys.argv[1:]\n"
         "from safetycheck.__main__ import main\nsys.argv[0] = 'safetycheck'\nmain()\n")


def test_dashboard_without_the_chart_library_shows_tables_and_how_to_get_charts(generated, tmp_path: Path) -> None:
    folder, _ = generated
    html = _dashboard(folder, tmp_path / "d.html", code=BLOCK)
    assert "<svg" not in html and html.count("<table>") == len(CHARTS) + 1
    import html as markup

    assert markup.unescape(html).count("pip install 'safetycheck[charts]'") == 1


# --- XLSX -------------------------------------------------------------------------------------


def _chart_series(book: Path) -> dict[str, list[tuple[str, list[str], list[float]]]]:
    """Each chart's title -> its series (name, category cache, value cache), read from the file's XML."""
    import xml.etree.ElementTree as ET
    import zipfile

    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    out: dict[str, list[tuple[str, list[str], list[float]]]] = {}
    with zipfile.ZipFile(book) as z:
        drawings = " ".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/_rels/"))
        for name in sorted(n for n in z.namelist() if n.startswith("xl/charts/chart")):
            assert Path(name).name in drawings  # placed on a sheet
            root = ET.fromstring(z.read(name))
            title = "".join(x.text or "" for x in root.find("c:chart/c:title", ns).iter(f"{{{ns['a']}}}t"))
            series = []
            for ser in root.iter(f"{{{ns['c']}}}ser"):
                cats = [p.text for p in ser.find("c:cat", ns).iter(f"{{{ns['c']}}}v")]
                vals = [float(p.text) for p in ser.find("c:val", ns).iter(f"{{{ns['c']}}}v")]
                series.append((ser.find("c:tx/c:v", ns).text, cats, vals))
            out[title] = series
    return out


@pytest.mark.office
def test_xlsx_has_native_charts_over_its_tables(generated, tmp_path: Path) -> None:
    folder, selected = generated
    book = tmp_path / "s.xlsx"
    proc = run_cli("stats", str(folder), "--from", FROM.isoformat(), "--to", TO.isoformat(), "--by", "unit",
                   "--format", "xlsx", "-o", str(book))
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    charts = _chart_series(book)
    assert set(charts) == {"按单位：隐患与已销号", "每月发现与销号的隐患", "各单位逾期隐患", "各单位整改率",
                           "最常不符合的检查项"}
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for r in selected:
        by_unit.setdefault(r["unit"]["name"], []).append(r)
    ((_, units, overdue),) = charts["各单位逾期隐患"]
    assert dict(zip(units, overdue, strict=True)) == {u: expected(rs)["overdue"] for u, rs in by_unit.items()}
    ((_, units, rates),) = charts["各单位整改率"]
    assert dict(zip(units, rates, strict=True)) == {u: expected(rs)["rectification_rate"] for u, rs in by_unit.items()}
    (found, closed) = charts["每月发现与销号的隐患"]
    hazards = [h for r in selected for h in hazard_rows(r)]
    assert sum(found[2]) == len(hazards) and sum(closed[2]) == sum(h["status"] == "closed" for h in hazards)
    ((_, items, counts),) = charts["最常不符合的检查项"]
    assert items == [f"{i['checklist']}/{i['item']}" for i in expected(selected)["top_items"]]
    again = tmp_path / "t.xlsx"
    run_cli("stats", str(folder), "--from", FROM.isoformat(), "--to", TO.isoformat(), "--by", "unit",
            "--format", "xlsx", "-o", str(again))
    assert again.read_bytes() == book.read_bytes()


@pytest.mark.office
def test_xlsx_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    import zipfile

    record = make_record(random.Random(3), 1)
    record["unit"]["name"] = "=HYPERLINK(\"http://x\")"
    (tmp_path / "r.toml").write_bytes(tomli_w.dumps(record).encode("utf-8"))
    book = tmp_path / "s.xlsx"
    assert run_cli("--lang", "en", "stats", str(tmp_path), "--by", "unit", "--format", "xlsx", "-o",
                   str(book)).returncode == 0
    with zipfile.ZipFile(book) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert "HYPERLINK" in z.read("xl/sharedStrings.xml").decode()
        assert "Figures" in z.read("xl/workbook.xml").decode()
    assert not any("<f>" in s for s in sheets)


# --- the monthly report -----------------------------------------------------------------------


def _md_rows(text: str, heading: str) -> list[list[str]]:
    """The body rows of the first table under ``heading`` in a Markdown report."""
    part = text.split(heading, 1)[1].split("\n## ", 1)[0]
    lines = [line for line in part.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


def test_monthly_report_figures_change_majors_and_overdue(generated, tmp_path: Path) -> None:
    folder, _ = generated
    rng = random.Random(16)
    all_records = [make_record(rng, n) for n in range(80)]
    june = [r for r in all_records if r["started_at"].date().strftime("%Y-%m") == "2026-06"]
    may = [r for r in all_records if r["started_at"].date().strftime("%Y-%m") == "2026-05"]
    end, may_end = dt.date(2026, 6, 30), dt.date(2026, 5, 31)
    now, before = expected(june, end), expected(may, may_end)
    proc = run_cli("stats", str(folder), "--doc", "monthly", "--month", "2026-06")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.startswith("# 隐患排查治理情况月报\n") and "2026年6月" in text and "填报日期" in text
    figures = dict(_md_rows(text, "## 一、本月情况"))
    assert figures["检查次数"] == str(now["inspections"]) and figures["隐患数"] == str(now["hazards"])
    assert figures["已销号"] == str(now["closed"]) and figures["逾期"] == str(now["overdue"])
    change = {row[0]: row[1:] for row in _md_rows(text, "## 二、与上月比较")}
    assert change["检查次数"] == [str(now["inspections"]), str(before["inspections"]),
                              f"{now['inspections'] - before['inspections']:+d}"]
    assert change["重大事故隐患"][:2] == [str(now["major"]), str(before["major"])]
    majors = _md_rows(text, "## 五、重大事故隐患")
    assert len(majors) == now["major"] > 0
    overdue = _md_rows(text, "## 六、逾期未整改的隐患")
    upto = [r for r in all_records if r["started_at"].date() <= end]
    want = sum(h["status"] == "open" and end > h["deadline"] for r in upto for h in hazard_rows(r, end))
    assert len(overdue) == want > now["overdue"]  # earlier months' overdue hazards are listed too
    days = [int(row[-1]) for row in overdue]
    assert days == sorted(days, reverse=True) and min(days) > 0


def test_monthly_report_for_one_unit_in_html_and_english(generated, tmp_path: Path) -> None:
    folder, _ = generated
    out = tmp_path / "m.html"
    proc = run_cli("--lang", "en", "stats", str(folder), "--doc", "monthly", "--month", "2026-06", "--unit", "煤矿",
                   "--format", "html", "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    html = out.read_text(encoding="utf-8")
    assert "<title>Monthly report on hazard identification and rectification June 2026</title>" in html
    assert "<p>Reported by: 乙煤矿</p>" in html and "Reporting body (seal):" in html
    assert "甲化工公司" not in html and "a unit&#39;s report" in html and "Compared with the month before" in html
    assert "size: A4" in html and "<script" not in html


@pytest.mark.parametrize("args", [["--doc", "monthly"], ["--doc", "monthly", "--month", "2026-13"],
                                  ["--doc", "yearly", "--month", "2026-06"],
                                  ["--doc", "monthly", "--month", "2026-06", "--format", "csv"],
                                  ["--doc", "monthly", "--month", "2026-06", "--fail-on", "major"]])
def test_monthly_report_usage_errors(args: list[str], tmp_path: Path) -> None:
    proc = run_cli("stats", str(tmp_path), *args)
    assert proc.returncode == 2 and proc.stderr.count("\n") <= 2 and "Traceback" not in proc.stderr


@pytest.mark.office
@pytest.mark.parametrize("charts", [True, False])
def test_monthly_report_in_word_has_the_tables_and_a_chart_where_it_can(generated, tmp_path: Path,
                                                                        charts: bool) -> None:
    import subprocess
    import sys

    import docx

    folder, _ = generated
    out = tmp_path / "m.docx"
    args = ["stats", str(folder), "--doc", "monthly", "--month", "2026-06", "--format", "docx", "-o", str(out)]
    if charts:
        pytest.importorskip("matplotlib")
        proc = run_cli(*args)
    else:
        proc = subprocess.run([sys.executable, "-c", BLOCK, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "隐患排查治理情况月报" in text and "2026年6月" in text and "填报日期" in text
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    md = run_cli(*args[:-4]).stdout
    assert cells == dict(_md_rows(md, "## 一、本月情况")) | {"指标": "数值"}
    assert len(document.tables) == 6
    from safetycheck.stats.charts import cjk_font

    assert len(document.inline_shapes) == (1 if charts and cjk_font() else 0)


# --- the progress bar -------------------------------------------------------------------------


@pytest.mark.tty
@pytest.mark.skipif(sys.platform == "win32", reason="pexpect needs a POSIX pseudo-terminal")
def test_progress_bar_on_a_terminal_for_work_over_a_second(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    folder = tmp_path / "many"
    folder.mkdir()
    text = tomli_w.dumps(make_record(random.Random(9), 1))
    for n in range(60):
        (folder / f"r{n:04d}.toml").write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFETYCHECK")} | {
        "TERM": "xterm", "SAFETYCHECK_PROGRESS_AFTER": "0"}  # the bar at once: the one drawn after a second of work
    out = tmp_path / "s.json"
    child = pexpect.spawn(sys.executable, ["-m", "safetycheck", "stats", str(folder), "--format", "json", "-o",
                                           str(out)], env=env, encoding="utf-8", timeout=120, dimensions=(24, 100))
    child.expect("读取记录")  # drawn on the terminal (stderr) while the records are read
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert json.loads(out.read_text(encoding="utf-8"))["total"]["inspections"] == 60
    child = pexpect.spawn(sys.executable, ["-m", "safetycheck", "stats", str(folder), "--doc", "monthly", "--month",
                                           "2026-06", "-o", str(tmp_path / "m.md")], env=env, encoding="utf-8",
                          timeout=120, dimensions=(24, 100))
    child.expect("读取记录")  # the monthly report reads the files with the bar too
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and (tmp_path / "m.md").read_text(encoding="utf-8").startswith("# ")
    quick = run_cli("stats", str(folder), "--format", "json")  # not a terminal: nothing on stderr
    assert quick.returncode == 0 and quick.stderr == ""


def test_dashboard_escapes_what_records_say(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    import shutil

    from tests.conftest import DATA

    for name in ("hostile", "inspect", "self"):
        shutil.copy(DATA / "records" / f"{name}.toml", tmp_path / f"{name}.toml")
    record = make_record(random.Random(4), 2)
    record["unit"]["name"] = "$x^2$ & <b>单位</b>"
    (tmp_path / "odd.toml").write_bytes(tomli_w.dumps(record).encode("utf-8"))
    proc = run_cli("stats", str(tmp_path), "--format", "html", "--to", "2026-10-31")
    assert proc.returncode == 0, proc.stderr
    html = proc.stdout
    assert "<script" not in html and "&lt;script&gt;alert(" in html
    assert "<b>单位</b>" not in html and html.count("$x^2$ &amp; &lt;b&gt;单位&lt;/b&gt;") >= 4  # in charts and tables


def test_figures_take_any_iterable_of_facts_and_leave_flagged_records_out(generated) -> None:
    """What a store query will supply: the same facts, some flagged (conflict, tampered)."""
    from dataclasses import replace

    from safetycheck.stats.facts import Selection, facts_from_files
    from safetycheck.stats.figures import compute_figures

    folder, selected = generated
    broken: list[str] = []
    facts = list(facts_from_files([folder], Selection(FROM, TO), broken))
    assert broken == [] and len(facts) == len(selected)
    marked = [replace(f, flagged=True) if n % 3 == 0 else f for n, f in enumerate(facts)]
    figures = compute_figures(iter(marked), TO, "unit")
    kept = {f.id for f in marked if not f.flagged}
    assert figures.flagged == len(facts) - len(kept)
    assert figures.total == expected([r for r in selected if r["id"] in kept])


def test_monthly_report_names_an_overdue_problem_of_a_supervision(tmp_path: Path) -> None:
    """A supervision's problem (问题) has no level: the report names it a problem instead of failing."""
    import shutil

    from tests.conftest import DATA

    shutil.copy(DATA / "records" / "v2-supervise.toml", tmp_path / "s.toml")
    proc = run_cli("--lang", "en", "stats", str(tmp_path), "--doc", "monthly", "--month", "2026-12")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    overdue = proc.stdout[proc.stdout.index("Overdue"):]
    assert "| problem |" in overdue
