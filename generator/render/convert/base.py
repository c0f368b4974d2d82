"""The converter seam: DOCX bytes in, PDF bytes (or a PDF file) out.

``LibreOfficePool`` is the real converter; ``FakeConverter`` serves unit tests only, where
the layout does not matter but page counts do. Integration and visual tests use the real one.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO, Protocol

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

from generator.errors import ConversionError

_PAGE_BREAK = re.compile(rb"<w:pageBreakBefore/>|<w:br w:type=\"page\"/>")
_A4_POINTS = (595.3, 841.9)


class Converter(Protocol):
    """Turns a DOCX into a PDF; safe to call from several threads at once."""

    def convert(self, docx: bytes) -> bytes:
        """The PDF of ``docx``."""
        ...

    def convert_ranges(self, docx: bytes, ranges: Sequence[str]) -> list[bytes]:
        """One PDF per page range ("1-2", "3-4" …) of ``docx``, loaded and laid out once."""
        ...

    def convert_file(self, docx: str, into: Path) -> BinaryIO:
        """The PDF of the DOCX file ``docx`` as an open file in the folder ``into`` (an
        owner-only one), its name already gone: freed when closed. The caller closes it."""
        ...

    def close(self) -> None:
        """Release processes and files."""
        ...


class FakeConverter:
    """For unit tests only: blank A4 pages, one per page break plus one, no LibreOffice.
    Like a real chunk's pages, which share their fonts, they share one resource dictionary."""

    def __init__(self) -> None:
        self.calls = 0

    def convert(self, docx: bytes) -> bytes:
        self.calls += 1
        try:
            with zipfile.ZipFile(io.BytesIO(docx)) as archive:
                body = archive.read("word/document.xml")
        except (zipfile.BadZipFile, KeyError):
            raise ConversionError("not a DOCX document") from None
        writer = PdfWriter()
        shared = writer._add_object(
            DictionaryObject({NameObject("/ProcSet"): ArrayObject([NameObject("/PDF")])})
        )
        for _ in range(len(_PAGE_BREAK.findall(body)) + 1):
            page = writer.add_blank_page(*_A4_POINTS)
            page[NameObject("/Rotate")] = NumberObject(0)
            page[NameObject("/Resources")] = shared
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    def convert_file(self, docx: str, into: Path) -> BinaryIO:
        with open(docx, "rb") as source:
            pdf = self.convert(source.read())
        file = tempfile.TemporaryFile(dir=into)  # noqa: SIM115 - the caller closes it
        file.write(pdf)
        file.seek(0)
        return file

    def convert_ranges(self, docx: bytes, ranges: Sequence[str]) -> list[bytes]:
        reader = PdfReader(io.BytesIO(self.convert(docx)))
        results = []
        for page_range in ranges:
            first, _, last = page_range.partition("-")
            writer = PdfWriter()
            for number in range(int(first), int(last or first) + 1):
                if number > len(reader.pages):
                    raise ConversionError(f"page {number} is past the document's end")
                writer.add_page(reader.pages[number - 1])
            out = io.BytesIO()
            writer.write(out)
            results.append(out.getvalue())
        return results

    def close(self) -> None:
        return None
