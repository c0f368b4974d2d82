"""memory.py: garbage freed when asked, peaks taken one at a time, start-up frozen."""

from __future__ import annotations

import ctypes
import gc
import threading
import weakref

import pytest

from generator import memory


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


#: glibc's struct mallinfo2: ten size_t counters; hblks counts the blocks held in mmap.
_MALLINFO2 = ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks")


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (*_MALLINFO2, "fordblks", "keepcost")]


def test_settle_sends_blocks_from_the_threshold_up_to_mmap() -> None:
    libc = memory._LIBC
    if libc is None or not hasattr(libc, "mallinfo2"):
        pytest.skip("glibc 2.33 or later only")
    libc.mallinfo2.restype = _MallInfo2
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    try:
        memory.settle()
    finally:
        gc.unfreeze()
    # A block is mapped only when the heap's free space cannot serve it, so ask for more
    # than the heap of a test process has free.
    for size, least, most in [
        (memory.MMAP_THRESHOLD, 128, 256),
        (memory.MMAP_THRESHOLD // 2, 0, 0),
    ]:
        before = libc.mallinfo2().hblks
        blocks = [libc.malloc(size) for _ in range(256)]
        try:
            assert least <= libc.mallinfo2().hblks - before <= most, size
        finally:
            for block in blocks:
                libc.free(block)
