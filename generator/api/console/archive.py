"""All of a run's deliveries as one ZIP (一括ダウンロード), made while it is sent."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path


class _Chunks(io.RawIOBase):
    """Where zipfile writes a streamed ZIP: the bytes wait here until the response takes
    them (not seekable, so zipfile writes each entry's sizes after its data)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.parts.append(bytes(data))
        return len(data)

    def taken(self) -> Iterator[bytes]:
        parts, self.parts = self.parts, []
        yield from parts


def deliveries_zip(out: Path) -> Iterator[bytes]:
    """Every delivery the manifest lists, as one ZIP made while it is sent: no copy of a
    run's PDFs on disk or in memory. PDFs are compressed already: stored. The same run
    gives the same bytes (entries in the manifest's order, zipfile's fixed 1980 time)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    chunks = _Chunks()
    with zipfile.ZipFile(chunks, "w") as archive:
        for entry in manifest["files"]:
            info = zipfile.ZipInfo(entry["file"])
            with (
                archive.open(info, "w", force_zip64=True) as stored,
                (out / entry["file"]).open("rb") as pdf,
            ):
                while block := pdf.read(1 << 20):
                    stored.write(block)
                    yield from chunks.taken()
            yield from chunks.taken()
    yield from chunks.taken()
