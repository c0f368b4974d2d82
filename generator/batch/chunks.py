"""A batch cut into rounds (変換の回), and a round's documents, gathered per template and
converted in chunks (変換単位).

Pages are handed out by position: a document's place is known when it is added, before any
conversion. Its context is built only when its chunk is (``Later``), and let go once the
chunk is converted: a round's contexts (QR codes, barcodes, every member's text; ~1.5 MB
for 120 members) are never all held at once, only those of the chunks in hand.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pypdf import PageObject, PdfReader

from generator.documents.values import TemplateValue
from generator.render.pipeline import Renderer

#: Documents per conversion. LibreOffice names each imported table by scanning every table
#: before it, so a DOCX of n notices costs O(n²): 120 notices took ~31 ms of CPU apiece,
#: 20–40 took ~25 ms; below 20 the fixed cost of a conversion starts to show.
CHUNK_DOCUMENTS = 40

#: Part of a delivery in a round: the delivery's index in the batch, and its members
#: ``start:stop``. A piece that starts at 0 carries the cover letter and the 送付者リスト.
Piece = tuple[int, int, int]


def rounds(
    deliveries: Iterable[tuple[int, Iterable[int]]], members: int, pages: int
) -> list[list[Piece]]:
    """Deliveries, each as its header's pages and its members' pages, cut in order into
    rounds of at most ``members`` members and ``pages`` pages: the run's batch ceilings, so
    that a batch the runner cut is one round, and only a delivery above them (an employer of
    hundreds or thousands of members) takes several, its file open between them. The header
    goes with the delivery's first member (alone, in a delivery of none); a member that
    exceeds ``pages`` on its own still makes a round."""
    cut: list[list[Piece]] = [[]]
    held = used = 0  # the last round's members and pages
    for index, (header, sizes) in enumerate(deliveries):
        costs = list(sizes)
        units = [(1, header + costs[0]), *((1, c) for c in costs[1:])] if costs else [(0, header)]
        start = 0
        for position, (count, size) in enumerate(units):
            if (held or used) and (held + count > members or used + size > pages):
                if position > start:
                    cut[-1].append((index, start, position))
                cut.append([])
                held = used = 0
                start = position
            held, used = held + count, used + size
        cut[-1].append((index, start, len(costs)))
    return cut


#: Where a document's pages start: its template, and its first page among that template's.
Where = tuple[str, int]
#: A document's context, built when its chunk is.
Later = Callable[[], Mapping[str, TemplateValue]]


def _convert(
    renderer: Renderer, template: str, pages: int, chunk: list[Later], spool: Path | None
) -> PdfReader:
    """One chunk: its contexts built, converted, and let go."""
    return renderer.convert(template, pages, [later() for later in chunk], spool=spool)


class Chunks:
    """Documents gathered per template, converted in chunks of ``CHUNK_DOCUMENTS``; pages
    handed out by position. With ``spool``, each converted chunk waits in an unnamed file
    there, not in memory (``Renderer.convert``); ``close`` when the round is written."""

    def __init__(self, spool: Path | None = None) -> None:
        self.contexts: dict[str, list[Later]] = defaultdict(list)
        self.pages: dict[str, int] = {}
        self.readers: dict[str, list[PdfReader]] = defaultdict(list)
        self.spool = spool

    def add(self, template: str, pages: int, context: Later) -> Where:
        self.pages[template] = pages
        self.contexts[template].append(context)
        return template, (len(self.contexts[template]) - 1) * pages

    def convert(self, renderer: Renderer, parallel: int = 1) -> None:
        """Each chunk's contexts are let go once it is converted: pages are taken by
        position, and held to the end they weighed on every conversion and on the assembly.
        With ``parallel`` above 1, that many chunks are converted at once (a large employer's
        round, alone in its batch, would otherwise keep one LibreOffice process busy); the
        readers keep the chunks' order whichever conversion ends first."""
        pending = deque(
            (template, contexts[start : start + CHUNK_DOCUMENTS])
            for template, contexts in self.contexts.items()
            for start in range(0, len(contexts), CHUNK_DOCUMENTS)
        )
        self.contexts.clear()
        if parallel == 1:
            while pending:
                template, chunk = pending.popleft()
                self.readers[template].append(
                    _convert(renderer, template, self.pages[template], chunk, self.spool)
                )
                del chunk
            return
        running: deque[tuple[str, Future[PdfReader]]] = deque()
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            try:
                while pending or running:
                    while pending and len(running) < parallel:
                        template, chunk = pending.popleft()
                        job = pool.submit(
                            _convert, renderer, template, self.pages[template], chunk, self.spool
                        )
                        running.append((template, job))
                        del chunk
                    template, job = running.popleft()
                    self.readers[template].append(job.result())
                    del job
            finally:  # a failed chunk: the others' files are closed all the same
                for _, job in running:
                    if job.exception() is None:
                        job.result().stream.close()

    def close(self) -> None:
        """Let the converted chunks go, their files closed (a spooled chunk's is then gone)."""
        for readers in self.readers.values():
            for reader in readers:
                reader.stream.close()
        self.readers.clear()

    def __enter__(self) -> Chunks:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def take(self, where: Where, count: int) -> list[PageObject]:
        template, start = where
        per_chunk = CHUNK_DOCUMENTS * self.pages[template]
        readers = self.readers[template]
        return [readers[i // per_chunk].pages[i % per_chunk] for i in range(start, start + count)]
