"""render/check.py: the template lint finds what would go wrong at render time."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
from docx.oxml.ns import qn

from generator.documents import spec_for
from generator.render.check import check_all, check_template
from generator.render.docx import TEMPLATES_DIR


def test_the_shipped_templates_are_clean() -> None:
    assert check_all() == []


def test_a_spoiled_template_is_caught(tmp_path: Path) -> None:
    spec = spec_for("certificate-application")
    shutil.copy(TEMPLATES_DIR / spec.template, tmp_path / spec.template)
    document = docx.Document(str(tmp_path / spec.template))
    paragraph = document.add_paragraph()
    paragraph.add_run("{{ nick")  # a tag split across two runs, as Word leaves it
    paragraph.add_run("name }}")
    foreign = document.add_paragraph().add_run("✂ MS明朝の文")
    foreign._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "ＭＳ 明朝")
    document.sections[0].header.add_paragraph("{{ insurer_name }}")
    document.save(str(tmp_path / spec.template))
    problems = "\n".join(check_template(spec, tmp_path))
    assert "unknown variable {{ nickname }}" in problems
    assert "split across runs" in problems
    assert "not a pinned one" in problems
    assert "U+2702" in problems
    assert "holds template tags" in problems


def test_unused_context_fields_and_missing_templates(tmp_path: Path) -> None:
    spec = spec_for("certificate-application")
    assert check_template(spec, tmp_path) == [f"{spec.template}: missing"]
    document = docx.Document(str(TEMPLATES_DIR / spec.template))
    for table in document.tables:
        for cell in table._cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.text = run.text.replace("{{ route_note }}", "")
    document.save(str(tmp_path / spec.template))
    assert f"{spec.template}: context field route_note is never shown" in check_template(
        spec, tmp_path
    )
