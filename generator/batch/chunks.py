"""A round's documents, gathered per template and converted in chunks (変換単位).

Pages are handed out by position: a document's place is known when its context is added,
before any conversion, so that contexts can be let go as soon as their chunk is converted.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor

from pypdf import PageObject, PdfReader

from generator.documents.values import TemplateValue
from generator.render.pipeline import Renderer

#: Documents per conversion. LibreOffice names each imported table by scanning every table
#: before it, so a DOCX of n notices costs O(n²): 120 notices took ~31 ms of CPU apiece,
#: 20–40 took ~25 ms; below 20 the fixed cost of a conversion starts to show.
CHUNK_DOCUMENTS = 40

#: Where a document's pages start: its template, and its first page among that template's.
Where = tuple[str, int]


class Chunks:
    """Contexts gathered per template, converted in chunks of ``CHUNK_DOCUMENTS``; pages
    handed out by position."""

    def __init__(self) -> None:
        self.contexts: dict[str, list[Mapping[str, TemplateValue]]] = defaultdict(list)
        self.pages: dict[str, int] = {}
        self.readers: dict[str, list[PdfReader]] = defaultdict(list)

    def add(self, template: str, pages: int, context: Mapping[str, TemplateValue]) -> Where:
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
                    renderer.convert(template, self.pages[template], chunk)
                )
                del chunk
            return
        running: deque[tuple[str, Future[PdfReader]]] = deque()
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            while pending or running:
                while pending and len(running) < parallel:
                    template, chunk = pending.popleft()
                    job = pool.submit(renderer.convert, template, self.pages[template], chunk)
                    running.append((template, job))
                    del chunk
                template, job = running.popleft()
                self.readers[template].append(job.result())
                del job

    def take(self, where: Where, count: int) -> list[PageObject]:
        template, start = where
        per_chunk = CHUNK_DOCUMENTS * self.pages[template]
        readers = self.readers[template]
        return [readers[i // per_chunk].pages[i % per_chunk] for i in range(start, start + count)]
