"""The pinned fonts (fonts/): what LibreOffice may use, and which characters they cover.

Rendering sees only the fonts in ``fonts/`` (through ``fonts/fonts.conf``), so output does
not depend on the machine. Before rendering, every character of a record is checked against
them: a character no pinned font has is a DataError naming the field, never a blank or a
substituted glyph.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.errors import DataError

#: The repository's fonts/ folder.
FONTS_DIR = Path(__file__).resolve().parents[2] / "fonts"
FONTCONFIG_FILE = FONTS_DIR / "fonts.conf"
#: Each family's code points as ranges, written by fonts/build from the fonts' cmaps.
COVERAGE = "coverage.json"
#: Body text (明朝) and headings (ゴシック); IPAmj明朝 is the 外字 fallback. Each BIZ UD face
#: is split in a core face and an Ext face holding its less common characters (fonts/build:
#: LibreOffice's PDF export pays for every character of every font a page uses).
MINCHO = "BIZ UDMincho"
MINCHO_EXT = "BIZ UDMincho Ext"
GOTHIC = "BIZ UDGothic"
GOTHIC_EXT = "BIZ UDGothic Ext"
GAIJI = "IPAmjMincho"
FONT_FILES: dict[str, tuple[str, ...]] = {
    MINCHO: ("BIZUDMincho-Regular.ttf",),
    MINCHO_EXT: ("BIZUDMinchoExt-Regular.ttf",),
    GOTHIC: ("BIZUDGothic-Regular.ttf", "BIZUDGothic-Bold.ttf"),
    GOTHIC_EXT: ("BIZUDGothicExt-Regular.ttf", "BIZUDGothicExt-Bold.ttf"),
    GAIJI: ("ipamjm.ttf",),
}
#: Variation selectors (異体字セレクタ) pick a glyph of the preceding character; IPAmj明朝
#: carries the Ideographic Variation Database sequences.
_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))


#: A bit per face in ``Coverage.masks``.
_BIT = {family: 1 << index for index, family in enumerate(FONT_FILES)}
#: One past the last Unicode code point.
_CODE_POINTS = 0x110000


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which pinned faces map each code point (their cmaps): one byte per code point, a bit
    per face, looked up in one step, its size fixed whatever the fonts hold."""

    masks: bytes

    def has(self, family: str, char: str) -> bool:
        return bool(self.masks[ord(char)] & _BIT[family])

    def covers(self, char: str) -> bool:
        code = ord(char)
        selector = any(code in r for r in _VARIATION_SELECTORS)
        if selector or not char.isprintable():
            return selector or self.has(GAIJI, char)
        return self.masks[code] != 0

    def primary_covers(self, char: str) -> bool:
        """Whether the body font itself has the character (else the 外字 font steps in)."""
        return self.body_font(char) != GAIJI

    def body_font(self, char: str) -> str:
        """The face that draws ``char`` in body text: BIZ UD明朝, its Ext face, or IPAmj明朝."""
        mask = self.masks[ord(char)]
        if mask & _BIT[MINCHO]:
            return MINCHO
        return MINCHO_EXT if mask & _BIT[MINCHO_EXT] else GAIJI


@cache
def coverage(fonts_dir: Path = FONTS_DIR) -> Coverage:
    """The pinned fonts' code points, from the ranges fonts/build wrote (``coverage.json``)."""
    masks = bytearray(_CODE_POINTS)
    ranges = json.loads((fonts_dir / COVERAGE).read_text(encoding="utf-8"))
    for family in FONT_FILES:
        bit = _BIT[family]
        for first, last in ranges[family]:
            for code in range(first, last + 1):
                masks[code] |= bit
    return Coverage(bytes(masks))


def check_text(record: str, field: str, text: str) -> None:
    """Raise DataError when a character of ``text`` is in no pinned font."""
    cover = coverage()
    for position, char in enumerate(text, start=1):
        if char in "\n\t" or cover.covers(char):
            continue
        name = unicodedata.name(char, "unnamed")
        raise DataError(
            record,
            field,
            f"character {position} (U+{ord(char):04X} {name}) is in no pinned font",
        )
