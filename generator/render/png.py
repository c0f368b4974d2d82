"""Black-and-white PNG images (1 bit a pixel), written directly: the QR codes and customer
barcodes a DOCX build draws, one per member or letter.

Pillow's PNG encoder takes zlib's largest state (memory level 9, ~0.4 MB) and 64 KB
buffers for every image, in the middle of a DOCX build, for images of a few KB. The pixels
are those Pillow drew, so LibreOffice exports the same PDF bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: zlib's smallest memory level: a 256-entry hash and 128 literals in flight.
_MEMORY_LEVEL = 1
#: zlib's smallest window, 512 bytes: a row repeats the one above it (a QR module's height,
#: a barcode's band), a row's width away, and rows are a few hundred bytes at most. The
#: default window (32 KB, and as much again to chain it) came out of the heap's free space
#: for every image, and dug ~60 KB into it for each cover letter's barcode.
_WINDOW_BITS = 9
_INCHES_PER_METRE = 1 / 0.0254


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def pack_row(pixels: str) -> bytes:
    """A row of pixels given as "0" (black) and "1" (white), packed 8 to a byte; the bits
    past the row's end, which no reader draws, are 0."""
    padded = pixels + "0" * (-len(pixels) % 8)
    return int(padded, 2).to_bytes(len(padded) // 8, "big") if padded else b""


def bilevel_png(width: int, rows: Iterable[bytes], *, dpi: int | None = None) -> bytes:
    """A 1-bit greyscale PNG of packed ``rows`` (``pack_row``), ``width`` pixels wide, with
    its resolution recorded when ``dpi`` is given. Deterministic: no time, no text."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, _WINDOW_BITS, _MEMORY_LEVEL)
    data = []
    height = 0
    for row in rows:
        data.append(compressor.compress(b"\x00" + row))  # filter type 0: the row as is
        height += 1
    data.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    parts = [_SIGNATURE, _chunk(b"IHDR", header)]
    if dpi is not None:
        per_metre = int(dpi * _INCHES_PER_METRE + 0.5)
        parts.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    parts += [_chunk(b"IDAT", b"".join(data)), _chunk(b"IEND", b"")]
    return b"".join(parts)
