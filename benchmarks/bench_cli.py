"""Start-up cost of the read-only commands, as ratios to ``python -c pass`` in the same run.

Run: ``python benchmarks/bench_cli.py [--runs N] [--quick] [--venv DIR]`` from a checkout. The
wheel is built and installed into a venv of its own (see ``_harness.py``); each command runs warm,
interleaved with the baseline, N times; figures are medians. Not a test: it prints.

Besides the ratios to ``python -c pass``:

- ``show 五到位`` against ``list`` and against ``python -c "import typer, rich"`` (the two
  libraries every command loads);
- ``list`` when the folder set changes between calls (a folder with ``./checklists``, then one
  without, in turn), against ``list`` in one folder: what the catalog cache remembers.
"""

from __future__ import annotations

import argparse
import shutil

import _harness as h

RESOLVER = r'''
import json, yaml
from safetycheck.catalog.yamlsource import _loader_class
print(json.dumps(issubclass(_loader_class(), yaml.resolver.Resolver)))  # PyYAML's implicit resolvers
'''
TARGETS = {"--version": "<= 7x", "--help": "<= 14x", "list": "<= 14x", "show 五到位": "", "validate": ""}


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    h.add_options(parser, runs=15)
    args = parser.parse_args()
    runs = h.runs_of(args)
    with h.prepared(args) as bench:
        bench.header("bench_cli: start-up of the read-only commands (installed wheel, warm)")
        # a folder whose ./checklists adds one checklist, and an empty one
        local = bench.work / "with-local"
        (local / "checklists").mkdir(parents=True)
        shutil.copy(_builtin(bench, "wudaowei"), local / "checklists" / "local-copy.yaml")
        text = (local / "checklists" / "local-copy.yaml").read_text(encoding="utf-8")
        (local / "checklists" / "local-copy.yaml").write_text(
            text.replace("id: wudaowei", "id: local-copy", 1), encoding="utf-8")
        bench.run(bench.cli("list"), cwd=local)
        assert "local-copy" in bench.run(bench.cli("list"), cwd=local).stdout
        assert "安全投入" in bench.run(bench.cli("show", "五到位")).stdout

        cases: dict[str, h.Command] = {name: bench.cli(*name.split()) for name in TARGETS}
        cases["python -c 'import typer, rich'"] = [str(bench.python), "-c", "import typer, rich"]
        timings = bench.time_interleaved({"python -c pass": bench.baseline(), **cases}, runs)
        base = timings["python -c pass"]
        h.print_baseline(base)
        print(h.table_head())
        print(h.row("python -c pass", base, base))
        for name in TARGETS:
            print(h.row(f"safetycheck {name}", timings[name], base, TARGETS[name]))
        imports = timings["python -c 'import typer, rich'"]
        print(h.row("python -c 'import typer, rich'", imports, base))
        show, lst = timings["show 五到位"], timings["list"]
        print(f"  show 五到位 / list: {show.median / lst.median:.2f}x {h.verdict(show.median / lst.median, 1.2)}; "
              f"show 五到位 / import typer, rich: {show.median / imports.median:.2f}x")

        resolver = h.in_venv(bench, RESOLVER)
        print(f"  validate composes YAML without PyYAML's resolver: {'yes' if not resolver else 'no'} "
              f"(target: yes: {'met' if not resolver else 'NOT met'})")

        def in_turn() -> float:
            one, _ = h.run_once(bench.cli("list"), bench.env, local)
            two, _ = h.run_once(bench.cli("list"), bench.env, bench.work)
            return (one + two) / 2

        def same() -> float:
            return h.run_once(bench.cli("list"), bench.env, bench.work)[0]

        switch = bench.time_interleaved({"same": same, "in turn": in_turn}, runs)
        print(f"  list, folder set changing every call: {switch['in turn'].ms:.1f} ms, "
              f"{switch['in turn'].median / switch['same'].median:.2f}x list in one folder "
              f"({switch['same'].ms:.1f} ms)")


def _builtin(bench: h.Bench, checklist: str) -> str:
    """The path of a built-in checklist file in the installed package."""
    import json

    rows = json.loads(bench.run(bench.cli("list", "--format", "json")).stdout)
    return next(r["path"] for r in rows if r["id"] == checklist)


if __name__ == "__main__":
    main()
