"""memory.py: garbage freed when asked, peaks taken one at a time, start-up frozen."""

from __future__ import annotations

import gc
import threading
import weakref

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
