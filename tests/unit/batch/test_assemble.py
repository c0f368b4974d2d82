"""batch/assemble.py: a converted chunk is read when its pages are first taken, let go after."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import pytest
from pypdf import PdfWriter

from generator.batch.assemble import CHUNK_DOCUMENTS, _Chunks, _Converted
from generator.errors import ConversionError


def _pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for number in range(pages):
        writer.add_blank_page(200 + number, 300)  # each page told apart by its width
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Pipeline:
    """Stands in for the renderer: each chunk comes back as blank pages, as many as asked."""

    def convert(
        self, template: str, pages_each: int, contexts: Sequence[Mapping[str, object]]
    ) -> bytes:
        return _pdf(pages_each * len(contexts))


def _chunks(documents: int) -> _Chunks:
    chunks = _Chunks()
    for _ in range(documents):
        chunks.add("notice.docx", 2, {})
    chunks.convert(_Pipeline())  # type: ignore[arg-type]
    return chunks


def test_a_chunk_is_read_when_its_first_page_is_taken_and_let_go_after_its_last() -> None:
    chunks = _chunks(CHUNK_DOCUMENTS + 5)
    first, second = chunks.converted["notice.docx"]
    assert first is not None
    assert second is not None
    assert (first.documents, second.documents) == (CHUNK_DOCUMENTS, 5)
    assert first.reader is None  # bytes until the assembly
    assert second.reader is None
    pages = chunks.take(("notice.docx", 2 * CHUNK_DOCUMENTS), 2)
    assert [float(page.mediabox.width) for page in pages] == [200, 201]
    assert first.reader is None
    assert second.reader is not None
    rest = chunks.take(("notice.docx", 2 * CHUNK_DOCUMENTS + 2), 8)
    assert [float(page.mediabox.width) for page in rest] == list(range(202, 210))
    assert chunks.converted["notice.docx"] == [first, None]
    with pytest.raises(RuntimeError, match="taken twice"):
        chunks.take(("notice.docx", 2 * CHUNK_DOCUMENTS), 1)


def test_every_page_is_handed_out_once_in_order() -> None:
    chunks = _chunks(2 * CHUNK_DOCUMENTS + 1)
    widths = [
        float(page.mediabox.width)
        for document in range(2 * CHUNK_DOCUMENTS + 1)
        for page in chunks.take(("notice.docx", 2 * document), 2)
    ]
    per_chunk = [200 + n for n in range(2 * CHUNK_DOCUMENTS)]
    assert widths == per_chunk + per_chunk + [200, 201]
    assert chunks.converted["notice.docx"] == [None, None, None]


def test_a_chunk_that_does_not_count_out_fails_when_read() -> None:
    chunks = _Chunks()
    chunks.add("notice.docx", 2, {})
    chunks.converted["notice.docx"].append(_Converted(_pdf(3), 1, 2))  # 3 pages for 1 × 2
    with pytest.raises(ConversionError, match="overflowed"):
        chunks.take(("notice.docx", 0), 2)
