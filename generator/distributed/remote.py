"""The coordinator's side: batches sent to Celery workers, results waited for."""

from __future__ import annotations

from collections.abc import Sequence

from celery import Celery

from generator.batch.batches import PlanRow, Rendered, plans_from_rows
from generator.batch.config import RunConfig
from generator.distributed.tasks import TASK, config_payload, decode, make_app


class CeleryBatches:
    """Pass 2 over Celery: ``slots`` batches in flight, each rendered by some worker."""

    def __init__(self, app: Celery, *, slots: int, timeout: float | None = None) -> None:
        self.app = app
        self.slots = slots
        self.timeout = timeout

    @classmethod
    def connect(cls, broker_url: str, *, visibility_timeout: float, slots: int) -> CeleryBatches:
        """Batches through the broker at ``broker_url`` (redis://…)."""
        return cls(make_app(broker_url, visibility_timeout), slots=slots)

    def render(self, config: RunConfig, rows: Sequence[PlanRow]) -> list[Rendered]:
        message = [[r.ordinal, r.key, r.file, r.recipient, r.members, r.total] for r in rows]
        result = self.app.send_task(TASK, args=[config_payload(config), message])
        try:
            items = result.get(timeout=self.timeout, propagate=True)
        finally:
            result.forget()  # the PDFs must not linger in Redis
        by_ordinal = {row.ordinal: row for row in rows}
        rendered: list[Rendered] = []
        for item in items:
            outcome = decode(item)
            if isinstance(outcome, str):
                row = by_ordinal[int(item["ordinal"])]
                rendered.append((plans_from_rows(config, [row])[0], outcome))
            else:
                rendered.append(outcome)
        return rendered

    def close(self) -> None:
        return None
