"""A round's documents, gathered per template and converted in chunks (変換単位).

Pages are handed out by position: a document's place is known when its context is added,
before any conversion, so that contexts can be let go as soon as their chunk is converted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

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

    def convert(self, renderer: Renderer) -> None:
        """Each chunk's contexts are let go once it is converted: pages are taken by
        position, and held to the end they weighed on every conversion and on the assembly."""
        for template, contexts in self.contexts.items():
            while contexts:
                chunk = contexts[:CHUNK_DOCUMENTS]
                del contexts[:CHUNK_DOCUMENTS]
                reader = renderer.convert(template, self.pages[template], chunk)
                self.readers[template].append(reader)
                del chunk

    def take(self, where: Where, count: int) -> list[PageObject]:
        template, start = where
        per_chunk = CHUNK_DOCUMENTS * self.pages[template]
        readers = self.readers[template]
        return [readers[i // per_chunk].pages[i % per_chunk] for i in range(start, start + count)]
