"""The run as a whole (一括作成): pass 1 (plan) and pass 2 (deliver), their state, the
LibreOffice pool, what a full disk or a folder in use says, and resume."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor

from generator.batch.batches import Batches, LocalBatches
from generator.batch.config import RunConfig
from generator.batch.deliver import Progress, execute
from generator.batch.identity import check_folder, claim, fingerprint
from generator.batch.plan import plan
from generator.batch.report import write_errors, write_manifest
from generator.batch.store import Store, discard
from generator.errors import FolderInUseError, OutputError
from generator.facts import check_issue_date
from generator.render.convert.base import Converter
from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig


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
    planned = whole = False
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
        # The state holds personal data: gone once the run is whole, while its lock is
        # still held (a --resume waiting for it finds no state half removed).
        shutil.rmtree(config.work_dir)
        whole = True
    except FolderInUseError:
        ours = False  # the state is the other run's: left as it is
        raise
    except (OutputError, OSError, sqlite3.OperationalError) as exc:  # full, read-only, gone
        resume = "; once that is fixed, --resume continues the run" if planned else ""
        raise OutputError(f"{_unwritable(config, exc)}{resume}") from None
    finally:
        if store is not None:
            if not whole:
                with contextlib.suppress(Exception):  # pass 1 done, the pool's start not
                    planned = planned or bool(store.get("planned"))
            store.close()
        if ours and not planned:  # refused while the input was read: nothing to resume
            discard(config.work_dir, config.out if made else None)
    return totals
