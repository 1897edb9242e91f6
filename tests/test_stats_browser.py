"""The dashboard in a real browser: headless Chromium lays it out, screenshots it and prints it on A4 landscape.

Skipped when Chromium, poppler-utils or matplotlib is missing, except under CI (``CI`` set), where
a missing tool fails the run.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import tomli_w

from tests.conftest import run_cli
from tests.test_stats import CHARTS, make_record

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("stats_browser")]  # one dashboard

CHROMIUM = next((found for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                 if (found := shutil.which(name))), None)
SIZE = (1400, 2400)
# Appended to a copy of the dashboard by the test only (the dashboard itself has no script): each
# chart's box on the page, its drawn shapes, and each label's text and laid-out width.
MEASURE = """<script>
window.addEventListener("load", () => {
  const out = [...document.querySelectorAll("svg.chart")].map(svg => {
    const box = svg.getBoundingClientRect();
    const shapes = [...svg.querySelectorAll("path, rect, use")].filter(e => {
      const b = e.getBBox(); return b.width > 0 && b.height > 0; }).length;
    const texts = [...svg.querySelectorAll("text")].map(t => [t.textContent, t.getBBox().width]);
    return {chart: svg.dataset.chart, x: box.x, y: box.y + window.scrollY, width: box.width, height: box.height,
            shapes, texts};
  });
  const pre = document.createElement("pre"); pre.id = "measured"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
               "--hide-scrollbars", "--force-device-scale-factor=1", f"--window-size={SIZE[0]},{SIZE[1]}",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [what for what, ok in (("chromium", CHROMIUM), ("poppler-utils", shutil.which("pdftotext")),
                                     ("matplotlib", _importable("matplotlib")), ("pillow", _importable("PIL")))
               if not ok]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set: {', '.join(missing)} must be installed")
        pytest.skip("needs " + ", ".join(missing))
    folder = tmp_path_factory.mktemp("dash")
    rng = random.Random(7)
    for n in range(40):
        record = make_record(rng, n)
        (folder / f"r{n:02d}.toml").write_bytes(tomli_w.dumps(record).encode("utf-8"))
    out = folder / "dashboard.html"
    proc = run_cli("stats", str(folder), "--to", "2026-10-31", "--format", "html", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def _importable(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        return False
    return True


def test_every_chart_renders_non_empty_with_its_labels(dashboard: Path) -> None:
    from PIL import Image

    html = dashboard.read_text(encoding="utf-8")
    probe = dashboard.with_name("probe.html")
    probe.write_text(html.replace("</body>", MEASURE + "\n</body>"), encoding="utf-8")
    done = _chromium(dashboard.parent / "p1", "--virtual-time-budget=5000", "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    charts = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                        .replace("&gt;", ">"))
    assert [c["chart"] for c in charts] == list(CHARTS)
    shot = dashboard.with_name("shot.png")
    done = _chromium(dashboard.parent / "p2", f"--screenshot={shot}", dashboard.as_uri())
    assert shot.is_file(), done.stderr[-2000:]
    image = Image.open(shot).convert("L")
    assert image.size == SIZE
    for chart in charts:
        name = chart["chart"]
        assert chart["width"] > 200 and chart["height"] > 100, name
        assert chart["shapes"] >= 3, name  # the background and the bars were drawn
        texts = [text for text, width in chart["texts"] if width > 0]
        assert len(texts) == len(chart["texts"]) > 3, name  # every label laid out with a width
        box = (int(chart["x"]), int(chart["y"]), int(chart["x"] + chart["width"]), int(chart["y"] + chart["height"]))
        assert box[3] <= SIZE[1], f"{name} is below the screenshot"
        histogram = image.crop(box).histogram()
        inked = sum(histogram[:200]) / sum(histogram)
        assert inked > 0.01, (name, inked)  # not a blank box on the screen
    labels = {c["chart"]: " ".join(t for t, _ in c["texts"]) for c in charts}
    assert "2026-0" in labels["monthly"] and "一般" in labels["level"] and "重大" in labels["level"]
    assert "c1/c1-" in labels["top-items"] and "%" in labels["rate"]
    assert any(unit in labels["overdue"] for unit in ("甲化工公司", "乙煤矿", "丙加油站", "丁建筑公司", "戊商场"))


def test_dashboard_prints_on_a4_landscape_with_the_labels_as_text(dashboard: Path) -> None:
    pdf = dashboard.with_suffix(".pdf")
    done = _chromium(dashboard.parent / "p3", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", dashboard.as_uri())
    assert pdf.is_file(), done.stderr[-2000:]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(x) for x in re.findall(r"Page size:\s+([\d.]+) x ([\d.]+)", info)[0])
    assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2  # A4 landscape
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 1 <= pages <= 6
    text = re.sub(r"\s", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                                            check=True).stdout.decode("utf-8"))
    for words in ("隐患排查治理统计", "每月发现与销号的隐患", "各单位逾期隐患", "各单位整改率", "最常不符合的检查项",
                  "c1/c1-"):
        assert words in text, words
