"""python -m generator preflight: exit status and the JSON report on a PDF that breaks rules."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfWriter

from generator.cli import main


def test_a_letter_size_blank_fails_with_its_page_named(tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.write(pdf)
    result = CliRunner().invoke(main, ["preflight", "--json", str(pdf)])
    assert result.exit_code == 1
    (report,) = json.loads(result.output)["files"]
    assert not report["ok"]
    assert report["violations"] == [
        {
            "rule": "page-size",
            "page": 1,
            "where": "(0.0, 0.0)–(215.9, 279.4) mm",
            "measured": "215.9 × 279.4 mm",
            "limit": "A4 or はがき",
        }
    ]


def test_a_clean_a4_page_passes(tmp_path: Path) -> None:
    pdf = tmp_path / "a4.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595.28, 841.89)
    writer.write(pdf)
    result = CliRunner().invoke(main, ["preflight", str(pdf)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("1 page(s), ok\n")
