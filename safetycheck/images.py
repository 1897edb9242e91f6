"""Thumbnails of evidence photos for the documents: EXIF orientation applied, every metadata field dropped.

Why in the base layer: the HTML documents (``documents/``) embed the same thumbnails the Word
documents (``office/``) attach; this module knows files and pixels, nothing of records.
Pillow is imported only when a thumbnail is made.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

IMAGE_SUFFIXES = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}
LONG_SIDE = 800  # pixels: the most a thumbnail has on its long side
_TAKEN = 36867  # EXIF DateTimeOriginal
_DATETIME = 306  # EXIF DateTime


@dataclass(frozen=True)
class Thumbnail:
    """A thumbnail: its bytes (JPEG or PNG, no metadata), type, size in pixels and the time the photo was taken."""

    data: bytes
    mime: str
    width: int
    height: int
    taken: str  # "2026-03-05 09:41" from EXIF, or ""


def is_image(path: str) -> bool:
    """Whether a file is shown as a photo (JPEG, PNG or WebP by its extension)."""
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def make_thumbnail(path: Path) -> Thumbnail:
    """A thumbnail of a photo at most :data:`LONG_SIDE` pixels on its long side.

    EXIF orientation is applied to the pixels, then the picture is written anew from its pixels
    alone, so GPS position, device and every other metadata field stay behind (the document goes
    to the unit inspected). PNG stays PNG (drawings, screenshots); JPEG and WebP become JPEG.

    Raises:
        OSError: the file cannot be read or is not an image Pillow knows.
    """
    from PIL import Image, ImageOps

    with Image.open(path) as original:
        exif = original.getexif()
        taken = str(exif.get_ifd(0x8769).get(_TAKEN) or exif.get(_DATETIME) or "")
        upright = ImageOps.exif_transpose(original)
        keep_png = original.format == "PNG"
        mode = "RGBA" if keep_png and upright.mode in ("RGBA", "LA", "P") else "RGB"
        picture = Image.new(mode, upright.size)
        picture.paste(upright.convert(mode))
    picture.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if keep_png:
        picture.save(buffer, "PNG", optimize=False)
    else:
        picture.save(buffer, "JPEG", quality=85, optimize=False, progressive=False)
    if len(taken) >= 16 and taken[4] == ":":  # EXIF writes 2026:03:05 09:41:22
        taken = f"{taken[:4]}-{taken[5:7]}-{taken[8:10]} {taken[11:16]}"
    return Thumbnail(buffer.getvalue(), "image/png" if keep_png else "image/jpeg", picture.width, picture.height, taken)
