"""``stats --store`` over 10,000 records on SQLite and PostgreSQL, against a hand-written SQL aggregation.

Run: ``python benchmarks/bench_stats_store.py [--records N] [--runs R] [--pg URL] [--quick] [--venv DIR]``
from a checkout. Not a test: it prints each target and whether it holds. The wheel is built and
installed into a virtual environment of its own (see ``_harness.py``), with psycopg when ``--pg`` or
``SAFETYCHECK_TEST_PG`` names a PostgreSQL database (its safetycheck tables are dropped first) and
matplotlib for the dashboard's charts.

The store is filled the way users fill it: N sealed record files are written (copies of the two
records of ``tests/data/records`` with hazards, events and a review, each with a new id and one of
200 unit names, sealed and chained again by the package's own functions), then ``safetycheck sync``
stores them (one transaction per record, query tables built by sync's own code).

On each engine, interleaved R times:

- ``safetycheck stats --store --format json`` (target: under 1 s) and ``stats --store --format html``,
  the dashboard with its charts (target: under 3 s), as processes of the installed program, with
  their CPU time beside the wall time (on a shared machine the wall time also holds other work), and
  the dashboard of one record from its file (the charts' fixed cost);
- in one process of the venv's interpreter, the figures the command computes (the store's SQL sums
  and the figures made from them) against a hand-written SQL aggregation of the same figures over the
  same tables, written here (target: at most 1.5x); both must give the same figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h  # noqa: E402

FIXTURES = [h.ROOT / "tests" / "data" / "records" / name for name in ("v2-inspect.toml", "review-inspect.toml")]
TO = "2026-12-31"
MAKE = """
import sys, uuid
from pathlib import Path
from safetycheck.inspection.records import write_record
from safetycheck.lifecycle.events import append_event
from safetycheck.lifecycle.files import load_record
from safetycheck.lifecycle.seal import seal_record
out, count = Path(sys.argv[1]), int(sys.argv[2])
bases = [load_record(Path(p))[0] for p in sys.argv[3:]]
for i in range(count):
    base = bases[i % len(bases)]
    events = [e for e in base.events if e.kind != "completed"]
    completed = next(e for e in base.events if e.kind == "completed")
    base.id, base.seal, base.events = str(uuid.UUID(int=i + 1)), None, []
    base.unit.name = f"单位{i % 200:03d}"
    seal_record(base, completed.at)
    for e in events:
        append_event(base, e.kind, e.at, by=e.by, hazard=e.hazard, detail=e.detail)
    path = out / f"{i // 1000:02d}" / f"r{i:05d}.toml"
    path.parent.mkdir(exist_ok=True)
    write_record(path, base)
"""
# The same figures, written by hand over the query tables, without the package's SQL or figures code.
HAND = """
def hand(db, day):
    cur = db.cursor()
    q = (lambda s: s) if db.__class__.__module__.startswith("sqlite3") else (lambda s: s.replace("?", "%s"))
    fresh = ("r.status = 'complete' AND r.started <= ? AND NOT EXISTS (SELECT 1 FROM revisions v"
             " WHERE v.record_id = r.record_id AND v.flag IS NOT NULL AND v.id > r.revision_id)")
    cur.execute(q(f"SELECT COUNT(*), COUNT(DISTINCT unit), COALESCE(SUM(asked), 0) FROM records r WHERE {fresh}"),
                (day,))
    inspections, units, asked = cur.fetchone()
    cur.execute(q("SELECT i.checklist, i.item, MIN(i.text), COUNT(*) FROM record_items i JOIN records r"
                  f" ON r.record_id = i.record_id WHERE i.failed = 1 AND {fresh} GROUP BY i.checklist, i.item"),
                (day,))
    items = cur.fetchall()
    now = ("FROM records r JOIN hazards h ON h.record_id = r.record_id JOIN hazard_days d"
           " ON d.record_id = h.record_id AND d.hazard = h.hazard AND d.since <= ? AND d.until > ?"
           f" WHERE {fresh}")
    due = "COALESCE(d.deadline, CASE WHEN h.corrected_on_site = 1 THEN h.found END)"
    cur.execute(q("SELECT COUNT(*), SUM(CASE WHEN h.level = 'major' THEN 1 ELSE 0 END),"
                  " SUM(h.corrected_on_site), SUM(CASE WHEN d.status = 'closed' THEN 1 ELSE 0 END),"
                  " SUM(CASE WHEN d.status = 'open' AND d.deadline < ? THEN 1 ELSE 0 END),"
                  f" SUM(CASE WHEN {due} <= ? THEN 1 ELSE 0 END),"
                  f" SUM(CASE WHEN {due} <= ? AND d.status = 'closed' AND d.closed_on <= {due} THEN 1 ELSE 0 END),"
                  f" SUM(h.measures), SUM(d.reviews_passed), SUM(d.reviews_failed), SUM(d.funds) {now}"),
                (day, day, day, day, day, day))
    hazards, major, on_site, closed, overdue, n_due, on_time, measures, passed, failed, funds = cur.fetchone()
    cur.execute(q(f"SELECT h.found, d.closed_on {now} AND d.status = 'closed'"), (day, day, day))
    import datetime as dt, statistics
    days = sorted((dt.date.fromisoformat(c) - dt.date.fromisoformat(f)).days for f, c in cur.fetchall())
    top = sorted(((-n, c, i, x) for c, i, x, n in items))[:10]
    n = lambda v: int(v or 0)
    return {"inspections": n(inspections), "units": n(units), "asked": n(asked), "fail": sum(r[3] for r in items),
            "hazards": n(hazards), "general": n(hazards) - n(major), "major": n(major),
            "corrected_on_site": n(on_site), "closed": n(closed), "not_closed": n(hazards) - n(closed),
            "overdue": n(overdue),
            "rectification_rate": round(n(closed) / n(hazards), 4) if hazards else None,
            "on_time_rate": round(n(on_time) / n(n_due), 4) if n_due else None,
            "days_to_close_mean": round(sum(days) / len(days), 2) if days else None,
            "days_to_close_median": float(statistics.median(days)) if days else None,
            "measures": n(measures), "reviews_passed": n(passed), "reviews_failed": n(failed),
            "funds": round(float(funds or 0), 2),
            "top_items": [{"checklist": c, "item": i, "text": x, "count": -k} for k, c, i, x in top]}
"""
TIMING = """
import datetime as dt, json, statistics, sys, time
{imports}
{hand}
url, runs = sys.argv[1], int(sys.argv[2])
day = dt.date.fromisoformat(sys.argv[3])
db = connect(url)
raw = db.conn
def ours():
    return figures_from_rows(figure_rows(db, Filters(day), [None], months=False, standing=False), None).total
times = {{"ours": [], "hand": []}}
mine, theirs = ours(), hand(raw, day.isoformat())
for n in range(runs + 1):
    for name, fn in (("ours", ours), ("hand", lambda: hand(raw, day.isoformat())))[:: 1 if n % 2 else -1]:
        start = time.perf_counter()
        fn()
        if n:
            times[name].append(time.perf_counter() - start)
print(json.dumps({{"same": mine == theirs, "ours": statistics.median(times["ours"]),
                  "hand": statistics.median(times["hand"]), "mine": mine, "theirs": theirs}}))
"""


def timed(cases: dict[str, list[str]], env: dict[str, str], cwd: Path, runs: int
          ) -> tuple[dict[str, float], dict[str, float]]:
    """Median wall and CPU (user + system) seconds of each command, interleaved ``runs`` times after one warm run.

    Why CPU too: on a shared machine the wall time of a run also holds the time other work had the
    cores; the CPU time is what the command itself cost.
    """
    walls: dict[str, list[float]] = {k: [] for k in cases}
    cpus: dict[str, list[float]] = {k: [] for k in cases}
    for n in range(runs + 1):
        for name, args in list(cases.items())[:: 1 if n % 2 else -1]:
            start = time.perf_counter()
            proc = subprocess.Popen(args, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            took = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"failed: {' '.join(args)}")
            if n:
                walls[name].append(took)
                cpus[name].append(usage.ru_utime + usage.ru_stime)
    return ({k: statistics.median(v) for k, v in walls.items()}, {k: statistics.median(v) for k, v in cpus.items()})


def verdict(ok: bool) -> str:
    """``holds`` or ``missed``."""
    return "holds" if ok else "MISSED"


def main() -> None:
    """Print the figures of each engine and whether each target holds."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    h.add_options(parser, runs=5)
    parser.add_argument("--records", type=int, default=None, help="records in the store (default 10000; 200 --quick)")
    parser.add_argument("--pg", default=os.environ.get("SAFETYCHECK_TEST_PG", ""),
                        help="a PostgreSQL database URL to use (its safetycheck tables are dropped)")
    args = parser.parse_args()
    runs = h.runs_of(args, quick=1)
    count = args.records or (200 if args.quick else 10_000)
    with h.prepared(args) as bench:
        extras = ["matplotlib>=3.8"] + (["psycopg[binary]>=3.2"] if args.pg else [])
        bench.run([str(bench.python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *extras])
        bench.header(f"bench_stats_store: `stats --store` over {count} records (installed wheel, warm)")
        base = bench.time_interleaved({"python -c pass": bench.baseline()}, max(runs, 5))["python -c pass"]
        h.print_baseline(base)
        folder = bench.work / "records"
        folder.mkdir()
        bench.run([str(bench.python), "-c", MAKE, str(folder), str(count), *map(str, FIXTURES)])
        engines = [("sqlite", f"sqlite:///{bench.work / 'store.sqlite3'}")]
        if args.pg:
            engines.append(("postgresql", args.pg))
        script = TIMING.format(imports=bench.imports("connect", "Filters", "figure_rows", "figures_from_rows"),
                               hand=HAND)
        for engine, url in engines:
            env = dict(bench.env, SAFETYCHECK_STORE=url, SAFETYCHECK_DATA_DIR=str(bench.work / f"data-{engine}"))
            saved, bench.env = bench.env, env
            try:
                if engine == "postgresql":
                    bench.run([str(bench.python), "-c", h.PG_DROP, url])
                bench.run(bench.cli("store", "init"))
                took, _ = h.run_once(bench.cli("sync", str(folder)), env, bench.work)
                print(f"\n{engine}: filled by `safetycheck sync` of {count} record files in {took:.1f} s "
                      f"({count / took:.0f} records/s)")
                cli = {"stats --store --format json": bench.cli("stats", "--store", "--to", TO, "--format", "json"),
                       "stats --store --format html (dashboard)": bench.cli("stats", "--store", "--to", TO,
                                                                            "--format", "html", "-o", "d.html"),
                       "one record's dashboard from its file": bench.cli("stats", str(FIXTURES[0]), "--to", TO,
                                                                          "--format", "html", "-o", "e.html")}
                total = json.loads(bench.run(cli["stats --store --format json"]).stdout)["total"]
                assert total["inspections"] == count, total
                wall, cpu = timed(cli, env, bench.work, runs)
                json_s, html_s = wall["stats --store --format json"], wall["stats --store --format html (dashboard)"]
                print(f"  stats --store --format json: {json_s:.2f} s, CPU {cpu['stats --store --format json']:.2f} s"
                      f" (target < 1 s: {verdict(json_s < 1)})")
                print(f"  dashboard, stats --store --format html: {html_s:.2f} s, CPU "
                      f"{cpu['stats --store --format html (dashboard)']:.2f} s (target < 3 s: {verdict(html_s < 3)})")
                one = "one record's dashboard from its file"
                print(f"    (the dashboard's fixed cost, charts drawn by matplotlib: {one}: {wall[one]:.2f} s, "
                      f"CPU {cpu[one]:.2f} s)")
                inproc = h.in_venv(bench, script, url, str(max(runs, 5)), TO)
                assert isinstance(inproc, dict)
                ratio = inproc["ours"] / inproc["hand"]
                print(f"  in one process: the command's figures {inproc['ours'] * 1000:.0f} ms, hand-written SQL "
                      f"{inproc['hand'] * 1000:.0f} ms: {ratio:.2f}x (target <= 1.5x: {verdict(ratio <= 1.5)}); "
                      f"same figures: {'yes' if inproc['same'] else 'NO'}")
                if not inproc["same"]:
                    print(f"    ours:  {inproc['mine']}\n    hand:  {inproc['theirs']}")
                if total != inproc["mine"]:
                    print("  the command's JSON differs from the in-process figures")
            finally:
                bench.env = saved


if __name__ == "__main__":
    main()
