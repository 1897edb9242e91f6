"""safetycheck against peer tools doing comparable work, each timed warm in the same run.

Run: ``python benchmarks/bench_peers.py [--runs N] [--quick] [--venv DIR] [--peers-venv DIR]``
from a checkout. Not a test: it prints.

- ``safetycheck --help`` against ``copier --help`` and ``cookiecutter --help``: Python command
  lines of the same kind (a template tool's start-up and help). copier and cookiecutter are
  pip-installed into a venv of their own (``--peers-venv DIR`` reuses one), from the same
  interpreter as safetycheck's venv.
- ``safetycheck form 五到位`` (Markdown, and ``--format html``) against
  ``oscap xccdf generate guide`` of the ``standard`` profile of Debian's SCAP Security Guide
  (44 rules): a checklist's printable guide from its source file. oscap reads the XCCDF file
  (``ssg-debianNN-xccdf.xml``), which gives the same guide as the data stream in about a third
  of the time. Needs Debian's
  ``openscap-scanner`` and ``ssg-debian`` (``apt-get install openscap-scanner ssg-debian``);
  skipped, with the reason printed, where they are missing.

The ratio is safetycheck's median divided by the peer's (below 1: safetycheck is faster).
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from pathlib import Path

import _harness as h

SSG = Path("/usr/share/xml/scap/ssg/content")
PROFILE = "xccdf_org.ssgproject.content_profile_standard"


def ssg_content() -> tuple[Path | None, str]:
    """The newest Debian SSG XCCDF file, or None and why not."""
    if shutil.which("oscap") is None:
        return None, "oscap not found (Debian: apt-get install openscap-scanner ssg-debian)"
    streams = sorted(SSG.glob("ssg-debian*-xccdf.xml"), key=lambda p: int(re.sub(r"\D", "", p.name) or 0))
    if not streams:
        return None, f"no ssg-debian*-xccdf.xml in {SSG} (Debian: apt-get install ssg-debian)"
    return streams[-1], ""


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    h.add_options(parser, runs=15)
    parser.add_argument("--peers-venv", type=Path, default=None, metavar="DIR",
                        help="install copier and cookiecutter into (or reuse) this venv")
    args = parser.parse_args()
    runs = h.runs_of(args)
    with h.prepared(args) as bench, tempfile.TemporaryDirectory(prefix="safetycheck-peers-") as tmp:
        bench.header("bench_peers: safetycheck against peer tools (installed wheels, warm)")
        peers = h.make_venv(args.peers_venv.resolve() if args.peers_venv else Path(tmp) / "venv",
                            ["copier", "cookiecutter"])
        versions = bench.run([str(peers / f"python{h.EXE}"), "-c",
                              "from importlib.metadata import version as v; "
                              "print('copier', v('copier') + ',', 'cookiecutter', v('cookiecutter'))"]).stdout.strip()
        print(f"peers' venv: {peers / f'python{h.EXE}'} ({versions})")
        cases: dict[str, h.Command] = {
            "python -c pass": bench.baseline(),
            "safetycheck --help": bench.cli("--help"),
            "copier --help": [str(peers / f"copier{h.EXE}"), "--help"],
            "cookiecutter --help": [str(peers / f"cookiecutter{h.EXE}"), "--help"],
            "safetycheck form 五到位": bench.cli("form", "五到位"),
            "safetycheck form 五到位 --format html": bench.cli("form", "五到位", "--format", "html"),
        }
        stream, why = ssg_content()
        if stream is not None:
            cases["oscap xccdf generate guide"] = ["oscap", "xccdf", "generate", "guide", "--profile", PROFILE,
                                                   str(stream)]
            guide = bench.run(cases["oscap xccdf generate guide"]).stdout
            rules = len(set(re.findall(r"xccdf_org\.ssgproject\.content_rule_\w+", guide)))
            print(f"oscap: {shutil.which('oscap')}, {stream.name}, profile standard ({rules} rules)")
        for name, cmd in list(cases.items())[1:]:  # each works and prints something
            assert bench.run(cmd).stdout.strip(), name
        timings = bench.time_interleaved(cases, runs)
        base = timings["python -c pass"]
        h.print_baseline(base)
        print(h.table_head(ratio="x pass"))
        for name, timing in timings.items():
            print(h.row(name, timing, base))
        ours = timings["safetycheck --help"]
        print("ratios (safetycheck / peer):")
        for peer in ("copier --help", "cookiecutter --help"):
            print(f"  safetycheck --help / {peer}: {ours.median / timings[peer].median:.2f}x")
        if stream is None:
            print(f"  form 五到位 / oscap xccdf generate guide: skipped: {why}")
        else:
            oscap = timings["oscap xccdf generate guide"]
            for form in ("safetycheck form 五到位", "safetycheck form 五到位 --format html"):
                print(f"  {form[len('safetycheck '):]} / oscap xccdf generate guide: "
                      f"{timings[form].median / oscap.median:.2f}x")


if __name__ == "__main__":
    main()
