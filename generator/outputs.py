"""Writing output files: owner-only permissions, and never a half-written file."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from generator.errors import OutputError

#: Owner read and write only: output holds personal data.
FILE_MODE = 0o600
DIR_MODE = 0o700

#: A path as pathlib or as text. A file of its own for every delivery or chunk is named as
#: text (``inside``): Python 3.11's pathlib interns each part of every path it parses, and
#: the interpreter's table of interned strings, filled by a long run's file names one after
#: another (freed, but each taking a slot until the table is rebuilt), doubles on a long
#: run and stays doubled to its end (bench/BENCHMARKS.md).
PathLike = str | os.PathLike[str]


def inside(directory: PathLike, name: str) -> str:
    """The path of the file ``name`` in ``directory``, as text."""
    return os.path.join(directory, name)


def private_dirs(path: PathLike) -> None:
    """Create the folder ``path`` and its missing parents, each 0700 whatever the umask
    (``os.makedirs`` makes the parents 0777 less the umask: 0755 as a rule). A folder that
    exists is left as it is; OSError when one cannot be made."""
    missing = []
    folder = os.path.abspath(path)
    while not os.path.isdir(folder):
        missing.append(folder)
        folder = os.path.dirname(folder)
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:
            if not os.path.isdir(folder):
                raise
            continue  # made meanwhile by another writer: not ours to change
        os.chmod(folder, DIR_MODE)


def write_private(path: PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600, through a temporary file and a rename."""
    with private_binary(path) as handle:
        handle.write(data)


@contextlib.contextmanager
def private_text(path: PathLike) -> Iterator[TextIO]:
    """A UTF-8 text file written as a stream, mode 0600, in place only once complete."""
    with private_binary(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield text
        text.flush()
        text.detach()  # the binary file is closed by private_binary, renamed only then


@contextlib.contextmanager
def private_binary(path: PathLike) -> Iterator[BinaryIO]:
    """A file written as a stream, mode 0600, in place only once complete; on any error
    (the writer's own too) the partial file is removed and ``path`` is left as it was."""
    directory, name = os.path.split(os.fspath(path))
    temporary = os.path.join(directory, f".{name}.part")
    try:
        private_dirs(directory or ".")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        raise
