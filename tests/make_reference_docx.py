"""Build templates/reference.docx: the styles, A4 page setup and fonts of the Word documents.

Run ``python tests/make_reference_docx.py`` after changing it; ``tests/test_office_docx.py``
checks that the committed file is what this script makes and that it has every style.

Why fixed line spacing (固定值) and sizes: page counts then hold in Word, WPS and LibreOffice
even where the named fonts are missing and others stand in.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "templates" / "reference.docx"

# name: (east-Asian font, size pt, exact line pt, bold, alignment, space before, space after)
STYLES = {
    "SC Title": ("宋体", 22, 34, True, "center", 0, 4),
    "SC Number": ("仿宋", 12, 20, False, "center", 0, 8),
    "SC Draft": ("黑体", 12, 20, True, "center", 0, 6),
    "SC Heading": ("黑体", 14, 24, False, "left", 8, 3),
    "SC Body": ("仿宋", 12, 20, False, "justify", 0, 2),
    "SC Table": ("仿宋", 10.5, 15, False, "left", 0, 0),
    "SC Table Head": ("黑体", 10.5, 15, False, "center", 0, 0),
    "SC Muted": ("仿宋", 9, 13, False, "left", 0, 0),
    "SC Sign": ("仿宋", 12, 26, False, "left", 4, 0),
    "SC Foot": ("仿宋", 12, 22, False, "right", 0, 0),
    "SC Footer": ("宋体", 10.5, 15, False, "center", 0, 0),
}
LATIN = "Times New Roman"


def build() -> bytes:
    """The reference document's bytes (deterministic)."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    sys.path.insert(0, str(ROOT))
    from safetycheck.office.docx import save

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(28)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(15)
    align = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
             "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}

    def fonts(style: object, east: str) -> None:
        style.font.name = LATIN  # type: ignore[attr-defined]
        r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
        r_fonts.set(qn("w:eastAsia"), east)

    normal = document.styles["Normal"]
    fonts(normal, "仿宋")
    normal.font.size = Pt(12)
    for name, (east, size, line, bold, where, before, after) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        fonts(style, east)
        style.font.size = Pt(size)
        style.font.bold = bold
        fmt = style.paragraph_format
        fmt.alignment = align[where]
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.widow_control = True
    document.styles["SC Draft"].font.color.rgb = docx.shared.RGBColor(0xC0, 0x00, 0x00)
    return save(document, "safetycheck reference")


if __name__ == "__main__":
    TARGET.write_bytes(build())
    print(f"wrote {TARGET}")
