"""``stats --store``: one data set synced into a store gives the same figures from files, from the store
and from an independent computation written here, on SQLite and (marker postgres) PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.test_stats import PEOPLE, _at, make_record
from tests.test_store import Laptop, _status, pg_url, store_url  # noqa: F401 - the two-engine fixture

FROM, TO = dt.date(2026, 2, 1), dt.date(2026, 10, 31)
MEASURES = ["evacuate", "suspend", "stop-equipment"]


def _enrich(rng: random.Random, record: dict[str, Any]) -> dict[str, Any]:
    """More of what the figures count: hazards corrected on the spot, on-site measures and reviews."""
    start = record["started_at"].date()
    results = []
    for r in record["responses"]:
        h = r.get("hazard")
        if h is None:
            continue
        if not any(e["hazard"] == h["id"] for e in record["events"]) and rng.random() < 0.3:
            h["corrected_on_site"], h["deadline"] = True, start
        if h["level"] == "major":
            h["measures"] = rng.sample(MEASURES, rng.randrange(1, 3))
        if rng.random() < 0.3:
            results.append({"hazard": h["id"], "result": rng.choice(["passed", "failed"])})
    if results:
        day = start + dt.timedelta(days=rng.randrange(5, 200))
        record["reviews"] = [{"id": "r1", "started_at": _at(day, 9), "finished_at": _at(day, 10),
                              "status": "complete", "inspectors": [{"name": PEOPLE[0]}], "results": results}]
    return record


def _write_sealed(path: Path, data: dict[str, Any]) -> None:
    """Write a generated record sealed, its events chained after the seal (as the program would have)."""
    import tomli_w

    from safetycheck.inspection.records import parse_record, write_record
    from safetycheck.lifecycle.events import append_event
    from safetycheck.lifecycle.review import review_digest
    from safetycheck.lifecycle.seal import seal_record

    events = data.pop("events")
    record = parse_record(tomli_w.dumps(dict(data, events=[])).encode("utf-8"), str(path))
    seal_record(record)
    for e in events:
        append_event(record, e["kind"], e["at"], hazard=e["hazard"], detail=e["detail"])
    for review in record.reviews:  # a finished review is chained as `review` chains it
        append_event(record, "reviewed", review.finished_at,
                     detail={"review": review.id, "complete": True, "sha256": review_digest(review)})
    write_record(path, record)
    data["events"] = events


# --- the independent computation: plain Python over the generated data, none of the tool's code --


def _hazards(record: dict[str, Any], to: dt.date) -> list[dict[str, Any]]:
    out = []
    found = record["started_at"].date()
    for r in record["responses"]:
        h = r.get("hazard")
        if h is None:
            continue
        status, deadline, closed = "open", h["deadline"], None
        if h.get("corrected_on_site"):
            status, closed = "closed", found
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
        reviews = [res["result"] for rv in record.get("reviews", []) for res in rv["results"]
                   if res["hazard"] == h["id"] and rv["finished_at"].date() <= to]
        out.append({"level": h["level"], "status": status, "deadline": deadline, "closed": closed, "found": found,
                    "funds": h.get("funds", 0.0), "on_site": bool(h.get("corrected_on_site")),
                    "measures": len(h.get("measures", [])), "passed": reviews.count("passed"),
                    "failed": reviews.count("failed"), "item": (r["checklist"], r["item"])})
    return out


def expected(records: list[dict[str, Any]], to: dt.date = TO) -> dict[str, Any]:
    hazards = [h for rec in records for h in _hazards(rec, to)]
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
            fails[(r["checklist"], r["item"])] += r["result"] == "fail"
    fails = +fails
    top = sorted(fails.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    return {
        "inspections": len(records), "units": len({r["unit"]["name"] for r in records}), "asked": asked,
        "fail": sum(fails.values()), "hazards": len(hazards),
        "general": sum(h["level"] == "general" for h in hazards), "major": sum(h["level"] == "major" for h in hazards),
        "corrected_on_site": sum(h["on_site"] for h in hazards), "closed": len(closed),
        "not_closed": len(hazards) - len(closed),
        "overdue": sum(h["status"] == "open" and to > h["deadline"] for h in hazards),
        "rectification_rate": round(len(closed) / len(hazards), 4) if hazards else None,
        "on_time_rate": round(sum(h["status"] == "closed" and h["closed"] <= h["deadline"] for h in due) / len(due), 4)
        if due else None,
        "days_to_close_mean": round(sum(days) / len(days), 2) if days else None,
        "days_to_close_median": float(statistics.median(days)) if days else None,
        "measures": sum(h["measures"] for h in hazards), "reviews_passed": sum(h["passed"] for h in hazards),
        "reviews_failed": sum(h["failed"] for h in hazards), "funds": round(sum(h["funds"] for h in hazards), 2),
        "top_items": [{"checklist": c, "item": i, "text": f"{c} 第{i[-1]}项？", "count": n} for (c, i), n in top],
    }


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """40 sealed records over 2026 (some outside the period), with their generated data."""
    folder = tmp_path_factory.mktemp("statsstore") / "records"
    folder.mkdir()
    rng = random.Random(1614)
    records = [_enrich(rng, make_record(rng, n)) for n in range(40)]
    for n, record in enumerate(records):
        _write_sealed(folder / f"r{n:03d}.toml", record)
    return folder, records


def _selected(records: list[dict[str, Any]], start: dt.date = FROM, to: dt.date = TO) -> list[dict[str, Any]]:
    return [r for r in records if start <= r["started_at"].date() <= to]


def _figures(laptop: Laptop, *args: str) -> dict[str, Any]:
    proc = laptop("stats", *args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_files_store_and_an_independent_computation_agree(tmp_path: Path, store_url: str, dataset) -> None:  # noqa: F811
    folder, records = dataset
    pc = Laptop(tmp_path / "pc", store_url)
    proc = pc("sync", str(folder))
    assert proc.returncode == 0 and f"新增 {len(records)}" in proc.stderr, proc.stderr
    period = ("--from", FROM.isoformat(), "--to", TO.isoformat())
    files, store = _figures(pc, str(folder), *period), _figures(pc, "--store", *period)
    want = expected(_selected(records))
    assert store == files and store["total"] == want
    assert want["corrected_on_site"] and want["measures"] and want["reviews_passed"] and want["reviews_failed"]
    assert want["overdue"] and want["closed"] and want["major"] and store["flagged"] == 0
    from typer.testing import CliRunner

    from safetycheck.cli import build_app

    env = {"SAFETYCHECK_CONFIG_DIR": str(pc.folder / "config"), "SAFETYCHECK_DATA_DIR": str(pc.folder / "data"),
           "SAFETYCHECK_STORE": store_url}
    for by in ("unit", "month", "level", "checklist", "item", "inspector", "industry"):  # in-process: cheaper
        outs = [CliRunner().invoke(build_app(), ["stats", *where, *period, "--by", by, "--format", "json"], env=env)
                for where in (["--store"], [str(folder)])]
        assert all(o.exit_code == 0 for o in outs) and json.loads(outs[0].stdout) == json.loads(outs[1].stdout), by
    units = _figures(pc, "--store", *period, "--by", "unit")
    for group in units["groups"]:
        mine = [r for r in _selected(records) if r["unit"]["name"] == group["group"]]
        assert {k: v for k, v in group.items() if k != "group"} == expected(mine), group["group"]
    # statuses as of another day, a mode and a unit
    early = dt.date(2026, 6, 15)
    assert _figures(pc, "--store", "--to", early.isoformat())["total"] == expected(
        _selected(records, dt.date.min, early), early)
    assert _figures(pc, "--store", *period, "--mode", "self")["total"] == expected(
        [r for r in _selected(records) if r["mode"] == "self"])
    assert _figures(pc, "--store", *period, "--unit", "煤矿")["total"] == expected(
        [r for r in _selected(records) if "煤矿" in r["unit"]["name"]])
    # the monthly report and the dashboard's tables: the same from both
    for fmt in ("md", "html"):
        month = ("--doc", "monthly", "--month", "2026-05", "--format", fmt)
        by_store, by_files = pc("stats", "--store", *month), pc("stats", str(folder), *month)
        assert by_store.returncode == 0 and by_store.stdout == by_files.stdout
    en = pc("--lang", "en", "stats", "--store", *period)
    assert en.returncode == 0 and "rectification rate" in en.stdout


def test_records_the_store_flags_are_left_out_and_counted(tmp_path: Path, store_url: str, dataset) -> None:  # noqa: F811
    folder, records = dataset
    pc = Laptop(tmp_path / "pc", store_url)
    assert pc("sync", str(folder)).returncode == 0
    chosen = next(n for n, r in enumerate(records) if FROM <= r["started_at"].date() <= TO)
    edited = tmp_path / "edited" / "r.toml"
    edited.parent.mkdir()
    text = (folder / f"r{chosen:03d}.toml").read_text(encoding="utf-8")
    edited.write_text(text.replace(records[chosen]["unit"]["name"], "改过的单位", 1), encoding="utf-8")
    proc = pc("sync", str(edited.parent))
    assert "被改动 1" in proc.stderr or "tampered" in proc.stderr, proc.stderr
    out = _figures(pc, "--store", "--from", FROM.isoformat(), "--to", TO.isoformat())
    assert out["flagged"] == 1
    assert out["total"] == expected([r for n, r in enumerate(_selected(records)) if r is not records[chosen]])
    later = _figures(pc, "--store", "--from", "2026-12-01", "--to", "2026-12-31")
    assert later["flagged"] == 0  # the flagged record is outside that period


def test_fail_on_from_the_store_gates_like_the_files(tmp_path: Path, store_url: str, dataset) -> None:  # noqa: F811
    folder, _ = dataset
    pc = Laptop(tmp_path / "pc", store_url)
    assert pc("sync", str(folder)).returncode == 0
    for gate in ("major", "overdue", "any"):
        by_store = pc("stats", "--store", "--to", TO.isoformat(), "--fail-on", gate, "--format", "json")
        by_files = pc("stats", str(folder), "--to", TO.isoformat(), "--fail-on", gate, "--format", "json")
        assert by_store.returncode == by_files.returncode == 3 and by_store.stderr == by_files.stderr, gate
    assert pc("stats", "--store", "--to", "2026-01-01", "--fail-on", "any").returncode == 0
    usage = pc("stats", "--store", str(folder))
    assert usage.returncode == 2 and "--store" in usage.stderr and "Traceback" not in usage.stderr


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_store_upgrade_brings_a_v1_store_up_and_rebuilds_the_query_tables(tmp_path: Path, dataset, engine: str,
                                                                          request: pytest.FixtureRequest) -> None:
    from safetycheck.store.dialect import connect
    from safetycheck.store.schema import MIGRATIONS

    folder, records = dataset
    path = tmp_path / "v1.sqlite3"
    url = f"sqlite:///{path}" if engine == "sqlite" else request.getfixturevalue("pg_url")
    db = connect(url, create=True)
    with db.transaction():
        db.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
        for statement in MIGRATIONS[0](db):
            db.execute(statement)
        db.execute("INSERT INTO schema_version VALUES (1, '2026-11-01T00:00:00+08:00')")
        for n, file in enumerate(sorted(folder.glob("*.toml"))):  # revisions as a v1 program stored them
            raw = file.read_text(encoding="utf-8")
            db.execute("INSERT INTO revisions (record_id, digest, parent, raw, seal, head, events_n, device,"
                       " synced_at, file, flag) VALUES (?, ?, NULL, ?, NULL, NULL, 0, 'old', ?, ?, NULL)",
                       (records[n]["id"], f"d{n}", raw, "2026-11-01T00:00:00+08:00", str(file)))
    db.close()
    pc = Laptop(tmp_path / "pc", url)
    behind = pc("stats", "--store")
    assert behind.returncode == 1 and "store upgrade" in behind.stderr and behind.stderr.count("\n") == 1
    assert pc("store", "upgrade").returncode == 0
    period = ("--from", FROM.isoformat(), "--to", TO.isoformat())
    assert _figures(pc, "--store", *period)["total"] == expected(_selected(records))
    assert _status(pc)["schema_version"] == 2 and _status(pc)["records"] == len(records)
    db = connect(url)
    count = db.one("SELECT COUNT(*) FROM reviews")[0]  # type: ignore[index]
    db.close()
    assert count == sum(len(rv["results"]) for r in records for rv in r.get("reviews", []))


@pytest.mark.slow
def test_dashboard_from_the_store_shows_the_same_tables(tmp_path: Path, dataset) -> None:
    folder, _ = dataset
    pc = Laptop(tmp_path / "pc", f"sqlite:///{tmp_path / 's.sqlite3'}")
    assert pc("sync", str(folder)).returncode == 0
    args = ("--from", FROM.isoformat(), "--to", TO.isoformat(), "--format", "html")
    by_store, by_files = pc("stats", "--store", *args), pc("stats", str(folder), *args)
    assert by_store.returncode == 0 and by_store.stdout == by_files.stdout

