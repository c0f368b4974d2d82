"""QR codes (the qrcode package) and customer barcodes as PNG images, deterministic byte
for byte."""

from __future__ import annotations

import itertools
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from generator.render.png import bilevel_png, pack_row

#: Every mask is valid and every reader tries them all; a fixed one spares the search over
#: eight, which was most of a bulk run's time (the codes stay deterministic either way).
MASK_PATTERN = 2
#: Pixels a module. The image is placed at a fixed width in mm, so this is not the printed
#: size: 3 px keeps edges sharp at 300 dpi while LibreOffice re-encodes a tenth of the
#: pixels it did at 10 px (about 4 ms of CPU a notice, in every export).
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
    rows = [
        pack_row("".join("0" if dark else "1" for dark in line for _ in range(box_size)))
        for line in matrix
    ]
    return bilevel_png(len(matrix) * box_size, (row for row in rows for _ in range(box_size)))


#: 郵便カスタマバーコード at the standard 10 pt size: bars 0.6 mm wide on a 1.2 mm pitch;
#: long bars 3.6 mm, half bars 2.4 mm, timing bars 1.2 mm.
BAR_PITCH_MM = 1.2
_DPMM = 600 / 25.4
_HEIGHTS_MM = {"1": (0.0, 3.6), "2": (0.0, 2.4), "3": (1.2, 3.6), "4": (1.2, 2.4)}


def barcode_width_mm(bar_count: int) -> float:
    return (bar_count - 1) * BAR_PITCH_MM + BAR_PITCH_MM / 2


def customer_barcode_png(bars: str) -> bytes:
    """The customer barcode as a 600 dpi PNG, exactly barcode_width_mm wide and 3.6 mm tall."""
    width = round(barcode_width_mm(len(bars)) * _DPMM)
    spans = [
        (
            round(index * BAR_PITCH_MM * _DPMM),
            round((index * BAR_PITCH_MM + BAR_PITCH_MM / 2) * _DPMM),
            kind,
        )
        for index, kind in enumerate(bars)
    ]

    def row(y: int) -> bytes:
        pixels = ["1"] * width
        for left, right, kind in spans:
            top, bottom = _HEIGHTS_MM[kind]
            if round(top * _DPMM) <= y < round(bottom * _DPMM):
                pixels[left:right] = "0" * (right - left)
        return pack_row("".join(pixels))

    # Rows change only where a bar may start or end (0, 1.2, 2.4 mm): one row per band.
    height = round(3.6 * _DPMM)
    edges = sorted(
        {0, height, *(round(mm * _DPMM) for ends in _HEIGHTS_MM.values() for mm in ends)}
    )
    bands = ((row(top), bottom - top) for top, bottom in itertools.pairwise(edges))
    return bilevel_png(width, (line for line, count in bands for _ in range(count)), dpi=600)
