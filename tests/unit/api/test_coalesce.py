"""The coalescer, over the fake converter: batching, the queue limit, failures."""

from __future__ import annotations

import asyncio

import pytest

from generator.api.coalesce import Coalescer
from generator.domain.kinds import DocumentKind
from generator.errors import ConversionError, QueueFullError
from generator.render.convert.base import FakeConverter
from generator.render.pipeline import Renderer
from tests.cases import facts, profile

KIND = DocumentKind.CERTIFICATE_APPLICATION


class CountingConverter(FakeConverter):
    """Records the size of each layout; fails any that holds ``poison`` pages or more."""

    def __init__(self, poison: int = 10**6) -> None:
        super().__init__()
        self.sizes: list[int] = []
        self.poison = poison

    def convert_ranges(self, docx: bytes, ranges):  # type: ignore[no-untyped-def, override]
        self.sizes.append(len(ranges))
        if len(ranges) >= self.poison:
            raise ConversionError("overflowed")
        return super().convert_ranges(docx, ranges)


async def _many(converter: FakeConverter, count: int, **options: float) -> list[object]:
    settings = {"slots": 1, "window": 0.05, "max_batch": 8, "limit": 100} | options
    coalescer = Coalescer(Renderer(converter), **settings)  # type: ignore[arg-type]
    coalescer.start()
    try:
        job = facts("under-70")
        return await asyncio.gather(
            *(coalescer.render(KIND, job, profile()) for _ in range(count)),
            return_exceptions=True,
        )
    finally:
        await coalescer.close()


def test_requests_waiting_together_share_layouts_of_at_most_max_batch() -> None:
    converter = CountingConverter()
    results = asyncio.run(_many(converter, 20))
    assert all(isinstance(r, bytes) for r in results)
    assert sum(converter.sizes) == 20
    assert max(converter.sizes) <= 8
    assert len(converter.sizes) <= 4


def test_past_the_limit_requests_are_refused_not_queued() -> None:
    results = asyncio.run(_many(CountingConverter(), 6, limit=4))
    assert sum(isinstance(r, QueueFullError) for r in results) == 2
    assert sum(isinstance(r, bytes) for r in results) == 4


def test_a_failed_layout_is_retried_one_by_one() -> None:
    converter = CountingConverter(poison=2)
    results = asyncio.run(_many(converter, 5))
    assert all(isinstance(r, bytes) for r in results)
    assert converter.sizes.count(1) == 5


@pytest.mark.parametrize("count", [1, 3])
def test_an_error_for_everyone_reaches_every_caller(count: int) -> None:
    results = asyncio.run(_many(CountingConverter(poison=1), count))
    assert all(isinstance(r, ConversionError) for r in results)
