"""A bulk run's settings as one frozen value object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.domain.facility_token import KeyRing
from generator.profiles import Profile
from generator.selection import RunKind

#: Members per conversion batch: large enough that a conversion's fixed cost fades against
#: its pages', small enough for resumes to be cheap. It is fixed, not scaled
#: to the run: a batch's size sets peak memory, which must not grow with the input.
DEFAULT_BATCH_MEMBERS = 120
#: Pages per conversion batch, sheets' padding included. What a batch holds while it is
#: assembled (its converted chunks) goes with its pages, and 120 members take from ~250 to
#: ~400 of them as their documents and deliveries vary: cut at members alone, a longer run
#: met heavier batches and peaked higher (10,000 members' heaviest batch had 390 pages,
#: 1,000's 358). With this ceiling, which runs of a few batches already reach, the
#: heaviest batch is the same size in any run.
DEFAULT_BATCH_PAGES = 300
DEFAULT_WORKERS = max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class RunConfig:
    """What to run: the input, the insurer, the one issue date, the kind, where to write."""

    input: Path
    profile: Profile
    issue_date: date
    kind: RunKind
    out: Path
    workers: int = DEFAULT_WORKERS
    resume: bool = False
    #: Preflight every delivery written (印刷前検査): violations go into the manifest.
    preflight: bool = False
    keys: KeyRing | None = None
    batch_members: int = DEFAULT_BATCH_MEMBERS
    batch_pages: int = DEFAULT_BATCH_PAGES

    @property
    def work_dir(self) -> Path:
        return self.out / ".work"

    @property
    def deliveries_dir(self) -> Path:
        return self.out / "deliveries"
