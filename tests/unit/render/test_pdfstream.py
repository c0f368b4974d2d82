"""render/pdfstream.py: a PDF written page by page, whole and deterministic once closed."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

from generator.render.pdf import Metadata, content_digest, page_at
from generator.render.pdfstream import PdfStream

META = Metadata("資格確認書等の送付", "テスト健康保険組合", "令和7年12月1日交付", date(2025, 12, 1))
A4 = (595.303937, 841.889764)


def _draw(writer: PdfWriter, drawing: str, resources: DictionaryObject) -> None:
    """A page that draws ``drawing`` with ``resources`` (a copy of its own)."""
    page = writer.add_blank_page(*A4)
    contents = DecodedStreamObject()
    contents.set_data(drawing.encode())
    page[NameObject("/Contents")] = writer._add_object(contents)
    page[NameObject("/Resources")] = DictionaryObject(resources)


def _source(pages: int, *, link: bool = False) -> PdfReader:
    """``pages`` pages, each drawing its own text with one font they all share; with
    ``link``, the first page links to the second."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    fonts = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    for number in range(pages):
        _draw(writer, f"BT /F1 12 Tf 72 720 Td (page {number}) Tj ET", fonts)
    if link:
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                NameObject("/Dest"): ArrayObject(
                    [writer.pages[1].indirect_reference, NameObject("/Fit")]
                ),
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    out = io.BytesIO()
    writer.write(out)
    return PdfReader(io.BytesIO(out.getvalue()))


def _written(source: PdfReader, members: list[int], meta: Metadata = META) -> bytes:
    """Each member's pages taken in turn from ``source``, every member from a fresh sheet."""
    out = io.BytesIO()
    pdf = PdfStream(out, meta)
    taken = 0
    for index, count in enumerate(members):
        pdf.pad_to_sheet()
        pdf.bookmark(f"組合員 {index} 髙橋", pdf.pages)
        for _ in range(count):
            pdf.add_page(source.pages[taken % len(source.pages)])
            taken += 1
    pdf.pad_to_sheet()
    pdf.close()
    assert pdf.sha256 == hashlib.sha256(out.getvalue()).hexdigest()
    return out.getvalue()


def test_pages_keep_what_they_draw_and_share_one_font() -> None:
    source = _source(3)
    result = PdfReader(io.BytesIO(_written(source, [3])), strict=True)
    assert [p.get_contents().get_data() for p in result.pages[:3]] == [  # type: ignore[union-attr]
        p.get_contents().get_data()  # type: ignore[union-attr]
        for p in source.pages
    ]
    fonts = {p["/Resources"]["/Font"].raw_get("/F1").idnum for p in result.pages[:3]}
    assert len(fonts) == 1, "an object shared by pages is written once"
    assert [float(result.pages[3].mediabox.width), float(result.pages[3].mediabox.height)] == [
        float(A4[0]),
        float(A4[1]),
    ]


def test_information_id_and_bookmarks() -> None:
    data = _written(_source(2), [1, 2, 1])
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert reader.metadata is not None
    assert reader.metadata.title == META.title
    assert reader.metadata.author == META.author
    assert reader.metadata["/CreationDate"] == "D:20251201000000+09'00'"
    assert [(o.title, reader.get_destination_page_number(o)) for o in reader.outline] == [
        ("組合員 0 髙橋", 0),
        ("組合員 1 髙橋", 2),
        ("組合員 2 髙橋", 4),
    ]
    # The /ID hashes the same content as a finished pypdf writer's would.
    writer = PdfWriter(clone_from=reader)
    assert reader.trailer["/ID"][0] == content_digest(writer, META)


def test_same_content_same_bytes_and_metadata_changes_the_id() -> None:
    first = _written(_source(4), [2, 1, 1])
    assert first == _written(_source(4), [2, 1, 1])
    other = _written(_source(4), [2, 1, 1], Metadata("x", "y", "z", date(2025, 12, 2)))
    identifiers = [PdfReader(io.BytesIO(data)).trailer["/ID"][0] for data in (first, other)]
    assert identifiers[0] != identifiers[1]


def test_a_link_to_a_page_left_behind_does_not_drag_it_along() -> None:
    result = PdfReader(io.BytesIO(_written(_source(2, link=True), [1])), strict=True)
    assert len(result.pages) == 2  # the first page and the blank that pads its sheet
    assert b"page 1" not in b"".join(
        p.get_contents().get_data()  # type: ignore[union-attr]
        for p in result.pages
        if "/Contents" in p
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=12))
def test_every_member_starts_a_fresh_sheet(members: list[int]) -> None:
    """Duplex: each bookmark opens an odd page (1-based), the file's page count is even,
    and only blank pages are added."""
    reader = PdfReader(io.BytesIO(_written(_source(4), members)))
    starts = [reader.get_destination_page_number(o) for o in reader.outline]  # type: ignore[arg-type]
    assert all(start % 2 == 0 for start in starts)
    assert len(reader.pages) % 2 == 0
    assert sum(1 for p in reader.pages if "/Contents" in p) == sum(members)


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)


def test_what_it_keeps_is_a_few_bytes_a_page() -> None:
    """Pages are written as they come: 400 pages leave a few bytes each in the stream, where
    pypdf's writer holds every page's objects until it writes."""
    source = _source(4)
    _written(source, [4])  # the source's objects are read (and kept by its reader) now
    tracemalloc.start()
    try:
        pdf = PdfStream(_Discard(), META)  # type: ignore[arg-type]
        for number in range(400):
            pdf.add_page(source.pages[number % 4])
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert pdf.pages == 400
    assert kept < 400 * 100


def test_written_objects_leave_their_readers_cache() -> None:
    """Once written, an object is not kept parsed by its reader: a round's objects would
    otherwise pile up there until the round ends. A font shared by every page is still
    written once, and the file is byte for byte the same as from a fresh reader."""
    fresh = _written(_source(6), [2, 3, 1])
    source = _source(6)
    out = io.BytesIO()
    pdf = PdfStream(out, META)
    for number in range(6):
        pdf.add_page(source.pages[number])
        cached = [o for o in source.resolved_objects.values() if isinstance(o, DictionaryObject)]
        assert not any(o.get("/Type") == "/Font" for o in cached)
        assert not any(isinstance(o, DecodedStreamObject) for o in source.resolved_objects.values())
    pdf.close()
    assert out.getvalue().count(b"/Helvetica") == 1
    assert _written(_source(6), [2, 3, 1]) == fresh


def _with_images(pages: int) -> PdfReader:
    """LibreOffice's way: every page's resources list every image of the file."""
    writer = PdfWriter()
    images = {}
    for number in range(pages):
        image = DecodedStreamObject()
        image.set_data(bytes([number]) * 8)
        image.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Image"),
                NameObject("/Width"): NumberObject(8),
                NameObject("/Height"): NumberObject(8),
                NameObject("/BitsPerComponent"): NumberObject(1),
                NameObject("/ColorSpace"): NameObject("/DeviceGray"),
            }
        )
        images[NameObject(f"/Im{number}")] = writer._add_object(image)
    listed = DictionaryObject({NameObject("/XObject"): DictionaryObject(images)})
    for number in range(pages):
        _draw(writer, f"q 72 0 0 72 72 720 cm /Im{number} Do Q", listed)
    out = io.BytesIO()
    writer.write(out)
    return PdfReader(io.BytesIO(out.getvalue()))


def test_a_page_read_alone_leaves_nothing_cached_once_written() -> None:
    """Pages read one by one (``page_at``) and written: the reader's cache holds no more
    after each page than before the first, images listed by every page included, and the
    file is the one written from pypdf's own list of pages."""
    source = _with_images(5)
    listed = io.BytesIO()
    pdf = PdfStream(listed, META)
    for page in source.pages:
        pdf.add_page(page)
    pdf.close()
    source = _with_images(5)
    page_at(source, 0)
    source.resolved_objects.clear()
    cached = len(page_at(source, 0).pdf.resolved_objects)  # the tree, and the page itself
    out = io.BytesIO()
    pdf = PdfStream(out, META)
    for number in range(5):
        pdf.add_page(page_at(source, number))
        assert len(source.resolved_objects) < cached
    pdf.close()
    assert out.getvalue() == listed.getvalue()
