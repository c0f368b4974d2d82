"""batch/batches.py: a large employer's members decided as they are read, the same as held."""

from __future__ import annotations

import dataclasses
import gc

import pytest

from generator.batch import RunConfig
from generator.batch.batches import DecidedMembers
from generator.batch.plan import Planned
from generator.domain.models import Member
from generator.errors import DataError
from generator.records import read_records


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
