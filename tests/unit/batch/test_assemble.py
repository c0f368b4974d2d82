"""batch/assemble.py: a large employer written round by round."""

from __future__ import annotations

import dataclasses
import json
import weakref
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from generator.batch import RunConfig, chunks, run
from generator.render.convert.base import FakeConverter


@pytest.mark.parametrize(("ceiling", "value"), [("batch_members", 3), ("batch_pages", 10)])
def test_an_employer_larger_than_a_round_is_written_round_by_round(
    config: RunConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ceiling: str, value: int
) -> None:
    """The same files, pages and bookmarks as in one round, while no round's converted
    chunks outlive it (nor its delivery's file, open across rounds, hold them)."""
    whole = dataclasses.replace(config, workers=1, out=tmp_path / "whole")
    run(whole, converter=FakeConverter())
    alive: weakref.WeakSet[PdfReader] = weakref.WeakSet()
    left_over: list[int] = []
    convert = chunks.Chunks.convert

    def watched(self: chunks.Chunks, renderer: object, parallel: int = 1) -> None:
        left_over.append(len(alive))  # readers of rounds before this one, not yet let go
        convert(self, renderer, parallel)  # type: ignore[arg-type]
        alive.update(r for readers in self.readers.values() for r in readers)

    monkeypatch.setattr(chunks.Chunks, "convert", watched)
    cut = dataclasses.replace(config, workers=1, **{ceiling: value})  # type: ignore[arg-type]
    run(cut, converter=FakeConverter())
    files = sorted(p.name for p in (whole.out / "deliveries").glob("*.pdf"))
    assert files == sorted(p.name for p in (cut.out / "deliveries").glob("*.pdf"))
    assert _manifest(cut.out)["records"] == _manifest(whole.out)["records"]
    for name in files:
        assert _layout(cut.out / "deliveries" / name) == _layout(whole.out / "deliveries" / name)
    assert max(len(_layout(whole.out / "deliveries" / n)[1]) for n in files) > 3, (
        "some delivery spans several rounds"
    )
    assert len(left_over) > len(files)
    assert set(left_over) == {0}


def _manifest(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "manifest.json").read_text(encoding="utf-8")))


def _layout(pdf: Path) -> tuple[int, list[tuple[str, int]]]:
    """Page count, and each bookmark's title and page."""
    reader = PdfReader(pdf)
    marks = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline]  # type: ignore[union-attr]
    return len(reader.pages), marks
