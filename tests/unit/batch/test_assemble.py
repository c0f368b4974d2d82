"""batch/assemble.py: a large employer written round by round."""

from __future__ import annotations

import dataclasses
import gc
import json
import weakref
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from fixtures.generate import members, write
from generator.batch import RunConfig, chunks, run
from generator.render.convert.base import FakeConverter


@pytest.mark.parametrize(("ceiling", "value"), [("batch_members", 3), ("batch_pages", 10)])
def test_an_employer_larger_than_a_round_is_written_round_by_round(
    config: RunConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ceiling: str, value: int
) -> None:
    """The same files, pages and bookmarks as in one round, while no round's converted
    chunks outlive it (nor its delivery's file, open across rounds, hold them)."""
    small = tmp_path / "members.csv"  # the smallest file with employers of several members
    write(members(40, seed=5), small, "utf-8")
    config = dataclasses.replace(config, input=small)
    whole = dataclasses.replace(config, workers=1, out=tmp_path / "whole")
    run(whole, converter=FakeConverter())
    alive: weakref.WeakSet[PdfReader] = weakref.WeakSet()
    left_over: list[int] = []
    convert = chunks.Chunks.convert

    def watched(self: chunks.Chunks, renderer: object, parallel: int = 1) -> None:
        gc.collect()  # their pages point back at them: cyclic garbage, once let go
        left_over.append(len(alive))  # readers of rounds before this one still held
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


def test_every_document_starts_on_the_front_of_a_sheet(config: RunConfig) -> None:
    """A member's documents each open on an odd page (1-based), below the member's own
    bookmark: a card's faces are one sheet's two sides, and cutting it damages nothing."""
    run(dataclasses.replace(config, workers=1), converter=FakeConverter())
    documents = 0
    for pdf in (config.out / "deliveries").glob("*.pdf"):
        reader = PdfReader(pdf)
        assert len(reader.pages) % 2 == 0
        members = reader.outline
        for member, kinds in zip(members[::2], members[1::2], strict=True):
            assert not isinstance(member, list)
            assert isinstance(kinds, list)
            assert reader.get_destination_page_number(member) == (
                reader.get_destination_page_number(kinds[0])
            )
            for kind in kinds:
                documents += 1
                assert reader.get_destination_page_number(kind) % 2 == 0, (pdf.name, kind.title)
    manifest = _manifest(config.out)
    assert documents == sum(len(r["documents"]) for r in manifest["records"] if "documents" in r)


def _layout(pdf: Path) -> tuple[int, list[tuple[str, int]]]:
    """Page count, and each bookmark's title and page, documents' after their member's."""
    reader = PdfReader(pdf)

    def flat(items: list[Any]) -> list[tuple[str, int]]:
        found = []
        for item in items:
            if isinstance(item, list):
                found += flat(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))
        return found

    return len(reader.pages), flat(reader.outline)
