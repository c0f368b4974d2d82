"""render/cmap.py reads a font's code points exactly as fontTools' getBestCmap does."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.render.cmap import code_points
from generator.render.fonts import FONT_FILES, FONTS_DIR
from tests.unit.render.test_fonts import best_cmap

PINNED = [name for files in FONT_FILES.values() for name in files]


@pytest.mark.parametrize("name", PINNED)
def test_each_pinned_font_gives_what_fonttools_gives(name: str) -> None:
    assert set(code_points(FONTS_DIR / name)) == best_cmap(FONTS_DIR / name)


def _font(path: Path, codes: set[int], *, reverse: bool = False) -> None:
    """A minimal TrueType font mapping ``codes`` (fontTools picks formats 4 and 12); glyphs in
    reverse order make format 4 map through its glyph array instead of by a delta."""
    names = [".notdef"] + [f"g{code:X}" for code in sorted(codes, reverse=reverse)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({code: f"g{code:X}" for code in codes})
    empty = TTGlyphPen(None).glyph()
    builder.setupGlyf(dict.fromkeys(names, empty))
    builder.setupHorizontalMetrics(dict.fromkeys(names, (500, 0)))
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))


#: Runs of code points, in the BMP and beyond it, so that both formats and both kinds of
#: format 4 segment (by delta and through the glyph array) come up.
_codes = st.lists(
    st.tuples(
        st.one_of(st.integers(0x20, 0xFFFD), st.integers(0x10000, 0x10FFFF)),
        st.integers(1, 40),
    ),
    min_size=1,
    max_size=12,
).map(
    lambda runs: (
        {
            code
            for first, length in runs
            for code in range(first, min(first + length, 0x10FFFF))
            if not 0xD800 <= code <= 0xDFFF and code != 0xFFFF
        }
        or {0x41}
    )
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(codes=_codes, reverse=st.booleans())
def test_any_font_gives_what_fonttools_gives(
    tmp_path: Path, codes: set[int], reverse: bool
) -> None:
    path = tmp_path / "test.ttf"
    _font(path, codes, reverse=reverse)
    assert set(code_points(path)) == best_cmap(path) == codes


def test_a_file_without_a_cmap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "test.ttf"
    _font(path, {0x41})
    font = TTFont(path)
    del font["cmap"]
    font.save(path)
    with pytest.raises(ValueError, match="no cmap"):
        list(code_points(path))
