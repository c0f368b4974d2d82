"""Template proofs asked for in the console (校正刷りの作成), one at a time.

Each proof is ``python -m generator templates proof`` in a process of its own, with its own
LibreOffice: a proof rasterises pages with PDFium, which must not run on two threads of the
service at once, and a template that upsets LibreOffice must not upset the service's
converters. A proof lives in DATA/proofs/ID: ``job.json`` (owner, state, what was asked),
the insurer's edited templates under ``templates/`` and the proof itself under ``proof/``.
"""

from __future__ import annotations

import json
import logging
import queue
import secrets
import shutil
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

from generator.outputs import private_dirs, write_private

log = logging.getLogger("generator.api")
#: A proof of every template takes about a minute; one that takes this long is stuck.
TIMEOUT = 900.0


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

    def start(self) -> None:
        for job in sorted(self._all(), key=lambda j: j.seq):
            if job.state in ("queued", "running"):  # a stop interrupted it: again
                self._queue.put(job.id)
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)

    def create(self, owner: str, *, profile: str, issue: date, compare: str | None) -> ProofJob:
        """A new proof's folder and record, not yet queued: its templates go in first."""
        job_id = secrets.token_hex(12)
        with self._lock:
            seq = max((j.seq for j in self._all()), default=0) + 1
            job = ProofJob(job_id, owner, seq, "queued", profile, issue.isoformat(), (), compare)
            private_dirs(self.folder(job_id) / "templates")
            self._save(job)
        return job

    def queue(self, job: ProofJob, templates: tuple[str, ...]) -> None:
        self._save(replace(job, templates=templates))
        self._queue.put(job.id)

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
        while (job_id := self._queue.get()) is not None:
            path = self.folder(job_id) / "job.json"
            job = self._read(path)
            try:
                self._save(replace(job, state="running"))
                error = self._proof(job)
                self._save(replace(job, state="failed" if error else "done", error=error))
            except Exception as error:  # a proof's failure must not stop the others
                log.error("proof %s failed: %s", job_id, type(error).__name__)
                self._save(replace(job, state="failed", error=type(error).__name__))

    def _proof(self, job: ProofJob) -> str | None:
        """Run the proof; None, or the command's last words when it wrote no proof."""
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
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        if (out / "proof.json").is_file():
            return None  # exit 1 means a page broke a rule: the proof shows which
        return (done.stderr.strip().splitlines() or ["the proof wrote nothing"])[-1]
