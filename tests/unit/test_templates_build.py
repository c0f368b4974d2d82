"""The committed templates are what their sources build (templates/build.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from templates import build

TEMPLATES = Path(build.__file__).parent


@pytest.mark.parametrize("name", build.names())
def test_source_builds_the_committed_template(name: str) -> None:
    assert build.build(name) == (TEMPLATES / f"{name}.docx").read_bytes(), (
        f"templates/{name}.docx differs from its source: run `python -m templates.build`"
    )


def test_every_template_has_a_source() -> None:
    assert sorted(p.stem for p in TEMPLATES.glob("*.docx")) == build.names()
