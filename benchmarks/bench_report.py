"""Cost of ``report`` on 1,000 records and of ``form --all``, as ratios to bare baselines in the same run.

Run: ``python benchmarks/bench_report.py [--records N] [--runs R]`` from a checkout or an
environment where safetycheck is installed. Not a test: it prints.

- ``report``: N complete inspection records (copies of ``tests/data/records/inspect.toml`` with
  different unit names) rendered to HTML by one ``safetycheck report ... -o DIR`` process. The
  baseline, also one process, parses the same TOML files (tomllib), decodes them into the record
  model, builds the same template data, renders ``inspection-record.html.j2`` with a plain
  ``jinja2.Environment`` and writes the files: the irreducible work, without the command's
  checks, sandbox-ready environment, escaping filters, tidying and file handling. Target: <= 2x.
- ``form --all``: one form per built-in checklist, in each format, by one process; the baseline
  loads the same YAML files (PyYAML, C loader when available), decodes them into the checklist
  model and renders ``form.<fmt>.j2`` with plain Jinja2 (csv: the csv module). Reported, no target.

Each command and its baseline run interleaved R times; figures are medians of wall time.
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

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "records" / "inspect.toml"

REPORT_BASELINE = r'''
import sys, tomllib
from pathlib import Path
import jinja2, msgspec
from safetycheck.documents.views import build_view
from safetycheck.messages import t
from safetycheck.inspection.recordmodels import InspectionRecord
from safetycheck.resources import builtin_templates

src, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(exist_ok=True)
env = jinja2.Environment(loader=jinja2.FileSystemLoader(builtin_templates()), autoescape=True,
                         trim_blocks=True, lstrip_blocks=True)
env.globals["t"] = t
template = env.get_template("inspection-record.html.j2")
for path in sorted(src.glob("*.toml")):
    record = msgspec.convert(tomllib.loads(path.read_text(encoding="utf-8")), InspectionRecord)
    text = template.render(build_view(record, "inspection-record"))
    (out / (path.stem + ".html")).write_text(text, encoding="utf-8")
'''

FORM_BASELINE = r'''
import csv, io, sys
from pathlib import Path
import jinja2, msgspec, yaml
from safetycheck.documents.forms import checklist_view
from safetycheck.messages import t
from safetycheck.catalog.models import Checklist
from safetycheck.layout import center, field_text, md_escape, pad, rule, wrap_text
from safetycheck.resources import builtin_checklists, builtin_templates

fmt, out = sys.argv[1], Path(sys.argv[2])
out.mkdir(exist_ok=True)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
env = jinja2.Environment(loader=jinja2.FileSystemLoader(builtin_templates()), autoescape=fmt == "html",
                         trim_blocks=True, lstrip_blocks=True)
env.globals.update({"t": t, "rule": rule, "width": 80})
env.filters.update({"md": md_escape, "wrap": wrap_text, "field": field_text, "pad": pad, "center": center})
for path in sorted(builtin_checklists().glob("*.yaml")):
    model = msgspec.convert(yaml.load(path.read_text(encoding="utf-8"), Loader=Loader), Checklist)
    view = checklist_view(model, set(), set(), 1)
    data = {"lang": "zh", "title": model.title, "date": "", "tags": [], "checklists": [view], "count": view["count"]}
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        for s in view["sections"]:
            for i in s["all_items"]:
                w.writerow([model.id, s["title"], i["id"], i["text"], i["standard"], i["basis_text"]])
        text = "\ufeff" + buf.getvalue()
    else:
        text = env.get_template(f"form.{fmt}.j2").render(data)
    (out / f"{model.id}.{fmt}").write_text(text, encoding="utf-8")
'''


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd[:6])} ...\n{done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return elapsed


def _records(folder: Path, count: int) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    name = "长治市潞城区某化工有限公司"
    for n in range(count):
        (folder / f"r{n:04d}.toml").write_text(text.replace(name, f"{name}{n:04d}号"), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    env = dict(os.environ, NO_COLOR="1", PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               SAFETYCHECK_CONFIG_DIR=str(work / "config"), SAFETYCHECK_CACHE_DIR=str(work / "cache"))
    env.pop("SAFETYCHECK_TEMPLATES", None)
    records = work / "records"
    records.mkdir()
    _records(records, args.records)
    exe = shutil.which("safetycheck")
    cli = [exe] if exe else [sys.executable, "-m", "safetycheck"]
    record_files = [str(p) for p in sorted(records.glob("*.toml"))]

    report_cmd = [*cli, "report", *record_files, "--format", "html", "-o", str(work / "out")]
    base_cmd = [sys.executable, "-c", REPORT_BASELINE, str(records), str(work / "base")]
    _time([*cli, "list"], env)  # warm the catalog cache, as after any first use
    ours, bare = [], []
    for _ in range(args.runs):
        bare.append(_time(base_cmd, env))
        ours.append(_time(report_cmd, env))
    assert len(list((work / "out").iterdir())) == args.records
    o, b = statistics.median(ours), statistics.median(bare)
    print(f"report: {args.records} records to HTML, {args.runs} runs (median wall time)")
    print(f"  safetycheck report     {o:8.2f} s  ({o / args.records * 1000:.2f} ms/record)")
    print(f"  bare tomllib+jinja2    {b:8.2f} s  ({b / args.records * 1000:.2f} ms/record)")
    print(f"  ratio                  {o / b:8.2f}x  target <= 2x  {'ok' if o / b <= 2 else 'OVER'}")
    print()
    print(f"form --all: every built-in checklist, {args.runs} runs (median wall time)")
    print(f"  {'format':<8}{'safetycheck':>12}{'bare':>10}{'ratio':>8}")
    for fmt in ("html", "md", "txt", "csv"):
        form_cmd = [*cli, "form", "--all", "--format", fmt, "-o", str(work / f"form-{fmt}")]
        fbase_cmd = [sys.executable, "-c", FORM_BASELINE, fmt, str(work / f"fbase-{fmt}")]
        ours, bare = [], []
        for _ in range(args.runs):
            bare.append(_time(fbase_cmd, env))
            ours.append(_time(form_cmd, env))
        o, b = statistics.median(ours), statistics.median(bare)
        print(f"  {fmt:<8}{o:>11.2f}s{b:>9.2f}s{o / b:>7.2f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
