"""What makes a run the run its folder holds (実行の同一性): the fingerprint of its input
and settings, and the check that a new run or a ``--resume`` meets the folder it is given."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.batch.config import RunConfig
from generator.batch.store import Store
from generator.errors import DataError, OutputError
from generator.records.reader import FILE


def fingerprint(config: RunConfig) -> str:
    """What makes two runs the same run: input bytes, profile, issue date, kind."""
    digest = hashlib.sha256()
    source = Path(config.input)
    try:
        with source.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError as exc:  # the run's first read of it: the reader's error, not a traceback
        raise DataError(source.name, FILE, f"cannot be read: {exc.strerror}") from None
    digest.update(config.profile.model_dump_json().encode())
    digest.update(
        f"|{config.issue_date.isoformat()}|{config.kind.value}"
        f"|{config.batch_members}|{config.batch_pages}".encode()
    )
    return digest.hexdigest()


def check_folder(config: RunConfig, stamp: str) -> None:
    """A new run needs an unused folder; ``--resume`` needs the run the folder holds. A
    finished run keeps only its manifest (the state is gone), so its fingerprint decides:
    resuming it with other input, profile or date would mix two runs' PDFs."""
    manifest = config.out / "manifest.json"
    if not config.resume:
        if config.work_dir.exists() or manifest.exists():
            raise OutputError(f"{config.out} already holds a run: use --resume, or another folder")
        return
    if config.work_dir.exists() or not manifest.exists():
        return  # an interrupted run: the state's fingerprint is checked when it opens
    try:
        finished = json.loads(manifest.read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        finished = None
    if finished != stamp:
        raise OutputError(
            f"{config.out} holds a finished run of other input or settings; --resume needs the same"
        )


def claim(config: RunConfig, store: Store, stamp: str) -> None:
    """The state is this run's: new, or an interrupted run of the same input and settings."""
    known = store.get("fingerprint")
    if known is not None and known != f'"{stamp}"':
        raise OutputError(
            f"{config.out} holds a run of other input or settings; --resume needs the same"
        )
    store.put("fingerprint", stamp)
