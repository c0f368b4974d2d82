"""memory.py: garbage freed when asked, peaks taken one at a time, start-up frozen, large
blocks mapped."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
import weakref
from pathlib import Path

import pytest

from generator import memory

ROOT = Path(__file__).resolve().parents[2]


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_release_frees_cyclic_garbage_at_once() -> None:
    first, second = _Node(), _Node()
    first.other, second.other = second, first
    alive = weakref.ref(first)
    del first, second
    gc.disable()  # no automatic collection may do release's work for it
    try:
        assert alive() is not None
        memory.release()
        assert alive() is None
    finally:
        gc.enable()


def test_a_peak_leaves_no_cyclic_garbage_behind() -> None:
    gc.disable()  # no automatic collection may do the peak's work for it
    try:
        with memory.peak():
            first, second = _Node(), _Node()
            first.other, second.other = second, first
            alive = weakref.ref(first)
            del first, second
        assert alive() is None
    finally:
        gc.enable()


def test_one_peak_at_a_time() -> None:
    seen: list[bool] = []

    def other_thread() -> None:
        taken = memory._PEAK.acquire(blocking=False)
        if taken:
            memory._PEAK.release()
        seen.append(taken)

    with memory.peak():
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    other_thread()
    assert seen == [False, True]


def test_settle_freezes_what_exists() -> None:
    try:
        memory.settle()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


#: Run in a fresh interpreter: a block is mapped only when the heap's free space cannot serve
#: it, and a test process's heap has room for many (the whole suite's, for all of them).
_COUNT_MAPPED = """
import ctypes, sys
from generator import memory

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split())]

libc = memory._LIBC
if libc is None or not hasattr(libc, "mallinfo2"):
    sys.exit(3)
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype = ctypes.c_void_p
memory.settle()
for size in (memory.MMAP_THRESHOLD, memory.MMAP_THRESHOLD // 2):
    before = libc.mallinfo2().hblks
    blocks = [libc.malloc(size) for _ in range(1024)]  # more than the heap has free
    print(libc.mallinfo2().hblks - before)
small = [libc.malloc(48) for _ in range(64)]
for block in small:
    libc.free(ctypes.c_void_p(block))
print(libc.mallinfo2().fsmblks)  # bytes kept in fastbins
"""


def test_settle_maps_blocks_from_the_threshold_up_and_keeps_no_fastbins() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _COUNT_MAPPED],
        cwd=ROOT,  # where ``generator`` imports from, wherever pytest was started
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 3:
        pytest.skip("glibc 2.33 or later only")
    assert done.returncode == 0, done.stderr
    at_threshold, below, in_fastbins = (int(line) for line in done.stdout.split())
    assert at_threshold >= 512
    assert below == 0
    assert in_fastbins == 0
