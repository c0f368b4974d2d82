"""The run's state in SQLite (DIR/.work/state.sqlite): records, errors, deliveries, progress.

It makes runs resumable and keeps memory flat: records are planned into it and read back one
delivery batch at a time. It holds personal data, so it is owner-only and removed once the
run has finished, or once pass 1 has failed: a state that was never planned is nothing
``--resume`` could continue (it plans again from the input), only members' data left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator.errors import FolderInUseError, OutputError
from generator.outputs import FILE_MODE, private_dirs

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY, record_id TEXT NOT NULL, member TEXT NOT NULL,
    delivery TEXT, documents TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_delivery ON records (delivery, seq);
CREATE TABLE IF NOT EXISTS errors (
    seq INTEGER PRIMARY KEY, record_id TEXT NOT NULL, field TEXT NOT NULL, message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
    ordinal INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, postcode TEXT NOT NULL,
    recipient TEXT NOT NULL, members INTEGER NOT NULL, pages INTEGER NOT NULL,
    file TEXT, sha256 TEXT, done INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS ids (record_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS placements (
    seq INTEGER PRIMARY KEY, ordinal INTEGER NOT NULL, first_page INTEGER NOT NULL,
    last_page INTEGER NOT NULL);
"""


class Store:
    """One run's state; safe to share between threads (writes are serialised)."""

    def __init__(self, directory: Path) -> None:
        self._held = -1
        try:
            private_dirs(directory)  # the run's folder too, when this makes it
            self._held = _hold(directory)
            path = directory / "state.sqlite"
            path.touch(mode=FILE_MODE, exist_ok=True)
            path.chmod(FILE_MODE)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            # A small page cache: pass 2 reads a batch's rows once, by index, and the
            # default cache fills only on long runs, so memory would grow with the input.
            self._db.executescript(
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-256;"
                + SCHEMA
            )
        except (OSError, sqlite3.Error) as exc:
            if hasattr(self, "_db"):
                self._db.close()
            if self._held >= 0:
                os.close(self._held)
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise OutputError(f"cannot write the run state in {directory}: {why}") from None
        self._lock = threading.Lock()
        self.path = path

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(sql, rows)
            self._db.execute("COMMIT")

    def transaction(self, statements: Sequence[tuple[str, Sequence[object]]]) -> None:
        """Several writes that land together or not at all (a finished delivery)."""
        with self._lock:
            self._db.execute("BEGIN")
            for sql, params in statements:
                self._db.execute(sql, params)
            self._db.execute("COMMIT")

    def iterate(self, sql: str, params: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
        """Rows one at a time, on a cursor of their own (for writing large outputs)."""
        cursor = self._db.execute(sql, params)
        # A small page: what is read ahead is held, and must not grow with the input.
        while rows := cursor.fetchmany(100):
            yield from rows

    def get(self, key: str) -> str | None:
        rows = self.execute("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def put(self, key: str, value: object) -> None:
        self.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    def close(self) -> None:
        self._db.close()
        os.close(self._held)  # and with it the lock


def _hold(directory: Path) -> int:
    """Lock the state for this process (the kernel lets go when the process ends, killed
    or not): two runs of one folder at once, two ``--resume`` say, would each redo and
    write the other's deliveries."""
    held = os.open(directory / "lock", os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(held)
        raise FolderInUseError(f"{directory.parent} is in use by another run") from None
    except OSError:
        os.close(held)
        raise
    return held


def discard(directory: Path, made: Path | None = None) -> None:
    """Remove the state in ``directory`` (a run that failed before it was planned), and the
    run's folder ``made`` when this run made it and nothing else is in it."""
    shutil.rmtree(directory, ignore_errors=True)
    if made is not None:
        with contextlib.suppress(OSError):  # not empty: something else is there
            os.rmdir(made)


class StoredIds:
    """The record_ids pass 1 has read, in the store (``SeenIds`` for ``read_records``): a
    set of them in memory would grow with the file. The latest few wait in memory until
    ``flush`` writes them with their records."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: set[str] = set()

    def add(self, record_id: str) -> bool:
        if record_id in self._pending or self._store.execute(
            "SELECT 1 FROM ids WHERE record_id = ?", (record_id,)
        ):
            return False
        self._pending.add(record_id)
        return True

    def flush(self) -> None:
        self._store.executemany("INSERT INTO ids VALUES (?)", [(i,) for i in self._pending])
        self._pending.clear()
