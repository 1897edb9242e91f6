"""``stats`` over record files: linear in the number of records, with flat memory.

Run: ``python benchmarks/bench_stats.py [--records N] [--runs R] [--quick] [--venv DIR]`` from a
checkout. Not a test: it prints. The wheel is built and installed into a virtual environment of its
own (see ``_harness.py``); N, 2N and 4N record files are written (copies of
``tests/data/records/v2-inspect.toml`` with 50 unit names and start dates over nine weeks), and
``safetycheck stats DIR --by unit --format json`` is timed over each, interleaved with a bare
``tomllib`` read of the same files. Figures: median wall time, time per record, peak resident memory.
Targets: time per record at 4N within 1.25x of that at N, and so the ratio to the bare read, which is
robust to the load of a shared machine (linear); peak memory at 4N within 15 MiB of
that at N (flat: the figures are running sums, one record's facts in memory at a time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as h  # noqa: E402

FIXTURE = h.ROOT / "tests" / "data" / "records" / "v2-inspect.toml"
BARE = ("import pathlib, sys, tomllib\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.toml')):\n"
        "    tomllib.loads(p.read_text(encoding='utf-8'))\n")


def write_records(folder: Path, count: int) -> None:
    """``count`` records: 50 units, start dates spread over nine weeks of 2026.

    Why not a year: the record's answers, deadlines and end are of 2026-03-05, and a record begun
    after them is refused as broken (a walk cannot end before it starts).
    """
    folder.mkdir(parents=True)
    text = FIXTURE.read_text(encoding="utf-8")
    for i in range(count):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=i % 63)  # before the record's own dates (answers, deadlines)
        body = text.replace('name = "测试公司"', f'name = "测试公司{i % 50}"', 1)
        body = body.replace("started_at = 2026-03-05T09:30:00+08:00", f"started_at = {day.isoformat()}T09:30:00+08:00",
                            1)
        (folder / f"r{i:05d}.toml").write_text(body, encoding="utf-8")


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    h.add_options(parser, runs=3)
    parser.add_argument("--records", type=int, default=None, help="the smallest batch (default 1000; 50 --quick)")
    args = parser.parse_args()
    runs = h.runs_of(args, quick=1)
    count = args.records or (50 if args.quick else 1000)
    with h.prepared(args) as bench:
        bench.header("bench_stats: `stats` over record files (installed wheel, warm)")
        base = bench.time_interleaved({"python -c pass": bench.baseline()}, max(runs, 5))["python -c pass"]
        h.print_baseline(base)
        print()
        print(f"stats DIR --by unit --format json, runs: {runs} (median wall time, peak memory)")
        rows: list[tuple[int, h.Timing, float]] = []
        for size in (count, 2 * count, 4 * count):
            folder = bench.work / f"records-{size}"
            write_records(folder, size)
            command = bench.cli("stats", str(folder), "--by", "unit", "--to", "2026-12-31", "--format", "json")
            figures = json.loads(bench.run(command).stdout)
            assert figures["total"]["inspections"] == size, figures["total"]
            timings = bench.time_interleaved({"stats": command,
                                              "bare": [str(bench.python), "-c", BARE, str(folder)]}, runs)
            ours, bare = timings["stats"], timings["bare"]
            ratio = ours.median / bare.median
            rows.append((size, ours, ratio))
            print(f"  {size:>6} records: stats {ours.median:7.2f} s ({ours.ms / size:5.2f} ms/record, peak "
                  f"{ours.peak_mib:6.1f} MiB); bare tomllib {bare.median:6.2f} s; ratio {ratio:.2f}x")
        (small, first, first_ratio), (large, last, last_ratio) = rows[0], rows[-1]
        growth = (last.ms / large) / (first.ms / small)
        memory = last.peak_mib - first.peak_mib
        def verdict(ok: bool) -> str:
            return "holds" if ok else "MISSED"

        drift = last_ratio / first_ratio
        print(f"time per record, {large} vs {small} records: {growth:.2f}x (target <= 1.25, linear: "
              f"{verdict(growth <= 1.25)})")
        print(f"ratio to bare tomllib (itself linear), {large} vs {small} records: {drift:.2f}x "
              f"(target <= 1.25, linear, robust to the machine's load: {verdict(drift <= 1.25)})")
        print(f"peak memory, {large} vs {small} records: {memory:+.1f} MiB (target <= 15 MiB, flat: "
              f"{verdict(memory <= 15)})")


if __name__ == "__main__":
    main()
