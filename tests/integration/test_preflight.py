"""Preflight on what the generator really prints: every kind with ordinary, longest and 外字
data through the real LibreOffice, and a delivery whose window holds the longest address and
name a record may have; what is longer is refused, never printed cut."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.documents import SPECS
from generator.domain.kinds import DocumentKind
from generator.preflight import preflight

# The longest an employer's name and address may be in the window (what their boxes hold
# at 8 pt, 2 and 3 lines): the proof's own longest data; one more character is refused.
from generator.proof.samples import LONGEST_ADDRESS, LONGEST_EMPLOYER
from generator.render.pipeline import Renderer
from tests.cases import LONG_NAME, VARIANTS, facts, profile
from tests.conftest import KEYS_FILE, PROFILES, ROOT, SAMPLE

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def rendered(pool, keys) -> dict[DocumentKind, dict[str, bytes]]:  # type: ignore[no-untyped-def]
    renderer = Renderer(pool, keys=keys)
    result: dict[DocumentKind, dict[str, bytes]] = {}
    for kind in SPECS:
        elderly = kind is DocumentKind.ELDERLY_CERTIFICATE
        for insurer in ("kenpo-fy3", "kyosai"):
            jobs = [(facts(v, elderly=elderly), profile(insurer)) for v in VARIANTS]
            for variant, pdf in zip(VARIANTS, renderer.render_chunk(kind, jobs), strict=True):
                result.setdefault(kind, {})[f"{insurer}/{variant}"] = pdf
    return result


@pytest.mark.parametrize("kind", list(SPECS))
def test_every_kind_passes_preflight(rendered, kind: DocumentKind) -> None:  # type: ignore[no-untyped-def]
    for case, pdf in rendered[kind].items():
        report = preflight(pdf)
        assert report.pages == SPECS[kind].pages
        assert report.ok, (case, [str(v) for v in report.violations])


def _rows(tmp_path: Path) -> Path:
    with (SAMPLE / "bulk.csv").open(encoding="utf-8") as handle:
        base = next(csv.DictReader(handle))
    changes = {
        "L1": {
            "name": LONG_NAME,
            "employer_name": LONGEST_EMPLOYER,
            "employer_address": LONGEST_ADDRESS,
        },
        "L2": {"name": "寿" * 10_000, "employer_code": "E901"},
        "L3": {"employer_address": LONGEST_ADDRESS + "棟", "employer_code": "E902"},
        "L4": {"employer_name": LONGEST_EMPLOYER + "東", "employer_code": "E903"},
        "L5": {"name": LONG_NAME + "末", "employer_code": "E904"},
    }
    path = tmp_path / "longest.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(base))
        writer.writeheader()
        for record_id, values in changes.items():
            writer.writerow({**base, "employer_code": "E900", **values, "record_id": record_id})
    return path


def test_the_longest_values_fit_the_window_and_longer_ones_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [
        sys.executable, "-m", "generator", "run", str(_rows(tmp_path)),
        "--profile", str(PROFILES / "kenpo-fy3.toml"), "--issue-date", "2025-12-01",
        "--kind", "enrolment", "--out", str(out), "--facility-keys", str(KEYS_FILE),
        "--workers", "1", "--preflight",
    ]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run"]["preflight_violations"] == 0
    assert [f["preflight"] for f in manifest["files"]] == [[]]
    with (out / "errors.csv").open(encoding="utf-8") as handle:
        refused = {(r["record_id"], r["field"]) for r in csv.DictReader(handle)}
    assert refused == {
        ("L2", "name"),
        ("L3", "employer_address"),
        ("L4", "employer_name"),
        ("L5", "name"),
    }
    (delivery,) = (out / "deliveries").glob("*.pdf")
    checked = subprocess.run(
        [sys.executable, "-m", "generator", "preflight", "--json", str(delivery)],
        check=True, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    (report,) = json.loads(checked.stdout)["files"]
    assert report["ok"]
    assert report["pages"] == 6  # cover + list; the notice and its blank back; the card
