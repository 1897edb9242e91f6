"""Cost of saving after an answer, and time from ``run`` to the first item, as ratios in the same run.

Run: ``python benchmarks/bench_run.py [--runs N]`` from a checkout (or with safetycheck
installed). Not a test: it prints.

- **Save at the 500th answer** of a 500-item inspection: what the walk does after that answer
  (store the response, turn the record into TOML without nulls, write a temporary file, flush,
  fsync, rename, fsync the folder), against bare ``tomli_w.dumps`` of the same plain data +
  write + fsync + rename. Target <= 2x. The same is measured at other sizes to show how it
  scales: every save rewrites the whole record, so a save costs O(record size) and a whole
  walk O(n^2) in bytes written, which stays far below a person's answering speed.
- **Start-up**: wall time from spawning ``safetycheck run`` (unit given by options) to the first
  item on screen, in a pseudo-terminal, against ``python -c pass``. Target <= 15x.

Figures are medians of N interleaved runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safetycheck.inspection import recordmodels, records, session  # noqa: E402

TZ = dt.timezone(dt.timedelta(hours=8))


def synthetic_record(items: int) -> recordmodels.InspectionRecord:
    """A record of ``items`` items in 10 sections, every item answered but the last."""
    snap_items = []
    sections = [recordmodels.SnapshotSection(id=f"s{i:02d}", title=f"第{i + 1}部分 安全管理") for i in range(10)]
    for i in range(items):
        snap_items.append(recordmodels.SnapshotItem(
            id=f"item-{i:04d}", section=f"s{i % 10:02d}",
            text=f"第{i + 1}项：是否按规定建立并落实全员安全生产责任制，明确各岗位的责任人员、责任范围和考核标准？",
            standard="主要负责人组织制定并实施本单位安全生产责任制，责任制覆盖全体从业人员和全部生产经营活动，"
                     "并定期考核、公示考核结果。",
            method=["查资料", "问询"], basis=[{"law": "安全生产法", "article": 21}, {"doc": "晋政发〔2024〕1号",
                                                                               "clause": "(三)"}],
            hint="制定并印发全员安全生产责任制，建立考核制度。", major_possible=i % 7 == 0))
    snap = recordmodels.Snapshot(id="bench", title="基准清单", version="1.0", sha256="0" * 64, sections=sections,
                           items=snap_items)
    record = recordmodels.InspectionRecord(
        mode="inspect", started_at=dt.datetime(2025, 3, 5, 9, 0, tzinfo=TZ),
        unit=recordmodels.Unit(name="某某化工有限公司", address="某县某路1号", industry=["化工"],
                         representative=recordmodels.Person(name="赵六", post="厂长")),
        inspectors=[recordmodels.Person(name="张三", cert="1401", org="某县应急管理局"),
                    recordmodels.Person(name="李四", cert="1402", org="某县应急管理局")],
        checklists=[snap])
    plan = session.make_plan(record)
    at = dt.datetime(2025, 3, 5, 9, 1, tzinfo=TZ)
    for i, slot in enumerate(plan.slots[:-1]):
        if i % 5 == 0:
            hazard = recordmodels.Hazard(description="未建立全员安全生产责任制", measure="制定并印发",
                                   deadline=dt.date(2025, 4, 4),
                                   owner="王五")
            response = recordmodels.Response(checklist="", item="", result="fail", answered_at=at, hazard=hazard)
        else:
            response = recordmodels.Response(checklist="", item="", result="pass", answered_at=at)
        session.record_answer(record, plan, slot, response)
    return record


def save_costs(items: int, runs: int, folder: Path) -> tuple[float, float]:
    """Median seconds: (the walk's save after the last answer, bare tomli-w + fsync + rename)."""
    import tomli_w

    record = synthetic_record(items)
    plan = session.make_plan(record)
    last = plan.slots[-1]
    path = folder / f"r{items}.toml"
    bare = folder / f"b{items}.toml"
    records.write_record(path, record)
    ours: list[float] = []
    base: list[float] = []
    for n in range(runs):
        at = dt.datetime(2025, 3, 5, 10, 0, n % 60, tzinfo=TZ)
        start = time.perf_counter()
        session.record_answer(record, plan, last, recordmodels.Response(checklist="", item="", result="pass",
                                                                  answered_at=at))
        records.write_record(path, record)
        ours.append(time.perf_counter() - start)
        plain = records._prepare(records.msgspec.to_builtins(record, builtin_types=(dt.datetime, dt.date)))
        start = time.perf_counter()
        data = tomli_w.dumps(plain).encode("utf-8")
        tmp = bare.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(bare)
        base.append(time.perf_counter() - start)
    return statistics.median(ours), statistics.median(base)


def startup(runs: int) -> tuple[float, float]:
    """Median seconds: spawn ``run`` -> first item on screen; ``python -c pass``."""
    import pexpect

    work = Path(tempfile.mkdtemp(prefix="bench-run-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "SAFETYCHECK_CONFIG_DIR": str(work / "cfg")}
    args = ["-m", "safetycheck", "run", "wudaowei", "--mode", "inspect", "--unit", "某公司", "--address", "a",
            "--principal", "p", "--phone", "1", "--industry", "机械", "--site", "s", "--purpose", "日常检查",
            "--inspector", "张三:1", "--inspector", "李四:2"]
    ours: list[float] = []
    base: list[float] = []
    try:
        for n in range(runs):
            start = time.perf_counter()
            child = pexpect.spawn(sys.executable, [*args, "-o", f"r{n}.toml"], cwd=str(work), env=env,
                                  encoding="utf-8", timeout=60, dimensions=(40, 100))
            child.send("\r\r")  # representative and witness: typed ahead, as a fast user would
            child.expect(r"\[1/\d+\]")
            ours.append(time.perf_counter() - start)
            child.send("q")
            child.expect(pexpect.EOF)
            child.close()
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            base.append(time.perf_counter() - start)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return statistics.median(ours), statistics.median(base)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    opts = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-save-"))
    try:
        print(f"Save after an answer (median of {opts.runs}):")
        print(f"  {'items':>6} {'record KB':>10} {'save ms':>9} {'bare ms':>9} {'ratio':>6}")
        for items in (100, 250, 500, 1000):
            ours, base = save_costs(items, opts.runs, folder)
            size = (folder / f"r{items}.toml").stat().st_size / 1024
            mark = "  <- target <= 2x" if items == 500 else ""
            print(f"  {items:>6} {size:>10.0f} {ours * 1000:>9.2f} {base * 1000:>9.2f} {ours / base:>6.2f}{mark}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if sys.platform == "win32":
        print("Start-up: needs a POSIX pty (pexpect); skipped.")
        return
    ours, base = startup(max(3, opts.runs // 3))
    print(f"Start-up to the first item: {ours * 1000:.0f} ms; python -c pass: {base * 1000:.0f} ms; "
          f"ratio {ours / base:.1f}x (target <= 15x)")


if __name__ == "__main__":
    main()
