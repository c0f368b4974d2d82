"""Values a template receives besides plain text: text sized to its box, and QR images.

They stay free of docxtpl; the renderer turns them into runs and pictures.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

#: The smallest type anything is printed in (a card's safe minimum): below it a value that
#: still does not fit its box is refused, never printed smaller or cut.
MIN_POINTS = 6.0
_MM_TO_PT = 72 / 25.4
#: Advance of a narrow (half-width) character, in em, in the pinned proportional fonts.
_NARROW_EM = 0.55
#: Room kept for kerning and the cell's own padding: LibreOffice wraps a line that fills
#: its box to the last point.
_SAFETY = 0.92


def text_ems(text: str) -> float:
    """The width of ``text`` in em: wide (全角) characters 1, narrow ones about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else _NARROW_EM for c in text)


@dataclass(frozen=True, slots=True)
class Fitted:
    """Text for a box ``width_mm`` wide that holds ``lines`` lines, set at ``size_pt`` and
    never below ``min_pt``. With ``wrap_first`` (the window's address and name) it wraps onto
    the box's lines before it shrinks; otherwise it shrinks on one line and wraps only at
    ``min_pt`` (a card's row holds its extra lines only at the smallest size). ``field``
    names where the text comes from (a record's column, or ``insurer.…`` of the profile),
    for the error that refuses what does not fit."""

    text: str
    width_mm: float
    size_pt: float
    bold: bool = False
    min_pt: float = MIN_POINTS
    lines: int = 1
    field: str = ""
    wrap_first: bool = False

    @property
    def points(self) -> float:
        """The size that fits, in steps of a quarter point; ``min_pt`` when none does
        (``fits`` is then false and the value is refused before anything is printed)."""
        if "\n" in self.text:  # lines broken on purpose (an address's building): each wraps
            size = self.size_pt
            while size > self.min_pt and not self._broken_fits(size):
                size = max(self.min_pt, math.floor(size * 4 - 1) / 4)
            return size
        ems = text_ems(self.text)
        if ems == 0:
            return self.size_pt
        fitting = (self.lines if self.wrap_first else 1) * self._line / ems
        if fitting >= self.size_pt:  # it fits as it is: a size off the quarter grid stays
            return self.size_pt
        return max(self.min_pt, math.floor(fitting * 4) / 4)

    @property
    def fits(self) -> bool:
        if "\n" in self.text:
            return self._broken_fits(self.points)
        return text_ems(self.text) * self.points <= self.lines * self._line + 1e-9

    def _broken_fits(self, size: float) -> bool:
        """Whether text broken into lines fits at ``size``: each part on lines of its own."""
        needed = [
            math.ceil(text_ems(part) * size / self._line - 1e-9) for part in self.text.split("\n")
        ]
        if not self.wrap_first:
            return max(needed) <= 1 and len(needed) <= self.lines
        return sum(max(1, n) for n in needed) <= self.lines

    @property
    def capacity(self) -> int:
        """How many full-width characters the box holds at ``min_pt``."""
        return int(self.lines * self._line / self.min_pt)

    @property
    def _line(self) -> float:
        """One line's usable width, in points."""
        return self.width_mm * _MM_TO_PT * _SAFETY


@dataclass(frozen=True, slots=True)
class QrImage:
    """A QR code of ``payload`` printed ``width_mm`` wide."""

    payload: str
    width_mm: float


@dataclass(frozen=True, slots=True)
class BarcodeImage:
    """A 郵便カスタマバーコード: its bars (1–4), printed at the standard size."""

    bars: str


TemplateValue = str | Fitted | QrImage | BarcodeImage | list[dict[str, object]]
