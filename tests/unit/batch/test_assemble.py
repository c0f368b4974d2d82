"""batch/assemble.py: a batch cut into rounds, and a large employer written round by round."""

from __future__ import annotations

import dataclasses
import json
import weakref
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from generator.batch import RunConfig, assemble, chunks, run
from generator.batch.assemble import rounds
from generator.render.convert.base import FakeConverter


@pytest.mark.parametrize(
    ("sizes", "size", "expected"),
    [
        ([3, 2], 120, [[(0, 0, 3), (1, 0, 2)]]),
        ([5], 2, [[(0, 0, 2)], [(0, 2, 4)], [(0, 4, 5)]]),
        ([2, 3, 1], 2, [[(0, 0, 2)], [(1, 0, 2)], [(1, 2, 3), (2, 0, 1)]]),
        ([0, 2], 2, [[(0, 0, 0), (1, 0, 2)]]),
    ],
)
def test_rounds(sizes: list[int], size: int, expected: list[list[tuple[int, int, int]]]) -> None:
    assert rounds(sizes, size) == expected


@given(
    st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=30),
    st.integers(min_value=1, max_value=150),
)
def test_rounds_hold_every_member_once_in_order_and_no_more_than_their_size(
    sizes: list[int], size: int
) -> None:
    cut = rounds(sizes, size)
    assert all(sum(stop - start for _, start, stop in pieces) <= size for pieces in cut)
    members = [(i, m) for pieces in cut for i, start, stop in pieces for m in range(start, stop)]
    assert members == [(i, m) for i, count in enumerate(sizes) for m in range(count)]
    if sum(sizes) <= size:
        assert len(cut) == 1, "a batch cut at its size is one round"


def test_an_employer_larger_than_a_round_is_written_round_by_round(
    config: RunConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same files, pages and bookmarks as in one round, while no round's converted
    chunks outlive it (nor its delivery's file, open across rounds, hold them)."""
    whole = dataclasses.replace(config, workers=1, out=tmp_path / "whole")
    run(whole, converter=FakeConverter())
    monkeypatch.setattr(assemble, "ROUND_MEMBERS", 3)
    alive: weakref.WeakSet[PdfReader] = weakref.WeakSet()
    left_over: list[int] = []
    convert = chunks.Chunks.convert

    def watched(self: chunks.Chunks, renderer: object, parallel: int = 1) -> None:
        left_over.append(len(alive))  # readers of rounds before this one, not yet let go
        convert(self, renderer, parallel)  # type: ignore[arg-type]
        alive.update(r for readers in self.readers.values() for r in readers)

    monkeypatch.setattr(chunks.Chunks, "convert", watched)
    cut = dataclasses.replace(config, workers=1)
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
