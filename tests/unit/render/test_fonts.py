"""render/fonts.py: every character of a record is in a pinned font, or it is an error."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import DataError
from generator.render.fonts import (
    FONT_FILES,
    FONTS_DIR,
    GAIJI,
    MINCHO,
    MINCHO_EXT,
    check_text,
    coverage,
)


def test_the_pinned_fonts_and_their_licences_are_in_the_repository() -> None:
    for files in FONT_FILES.values():
        for name in files:
            assert (FONTS_DIR / name).is_file()
    assert (FONTS_DIR / "fonts.conf").is_file()
    assert len(list((FONTS_DIR / "licenses").iterdir())) >= 3


@pytest.mark.parametrize("text", ["山田 太郎", "髙橋 𠮷男", "﨑", "ｱ", "渡邊", "葛\U000e0100"])
def test_japanese_names_and_gaiji_are_covered(text: str) -> None:
    check_text("R1", "name", text)


def test_gaiji_falls_back_from_the_body_font() -> None:
    cover = coverage()
    assert cover.covers("𠮷")
    assert not cover.primary_covers("𠮷")


@pytest.mark.parametrize("char", ["\U0001f600", "\u0e01", "\uf8ff"])
def test_a_character_no_font_has_names_the_field(char: str) -> None:
    with pytest.raises(DataError, match=f"U\\+{ord(char):04X}") as caught:
        check_text("R1", "name", f"山田{char}")
    assert (caught.value.record, caught.value.field) == ("R1", "name")
    assert "character 3" in caught.value.message


@pytest.mark.parametrize(
    ("char", "face"),
    [("山", MINCHO), ("あ", MINCHO), ("A", MINCHO), ("邊", MINCHO_EXT), ("髙", MINCHO_EXT),
     ("𠮷", GAIJI)],
)  # fmt: skip
def test_body_text_takes_the_face_that_has_the_character(char: str, face: str) -> None:
    assert coverage().body_font(char) == face


def best_cmap(path: Path) -> set[int]:
    """fontTools' reading of a font's code points: the oracle for fonts.py."""
    with TTFont(path, lazy=True) as font:
        return set(font.getBestCmap())


def test_the_split_faces_together_are_exactly_the_upstream_font() -> None:
    """fonts/build splits each BIZ UD face in two: nothing lost, nothing drawn twice."""
    for core_file, ext_file in (
        ("BIZUDMincho-Regular.ttf", "BIZUDMinchoExt-Regular.ttf"),
        ("BIZUDGothic-Bold.ttf", "BIZUDGothicExt-Bold.ttf"),
    ):
        core, ext = best_cmap(FONTS_DIR / core_file), best_cmap(FONTS_DIR / ext_file)
        assert core | ext == best_cmap(FONTS_DIR / "upstream" / core_file)
        assert not core & ext
        assert ord("山") in core
        assert ord("邊") in ext


def test_the_upstream_files_are_hidden_from_libreoffice() -> None:
    assert "<glob>*/upstream/*</glob>" in (FONTS_DIR / "fonts.conf").read_text()


@functools.cache
def _family_cmaps() -> dict[str, set[int]]:
    return {
        family: set().union(*(best_cmap(FONTS_DIR / name) for name in files))
        for family, files in FONT_FILES.items()
    }


@settings(deadline=None)  # the first example reads the fonts
@given(st.integers(min_value=0, max_value=0x10FFFF))
def test_the_coverage_table_holds_exactly_the_fonts_cmaps(code: int) -> None:
    cmaps = _family_cmaps()
    cover = coverage()
    for family, codes in cmaps.items():
        assert cover.has(family, chr(code)) == (code in codes)


def test_the_coverage_table_agrees_with_every_mapped_code_point() -> None:
    cover = coverage()
    for family, codes in _family_cmaps().items():
        assert all(cover.has(family, chr(code)) for code in codes), family
    assert sum(1 for mask in cover.masks if mask) == len(set().union(*_family_cmaps().values()))
