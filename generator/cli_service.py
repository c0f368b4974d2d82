"""The service's commands: ``serve`` (the HTTP API) and ``worker`` (a Celery worker).

Both take their settings from the environment (generator.api.settings); the options here
only say where to listen and how many batches a worker renders at once.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

import click

from generator.cli_options import reports_errors

if TYPE_CHECKING:
    from generator.api.settings import Settings

DEFAULT_HOST = "127.0.0.1"


def _settings() -> Settings:
    from pydantic import ValidationError

    from generator.api.settings import Settings

    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "settings"
        # pydantic's message only: the input may be a key.
        raise click.UsageError(f"GENERATOR_{where.upper()}: {first['msg']}") from None


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
def serve(host: str, port: int) -> None:
    """The HTTP service (OpenAPI at /docs); settings from GENERATOR_* variables."""
    import uvicorn

    from generator.api import create_app

    settings = _settings()
    if not settings.key_hashes():
        raise click.UsageError("no API keys: set GENERATOR_API_KEYS or GENERATOR_API_KEYS_FILE")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # Access logs carry method, path and status only: no body, no query string values.
    app = create_app(settings)
    # A console's progress stream ends within 30 s by itself; a stop waits no longer.
    uvicorn.run(
        app, host=host, port=port, log_level="info", access_log=True, timeout_graceful_shutdown=30
    )


@click.command("worker")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 64),
    default=None,
    help="Batches at once (LibreOffice processes); GENERATOR_WORKERS by default.",
)
@click.option("--name", default=None, help="Celery node name (default: worker@host).")
@reports_errors
def worker(concurrency: int | None, name: str | None) -> None:
    """A Celery worker rendering bulk-run batches; GENERATOR_BROKER_URL names the broker."""
    from generator.distributed.tasks import make_app, register

    settings = _settings()
    if settings.broker_url is None:
        raise click.UsageError("set GENERATOR_BROKER_URL (redis://host:6379/0)")
    slots = concurrency or settings.workers
    app = make_app(settings.broker_url, settings.visibility_timeout)
    register(app, workers=slots, keys=settings.key_ring())
    args = ["worker", "--pool=threads", f"--concurrency={slots}", "--loglevel=INFO"]
    if name:
        args.append(f"--hostname={name}")
    app.worker_main(args)
    sys.exit(0)
