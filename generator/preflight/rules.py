"""The print room's rules (印刷前検査), each measured on a page read by ``pages``.

Every limit is a named constant: the window of a 長形3号 envelope, the card's safe area, the
customer barcode's clear zone, the leading of body text. A violation names its page, its
place in mm and the value measured against the limit; never the text itself, which may be a
member's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from generator.preflight.pages import MM, Box, Glyph, Page

#: The window of a 長形3号 window envelope on an A4 sheet folded in three: 90 × 45 mm, its
#: top-left corner 23 mm from the sheet's left edge and 13 mm from its top.
WINDOW = Box(23.0, 13.0, 113.0, 58.0)
#: The sheet moves in the envelope: what the window must show keeps this far from its edges.
WINDOW_MARGIN = 3.0
WINDOW_MIN_POINTS = 8.0
#: The 郵便カスタマバーコード's quiet zone (クリアゾーン) on every side.
BARCODE_CLEAR = 2.0
#: A card's safe area: text this far inside the trim line at least, and no smaller than this.
TRIM_SAFETY = 2.0
CARD_MIN_POINTS = 6.0
#: Crop marks (トンボ) keep clear of the trim corners they point at.
MARK_OFFSET = 2.0
#: Nothing on paper smaller than this.
MIN_POINTS = 6.0
#: Leading: a wrapped line's pitch against its size; paragraphs (lines this long or longer)
#: of letters and notices want more.
LEADING = 1.4
PARAGRAPH_LEADING = 1.5
PARAGRAPH_MM = 100.0
A4 = (210.0, 297.0)
POSTCARD = (100.0, 148.0)
_SIZES = {"A4": A4, "はがき": POSTCARD}
_TOLERANCE = 0.5  # mm, for page sizes and lines meeting an edge


@dataclass(frozen=True, slots=True)
class Violation:
    """One rule broken at one place: the rule's id, the 1-based page, where (mm from the
    sheet's top-left corner), what was measured and the limit it breaks."""

    rule: str
    page: int
    where: str
    measured: str
    limit: str

    def __str__(self) -> str:
        return (
            f"page {self.page}: {self.rule} at {self.where}: {self.measured} (limit {self.limit})"
        )


def page_size(page: Page) -> Iterator[Violation]:
    """A4 or はがき, either way up."""
    for width, height in _SIZES.values():
        for w, h in ((width, height), (height, width)):
            if abs(page.width - w) < _TOLERANCE and abs(page.height - h) < _TOLERANCE:
                return
    yield Violation(
        "page-size",
        page.number,
        str(page.box),
        f"{page.width:.1f} × {page.height:.1f} mm",
        "A4 or はがき",
    )


def text_size(page: Page, floor: float = MIN_POINTS) -> Iterator[Violation]:
    for line in lines(page.glyphs):
        if line.size < floor:
            yield Violation(
                "text-size", page.number, str(line.box), f"{line.size:g} pt", f"≥ {floor:g} pt"
            )


@dataclass(frozen=True, slots=True)
class Line:
    """Glyphs of one size on one baseline, side by side."""

    box: Box
    baseline: float
    size: float
    #: Its characters, left to right.
    text: str = ""


def lines(glyphs: Iterable[Glyph]) -> list[Line]:
    """The page's text lines: glyphs of one size on one baseline, no wider apart than a
    couple of characters."""
    found: list[Line] = []
    ordered = sorted(glyphs, key=lambda g: (round(g.baseline, 1), g.size, g.origin))
    current: list[Glyph] = []
    for glyph in ordered:
        if current and not _same_line(current[-1], glyph):
            found.append(_line(current))
            current = []
        current.append(glyph)
    if current:
        found.append(_line(current))
    return found


def _same_line(a: Glyph, b: Glyph) -> bool:
    gap = b.box.left - a.box.right
    return abs(a.baseline - b.baseline) < 0.3 and a.size == b.size and gap < 2.5 * a.size * MM


def _line(glyphs: Sequence[Glyph]) -> Line:
    box = Box(
        min(g.box.left for g in glyphs),
        min(g.box.top for g in glyphs),
        max(g.box.right for g in glyphs),
        max(g.box.bottom for g in glyphs),
    )
    text = "".join(g.char for g in sorted(glyphs, key=lambda g: g.origin))
    return Line(box, glyphs[0].baseline, glyphs[0].size, text)


def leading(page: Page) -> Iterator[Violation]:
    """Each line against the next one below it in the same column and size: a pitch under
    ``LEADING`` × size (``PARAGRAPH_LEADING`` for a paragraph's long lines) sets text solid."""
    found = lines(page.glyphs)
    for line in found:
        below = [
            other
            for other in found
            if other.size == line.size
            and 0.3 < other.baseline - line.baseline < 2.5 * line.size * MM
            and other.box.left < line.box.right
            and line.box.left < other.box.right
        ]
        if not below:
            continue
        pitch = (min(o.baseline for o in below) - line.baseline) / MM
        limit = PARAGRAPH_LEADING if line.box.width >= PARAGRAPH_MM else LEADING
        if pitch < limit * line.size - 0.05:
            yield Violation(
                "line-pitch",
                page.number,
                str(line.box),
                f"{pitch:.1f} pt pitch at {line.size:g} pt ({pitch / line.size:.2f} ×)",
                f"≥ {limit:g} ×",
            )


def window(page: Page) -> Iterator[Violation]:
    """The cover letter's address block, for a 長形3号 window envelope: whatever the window
    shows lies ≥ 3 mm inside it, in type of 8 pt or more; the barcode keeps its clear zone."""
    if not any(line.box.overlaps(WINDOW) for line in lines(page.glyphs)):
        yield Violation(
            "window", page.number, str(WINDOW), "no address in the window", "an address"
        )
    yield from _contained(
        page, WINDOW, WINDOW.shrunk(WINDOW_MARGIN), WINDOW_MIN_POINTS,
        ("window", "window-text-size"), "outside the window's safe area",
    )  # fmt: skip
    yield from barcode_clear_zone(page)


def barcode_clear_zone(page: Page) -> Iterator[Violation]:
    """A barcode (a wide, low image) keeps ≥ 2 mm from any other ink on every side."""
    for bar in (i for i in page.images if i.width > 5 * i.height):
        ink = [g.box for g in page.glyphs] + page.paths + [i for i in page.images if i != bar]
        near = min((bar.distance(other) for other in ink), default=float("inf"))
        if near < BARCODE_CLEAR:
            yield Violation(
                "barcode-clear-zone",
                page.number,
                str(bar),
                f"ink {near:.2f} mm away",
                f"≥ {BARCODE_CLEAR:g} mm",
            )


def crop_marks(page: Page) -> tuple[Box | None, list[Box]]:
    """The trim box that the page's crop marks (トンボ) show, and the marks: short thin
    rules outside a card, each on the extension of a trim edge."""
    marks = [
        p
        for p in page.paths
        if min(p.width, p.height) <= 0.6 and 3.0 <= max(p.width, p.height) <= 20.0
    ]
    across = _clusters((m.top + m.bottom) / 2 for m in marks if m.width > m.height)
    down = _clusters((m.left + m.right) / 2 for m in marks if m.height > m.width)
    if len(across) != 2 or len(down) != 2:
        return None, []
    return Box(down[0], across[0], down[1], across[1]), marks


def _clusters(values: Iterable[float]) -> list[float]:
    found: list[float] = []
    for value in sorted(values):
        if not found or value - found[-1] > _TOLERANCE:
            found.append(value)
    return found


def card(page: Page, trim: Box, marks: Sequence[Box]) -> Iterator[Violation]:
    """A card's trim: text and images ≥ 2 mm inside it and ≥ 6 pt, nothing drawn along the
    trim line, crop marks clear of its corners."""
    yield from _contained(
        page, trim, trim.shrunk(TRIM_SAFETY), CARD_MIN_POINTS,
        ("trim-safety", "card-text-size"), "within 2 mm of the trim",
    )  # fmt: skip
    for path in page.paths:
        if path not in marks and _along_edge(path, trim):
            yield Violation("trim-line", page.number, str(path), "a rule on the trim line", "none")
    for mark in marks:
        corner = min(
            mark.distance(Box(x, y, x, y))
            for x in (trim.left, trim.right)
            for y in (trim.top, trim.bottom)
        )
        if corner < MARK_OFFSET:
            yield Violation(
                "crop-mark",
                page.number,
                str(mark),
                f"{corner:.1f} mm from a trim corner",
                f"≥ {MARK_OFFSET:g} mm",
            )


def _contained(  # noqa: PLR0917 - one call per area, each argument named by its role
    page: Page, area: Box, safe: Box, floor: float, names: tuple[str, str], where: str
) -> Iterator[Violation]:
    """Ink over ``area`` (a window, a card) lies inside ``safe``, its text at ``floor`` pt
    or more; ``names`` are the rules' ids for place and size."""
    place, size = names
    for line in lines(page.glyphs):
        if not line.box.overlaps(area):
            continue
        if not line.box.inside(safe):
            yield Violation(place, page.number, str(line.box), f"text {where}", f"inside {safe}")
        if line.size < floor:
            yield Violation(
                size, page.number, str(line.box), f"{line.size:g} pt", f"≥ {floor:g} pt"
            )
    for image in page.images:
        if image.overlaps(area) and not image.inside(safe):
            yield Violation(place, page.number, str(image), f"image {where}", f"inside {safe}")


def _along_edge(path: Box, trim: Box) -> bool:
    """A rule lying on one of the trim's edges for more than a few mm."""
    thin = min(path.width, path.height) <= 1.0
    horizontal = path.width > path.height
    if not thin:
        return False
    if horizontal:
        on = any(
            abs((path.top + path.bottom) / 2 - y) < _TOLERANCE for y in (trim.top, trim.bottom)
        )
        return on and min(path.right, trim.right) - max(path.left, trim.left) > 5.0
    on = any(abs((path.left + path.right) / 2 - x) < _TOLERANCE for x in (trim.left, trim.right))
    return on and min(path.bottom, trim.bottom) - max(path.top, trim.top) > 5.0
