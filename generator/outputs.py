"""Writing output files: owner-only permissions, and never a half-written file."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from generator.errors import OutputError

#: Owner read and write only: output holds personal data.
FILE_MODE = 0o600
DIR_MODE = 0o700


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600, through a temporary file and a rename."""
    with private_binary(path) as handle:
        handle.write(data)


@contextlib.contextmanager
def private_text(path: Path) -> Iterator[TextIO]:
    """A UTF-8 text file written as a stream, mode 0600, in place only once complete."""
    with private_binary(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield text
        text.flush()
        text.detach()  # the binary file is closed by private_binary, renamed only then


@contextlib.contextmanager
def private_binary(path: Path) -> Iterator[BinaryIO]:
    """A file written as a stream, mode 0600, in place only once complete; on any error
    (the writer's own too) the partial file is removed and ``path`` is left as it was."""
    temporary = path.with_name(f".{path.name}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        raise
