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
#: Around the changed pixels: the diff's red frame, and the enlarged part's context.
_FRAME_MARGIN, _ZOOM_MARGIN, _ZOOM_WIDTH = 12, 40, 1200


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
    """How a page changed: the share of its pixels, a picture of where, and the box around
    every change (left, top, right, bottom in pixels; None when nothing changed)."""

    changed: float
    picture: Image.Image
    box: tuple[int, int, int, int] | None


def difference(old: Image.Image, new: Image.Image) -> Difference:
    """The new page faded, with every pixel that changed from the old page in red and a red
    frame around them all: a change of a few characters is found at a glance."""
    if old.size != new.size:  # a new page size: everything changed
        canvas = Image.new("RGB", new.size, _CHANGED)
        return Difference(1.0, canvas, (0, 0, new.width, new.height))
    delta = ImageChops.difference(old.convert("L"), new.convert("L"))
    mask = delta.point(lambda level: 255 if level > _TOLERANCE else 0)
    changed = mask.histogram()[255] / (new.width * new.height)
    faded = Image.blend(new, Image.new("RGB", new.size, (255, 255, 255)), 0.7)
    faded.paste(Image.new("RGB", new.size, _CHANGED), mask=mask)
    box = mask.getbbox()
    if box is not None:
        framed = _around(box, new.size, _FRAME_MARGIN)
        ImageDraw.Draw(faded).rectangle(framed, outline=_CHANGED, width=4)
    return Difference(changed, faded, box)


def _around(
    box: tuple[int, int, int, int], size: tuple[int, int], margin: int
) -> tuple[int, int, int, int]:
    left, top, right, bottom = box
    return (max(left - margin, 0), max(top - margin, 0),
            min(right + margin, size[0]), min(bottom + margin, size[1]))  # fmt: skip


def zoom(old: Image.Image, new: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    """The changed part of a page, old above new, enlarged to be read: what a reviewer
    compares, without hunting for it on the whole page."""
    region = _around(box, new.size, _ZOOM_MARGIN)
    scale = max(1, min(3, _ZOOM_WIDTH // max(region[2] - region[0], 1)))
    parts = [page.crop(region) for page in (old, new)]
    parts = [p.resize((p.width * scale, p.height * scale), Image.Resampling.LANCZOS) for p in parts]
    width = max(p.width for p in parts) + 2 * _GAP
    font = ImageFont.truetype(str(_LABEL_FONT), 22)
    height = sum(p.height + _LABEL for p in parts) + 3 * _GAP
    sheet = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    top = _GAP
    for label, part in zip(("旧", "新"), parts, strict=True):
        draw.text((_GAP, top), label, fill=(0, 0, 0), font=font)
        sheet.paste(part, (_GAP, top + _LABEL))
        draw.rectangle((_GAP - 1, top + _LABEL - 1, _GAP + part.width, top + _LABEL + part.height),
                       outline=(160, 160, 160))  # fmt: skip
        top += _LABEL + part.height + _GAP
    return sheet
