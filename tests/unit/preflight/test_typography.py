"""preflight/typography.py: 禁則, short last lines and broken values, on lines drawn by hand."""

from __future__ import annotations

import pytest

from generator.preflight.pages import MM, Box, Glyph, Page
from generator.preflight.typography import digit_forms, digits, typography

_SIZE = 9.0


def _line(text: str, baseline: float, left: float = 20.0) -> list[Glyph]:
    """Full-width glyphs of ``text`` at 9 pt, one em apart (a space leaves a gap)."""
    em = _SIZE * MM
    return [
        Glyph(ch, Box(left + i * em, baseline - 0.88 * em, left + (i + 1) * em, baseline), baseline,
              left + i * em, _SIZE)
        for i, ch in enumerate(text)
        if ch != "　"
    ]  # fmt: skip


def _rules(*rows: str, pitch: float = 4.8) -> list[str]:
    page = Page(1, 210.0, 297.0)
    for index, row in enumerate(rows):
        page.glyphs.extend(_line(row, 50.0 + index * pitch))
    return [v.rule for v in typography(page)]


LONG = "あ" * 40  # ~127 mm: a paragraph's line of body text


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ((LONG, "い。"), ["short-last-line"]),  # an orphan of two characters
        ((LONG, "いう。"), []),
        ((LONG[:20], "い。"), []),  # a short line (a value in a cell), not body text
        ((LONG, "。" + "う" * 10), ["kinsoku"]),  # 行頭禁則
        ((LONG[:-1] + "（", "う" * 10), ["kinsoku"]),  # 行末禁則
        ((LONG[:-1] + "令和7", "年12月1日" + "う" * 5), ["broken-value"]),
        ((LONG[:-2] + "枝番", "01" + "う" * 10), ["broken-value"]),
        (("電話　　　　（　　　　）",), []),  # a gap on one line is no wrap
        ((LONG,), []),
    ],
)
def test_typography(rows: tuple[str, ...], expected: list[str]) -> None:
    assert _rules(*rows) == expected


def test_lines_far_apart_are_not_a_wrap() -> None:
    assert _rules(LONG, "い。", pitch=12.0) == []


def test_a_violation_names_the_punctuation_never_its_neighbour() -> None:
    page = Page(1, 210.0, 297.0)
    page.glyphs.extend(_line("あ" * 39 + "髙", 50.0))
    page.glyphs.extend(_line("。" + "う" * 10, 54.8))
    (violation,) = typography(page)
    assert violation.measured == "a line starts with 。"
    assert "髙" not in str(violation)


def _page(number: int, text: str) -> Page:
    page = Page(number, 210.0, 297.0)
    page.glyphs.extend(_line(text, 50.0))
    return page


@pytest.mark.parametrize(
    ("texts", "starts", "expected"),
    [
        (["令和7年12月1日"], [], []),
        (["令和７年１２月１日"], [], []),
        (["令和7年12月1日", "電話０３"], [], [("digits", 2)]),  # the rarer form is named
        (["令和７年１２月", "03"], [], [("digits", 2)]),
        (["令和7年12月1日", "電話０３"], [2], []),  # two documents, one form each
        (["記号", "番号"], [], []),
    ],
)
def test_one_digit_convention_per_document(
    texts: list[str], starts: list[int], expected: list[tuple[str, int]]
) -> None:
    counts = [digit_forms(_page(n, text)) for n, text in enumerate(texts, 1)]
    assert [(v.rule, v.page) for v in digits(counts, starts)] == expected
