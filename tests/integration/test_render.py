"""Every document kind through the real LibreOffice: structure, text, QR codes, identity."""

from __future__ import annotations

import io
import json
import re
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from generator.documents import SPECS
from generator.domain.era import wareki_long
from generator.domain.facility_token import verify
from generator.domain.kinds import DocumentKind
from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig
from generator.render.docx import TemplateSet
from generator.render.pdf import page_sizes, unembedded_fonts
from generator.render.pipeline import Renderer
from tests.cases import VARIANTS, facts, profile
from tests.conftest import KEYS_FILE, PROFILES, ROOT, SAMPLE

pytestmark = pytest.mark.libreoffice


def _text(pdf: bytes) -> str:
    """The text layer, with every space and line break removed (names may wrap)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


def _qr_codes(pdf: bytes, page: int = 0) -> list[str]:
    image = pdfium.PdfDocument(pdf)[page].render(scale=300 / 72, grayscale=True).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.fixture(scope="module")
def rendered(pool, keys) -> dict[DocumentKind, dict[str, bytes]]:  # type: ignore[no-untyped-def]
    renderer = Renderer(pool, keys=keys)
    result: dict[DocumentKind, dict[str, bytes]] = {}
    for kind in SPECS:
        elderly = kind is DocumentKind.ELDERLY_CERTIFICATE
        jobs = [(facts(v, elderly=elderly), profile()) for v in VARIANTS]
        result[kind] = dict(zip(VARIANTS, renderer.render_chunk(kind, jobs), strict=True))
    return result


@pytest.mark.parametrize("kind", list(SPECS))
def test_structure_and_text_layer(rendered, kind: DocumentKind) -> None:  # type: ignore[no-untyped-def]
    spec = SPECS[kind]
    page_size = TemplateSet().compiled(spec.template).page_size
    for variant, pdf in rendered[kind].items():
        member = facts(variant, elderly=kind is DocumentKind.ELDERLY_CERTIFICATE).member
        assert len(PdfReader(io.BytesIO(pdf)).pages) == spec.pages
        assert all(size == pytest.approx(page_size, abs=0.5) for size in page_sizes(pdf))
        assert unembedded_fonts(pdf) == []
        text = _text(pdf)
        assert member.name.replace(" ", "") in text, variant
        assert wareki_long(member.birth_date) in text, variant
        assert "123456789012" not in text


def test_the_ratio_or_the_mask(rendered) -> None:  # type: ignore[no-untyped-def]
    certificates = rendered[DocumentKind.ELIGIBILITY_CERTIFICATE]
    assert "******" in _text(certificates["under-70"])
    assert "2割" in _text(certificates["elderly-20"])
    assert "3割" in _text(certificates["elderly-30"])
    assert "*******" in _text(rendered[DocumentKind.QUALIFICATION_NOTICE]["dependent"])


def test_both_qr_codes_decode_from_a_300_dpi_raster(rendered, keys) -> None:  # type: ignore[no-untyped-def]
    for variant, pdf in rendered[DocumentKind.QUALIFICATION_NOTICE].items():
        codes = _qr_codes(pdf)
        assert "https://myna.go.jp/" in codes, variant
        tokens = [code for code in codes if code.startswith("TEST1.")]
        assert len(tokens) == 1, variant
        claims = verify(keys, tokens[0])
        member = facts(variant).member
        assert member.insured_id.number not in tokens[0]
        assert claims.issued.isoformat() == "2025-12-01"


def test_identical_input_gives_identical_bytes_across_processes(rendered, keys) -> None:  # type: ignore[no-untyped-def]
    with LibreOfficePool(PoolConfig(workers=1)) as fresh:
        renderer = Renderer(fresh, keys=keys)
        for kind in (DocumentKind.QUALIFICATION_NOTICE, DocumentKind.ELIGIBILITY_CERTIFICATE):
            jobs = [(facts(v), profile()) for v in VARIANTS]
            again = dict(zip(VARIANTS, renderer.render_chunk(kind, jobs), strict=True))
            assert again == rendered[kind]


@pytest.mark.parametrize("kind", list(SPECS))
def test_documents_laid_out_together_export_the_bytes_each_gives_alone(pool, keys, kind) -> None:  # type: ignore[no-untyped-def]
    # The HTTP service coalesces requests into one layout; the bytes must not tell, and since
    # a document alone subsets fonts to its own glyphs, none carries a neighbour's name.
    # Long enough that LibreOffice lays the first pages out in an earlier pass than the rest:
    # a box too small for its content came out clipped there and not elsewhere.
    renderer = Renderer(pool, keys=keys)
    elderly = kind is DocumentKind.ELDERLY_CERTIFICATE
    jobs = [(facts(v, elderly=elderly), profile()) for v in VARIANTS] * 3
    together = renderer.render_each(kind, jobs)
    for job, pdf in zip(jobs, together, strict=True):
        assert pdf == renderer.render(kind, *job)


def test_render_command_writes_an_owner_only_pdf(tmp_path: Path) -> None:
    out = tmp_path / "notice.pdf"
    command = [
        sys.executable,
        "-m",
        "generator",
        "render",
        "qualification-notice",
        "--record",
        str(SAMPLE / "record-elderly.json"),
        "--profile",
        str(PROFILES / "kenpo-fy3.toml"),
        "--issue-date",
        "2025-12-01",
        "--facility-keys",
        str(KEYS_FILE),
        "-o",
        str(out),
    ]
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "髙橋𠮷男" in _text(out.read_bytes())
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    first = out.read_bytes()
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    assert out.read_bytes() == first
    token = next(code for code in _qr_codes(first) if code.startswith("TEST1."))
    verdict = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "token",
            "verify",
            token,
            "--facility-keys",
            str(KEYS_FILE),
            "--on",
            "2025-12-01",
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert json.loads(verdict.stdout)["valid"] is True


def test_render_command_reports_a_bad_record(tmp_path: Path) -> None:
    record = tmp_path / "r.json"
    data = json.loads((SAMPLE / "record-elderly.json").read_text(encoding="utf-8"))
    record.write_text(json.dumps({**data, "name": "山田 \U0001f600"}), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "render",
            "certificate-application",
            "--record",
            str(record),
            "--profile",
            str(PROFILES / "kyosai.toml"),
            "--issue-date",
            "2025-12-01",
            "-o",
            str(tmp_path / "o.pdf"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "DataError: record J0001, field name" in result.stderr
    assert not (tmp_path / "o.pdf").exists()


def test_the_facade_renders_from_a_plain_record() -> None:
    import generator

    record = json.loads((SAMPLE / "record-elderly.json").read_text(encoding="utf-8"))
    pdf = generator.render_pdf(
        "eligibility-certificate", record, PROFILES / "kenpo-years5.toml", date(2025, 12, 1)
    )
    text = _text(pdf)
    assert "髙橋𠮷男" in text
    assert "令和12年11月19日" in text  # 5 years, cut to the eve of the 75th birthday
    assert "3割" in text
