"""Evidence in the documents: photos as thumbnails (HTML embedded, DOCX attached), other files listed, flags."""

from __future__ import annotations

import base64
import io
import json
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli

PIL = pytest.importorskip("PIL")
from PIL import Image  # noqa: E402

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _photo(path: Path, size: tuple[int, int], fmt: str, *, rotate: bool = False, gps: bool = False) -> None:
    image = Image.new("RGB", size, (200, 60, 40))
    image.paste((20, 40, 200), (0, 0, size[0] // 2, size[1] // 4))  # a mark to see the orientation by
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"
    exif.get_ifd(0x8769)[36867] = "2026:03:05 09:41:22"  # DateTimeOriginal
    if rotate:
        exif[ORIENTATION] = 6  # rotate 90° clockwise to show
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (37.0, 12.0, 0.0)})
    image.save(path, fmt, exif=exif.tobytes()) if fmt != "PNG" else image.save(path, fmt)


@pytest.fixture
def visit(tmp_path: Path) -> Path:
    """A record with evidence: a rotated JPEG with GPS, a PNG, a WebP, a PDF; then one file changed, one deleted."""
    photos = tmp_path / "photos"
    photos.mkdir()
    _photo(photos / "罐区.jpg", (2400, 1600), "JPEG", rotate=True, gps=True)
    _photo(photos / "plan.png", (300, 200), "PNG")
    _photo(photos / "valve.webp", (1000, 1000), "WEBP")
    _photo(photos / "later-changed.jpg", (640, 480), "JPEG")
    _photo(photos / "later-deleted.jpg", (640, 480), "JPEG")
    (photos / "台账.pdf").write_bytes(b"%PDF-1.4 not really\n" * 50)
    answers = tmp_path / "answers.yaml"
    answers.write_text(textwrap.dedent("""\
        mode: inspect
        unit: {name: 某化工有限公司}
        inspectors: [{name: 张伟, cert: "14040000001"}]
        default: pass
        responses:
          zeren-01: {result: fail, description: 责任制未明确第一责任人。, measure: 修订。, deadline: 15,
                     evidence: [photos/罐区.jpg, photos/plan.png, photos/台账.pdf]}
          zeren-02: {result: fail, description: 未签承诺书。, measure: 签署。, deadline: 15,
                     evidence: [photos/valve.webp, photos/later-changed.jpg, photos/later-deleted.jpg]}
        """), encoding="utf-8")
    record = tmp_path / "visit.toml"
    done = run_cli("run", "五到位", "--answers", str(answers), "-o", str(record))
    assert done.returncode == 0, done.stderr
    with (photos / "later-changed.jpg").open("ab") as fh:
        fh.write(b"edited")
    (photos / "later-deleted.jpg").unlink()
    return record


def _thumbs_in_html(text: str) -> list[Image.Image]:
    uris = re.findall(r'<img src="data:image/(?:jpeg|png);base64,([A-Za-z0-9+/=]+)"', text)
    return [Image.open(io.BytesIO(base64.b64decode(u))) for u in uris]


def test_html_embeds_thumbnails_and_flags_missing_and_changed_files(visit):
    out = visit.with_suffix(".html")
    done = run_cli("report", str(visit), "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "附件：现场照片" in text
    assert not re.search(r'<img src="(?!data:)', text)  # one self-contained file
    thumbs = _thumbs_in_html(text)
    assert len(thumbs) == 3  # 罐区.jpg, plan.png, valve.webp; the changed and the deleted one are not shown
    rotated = thumbs[0]
    assert rotated.size == (533, 800)  # 2400x1600 turned upright, then 800 on the long side
    assert max(thumbs[2].size) == 800 and thumbs[1].size == (300, 200)  # never enlarged
    for thumb in thumbs:
        assert not thumb.getexif() and not thumb.info.get("exif")  # GPS, device: gone
    digest = re.search(r"罐区\.jpg</span> · 2026-03-05 09:41 · ([0-9a-f]{12})</figcaption>", text)
    assert digest, "caption: hazard, file name, time, first 12 hex of the SHA-256"
    row = r'<tr><td class="c">(隐患 \d)</td><td class="text">([^<]+)</td>.*?<td( class="major")?>([^<]+)</td></tr>'
    rows = re.findall(row, text)
    states = {name: state for _, name, _, state in rows}
    assert states == {"photos/台账.pdf": "一致", "photos/later-changed.jpg": "文件已改变（大小或哈希与记录不符）",
                      "photos/later-deleted.jpg": "文件缺失"}


def test_thumbnails_stop_at_the_budget_and_the_rest_are_listed(visit, monkeypatch):
    from safetycheck.documents import views
    from safetycheck.documents.report import make_environment, render_document
    from safetycheck.inspection.records import read_record

    record = read_record(visit)
    first = views.build_view(record, "inspection-record", base=visit.parent)["evidence"]["photos"][0]
    monkeypatch.setattr(views, "EVIDENCE_BUDGET", len(base64.b64decode(first["data_uri"].split(",")[1])))
    text = render_document(make_environment(), record, "inspection-record", "html", base=visit.parent)
    assert len(_thumbs_in_html(text)) == 1
    assert text.count("超出每份文书 20 MB 的图片限额，只列出") == 2


def test_docx_attaches_the_photos_two_a_row_with_captions(visit):
    import docx

    out = visit.with_suffix(".docx")
    done = run_cli("report", str(visit), "--doc", "rectification-order", "-o", str(out))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(media) == 3
        for name in media:
            assert not Image.open(io.BytesIO(archive.read(name))).getexif()
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert "附件：现场照片" in texts
    photos = next(tb for tb in document.tables if tb._tbl.xpath(".//pic:pic"))
    assert len(photos.columns) == 2 and len(photos.rows) == 2
    captions = [p.text for row in photos.rows for c in row.cells for p in c.paragraphs if p.text]
    assert captions[0].startswith("隐患 1 · 罐区.jpg · 2026-03-05 09:41 · ")
    files = document.tables[-1]
    assert [c.text for c in files.rows[0].cells] == ["序号", "文件", "大小", "SHA-256（前 12 位）", "核对"]
    assert {row.cells[4].text for row in files.rows[1:]} == {"一致", "文件已改变（大小或哈希与记录不符）", "文件缺失"}


def test_json_lists_the_evidence_of_each_hazard(visit):
    done = run_cli("report", str(visit), "--format", "json")
    assert done.returncode == 0, done.stderr
    hazards = json.loads(done.stdout)["hazards"]
    assert [Path(e["path"]).name for e in hazards[0]["evidence"]] == ["罐区.jpg", "plan.png", "台账.pdf"]
    assert all(len(e["sha256"]) == 64 and e["size"] > 0 for h in hazards for e in h["evidence"])


def test_documents_without_findings_carry_no_evidence(visit):
    from safetycheck.documents.views import build_view
    from safetycheck.inspection.records import read_record

    record = read_record(visit)
    assert build_view(record, "inspection-record", base=visit.parent)["evidence"]["any"]
    assert not build_view(record, "hazards", base=visit.parent, with_evidence=False)["evidence"]["any"]
