"""Template proofs asked for in the console (校正刷りの作成), one at a time.

Each proof is ``python -m generator templates proof`` in a process group of its own, with
its own LibreOffice: a proof rasterises pages with PDFium, which must not run on two threads
of the service at once, and a template that upsets LibreOffice must not upset the service's
converters. The group is ended when the service stops and when a proof outlasts
``TIMEOUT``. The child gets no ``GENERATOR_*`` setting: its QR codes are signed with the
proof's own key, never the facility keys, and an uploaded template (rendered in jinja's
sandbox) finds no secret in its environment either.

A proof lives in DATA/proofs/ID: the insurer's edited templates under ``templates/``, then
``job.json`` (owner, state, what was asked: written last, so a job on disk is whole), and
the proof itself under ``proof/``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

from generator.outputs import private_dirs, write_private

log = logging.getLogger("generator.api")
#: A proof of every template takes well under a minute; one that takes this long is stuck.
TIMEOUT = 900.0
#: Proofs a caller may have waiting or running at once.
PENDING_LIMIT = 3
#: What the page says of a proof that wrote nothing (the command's own words may name the
#: service's folders).
FAILED = "校正を作成できませんでした（テンプレートを確かめてください）"


@dataclass(frozen=True, slots=True)
class ProofJob:
    """A proof as the console keeps it. ``templates``: the edited files' names (none: the
    bundled templates); ``compare``: the earlier proof shown beside it."""

    id: str
    owner: str
    seq: int
    state: str
    profile: str
    issue_date: str
    templates: tuple[str, ...]
    compare: str | None
    error: str | None = None


class ProofJobs:
    """The proofs of the service's callers, run in order on one background thread."""

    def __init__(self, data_dir: Path, profiles_dir: Path) -> None:
        self.root = data_dir / "proofs"
        private_dirs(self.root)
        self._profiles_dir = profiles_dir
        self._lock = threading.Lock()
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="proofs", daemon=True)
        self._child: subprocess.Popen[str] | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        for job in sorted(self._all(), key=lambda j: j.seq):
            if job.state in ("queued", "running"):  # a stop interrupted it: again
                self._queue.put(job.id)
        self._thread.start()

    def stop(self) -> None:
        """Start no more proofs and end the one running, with its LibreOffice; it stays
        queued, and runs again when the service starts again."""
        with self._lock:
            self._stopping.set()
            child = self._child
        self._queue.put(None)
        if child is not None:
            _end(child)
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def pending(self, owner: str) -> int:
        return sum(j.state in ("queued", "running") for j in self.of(owner))

    def new_folder(self) -> tuple[str, Path]:
        """A new proof's id and the folder its edited templates go in, before it is asked."""
        job_id = secrets.token_hex(12)
        folder = self.folder(job_id) / "templates"
        private_dirs(folder)
        return job_id, folder

    def ask(  # noqa: PLR0917 - what a proof is asked for, each named
        self, job_id: str, owner: str, profile: str, issue: date, templates: tuple[str, ...],
        compare: str | None,
    ) -> ProofJob | None:  # fmt: skip
        """Record the proof (its templates are in its folder already) and queue it; None,
        and nothing recorded, when ``owner`` has ``PENDING_LIMIT`` proofs waiting already
        (checked under the lock that records: two forms at once cannot pass it together)."""
        with self._lock:
            if self.pending(owner) >= PENDING_LIMIT:
                return None
            seq = max((j.seq for j in self._all()), default=0) + 1
            job = ProofJob(job_id, owner, seq, "queued", profile, issue.isoformat(), templates,
                           compare)  # fmt: skip
            self._save(job)
        self._queue.put(job_id)
        return job

    def discard(self, job_id: str) -> None:
        shutil.rmtree(self.folder(job_id), ignore_errors=True)

    def folder(self, job_id: str) -> Path:
        return self.root / job_id

    def get(self, job_id: str, owner: str) -> ProofJob | None:
        """The proof, if it exists and is ``owner``'s (others' proofs do not exist)."""
        path = self.folder(job_id) / "job.json"
        if not path.is_file():
            return None
        job = self._read(path)
        return job if job.owner == owner else None

    def of(self, owner: str) -> list[ProofJob]:
        """``owner``'s proofs, newest first."""
        return sorted((j for j in self._all() if j.owner == owner), key=lambda j: -j.seq)

    def summary(self, job: ProofJob) -> dict[str, object] | None:
        """What the proof's proof.json says, once it is written."""
        path = self.folder(job.id) / "proof" / "proof.json"
        if not path.is_file():
            return None
        found: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
        return found

    def _all(self) -> list[ProofJob]:
        return [self._read(p) for p in self.root.glob("*/job.json")]

    @staticmethod
    def _read(path: Path) -> ProofJob:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ProofJob(**{**data, "templates": tuple(data["templates"])})

    def _save(self, job: ProofJob) -> None:
        write_private(self.folder(job.id) / "job.json", json.dumps(asdict(job)).encode())

    def _loop(self) -> None:
        while (job_id := self._queue.get()) is not None and not self._stopping.is_set():
            try:
                job = self._read(self.folder(job_id) / "job.json")
                self._save(replace(job, state="running"))
                done = self._proof(job)
                if done is None:  # ended by the service's stop: again at its next start
                    return
                self._save(replace(job, state="done" if done else "failed",
                                   error=None if done else FAILED))  # fmt: skip
            except Exception as error:  # a proof's failure must not stop the others
                log.error("proof %s failed: %s", job_id, type(error).__name__)
                with contextlib.suppress(Exception):
                    self._save(replace(job, state="failed", error=FAILED))

    def _proof(self, job: ProofJob) -> bool | None:
        """Run the proof; whether it wrote one (exit 1 means a page broke a rule: the proof
        shows which), or None when the service's stop ended it."""
        folder = self.folder(job.id)
        out = folder / "proof"
        shutil.rmtree(out, ignore_errors=True)  # a proof a stop interrupted starts afresh
        command = [
            sys.executable, "-m", "generator", "templates", "proof", "--out", str(out),
            "--profile", str(self._profiles_dir / f"{job.profile}.toml"),
            "--issue-date", job.issue_date,
        ]  # fmt: skip
        if job.templates:
            command += ["--templates", str(folder / "templates")]
        if job.compare is not None:
            command += ["--compare", str(self.folder(job.compare) / "proof")]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("GENERATOR_")}
        with self._lock:  # a stop either comes first, or finds the child to end
            if self._stopping.is_set():
                return None
            child = subprocess.Popen(
                command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True, text=True,
            )  # fmt: skip
            self._child = child
        try:
            child.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            log.error("proof %s took over %.0f s: ended", job.id, TIMEOUT)
        finally:
            _end(child)
            with self._lock:
                self._child = None
        if self._stopping.is_set():
            return None
        return child.returncode in (0, 1) and (out / "proof.json").is_file()


def _end(child: subprocess.Popen[str]) -> None:
    """End a proof's process group (the CLI and its LibreOffice), if it is still there."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
