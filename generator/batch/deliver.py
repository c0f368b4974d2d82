"""Pass 2 (配送単位の作成): deliveries cut into batches, rendered, recorded and written.

Batches are consecutive deliveries in postcode order, cut the same way on every run of the
same input, so a resumed run renders exactly the bytes an unbroken run would have.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from generator.batch.batches import Batches, PlanRow, Rendered
from generator.batch.config import RunConfig
from generator.batch.store import Store
from generator.outputs import inside, write_private

Progress = Callable[[int, int], None]


def _file_name(ordinal: int, postcode: str, key: str) -> str:
    safe = (
        key
        if key.replace("-", "").replace("_", "").isalnum() and key.isascii()
        else (hashlib.sha256(key.encode()).hexdigest()[:12])
    )
    return f"{ordinal:06d}_{postcode}_{safe}.pdf"


#: A delivery as batches are cut: ordinal, key, postcode, pages. (Its recipient is read
#: when its batch is rendered: held for every delivery read ahead, it took memory that grew
#: with the number of deliveries.)
_Slot = tuple[int, str, str, int]


def _deliveries(store: Store) -> Iterator[tuple[object, ...]]:
    """The deliveries in order, a page of 100 at a time, each page read by a statement of its
    own: one statement open through pass 2 would hold a read snapshot, and SQLite could
    never restart its write-ahead log, which grew with every delivery recorded."""
    last = 0
    while rows := store.execute(
        "SELECT ordinal, key, postcode, members, pages FROM deliveries "
        "WHERE ordinal > ? ORDER BY ordinal LIMIT 100",
        (last,),
    ):
        yield from rows
        last = int(str(rows[-1][0]))


def _batches(store: Store, members: int, pages: int) -> Iterator[list[_Slot]]:
    """Whole deliveries in order, cut into batches of at most ``members`` members and
    ``pages`` pages: what a batch holds has a ceiling. A delivery larger than that is a batch
    of its own, which ``chunks.rounds`` cuts again by the same measure."""
    batch: list[_Slot] = []
    held = used = 0
    for ordinal, key, postcode, in_members, in_pages in _deliveries(store):
        count, size = int(str(in_members)), int(str(in_pages))
        if batch and (held + count > members or used + size > pages):
            yield batch
            batch, held, used = [], 0, 0
        batch.append((int(str(ordinal)), str(key), str(postcode), size))
        held, used = held + count, used + size
    if batch:
        yield batch


def _done(config: RunConfig, store: Store, ordinal: int) -> bool:
    row = store.execute("SELECT done, file, sha256 FROM deliveries WHERE ordinal = ?", (ordinal,))[
        0
    ]
    if not row[0]:
        return False
    if row[1] is None:
        return True  # failed for good: its records are in errors
    path = inside(config.deliveries_dir, str(row[1]))
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as delivery:
        return hashlib.sha256(delivery.read()).hexdigest() == row[2]


def _rows(store: Store, batch: list[_Slot], total: int) -> list[PlanRow]:
    """A batch's deliveries as plain data, as pass 1 stored them (and as Celery sends them)."""
    rows = []
    for ordinal, key, postcode, _pages in batch:
        recipient = str(
            store.execute("SELECT recipient FROM deliveries WHERE ordinal = ?", (ordinal,))[0][0]
        )
        members = [
            (int(str(seq)), str(member_json))
            for seq, member_json in store.execute(
                "SELECT seq, member FROM records "
                "WHERE delivery = ? AND seq NOT IN (SELECT seq FROM errors) "
                "ORDER BY seq",
                (key,),
            )
        ]
        rows.append(
            PlanRow(ordinal, key, _file_name(ordinal, postcode, key), recipient, members, total)
        )
    return rows


def _record(config: RunConfig, store: Store, result: Rendered) -> int:
    if isinstance(result, tuple):
        failed, message = result
        statements: list[tuple[str, Sequence[object]]] = [
            ("UPDATE deliveries SET done = 1, file = NULL WHERE ordinal = ?", (failed.ordinal,))
        ]
        statements += [
            (
                "INSERT OR REPLACE INTO errors VALUES (?, ?, ?, ?)",
                (p.seq, p.member.record_id, "(render)", message),
            )
            for p in failed.members
        ]
        store.transaction(statements)
        return 0
    if result.data:  # not yet written where it was rendered (a Celery worker's result)
        write_private(inside(config.deliveries_dir, result.file), result.data)
    sha = result.sha256
    done: list[tuple[str, Sequence[object]]] = [
        (
            "UPDATE deliveries SET done = 1, file = ?, sha256 = ?, pages = ? WHERE ordinal = ?",
            (result.file, sha, result.pages, result.ordinal),
        )
    ]
    done += [
        (
            "INSERT OR REPLACE INTO placements VALUES (?, ?, ?, ?)",
            (seq, result.ordinal, first, last),
        )
        for seq, first, last in result.placements
    ]
    store.transaction(done)
    return result.pages


def execute(config: RunConfig, store: Store, batches: Batches, progress: Progress | None) -> None:
    """Render every delivery not yet done, ``batches.slots`` batches in flight at once (one
    for a local run, several over Celery); a batch's rows are read only when it can start,
    so no batch waits in memory for a free slot."""
    total_deliveries = int(str(store.execute("SELECT COUNT(*) FROM deliveries")[0][0]))
    total_pages = int(str(store.execute("SELECT COALESCE(SUM(pages), 0) FROM deliveries")[0][0]))
    done_pages = 0
    with ThreadPoolExecutor(max_workers=batches.slots) as pool:
        running: set[Future[list[Rendered]]] = set()
        for batch in _batches(store, config.batch_members, config.batch_pages):
            if all(_done(config, store, ordinal) for ordinal, *_ in batch):
                done_pages += sum(pages for *_, pages in batch)  # as _batches read them
                continue
            finished: set[Future[list[Rendered]]] = set()
            if len(running) == batches.slots:  # a batch's rows are read when it can start
                finished, running = wait(running, return_when=FIRST_COMPLETED)
            running.add(pool.submit(batches.render, config, _rows(store, batch, total_deliveries)))
            if finished:
                done_pages += sum(_record(config, store, r) for f in finished for r in f.result())
                del finished
                if progress:
                    progress(done_pages, total_pages)
        for future in running:
            done_pages += sum(_record(config, store, r) for r in future.result())
            if progress:
                progress(done_pages, total_pages)
    if progress:
        progress(total_pages, total_pages)
