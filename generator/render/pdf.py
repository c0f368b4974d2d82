"""PDF finishing with pypdf: split a chunk per document, then make each one deterministic.

Identical input gives byte-identical PDFs: the dates come from the run's issue date and the
file identifier (/ID) from a hash of the content, never from the clock. Each PDF carries a
title, author and subject; its fonts are all embedded and its page size is the template's.
"""

from __future__ import annotations

import hashlib
import io
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

from generator.errors import ConversionError, OutputError

PRODUCER = "hoken-docgen"
_POINTS_TOLERANCE = 0.5


@dataclass(frozen=True, slots=True)
class Metadata:
    """What the document information dictionary says."""

    title: str
    author: str
    subject: str
    issue_date: date


def pdf_date(day: date) -> str:
    """D:YYYYMMDD000000+09'00' — midnight of the issue date in Japan."""
    return f"D:{day:%Y%m%d}000000+09'00'"


def read_chunk(pdf: bytes | BinaryIO, pages_each: int, count: int) -> PdfReader:
    """A converted chunk, checked to hold ``count`` documents of ``pages_each`` pages; read
    from its bytes, or from a file (each object when it is asked for)."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    # The page tree's own count: listing the pages builds objects for each, which a bulk
    # run's chunk would hold from its conversion to its batch's assembly.
    tree = cast(DictionaryObject, reader.root_object["/Pages"].get_object())
    pages = int(cast(NumberObject, tree["/Count"]))
    if pages != pages_each * count:
        reader.stream.close()
        raise ConversionError(
            f"the chunk came out as {pages} pages, not {count} × {pages_each}: "
            "a document overflowed its layout"
        )
    return reader


#: What a page inherits from the page tree above it when it does not say (ISO 32000-1, 7.7.3.4).
_INHERITED = tuple(NameObject(n) for n in ("/Resources", "/MediaBox", "/CropBox", "/Rotate"))


def page_at(reader: PdfReader, index: int) -> PageObject:
    """The page ``index`` of a chunk, read alone. pypdf's ``pages`` reads every page of the
    file at its first use and keeps them with the reader: a round's ~370 pages, a few
    hundred KB of objects held until the round is written. LibreOffice writes a flat page
    tree (the root's kids are the pages, as many as its count), so the page is its root's
    kid ``index``, inheriting as pypdf would; any other tree takes pypdf's way."""
    tree = cast(DictionaryObject, reader.root_object["/Pages"].get_object())
    kids = tree.get("/Kids")
    if isinstance(kids, ArrayObject) and tree.get("/Count") == len(kids):
        kid = kids[index]
        node = kid.get_object()
        leaf = isinstance(node, DictionaryObject) and node.get("/Type") == "/Page"
        if isinstance(kid, IndirectObject) and leaf:
            page = PageObject(reader, kid)
            for name in _INHERITED:
                if name in tree and name not in page:
                    page[name] = tree[name]
            return page
    return reader.pages[index]


def forget_read(page: PageObject, held: set[object]) -> None:
    """Drop from the page's reader's cache the page and whatever it did not hold before
    (``held``): what was read to write the page (fonts, images, contents, lengths) is known
    to the writer by number from then on, never read again. Kept, a round's every object
    piled up until the round was written."""
    cache = getattr(page.pdf, "resolved_objects", None)
    if not isinstance(cache, dict):
        return
    for key in [key for key in cache if key not in held]:
        del cache[key]
    reference = page.indirect_reference
    if isinstance(reference, IndirectObject):
        cache.pop((reference.generation, reference.idnum), None)


def split(reader: PdfReader, pages_each: int) -> Iterator[PdfWriter]:
    """The chunk's documents as writers of ``pages_each`` pages apiece."""
    for index in range(len(reader.pages) // pages_each):
        writer = PdfWriter()
        for number in range(index * pages_each, (index + 1) * pages_each):
            writer.add_page(reader.pages[number])
        yield writer


def information(meta: Metadata) -> dict[str, str]:
    """The document information dictionary (文書情報): dated by the issue date, never the
    clock."""
    stamp = pdf_date(meta.issue_date)
    return {
        "/Title": meta.title,
        "/Author": meta.author,
        "/Subject": meta.subject,
        "/Creator": PRODUCER,
        "/Producer": PRODUCER,
        "/CreationDate": stamp,
        "/ModDate": stamp,
    }


def finish(writer: PdfWriter, meta: Metadata) -> bytes:
    """Metadata and dates from the issue date, and an /ID that hashes the content."""
    writer.add_metadata(information(meta))
    writer._root_object.pop(NameObject("/Metadata"), None)  # an XMP packet would carry the clock
    digest = content_digest(writer, meta)
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def content_digest(writer: PdfWriter, meta: Metadata) -> bytes:
    """A hash of what the pages draw and of the metadata: the file's /ID, cheaply and the
    same for the same content (LibreOffice compresses its streams the same way each time)."""
    digest = ContentDigest(meta)
    for page in writer.pages:
        digest.add(page)
    return digest.value()


class ContentDigest:
    """``content_digest`` taken page by page, for a file written as it is assembled."""

    def __init__(self, meta: Metadata) -> None:
        self._hash = hashlib.sha256(repr(meta).encode())
        # Each image's stored bytes by source and number: every page of a chunk lists all
        # its images (a few hundred bytes each), read here once, not parsed for each page.
        self._images: weakref.WeakKeyDictionary[object, dict[int, bytes]]
        self._images = weakref.WeakKeyDictionary()

    def add(self, page: PageObject) -> None:
        self.add_size(float(page.mediabox.width), float(page.mediabox.height))
        contents = page.get("/Contents")
        if contents is None:
            return
        streams = contents.get_object()
        for stream in streams if isinstance(streams, ArrayObject) else [streams]:
            self._hash.update(_raw(stream))
        # Images (the QR codes) differ between members whose text is alike.
        for image in page.get("/Resources", {}).get("/XObject", {}).values():
            self._hash.update(self._image(image))

    def _image(self, image: object) -> bytes:
        if not isinstance(image, IndirectObject):
            return _raw(image)
        seen = self._images.setdefault(image.pdf, {})
        data = seen.get(image.idnum)
        if data is None:
            data = seen[image.idnum] = _raw(image)
        return data

    def add_size(self, width: float, height: float) -> None:
        """A page's size: all a blank page adds."""
        self._hash.update(f"|{width}x{height}|".encode())

    def value(self) -> bytes:
        return self._hash.digest()[:16]


def _raw(reference: object) -> bytes:
    """A stream's bytes as stored (still compressed: decoding images in Python is slow)."""
    stream = reference.get_object() if hasattr(reference, "get_object") else reference
    data = getattr(stream, "_data", b"")
    return data if isinstance(data, bytes) else str(data).encode()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's width and height in points."""
    return [
        (float(p.mediabox.width), float(p.mediabox.height))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def unembedded_fonts(pdf: bytes) -> list[str]:
    """Names of fonts used without their font file embedded (none are allowed)."""
    missing: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for reference in fonts.values():
            font = reference.get_object()
            descendants: Sequence[object] = font.get("/DescendantFonts", [font])
            for candidate in descendants:
                descriptor = candidate.get_object().get("/FontDescriptor")  # type: ignore[attr-defined]
                if descriptor is None or not any(
                    key in descriptor.get_object()
                    for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    missing.append(str(font.get("/BaseFont")))
    return missing


def check_page_size(pdf: bytes, expected: tuple[float, float], name: str) -> None:
    """OutputError unless every page has the template's size."""
    check_sizes(page_sizes(pdf), expected, name)


def check_sizes(
    sizes: Sequence[tuple[float, float]], expected: tuple[float, float], name: str
) -> None:
    """OutputError unless each of ``sizes`` is the template's."""
    for width, height in sizes:
        if (
            abs(width - expected[0]) > _POINTS_TOLERANCE
            or abs(height - expected[1]) > _POINTS_TOLERANCE
        ):
            wanted = f"{expected[0]:.1f} × {expected[1]:.1f}"
            raise OutputError(f"{name}: a page is {width:.1f} × {height:.1f} pt, not {wanted}")
