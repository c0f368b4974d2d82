"""What a print room measures on a page, read from the finished PDF (pypdfium2).

Coordinates are millimetres from the sheet's top-left corner, as a ruler laid on the paper
reads them; text sizes are points. Nothing here knows a template: a page edited in Word is
read the same way.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MM = 25.4 / 72  # millimetres per point
_TEXT, _PATH, _IMAGE = (
    pdfium_c.FPDF_PAGEOBJ_TEXT,
    pdfium_c.FPDF_PAGEOBJ_PATH,
    pdfium_c.FPDF_PAGEOBJ_IMAGE,
)


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in mm: left, top, right, bottom."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def shrunk(self, margin: float) -> Box:
        """This box less ``margin`` on every side (a safe area)."""
        return Box(self.left + margin, self.top + margin, self.right - margin, self.bottom - margin)

    def inside(self, other: Box, margin: float = 0.0) -> bool:
        """Whether this box lies within ``other`` shrunk by ``margin`` on every side."""
        return (
            self.left >= other.left + margin
            and self.top >= other.top + margin
            and self.right <= other.right - margin
            and self.bottom <= other.bottom - margin
        )

    def distance(self, other: Box) -> float:
        """The gap between two boxes (0 when they touch or overlap)."""
        dx = max(other.left - self.right, self.left - other.right, 0.0)
        dy = max(other.top - self.bottom, self.top - other.bottom, 0.0)
        return float((dx * dx + dy * dy) ** 0.5)

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def __str__(self) -> str:
        return f"({self.left:.1f}, {self.top:.1f})–({self.right:.1f}, {self.bottom:.1f}) mm"


@dataclass(frozen=True, slots=True)
class Glyph:
    """One printed character: its ink box, its baseline (mm from the top) and its size."""

    char: str
    box: Box
    baseline: float
    origin: float
    size: float


@dataclass(slots=True)
class Page:
    """A page's ink: glyphs, vector paths (rules, frames, crop marks) and images."""

    number: int
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    paths: list[Box] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)

    @property
    def box(self) -> Box:
        return Box(0.0, 0.0, self.width, self.height)

    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


def read(source: Path | bytes) -> Iterator[Page]:
    """Every page of a PDF, one at a time."""
    pdf = pdfium.PdfDocument(source)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                yield _page(index + 1, page)
            finally:
                page.close()
    finally:
        pdf.close()


def outline(source: Path | bytes) -> list[tuple[int, str, int]]:
    """The bookmarks (しおり) as (level, title, 1-based page), in order."""
    pdf = pdfium.PdfDocument(source)
    try:
        found = []
        for item in pdf.get_toc():
            dest = item.get_dest()
            index = dest.get_index() if dest is not None else None
            if index is not None:
                found.append((item.level, item.get_title(), index + 1))
        return found
    finally:
        pdf.close()


def _page(number: int, page: pdfium.PdfPage) -> Page:
    width, height = page.get_size()
    found = Page(number, width * MM, height * MM)
    to_box = _flip(height)
    text = page.get_textpage()
    try:
        x, y = ctypes.c_double(), ctypes.c_double()
        for i in range(text.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(text, i)
            char = chr(code)
            if char.isspace() or not code:
                continue
            pdfium_c.FPDFText_GetCharOrigin(text, i, x, y)
            found.glyphs.append(
                Glyph(
                    char,
                    to_box(*text.get_charbox(i)),
                    (height - y.value) * MM,
                    x.value * MM,
                    round(pdfium_c.FPDFText_GetFontSize(text, i), 2),
                )
            )
    finally:
        text.close()
    for obj in page.get_objects(max_depth=4):
        if obj.type == _PATH:
            found.paths.append(to_box(*obj.get_bounds()))
        elif obj.type == _IMAGE:
            found.images.append(to_box(*obj.get_bounds()))
    return found


def _flip(height: float) -> Callable[[float, float, float, float], Box]:
    """PDF's bottom-up points to top-down millimetres."""

    def to_box(left: float, bottom: float, right: float, top: float) -> Box:
        return Box(left * MM, (height - top) * MM, right * MM, (height - bottom) * MM)

    return to_box
