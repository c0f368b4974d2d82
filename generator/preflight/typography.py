"""Typography of Japanese text (組版), read from the PDF's lines: 禁則処理, short last lines,
and values broken across lines.

A line's continuation is the line just below it in the same size, starting at or left of its
start (a wrapped paragraph's next line): that is how a wrap looks on the page, whatever the
template's paragraphs were.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.preflight.pages import MM, Page
from generator.preflight.rules import PARAGRAPH_MM, Line, Violation, lines

#: 行頭禁則: characters no line may start with (closing brackets and punctuation).
NO_LINE_START = frozenset("、。，．,.）」』】〕〉》］｝)]}！？!?：；:;ゝゞ々")
#: 行末禁則: characters no line may end with when it wraps (opening brackets).
NO_LINE_END = frozenset("（「『【〔〈《［｛([{")
#: A wrapped paragraph's last line this short (characters) is an orphan (泣き別れ).
SHORT_LAST_LINE = 2
#: A value that belongs together: a line ending in these, wrapped onto one starting with a
#: digit (or 年/月/日/号), breaks a date, a 記号・番号 or 「枝番 01」.
_VALUE_END = re.compile(r"([0-9０-９]|枝番|記号|番号|令和|平成|昭和)\s*$")
_VALUE_START = re.compile(r"^\s*[0-9０-９年月日号]")


def _continuation(line: Line, found: list[Line]) -> Line | None:
    below = [
        other
        for other in found
        if other.size == line.size
        and 0.3 < other.baseline - line.baseline <= 2.2 * line.size * MM
        and other.box.left <= line.box.left + 1.0
        and other.box.right > line.box.left
    ]
    return min(below, key=lambda o: o.baseline) if below else None


def typography(page: Page) -> Iterator[Violation]:
    """禁則 where a line wraps (its end, and the start of the line it wraps onto); no
    paragraph of body text (lines of 100 mm or more) ending in a line of one or two
    characters; no number or date broken across lines."""
    found = lines(page.glyphs)
    for line in found:
        text = line.text.strip()
        after = _continuation(line, found)
        if after is None or not text:
            continue
        rest = after.text.strip()
        if text[-1] in NO_LINE_END or rest[:1] in NO_LINE_START:
            yield Violation(
                "kinsoku",
                page.number,
                str(after.box),
                # Only the forbidden punctuation: its neighbour may be a member's name.
                f"a line ends with {text[-1]}"
                if text[-1] in NO_LINE_END
                else f"a line starts with {rest[:1]}",
                "禁則 (no line starts with 。、」） or ends with 「（)",
            )
        if _VALUE_END.search(text) and _VALUE_START.match(rest):
            yield Violation(
                "broken-value", page.number, str(after.box), "a number or date wraps", "one line"
            )
        last = _continuation(after, found) is None
        if last and line.box.width >= PARAGRAPH_MM and 0 < len(rest) <= SHORT_LAST_LINE:
            yield Violation(
                "short-last-line",
                page.number,
                str(after.box),
                f"{len(rest)} character(s) on a paragraph's last line",
                f"> {SHORT_LAST_LINE}",
            )


_ASCII_DIGITS = frozenset("0123456789")
_WIDE_DIGITS = frozenset("０１２３４５６７８９")


def digit_forms(page: Page) -> tuple[int, int, int]:
    """How many half-width and full-width (全角) digits a page prints, and the page number:
    the input of ``digits``."""
    half = sum(glyph.char in _ASCII_DIGITS for glyph in page.glyphs)
    wide = sum(glyph.char in _WIDE_DIGITS for glyph in page.glyphs)
    return page.number, half, wide


def digits(counts: list[tuple[int, int, int]], starts: list[int]) -> Iterator[Violation]:
    """One digit convention per document: a document (from one start page to the next)
    printing both half-width and full-width digits is named at the first page of the form it
    prints less of."""
    bounds = sorted(set(starts) | {1})
    for first, end in zip(bounds, [*bounds[1:], len(counts) + 1], strict=True):
        pages = [c for c in counts if first <= c[0] < end]
        half = sum(c[1] for c in pages)
        wide = sum(c[2] for c in pages)
        if half and wide:
            column = 2 if wide <= half else 1
            where = next(c[0] for c in pages if c[column])
            yield Violation(
                "digits",
                where,
                f"the document from page {first}",
                f"{half} half-width and {wide} full-width digits",
                "one convention per document",
            )
