"""The Celery application and its one task: render a batch of deliveries.

Messages are JSON (never pickle: a broker must not be able to run code on a worker). A
batch is acknowledged only when it is done (acks_late), so one taken by a worker that dies
goes back to the queue after ``visibility_timeout`` and another worker renders it; as a
batch's bytes depend only on its rows, a batch rendered twice is recorded once.
"""

from __future__ import annotations

import atexit
import base64
import threading
from datetime import date
from pathlib import Path
from typing import Any

from celery import Celery
from celery.app import trace

from generator.batch.assemble import DeliveryOutput
from generator.batch.batches import PlanRow, Rendered, render_rows
from generator.batch.config import RunConfig
from generator.distributed.broker import check, checked
from generator.domain.facility_token import KeyRing
from generator.profiles import Profile
from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig
from generator.render.pipeline import Renderer
from generator.selection import RunKind

TASK = "generator.render_batch"
QUEUE = "generator-batches"

_renderer: list[Renderer] = []
_renderer_lock = threading.Lock()


def make_app(broker_url: str, visibility_timeout: float) -> Celery:
    """A Celery app on ``broker_url`` (Redis: redis:// or rediss://, a password in the URL),
    results through the same Redis."""
    url = checked(broker_url)
    app = Celery("generator", broker=url, backend=url)
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=QUEUE,
        broker_transport_options={"visibility_timeout": visibility_timeout},
        result_backend_transport_options={"visibility_timeout": visibility_timeout},
        result_expires=24 * 3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
    )
    return app


def config_payload(config: RunConfig) -> dict[str, Any]:
    """What a worker needs of the run besides its rows (the keys are the worker's own)."""
    return {
        "profile": config.profile.model_dump(mode="json"),
        "issue_date": config.issue_date.isoformat(),
        "kind": config.kind.value,
        "batch_members": config.batch_members,
        "batch_pages": config.batch_pages,
    }


def config_from(payload: dict[str, Any], keys: KeyRing | None) -> RunConfig:
    return RunConfig(
        input=Path(),
        profile=Profile.model_validate(payload["profile"]),
        issue_date=date.fromisoformat(payload["issue_date"]),
        kind=RunKind(payload["kind"]),
        out=Path(),
        keys=keys,
        batch_members=int(payload["batch_members"]),
        batch_pages=int(payload["batch_pages"]),
    )


def encode(result: Rendered) -> dict[str, Any]:
    if isinstance(result, DeliveryOutput):
        return {
            "ordinal": result.ordinal,
            "file": result.file,
            "data": base64.b64encode(result.data).decode(),
            "pages": result.pages,
            "placements": result.placements,
            "sha256": result.sha256,
        }
    failed, message = result
    return {"ordinal": failed.ordinal, "error": message}


def work(
    renderer: Renderer, payload: dict[str, Any], rows: list[list[Any]], keys: KeyRing | None
) -> list[dict[str, Any]]:
    """What the task does with a batch: its rows rendered, each result as JSON."""
    config = config_from(payload, keys)
    plan_rows = [
        PlanRow(o, k, f, r, [(int(s), str(m)) for s, m in members], t)
        for o, k, f, r, members, t in rows
    ]
    return [encode(result) for result in render_rows(renderer, config, plan_rows)]


def register(app: Celery, *, workers: int, keys: KeyRing | None) -> None:
    """Add the task to a worker's app: one LibreOffice pool per worker process. A broker that
    refuses the worker's password or certificate is a DistributedError here, at start."""
    check(app, wait=True)
    # Celery logs a task's return value on success: here, the deliveries' PDFs.
    trace.LOG_SUCCESS = "Task %(name)s[%(id)s] succeeded in %(runtime)ss"

    def renderer() -> Renderer:
        with _renderer_lock:
            if not _renderer:
                pool = LibreOfficePool(PoolConfig(workers=workers))
                atexit.register(pool.close)
                _renderer.append(Renderer(pool, keys=keys))
            return _renderer[0]

    @app.task(name=TASK)  # type: ignore[untyped-decorator]
    def render_batch(payload: dict[str, Any], rows: list[list[Any]]) -> list[dict[str, Any]]:
        return work(renderer(), payload, rows, keys)
