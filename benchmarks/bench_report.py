"""Cost of ``report`` on 1,000 real records and of ``form --all``, against bare baselines in the same run.

Run: ``python benchmarks/bench_report.py [--records N] [--runs R] [--quick] [--venv DIR]`` from a
checkout. The wheel is installed into a venv of its own (see ``_harness.py``). Not a test: it prints.

- **Records** are made by the installed program: answers files covering every item of 五到位
  (an answer for every item: passes, notes, general and major hazards with measures, deadlines and owners,
  not-applicable items with reasons), in variants of unit, industry, mode (执法检查, and every
  fourth a 企业自查) and which items fail, each turned into a record by
  ``safetycheck run 五到位 --answers FILE``. The N files of the batch are copies of these, under
  their own names. No agency short name is set, so no document numbers are taken.
- ``report``: the N records to HTML by one ``safetycheck report ... -o DIR`` process (the
  default document of each record's mode). The baseline, also one process of the same
  interpreter, reads the same files with tomllib, decodes them into the record model, builds the
  same document data and renders the same templates with a plain ``jinja2.Environment``, and
  writes the files: the irreducible work, without the command's checks, escaping filters, and file
  handling. Both must write the same files with the same bytes, or the benchmark stops. Peak
  memory (resident set) of both is shown at 100 records and at N.
- **One record in-process** (no interpreter start-up, no numbering): reading and checking a record
  and rendering its document with the package's functions, against the bare Jinja2 render of the
  same, already built, document data; the TOML reader's share (and tomllib's, for comparison) is shown.
  Timed in CPU time of the process (``time.process_time``), medians of 100 rounds (10 with
  ``--quick``): on a loaded machine, wall time charges a 10 ms task with other people's time slices
  far more than a 1 ms one.
- ``form --all``: one blank form per built-in checklist into a folder, in each format, by one
  process; the baseline loads the same YAML files (PyYAML, C loader where available), decodes them
  into the checklist model, builds the same form data and renders ``form.<fmt>.j2`` with plain
  Jinja2 (csv: the csv module). Both must write the same non-empty files, or the benchmark stops.

Each command and its baseline run interleaved R times; figures are medians of wall time.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import _harness as h

INDUSTRIES = ["化工", "煤矿", "冶金", "危险化学品"]
UNIT = "长治市潞城区某化工有限公司"

REPORT_BASELINE = r'''
import sys, tomllib
from pathlib import Path
import jinja2, msgspec
{imports}

src, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(exist_ok=True)
env = jinja2.Environment(loader=jinja2.FileSystemLoader(builtin_templates()), autoescape=True,
                         trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
env.globals.update({{"t": t, "rule": rule, "width": TEXT_WIDTH}})
env.filters.update({{"md": md_escape, "wrap": wrap_text, "field": field_text, "pad": pad, "center": center}})
agency = Agency()
for path in sorted(src.glob("*.toml")):
    record = msgspec.convert(tomllib.loads(path.read_text(encoding="utf-8")), InspectionRecord)
    doc = DEFAULT_DOCUMENT[record.mode]
    text = env.get_template(doc + ".html.j2").render(build_view(record, doc, agency))
    with (out / f"{{path.stem}}.{{doc}}.html").open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
'''
REPORT_NAMES = ("InspectionRecord", "build_view", "DEFAULT_DOCUMENT", "Agency", "t", "builtin_templates", "rule",
                "TEXT_WIDTH", "md_escape", "wrap_text", "field_text", "pad", "center")

FORM_BASELINE = r'''
import csv, io, sys
from pathlib import Path
import jinja2, msgspec, yaml
{imports}

fmt, out = sys.argv[1], Path(sys.argv[2])
out.mkdir(exist_ok=True)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
env = jinja2.Environment(loader=jinja2.FileSystemLoader(builtin_templates()), autoescape=fmt == "html",
                         trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
env.globals.update({{"t": t, "rule": rule, "width": TEXT_WIDTH}})
env.filters.update({{"md": md_escape, "wrap": wrap_text, "field": field_text, "pad": pad, "center": center}})
keys = ("checklist", "checklist_title", "section", "seq", "item", "text", "standard", "method", "basis", "major",
        "result", "note")
for path in sorted(builtin_checklists().glob("*.yaml")):
    model = msgspec.convert(yaml.load(path.read_text(encoding="utf-8"), Loader=Loader), Checklist)
    view = checklist_view(model, set(), set(), 1)
    form = {{"title": t("form.title_one", title=view["title"]), "count": view["count"], "checklists": [view]}}
    data = {{"lang": "zh", "date": "", "tags": [], **form, "forms": [form]}}
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow([t("form.csv." + k) for k in keys])
        for s in view["sections"]:
            for i in s["all_items"]:
                w.writerow([model.id, model.title, s["title"], i["seq"], i["id"], i["text"], i["standard"],
                            i["method"], i["basis_text"], t("form.yes") if i["major_possible"] else "", "", ""])
        text = "\ufeff" + buf.getvalue()
    else:
        text = env.get_template(f"form.{{fmt}}.j2").render(data)
        if fmt in ("md", "txt"):
            text = tidy(text)
    with (out / f"{{model.id}}.{{fmt}}").open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
'''
FORM_NAMES = ("Checklist", "checklist_view", "t", "builtin_templates", "builtin_checklists", "rule", "TEXT_WIDTH",
              "md_escape", "wrap_text", "field_text", "pad", "center", "tidy")

IN_PROCESS = r'''
import json, statistics, sys, time, tomllib
from pathlib import Path
import jinja2
{imports}

path, runs = Path(sys.argv[1]), int(sys.argv[2])
agency = Agency()
environment = make_environment([])
bare_env = jinja2.Environment(loader=jinja2.FileSystemLoader(builtin_templates()), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
bare_env.globals.update({{"t": t, "rule": rule, "width": TEXT_WIDTH}})
bare_env.filters.update({{"md": md_escape, "wrap": wrap_text, "field": field_text, "pad": pad, "center": center}})
record = read_record(path)
doc = DEFAULT_DOCUMENT[record.mode]
template = bare_env.get_template(doc + ".html.j2")
view = build_view(record, doc, agency)
ours, bare, toml, reader = [], [], [], []
for _ in range(runs):
    start = time.process_time()
    record = read_record(path)
    check_document(record, doc, path.name)
    text = render_document(environment, record, doc, "html", agency)
    ours.append(time.process_time() - start)
    start = time.process_time()
    bare_text = template.render(view)
    bare.append(time.process_time() - start)
    start = time.process_time()
    tomllib.loads(path.read_text(encoding="utf-8"))
    toml.append(time.process_time() - start)
    start = time.process_time()
    loads(path.read_text(encoding="utf-8"))
    reader.append(time.process_time() - start)
assert text == bare_text, "the bare render differs from the report's"
print(json.dumps({{"ours": statistics.median(ours), "bare": statistics.median(bare),
                  "toml": statistics.median(toml), "reader": statistics.median(reader)}}))
'''
IN_PROCESS_NAMES = ("loads", "read_record", "check_document", "render_document", "make_environment", "build_view",
                    "DEFAULT_DOCUMENT", "Agency", "t", "builtin_templates", "rule", "TEXT_WIDTH", "md_escape",
                    "wrap_text", "field_text", "pad", "center")


def answers_file(items: list[str], variant: int) -> dict[str, object]:
    """An answers file covering every item: passes, notes, hazards general and major, n/a with reasons."""
    responses: dict[str, object] = {}
    for n, item in enumerate(items):
        k = (n + variant * 5) % len(items)
        if k % 9 == 3:
            responses[item] = {
                "result": "fail", "level": "major" if k % 18 == 3 else "general",
                "description": f"现场检查发现该项未落实：相关制度文件缺失，台账记录不完整（第{n + 1}项）。",
                "measure": "立即组织整改，补齐制度文件和台账，对相关岗位人员开展专项培训并考核。",
                "deadline": 15 if k % 18 == 3 else 30, "owner": "王五（安全管理部经理）",
                "note": "已现场拍照，由企业陪同人员确认。",
            }
        elif k % 13 == 5:
            responses[item] = {"result": "na", "reason": "本单位不涉及该项业务，现场核实无相关场所和设备。"}
        elif k % 6 == 0:
            responses[item] = {"result": "pass", "note": "查阅了2024年度至今的相关文件、台账和培训记录。"}
        else:
            responses[item] = "pass"
    unit = {"name": f"{UNIT}{variant:02d}号", "address": "长治市潞城区某工业园区1号", "principal": "赵六",
            "phone": "0355-0000000", "industry": INDUSTRIES[variant % len(INDUSTRIES)], "site": "生产区、仓库、办公楼",
            "purpose": "日常检查", "representative": {"name": "钱七", "post": "安全总监"}}
    if variant % 4 == 3:
        return {"mode": "self", "unit": unit, "inspectors": [{"name": "孙八", "post": "安全管理部经理"}],
                "responses": responses}
    return {"mode": "inspect", "unit": unit,
            "inspectors": [{"name": "张三", "cert": "14000000001", "org": "潞城区应急管理局"},
                           {"name": "李四", "cert": "14000000002", "org": "潞城区应急管理局"}],
            "responses": responses}


def make_records(bench: h.Bench, folder: Path, count: int, variants: int) -> list[Path]:
    """``count`` record files: ``variants`` records made by ``run --answers``, copied under their own names."""
    shown = json.loads(bench.run(bench.cli("show", "五到位", "--format", "json")).stdout)
    items = [item["id"] for section in shown["sections"] for item in section["items"]]
    made = folder.parent / "made"
    made.mkdir()
    sources = []
    for v in range(variants):
        answers = made / f"answers-{v:02d}.yaml"  # JSON is YAML
        answers.write_text(json.dumps(answers_file(items, v), ensure_ascii=False, indent=1), encoding="utf-8")
        record = made / f"record-{v:02d}.toml"
        bench.run(bench.cli("run", "五到位", "--answers", str(answers), "-o", str(record)))
        sources.append(record)
    folder.mkdir()
    paths = []
    for n in range(count):
        path = folder / f"r{n:04d}.toml"
        shutil.copyfile(sources[n % variants], path)
        paths.append(path)
    sizes = [p.stat().st_size for p in sources]
    text = sources[0].read_text(encoding="utf-8")
    print(f"records: {count} files, copies of {variants} made by `safetycheck run 五到位 --answers FILE` "
          f"({len(items)} answers each; {min(sizes) / 1024:.0f}–{max(sizes) / 1024:.0f} KB; "
          f"{text.count('[[responses]]')} responses in the first)")
    return paths


def same_files(ours: Path, bare: Path) -> None:
    """Stop unless both folders hold the same non-empty files, byte for byte."""
    a = {p.name: p.read_bytes() for p in sorted(ours.iterdir())}
    b = {p.name: p.read_bytes() for p in sorted(bare.iterdir())}
    if sorted(a) != sorted(b):
        raise SystemExit(f"{ours} and {bare} hold different files: {sorted(set(a) ^ set(b))[:5]}")
    empty = [name for name, data in a.items() if not data.strip()]
    if empty:
        raise SystemExit(f"empty output: {empty[:5]}")
    differ = [name for name in a if a[name] != b[name]]
    if differ:
        raise SystemExit(f"the baseline does not render the same output: {len(differ)} of {len(a)} files differ, "
                         f"e.g. {ours / differ[0]} and {bare / differ[0]}")


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    h.add_options(parser, runs=3)
    parser.add_argument("--records", type=int, default=None, help="records in the batch (default 1000; 20 --quick)")
    args = parser.parse_args()
    runs = h.runs_of(args, quick=1)
    count = args.records or (20 if args.quick else 1000)
    small = min(100, count)
    with h.prepared(args) as bench:
        bench.header("bench_report: `report` of a batch of records and `form --all` (installed wheel, warm)")
        base = bench.time_interleaved({"python -c pass": bench.baseline()}, max(runs, 5))["python -c pass"]
        h.print_baseline(base)
        work = bench.work
        records = make_records(bench, work / "records", count, variants=4 if args.quick else 12)

        print()
        print(f"report: {count} records to HTML in one process, runs: {runs} (median wall time, peak memory)")
        report_script = REPORT_BASELINE.format(imports=bench.imports(*REPORT_NAMES))
        for size in dict.fromkeys((small, count)):
            src = work / f"batch-{size}"
            src.mkdir()
            for path in records[:size]:
                shutil.copyfile(path, src / path.name)
            files = [str(p) for p in sorted(src.glob("*.toml"))]
            out, bare = work / f"out-{size}", work / f"bare-{size}"
            cases: dict[str, h.Command] = {
                "bare": [str(bench.python), "-c", report_script, str(src), str(bare)],
                "report": bench.cli("report", *files, "--format", "html", "-o", str(out)),
            }
            timings = bench.time_interleaved(cases, runs)
            same_files(out, bare)
            ours, plain = timings["report"], timings["bare"]
            print(f"  {size:>5} records: {'safetycheck report':<22}{ours.median:7.2f} s "
                  f"({ours.ms / size:5.2f} ms/record, peak {ours.peak_mib:6.1f} MiB)")
            print(f"  {'':>5}          {'bare tomllib + Jinja2':<22}{plain.median:7.2f} s "
                  f"({plain.ms / size:5.2f} ms/record, peak {plain.peak_mib:6.1f} MiB)")
            ratio = ours.median / plain.median
            print(f"  {'':>5}          ratio {ratio:.2f}x {h.verdict(ratio, 2)}")
            if size == count:
                last_peaks = (ours.peak_mib, plain.peak_mib)
            if size == small:
                first_peaks = (ours.peak_mib, plain.peak_mib)
        if count > small:
            grow = (last_peaks[0] - first_peaks[0]) / (count - small)
            print(f"  peak memory {small} -> {count} records: report {last_peaks[0] / first_peaks[0]:.2f}x "
                  f"{h.verdict(last_peaks[0] / first_peaks[0], 1.2)}; {grow:.4f} MiB per record; "
                  f"bare {last_peaks[1] / first_peaks[1]:.2f}x")

        print()
        timing = h.in_venv(bench, IN_PROCESS.format(imports=bench.imports(*IN_PROCESS_NAMES)), str(records[0]),
                           str(10 if args.quick else 100))
        assert isinstance(timing, dict)
        ours_ms, bare_ms, toml_ms, reader_ms = (timing[k] * 1000 for k in ("ours", "bare", "toml", "reader"))
        print(f"one record in-process ({records[0].stat().st_size / 1024:.0f} KB): read + check + render "
              f"{ours_ms:.2f} ms; bare Jinja2 render of the same data {bare_ms:.2f} ms; "
              f"ratio {ours_ms / bare_ms:.1f}x {h.verdict(ours_ms / bare_ms, 4)}; "
              f"the TOML reader alone {reader_ms:.2f} ms "
              f"(tomllib.loads {toml_ms:.2f} ms)")

        print()
        print(f"form --all: every built-in checklist into a folder, runs: {runs} (median wall time)")
        print(f"  {'format':<8}{'safetycheck':>12}{'bare':>10}{'ratio':>8}")
        form_script = FORM_BASELINE.format(imports=bench.imports(*FORM_NAMES))
        for fmt in ("html", "md", "txt", "csv"):
            out, bare = work / f"form-{fmt}", work / f"fbase-{fmt}"
            cases = {"bare": [str(bench.python), "-c", form_script, fmt, str(bare)],
                     "form": bench.cli("form", "--all", "--format", fmt, "-o", str(out))}
            timings = bench.time_interleaved(cases, runs)
            same_files(out, bare)
            o, b = timings["form"], timings["bare"]
            files = len(list(out.iterdir()))
            print(f"  {fmt:<8}{o.median:>11.2f}s{b.median:>9.2f}s{o.median / b.median:>7.2f}x  ({files} files)")


if __name__ == "__main__":
    main()
