"""batch/chunks.py: chunks converted one at a time or several at once, pages in order."""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping, Sequence

import pytest
from pypdf import PdfReader, PdfWriter

from generator.batch.chunks import CHUNK_DOCUMENTS, Chunks


class _Converting:
    """Stands in for the renderer: a chunk of n documents becomes n blank pages whose width
    is the chunk's first document number. The first conversion waits until the second has
    finished, so with two at once the second ends first."""

    def __init__(self, parallel: bool) -> None:
        self.second_done = threading.Event()
        self.calls = 0
        self.parallel = parallel
        self.lock = threading.Lock()

    def convert(
        self, template: str, pages_each: int, contexts: Sequence[Mapping[str, object]]
    ) -> PdfReader:
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
        out = io.BytesIO()
        writer.write(out)
        return PdfReader(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize("parallel", [1, 2])
def test_pages_come_back_in_the_order_documents_were_added(parallel: int) -> None:
    chunks = Chunks()
    count = CHUNK_DOCUMENTS * 2 + 5
    places = [chunks.add("notice", 1, {"n": n}) for n in range(count)]
    chunks.convert(_Converting(parallel > 1), parallel)  # type: ignore[arg-type]
    assert not chunks.contexts, "contexts are let go"
    widths = [float(chunks.take(where, 1)[0].mediabox.width) for where in places]
    starts = [100 + (n // CHUNK_DOCUMENTS) * CHUNK_DOCUMENTS for n in range(count)]
    assert widths == starts
