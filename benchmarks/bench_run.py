"""Cost of saving after an answer, and time from ``run`` to the first item, from the installed wheel.

Run: ``python benchmarks/bench_run.py [--runs N] [--quick] [--venv DIR]`` from a checkout. The
wheel is installed into a venv of its own (see ``_harness.py``). Not a test: it prints.

- **Save after an answer**, in-process in the venv's interpreter: inspections of 100 to 3,000
  items (checklists of up to 1,000 items made of 五到位's items repeated under new ids, recorded
  by ``safetycheck run --answers``), the last item answered again and the record saved as the walk
  does (store the response, turn the record into TOML with the walk's ``RecordWriter``, write a
  temporary file, flush, fsync, rename, fsync the folder). Shown apart: the write and fsyncs of the
  same bytes alone, and the serialisation (storing the answer and rendering the parts that changed,
  timed inside the save in CPU time of the process, ``time.process_time``: on a loaded machine wall
  time charges short steps with other people's time slices unevenly). Baseline:
  bare ``tomli_w.dumps`` of the same data (as ``tomllib``
  reads it back) + the same write and fsyncs. Target at 500 items: <= 2x.
- **Start-up**: wall time from spawning ``safetycheck run 五到位`` (unit given by options) to the
  first item on screen, in a pseudo-terminal (pexpect), against ``python -c pass`` of the venv's
  interpreter, warm. Also shown: the same when the folder set changes between calls (a folder with
  ``./checklists``, then one without, in turn).

Figures are medians of N interleaved runs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import _harness as h

MAKE_CHECKLISTS = r'''
import json, sys, yaml
from pathlib import Path
src, dest, count, per_file = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
data = yaml.safe_load(src.read_text(encoding="utf-8"))
names, n, copy = [], 0, 0
while n < count:
    sections, size = [], 0
    while size < min(per_file, count - n):
        for section in data["sections"]:
            items = []
            for item in section["items"]:
                if size == min(per_file, count - n):
                    break
                item = dict(item, id=f"{item['id']}-{copy}", text=f"{item['text']}（第{copy + 1}组）")
                item.pop("same_as", None)
                item.pop("when", None)
                items.append(item)
                size += 1
            if items:
                sections.append(dict(section, id=f"{section['id']}-{copy}", aliases=[], items=items))
        copy += 1
    name = f"bench-{count}-{len(names) + 1}"
    part = dict(data, id=name, title=f"基准清单（{count} 项之{len(names) + 1}）", aliases=[], status="stable",
                sections=sections)
    (dest / f"{name}.yaml").write_text(yaml.safe_dump(part, allow_unicode=True, sort_keys=False), encoding="utf-8")
    names.append(name)
    n += size
print(json.dumps(names))
'''

SAVE = r'''
import datetime as dt, json, os, statistics, sys, time, tomllib
from pathlib import Path
import tomli_w
{imports}
from safetycheck.inspection.records import RecordWriter, atomic_write  # the walk's writer and the record's write

path, runs = Path(sys.argv[1]), int(sys.argv[2])
bare_path = path.with_name("bare-" + path.name)


def durable(target, data):
    tmp = target.with_name(target.name + ".tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


record = read_record(path)
plan = make_plan(record)
last = plan.slots[-1]
writer = RecordWriter()  # as the walk makes it: told where each answer is stored, renders what changed
writer.render(record)
save, serialise, write, bare = [], [], [], []
for n in range(runs + 1):
    at = record.started_at + dt.timedelta(hours=1, seconds=n)
    start, cpu = time.perf_counter(), time.process_time()
    record_answer(record, plan, last, Response(checklist="", item="", result="pass", answered_at=at), writer.stored)
    parts = writer.render(record)  # what the walk's save does: serialise, then the atomic write
    serial = time.process_time() - cpu
    atomic_write(path, parts)
    took = time.perf_counter() - start
    data = path.read_bytes()
    start = time.perf_counter()
    durable(bare_path, data)
    wrote = time.perf_counter() - start
    plain = tomllib.loads(data.decode("utf-8"))
    start = time.perf_counter()
    durable(bare_path, tomli_w.dumps(plain).encode("utf-8"))
    plain_took = time.perf_counter() - start
    if n:  # the first save after reading is not one the walk makes
        save.append(took)
        serialise.append(serial)
        write.append(wrote)
        bare.append(plain_took)
assert data == record_to_toml(record), "the walk's writer wrote other bytes than record_to_toml"
print(json.dumps({{"save": statistics.median(save), "write": statistics.median(write),
                  "serialise": statistics.median(serialise),
                  "bare": statistics.median(bare), "bytes": len(data), "responses": len(record.responses)}}))
'''
SAVE_NAMES = ("read_record", "make_plan", "record_answer", "record_to_toml", "Response")

RUN_ARGS = ["--mode", "inspect", "--unit", "某公司", "--address", "某路1号", "--principal", "赵六", "--phone", "1",
            "--industry", "机械", "--site", "车间", "--purpose", "日常检查", "--inspector", "张三:1401",
            "--inspector", "李四:1402"]


def save_costs(bench: h.Bench, sizes: list[int], runs: int) -> None:
    """Print the cost of a save at each size."""
    folder = bench.work / "save"
    lists = folder / "checklists"
    lists.mkdir(parents=True)
    source = next(r["path"] for r in json.loads(bench.run(bench.cli("list", "--format", "json")).stdout)
                  if r["id"] == "wudaowei")
    script = SAVE.format(imports=bench.imports(*SAVE_NAMES))
    print(f"save after the last answer, in-process (median of {runs}):")
    print(f"  {'items':>6} {'record KB':>10} {'save ms':>9} {'write ms':>9} {'serialise':>10} {'bare ms':>9} "
          f"{'ratio':>6}")
    serialise: dict[int, float] = {}
    for items in sizes:
        # a checklist file holds at most 50,000 YAML nodes: large inspections take several checklists
        names = h.in_venv(bench, MAKE_CHECKLISTS, source, str(lists), str(items), "1000")
        assert isinstance(names, list)
        answers = folder / f"answers-{items}.yaml"
        answers.write_text(json.dumps({
            "mode": "inspect", "unit": {"name": "某某化工有限公司", "industry": "化工"},
            "inspectors": [{"name": "张三", "cert": "1401"}, {"name": "李四", "cert": "1402"}],
            "default": "pass",
            "responses": {f"zeren-01-{c}": {"result": "fail", "measure": "整改", "deadline": 30, "owner": "王五"}
                          for c in range(items // 78)},
        }, ensure_ascii=False), encoding="utf-8")
        record = folder / f"r{items}.toml"
        bench.run(bench.cli("run", *names, "--checklists", str(lists), "--answers", str(answers),
                            "-o", str(record)))
        got = h.in_venv(bench, script, str(record), str(runs))
        assert isinstance(got, dict) and got["responses"] == items, got
        save, write, serial, bare = (got[k] * 1000 for k in ("save", "write", "serialise", "bare"))
        mark = f"  {h.verdict(save / bare, 2)}" if items == 500 else ""
        print(f"  {items:>6} {got['bytes'] / 1024:>10.0f} {save:>9.2f} {write:>9.2f} {serial:>10.2f} "
              f"{bare:>9.2f} {save / bare:>6.2f}{mark}")
        serialise[items] = serial
    first, last = sizes[0], sizes[-1]
    growth = serialise[last] / serialise[first]
    print(f"  serialisation at the {last:,}th answer / at the {first:,}th: "
          f"{growth:.2f}x {h.verdict(growth, 1.5)}; records grow {last / first:.0f}x")


def first_item(bench: h.Bench, cwd: Path, n: int) -> float:
    """Seconds from spawning ``run`` to its first item on screen (then ``q``)."""
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(str(bench.exe), ["run", "五到位", *RUN_ARGS, "-o", f"r{n}-{time.monotonic_ns()}.toml"],
                          cwd=str(cwd), env=bench.env, encoding="utf-8", timeout=60, dimensions=(40, 100))
    child.send("\r\r")  # representative and witness: typed ahead, as a fast user would
    child.expect(r"\[1/\d+\]")
    took = time.perf_counter() - start
    child.expect_exact("> ")  # keys typed before the prompt are dropped on purpose: wait for it
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    if child.exitstatus != 0:
        sys.exit(f"run exited {child.exitstatus}")
    return took


def startup(bench: h.Bench, runs: int) -> None:
    """Print the time from ``run`` to the first item, against ``python -c pass``."""
    try:
        import pexpect  # noqa: F401
    except ImportError:
        print("start-up: skipped: pexpect is not installed (pip install pexpect)")
        return
    here = bench.work / "run"
    local = bench.work / "run-local"
    here.mkdir()
    (local / "checklists").mkdir(parents=True)
    shutil.copy(next(r["path"] for r in json.loads(bench.run(bench.cli("list", "--format", "json")).stdout)
                     if r["id"] == "xiaofang"), local / "checklists" / "local-copy.yaml")
    copy = local / "checklists" / "local-copy.yaml"
    lines = [line for line in copy.read_text(encoding="utf-8").splitlines() if not line.startswith("aliases:")]
    copy.write_text("\n".join(lines).replace("id: xiaofang", "id: local-copy", 1) + "\n", encoding="utf-8")
    counter = iter(range(10**6))
    for _ in range(1):  # warm: the catalog cache of both folder sets
        first_item(bench, here, next(counter))
        first_item(bench, local, next(counter))
    timings = bench.time_interleaved({
        "python -c pass": bench.baseline(),
        "run": lambda: first_item(bench, here, next(counter)),
        "in turn": lambda: (first_item(bench, local, next(counter)) + first_item(bench, here, next(counter))) / 2,
    }, runs)
    base, run, turn = timings["python -c pass"], timings["run"], timings["in turn"]
    h.print_baseline(base)
    print(f"start-up, `run 五到位` to the first item on screen: {run.ms:.0f} ms, "
          f"{run.median / base.median:.1f}x python -c pass {h.verdict(run.median / base.median, 10)}")
    print(f"  with the folder set changing every call: {turn.ms:.0f} ms, {turn.median / run.median:.2f}x the above")


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    h.add_options(parser, runs=15)
    args = parser.parse_args()
    runs = h.runs_of(args)
    with h.prepared(args) as bench:
        bench.header("bench_run: saving after an answer, and `run` to the first item (installed wheel, warm)")
        save_costs(bench, [100, 300] if args.quick else [100, 500, 1000, 3000], runs)
        if sys.platform == "win32":
            print("start-up: skipped: needs a POSIX pseudo-terminal (pexpect)")
            return
        startup(bench, max(3, runs // 2) if not args.quick else runs)


if __name__ == "__main__":
    main()
