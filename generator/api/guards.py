"""What keeps secrets and personal data out of the service's reach and its logs (保護).

**Keys before bodies.** FastAPI reads, parses and (for uploads) spools a request's body to
disk before it runs the route's dependencies, so a key checked there comes too late: a
malformed body got 422 and an unauthenticated 50 MB upload was written to a temporary file
before its 401. ``RequireKey`` is a pure ASGI middleware in front of the app: a request
without an accepted key is answered 401 before ``receive`` is called once. The caller's
name it found is left in the scope for the routes (``service.authorised``). The operator's
console (``/console``) is the one place a session cookie stands for the key: there a request
without a live session is sent to the sign-in page, and its body is never read either.

**Logs without values.** uvicorn's access log prints each request line with its query
string, where a caller may put an API key (``?api_key=``) or a member's data; its error log
prints the traceback of an exception that leaves the app, and a traceback's messages can
carry a request's values. Two filters, put on the loggers when the app is built, keep the
path and the exception's type name only. They sit on the loggers, not on handlers: a logger
keeps its filters through uvicorn's logging set-up (``dictConfig`` replaces handlers only).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from generator.api.errors import send_error
from generator.api.sessions import COOKIE, PATH, Sessions, cookie_value
from generator.api.settings import caller

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGI = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The scope key holding the caller's name once the key is accepted.
CALLER = "generator.caller"
#: The scope key holding the console's session (``sessions.Session``) once accepted.
SESSION = "generator.session"

#: What answers without a key: probes, metrics and the API's own description.
OPEN_PATHS = frozenset(
    {"/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
)
#: The console's pages that answer without a session: signing in, and its own assets.
CONSOLE_SIGNIN, CONSOLE_STATIC = f"{PATH}/signin", f"{PATH}/static/"


def presented_key(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The key a request presents: ``X-API-Key``, else an ``Authorization: Bearer`` token
    (as FastAPI's APIKeyHeader and HTTPBearer read them, the first of each header)."""
    found: dict[bytes, bytes] = {}
    for name, value in headers:
        found.setdefault(name.lower(), value)
    key = found.get(b"x-api-key", b"").decode("latin-1")
    if key:
        return key
    scheme, _, token = found.get(b"authorization", b"").decode("latin-1").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


class RequireKey:
    """401 for a request without an accepted key, except on ``OPEN_PATHS``; unknown paths
    are closed too, so that a route added later is never open by mistake."""

    def __init__(self, app: ASGI, hashes: dict[str, str], sessions: Sessions) -> None:
        self.app = app
        self.hashes = hashes
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path == PATH or path.startswith(f"{PATH}/")):
            await self._console(scope, receive, send)
        elif scope["type"] == "http" and path not in OPEN_PATHS:
            key = presented_key(scope["headers"])
            name = caller(key, self.hashes) if key else None
            if name is None:
                # The body is never read: close the connection rather than drain it.
                await send_error(
                    send, 401, "a valid API key is needed", [(b"www-authenticate", b"Bearer")]
                )
                return
            scope[CALLER] = name
            await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _console(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A console page: with a live session, or one of the open ones; else to sign-in."""
        session = self.sessions.find(cookie_value(scope["headers"], COOKIE))
        if session is not None:
            scope[CALLER], scope[SESSION] = session.caller, session
        elif scope["path"] != CONSOLE_SIGNIN and not scope["path"].startswith(CONSOLE_STATIC):
            await send(
                {
                    "type": "http.response.start",
                    "status": 303,
                    "headers": [
                        (b"location", f"{PATH}/signin".encode()),
                        (b"content-length", b"0"),
                        (b"connection", b"close"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


#: Loggers whose records may carry a traceback: uvicorn's and the service's own.
_ERROR_LOGGERS = ("uvicorn.error", "uvicorn.asgi", "generator.api")


#: A delivery's file name past its number: it holds the postcode, a member's own for a
#: delivery at home (``000003_1500001_home-….pdf``).
_DELIVERY_NAME = re.compile(r"(/deliveries/[0-9]{6})_[^/?]*")


class PathOnly(logging.Filter):
    """An access record's arguments cut at ``?`` (the path stays, the query goes), and a
    delivery's file name cut to its number."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Every text argument, not uvicorn's third: the format may change, a leak must not.
        if isinstance(record.args, tuple):
            record.args = tuple(
                _DELIVERY_NAME.sub(r"\1_…", a.partition("?")[0]) if isinstance(a, str) else a
                for a in record.args
            )
        return True


class TypeOnly(logging.Filter):
    """A record's traceback replaced by its exception's type name."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            name = type(record.exc_info[1]).__name__
            record.msg = f"{record.getMessage().rstrip()} ({name}; traceback not logged)"
            record.args = None
            record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


_PATH_ONLY = PathOnly()
_TYPE_ONLY = TypeOnly()


def quiet_uvicorn() -> None:
    """Put the filters on uvicorn's loggers and the service's (once: ``addFilter`` keeps
    one of each)."""
    logging.getLogger("uvicorn.access").addFilter(_PATH_ONLY)
    for name in _ERROR_LOGGERS:
        logging.getLogger(name).addFilter(_TYPE_ONLY)
