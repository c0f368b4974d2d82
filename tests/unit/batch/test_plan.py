"""plan.py: pass 1 files every record in the store or in errors, without holding the file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from fixtures.generate import members, write
from generator.batch import RunConfig
from generator.batch.plan import plan
from generator.batch.store import Store, StoredIds


def test_a_record_id_seen_before_a_flush_still_makes_the_later_record_an_error(
    config: RunConfig, tmp_path: Path
) -> None:
    rows = members(1200, seed=11, bad_share=0)
    rows[1100]["record_id"] = rows[3]["record_id"]  # far past the first flush (500 rows)
    rows[1101]["record_id"] = rows[1099]["record_id"]  # within one unflushed stretch
    source = tmp_path / "duplicates.csv"
    write(rows, source, "utf-8")
    store = Store(tmp_path / "state")
    try:
        plan(dataclasses.replace(config, input=source), store)
        errors = store.execute("SELECT seq, record_id, field, message FROM errors ORDER BY seq")
        kept = store.execute("SELECT seq FROM records WHERE seq IN (3, 1099)")
    finally:
        store.close()
    duplicates = [(seq, field) for seq, _, field, message in errors if "not unique" in str(message)]
    assert duplicates == [(1100, "record_id"), (1101, "record_id")]
    assert len(kept) == 2  # the first of each pair is the one kept


def test_stored_ids_answer_for_ids_flushed_and_pending(tmp_path: Path) -> None:
    store = Store(tmp_path / "state")
    try:
        seen = StoredIds(store)
        assert seen.add("A1")
        assert seen.add("A2")
        assert not seen.add("A1")  # pending
        seen.flush()
        assert not seen.add("A2")  # stored
        assert seen.add("A3")
    finally:
        store.close()
