"""The HTTP service (帳票作成API): FastAPI on uvicorn, ``python -m generator serve``.

``create_app(settings)`` builds the app; its lifespan starts the LibreOffice pool, the
request coalescer and the run manager, and stops them. Only this package imports the web
framework.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.exceptions import HTTPException

from generator.api import console, errors, routes_documents, routes_runs, routes_service
from generator.api.console.proof_jobs import ProofJobs
from generator.api.guards import ASGI, Message, Receive, RequireKey, Scope, Send, quiet_uvicorn
from generator.api.service import Service
from generator.api.sessions import PATH
from generator.api.settings import Settings

log = logging.getLogger("generator.api")
#: Where a request's body is a member file or templates: the upload limit, not a document's.
UPLOAD_PATHS = frozenset({"/v1/runs", "/console/runs", "/console/proofs"})


class BodyTooLargeError(HTTPException):
    """A request body past the limit (HTTP 413): an HTTPException, so that FastAPI's body
    parsing passes it on instead of answering 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body is over {limit} bytes")


class BodyLimit:
    """413 for a body over the limit: at once from Content-Length, else while it streams."""

    def __init__(self, app: ASGI, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def _limit(self, path: str) -> int:
        if path.rstrip("/") in UPLOAD_PATHS:
            return self.settings.max_upload_bytes
        return self.settings.max_document_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope["path"])
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _too_large(send, limit, scope["path"])
            return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLargeError(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracked)
        except BodyTooLargeError:
            if not started:
                await _too_large(send, limit, scope["path"])


async def _too_large(send: Send, limit: int, path: str) -> None:
    if path.startswith(f"{PATH}/"):  # a console form: a page to go back from
        await console.too_large(send, limit)
    else:
        await errors.send_error(send, 413, f"the body is over {limit} bytes")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service's app; settings from the environment when not given."""
    settings = settings or Settings()
    service = Service(settings)
    proofs = ProofJobs(settings.data_dir, settings.profiles_dir)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(service.start_converter)
        service.start()
        proofs.start()
        try:
            yield
        finally:
            await asyncio.to_thread(proofs.stop)
            await service.stop()

    app = FastAPI(
        title="hoken-docgen",
        version="1",
        summary="資格情報のお知らせ, 資格確認書, 高齢受給者証 and forms as print-ready PDFs",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.proofs = proofs
    errors.install(app)
    app.include_router(routes_documents.router)
    app.include_router(routes_runs.router)
    app.include_router(routes_service.router)
    console.install(app)
    app.add_middleware(BodyLimit, settings=settings)
    # Added last, so outermost: the key is checked before any body is read or limited.
    app.add_middleware(RequireKey, hashes=service.key_hashes, sessions=service.sessions)
    quiet_uvicorn()
    return app
