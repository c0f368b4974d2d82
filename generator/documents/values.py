"""Values a template receives besides plain text: text sized to its box, and QR images.

They stay free of docxtpl; the renderer turns them into runs and pictures.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

#: Below this a printed name stops shrinking and wraps inside its box instead.
MIN_POINTS = 4.5
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
    """Text that shrinks from ``size_pt`` to fit a box ``width_mm`` wide (then wraps)."""

    text: str
    width_mm: float
    size_pt: float
    bold: bool = False

    @property
    def points(self) -> float:
        """The size that fits, in steps of a quarter point, never below MIN_POINTS."""
        ems = text_ems(self.text)
        if ems == 0:
            return self.size_pt
        fitting = self.width_mm * _MM_TO_PT * _SAFETY / ems
        return max(MIN_POINTS, min(self.size_pt, math.floor(fitting * 4) / 4))


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
