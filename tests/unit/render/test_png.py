"""render/png.py: 1-bit PNGs that any reader decodes to the pixels given."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from generator.render.png import bilevel_png, pack_row

_ROWS = st.integers(1, 70).flatmap(
    lambda width: st.lists(st.text("01", min_size=width, max_size=width), min_size=1, max_size=12)
)


@given(_ROWS)
def test_the_pixels_read_back_are_the_pixels_given(rows: list[str]) -> None:
    image = Image.open(io.BytesIO(bilevel_png(len(rows[0]), [pack_row(r) for r in rows])))
    assert image.mode == "1"
    assert image.size == (len(rows[0]), len(rows))
    white = 255
    read = [
        "".join("1" if image.getpixel((x, y)) == white else "0" for x in range(image.width))
        for y in range(image.height)
    ]
    assert read == rows


def test_the_resolution_is_recorded_when_given() -> None:
    rows = [pack_row("0101")] * 3
    dpi = Image.open(io.BytesIO(bilevel_png(4, rows, dpi=600))).info["dpi"]
    assert [round(v) for v in dpi] == [600, 600]  # stored per metre, read back as a float
    assert "dpi" not in Image.open(io.BytesIO(bilevel_png(4, rows))).info


def test_the_same_rows_give_the_same_bytes() -> None:
    rows = [pack_row("0011" * 9)] * 5
    assert bilevel_png(36, rows, dpi=600) == bilevel_png(36, iter(rows), dpi=600)


def test_a_row_is_packed_eight_pixels_to_a_byte_most_significant_first() -> None:
    assert pack_row("10000000") == b"\x80"
    assert pack_row("1") == b"\x80"  # padded past the row's end
    assert pack_row("111111111") == b"\xff\x80"
