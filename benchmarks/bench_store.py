"""The store over 10,000 records: sync rate and memory, and the store's queries against the file scan.

Run: ``python benchmarks/bench_store.py [--records N] [--runs R] [--pg URL]`` from a checkout. Not a
test: it prints. It builds the wheel, installs it (with psycopg when ``--pg`` or
``SAFETYCHECK_TEST_PG`` names a PostgreSQL database) into a fresh virtual environment it creates,
writes N sealed record files (made from ``tests/data/records/v2-inspect.toml``: a new id and
unit name each, sealed again), and, on each engine:

- times ``safetycheck sync DIR`` (records per second) and reads its peak memory, for N and N/4
  records: a flat figure means the records are streamed, not held;
- times ``report --issue`` against ``report`` of the same record on the default embedded store
  (target: at most 0.3 s more, auto_sync included);
- times, interleaved R times, ``hazards list --store --status overdue`` and ``records --unit …``
  against the file-based ``hazards list DIR --status overdue`` of the same records (target: the
  store's queries under 1 s).

Figures are medians of wall time; the PostgreSQL database is emptied first (its tables dropped).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "records" / "v2-inspect.toml"
MAKE = """
import datetime as dt, sys, uuid
from pathlib import Path
from safetycheck.inspection.records import write_record
from safetycheck.lifecycle.files import load_record
from safetycheck.lifecycle.seal import seal_record
base, _ = load_record(Path(sys.argv[1]))
out = Path(sys.argv[2])
for i in range(int(sys.argv[3])):
    base.id, base.seal, base.events = str(uuid.UUID(int=i + 1)), None, []
    base.unit.name = f"单位{i:05d}"
    seal_record(base, dt.datetime(2026, 3, 5, 11, tzinfo=dt.timezone.utc))
    path = out / f"{i // 1000:02d}" / f"r{i:05d}.toml"
    path.parent.mkdir(exist_ok=True)
    write_record(path, base)
"""
def install(work: Path, postgres: bool) -> Path:
    """Build the wheel and install it into a new virtual environment; the environment's python."""
    dist = work / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)], check=True)
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    python = work / "venv" / "bin" / "python"
    wheel = str(next(dist.glob("*.whl")))
    subprocess.run([str(python), "-m", "pip", "install", "-q", f"{wheel}[postgresql]" if postgres else wheel],
                   check=True, stderr=subprocess.DEVNULL)
    return python


CPU: dict[str, float] = {}  # CPU seconds (user + system) of the last process run, for a loaded machine


def run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one process (its CPU seconds in ``CPU["last"]``)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    CPU["last"] = usage.ru_utime + usage.ru_stime
    return took, usage.ru_maxrss / 1024


AGENCY = '[agency]\nname = "甲市应急管理局"\nshort_name = "甲应急"\n'


def time_issue(python: Path, work: Path, runs: int) -> None:
    """What ``report --issue`` adds over ``report``: a number from the default embedded store, then auto_sync.

    Each ``--issue`` renders a fresh copy of one record (so it takes a number and syncs it); the
    first, which makes the store in the user data folder, is shown on its own.
    """
    folder = work / "issue"
    folder.mkdir()
    (folder / "safetycheck.toml").write_text(AGENCY, encoding="utf-8")
    raw = FIXTURE.read_bytes()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFETYCHECK_", "PYTHON"))}
    env.update(SAFETYCHECK_CONFIG_DIR=str(folder / "config"), XDG_DATA_HOME=str(folder / "xdg"))
    cli = [str(python), "-m", "safetycheck", "report", "--format", "txt", "--doc", "inspection-record"]

    def copy(n: int) -> str:
        path = folder / f"r{n}.toml"
        path.write_bytes(raw)
        return str(path)

    run([*cli, copy(0)], env, folder)  # warm the catalog cache
    first, _ = run([*cli, copy(1), "--issue"], env, folder)
    plain: list[float] = []
    issued: list[float] = []
    for n in range(runs):
        plain.append(run([*cli, copy(100 + n)], env, folder)[0])
        issued.append(run([*cli, copy(200 + n), "--issue"], env, folder)[0])
    base, took = statistics.median(plain), statistics.median(issued)
    print(f"report --issue (default embedded store, with auto_sync): {took:.3f} s against report {base:.3f} s: "
          f"+{took - base:.3f} s (target <= 0.3 s); the first, making the store: +{first - base:.3f} s")


def main() -> None:
    """Print the figures of each engine."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default=os.environ.get("SAFETYCHECK_TEST_PG", ""),
                        help="a PostgreSQL database URL to use (its tables are dropped)")
    parser.add_argument("--engines", default="sqlite,postgresql", help="which engines to time")
    parser.add_argument("--issue-only", action="store_true", help="time report --issue only")
    opts = parser.parse_args()
    assert resource  # ru_maxrss of children comes from os.wait4
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        python = install(work, bool(opts.pg))
        print(f"interpreter: {python} ({sys.implementation.name} {sys.version.split()[0]})")
        time_issue(python, work, max(opts.runs, 5))
        if opts.issue_only:
            return
        quarter = max(opts.records // 4, 1)
        for name, count in (("all", opts.records), ("quarter", quarter)):
            (work / name).mkdir()
            subprocess.run([str(python), "-c", MAKE, str(FIXTURE), str(work / name), str(count)], check=True, cwd=work)
        engines = [("sqlite", f"sqlite:///{work / 'store.sqlite3'}", f"sqlite:///{work / 'quarter.sqlite3'}")]
        if opts.pg:
            engines.append(("postgresql", opts.pg, opts.pg))
        engines = [e for e in engines if e[0] in opts.engines.split(",")]
        cli = [str(python), "-m", "safetycheck"]
        for engine, url, quarter_url in engines:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("SAFETYCHECK_", "PYTHON"))}
            env.update(SAFETYCHECK_CONFIG_DIR=str(work / f"config-{engine}"),
                       SAFETYCHECK_DATA_DIR=str(work / f"data-{engine}"))
            init = [*cli, "store", "init"]
            if engine == "postgresql":
                subprocess.run([str(python), "-c", h.PG_DROP, url], check=True, cwd=work)
                run(init, dict(env, SAFETYCHECK_STORE=url), work)
            small, small_mem = run([*cli, "sync", str(work / "quarter")], dict(env, SAFETYCHECK_STORE=quarter_url),
                                   work)
            if engine == "postgresql":
                subprocess.run([str(python), "-c", h.PG_DROP, url], check=True, cwd=work)
                run(init, dict(env, SAFETYCHECK_STORE=url), work)
            took, mem = run([*cli, "sync", str(work / "all")], dict(env, SAFETYCHECK_STORE=url), work)
            again, _ = run([*cli, "sync", str(work / "all")], dict(env, SAFETYCHECK_STORE=url), work)
            print(f"{engine}: sync of {opts.records} records {took:.1f} s ({opts.records / took:.0f} records/s), "
                  f"peak {mem:.0f} MiB; {quarter} records: {small:.1f} s, peak {small_mem:.0f} MiB; "
                  f"again (all unchanged): {again:.1f} s")
            env["SAFETYCHECK_STORE"] = url
            cases = {
                "hazards list --store --status overdue": [*cli, "hazards", "list", "--store", "--status", "overdue",
                                                          "--format", "json"],
                "records --unit 单位0004": [*cli, "records", "--unit", "单位0004", "--format", "json"],
                "hazards list DIR --status overdue (files)": [*cli, "hazards", "list", str(work / "all"),
                                                              "--status", "overdue", "--format", "json"],
            }
            times: dict[str, list[float]] = {k: [] for k in cases}
            cpu: dict[str, list[float]] = {k: [] for k in cases}
            for args in cases.values():
                run(args, env, work)  # warm
            for _ in range(opts.runs):
                for key, args in cases.items():
                    times[key].append(run(args, env, work)[0])
                    cpu[key].append(CPU["last"])
            scan = statistics.median(times["hazards list DIR --status overdue (files)"])
            for key, values in times.items():
                median = statistics.median(values)
                print(f"  {key}: {median:.2f} s ({median / scan:.2f}x the file scan), "
                      f"CPU {statistics.median(cpu[key]):.2f} s")


if __name__ == "__main__":
    main()
