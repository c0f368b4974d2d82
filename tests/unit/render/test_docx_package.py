"""render/docx_package.py: a chunk's package, byte for byte what python-docx would write."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import docx
import pytest
from docx.shared import Mm
from docxtpl import DocxTemplate

from generator.documents import SPECS
from generator.documents.values import BarcodeImage, QrImage, TemplateValue
from generator.render.docx import TemplateSet, _PackageDrawings
from generator.render.docx_body import body_parts
from generator.render.qr import qr_png
from tests.cases import facts, profile


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def _python_docx_build(
    templates: TemplateSet, name: str, contexts: Sequence[Mapping[str, TemplateValue]]
) -> bytes:
    """The route the skeleton replaced: python-docx opens the template for every chunk, each
    image goes into its package, and it saves every part again."""
    compiled = templates.compiled(name)
    document = DocxTemplate(io.BytesIO(compiled.raw))
    document.render_init()
    document.current_rendering_part = document.docx._part
    parts = body_parts(name, compiled.template, _PackageDrawings(document), True, contexts)
    document.docx.element.body.clear()
    before, _, after = document.docx.part.blob.partition(b"<w:body/>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        with target.open(_entry("word/document.xml"), "w") as stream:
            for part in itertools.chain((before,), parts, (after,)):
                stream.write(part)
        package = io.BytesIO()
        document.docx.save(package)
        with zipfile.ZipFile(package) as source:
            for info in source.infolist():
                if info.filename != "word/document.xml":
                    target.writestr(_entry(info.filename), source.read(info))
    return out.getvalue()


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_template_packs_as_python_docx_would(kind: str, keys) -> None:  # type: ignore[no-untyped-def]
    """QR codes shared by every member (マイナポータル) and each member's own, the
    address's barcode, no images at all (sender list). The shipped templates leave rId1
    free: python-docx fills the gap."""
    spec = SPECS[kind]
    variants = ("elderly-20", "elderly-30")
    contexts = [spec.build(facts(v), profile(), keys).as_vars() for v in variants]
    templates = TemplateSet()
    assert templates.render(spec.template, contexts) == _python_docx_build(
        templates, spec.template, contexts
    )


def test_a_template_with_an_image_of_its_own(tmp_path: Path) -> None:
    """The template's logo is image1 already: a member's image of the same bytes reuses its
    part and relationship, a new one becomes image2 with the next free rId."""
    document = docx.Document()
    document.add_picture(io.BytesIO(qr_png("logo")), width=Mm(10))
    document.add_paragraph("{{ logo }} {{ own }} {{ bars }}")
    document.save(str(tmp_path / "logo.docx"))
    templates = TemplateSet(tmp_path)
    contexts: list[Mapping[str, TemplateValue]] = [
        {"logo": QrImage("logo", 12), "own": QrImage(f"{n}", 20), "bars": BarcodeImage("1234")}
        for n in range(3)
    ]
    data = templates.render("logo.docx", contexts)
    assert data == _python_docx_build(templates, "logo.docx", contexts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = sorted(n for n in archive.namelist() if n.startswith("word/media/"))
    assert len(media) == 1 + 3 + 1  # the logo, each member's own code, one barcode


def test_the_parsed_route_still_takes_images(tmp_path: Path) -> None:
    """A template with column tags ({%tc %}) is parsed so docxtpl can mend its tables; its
    images still go into python-docx's package."""
    document = docx.Document()
    document.add_paragraph("{{ qr }}")
    cells = document.add_table(rows=1, cols=3).rows[0].cells
    tags = ("{%tc for c in cols %}", "{{ c.text }}", "{%tc endfor %}")
    for cell, text in zip(cells, tags, strict=True):
        cell.paragraphs[0].text = text
    document.save(str(tmp_path / "columns.docx"))
    templates = TemplateSet(tmp_path)
    assert templates.compiled("columns.docx").fixes_tables
    context = {"qr": QrImage("x", 20), "cols": [{"text": t} for t in "abc"]}
    data = templates.render("columns.docx", [context])
    rendered = docx.Document(io.BytesIO(data))
    assert [c.text for c in rendered.tables[0].rows[0].cells] == ["a", "b", "c"]
    assert len(rendered.inline_shapes) == 1
