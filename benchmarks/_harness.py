"""Shared set-up of the benchmarks: the installed wheel in a venv of its own, timed as users run it.

Every benchmark builds the wheel of this checkout (``pip wheel --no-deps``), installs it into a
virtual environment it creates (or reuses with ``--venv DIR``), and runs the ``safetycheck``
console script of that environment from an empty folder, with ``PYTHONPATH``,
``PYTHONDONTWRITEBYTECODE`` and every other ``PYTHON*`` and ``SAFETYCHECK_*`` variable removed.
pip compiles the bytecode at install time, and every command runs once before it is timed, so
the runs are warm (bytecode and the catalog cache in place), as after any first use.

Ratios are to ``python -c pass`` of *that* environment's interpreter, timed in the same run,
interleaved with the commands; figures are medians. Every benchmark prints the interpreter's
path and version first, and the baseline it measured.

Code that must run inside the environment (in-process timings, bare baselines) gets the
package's functions by name through :meth:`Bench.locate`, which finds the module that defines
each one, so the benchmarks keep working when modules move inside the package.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import venv
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = "Scripts" if sys.platform == "win32" else "bin"
EXE = ".exe" if sys.platform == "win32" else ""

Command = Sequence[str]


def add_options(parser: argparse.ArgumentParser, runs: int) -> None:
    """The options every benchmark takes: ``--runs``, ``--quick`` and ``--venv``."""
    parser.add_argument("--runs", type=int, default=None, help=f"interleaved runs of each command (default {runs})")
    parser.add_argument("--quick", action="store_true", help="a few runs on small inputs: checks the benchmark works")
    parser.add_argument("--venv", type=Path, default=None, metavar="DIR",
                        help="install into (or reuse) this virtual environment instead of a temporary one")
    parser.set_defaults(default_runs=runs)


def runs_of(args: argparse.Namespace, quick: int = 3) -> int:
    """The number of runs: ``--runs``, else ``quick`` with ``--quick``, else the benchmark's default."""
    if args.runs is not None:
        return max(1, args.runs)
    return quick if args.quick else args.default_runs


# A script for the venv's interpreter: drop every table a safetycheck store has (every schema version),
# so that a benchmark's PostgreSQL database starts empty: ``python -c PG_DROP URL``.
PG_DROP = """
import sys, psycopg
from safetycheck.store.dialect import pg_conninfo
with psycopg.connect(**pg_conninfo(sys.argv[1]), autocommit=True) as c:
    for t in ("events", "revisions", "records", "responses", "hazards", "record_events", "documents", "numbers",
              "imported_counters", "schema_version", "record_items", "record_names", "hazard_days", "reviews"):
        c.execute(f"DROP TABLE IF EXISTS {t} CASCADE")
"""


def clean_environment(bindir: Path, home: Path) -> dict[str, str]:
    """The environment a user's shell gives the program: no ``PYTHON*``, ``SAFETYCHECK_*`` or venv variables.

    Config and cache go to ``home`` so that no user file changes what is measured.
    """
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "SAFETYCHECK_")) and k not in ("VIRTUAL_ENV", "CONDA_PREFIX")}
    env["PATH"] = str(bindir) + os.pathsep + env.get("PATH", "")
    env["NO_COLOR"] = "1"
    env["SAFETYCHECK_CONFIG_DIR"] = str(home / "config")
    env["SAFETYCHECK_CACHE_DIR"] = str(home / "cache")
    return env


def build_wheel(dest: Path) -> Path:
    """Build this checkout's wheel into ``dest`` (without dependencies) and return its path."""
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dest), str(ROOT)]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.insert(4, "--no-build-isolation")  # hatchling is here: no need to fetch it into an isolated build
    _quiet(cmd)
    return max(dest.glob("safetycheck-*.whl"), key=lambda p: p.stat().st_mtime)


def make_venv(folder: Path, packages: Sequence[str], reinstall: Sequence[str] = ()) -> Path:
    """Create (or reuse) a virtual environment with ``packages`` installed; return its bin folder.

    ``reinstall`` names files installed again over an existing copy of the same version (the
    freshly built wheel), without touching their dependencies.
    """
    bindir = folder / BIN
    python = bindir / f"python{EXE}"
    if not python.exists():
        if folder.exists() and any(folder.iterdir()) and not (folder / "pyvenv.cfg").exists():
            sys.exit(f"{folder} is a folder with files and no virtual environment; name a new or a venv folder")
        # as `python -m venv` makes it: the interpreter linked, not copied, where the OS allows
        venv.EnvBuilder(with_pip=True, clear=True, symlinks=os.name != "nt").create(folder)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    _quiet([*pip, *packages])
    if reinstall:
        _quiet([*pip, "--force-reinstall", "--no-deps", *reinstall])
    return bindir


def _quiet(cmd: list[str]) -> None:
    """Run a set-up command; show its output only when it fails."""
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=900)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stdout[-2000:]}{done.stderr[-3000:]}")


@dataclass
class Timing:
    """Wall times (seconds) and peak resident memory (KiB, 0 where unknown) of one case's runs."""

    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(self.seconds)

    @property
    def ms(self) -> float:
        """Median wall time in milliseconds."""
        return self.median * 1000

    @property
    def peak_mib(self) -> float:
        """Largest peak resident memory of the runs, in MiB."""
        return max(self.peak_kib, default=0) / 1024


def run_once(cmd: Command, env: Mapping[str, str], cwd: Path) -> tuple[float, int]:
    """Run ``cmd`` to its end, output discarded; return (wall seconds, peak RSS KiB).

    Raises:
        SystemExit: the command failed; its output is shown.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=dict(env), cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    peak = 0
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak = int(usage.ru_maxrss) // (1024 if sys.platform == "darwin" else 1)
    else:
        proc.wait()
        elapsed = time.perf_counter() - start
    proc.stderr.close()
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))[:300]}\n"
                 f"{err.decode('utf-8', 'replace')[-3000:]}")
    return elapsed, peak


@dataclass
class Bench:
    """The installed program and the folders a benchmark works in."""

    bindir: Path
    work: Path
    env: dict[str, str]

    @property
    def python(self) -> Path:
        """The environment's interpreter, as a user's shell finds it."""
        return self.bindir / f"python{EXE}"

    @property
    def exe(self) -> Path:
        """The ``safetycheck`` console script of the environment."""
        return self.bindir / f"safetycheck{EXE}"

    def cli(self, *args: str) -> list[str]:
        """The command line of ``safetycheck ARGS``."""
        return [str(self.exe), *args]

    def baseline(self) -> list[str]:
        """``python -c pass`` of the environment's interpreter."""
        return [str(self.python), "-c", "pass"]

    def run(self, cmd: Command, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run a command once in the benchmark's environment, output captured; fail loudly on an error."""
        done = subprocess.run(list(cmd), env=self.env, cwd=cwd or self.work, capture_output=True, text=True,
                              encoding="utf-8", check=False, timeout=900)
        if done.returncode != 0:
            sys.exit(f"failed ({done.returncode}): {' '.join(map(str, cmd))[:300]}\n{done.stdout[-1500:]}"
                     f"{done.stderr[-3000:]}")
        return done

    def locate(self, *names: str) -> dict[str, str]:
        """The module of the installed package that defines each name (a function, class or constant).

        Raises:
            SystemExit: a name is defined nowhere in the package.
        """
        out = self.run([str(self.python), "-c", _LOCATE, *names]).stdout
        found: dict[str, str] = json.loads(out)
        missing = [n for n in names if n not in found]
        if missing:
            sys.exit(f"not found in the installed package: {', '.join(missing)}")
        return found

    def imports(self, *names: str) -> str:
        """Python import lines for ``names`` from the modules that define them."""
        return "\n".join(f"from {module} import {name}" for name, module in self.locate(*names).items())

    def time_interleaved(self, cases: Mapping[str, Command | Callable[[], float]], runs: int,
                         cwd: Path | None = None, warmup: int = 1) -> dict[str, Timing]:
        """Run every case once per round, ``runs`` rounds; a case is a command or a function timing itself.

        Each case first runs ``warmup`` times untimed. Every other round goes in reverse order, so
        that a drift in the machine's load falls on every case alike. Every command must exit 0 (the
        benchmark stops otherwise).
        """
        timings = {name: Timing() for name in cases}
        for n in range(warmup + runs):
            order = list(cases.items())
            for name, case in order if n % 2 == 0 else order[::-1]:
                if callable(case):
                    seconds, peak = case(), 0
                else:
                    seconds, peak = run_once(case, self.env, cwd or self.work)
                if n >= warmup:
                    timings[name].seconds.append(seconds)
                    timings[name].peak_kib.append(peak)
        return timings

    def interpreter(self) -> tuple[str, str]:
        """(the base interpreter the venv runs, its implementation and version)."""
        out = self.run([str(self.python), "-c", "import sys, platform; print(sys._base_executable); "
                        "print(platform.python_implementation(), platform.python_version())"]).stdout.split("\n")
        return out[0], out[1]

    def header(self, title: str) -> None:
        """Print the title, the interpreter the ratios are to, and where the timed package lives."""
        base_exe, version = self.interpreter()
        installed = self.run([str(self.python), "-c", "import safetycheck; print(safetycheck.__file__)"]).stdout.strip()
        print(title)
        print(f"interpreter: {self.python} ({version}; venv of {Path(base_exe).resolve()})")
        print(f"safetycheck: {installed}")
        if hasattr(os, "getloadavg"):
            load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"machine: {os.cpu_count()} cores, load average {load} (other work on the machine makes the "
                  "figures noisy)")


def print_baseline(base: Timing) -> None:
    """Print the ``python -c pass`` line every benchmark shows."""
    print(f"baseline: `python -c pass` of that interpreter: {base.ms:.1f} ms "
          f"(median of {len(base.seconds)} runs, interleaved)")


@contextlib.contextmanager
def prepared(args: argparse.Namespace) -> Iterator[Bench]:
    """Build the wheel, install it into a venv, and yield the :class:`Bench`.

    The temporary work folder (and the venv, unless ``--venv`` named one) is removed at the end.
    """
    tmp = Path(tempfile.mkdtemp(prefix="safetycheck-bench-"))
    try:
        wheel = build_wheel(tmp / "dist")
        folder = args.venv.resolve() if args.venv else tmp / "venv"
        reused = (folder / BIN / f"python{EXE}").exists()
        bindir = make_venv(folder, [str(wheel)], reinstall=[str(wheel)] if reused else ())
        work = tmp / "work"
        work.mkdir()
        bench = Bench(bindir=bindir, work=work, env=clean_environment(bindir, tmp / "home"))
        bench.run(bench.cli("list"))  # the catalog cache, as after any first use
        yield bench
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def in_venv(bench: Bench, script: str, *args: str) -> object:
    """Run ``script`` with the environment's interpreter; it prints one JSON value, returned here."""
    return json.loads(bench.run([str(bench.python), "-c", script, *args]).stdout.strip().splitlines()[-1])


def ljust(text: str, width: int) -> str:
    """Pad ``text`` to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def verdict(value: float, limit: float) -> str:
    """``(target <= 1.5x: met)`` or ``(target <= 1.5x: NOT met)``: a ratio's target, and whether it holds."""
    return f"(target <= {limit:g}x: {'met' if value <= limit else 'NOT met'})"


def row(name: str, timing: Timing, base: Timing, target: str = "", width: int = 36) -> str:
    """A table row: name, median ms, ratio to the baseline, target."""
    return f"  {ljust(name, width)}{timing.ms:>10.1f}{timing.median / base.median:>9.2f}x  {target}".rstrip()


def table_head(width: int = 36, first: str = "command", ratio: str = "ratio") -> str:
    """The heading of :func:`row`'s table."""
    return f"  {ljust(first, width)}{'median ms':>10}{ratio:>10}  target"


_LOCATE = r"""
import importlib, json, pkgutil, sys
import safetycheck
want = sys.argv[1:]
found, fallback = {}, {}
names = ["safetycheck"] + sorted((m.name for m in pkgutil.walk_packages(safetycheck.__path__, "safetycheck.")
                                  if not m.name.endswith("__main__")), key=lambda n: (n == "safetycheck.cli", n))
for name in names:
    module = importlib.import_module(name)
    for key in want:
        if key in found or key not in vars(module):
            continue
        obj = vars(module)[key]
        if getattr(obj, "__module__", None) == name:
            found[key] = name
        elif not hasattr(obj, "__module__") or isinstance(obj, (int, float, str, tuple, dict, frozenset)):
            fallback.setdefault(key, name)
for key, name in fallback.items():
    found.setdefault(key, name)
print(json.dumps(found))
"""
