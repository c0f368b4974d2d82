"""preflight/rules.py: each rule on pages drawn by hand, passing and failing."""

from __future__ import annotations

import pytest

from generator.preflight import rules
from generator.preflight.pages import MM, Box, Glyph, Page


def _text(left: float, baseline: float, size: float, chars: int = 10) -> list[Glyph]:
    """A line of full-width glyphs at ``size`` pt, its baseline ``baseline`` mm down."""
    em = size * MM
    return [
        Glyph(
            "字",
            Box(left + i * em, baseline - 0.88 * em, left + (i + 1) * em, baseline + 0.12 * em),
            baseline,
            left + i * em,
            size,
        )
        for i in range(chars)
    ]


def _page(**kinds: object) -> Page:
    page = Page(1, 210.0, 297.0)
    for name, items in kinds.items():
        getattr(page, name).extend(items)  # type: ignore[arg-type]
    return page


@pytest.mark.parametrize(
    ("pitch", "size", "chars", "broken"),
    [
        (9.0, 9.0, 10, True),  # set solid, as today's main did
        (12.5, 9.0, 10, True),  # 1.39 ×
        (12.7, 9.0, 10, False),  # 1.41 ×
        (13.0, 9.0, 40, True),  # a paragraph's long line (~127 mm) wants 1.5 ×
        (13.6, 9.0, 40, False),
        (30.0, 9.0, 10, False),  # two separate blocks
    ],
)
def test_leading(pitch: float, size: float, chars: int, broken: bool) -> None:
    page = _page(glyphs=_text(20, 50, size, chars) + _text(20, 50 + pitch * MM, size, chars))
    found = list(rules.leading(page))
    assert bool(found) is broken
    assert all(v.rule == "line-pitch" for v in found)


def test_text_size_floor() -> None:
    assert not list(rules.text_size(_page(glyphs=_text(20, 50, 6.0))))
    (found,) = rules.text_size(_page(glyphs=_text(20, 50, 5.5)))
    assert found.measured == "5.5 pt"


def test_page_sizes() -> None:
    assert not list(rules.page_size(Page(1, 210.0, 297.0)))
    assert not list(rules.page_size(Page(1, 100.0, 148.0)))
    assert [v.rule for v in rules.page_size(Page(1, 215.9, 279.4))] == ["page-size"]


def test_window_address_inside_the_safe_area_passes() -> None:
    address = _text(27, 20, 9.5) + _text(27, 25, 9.5) + _text(27, 30, 10.5)
    barcode = Box(27, 40, 90, 43.6)
    assert not list(rules.window(_page(glyphs=address, images=[barcode])))


@pytest.mark.parametrize(
    ("glyphs", "rule"),
    [
        (_text(22.5, 20, 10), "window"),  # starts left of the window's safe area
        (_text(27, 15.5, 10), "window"),  # above it
        (_text(27, 56.5, 10), "window"),  # in the window, below its safe area
        (_text(27, 30, 7.5), "window-text-size"),
    ],
)
def test_window_address_outside_or_small_fails(glyphs: list[Glyph], rule: str) -> None:
    assert rule in {v.rule for v in rules.window(_page(glyphs=glyphs))}


def test_an_empty_window_fails() -> None:
    assert [v.rule for v in rules.window(_page())] == ["window"]


def test_barcode_clear_zone() -> None:
    barcode = Box(27, 40, 90, 43.6)
    clear = _text(27, 37.5, 9)  # glyph bottom ~37.9: 2.1 mm above the bars
    assert not list(rules.barcode_clear_zone(_page(glyphs=clear, images=[barcode])))
    close = _text(27, 39.7, 9)
    (found,) = rules.barcode_clear_zone(_page(glyphs=close, images=[barcode]))
    assert found.rule == "barcode-clear-zone"


def _marks(trim: Box, offset: float) -> list[Box]:
    """Corner crop marks 6 mm long, ``offset`` mm off the trim corners, 0.2 mm thick."""
    found = []
    for x, sign_x in ((trim.left, -1), (trim.right, 1)):
        for y, sign_y in ((trim.top, -1), (trim.bottom, 1)):
            near, far = x + sign_x * offset, x + sign_x * (offset + 6)
            found.append(Box(min(near, far), y - 0.1, max(near, far), y + 0.1))
            near, far = y + sign_y * offset, y + sign_y * (offset + 6)
            found.append(Box(x - 0.1, min(near, far), x + 0.1, max(near, far)))
    return found


TRIM = Box(62.2, 94.8, 147.8, 148.8)


def test_crop_marks_give_the_trim() -> None:
    trim, marks = rules.crop_marks(_page(paths=_marks(TRIM, 3)))
    assert trim is not None
    assert len(marks) == 8
    assert abs(trim.left - TRIM.left) < 0.01
    assert abs(trim.bottom - TRIM.bottom) < 0.01


def test_a_well_made_card_passes() -> None:
    page = _page(paths=_marks(TRIM, 3), glyphs=_text(65, 100, 6))
    trim, marks = rules.crop_marks(page)
    assert trim is not None
    assert not list(rules.card(page, trim, marks))


@pytest.mark.parametrize(
    ("extra", "rule"),
    [
        ({"glyphs": _text(63.0, 100, 7)}, "trim-safety"),  # 0.8 mm inside the trim
        ({"glyphs": _text(70, 100, 5.5)}, "card-text-size"),
        ({"paths": [Box(62.1, 94.7, 147.9, 94.9)]}, "trim-line"),  # a frame on the trim
        ({"images": [Box(140, 120, 149, 129)]}, "trim-safety"),  # a QR across the trim
    ],
)
def test_card_faults(extra: dict[str, list[object]], rule: str) -> None:
    page = _page(paths=_marks(TRIM, 3))
    for name, items in extra.items():
        getattr(page, name).extend(items)
    trim, marks = rules.crop_marks(page)
    assert trim is not None
    assert rule in {v.rule for v in rules.card(page, trim, marks)}


def test_crop_marks_touching_the_corners_fail() -> None:
    page = _page(paths=_marks(TRIM, 0))
    trim, marks = rules.crop_marks(page)
    assert trim is not None
    found = [v.rule for v in rules.card(page, trim, marks)]
    assert found.count("crop-mark") == 8
