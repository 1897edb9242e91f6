"""Each benchmark runs in its quick mode against the installed wheel and prints its figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX benchmarks"),
              pytest.mark.xdist_group("benchmarks")]  # one venv for the module

BENCHMARKS = ROOT / "benchmarks"
NUMBER = r"\d+(?:\.\d+)?"


@pytest.fixture(scope="module")
def venv_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One virtual environment for every benchmark of the module (the first one creates it)."""
    return tmp_path_factory.mktemp("bench") / "venv"


def _bench(name: str, venv_dir: Path, *extra: str) -> str:
    done = subprocess.run([sys.executable, str(BENCHMARKS / name), "--quick", "--runs", "1", "--venv", str(venv_dir),
                           *extra], capture_output=True, text=True, encoding="utf-8", timeout=900, cwd=BENCHMARKS)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    # every benchmark says which interpreter its ratios are to, that it timed the installed wheel, and the baseline
    assert re.search(rf"^interpreter: {re.escape(str(venv_dir / 'bin' / 'python'))} \(CPython 3\.\d+\.\d+; venv of /",
                     out, re.M), out
    assert re.search(rf"^safetycheck: {re.escape(str(venv_dir))}/lib/python3\.\d+/site-packages/safetycheck/", out,
                     re.M), out
    assert re.search(rf"^baseline: `python -c pass` of that interpreter: {NUMBER} ms", out, re.M), out
    return out


def test_bench_cli_prints_a_ratio_for_every_command(venv_dir: Path) -> None:
    out = _bench("bench_cli.py", venv_dir)
    for command in ("--version", "--help", "list", "show 五到位", "validate"):
        assert re.search(rf"^  safetycheck {re.escape(command)} +{NUMBER} +{NUMBER}x", out, re.M), out
    assert re.search(rf"show 五到位 / list: {NUMBER}x \(target <= 1.2x: (?:met|NOT met)\)", out), out
    assert re.search(r"validate composes YAML without PyYAML's resolver: yes \(target: yes: met\)", out), out
    assert re.search(rf"list, folder set changing every call: {NUMBER} ms, {NUMBER}x", out), out


def test_bench_report_renders_real_records_and_forms_like_its_baselines(venv_dir: Path) -> None:
    out = _bench("bench_report.py", venv_dir, "--records", "8")
    match = re.search(r"records: 8 files, copies of 4 made by `safetycheck run 五到位 --answers FILE` "
                      r"\((\d+) answers each; (\d+)–(\d+) KB; (\d+) responses in the first\)", out)
    assert match, out
    answers, low, _, responses = map(int, match.groups())
    from safetycheck.catalog.catalog import open_catalog

    catalog = open_catalog([])
    items = sum(len(section.items) for section in catalog.entries["wudaowei"].model.sections)
    assert answers == responses == items and low >= 60, out  # every item of 五到位 answered
    assert re.search(rf"8 records: safetycheck report +{NUMBER} s .*\n +bare tomllib \+ Jinja2 +{NUMBER} s .*\n +"
                     rf"ratio {NUMBER}x \(target <= 2x: (?:met|NOT met)\)", out), out
    assert re.search(rf"one record in-process .* ratio {NUMBER}x \(target <= 4x: (?:met|NOT met)\); "
                     rf"the TOML reader alone {NUMBER} ms \(tomllib.loads {NUMBER} ms\)", out), out
    for fmt in ("html", "md", "txt", "csv"):  # the baselines wrote the same non-empty files, or it had stopped
        assert re.search(rf"^  {fmt} +{NUMBER}s +{NUMBER}s +{NUMBER}x  \(2\d files\)", out, re.M), out


def test_bench_run_prints_save_costs_and_start_up(venv_dir: Path) -> None:
    pytest.importorskip("pexpect")
    out = _bench("bench_run.py", venv_dir)
    for items in (100, 300):
        assert re.search(rf"^ +{items} +{NUMBER} +{NUMBER} +{NUMBER} +-?{NUMBER} +{NUMBER} +{NUMBER}$", out, re.M), out
    assert re.search(rf"serialisation at the 300th answer / at the 100th: {NUMBER}x "
                     rf"\(target <= 1.5x: (?:met|NOT met)\)", out), out
    assert re.search(rf"`run 五到位` to the first item on screen: {NUMBER} ms, {NUMBER}x python -c pass "
                     rf"\(target <= 10x: (?:met|NOT met)\)", out), out


def test_bench_peers_compares_with_copier_cookiecutter_and_oscap(venv_dir: Path, tmp_path: Path) -> None:
    out = _bench("bench_peers.py", venv_dir, "--peers-venv", str(tmp_path / "peers"))
    assert re.search(r"^peers' venv: .* \(copier \d", out, re.M), out
    for peer in ("copier --help", "cookiecutter --help"):
        assert re.search(rf"safetycheck --help / {peer}: {NUMBER}x", out), out
    assert re.search(rf"form 五到位 / oscap xccdf generate guide: ({NUMBER}x|skipped: .+)", out), out


def test_bench_review_prints_the_time_to_the_first_hazard(venv_dir: Path) -> None:
    pytest.importorskip("pexpect")
    out = _bench("bench_review.py", venv_dir)
    assert re.search(rf"`review` to the first hazard on screen: {NUMBER} ms, {NUMBER}x python -c pass", out), out


def test_bench_stats_prints_time_per_record_and_memory_for_three_sizes(venv_dir: Path) -> None:
    out = _bench("bench_stats.py", venv_dir, "--records", "10")
    for size in (10, 20, 40):
        assert re.search(rf"^ +{size} records: stats +{NUMBER} s \( *{NUMBER} ms/record, peak +{NUMBER} MiB\); "
                         rf"bare tomllib +{NUMBER} s; ratio {NUMBER}x", out, re.M), out
    assert re.search(rf"time per record, 40 vs 10 records: {NUMBER}x", out), out
    assert re.search(rf"ratio to bare tomllib \(itself linear\), 40 vs 10 records: {NUMBER}x", out), out
    assert re.search(rf"peak memory, 40 vs 10 records: [+-]{NUMBER} MiB", out), out


def test_bench_stats_store_prints_each_target_and_whether_it_holds(venv_dir: Path) -> None:
    out = _bench("bench_stats_store.py", venv_dir, "--records", "40", "--pg", "")
    assert re.search(rf"^sqlite: filled by `safetycheck sync` of 40 record files in {NUMBER} s", out, re.M), out
    assert re.search(rf"stats --store --format json: {NUMBER} s, CPU {NUMBER} s \(target < 1 s: (holds|MISSED)\)",
                     out), out
    assert re.search(rf"dashboard, stats --store --format html: {NUMBER} s, CPU {NUMBER} s \(target < 3 s: "
                     r"(holds|MISSED)\)", out), out
    assert re.search(rf"hand-written SQL {NUMBER} ms: {NUMBER}x \(target <= 1.5x: (holds|MISSED)\); same figures: yes",
                     out), out
