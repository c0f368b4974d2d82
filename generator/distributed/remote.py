"""The coordinator's side: batches sent to Celery workers, their results checked, then kept."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from celery import Celery
from kombu.exceptions import OperationalError

from generator.batch.batches import PlanRow, Rendered
from generator.batch.config import RunConfig
from generator.distributed.broker import check, failure
from generator.distributed.results import accept
from generator.distributed.tasks import TASK, config_payload, make_app


def message(rows: Sequence[PlanRow]) -> list[list[Any]]:
    """A batch's rows as the task takes them (JSON)."""
    return [[r.ordinal, r.key, r.file, r.recipient, r.members, r.total] for r in rows]


class CeleryBatches:
    """Pass 2 over Celery: ``slots`` batches in flight, each rendered by some worker."""

    def __init__(self, app: Celery, *, slots: int, timeout: float | None = None) -> None:
        self.app = app
        self.slots = slots
        self.timeout = timeout
        self._checked = False
        self._check_lock = threading.Lock()

    @classmethod
    def connect(cls, broker_url: str, *, visibility_timeout: float, slots: int) -> CeleryBatches:
        """Batches through the broker at ``broker_url`` (redis://… or rediss://…)."""
        return cls(make_app(broker_url, visibility_timeout), slots=slots)

    def render(self, config: RunConfig, rows: Sequence[PlanRow]) -> list[Rendered]:
        # A worker's answer is kept only once it passes the coordinator's checks.
        return accept(config, rows, self._remote(config, rows))

    def _remote(self, config: RunConfig, rows: Sequence[PlanRow]) -> object:
        """The batch sent to some worker; its answer as received, not yet trusted."""
        self._check()
        try:
            result = self.app.send_task(TASK, args=[config_payload(config), message(rows)])
        except OperationalError as error:
            raise failure(str(self.app.conf.broker_url), error) from None
        try:
            answer: object = result.get(timeout=self.timeout, propagate=True)
        finally:
            result.forget()  # the PDFs must not linger in Redis
        return answer

    def _check(self) -> None:
        """The broker's first use checks it: a refused password fails the run at once
        (Celery's own retries would take ~20 s and end in a RuntimeError)."""
        with self._check_lock:
            if not self._checked:
                check(self.app)
                self._checked = True

    def close(self) -> None:
        return None
