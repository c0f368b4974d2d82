"""Proof sheets (校正刷り): every template rendered with ordinary, longest and 外字 data,
preflighted, pictured page by page and on one contact sheet per document, with an HTML page
that shows it all, so a template change is seen before it is printed.

With a previous proof to compare with, each page is shown old beside new with the pixels
that changed in red: the visual snapshot test, for an insurer's own templates.

Layout of ``out``: ``index.html``, ``proof.json``, and a folder per document holding each
data set's PDF, its pages as PNGs (``SAMPLE-pN.png``), the differences
(``SAMPLE-pN-diff.png``) and the contact sheet (``sheet.png``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PIL import Image

from generator.domain.facility_token import KeyRing
from generator.errors import DataError, ProfileError, TemplateError
from generator.outputs import write_private
from generator.preflight import preflight
from generator.profiles import Profile
from generator.proof import sheets
from generator.proof.page import write_page
from generator.proof.render import ENTRIES, Entry, Render, renderer_for
from generator.proof.samples import SAMPLES, Sample
from generator.render.convert.base import Converter
from generator.render.docx import TemplateSet
from generator.render.pipeline import Renderer

__all__ = ["PROOF_KEYS", "ProofConfig", "proof"]

#: The key a proof signs the facility QR with when no keys are given: a proof is never
#: mailed, and its QR must not scan as valid at a facility.
PROOF_KEYS = KeyRing.parse("PROOF:" + base64.b64encode(hashlib.sha256(b"proof").digest()).decode())


@dataclass(frozen=True, slots=True)
class ProofConfig:
    """What to proof, and where the proof goes."""

    out: Path
    profile: Profile
    issue_date: date
    #: A folder of templates to proof (an insurer's edits); the bundled ones otherwise.
    #: Only the documents whose template file it holds are proofed.
    templates: Path | None = None
    #: A previous proof's folder: each page is compared with the same page there.
    compare: Path | None = None
    keys: KeyRing | None = None


@dataclass(slots=True)
class _Result:
    entry: Entry
    samples: list[dict[str, object]] = field(default_factory=list)


def _proof_sample(
    config: ProofConfig, render: Render, entry: Entry, sample: Sample
) -> tuple[dict[str, object], list[Image.Image]]:
    folder = config.out / entry.key
    result: dict[str, object] = {"sample": sample.key, "label": sample.label}
    try:
        pdf = render(entry, sample)
    except (DataError, ProfileError) as error:  # the data set does not fit: say which field
        result |= {"ok": False, "refused": f"{type(error).__name__}: {error}", "pages": []}
        return result, []
    write_private(folder / f"{sample.key}.pdf", pdf)
    report = preflight(pdf, window=entry.window)
    shots = sheets.pages(pdf)
    pages: list[dict[str, object]] = []
    for number, shot in enumerate(shots, start=1):
        name = f"{sample.key}-p{number}"
        sheets.save_png(shot, folder / f"{name}.png")
        page: dict[str, object] = {"page": number, "png": f"{entry.key}/{name}.png"}
        old = config.compare / entry.key / f"{name}.png" if config.compare else None
        if old is not None and old.is_file():
            with Image.open(old) as opened:
                before = opened.convert("RGB")
            diff = sheets.difference(before, shot)
            sheets.save_png(before, folder / f"{name}-old.png")
            sheets.save_png(diff.picture, folder / f"{name}-diff.png")
            page |= {
                "changed": round(diff.changed, 6),
                "old_png": f"{entry.key}/{name}-old.png",
                "diff_png": f"{entry.key}/{name}-diff.png",
            }
            if diff.box is not None and diff.changed < 1.0:
                sheets.save_png(sheets.zoom(before, shot, diff.box), folder / f"{name}-zoom.png")
                # Where on the page, as a reviewer says it: from the top, in per cent.
                top, bottom = diff.box[1] / shot.height, diff.box[3] / shot.height
                page |= {"zoom_png": f"{entry.key}/{name}-zoom.png",
                         "where": [round(top * 100), round(bottom * 100)]}  # fmt: skip
        elif config.compare is not None:
            page |= {"changed": 1.0}  # a page the old proof did not have
        pages.append(page)
    result |= {
        "ok": report.ok,
        "pdf": f"{entry.key}/{sample.key}.pdf",
        "page_count": report.pages,
        "violations": report.as_json()["violations"],
        "pages": pages,
    }
    return result, shots


def proof(config: ProofConfig, converter: Converter) -> dict[str, object]:
    """Write the proof into ``config.out``; returns what ``proof.json`` says. Its ``ok`` is
    false when a page breaks a preflight rule or a data set does not fit."""
    templates = TemplateSet(config.templates) if config.templates else TemplateSet()
    entries = [e for e in ENTRIES if (templates.directory / e.template).is_file()]
    if not entries:
        raise TemplateError(f"{templates.directory} holds none of the templates to proof")
    keys = config.keys or PROOF_KEYS
    render = renderer_for(Renderer(converter, templates, keys), config.profile,
                          config.issue_date)  # fmt: skip
    results = []
    for entry in entries:
        result = _Result(entry)
        columns = []
        for sample in SAMPLES:
            outcome, shots = _proof_sample(config, render, entry, sample)
            result.samples.append(outcome)
            columns.append((sample.label, shots))
        sheets.save_png(sheets.contact_sheet(columns), config.out / entry.key / "sheet.png")
        results.append(result)
    summary: dict[str, object] = {
        "ok": all(s["ok"] for r in results for s in r.samples),
        "issue_date": config.issue_date.isoformat(),
        "profile": config.profile.id,
        "templates": str(config.templates) if config.templates else "bundled",
        "compared_with": str(config.compare) if config.compare else None,
        "proof_keys": config.keys is None,
        "documents": [
            {
                "key": r.entry.key,
                "name": r.entry.name,
                "template": r.entry.template,
                "sheet": f"{r.entry.key}/sheet.png",
                "samples": r.samples,
            }
            for r in results
        ],
    }
    write_private(
        config.out / "proof.json",
        json.dumps(summary, ensure_ascii=False, indent=2).encode("utf-8"),
    )
    write_page(config.out / "index.html", summary)
    return summary
