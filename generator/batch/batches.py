"""Where pass 2's batches render (バッチの描画先): a thread over a local LibreOffice pool, or
Celery workers on other machines. Both take the same rows and run the same code, so the
bytes out do not depend on where a batch ran.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol, overload

from generator.batch.assemble import DeliveryOutput, DeliveryPlan, Target, render_batch
from generator.batch.config import RunConfig
from generator.batch.plan import Planned, facts_for, recipient_from_json
from generator.domain.models import Member
from generator.errors import ConversionError, TemplateError
from generator.outputs import inside, private_binary
from generator.render.convert.base import Converter
from generator.render.pipeline import Renderer

#: How often a batch whose conversion failed is rendered whole before each delivery alone.
BATCH_ATTEMPTS = 3

#: A delivery rendered, or the delivery and why it could not be.
Rendered = DeliveryOutput | tuple[DeliveryPlan, str]


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One delivery of a batch as stored: members as (seq, record JSON)."""

    ordinal: int
    key: str
    file: str
    recipient: str
    members: list[tuple[int, str]]
    total: int


class Batches(Protocol):
    """Where pass 2's batches render: threads over a local pool, or Celery workers."""

    slots: int

    def render(self, config: RunConfig, rows: Sequence[PlanRow]) -> list[Rendered]: ...

    def close(self) -> None: ...


class LocalBatches:
    """Batches rendered in this process, through ``converter``: one at a time, its chunks
    spread over the pool's processes (``alone``), so that no batch is assembled while
    another is half converted (bench/BENCHMARKS.md has what each way cost)."""

    def __init__(self, config: RunConfig, converter: Converter, *, own: bool) -> None:
        self.slots = 1
        self.renderer = Renderer(converter, keys=config.keys)
        self.converter, self.own = converter, own

    def render(self, config: RunConfig, rows: Sequence[PlanRow]) -> list[Rendered]:
        # Each PDF is written while it is assembled: neither a delivery nor a batch's PDFs
        # is ever whole in memory.
        def target(name: str) -> AbstractContextManager[BinaryIO]:
            return private_binary(inside(config.deliveries_dir, name))

        return render_rows(self.renderer, config, rows, target, spool=config.work_dir, alone=True)

    def close(self) -> None:
        if self.own:
            self.converter.close()


class DecidedMembers(Sequence[Planned]):
    """A delivery's members, each decided again from its record (seq, JSON) when read. A
    delivery within one round is decided once, up front; a larger employer's members are
    decided as each round reads them, never all held at once (a Member and its facts weigh
    many times its JSON)."""

    def __init__(self, config: RunConfig, rows: list[tuple[int, str]]) -> None:
        self._config, self._rows = config, rows
        small = len(rows) <= config.batch_members  # one round
        self._held = [self._decide(row) for row in rows] if small else None

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Planned: ...

    @overload
    def __getitem__(self, index: slice) -> list[Planned]: ...

    def __getitem__(self, index: int | slice) -> Planned | list[Planned]:
        if self._held is not None:
            return self._held[index]
        if isinstance(index, slice):
            return [self._decide(row) for row in self._rows[index]]
        return self._decide(self._rows[index])

    def _decide(self, row: tuple[int, str]) -> Planned:
        seq, member_json = row
        member = Member.model_validate_json(member_json)
        facts, documents, _ = facts_for(self._config, member)
        return Planned(seq, member, documents, facts)


def plans_from_rows(config: RunConfig, rows: Sequence[PlanRow]) -> list[DeliveryPlan]:
    """Deliveries ready to render: each member's facts decided again from its record."""
    return [
        DeliveryPlan(
            row.ordinal,
            row.key,
            row.file,
            recipient_from_json(row.recipient),
            DecidedMembers(config, row.members),
            row.total,
        )
        for row in rows
    ]


def render_rows(
    renderer: Renderer,
    config: RunConfig,
    rows: Sequence[PlanRow],
    target: Target | None = None,
    *,
    spool: Path | None = None,
    alone: bool = False,
) -> list[Rendered]:
    """A batch, rendered: what a local thread or a Celery worker does with it. Converted
    chunks wait in ``spool`` (the run's own work folder, for a local run) when given; a
    batch ``alone`` in flight spreads its chunks over the pool (``render_batch``)."""
    return _render(renderer, config, plans_from_rows(config, rows), target, spool, alone=alone)


def _render(
    renderer: Renderer,
    config: RunConfig,
    plans: list[DeliveryPlan],
    target: Target | None,
    spool: Path | None,
    *,
    alone: bool,
) -> list[Rendered]:
    """A batch; when it fails as a whole, each delivery alone, so one bad one loses no other.

    A conversion that failed is first tried again as the same batch: its chunks, and so its
    deliveries' bytes, are then those of an unbroken run. Alone, a delivery's documents are
    chunked with other neighbours and its fonts subset differently."""

    def batch(deliveries: list[DeliveryPlan]) -> list[DeliveryOutput]:
        return render_batch(
            renderer,
            config.profile,
            config.issue_date,
            deliveries,
            ceilings=(config.batch_members, config.batch_pages),
            target=target,
            parallel=config.workers,
            alone=alone,
            spool=spool,
            run=config.kind,
        )

    for _ in range(BATCH_ATTEMPTS - 1):
        try:
            return list(batch(plans))
        except ConversionError:
            continue  # soffice died again in a job its pool had retried: the same batch again
        except TemplateError:
            break
    try:
        return list(batch(plans))
    except (ConversionError, TemplateError):
        results: list[Rendered] = []
        for single in plans:
            try:
                results += batch([single])
            except (ConversionError, TemplateError) as error:
                results.append((single, str(error)))
        return results
