"""render/stamp.py: finishing a plain single export in place, or declining to."""

from __future__ import annotations

import io
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, NumberObject, StreamObject

from generator.render.pdf import Metadata
from generator.render.stamp import stamp_export

META = Metadata(
    "資格情報のお知らせ",
    "テスト健康保険組合",
    "資格情報のお知らせ（令和7年12月1日交付）",
    date(2025, 12, 1),
)


def _pdf(*sizes: tuple[float, float], text: bytes = b"BT ET", clock: str = "D:20261122") -> bytes:
    """A plain file as LibreOffice writes one: classic xref, an /Info with the clock in it."""
    writer = PdfWriter()
    for width, height in sizes:
        page = writer.add_blank_page(width, height)
        stream = StreamObject()
        stream.set_data(text)
        page[NameObject("/Contents")] = writer._add_object(stream)
    writer.add_metadata({"/CreationDate": clock, "/Producer": "LibreOffice 7.4"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_metadata_dates_and_pages_are_the_runs() -> None:
    stamped = stamp_export(_pdf((595.3, 841.9), (420.0, 595.3)), META)
    assert stamped is not None
    reader = PdfReader(io.BytesIO(stamped.pdf), strict=True)
    assert reader.metadata == {
        "/Title": META.title,
        "/Author": META.author,
        "/Subject": META.subject,
        "/Creator": "hoken-docgen",
        "/Producer": "hoken-docgen",
        "/CreationDate": "D:20251201000000+09'00'",
        "/ModDate": "D:20251201000000+09'00'",
    }
    assert stamped.page_sizes == [(595.3, 841.9), (420.0, 595.3)]
    assert [float(p.mediabox.width) for p in reader.pages] == [595.3, 420.0]
    assert reader.pages[0].get_contents().get_data() == b"BT ET"  # type: ignore[union-attr]


def test_every_object_is_where_the_xref_says() -> None:
    stamped = stamp_export(_pdf((595.3, 841.9), (595.3, 841.9)), META)
    assert stamped is not None
    reader = PdfReader(io.BytesIO(stamped.pdf), strict=True)
    for number in range(1, reader.trailer["/Size"]):
        offset = reader.xref[0][number]
        assert stamped.pdf.startswith(b"%d 0 obj" % number, offset)
        assert reader.get_object(number) is not None


def _numbered(first: str) -> bytes:
    """One page whose two fonts are numbered in the order given (LibreOffice's order
    depends on what the process rendered before)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595.3, 841.9)
    fonts = {
        name: DictionaryObject({NameObject("/BaseFont"): NameObject(name)}) for name in ("/A", "/B")
    }
    order = ["/A", "/B"] if first == "/A" else ["/B", "/A"]
    refs = {name: writer._add_object(fonts[name]) for name in order}
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject(
                {NameObject("/F1"): refs["/A"], NameObject("/F2"): refs["/B"]}
            )
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_numbering_of_the_export_leaves_no_trace() -> None:
    one, other = _numbered("/A"), _numbered("/B")
    assert one != other
    stamped_one, stamped_other = stamp_export(one, META), stamp_export(other, META)
    assert stamped_one is not None
    assert stamped_other is not None
    assert stamped_one.pdf == stamped_other.pdf
    fonts = PdfReader(io.BytesIO(stamped_one.pdf)).pages[0]["/Resources"]["/Font"]
    assert (fonts["/F1"]["/BaseFont"], fonts["/F2"]["/BaseFont"]) == ("/A", "/B")


def test_the_clock_of_the_export_leaves_no_trace() -> None:
    first = stamp_export(_pdf((595.3, 841.9), clock="D:20261122101010"), META)
    second = stamp_export(_pdf((595.3, 841.9), clock="D:20270101000000"), META)
    assert first is not None
    assert second is not None
    assert first.pdf == second.pdf
    assert b"2026112" not in first.pdf


def test_the_id_follows_the_content() -> None:
    one = stamp_export(_pdf((595.3, 841.9), text=b"BT (a) Tj ET"), META)
    other = stamp_export(_pdf((595.3, 841.9), text=b"BT (b) Tj ET"), META)
    assert one is not None
    assert other is not None
    id_one = PdfReader(io.BytesIO(one.pdf)).trailer["/ID"]
    assert id_one[0] == id_one[1]
    assert id_one != PdfReader(io.BytesIO(other.pdf)).trailer["/ID"]


def test_a_file_that_is_not_plain_is_left_to_pypdf() -> None:
    plain = _pdf((595.3, 841.9))
    update = b"1 0 obj\n<<>>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<</Size 2/Prev 9>>"
    incremental = plain + update + b"\nstartxref\n%d\n%%%%EOF\n" % len(plain)
    assert stamp_export(incremental, META) is None
    assert stamp_export(plain.replace(b"/Root", b"/Encrypt 9 0 R /Root", 1), META) is None
    assert stamp_export(b"not a pdf", META) is None

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    xmp = StreamObject()
    xmp.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Length"): NumberObject(0)}
    )
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    with_xmp = io.BytesIO()
    writer.write(with_xmp)
    assert stamp_export(with_xmp.getvalue(), META) is None
    assert isinstance(writer._root_object, DictionaryObject)


@settings(max_examples=40, deadline=None)
@given(title=st.text(min_size=1, max_size=40), author=st.text(max_size=40))
def test_any_title_and_author_read_back_as_written(title: str, author: str) -> None:
    meta = Metadata(title, author, "件名", date(2026, 4, 1))
    stamped = stamp_export(_pdf((595.3, 841.9)), meta)
    assert stamped is not None
    info = PdfReader(io.BytesIO(stamped.pdf), strict=True).metadata
    assert info is not None
    assert (info["/Title"], info["/Author"]) == (title, author)
