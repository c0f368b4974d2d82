"""Pictures of a proof: each page as a PNG, a contact sheet (コンタクトシート) per kind, and the
pixel difference between an old proof's page and the new one.

Pages are rasterised by PDFium (pypdfium2, already how preflight reads PDFs) at 100 dpi, the
resolution a reviewer compares at; the pictures are written with owner-only permissions
like every other output.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFont

from generator.outputs import write_private
from generator.render.fonts import FONTS_DIR

#: Page pictures and contact sheets, in dots per inch.
PAGE_DPI = 100
THUMB_DPI = 40
#: Grey levels a pixel may move before it counts as changed (anti-aliasing noise).
_TOLERANCE = 24
_CHANGED = (220, 0, 0)
_LABEL_FONT = FONTS_DIR / "BIZUDGothic-Regular.ttf"
_GAP = 16
_LABEL = 28


def pages(pdf: bytes, dpi: int = PAGE_DPI) -> list[Image.Image]:
    """Every page of a PDF as an RGB picture."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [
            document[index].render(scale=dpi / 72).to_pil().convert("RGB")
            for index in range(len(document))
        ]
    finally:
        document.close()


def save_png(image: Image.Image, path: Path) -> None:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    write_private(path, buffer.getvalue())


def contact_sheet(columns: Sequence[tuple[str, Sequence[Image.Image]]]) -> Image.Image:
    """One picture: a column per data set, its pages top to bottom, each under its label."""
    thumbs = [
        (label, [p.resize((p.width * THUMB_DPI // PAGE_DPI, p.height * THUMB_DPI // PAGE_DPI),
                          Image.Resampling.LANCZOS) for p in shots])
        for label, shots in columns
    ]  # fmt: skip
    cell_w = max((t.width for _, shots in thumbs for t in shots), default=200)
    tallest = max((sum(t.height + _GAP for t in shots) for _, shots in thumbs), default=0)
    sheet = Image.new(
        "RGB",
        (_GAP + len(thumbs) * (cell_w + _GAP), _LABEL + tallest + _GAP),
        (236, 236, 236),
    )
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(str(_LABEL_FONT), 16)
    for column, (label, shots) in enumerate(thumbs):
        x = _GAP + column * (cell_w + _GAP)
        draw.text((x, 6), label, fill=(0, 0, 0), font=font)
        y = _LABEL
        for thumb in shots:
            sheet.paste(thumb, (x, y))
            draw.rectangle((x - 1, y - 1, x + thumb.width, y + thumb.height), outline=(150,) * 3)
            y += thumb.height + _GAP
    return sheet


@dataclass(frozen=True, slots=True)
class Difference:
    """How a page changed: the share of its pixels, and a picture of where."""

    changed: float
    picture: Image.Image


def difference(old: Image.Image, new: Image.Image) -> Difference:
    """The new page faded, with every pixel that changed from the old page in red."""
    if old.size != new.size:  # a new page size: everything changed
        canvas = Image.new("RGB", new.size, _CHANGED)
        return Difference(1.0, canvas)
    delta = ImageChops.difference(old.convert("L"), new.convert("L"))
    mask = delta.point(lambda level: 255 if level > _TOLERANCE else 0)
    changed = mask.histogram()[255] / (new.width * new.height)
    faded = Image.blend(new, Image.new("RGB", new.size, (255, 255, 255)), 0.7)
    faded.paste(Image.new("RGB", new.size, _CHANGED), mask=mask)
    return Difference(changed, faded)
