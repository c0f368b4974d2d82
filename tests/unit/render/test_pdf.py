"""render/pdf.py: splitting a chunk, deterministic finishing, structural checks."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
)

from generator.errors import ConversionError, OutputError
from generator.render.convert.base import FakeConverter
from generator.render.pdf import (
    Metadata,
    check_page_size,
    finish,
    page_at,
    page_sizes,
    pdf_date,
    read_chunk,
    split,
    unembedded_fonts,
)
from tests.cases import blank_pdf

#: A4 in points, as LibreOffice writes it.
A4 = (595.3, 841.9)


META = Metadata(
    "資格確認書", "テスト健康保険組合", "資格確認書（令和7年12月1日交付）", date(2025, 12, 1)
)


def test_split_by_pages_each() -> None:
    parts = list(split(read_chunk(blank_pdf(6, A4), 2, 3), 2))
    assert [len(p.pages) for p in parts] == [2, 2, 2]
    with pytest.raises(ConversionError, match="overflowed"):
        read_chunk(blank_pdf(5, A4), 2, 3)


def test_finish_is_deterministic_and_carries_metadata() -> None:
    first = finish(next(split(read_chunk(blank_pdf(1, A4), 1, 1), 1)), META)
    second = finish(next(split(read_chunk(blank_pdf(1, A4), 1, 1), 1)), META)
    assert first == second
    reader = PdfReader(io.BytesIO(first))
    assert reader.metadata is not None
    assert reader.metadata.title == "資格確認書"
    assert reader.metadata.author == "テスト健康保険組合"
    assert reader.metadata["/CreationDate"] == "D:20251201000000+09'00'"
    other = finish(
        next(split(read_chunk(blank_pdf(1, A4), 1, 1), 1)),
        Metadata("x", "y", "z", date(2025, 12, 2)),
    )
    assert other != first
    assert reader.trailer["/ID"][0] != b"\0" * 16


def test_pdf_date() -> None:
    assert pdf_date(date(2026, 1, 5)) == "D:20260105000000+09'00'"


def test_page_size_check() -> None:
    pdf = blank_pdf(1, A4)
    assert page_sizes(pdf) == [(595.3, 841.9)]
    check_page_size(pdf, (595.3, 841.9), "t")
    with pytest.raises(OutputError, match=r"not 283\.5"):
        check_page_size(pdf, (283.46, 419.53), "t")


def test_blank_pages_use_no_fonts() -> None:
    assert unembedded_fonts(blank_pdf(1, A4)) == []


def test_fake_converter_counts_page_breaks() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml", '<w:p><w:pageBreakBefore/></w:p><w:br w:type="page"/>'
        )
    converter = FakeConverter()
    assert len(PdfReader(io.BytesIO(converter.convert(buffer.getvalue()))).pages) == 3
    with pytest.raises(ConversionError, match="not a DOCX"):
        converter.convert(b"nope")
    converter.close()


def test_a_chunk_is_counted_without_listing_its_pages() -> None:
    """Listed, a page is ~7 KB of objects, held by a bulk run's chunk from its conversion to
    its batch's assembly: the page tree's own count is read instead."""
    reader = read_chunk(blank_pdf(6, A4), 2, 3)
    assert reader.flattened_pages is None
    assert len(reader.pages) == 6


def _tree(flat: bool) -> PdfReader:
    """Four pages of their own sizes, the first without a MediaBox of its own (it inherits
    the tree's); ``flat`` or with the last two in a subtree."""
    writer = PdfWriter()
    for width in (100, 200, 300, 400):
        writer.add_blank_page(width, 500)
    root = writer._pages.get_object()  # the page tree's root
    root[NameObject("/MediaBox")] = ArrayObject([NumberObject(v) for v in (0, 0, 10, 20)])
    del writer.pages[0][NameObject("/MediaBox")]
    if not flat:
        kids = root["/Kids"]
        subtree = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Pages"),
                NameObject("/Kids"): ArrayObject(kids[2:]),
                NameObject("/Count"): NumberObject(2),
                NameObject("/Parent"): writer._pages,
            }
        )
        reference = writer._add_object(subtree)
        for kid in kids[2:]:
            kid.get_object()[NameObject("/Parent")] = reference
        root[NameObject("/Kids")] = ArrayObject([*kids[:2], reference])
    out = io.BytesIO()
    writer.write(out)
    return PdfReader(io.BytesIO(out.getvalue()))


def _plain(page: PageObject) -> dict[str, object]:
    """A page's entries, references by number (two readers' references never compare)."""
    return {
        str(key): (value.idnum if isinstance(value, IndirectObject) else value)
        for key, value in page.items()
    }


@pytest.mark.parametrize("flat", [True, False])
def test_a_page_read_alone_is_the_page_pypdf_lists(flat: bool) -> None:
    """The same entries, the inherited MediaBox too, and the same reference; LibreOffice's
    flat tree is read page by page, any other tree through pypdf's list."""
    alone = _tree(flat)
    pages = [page_at(alone, index) for index in range(4)]
    assert (alone.flattened_pages is None) is flat
    listed = _tree(flat).pages
    for page, expected in zip(pages, listed, strict=True):
        assert _plain(page) == _plain(expected)
        assert page.indirect_reference.idnum == expected.indirect_reference.idnum
    assert [float(p.mediabox.width) for p in pages] == [10, 200, 300, 400]
