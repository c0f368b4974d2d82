"""The coordinator's side: batches sent to Celery workers, their results checked, then kept."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Sequence
from typing import Any

from celery import Celery
from celery.exceptions import TimeoutError as ResultTimeout
from celery.result import AsyncResult
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from generator.batch.batches import PlanRow, Rendered
from generator.batch.config import RunConfig
from generator.distributed.broker import check, failure, instance
from generator.distributed.results import accept
from generator.distributed.tasks import TASK, config_payload, make_app
from generator.errors import DistributedError

#: Seconds between looks at the broker while a batch is out: has it restarted?
POLL = 5.0
#: Seconds a broker may be away (restarting, a network blip) before the run stops.
PATIENCE = 120.0


def message(rows: Sequence[PlanRow]) -> list[list[Any]]:
    """A batch's rows as the task takes them (JSON)."""
    return [[r.ordinal, r.key, r.file, r.recipient, r.members, r.total] for r in rows]


class CeleryBatches:
    """Pass 2 over Celery: ``slots`` batches in flight, each rendered by some worker.

    A batch is sent again when the broker restarted while it was out: the restart lost it
    if it was still queued, and its first answer, should one still come, is not waited for.
    Only the coordinator writes files, so a batch rendered twice is written once."""

    def __init__(self, app: Celery, *, slots: int, timeout: float | None = None) -> None:
        self.app = app
        self.slots = slots
        self.timeout = timeout
        self._checked = False
        self._check_lock = threading.Lock()
        #: Batches sent again after a broker restart: their first answer, should a worker
        #: still give it, would keep its PDFs in Redis until the results expire.
        self._abandoned: list[AsyncResult] = []

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
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        while True:
            broker = instance(self.app, patience=PATIENCE)
            try:
                result = self.app.send_task(TASK, args=[config_payload(config), message(rows)])
            except OperationalError as error:
                raise failure(str(self.app.conf.broker_url), error) from None
            try:
                answered, answer = self._wait(result, broker, deadline)
            finally:
                self._forget(result)  # the PDFs must not linger in Redis
            if answered:
                self._forget_abandoned()
                return answer
            with self._check_lock:  # its answer may still come: forgotten when it can be
                self._abandoned.append(result)

    def _wait(
        self, result: AsyncResult, broker: str, deadline: float | None
    ) -> tuple[bool, object]:
        """(True, the answer), or (False, None) once the broker restarted under it."""
        while True:
            try:
                # Not propagated: the result store names the exception's class, and a rogue
                # worker could name any one this process has imported (SystemExit, say).
                answer = result.get(timeout=POLL, propagate=False)
            except (ResultTimeout, RedisError, OperationalError):
                answer = None
            except Exception as error:  # a stored failure Celery cannot read back
                raise DistributedError(
                    f"a worker's answer cannot be read ({type(error).__name__})"
                ) from None
            else:
                if result.failed():
                    name = type(answer).__name__ if isinstance(answer, BaseException) else "?"
                    raise DistributedError(f"a worker failed its batch ({name})")
                return True, answer
            if deadline is not None and time.monotonic() > deadline:
                raise DistributedError(f"no worker answered within {self.timeout:.0f} s")
            if instance(self.app, patience=PATIENCE) != broker:
                return False, None

    def _check(self) -> None:
        """The broker's first use checks it: a refused password fails the run at once
        (Celery's own retries would take ~20 s and end in a RuntimeError)."""
        with self._check_lock:
            if not self._checked:
                check(self.app)
                self._checked = True

    @staticmethod
    def _forget(result: AsyncResult) -> None:
        with contextlib.suppress(Exception):  # a broker away keeps nothing anyway
            result.forget()

    def _forget_abandoned(self) -> None:
        with self._check_lock:
            abandoned, self._abandoned = self._abandoned, []
        for result in abandoned:
            try:
                answered = result.ready()
            except Exception:  # the broker away: looked at again later
                answered = False
            self._forget(result)
            if not answered:  # its answer may come yet: forgotten again later
                with self._check_lock:
                    self._abandoned.append(result)

    def close(self) -> None:
        """Forget what abandoned batches answered, and let the app's broker and result
        connections go (a service keeps one app for its life; a caller that makes one per
        run closes it)."""
        self._forget_abandoned()
        with contextlib.suppress(Exception):  # a broker already gone has nothing to close
            self.app.backend.client.connection_pool.disconnect()
        self.app.close()
