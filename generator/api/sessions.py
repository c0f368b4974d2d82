"""The console's sessions (操作画面のセッション): an API key exchanged for a cookie.

A session is a random token in an HttpOnly, SameSite=Strict cookie scoped to ``/console``:
the browser never sends it to the API (``/v1`` takes keys only) nor from another site's
page. The service keeps only the token's SHA-256, with the caller's name and the session's
CSRF token, in memory: signing out (or a restart) ends it at once, whatever the browser
keeps. Forms carry the CSRF token as a hidden field, checked against the session's.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

#: The session cookie, and the one a sign-in form is checked against before any session.
COOKIE = "hdg_session"
SIGNIN_COOKIE = "hdg_signin"
PATH = "/console"
#: A session ends this long after sign-in, used or not (a shift, with margin).
LIFETIME = 12 * 3600.0


@dataclass(frozen=True, slots=True)
class Session:
    """Who signed in, the CSRF token their forms carry, and when the session ends."""

    caller: str
    csrf: str
    ends: float


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    """The live sessions; safe to share between threads. ``clock`` is monotonic seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._live: dict[str, Session] = {}
        self._lock = threading.Lock()

    def open(self, caller: str) -> tuple[str, Session]:
        """A new session for ``caller``: the cookie's token and the session."""
        token = secrets.token_urlsafe(32)
        session = Session(caller, secrets.token_urlsafe(32), self._clock() + LIFETIME)
        with self._lock:
            now = self._clock()
            self._live = {k: s for k, s in self._live.items() if s.ends > now}
            self._live[_digest(token)] = session
        return token, session

    def find(self, token: str | None) -> Session | None:
        """The live session a cookie's token opens, if any."""
        if not token:
            return None
        with self._lock:
            session = self._live.get(_digest(token))
        return session if session is not None and session.ends > self._clock() else None

    def close(self, token: str | None) -> None:
        if token:
            with self._lock:
                self._live.pop(_digest(token), None)


def same(presented: str | None, expected: str) -> bool:
    """Whether a form's token is the expected one, compared in constant time."""
    return presented is not None and hmac.compare_digest(presented.encode(), expected.encode())


def cookie_value(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    """A cookie's value from raw ASGI headers (the middleware runs before any Request)."""
    for header, value in headers:
        if header.lower() != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            key, _, found = part.strip().partition("=")
            if key == name:
                return found
    return None
