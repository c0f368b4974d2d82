"""Keeping a long process's resident size flat (常駐メモリ): a bulk run, the service and a
Celery worker render batch after batch, and their memory must not grow with the run.

What a batch leaves is cyclic garbage (pypdf's object graphs, python-docx's package) that
only a full collection frees, and heap pages glibc keeps unless asked: ``release`` frees both
once a batch is done, ``trim`` the pages alone; ``peak`` runs the stretches of work that
take most memory one at a time, so that they do not add up. ``settle`` makes the
full collections cheap by freezing what start-up created, so they scan only the objects of
the work in hand (about 5 ms instead of 35).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Held through a stretch of work whose memory peaks (see ``peak``).
_PEAK = threading.RLock()
#: glibc's mallopt parameters (malloc.h).
_M_MXFAST, _M_MMAP_THRESHOLD, _M_ARENA_MAX = 1, -3, -8
#: Blocks from this size up that the heap's free space cannot serve come from mmap, and go
#: back to the system when freed. zlib takes four blocks of exactly 64 KB for every zip entry
#: it compresses (a DOCX build writes ~15), and a member's XML is copied a few times at
#: 20–60 KB; from the heap, they grew it past longer-lived blocks, and the resident size
#: crept up over a run. 3,000 members peaked at 82.2 / 82.4 MiB with 256 KB, at 80.5 / 80.5
#: with 64 KB; 10,000 members at 76.3–76.6 MiB with 16 KB and no fastbins, against
#: 76.9–77.3 with 64 KB (1,000 members: 75.8–76.0 either way), in the same time.
MMAP_THRESHOLD = 16 * 1024


def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 - present in glibc only
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return None
    return libc


_LIBC = _libc()


def settle() -> None:
    """Once, when a process that renders many batches has started and before it works.

    Start-up's objects (modules, templates, font coverage) live as long as the process: frozen,
    no collection scans them again. glibc raises its mmap threshold each time a large block
    is freed, so buffers of a few MB soon come from the heap and fragment it; a fixed
    threshold (``MMAP_THRESHOLD``) hands every large block back to the system when freed,
    and one arena serves every thread: the conversion threads' free memory is the main
    thread's, one high-water mark, not two (Python holds the GIL as it allocates, so the
    threads hardly contend for it). No fastbins: a small block freed is merged with its
    free neighbours at once, not kept apart for reuse at its own size, where it splits the
    heap's free space for the larger blocks that come next (SQLite's, lxml's, zlib's)."""
    if _LIBC is not None:
        _LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        _LIBC.mallopt(_M_ARENA_MAX, 1)
        _LIBC.mallopt(_M_MXFAST, 0)
    gc.collect()
    gc.freeze()


def release() -> None:
    """Free what the last piece of work left: its cyclic garbage now (a full collection), and
    the heap pages glibc would otherwise keep."""
    gc.collect()
    trim()


def trim() -> None:
    """Hand the heap's free pages back to the system: glibc keeps them otherwise, and a heap
    of many small blocks (lxml's trees) rarely has free space at its top to give back."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


@contextmanager
def peak() -> Iterator[None]:
    """A stretch of work that takes a few MB for a moment (building a DOCX of a chunk,
    assembling a batch's deliveries): one at a time in the process, and what it left freed
    at the end, cyclic garbage too (python-docx's package, pypdf's readers): left for the
    collector's own time, it would still be there during the next stretch now and then, and
    the longer the run, the likelier the worst such overlap. Such work holds the GIL anyway,
    so threads lose no speed by taking turns, and the process's peak becomes one such
    stretch, not the chance overlap of several."""
    with _PEAK:
        try:
            yield
        finally:
            release()
