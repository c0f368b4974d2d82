"""Coalescing single-document requests (リクエストの集約): many requests, one layout.

A conversion's fixed cost is many times a page's, so a request is not converted on its own
when others are waiting: while every converter is busy, requests pile up per kind, and the next
free converter takes up to ``max_batch`` of one kind, waits ``window`` for a few more, and
lays them out as one document. Each is then exported alone (``Renderer.render_each``), so a
response is byte for byte what rendering that request alone gives. With one caller nothing
waits: a free converter takes the request at once.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from generator.documents import spec_for
from generator.domain.kinds import DocumentKind
from generator.errors import ConversionError, QueueFullError
from generator.facts import MemberFacts
from generator.profiles import Profile
from generator.render.pipeline import Renderer


@dataclass(slots=True)
class _Request:
    facts: MemberFacts
    profile: Profile
    done: asyncio.Future[bytes]


@dataclass(slots=True)
class CoalescerStats:
    """Counters for /metrics."""

    documents: int = 0
    batches: int = 0
    pages: int = 0
    rejected: int = 0
    by_size: dict[int, int] = field(default_factory=dict)


class Coalescer:
    """Hands requests to the converters, a batch of one kind at a time, with up to ``slots``
    batches in flight (one more than converters keeps them fed between batches)."""

    def __init__(
        self, renderer: Renderer, *, slots: int, window: float, max_batch: int, limit: int
    ) -> None:
        self.renderer = renderer
        self.window = window
        self.max_batch = max_batch
        self.limit = limit
        self.stats = CoalescerStats()
        self._pending: OrderedDict[DocumentKind, list[_Request]] = OrderedDict()
        self._in_flight = 0
        self._free = asyncio.Semaphore(slots)
        self._arrived = asyncio.Event()
        self._threads = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="coalesce")
        self._dispatcher: asyncio.Task[None] | None = None

    @property
    def depth(self) -> int:
        """Requests waiting or rendering."""
        return self._in_flight

    def start(self) -> None:
        self._dispatcher = asyncio.get_running_loop().create_task(self._dispatch())

    async def close(self) -> None:
        if self._dispatcher is not None:
            self._dispatcher.cancel()
        self._threads.shutdown(wait=True, cancel_futures=True)

    async def render(self, kind: DocumentKind, facts: MemberFacts, profile: Profile) -> bytes:
        """The finished PDF; QueueFullError when ``limit`` requests are already in."""
        if self._in_flight >= self.limit:
            self.stats.rejected += 1
            raise QueueFullError(f"{self._in_flight} documents are queued; try again shortly")
        request = _Request(facts, profile, asyncio.get_running_loop().create_future())
        self._pending.setdefault(kind, []).append(request)
        self._in_flight += 1
        self._arrived.set()
        try:
            return await request.done
        finally:
            self._in_flight -= 1

    async def _dispatch(self) -> None:
        while True:
            await self._arrived.wait()
            await self._free.acquire()
            if self.window and sum(map(len, self._pending.values())) < self.max_batch:
                await asyncio.sleep(self.window)
            kind, batch = self._take()
            if not self._pending:
                self._arrived.clear()
            if not batch:
                self._free.release()
                continue
            task = asyncio.get_running_loop().create_task(self._render(kind, batch))
            task.add_done_callback(lambda _: self._free.release())

    def _take(self) -> tuple[DocumentKind, list[_Request]]:
        """Up to ``max_batch`` requests of the kind that has waited longest."""
        if not self._pending:
            return DocumentKind.QUALIFICATION_NOTICE, []
        kind, waiting = next(iter(self._pending.items()))
        batch, rest = waiting[: self.max_batch], waiting[self.max_batch :]
        if rest:
            self._pending[kind] = rest
            self._pending.move_to_end(kind)
        else:
            del self._pending[kind]
        return kind, [r for r in batch if not r.done.cancelled()]

    async def _render(self, kind: DocumentKind, batch: list[_Request]) -> None:
        loop = asyncio.get_running_loop()
        jobs = [(r.facts, r.profile) for r in batch]
        try:
            pdfs = await loop.run_in_executor(self._threads, self.renderer.render_each, kind, jobs)
        except Exception as error:  # the callers get it; the dispatcher goes on
            if isinstance(error, ConversionError) and len(batch) > 1:
                # One document that overflows its layout must not fail its neighbours: alone,
                # each either renders or fails on its own.
                for request in batch:
                    await self._render(kind, [request])
                return
            for request in batch:
                if not request.done.done():
                    request.done.set_exception(error)
            return
        self.stats.documents += len(batch)
        self.stats.batches += 1
        self.stats.by_size[len(batch)] = self.stats.by_size.get(len(batch), 0) + 1
        self.stats.pages += spec_for(kind).pages * len(batch)
        for request, pdf in zip(batch, pdfs, strict=True):
            if not request.done.done():
                request.done.set_result(pdf)
