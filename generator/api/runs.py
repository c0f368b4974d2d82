"""Bulk runs submitted over HTTP (一括作成の受付): state in SQLite, resumed after a restart.

Each run has a folder DATA/runs/ID holding its upload and its outputs (the bulk run's own
layout: deliveries/, manifest.json, errors.csv, and .work/ while it runs). Runs execute one
at a time on a background thread, through the service's LibreOffice pool or, with a
broker, through Celery workers. A run found queued or running when the service starts is
started again with ``resume``: the bulk run skips every delivery already written.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import re
import secrets
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.batch import RunConfig, RunKind, run
from generator.batch.batches import Batches
from generator.domain.facility_token import KeyRing
from generator.errors import GeneratorError
from generator.outputs import DIR_MODE, FILE_MODE
from generator.profiles import Profile
from generator.render.convert.base import Converter

log = logging.getLogger("generator.api")
#: A run's id, and a delivery's file name as the bulk run writes it (deliveries/NAME).
RUN_ID = re.compile(r"[0-9a-f]{24}")
DELIVERY_FILE = re.compile(r"[0-9]{6}_[0-9-]*_[A-Za-z0-9_-]+\.pdf")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, state TEXT NOT NULL, kind TEXT NOT NULL,
    profile TEXT NOT NULL, issue_date TEXT NOT NULL, input TEXT NOT NULL,
    pages_done INTEGER NOT NULL DEFAULT 0, pages_total INTEGER NOT NULL DEFAULT 0,
    counts TEXT, error TEXT, seq INTEGER NOT NULL
)
"""


@dataclass(frozen=True, slots=True)
class RunRow:
    """A run as the service keeps it."""

    id: str
    owner: str
    state: str
    kind: str
    profile: str
    issue_date: date
    input: str
    pages_done: int
    pages_total: int
    counts: str | None
    error: str | None

    @property
    def out(self) -> str:
        return str(Path(self.input).parent / "out")


#: A run's columns, in RunRow's order.
_COLUMNS = (
    "id, owner, state, kind, profile, issue_date, input, pages_done, pages_total, counts, error"
)


def _row(found: tuple[object, ...]) -> RunRow:
    (rid, who, state, kind, profile, issued, upload, done, total, counts, error) = found
    return RunRow(
        str(rid), str(who), str(state), str(kind), str(profile),
        date.fromisoformat(str(issued)), str(upload), int(str(done)), int(str(total)),
        None if counts is None else str(counts), None if error is None else str(error),
    )  # fmt: skip


class RunManager:
    """Accepts runs, executes them in order, answers for their state."""

    def __init__(
        self,
        data_dir: Path,
        profiles: Callable[[str], Profile],
        *,
        workers: int,
        keys: KeyRing | None,
        converter: Callable[[], Converter],
        batches: Batches | None,
    ) -> None:
        self.root = data_dir / "runs"
        self.root.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        self.root.chmod(DIR_MODE)  # mkdir's mode passes through the umask
        # sqlite3 would create the file 0644 (less the umask); its journal takes its mode.
        database = data_dir / "runs.sqlite"
        os.close(os.open(database, os.O_RDWR | os.O_CREAT, FILE_MODE))
        database.chmod(FILE_MODE)
        self._db = sqlite3.connect(database, check_same_thread=False)
        self._db.execute(_SCHEMA)
        self._db.commit()
        self._lock = threading.Lock()
        self._profiles, self._workers, self._keys = profiles, workers, keys
        self._converter, self._batches = converter, batches
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="runs", daemon=True)

    def start(self) -> None:
        """Start the runner, first re-queueing the runs a stop interrupted."""
        for (run_id,) in self._sql(
            "SELECT id FROM runs WHERE state IN ('queued', 'running') ORDER BY seq"
        ):
            self._queue.put(str(run_id))
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)

    def folder(self) -> tuple[str, Path]:
        """A new run id and its (owner-only) folder for the upload."""
        run_id = secrets.token_hex(12)
        folder = self.root / run_id
        # out/ too: the bulk run would create it as a parent of its own folders, and
        # os.makedirs gives parents the umask's mode, not 0700.
        for path in (folder, folder / "out"):
            path.mkdir(mode=DIR_MODE)
            path.chmod(DIR_MODE)
        return run_id, folder

    def discard(self, run_id: str) -> None:
        """Forget a run whose upload was refused: its row and its folder."""
        with self._lock:
            self._db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
            self._db.commit()
        shutil.rmtree(self.root / run_id, ignore_errors=True)

    def submit(
        self, run_id: str, owner: str, *, kind: RunKind, profile: str, issue: date, upload: Path
    ) -> RunRow:
        self._profiles(profile)  # ProfileError now, not in the background
        with self._lock:
            self._db.execute(
                "INSERT INTO runs (id, owner, state, kind, profile, issue_date, input, seq) "
                "VALUES (?, ?, 'queued', ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM runs))",
                (run_id, owner, kind.value, profile, issue.isoformat(), str(upload)),
            )
            self._db.commit()
        self._queue.put(run_id)
        found = self.get(run_id, owner)
        assert found is not None
        return found

    def page(self, owner: str, *, offset: int, limit: int) -> tuple[list[RunRow], int]:
        """``owner``'s runs, newest first, ``limit`` from ``offset``; and how many in all."""
        rows = self._sql(
            f"SELECT {_COLUMNS} FROM runs WHERE owner = ? ORDER BY seq DESC LIMIT ? OFFSET ?",
            (owner, limit, offset),
        )
        ((total,),) = self._sql("SELECT COUNT(*) FROM runs WHERE owner = ?", (owner,))
        return [_row(found) for found in rows], int(str(total))

    def get(self, run_id: str, owner: str) -> RunRow | None:
        """The run, if it exists and belongs to ``owner`` (others' runs do not exist)."""
        found = self._find(run_id)
        return found if found is not None and found.owner == owner else None

    def _find(self, run_id: str) -> RunRow | None:
        rows = self._sql(f"SELECT {_COLUMNS} FROM runs WHERE id = ?", (run_id,))
        return _row(rows[0]) if rows else None

    def counts_by_state(self) -> dict[str, int]:
        rows = self._sql("SELECT state, COUNT(*) FROM runs GROUP BY state")
        return {str(state): int(str(count)) for state, count in rows}

    def _sql(self, statement: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._db.execute(statement, args))

    def _set(self, run_id: str, **values: object) -> None:
        columns = ", ".join(f"{name} = ?" for name in values)
        with self._lock:
            self._db.execute(f"UPDATE runs SET {columns} WHERE id = ?", (*values.values(), run_id))
            self._db.commit()

    def _loop(self) -> None:
        while (run_id := self._queue.get()) is not None:
            try:
                self._execute(run_id)
            except Exception as error:  # a run's failure must not stop the runner
                log.error("run %s failed: %s", run_id, type(error).__name__)
                self._set(run_id, state="failed", error=type(error).__name__)

    def _execute(self, run_id: str) -> None:
        found = self._find(run_id)
        if found is None or found.state in ("done", "failed"):
            return
        self._set(run_id, state="running")
        out = Path(found.out)
        if (out / "manifest.json").exists() and not (out / ".work").exists():
            # Finished before the stop, recorded after it: the manifest holds the counts.
            head = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["run"]
            totals = {k: int(v) for k, v in head.items() if isinstance(v, int)}
            self._set(run_id, state="done", counts=json.dumps(totals))
            return
        config = RunConfig(
            input=Path(found.input),
            profile=self._profiles(found.profile),
            issue_date=found.issue_date,
            kind=RunKind(found.kind),
            out=out,
            workers=self._workers,
            resume=(out / ".work").exists(),
            keys=self._keys,
        )

        def progress(done: int, total: int) -> None:
            self._set(run_id, pages_done=done, pages_total=total)

        try:
            converter = self._converter() if self._batches is None else None
            totals = run(config, converter=converter, batches=self._batches, progress=progress)
        except (GeneratorError, OSError) as error:
            log.error("run %s failed: %s", run_id, type(error).__name__)
            self._set(run_id, state="failed", error=f"{type(error).__name__}: {error}")
            return
        self._set(run_id, state="done", counts=json.dumps(totals))
