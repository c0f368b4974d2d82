"""batch/batches.py: a large employer's members decided as they are read, the same as held;
a batch whose conversion died rendered again whole."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

import pytest

from fixtures.generate import members, write
from generator.batch import RunConfig, run
from generator.batch.batches import BATCH_ATTEMPTS, DecidedMembers
from generator.batch.plan import Planned
from generator.domain.models import Member
from generator.errors import ConversionError, DataError
from generator.records import read_records
from generator.render.convert.base import FakeConverter


def _rows(config: RunConfig) -> list[tuple[int, str]]:
    """The member file's records that a run would render, as the run state stores them."""
    rows = []
    for seq, item in enumerate(read_records(config.input)):
        if not isinstance(item, Member):
            continue
        try:
            DecidedMembers(config, [(seq, item.model_dump_json())])
        except DataError:
            continue
        rows.append((seq, item.model_dump_json()))
    return rows


def test_members_beyond_a_round_are_decided_when_read_and_the_same(
    config: RunConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _rows(config)[:10]
    held = DecidedMembers(config, rows)
    gc.collect()
    before = sum(1 for o in gc.get_objects() if isinstance(o, Planned))
    lazy = DecidedMembers(dataclasses.replace(config, batch_members=3), rows)
    assert sum(1 for o in gc.get_objects() if isinstance(o, Planned)) == before
    assert len(lazy) == len(held) == 10
    assert list(lazy) == list(held)
    assert lazy[2:5] == held[2:5]
    assert lazy[-1] == held[-1]


class _Dying(FakeConverter):
    """soffice dying in the first ``deaths`` conversions, as its pool reports a job that
    failed twice: the run must still give an unbroken run's bytes."""

    def __init__(self, deaths: int) -> None:
        super().__init__()
        self.deaths = deaths

    def convert(self, docx: bytes) -> bytes:
        if self.deaths:
            self.deaths -= 1
            self.calls += 1
            raise ConversionError("LibreOffice died twice in this job")
        return super().convert(docx)


@pytest.fixture
def one_batch(config: RunConfig, tmp_path: Path) -> RunConfig:
    """A small run in one batch, on one LibreOffice process."""
    small = tmp_path / "members.csv"
    write(members(24, seed=3), small, "utf-8")
    return dataclasses.replace(config, input=small, workers=1, batch_members=200)


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "deliveries").iterdir())}


@pytest.mark.parametrize("deaths", [1, BATCH_ATTEMPTS - 1])
def test_a_batch_whose_conversion_died_is_rendered_again_whole(
    one_batch: RunConfig, tmp_path: Path, deaths: int
) -> None:
    config = one_batch
    unbroken, dying = FakeConverter(), _Dying(deaths)
    run(dataclasses.replace(config, out=tmp_path / "unbroken"), converter=unbroken)
    run(config, converter=dying)
    assert _outputs(config.out) == _outputs(tmp_path / "unbroken")
    # Each death cost one conversion, then the batch's own: no delivery was rendered alone.
    assert dying.calls == unbroken.calls + deaths


def test_a_batch_that_keeps_dying_is_rendered_delivery_by_delivery(one_batch: RunConfig) -> None:
    config = one_batch
    counts = run(config, converter=_Dying(BATCH_ATTEMPTS))
    assert counts["errors"] == 0
    assert counts["delivered"] + counts["without_documents"] == counts["records"]
