"""Pass 2 and the run as a whole: batches through the pool, files, progress, resume.

Batches are consecutive deliveries in postcode order, cut the same way on every run of the
same input, so a resumed run renders exactly the bytes an unbroken run would have.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from generator.batch.batches import Batches, LocalBatches, PlanRow, Rendered
from generator.batch.config import RunConfig
from generator.batch.identity import check_folder, claim, fingerprint
from generator.batch.plan import plan
from generator.batch.report import write_errors, write_manifest
from generator.batch.store import Store, discard
from generator.errors import OutputError
from generator.facts import check_issue_date
from generator.outputs import inside, write_private
from generator.render.convert.base import Converter
from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig

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


def _unwritable(config: RunConfig, exc: BaseException) -> str:
    """What a failed write in the run's folder says: the cause, never a traceback."""
    if isinstance(exc, OutputError):
        return str(exc)
    why = exc.strerror if isinstance(exc, OSError) else str(exc)  # SQLite: "disk is full"
    return f"cannot write in {config.out}: {why}"


def _close_when_started(starting: Future[LibreOfficePool]) -> None:
    """The pool of a run that stopped while it started: closed once it is up, whenever."""

    def close(done: Future[LibreOfficePool]) -> None:
        if not done.cancelled() and done.exception() is None:
            done.result().close()

    starting.add_done_callback(close)


def _plan(config: RunConfig, store: Store, *, local: bool) -> LibreOfficePool | None:
    """Pass 1; a local run's LibreOffice starts (seconds) meanwhile, and is returned. The
    state records pass 1 as done (``planned``) before the pool is waited for: a pool that
    does not start leaves a resumable run."""
    if not local:
        plan(config, store)
        return None
    starter = ThreadPoolExecutor(max_workers=1)
    starting = starter.submit(LibreOfficePool, PoolConfig(workers=config.workers))
    starter.shutdown(wait=False)
    try:
        plan(config, store)
        return starting.result()
    except BaseException:
        _close_when_started(starting)
        raise


def run(
    config: RunConfig,
    *,
    converter: Converter | None = None,
    progress: Progress | None = None,
    batches: Batches | None = None,
) -> dict[str, int]:
    """A whole bulk run; returns its counts. Resumable with ``config.resume``.

    Batches render through ``batches`` (Celery workers, say) when given, else through
    ``converter``, else through a LibreOffice pool of ``config.workers`` started here.
    A full or unwritable folder stops it with an OutputError; once planned, the state stays
    for ``--resume``, and before that nothing of it is left."""
    check_issue_date(config.profile, config.issue_date)  # the whole run's input, before any file
    stamp = fingerprint(config)
    check_folder(config, stamp)
    made = not config.out.exists()
    store: Store | None = None
    ours = not config.work_dir.exists()  # a state this call makes is its own to discard
    planned = False
    local = batches is None and converter is None
    try:
        store = Store(config.work_dir)
        claim(config, store, stamp)
        ours = True
        pool = _plan(config, store, local=local)
        planned = True
        if batches is None:
            active = pool or converter
            assert active is not None
            batches = LocalBatches(config, active, own=local)
        try:
            execute(config, store, batches, progress)
            write_errors(config, store)
            totals = write_manifest(config, store, stamp)
        finally:
            if local:
                batches.close()
    except (OutputError, OSError, sqlite3.OperationalError) as exc:  # full, read-only, gone
        resume = "; once that is fixed, --resume continues the run" if planned else ""
        raise OutputError(f"{_unwritable(config, exc)}{resume}") from None
    finally:
        if store is not None:
            with contextlib.suppress(Exception):  # pass 1 done, the pool's start not
                planned = planned or bool(store.get("planned"))
            store.close()
        if ours and not planned:  # refused while the input was read: nothing to resume
            discard(config.work_dir, config.out if made else None)
    shutil.rmtree(config.work_dir)  # the state holds personal data: gone once the run is whole
    return totals
