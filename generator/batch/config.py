"""A bulk run's settings as one frozen value object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.batch.kinds import RunKind
from generator.domain.facility_token import KeyRing
from generator.profiles import Profile

#: Members per conversion batch, by default scaled to the run (about eight batches per
#: process, within these bounds): large enough that the ~100 ms fixed cost of a conversion
#: fades against ~15 ms a page, small enough to keep memory flat, the processes evenly busy
#: to the end, and resumes cheap. It depends on the input alone, so resumes cut the same.
MIN_BATCH_MEMBERS, MAX_BATCH_MEMBERS = 60, 240
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
    keys: KeyRing | None = None
    #: Members per batch; None scales it to the run (see MIN/MAX_BATCH_MEMBERS).
    batch_members: int | None = None

    def batch_size(self, members: int) -> int:
        if self.batch_members is not None:
            return self.batch_members
        return max(MIN_BATCH_MEMBERS, min(MAX_BATCH_MEMBERS, members // (8 * 2)))

    @property
    def work_dir(self) -> Path:
        return self.out / ".work"

    @property
    def deliveries_dir(self) -> Path:
        return self.out / "deliveries"
