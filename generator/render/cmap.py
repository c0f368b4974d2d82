"""The Unicode code points a TrueType font maps (its cmap 文字マップ), read without naming
a single glyph.

fontTools' ``getBestCmap`` names every glyph on the way: for IPAmj明朝's 60,000 glyphs that
is ~28 MB for a moment, and ~19 MB of it stayed in the heap of every rendering process.
The pinned fonts use cmap formats 4 (the BMP) and 12 (all planes); they are read here with
fontTools' semantics (its choice of subtable, and a code point counts when it maps to a glyph
other than .notdef). Any other format is left to fontTools.
"""

from __future__ import annotations

import array
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

#: fontTools' order of preference: the full repertoire first, then the BMP.
_PREFERENCES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))
_LAST_CODE_POINT = 0x10FFFF


def code_points(path: Path) -> Iterator[int]:
    """Every code point the font's preferred Unicode subtable maps to a glyph (repeats
    possible where segments overlap)."""
    table = _cmap_table(path)
    _version, count = struct.unpack_from(">HH", table)
    offsets: dict[tuple[int, int], int] = {}
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", table, 4 + 8 * index)
        offsets.setdefault((platform, encoding), offset)
    for key in _PREFERENCES:
        if key in offsets:
            offset = offsets[key]
            subtable_format = struct.unpack_from(">H", table, offset)[0]
            if subtable_format == 4:
                return _format_4(table, offset)
            if subtable_format == 12:
                return _format_12(table, offset)
            return _by_fonttools(path)
    return iter(())


def _cmap_table(path: Path) -> bytes:
    with path.open("rb") as font:
        _version, count = struct.unpack(">IH", font.read(6))
        font.seek(12)
        records = font.read(16 * count)
        for index in range(count):
            tag, _checksum, offset, length = struct.unpack_from(">4sIII", records, 16 * index)
            if tag == b"cmap":
                font.seek(offset)
                return font.read(length)
    raise ValueError(f"{path.name} has no cmap table")


def _words(data: bytes, typecode: str) -> array.array[int]:
    values = array.array(typecode, data)
    if sys.byteorder == "little":  # the font's numbers are big-endian
        values.byteswap()
    return values


def _format_4(table: bytes, offset: int) -> Iterator[int]:
    segments = struct.unpack_from(">H", table, offset + 6)[0] // 2
    rest = table[offset + 14 :]
    words = _words(rest[: len(rest) // 2 * 2], "H")  # the glyph array runs to the end
    end = words[:segments]
    start = words[segments + 1 : 2 * segments + 1]  # after the reserved pad
    delta = words[2 * segments + 1 : 3 * segments + 1]
    range_offset = words[3 * segments + 1 : 4 * segments + 1]
    glyphs = words[4 * segments + 1 :]
    for i in range(segments - 1):  # the last segment closes the table at U+FFFF
        if range_offset[i] == 0:
            yield from (c for c in range(start[i], end[i] + 1) if (c + delta[i]) & 0xFFFF)
            continue
        partial = range_offset[i] // 2 - start[i] + i - segments
        for code in range(start[i], end[i] + 1):
            glyph = glyphs[code + partial]
            if glyph and (glyph + delta[i]) & 0xFFFF:
                yield code


def _format_12(table: bytes, offset: int) -> Iterator[int]:
    count = struct.unpack_from(">I", table, offset + 12)[0]
    groups = _words(table[offset + 16 : offset + 16 + 12 * count], "I")
    last_end = 0
    for first, end, glyph in zip(*[iter(groups)] * 3, strict=True):
        last = min(end, _LAST_CODE_POINT)
        if first > last or first < last_end:  # malformed: skipped, as fontTools does
            continue
        last_end = last
        yield from range(first + 1 if glyph == 0 else first, last + 1)


def _by_fonttools(path: Path) -> Iterator[int]:
    from fontTools.ttLib import TTFont  # noqa: PLC0415 - only for a format not read here

    with TTFont(path, lazy=True) as font:
        return iter(list(font.getBestCmap() or {}))
