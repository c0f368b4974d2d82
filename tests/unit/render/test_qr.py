"""render/qr.py: the codes every notice shares stay encoded, each member's own do not pile
up; the pixels of codes and barcodes."""

from __future__ import annotations

import io

import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from qrcode.constants import ERROR_CORRECT_M

from generator.render.qr import (
    BAR_PITCH_MM,
    MASK_PATTERN,
    MODULE_PIXELS,
    QR_CACHE,
    barcode_width_mm,
    customer_barcode_png,
    qr_png,
)


def test_the_shared_code_is_encoded_once_and_members_codes_are_not_kept() -> None:
    """Notice after notice: a facility code of the member's own, then the マイナポータル code
    of the insurer, the order a chunk's contexts ask for them."""
    qr_png.cache_clear()
    try:
        for member in range(50):
            qr_png(f"https://facility.example/{member}")
            qr_png("https://myna.go.jp/")
        info = qr_png.cache_info()
        assert info.misses == 50 + 1  # each member's code, and the shared one once
        assert info.currsize <= QR_CACHE
    finally:
        qr_png.cache_clear()


def test_a_code_is_the_same_bytes_cached_or_not() -> None:
    qr_png.cache_clear()
    first = qr_png("https://myna.go.jp/")
    qr_png.cache_clear()
    assert qr_png("https://myna.go.jp/") == first


def _read(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("L")


@settings(max_examples=40)
@given(st.text("1234", min_size=1, max_size=67))
def test_the_barcode_is_the_bars_drawn_at_600_dpi(bars: str) -> None:
    """Bars 0.6 mm wide on a 1.2 mm pitch; long 3.6 mm, half 2.4 mm from the top or the
    bottom, timing 1.2 mm in the middle (RULES.md): what Pillow draws for those rectangles."""
    dots = 600 / 25.4
    heights = {"1": (0.0, 3.6), "2": (0.0, 2.4), "3": (1.2, 3.6), "4": (1.2, 2.4)}
    expected = Image.new("L", (round(barcode_width_mm(len(bars)) * dots), round(3.6 * dots)), 255)
    draw = ImageDraw.Draw(expected)
    for index, kind in enumerate(bars):
        left = round(index * BAR_PITCH_MM * dots)
        right = round((index * BAR_PITCH_MM + BAR_PITCH_MM / 2) * dots) - 1
        top, bottom = heights[kind]
        draw.rectangle((left, round(top * dots), right, round(bottom * dots) - 1), fill=0)
    assert _read(customer_barcode_png(bars)).tobytes() == expected.tobytes()


@pytest.mark.parametrize("data", ["https://myna.go.jp/", "https://facility.example/" + "x" * 90])
def test_each_module_of_the_code_is_a_square_of_pixels(data: str) -> None:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, mask_pattern=MASK_PATTERN)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    image = _read(qr_png.__wrapped__(data))
    assert image.size == (len(matrix) * MODULE_PIXELS,) * 2
    for y in range(image.height):
        for x in range(image.width):
            dark = matrix[y // MODULE_PIXELS][x // MODULE_PIXELS]
            assert image.getpixel((x, y)) == (0 if dark else 255)
