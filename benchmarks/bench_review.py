"""Time from ``review`` to the first hazard on screen, from the installed wheel.

Run: ``python benchmarks/bench_review.py [--runs R] [--quick] [--venv DIR]`` from a checkout. Not a
test: it prints. It builds the wheel, installs it into a virtual environment (``_harness``), copies
``tests/data/records/review-inspect.toml`` (a sealed record with a hazard left open by a failed
review) afresh before each run, spawns ``safetycheck review`` in a pseudo-terminal (pexpect), waits
for the first hazard's screen and its key prompt, and quits with ``q``. Interleaved with
``python -c pass`` of the venv's interpreter; medians. Target: <= 15x.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

import _harness as h

FIXTURE = h.ROOT / "tests" / "data" / "records" / "review-inspect.toml"


def first_hazard(bench: h.Bench, folder: Path, n: int) -> float:
    """Seconds from spawning ``review`` to its first hazard on screen (then ``q``)."""
    import pexpect

    record = folder / f"r{n}.toml"
    shutil.copy(FIXTURE, record)
    start = time.perf_counter()
    child = pexpect.spawn(str(bench.exe), ["review", record.name], cwd=str(folder), env=bench.env,
                          encoding="utf-8", timeout=60, dimensions=(40, 100))
    child.expect_exact("[1/")
    child.expect_exact("> ")
    took = time.perf_counter() - start
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 0:
        sys.exit(f"review exited {child.exitstatus}")
    return took


def main() -> None:
    """Print the baseline and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    h.add_options(parser, runs=15)
    args = parser.parse_args()
    runs = h.runs_of(args)
    with h.prepared(args) as bench:
        bench.header("bench_review: `review` to the first hazard on screen (installed wheel, warm)")
        if sys.platform == "win32":
            print("review: skipped: needs a POSIX pseudo-terminal (pexpect)")
            return
        try:
            import pexpect  # noqa: F401
        except ImportError:
            print("review: skipped: pexpect is not installed (pip install pexpect)")
            return
        folder = bench.work / "review"
        folder.mkdir()
        counter = iter(range(10**6))
        first_hazard(bench, folder, next(counter))  # warm
        timings = bench.time_interleaved({
            "python -c pass": bench.baseline(),
            "review": lambda: first_hazard(bench, folder, next(counter)),
        }, runs)
        base, review = timings["python -c pass"], timings["review"]
        h.print_baseline(base)
        print(f"`review` to the first hazard on screen: {review.ms:.0f} ms, "
              f"{review.median / base.median:.1f}x python -c pass (target <= 15x)")


if __name__ == "__main__":
    main()
