"""render/docx_body.py: a member's body XML as UTF-8 bytes, from a fresh page, streamed."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pytest
from docxtpl import DocxTemplate
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.documents import spec_for
from generator.documents.letters import COVER_TEMPLATE, Recipient, cover
from generator.documents.sender_list import SENDER_LIST_TEMPLATE, sender_list
from generator.documents.values import TemplateValue
from generator.domain.kinds import DocumentKind
from generator.domain.models import PostalAddress
from generator.render.docx import TemplateSet
from generator.render.docx_body import (
    _from_new_page,
    _numbered,
    body_parts,
    member_pieces,
    number_drawings,
    start_on_new_page,
    template_value,
)
from generator.render.docx_package import Media
from tests.cases import facts, profile


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"<w:p><w:r/></w:p>", b"<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r/></w:p>"),
        (
            b"<w:p><w:pPr><w:jc/></w:pPr></w:p>",
            b"<w:p><w:pPr><w:pageBreakBefore/><w:jc/></w:pPr></w:p>",
        ),
        (
            b'<w:p><w:pPr><w:pStyle w:val="T"/><w:jc/></w:pPr></w:p>',
            b'<w:p><w:pPr><w:pStyle w:val="T"/><w:pageBreakBefore/><w:jc/></w:pPr></w:p>',
        ),
        (
            b' \n<w:p w:rsidR="1"><w:pPr><w:pStyle w:val="T"/></w:pPr></w:p>',
            b'<w:p w:rsidR="1"><w:pPr><w:pStyle w:val="T"/><w:pageBreakBefore/></w:pPr></w:p>',
        ),
    ],
)
def teststart_on_new_page(body: bytes, expected: bytes) -> None:
    assert start_on_new_page(body) == expected


def test_a_body_opening_with_a_table_gets_a_break_paragraph() -> None:
    result = start_on_new_page(b"<w:tbl></w:tbl>")
    assert result.startswith(b"<w:p><w:pPr><w:pageBreakBefore/>")
    assert result.endswith(b"<w:tbl></w:tbl>")


def _whole_route(
    name: str, contexts: Sequence[Mapping[str, TemplateValue]], number: bool = True
) -> bytes:
    """The body as it was built before it streamed: each member's XML one string, mended,
    through docxtpl's listing pass whole, then cut, broken and numbered as one."""
    templates = TemplateSet()
    compiled = templates.compiled(name)
    assert compiled.skeleton is not None
    media = Media(compiled.skeleton)
    out, tail = [], b""
    for index, context in enumerate(contexts):
        values = {key: template_value(media, value) for key, value in context.items()}
        text = re.sub(r"\n<w:p([ >])", r"<w:p\1", compiled.template.render(values))
        if re.search(r"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]", text):
            text = DocxTemplate.resolve_listing(None, text)
        xml = text.encode("utf-8")
        start = re.compile(rb"<w:body[^>]*>").search(xml).end()  # type: ignore[union-attr]
        end = xml.rindex(b"<w:sectPr")
        if not index:
            out.append(xml[:start])
        body = start_on_new_page(xml[start:end]) if index else xml[start:end]
        out.append(number_drawings(body, media) if number else body)
        tail = xml[end:]
    return b"".join([*out, tail])


def _streamed(name: str, contexts: Sequence[Mapping[str, TemplateValue]]) -> bytes:
    compiled = TemplateSet().compiled(name)
    assert compiled.skeleton is not None
    media = Media(compiled.skeleton)
    return b"".join(body_parts(name, compiled.template, media, True, contexts))


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
EMPLOYER = Recipient(
    "株式会社𠮷野家商事",
    PostalAddress(postcode="1000013", address="東京都千代田区霞が関1-3-2"),
    True,
)


@settings(max_examples=30, deadline=None)
@given(_TEXT)
def test_a_form_streams_as_its_whole_render(text: str) -> None:
    """Any text in a field (外字 beyond the BMP, markup characters, tabs and line breaks that
    docxtpl's listing pass makes elements of): the body streamed piece by piece is the
    bytes of the whole route, for three members, each after the first from a fresh page."""
    spec = spec_for("certificate-application")
    contexts = []
    for variant in ("gaiji", "elderly-20", "elderly-30"):
        context = spec.build(facts(variant), profile(), None).as_vars()
        context["relationship"] = text
        contexts.append(context)
    assert _streamed(spec.template, contexts) == _whole_route(spec.template, contexts)


@settings(max_examples=15, deadline=None)
@given(_TEXT)
def test_letters_and_notices_stream_as_their_whole_render(keys, text: str) -> None:  # type: ignore[no-untyped-def]
    """Drawings numbered across members (QR codes, the address's barcode), a cover letter's
    notes with line breaks, sender-list pages of many rows: the same bytes either way."""
    notice = spec_for("qualification-notice")
    notices = [notice.build(facts(v), profile(), keys).as_vars() for v in ("gaiji", "elderly-30")]
    assert _streamed(notice.template, notices) == _whole_route(notice.template, notices)
    kinds = {DocumentKind.QUALIFICATION_NOTICE: 2}
    letters = [cover(EMPLOYER, profile(), "令和7年12月1日", kinds, 2, text).as_vars()] * 2
    assert _streamed(COVER_TEMPLATE, letters) == _whole_route(COVER_TEMPLATE, letters)
    member = facts("gaiji").member
    entries = [(member, (DocumentKind.QUALIFICATION_NOTICE,))] * 25
    pages = [p.as_vars() for p in sender_list(EMPLOYER, profile(), text or "-", entries)]
    assert _streamed(SENDER_LIST_TEMPLATE, pages) == _whole_route(SENDER_LIST_TEMPLATE, pages)


def test_a_form_without_line_breaks_is_never_whole() -> None:
    """The listing pass has nothing to do: the pieces are jinja's own, never joined."""
    spec = spec_for("certificate-application")
    compiled = TemplateSet().compiled(spec.template)
    assert compiled.skeleton is not None
    context = spec.build(facts("gaiji"), profile(), None).as_vars()
    values = {k: template_value(Media(compiled.skeleton), v) for k, v in context.items()}
    pieces, mended = member_pieces(spec.template, compiled.template, values)
    assert not mended
    assert len(pieces) > 10


@pytest.mark.parametrize("cut", range(1, 40))
def test_a_drawing_split_between_parts_is_numbered_once(cut: int) -> None:
    """A drawing's tag left open at one part's end is numbered with the next part."""
    body = b'<w:p><wp:docPr id="7" name="a"/><wp:docPr id="9" name="b"/></w:p>'
    compiled = TemplateSet().compiled("certificate-application.docx")
    assert compiled.skeleton is not None
    parts = iter([body[:cut], body[cut:]])
    numbered = b"".join(_numbered(parts, Media(compiled.skeleton)))
    assert numbered == body.replace(b'id="7"', b'id="1001"').replace(b'id="9"', b'id="1002"')


@pytest.mark.parametrize("size", [1, 3, 50])
def test_a_body_in_small_parts_starts_on_a_new_page_as_whole(size: int) -> None:
    body = b' \n<w:p w:rsidR="1"><w:pPr><w:pStyle w:val="T"/></w:pPr><w:r/></w:p>' * 200
    parts = iter([body[i : i + size] for i in range(0, len(body), size)])
    assert b"".join(_from_new_page(parts)) == start_on_new_page(body)
