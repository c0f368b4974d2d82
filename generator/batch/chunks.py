"""A batch cut into rounds (変換の回), and a round's documents, gathered per template and
converted in chunks (変換単位).

Pages are handed out by position: a document's place is known when it is added, before any
conversion. Its context is built only when its chunk is (``Later``), and let go once the
chunk is converted: a round's contexts (QR codes, barcodes, every member's text) are never
all held at once, only those of the chunks in hand.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pypdf import PageObject, PdfReader

from generator.documents.values import TemplateValue
from generator.render.pdf import page_at
from generator.render.pipeline import Renderer

#: Documents per conversion. LibreOffice names each imported table by scanning every table
#: before it, so a DOCX of n notices costs O(n²); below about 20 the fixed cost of a
#: conversion shows instead.
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
        """Convert every chunk; each one's contexts are let go once it is converted (pages
        are taken by position, and held to the end they weighed on every conversion and on
        the assembly). With ``parallel`` above 1, that many conversions run at once, each
        taking the next chunk as soon as it is free, the longest chunks first: a round's
        chunks differ in size (40 notices, a few cover letters), and a process that waited
        for another's longer chunk, or had only a short one left to end with, sat idle. The
        readers keep the chunks' order whichever conversion ends first."""
        pending = deque(
            sorted(
                (
                    (template, start // CHUNK_DOCUMENTS, contexts[start : start + CHUNK_DOCUMENTS])
                    for template, contexts in self.contexts.items()
                    for start in range(0, len(contexts), CHUNK_DOCUMENTS)
                ),
                key=lambda job: -len(job[2]) * self.pages[job[0]],  # stable: ties keep order
            )
        )
        self.contexts.clear()
        done: dict[tuple[str, int], PdfReader] = {}
        failed = threading.Event()

        def work() -> None:
            while not failed.is_set():
                try:
                    template, number, chunk = pending.popleft()
                except IndexError:
                    return
                try:
                    pages = self.pages[template]
                    done[template, number] = _convert(renderer, template, pages, chunk, self.spool)
                except BaseException:
                    failed.set()  # the others finish the chunk in hand and take no more
                    raise

        try:
            if parallel == 1:
                work()
            else:
                with ThreadPoolExecutor(max_workers=parallel) as pool:
                    loops = [pool.submit(work) for _ in range(min(parallel, len(pending)))]
                for loop in loops:
                    loop.result()
        except BaseException:  # a failed chunk: the others' files are closed all the same
            for reader in done.values():
                reader.stream.close()
            raise
        for template, number in sorted(done):  # every chunk, each template's in order
            self.readers[template].append(done[template, number])

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
        return [
            page_at(readers[i // per_chunk], i % per_chunk) for i in range(start, start + count)
        ]
