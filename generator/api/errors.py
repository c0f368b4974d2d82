"""The generator's error tree as HTTP answers, in one place.

DataError and ProfileError → 422 naming record and field; QueueFullError → 429; the
converter down or timing out → 503; anything else → 500 with only the error's name logged.
Request validation errors drop pydantic's ``input``: it would echo personal data.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from generator.errors import (
    ConversionTimeoutError,
    ConverterUnavailableError,
    DataError,
    GeneratorError,
    ProfileError,
    QueueFullError,
)

log = logging.getLogger("generator.api")


#: Error names of the answers that are not the generator's errors.
HTTP_NAMES = {
    401: "Unauthorized",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "PayloadTooLarge",
}


def body(error: str, message: str, **extra: str | None) -> dict[str, str | None]:
    return {"error": error, "message": message, **extra}


async def send_error(
    send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    status: int,
    message: str,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    """An error answer sent from ASGI middleware, before the app has read the body; the
    connection is closed, so that the unread body is not drained."""
    data = json.dumps(body(HTTP_NAMES[status], message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                (b"connection", b"close"),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


def status_of(error: GeneratorError) -> int:
    if isinstance(error, DataError | ProfileError):
        return 422
    if isinstance(error, QueueFullError):
        return 429
    if isinstance(error, ConverterUnavailableError | ConversionTimeoutError):
        return 503
    return 500


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(GeneratorError)
    async def generator_error(_: Request, error: GeneratorError) -> JSONResponse:
        status = status_of(error)
        extra: dict[str, str | None] = {}
        if isinstance(error, DataError):
            extra = {"record": error.record, "field": error.field}
        elif isinstance(error, ProfileError):
            extra = {"field": error.key}
        headers = {"Retry-After": "1"} if status in (429, 503) else None
        if status >= 500:
            log.warning("%s on a request", type(error).__name__)
        return JSONResponse(
            body(type(error).__name__, str(error), **extra), status_code=status, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = [str(part) for part in first.get("loc", ())]
        record = None
        if len(where) > 2 and where[:2] == ["body", "record"]:
            record = "record"
        field = ".".join(p for p in where if p != "body") or None
        message = str(first.get("msg", "invalid request"))
        return JSONResponse(
            body("ValidationError", message, record=record, field=field), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            body(HTTP_NAMES.get(error.status_code, "HTTPError"), str(error.detail)),
            status_code=error.status_code,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        # The name and the route only: a message, a traceback or even the path (a run's
        # file name) could carry a record's values.
        route = getattr(request.scope.get("route"), "path", "(no route)")
        log.error("unexpected %s on %s %s", type(error).__name__, request.method, route)
        return JSONResponse(body("InternalError", "an unexpected error"), status_code=500)
