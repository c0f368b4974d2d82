"""render/docx.py: chunks of members in one DOCX, autoescaping, strict variables."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from generator.documents import SPECS, spec_for
from generator.errors import TemplateError
from generator.render.docx import TemplateSet
from tests.cases import facts, profile


def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode()


def test_a_chunk_holds_each_member_from_a_fresh_page(keys) -> None:  # type: ignore[no-untyped-def]
    spec = spec_for("qualification-notice")
    contexts = [
        spec.build(facts(v), profile(), keys).as_vars() for v in ("under-70", "gaiji", "dependent")
    ]
    xml = _document_xml(TemplateSet().render(spec.template, contexts))
    assert xml.count("<w:pageBreakBefore/>") == 2
    assert xml.count("<w:sectPr") == 1
    for name in ("若林 誠", "山田 陽菜"):
        assert name in xml
    assert xml.count("<pic:pic") == 6  # two QR codes each
    ids = [part.split('"')[0] for part in xml.split('<wp:docPr id="')[1:]]
    assert len(ids) == len(set(ids))  # image ids stay unique across members


def test_names_with_markup_characters_render_as_text() -> None:
    spec = spec_for("certificate-application")
    context = spec.build(facts("under-70"), profile(), None).as_vars()
    context["birth_date"] = 'R&D <部> "x"'
    data = TemplateSet().render(spec.template, [context])
    text = "\n".join(
        p.text
        for t in docx.Document(io.BytesIO(data)).tables
        for c in t._cells
        for p in c.paragraphs
    )
    assert 'R&D <部> "x"' in text


def test_an_undefined_variable_is_an_error() -> None:
    spec = spec_for("certificate-application")
    context = spec.build(facts("under-70"), profile(), None).as_vars()
    del context["birth_date"]
    with pytest.raises(TemplateError, match="birth_date"):
        TemplateSet().render(spec.template, [context])


def test_nothing_to_render_and_missing_templates(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="nothing"):
        TemplateSet().render("qualification-notice.docx", [])
    with pytest.raises(TemplateError, match="cannot be loaded"):
        TemplateSet(tmp_path).compiled("absent.docx")


def test_page_sizes_come_from_the_templates() -> None:
    templates = TemplateSet()
    assert templates.compiled("qualification-notice.docx").page_size == pytest.approx(
        (595.3, 841.9), abs=0.1
    )
    assert templates.compiled("eligibility-certificate-postcard.docx").page_size == pytest.approx(
        (283.45, 419.55), abs=0.1
    )


def test_a_newline_in_a_value_still_breaks_the_line() -> None:
    """docxtpl's listing pass runs only when some text holds a tab or newline."""
    spec = spec_for("certificate-application")
    context = spec.build(facts("under-70"), profile(), None).as_vars()
    plain = _document_xml(TemplateSet().render(spec.template, [context]))
    context["birth_date"] = "一行目\n二行目"
    broken = _document_xml(TemplateSet().render(spec.template, [context]))
    assert broken.count("<w:br/>") == plain.count("<w:br/>") + 1
    assert "\n二行目" not in broken


def test_tables_keep_their_own_grids(keys) -> None:  # type: ignore[no-untyped-def]
    """Without {%tc %} tags no row gains cells, so docxtpl's fix_tables is skipped: it took
    the notice card's nested cells for the outer frame's and widened the frame's grid."""
    templates = TemplateSet()
    assert not any(templates.compiled(spec.template).fixes_tables for spec in SPECS.values())
    spec = spec_for("qualification-notice")
    context = spec.build(facts("under-70"), profile(), keys).as_vars()
    document = docx.Document(io.BytesIO(templates.render(spec.template, [context])))
    for table in document.tables:
        grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
        assert len(grid) == max(len(row._tr.tc_lst) for row in table.rows)


def test_a_template_that_renders_broken_xml_is_named(tmp_path: Path) -> None:
    """A tag that lets markup through (``|safe``) must fail here, not half-load in LibreOffice."""
    document = docx.Document()
    document.add_paragraph("{{ fragment|safe }}")
    document.save(str(tmp_path / "broken.docx"))
    templates = TemplateSet(tmp_path)
    assert templates.render("broken.docx", [{"fragment": "<w:br/>"}])  # well formed: fine
    with pytest.raises(TemplateError, match=r"broken\.docx renders broken XML"):
        templates.render("broken.docx", [{"fragment": "<w:p>"}])


def test_the_same_documents_give_the_same_docx_bytes(keys) -> None:  # type: ignore[no-untyped-def]
    spec = spec_for("qualification-notice")
    contexts = [spec.build(facts(v), profile(), keys).as_vars() for v in ("under-70", "gaiji")]
    templates = TemplateSet()
    assert templates.render(spec.template, contexts) == templates.render(spec.template, contexts)


@pytest.mark.parametrize("kind", ["qualification-notice", "eligibility-certificate"])
def test_a_stored_docx_holds_the_same_parts_uncompressed(kind: str, keys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The bulk run's DOCX, written to the file LibreOffice reads: every part as the
    compressed package has it, none compressed."""
    spec = spec_for(kind)
    contexts = [spec.build(facts(v), profile(), keys).as_vars() for v in ("under-70", "gaiji")]
    templates = TemplateSet()
    path = tmp_path / "chunk.docx"
    with path.open("wb") as out:
        templates.write(spec.template, contexts, out, stored=True)
    with (
        zipfile.ZipFile(path) as stored,
        zipfile.ZipFile(io.BytesIO(templates.render(spec.template, contexts))) as packed,
    ):
        assert {i.compress_type for i in stored.infolist()} == {zipfile.ZIP_STORED}
        assert {i.compress_type for i in packed.infolist()} == {zipfile.ZIP_DEFLATED}
        assert stored.namelist() == packed.namelist()
        assert all(stored.read(name) == packed.read(name) for name in packed.namelist())


@pytest.mark.parametrize(
    "reach",
    [
        "{{ cycler.__init__.__globals__.os.getcwd() }}",
        "{{ value.__class__.__mro__ }}",
        "{{ value.upper.__self__.__class__.__subclasses__() }}",
    ],
)
def test_a_template_from_elsewhere_reaches_nothing_but_its_values(
    tmp_path: Path, reach: str
) -> None:
    """An insurer's uploaded template is rendered in jinja's sandbox: a tag that reaches
    for Python's internals (and from there the machine) is refused, not run."""
    document = docx.Document()
    document.add_paragraph("{{ value }} " + reach)
    document.save(str(tmp_path / "uploaded.docx"))
    templates = TemplateSet(tmp_path)
    assert templates.sandboxed
    assert not TemplateSet().sandboxed
    with pytest.raises(TemplateError, match=r"uploaded\.docx reaches beyond its values"):
        templates.render("uploaded.docx", [{"value": "text"}])
