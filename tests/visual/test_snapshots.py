"""Visual snapshots: each kind × (under 70, 70–74 at 2割, at 3割, a dependent, a long name,
a 外字 name), rendered through the real LibreOffice, rasterised with pypdfium2 and compared
with the baselines under tests/visual/baselines.

Tolerance: a pixel differs when its grey level moves by more than 48 of 255, and a page
passes while at most 0.01 % of its pixels differ (about 100 on A4 at 100 dpi: anti-aliasing
noise; one missing character of a 7.5 pt name is more).
On a failure, actual, expected and diff PNGs are written to tests/visual/output/. Baselines
change only with ``pytest --update-snapshots``.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from generator.documents import SPECS
from generator.domain.kinds import DocumentKind
from generator.render.pipeline import Renderer
from tests.cases import VARIANTS, facts, profile

pytestmark = pytest.mark.libreoffice

HERE = Path(__file__).resolve().parent
BASELINES = HERE / "baselines"
OUTPUT = HERE / "output"
DPI = 100
LEVEL = 48
MAX_DIFFERING = 0.0001


@pytest.fixture(scope="module")
def chunks(pool, keys) -> dict[DocumentKind, dict[str, bytes]]:  # type: ignore[no-untyped-def]
    renderer = Renderer(pool, keys=keys)
    result = {}
    for kind in SPECS:
        elderly = kind is DocumentKind.ELDERLY_CERTIFICATE
        jobs = [(facts(v, elderly=elderly), profile()) for v in VARIANTS]
        result[kind] = dict(zip(VARIANTS, renderer.render_chunk(kind, jobs), strict=True))
    return result


def _pages(pdf: bytes) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    return [page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L") for page in document]


def _differing(actual: Image.Image, expected: Image.Image) -> tuple[float, Image.Image]:
    diff = ImageChops.difference(actual, expected).point(lambda v: 255 if v > LEVEL else 0)
    count = diff.histogram()[255]
    return count / (actual.width * actual.height), diff


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("kind", list(SPECS))
def test_snapshot(chunks, request, kind: DocumentKind, variant: str) -> None:  # type: ignore[no-untyped-def]
    update = request.config.getoption("--update-snapshots")
    for number, actual in enumerate(_pages(chunks[kind][variant]), start=1):
        name = f"{kind.value}/{variant}-p{number}.png"
        baseline = BASELINES / name
        if update:
            baseline.parent.mkdir(parents=True, exist_ok=True)
            actual.save(baseline, optimize=True)
            continue
        assert baseline.is_file(), (
            f"no baseline {name}: run pytest --update-snapshots and review it"
        )
        expected = Image.open(baseline).convert("L")
        assert actual.size == expected.size, f"{name}: page size changed"
        share, diff = _differing(actual, expected)
        if share > MAX_DIFFERING:
            out = OUTPUT / kind.value
            out.mkdir(parents=True, exist_ok=True)
            stem = f"{variant}-p{number}"
            actual.save(out / f"{stem}-actual.png")
            expected.save(out / f"{stem}-expected.png")
            diff.save(out / f"{stem}-diff.png")
        assert share <= MAX_DIFFERING, f"{name}: {share:.2%} of pixels differ (see {OUTPUT})"


def test_the_comparison_catches_a_box_moved_by_a_millimetre() -> None:
    baseline = Image.open(BASELINES / "eligibility-certificate" / "under-70-p1.png").convert("L")
    assert _differing(baseline, baseline.copy())[0] == 0
    moved = ImageChops.offset(baseline, 0, round(DPI / 25.4))
    assert _differing(moved, baseline)[0] > MAX_DIFFERING
