"""A pool of warm LibreOffice processes, driven over UNO.

One process per core by default, each with its own profile directory and the pinned fonts
(FONTCONFIG_FILE). A conversion's fixed cost is many times a page's, so callers put many
documents into one DOCX. Each job has a hard time limit: past it the
process is killed, restarted and the job retried once. A process that does not come up is
started again, apart from the job's retry: a soffice killed while it restarts must not fail
the job (a batch that fails is rendered again delivery by delivery, in other chunks, whose
fonts are subset differently: a run would no longer give the bytes of an unbroken one).
Processes are recycled after a number of jobs, so that slow leaks in LibreOffice never
build up over a long run.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, TypeVar

from generator.errors import ConversionError, ConversionTimeoutError, ConverterUnavailableError
from generator.render.convert.isolation import make_folder, scratch_base
from generator.render.convert.worker import OverflowedError, SofficeWorker, WorkerFailedError
from generator.render.fonts import FONTCONFIG_FILE

DEFAULT_WORKERS = max(1, os.cpu_count() or 1)
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_JOBS = 500
DEFAULT_START_TIMEOUT = 60.0
#: Starts of a process for one job before LibreOffice counts as unavailable.
START_ATTEMPTS = 3
INSTALL_HINT = (
    "LibreOffice is needed: apt-get install libreoffice-writer-nogui python3-uno, and run "
    "from the .venv that `make setup` builds on Debian's /usr/bin/python3"
)

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class PoolConfig:
    """How many processes, and the limits they run under."""

    workers: int = DEFAULT_WORKERS
    timeout: float = DEFAULT_TIMEOUT
    max_jobs: int = DEFAULT_MAX_JOBS
    start_timeout: float = DEFAULT_START_TIMEOUT
    soffice: str = "soffice"
    fontconfig_file: Path = FONTCONFIG_FILE


@dataclass
class PoolStats:
    """Counters for monitoring (/metrics) and tests."""

    conversions: int = 0
    failures: int = 0
    restarts: int = 0
    waiting: int = 0  # callers queued for a free process
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def bump(self, name: str, by: int = 1) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + by)


class LibreOfficePool:
    """The real converter: ``convert`` may be called from several threads at once."""

    def __init__(self, config: PoolConfig | None = None) -> None:
        self.config = config or PoolConfig()
        if shutil.which(self.config.soffice) is None:
            raise ConverterUnavailableError(f"soffice was not found. {INSTALL_HINT}")
        # 0700, removed on close or at exit; a killed pool's by the next pool to start
        self._dir = make_folder(scratch_base())
        self._remove_dir = weakref.finalize(self, shutil.rmtree, self._dir, ignore_errors=True)
        self.stats = PoolStats()
        self._idle: queue.Queue[SofficeWorker] = queue.Queue()
        self._workers = [
            SofficeWorker(i, self._dir / f"w{i}", self.config.soffice, self.config.fontconfig_file)
            for i in range(self.config.workers)
        ]
        self._closed = False
        starters = [threading.Thread(target=self._start_quietly, args=(w,)) for w in self._workers]
        for thread in starters:
            thread.start()
        for thread in starters:
            thread.join()
        if not any(w.running for w in self._workers):
            self.close()
            raise ConverterUnavailableError(f"LibreOffice did not start. {INSTALL_HINT}")
        for worker in self._workers:
            self._idle.put(worker)

    def _start_quietly(self, worker: SofficeWorker) -> None:
        """Start ``worker``, up to ``START_ATTEMPTS`` times as a job would: a soffice killed
        while it started does not cost the pool a process, nor a run its converter."""
        for _start in range(START_ATTEMPTS):
            try:
                worker.start(self.config.start_timeout)
            except Exception:
                worker.kill()
            else:
                return

    def convert(self, docx: bytes) -> bytes:
        """The PDF of ``docx``; one retry on a fresh process after a failure or a timeout."""
        return self.convert_ranges(docx, [""])[0]

    def convert_ranges(self, docx: bytes, ranges: Sequence[str]) -> list[bytes]:
        """One PDF per page range ("1-2", "3-4" …) of one loaded ``docx``."""
        return self._on_a_worker(lambda worker: worker.convert(docx, self.config.timeout, ranges))

    def convert_file(self, docx: str, into: Path) -> BinaryIO:
        """The PDF of the DOCX file ``docx``, written by LibreOffice in the folder ``into``
        and handed back as an open file whose name is gone: a bulk run's chunk waits there
        for its assembly, and neither document's bytes are copied through this process."""
        return self._on_a_worker(
            lambda worker: worker.convert_file(
                docx, self.config.timeout, into / f"chunk-{worker.index}.pdf"
            )
        )

    def _on_a_worker(self, job: Callable[[SofficeWorker], _T]) -> _T:
        if self._closed:
            raise ConversionError("the pool is closed")
        self.stats.bump("waiting")
        try:
            worker = self._idle.get()
        finally:
            self.stats.bump("waiting", -1)
        try:
            return self._run_on(worker, job)
        finally:
            self._idle.put(worker)

    def _run_on(self, worker: SofficeWorker, job: Callable[[SofficeWorker], _T]) -> _T:
        """``job`` on ``worker``; once more on a fresh process after a failure or a timeout."""
        last: WorkerFailedError | None = None
        for _attempt in range(2):
            try:
                self._ensure_running(worker)
                result = job(worker)
            except OverflowedError as overflow:
                raise ConversionError(
                    f"the chunk came out {overflow}: a document overflowed its layout"
                ) from None
            except WorkerFailedError as failure:
                last = failure
                self.stats.bump("failures")
                worker.kill()
                continue
            self.stats.bump("conversions")
            if worker.jobs >= self.config.max_jobs:
                worker.stop()  # recycled: the next job starts a fresh process
            return result
        assert last is not None
        if last.timed_out:
            raise ConversionTimeoutError(
                f"conversion ran past {self.config.timeout:.0f} s twice; the process was restarted"
            )
        raise ConversionError(f"LibreOffice failed twice: {last}")

    def _ensure_running(self, worker: SofficeWorker) -> None:
        """Start ``worker`` if it is not running, trying up to ``START_ATTEMPTS`` times: a
        start that fails is no attempt of the job's."""
        reason: WorkerFailedError | None = None
        for _start in range(START_ATTEMPTS):
            if worker.running:
                return
            try:
                worker.start(self.config.start_timeout)
            except WorkerFailedError as failure:
                self.stats.bump("failures")
                worker.kill()
                reason = failure
                continue
            self.stats.bump("restarts")
            return
        raise ConverterUnavailableError(
            f"LibreOffice did not start, {START_ATTEMPTS} times over: {reason}"
        )

    def healthy(self) -> bool:
        """Whether every process answers over UNO (an idle one is asked; a busy one counts)."""
        return any(w.running for w in self._workers) and all(
            w.answers() for w in self._workers if w.running
        )

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for worker in self._workers:
            worker.stop()
        self._remove_dir()

    def __enter__(self) -> LibreOfficePool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
