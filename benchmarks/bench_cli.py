"""Start-up cost of the read-only commands, as ratios to ``python -c pass`` in the same run.

Run: ``python benchmarks/bench_cli.py [--runs N]`` from an environment where safetycheck is
installed (``pip install .``). Each command and the baseline run interleaved, N times each; the
figure is the median wall time divided by the baseline's median. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"--version": 7.0, "--help": 14.0, "list": 14.0, "validate": None}


def _time(cmd: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    exe = shutil.which("safetycheck")
    base_cmd = [sys.executable, "-c", "pass"]
    prefix = [exe] if exe else [sys.executable, "-m", "safetycheck"]
    cwd = tempfile.mkdtemp()
    env = dict(os.environ, NO_COLOR="1", SAFETYCHECK_CACHE_DIR=str(Path(cwd) / "cache"))
    commands = {name: prefix + [name] for name in TARGETS}
    _time(prefix + ["list"], env, cwd)  # warm the catalog cache, as after any first use
    samples: dict[str, list[float]] = {name: [] for name in ["python -c pass", *commands]}
    for _ in range(args.runs):
        samples["python -c pass"].append(_time(base_cmd, env, cwd))
        for name, cmd in commands.items():
            samples[name].append(_time(cmd, env, cwd))
    base = statistics.median(samples["python -c pass"])
    print(f"runs: {args.runs}; baseline python -c pass: {base * 1000:.1f} ms")
    print(f"{'command':<16}{'median ms':>10}{'ratio':>8}{'target':>8}")
    for name in commands:
        med = statistics.median(samples[name])
        target = TARGETS[name]
        mark = "" if target is None else ("  ok" if med / base <= target else "  OVER")
        print(f"{name:<16}{med * 1000:>10.1f}{med / base:>8.1f}{'' if target is None else f'<={target:g}':>8}{mark}")


if __name__ == "__main__":
    main()
