"""batch/chunks.py: a batch cut into rounds under both ceilings; chunks converted one at a
time or several at once, pages in order."""

from __future__ import annotations

import io
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from generator.batch.chunks import CHUNK_DOCUMENTS, Chunks, rounds
from generator.errors import ConversionError


def _units(sizes: list[int]) -> list[tuple[int, list[int]]]:
    """Deliveries of ``sizes`` members, each member one page and no header."""
    return [(0, [1] * n) for n in sizes]


@pytest.mark.parametrize(
    ("deliveries", "members", "pages", "expected"),
    [
        # by members
        (_units([3, 2]), 120, 300, [[(0, 0, 3), (1, 0, 2)]]),
        (_units([5]), 2, 300, [[(0, 0, 2)], [(0, 2, 4)], [(0, 4, 5)]]),
        (_units([2, 3, 1]), 2, 300, [[(0, 0, 2)], [(1, 0, 2)], [(1, 2, 3), (2, 0, 1)]]),
        (_units([0, 2]), 2, 300, [[(0, 0, 0), (1, 0, 2)]]),
        # by pages: the header rides with the first member
        ([(2, [2, 2]), (2, [4])], 120, 5, [[(0, 0, 1)], [(0, 1, 2)], [(1, 0, 1)]]),
        ([(2, [2]), (2, [2])], 120, 8, [[(0, 0, 1), (1, 0, 1)]]),
        ([(2, [2]), (2, [2])], 120, 7, [[(0, 0, 1)], [(1, 0, 1)]]),
        # a member above the ceiling alone is still a round; a header alone, too
        ([(2, [10, 2])], 120, 6, [[(0, 0, 1)], [(0, 1, 2)]]),
        ([(2, [2]), (4, [])], 120, 6, [[(0, 0, 1)], [(1, 0, 0)]]),
    ],
)
def test_rounds(
    deliveries: list[tuple[int, list[int]]],
    members: int,
    pages: int,
    expected: list[list[tuple[int, int, int]]],
) -> None:
    assert rounds(deliveries, members, pages) == expected


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=8),
            st.lists(st.integers(min_value=0, max_value=12), max_size=40),
        ),
        min_size=1,
        max_size=20,
    ),
    st.integers(min_value=1, max_value=50),
    st.integers(min_value=1, max_value=120),
)
def test_rounds_hold_every_member_once_in_order_and_stay_under_both_ceilings(
    deliveries: list[tuple[int, list[int]]], members: int, pages: int
) -> None:
    cut = rounds(deliveries, members, pages)
    held = [(i, m) for pieces in cut for i, start, stop in pieces for m in range(start, stop)]
    assert held == [(i, m) for i, (_, sizes) in enumerate(deliveries) for m in range(len(sizes))]
    assert [i for pieces in cut for i, start, _ in pieces if start == 0] == list(
        range(len(deliveries))
    ), "each delivery's header once, in order"
    for pieces in cut:
        assert sum(stop - start for _, start, stop in pieces) <= members
        used = sum(
            (deliveries[i][0] if start == 0 else 0) + sum(deliveries[i][1][start:stop])
            for i, start, stop in pieces
        )
        alone = len(pieces) == 1 and pieces[0][2] - pieces[0][1] <= 1
        assert used <= pages or alone, "only a lone member or header may pass the ceiling"
    total = sum(header + sum(sizes) for header, sizes in deliveries)
    if total <= pages and sum(len(sizes) for _, sizes in deliveries) <= members:
        assert len(cut) == 1, "a batch cut at the ceilings is one round"


class _Converting:
    """Stands in for the renderer: a chunk of n documents becomes n blank pages whose width
    is the chunk's first document number. The first conversion waits until the second has
    finished, so with two at once the second ends first. A chunk of negative numbers fails;
    with ``failing_alongside``, only once a good one has started, which waits for the
    failure. ``on_convert`` is told of each conversion as it starts."""

    def __init__(self, parallel: bool, on_convert: Callable[[], None] = lambda: None) -> None:
        self.on_convert = on_convert
        self.second_done = threading.Event()
        self.failed = threading.Event()
        self.good_started = threading.Event()
        self.calls = 0
        self.parallel = parallel
        self.failing_alongside = False
        self.lock = threading.Lock()
        self.opened: list[BinaryIO] = []

    def convert(
        self,
        template: str,
        pages_each: int,
        contexts: Sequence[Mapping[str, object]],
        *,
        spool: Path | None = None,
    ) -> PdfReader:
        self.on_convert()
        if int(str(contexts[0]["n"])) < 0:
            if self.failing_alongside:
                assert self.good_started.wait(timeout=30), "no chunk was converted alongside"
            self.failed.set()
            raise ConversionError("this chunk fails")
        self.good_started.set()
        if self.failing_alongside:
            assert self.failed.wait(timeout=30), "the failing chunk was not converted alongside"
        with self.lock:
            self.calls += 1
            call = self.calls
        if call == 1 and self.parallel:
            assert self.second_done.wait(timeout=30), "the second chunk was not converted alongside"
        writer = PdfWriter()
        for _ in range(len(contexts) * pages_each):
            writer.add_blank_page(100 + int(str(contexts[0]["n"])), 100)
        if call == 2:
            self.second_done.set()
        out = tempfile.TemporaryFile(dir=spool) if spool else io.BytesIO()  # noqa: SIM115
        writer.write(out)
        out.seek(0)
        self.opened.append(out)
        return PdfReader(out)


@pytest.mark.parametrize("parallel", [1, 2])
def test_pages_come_back_in_the_order_documents_were_added(parallel: int) -> None:
    chunks = Chunks()
    count = CHUNK_DOCUMENTS * 2 + 5
    places = [chunks.add("notice", 1, partial(dict, n=n)) for n in range(count)]
    chunks.convert(_Converting(parallel > 1), parallel)  # type: ignore[arg-type]
    assert not chunks.contexts, "contexts are let go"
    widths = [float(chunks.take(where, 1)[0].mediabox.width) for where in places]
    starts = [100 + (n // CHUNK_DOCUMENTS) * CHUNK_DOCUMENTS for n in range(count)]
    assert widths == starts


@pytest.mark.parametrize("parallel", [1, 2])
def test_each_chunks_file_is_closed_with_the_round_even_when_one_fails(
    parallel: int, tmp_path: Path
) -> None:
    converting = _Converting(parallel=False)
    with Chunks(tmp_path) as chunks:
        for n in range(CHUNK_DOCUMENTS * 3):
            chunks.add("notice", 1, partial(dict, n=n))
        chunks.convert(converting, parallel)  # type: ignore[arg-type]
        assert chunks.take(("notice", 0), 1)
    assert len(converting.opened) == 3
    assert all(f.closed for f in converting.opened)
    assert list(tmp_path.iterdir()) == []
    converting = _Converting(parallel=False)
    converting.failing_alongside = parallel > 1
    failing = Chunks(tmp_path)
    for n in [*[-1] * CHUNK_DOCUMENTS, *range(CHUNK_DOCUMENTS * 2)]:  # the first chunk fails
        failing.add("cover" if n < 0 else "notice", 1, partial(dict, n=n))
    with failing, pytest.raises(ConversionError):
        failing.convert(converting, parallel)  # type: ignore[arg-type]
    # With two at once, the chunk in hand alongside is converted, and no other is taken.
    assert len(converting.opened) == parallel - 1
    assert all(f.closed for f in converting.opened)


def test_a_documents_context_is_built_only_when_its_chunk_is_converted() -> None:
    """A round's contexts are never all held: each chunk's are built as it is converted."""
    built: list[int] = []
    at_conversion: list[int] = []

    def context(n: int) -> Mapping[str, object]:
        built.append(n)
        return {"n": n}

    chunks = Chunks()
    for n in range(CHUNK_DOCUMENTS * 3):
        chunks.add("notice", 1, partial(context, n))
    assert built == [], "adding a document builds nothing yet"
    converting = _Converting(parallel=False, on_convert=lambda: at_conversion.append(len(built)))
    chunks.convert(converting)  # type: ignore[arg-type]
    assert at_conversion == [CHUNK_DOCUMENTS, CHUNK_DOCUMENTS * 2, CHUNK_DOCUMENTS * 3]
    assert built == list(range(CHUNK_DOCUMENTS * 3))


@pytest.mark.parametrize("parallel", [1, 2])
def test_the_longest_chunks_are_converted_first_and_pages_stay_in_place(parallel: int) -> None:
    """A short chunk left to the end would keep one process busy while the others wait."""
    started: list[str] = []

    def context(first: str | None, n: int) -> Mapping[str, object]:
        if first:
            started.append(first)
        return {"n": n}

    def add(template: str, pages: int, base: int, count: int) -> list[tuple[str, int]]:
        return [
            chunks.add(
                template,
                pages,
                partial(
                    context,
                    f"{template}{i // CHUNK_DOCUMENTS}" if i % CHUNK_DOCUMENTS == 0 else None,
                    base + i,
                ),
            )
            for i in range(count)
        ]

    chunks = Chunks()
    cover = add("cover", 1, 1000, 3)  # 3 pages
    notice = add("notice", 2, 0, CHUNK_DOCUMENTS + 5)  # chunks of 80 and 10 pages
    sheet = add("sheet", 1, 2000, 20)  # 20 pages
    chunks.convert(_Converting(parallel=False), parallel)  # type: ignore[arg-type]
    longest_first = ["notice0", "sheet0", "notice1", "cover0"]
    if parallel == 1:
        assert started == longest_first
    else:  # the two longest are taken first, one by each conversion
        assert set(started[:2]) == set(longest_first[:2])
        assert sorted(started) == sorted(longest_first)
    widths = [int(chunks.take(w, 1)[0].mediabox.width) for w in [*cover, *notice, *sheet]]
    chunk_first = [1000] * 3 + [0] * CHUNK_DOCUMENTS + [CHUNK_DOCUMENTS] * 5 + [2000] * 20
    assert widths == [100 + n for n in chunk_first]
