"""render/pipeline.py with the fake converter: chunking, splitting, finishing, font checks."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.documents import spec_for
from generator.domain.kinds import DocumentKind
from generator.errors import ConversionError, DataError, OutputError
from generator.facts import decide
from generator.records.schema import parse_record
from generator.render.convert.base import FakeConverter
from generator.render.pipeline import Renderer
from tests.cases import ISSUE, facts, profile
from tests.conftest import base_record


def test_one_conversion_per_chunk_and_one_pdf_per_member(keys) -> None:  # type: ignore[no-untyped-def]
    converter = FakeConverter()
    renderer = Renderer(converter, keys=keys)
    jobs = [(facts(v), profile()) for v in ("under-70", "elderly-20", "dependent")]
    pdfs = renderer.render_chunk(DocumentKind.ELIGIBILITY_CERTIFICATE, jobs)
    assert converter.calls == 1
    assert [len(PdfReader(io.BytesIO(p)).pages) for p in pdfs] == [2, 2, 2]
    meta = PdfReader(io.BytesIO(pdfs[0])).metadata
    assert meta is not None
    assert meta.title == "資格確認書"
    assert meta.subject == "資格確認書（令和7年12月1日交付）"


def test_render_each_lays_out_once_and_exports_each_member_alone(keys) -> None:  # type: ignore[no-untyped-def]
    converter = FakeConverter()
    renderer = Renderer(converter, keys=keys)
    jobs = [(facts(v), profile()) for v in ("under-70", "elderly-20", "dependent")]
    pdfs = renderer.render_each(DocumentKind.ELIGIBILITY_CERTIFICATE, jobs)
    assert converter.calls == 1
    assert [len(PdfReader(io.BytesIO(p)).pages) for p in pdfs] == [2, 2, 2]


def test_a_range_past_the_end_is_a_conversion_error() -> None:
    with pytest.raises(ConversionError, match="past the document's end"):
        FakeConverter().convert_ranges(_docx_of_pages(2), ["1-2", "3-4"])


def _docx_of_pages(pages: int) -> bytes:
    body = b"<w:pageBreakBefore/>" * (pages - 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document>" + body + b"</w:document>")
    return out.getvalue()


def test_a_character_no_font_has_stops_the_record(keys) -> None:  # type: ignore[no-untyped-def]
    member = parse_record(base_record(name="山田 \U0001f600"), where="x")
    with pytest.raises(DataError) as caught:
        Renderer(FakeConverter(), keys=keys).render(
            DocumentKind.CERTIFICATE_APPLICATION, decide(member, profile(), ISSUE), profile()
        )
    assert caught.value.field == "name"


def test_the_page_size_is_checked_against_the_template() -> None:
    # The fake converter makes A4 pages; the postcard template is はがき.
    with pytest.raises(OutputError, match="not 283"):
        Renderer(FakeConverter()).render(
            DocumentKind.ELIGIBILITY_CERTIFICATE_POSTCARD, facts("gaiji"), profile()
        )


def test_a_spooled_chunk_is_read_from_an_unnamed_file_closed_with_its_reader(
    keys,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """A bulk run's converted chunk waits in a file, not in memory: the file has no name in
    the spool folder (nothing to clean up after a crash) and is gone once closed."""
    renderer = Renderer(FakeConverter(), keys=keys)
    kind = DocumentKind.ELIGIBILITY_CERTIFICATE
    contexts = renderer._contexts(kind, [(facts("under-70"), profile())] * 3)
    spooled = renderer.convert(spec_for(kind).template, 2, contexts, spool=tmp_path)
    held = renderer.convert(spec_for(kind).template, 2, contexts)
    assert not isinstance(spooled.stream, io.BytesIO)
    assert list(tmp_path.iterdir()) == []
    assert [p.extract_text() for p in spooled.pages] == [p.extract_text() for p in held.pages]
    spooled.stream.close()
    assert spooled.stream.closed
