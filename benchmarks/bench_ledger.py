"""Cost of ``hazards list`` over 1,000 record files, as a ratio to bare ``tomllib`` loading in the same run.

Run: ``python benchmarks/bench_ledger.py [--records N] [--runs R]`` from a checkout. Not a test: it
prints. It builds the wheel, installs it into a fresh virtual environment it creates, writes N
record files (copies of ``tests/data/records/v2-inspect.toml`` with different unit names), and times,
interleaved R times, one ``safetycheck hazards list DIR --format json`` process against one process
of the same interpreter that reads and parses the same files with ``tomllib`` and nothing else.
Figures are medians of wall time. Target: <= 1.5x.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "records" / "v2-inspect.toml"
BASELINE = ("import pathlib, sys, tomllib\n"
            "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.toml')):\n"
            "    tomllib.loads(p.read_text(encoding='utf-8'))\n")


def install(work: Path) -> Path:
    """Build the wheel and install it into a new virtual environment; the environment's python."""
    dist = work / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(ROOT)], check=True)
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    python = work / "venv" / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", *map(str, dist.glob("*.whl"))], check=True)
    return python


def write_records(folder: Path, count: int) -> None:
    """``count`` record files that differ in their unit name."""
    folder.mkdir()
    text = FIXTURE.read_text(encoding="utf-8")
    for i in range(count):
        (folder / f"r{i:04d}.toml").write_text(text.replace('name = "测试公司"', f'name = "测试公司{i}"', 1),
                                               encoding="utf-8")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    """Print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        python = install(work)
        folder = work / "records"
        write_records(folder, opts.records)
        command = [str(python), "-m", "safetycheck", "hazards", "list", str(folder), "--format", "json"]
        baseline = [str(python), "-c", BASELINE, str(folder)]
        timed(command), timed(baseline)  # warm the file cache and the bytecode
        ours, bare = [], []
        for _ in range(opts.runs):
            ours.append(timed(command))
            bare.append(timed(baseline))
    a, b = statistics.median(ours), statistics.median(bare)
    print(f"hazards list over {opts.records} records: {a:.2f} s; bare tomllib: {b:.2f} s; "
          f"ratio {a / b:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
