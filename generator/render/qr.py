"""QR codes (the qrcode package) and customer barcodes as 1-bit PNG images (Pillow),
deterministic byte for byte."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from PIL import Image, ImageDraw
from qrcode.constants import ERROR_CORRECT_M

#: Every mask is valid and every reader tries them all; a fixed one spares the search over
#: eight, which was most of a bulk run's time (the codes stay deterministic either way).
MASK_PATTERN = 2
#: Pixels a module. The image is placed at a fixed width in mm, so this is not the printed
#: size: 3 px keeps edges sharp at 300 dpi while LibreOffice re-encodes far fewer pixels
#: in every export than at 10 px.
MODULE_PIXELS = 3
#: Codes kept encoded: enough for the マイナポータル code (the same on every notice of an
#: insurer), not for the facility codes, one per member: 64 of those kept were blocks that
#: each outlived dozens of builds, scattered through the heap, holding its pages resident.
QR_CACHE = 4


@lru_cache(maxsize=QR_CACHE)
def qr_png(data: str, *, box_size: int = MODULE_PIXELS, border: int = 4) -> bytes:
    """A black-on-white QR code of ``data`` with the standard 4-module quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border, mask_pattern=MASK_PATTERN)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    side = len(matrix)
    image = Image.new("1", (side, side), 1)
    image.putdata([0 if dark else 1 for line in matrix for dark in line])
    return _png(image.resize((side * box_size, side * box_size), Image.Resampling.NEAREST))


def _png(image: Image.Image, dpi: int | None = None) -> bytes:
    """``image`` as PNG; Pillow writes no time or other varying chunk."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False, **({"dpi": (dpi, dpi)} if dpi else {}))
    return buffer.getvalue()


#: 郵便カスタマバーコード at the standard 10 pt size: bars 0.6 mm wide on a 1.2 mm pitch;
#: long bars 3.6 mm, half bars 2.4 mm, timing bars 1.2 mm.
BAR_PITCH_MM = 1.2
_DPMM = 600 / 25.4
_HEIGHTS_MM = {"1": (0.0, 3.6), "2": (0.0, 2.4), "3": (1.2, 3.6), "4": (1.2, 2.4)}


def barcode_width_mm(bar_count: int) -> float:
    return (bar_count - 1) * BAR_PITCH_MM + BAR_PITCH_MM / 2


def customer_barcode_png(bars: str) -> bytes:
    """The customer barcode as a 600 dpi PNG, exactly barcode_width_mm wide and 3.6 mm tall."""
    width, height = round(barcode_width_mm(len(bars)) * _DPMM), round(3.6 * _DPMM)
    image = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(image)
    for index, kind in enumerate(bars):
        left = round(index * BAR_PITCH_MM * _DPMM)
        right = round((index * BAR_PITCH_MM + BAR_PITCH_MM / 2) * _DPMM)
        top, bottom = (round(mm * _DPMM) for mm in _HEIGHTS_MM[kind])
        draw.rectangle((left, top, right - 1, bottom - 1), fill=0)  # both corners inclusive
    return _png(image, dpi=600)
