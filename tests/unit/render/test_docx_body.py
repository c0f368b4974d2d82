"""render/docx_body.py: a member's body XML as UTF-8 bytes, from a fresh page."""

from __future__ import annotations

import io

import pytest
from docxtpl import DocxTemplate
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.documents import spec_for
from generator.render.docx import TemplateSet
from generator.render.docx_body import (
    PARAGRAPH_NEWLINE,
    member_xml,
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


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_a_members_xml_is_jinjas_whole_render_in_utf8(text: str) -> None:
    """Encoded piece by piece as jinja renders it, a member's XML is the same bytes as the
    whole string encoded: any text, 外字 beyond the BMP, markup characters and tabs too."""
    templates = TemplateSet()
    spec = spec_for("certificate-application")
    compiled = templates.compiled(spec.template)
    assert compiled.skeleton is not None
    context = spec.build(facts("gaiji"), profile(), None).as_vars()
    context["relationship"] = text
    media = Media(compiled.skeleton)
    values = {key: template_value(media, value) for key, value in context.items()}
    whole = compiled.template.render(values).encode("utf-8")
    expected = PARAGRAPH_NEWLINE.sub(rb"<w:p\1", whole)
    if any(c in text for c in "\t\n\a\f"):  # docxtpl's listing pass: tabs, breaks as elements
        listing = DocxTemplate(io.BytesIO(compiled.raw))
        expected = listing.resolve_listing(expected.decode("utf-8")).encode("utf-8")
    assert member_xml(spec.template, compiled.template, values) == expected
