"""batch: every record accounted for, deliveries by employer or household, duplex-safe,
deterministic and resumable (with the fake converter; tests/integration uses LibreOffice)."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import json
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from generator.batch import RunConfig, assemble, deliver, run, runner
from generator.batch.batches import LocalBatches, PlanRow
from generator.batch.plan import header_pages, member_pages
from generator.batch.store import Store
from generator.errors import OutputError
from generator.render.convert.base import FakeConverter


def _outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _input_ids(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [row["record_id"] for row in csv.DictReader(handle)]


def test_every_record_appears_exactly_once(config: RunConfig) -> None:
    counts = run(config, converter=FakeConverter())
    manifest = json.loads((config.out / "manifest.json").read_text(encoding="utf-8"))
    errors = list(
        csv.DictReader(io.StringIO((config.out / "errors.csv").read_text(encoding="utf-8")))
    )
    listed = [r["record_id"] for r in manifest["records"]] + [e["record_id"] for e in errors]
    assert sorted(listed) == sorted(_input_ids(config.input))
    assert counts["records"] == 160
    assert errors
    assert all(e["field"] and e["message"] for e in errors)
    assert not config.work_dir.exists()


def test_deliveries_are_duplex_safe_and_in_postcode_order(config: RunConfig) -> None:
    run(config, converter=FakeConverter())
    manifest = json.loads((config.out / "manifest.json").read_text(encoding="utf-8"))
    postcodes = [f["postcode"] for f in manifest["files"]]
    assert postcodes == sorted(postcodes)
    ranges: dict[str, list[tuple[int, int]]] = {}
    for record in manifest["records"]:
        first, last = record["pages"]
        assert first % 2 == 1, "a member starts on the front of a fresh sheet"
        ranges.setdefault(record["delivery"], []).append((first, last))
    for file in manifest["files"]:
        pdf = (config.out / file["file"]).read_bytes()
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == file["pages"]
        assert len(reader.pages) % 2 == 0
        spans = sorted(ranges[file["file"]])
        assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))
        members = [item for item in reader.outline if not isinstance(item, list)]
        assert len(members) == file["members"]
        assert stat.S_IMODE((config.out / file["file"]).stat().st_mode) == 0o600


def test_home_members_get_their_own_household_delivery(config: RunConfig) -> None:
    run(config, converter=FakeConverter())
    manifest = json.loads((config.out / "manifest.json").read_text(encoding="utf-8"))
    homes = [f for f in manifest["files"] if f["delivery"].startswith("home-")]
    employers = [f for f in manifest["files"] if not f["delivery"].startswith("home-")]
    assert homes
    assert employers
    assert all("home-" in f["file"] for f in homes)
    # The employer's name for an employer's delivery; never a member's for a household's.
    assert all(f["employer"] is None for f in homes)
    assert all(f["employer"] for f in employers)


def test_the_same_input_gives_the_same_bytes(config: RunConfig, tmp_path: Path) -> None:
    run(config, converter=FakeConverter())
    again = dataclasses.replace(config, out=tmp_path / "again")
    run(again, converter=FakeConverter())
    assert _outputs(config.out) == _outputs(again.out)


class _CrashError(Exception):
    pass


class _CrashErroringConverter(FakeConverter):
    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after

    def convert(self, docx: bytes) -> bytes:
        if self.calls >= self.after:
            raise _CrashError("killed")
        return super().convert(docx)


def test_a_crashed_run_resumes_to_the_same_bytes(config: RunConfig, tmp_path: Path) -> None:
    whole = dataclasses.replace(config, out=tmp_path / "whole")
    run(whole, converter=FakeConverter())
    crashing = dataclasses.replace(config, workers=1)
    with pytest.raises(_CrashError):
        run(crashing, converter=_CrashErroringConverter(after=5))
    written = list((config.deliveries_dir).glob("*.pdf"))
    assert written, "some deliveries were finished before the crash"
    with pytest.raises(OutputError, match="--resume"):
        run(config, converter=FakeConverter())
    resumed = FakeConverter()
    reports: list[tuple[int, int]] = []
    run(
        dataclasses.replace(config, resume=True),
        converter=resumed,
        progress=lambda done, total: reports.append((done, total)),
    )
    assert _outputs(config.out) == _outputs(whole.out)
    # Batches finished before the crash count their pages: the last batch's report, before
    # the closing one, already reaches the total, which is every file's pages.
    total = sum(f["pages"] for f in json.loads((config.out / "manifest.json").read_text())["files"])
    assert reports[-2] == (total, total)
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)
    fresh = FakeConverter()
    run(dataclasses.replace(whole, out=tmp_path / "fresh"), converter=fresh)
    assert resumed.calls < fresh.calls, "finished deliveries are not redone"


def test_a_run_of_a_folder_in_use_is_refused_and_leaves_its_state(config: RunConfig) -> None:
    """Two ``--resume`` of one folder at once would each write the other's deliveries."""
    crashing = dataclasses.replace(config, workers=1)
    with pytest.raises(_CrashError):
        run(crashing, converter=_CrashErroringConverter(after=2))
    other = Store(config.work_dir)  # another run, resuming the folder first
    try:
        with pytest.raises(OutputError, match="is in use by another run"):
            run(dataclasses.replace(config, resume=True), converter=FakeConverter())
        assert (config.work_dir / "state.sqlite").is_file()
    finally:
        other.close()
    run(dataclasses.replace(config, resume=True), converter=FakeConverter())
    assert not config.work_dir.exists()


def test_a_run_that_loses_the_race_for_a_new_folder_leaves_the_winners_state(
    config: RunConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs of one new folder at once: the second to lock it is refused, and removes
    nothing of the first one's state (it had seen no state when it started)."""
    winner: list[Store] = []

    def racing(directory: Path) -> Store:
        winner.append(Store(directory))  # the other run locks it first
        return Store(directory)

    monkeypatch.setattr(runner, "Store", racing)
    with pytest.raises(OutputError, match="is in use by another run"):
        run(config, converter=FakeConverter())
    assert (config.work_dir / "state.sqlite").is_file()
    assert (config.work_dir / "lock").is_file()
    winner[0].close()


def test_resume_refuses_other_input(config: RunConfig, tmp_path: Path) -> None:
    crashing = dataclasses.replace(config, workers=1)
    with pytest.raises(_CrashError):
        run(crashing, converter=_CrashErroringConverter(after=2))
    other = tmp_path / "other.csv"
    other.write_bytes(config.input.read_bytes() + b"\n")
    with pytest.raises(OutputError, match="other input"):
        run(dataclasses.replace(config, input=other, resume=True), converter=FakeConverter())


def test_resume_refuses_a_finished_run_of_other_input(config: RunConfig, tmp_path: Path) -> None:
    """A finished run keeps no state, only its manifest: resuming it with another file
    would number new PDFs among the old ones."""
    run(config, converter=FakeConverter())
    other = tmp_path / "other.csv"
    other.write_bytes(config.input.read_bytes() + b"\n")
    before = _outputs(config.out)
    with pytest.raises(OutputError, match="other input"):
        run(dataclasses.replace(config, input=other, resume=True), converter=FakeConverter())
    assert _outputs(config.out) == before


def test_each_delivery_is_on_disk_before_the_next_is_assembled(
    config: RunConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's PDFs are not held in memory until the batch ends (nor until the run's
    thread records them): each is in place as soon as it is assembled."""
    on_disk: list[int] = []

    class Counting(assemble.PdfStream):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            on_disk.append(sum(1 for _ in config.deliveries_dir.glob("*.pdf")))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(assemble, "PdfStream", Counting)
    run(dataclasses.replace(config, workers=1), converter=FakeConverter())
    assert len(on_disk) > 4
    assert on_disk == list(range(len(on_disk)))


def test_batches_are_cut_by_pages_too_and_each_is_one_round(
    config: RunConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pass 1 counts each delivery's pages as its file will have them; batches close before
    they would pass ``batch_pages`` (a delivery larger alone is a batch of its own); a batch
    within the ceilings converts as one round, and a delivery above them is cut into rounds
    by the same ceilings."""
    config = dataclasses.replace(config, batch_members=1000, batch_pages=24, workers=1)
    batches: list[list[int]] = []
    cuts: list[int] = []
    render, cut = LocalBatches.render, assemble.rounds

    def spy_render(self: LocalBatches, config: RunConfig, rows: list[PlanRow]) -> Any:
        batches.append([r.ordinal for r in rows])
        return render(self, config, rows)

    def spy_rounds(*args: Any) -> Any:
        cuts.append(len(result := cut(*args)))
        return result

    monkeypatch.setattr(LocalBatches, "render", spy_render)
    monkeypatch.setattr(assemble, "rounds", spy_rounds)
    run(config, converter=FakeConverter())
    manifest = json.loads((config.out / "manifest.json").read_text(encoding="utf-8"))
    documents: dict[str, list[list[str]]] = {}
    for record in manifest["records"]:
        documents.setdefault(record["delivery"], []).append(record["documents"])
    pages = {}
    for file in manifest["files"]:
        employer = not file["delivery"].startswith("home-")
        planned = header_pages(file["members"], employer) + sum(
            member_pages(kinds) for kinds in documents[file["file"]]
        )
        assert planned == file["pages"], file["file"]
        pages[int(Path(file["file"]).name.split("_")[0])] = file["pages"]
    assert len(batches) > 5
    assert sorted(o for batch in batches for o in batch) == sorted(pages)
    for batch in batches:
        assert sum(pages[o] for o in batch) <= 24 or len(batch) == 1
    assert any(len(b) == 1 and pages[b[0]] > 24 for b in batches), "a delivery above it alone"
    for batch, rounds_of_batch in zip(batches, cuts, strict=True):
        fits = sum(pages[o] for o in batch) <= 24
        assert rounds_of_batch == 1 if fits else rounds_of_batch > 1, batch


@pytest.mark.parametrize("reader", ["pages", "one statement"])
def test_reading_the_deliveries_leaves_the_log_free_to_restart(tmp_path: Path, reader: str) -> None:
    """Pass 2 reads the deliveries while it records finished ones: a statement open all the
    while would hold a snapshot, and SQLite could never restart its write-ahead log."""
    store = Store(tmp_path)
    store.executemany(
        "INSERT INTO deliveries (ordinal, key, postcode, recipient, members, pages) "
        "VALUES (?, ?, ?, '{}', 1, 2)",
        [(n, f"k{n}", "1000001") for n in range(1, 351)],
    )
    rows = (
        deliver._deliveries(store)
        if reader == "pages"
        else store.iterate("SELECT ordinal FROM deliveries ORDER BY ordinal")
    )
    blocked = []
    for seen, _ in enumerate(rows, start=1):
        if seen % 120 == 0:
            store.execute("UPDATE deliveries SET done = 1 WHERE ordinal = ?", (seen,))
            try:
                blocked.append(int(str(store.execute("PRAGMA wal_checkpoint(RESTART)")[0][0])))
            except sqlite3.OperationalError:  # "database table is locked"
                blocked.append(1)
    store.close()
    assert seen == 350
    assert blocked == ([0, 0] if reader == "pages" else [1, 1])
