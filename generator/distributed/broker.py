"""The broker's URL (ブローカー): its password and TLS settings, never shown; a refusal said
at once.

``redis://:PASSWORD@host:6379/0`` logs in with a password; ``rediss://…?ssl_cert_reqs=required
&ssl_ca_certs=/path/ca.pem`` adds TLS (kombu and Celery read the ``ssl_*`` options from the
URL). The URL is shown only through ``masked``. A refused password or certificate is an
error at once: Celery would retry it a hundred times, and retrying cannot help.
"""

from __future__ import annotations

import ssl
import time
from urllib.parse import parse_qs, unquote, urlsplit

from celery import Celery
from kombu.utils.url import maybe_sanitize_url
from redis.exceptions import AuthenticationError

from generator.errors import DistributedError

SCHEMES = ("redis", "rediss")
#: The values of ``ssl_cert_reqs`` that kombu (the broker) and Celery (results) both read.
CERT_REQS = ("required", "optional", "none", "CERT_REQUIRED", "CERT_OPTIONAL", "CERT_NONE")
MASK = "***"
#: Seconds the check waits for the broker to answer.
CHECK_TIMEOUT = 10.0
#: A connection's transport options whenever the broker is looked at.
_TIMEOUTS = {"socket_timeout": CHECK_TIMEOUT, "socket_connect_timeout": CHECK_TIMEOUT}
#: What Redis answers a missing or wrong password with, whatever exception carries it.
_REFUSALS = ("NOAUTH", "WRONGPASS", "Authentication required", "invalid username-password")


def masked(url: str) -> str:
    """``url`` with its password as ``***``: the only form of it to show or log."""
    try:
        return str(maybe_sanitize_url(url, mask=MASK))
    except ValueError:  # unparseable (a bad port): nothing of it is shown
        return "(an unreadable URL)"


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def checked(url: str) -> str:
    """``url`` if Celery can use it as broker and result store, else a DistributedError."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a bad port raises only when read)
    except ValueError:
        raise DistributedError(f"the broker URL {masked(url)} cannot be read") from None
    if parts.scheme not in SCHEMES:
        raise DistributedError(
            f"the broker URL {masked(url)} must start with redis:// or rediss:// (TLS)"
        )
    # kombu takes an unknown ssl_cert_reqs for "no check" where Celery refuses it: both refuse.
    reqs = parse_qs(parts.query).get("ssl_cert_reqs", [])
    if (parts.scheme == "rediss" or reqs) and (len(reqs) != 1 or reqs[0] not in CERT_REQS):
        raise DistributedError(
            f"the broker URL {masked(url)} needs ssl_cert_reqs=required (or optional, none) "
            "with rediss://"
        )
    return url


def refused(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is the broker refusing us: password or TLS."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, AuthenticationError | ssl.SSLError):
            return True
        if any(r in str(seen) for r in _REFUSALS):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def failure(url: str, error: BaseException) -> DistributedError:
    """A broker's failure as the generator's error: the URL masked, the password nowhere."""
    reason = str(error).strip() or type(error).__name__
    password = _password(url)
    for form in {password, unquote(password)} if password else ():
        reason = reason.replace(form, MASK)  # as written in the URL, and as sent
    verb = "refused the connection" if refused(error) else "cannot be reached"
    return DistributedError(f"the broker {masked(url)} {verb}: {reason}")


def check(app: Celery, *, wait: bool = False) -> None:
    """Connect once to the broker (the result store is the same Redis, on the same URL). A
    refusal is a DistributedError; so is a broker that cannot be reached, unless ``wait`` (a
    worker started before its broker waits for it, as Celery does)."""
    url = str(app.conf.broker_url)
    try:
        # A TLS client on a plain port (or the reverse) waits forever without a timeout.
        options = _TIMEOUTS
        with app.connection_for_write(transport_options=options) as connection:
            connection.ensure_connection(max_retries=1)
        app.backend  # noqa: B018 (made on first use: it reads the URL's TLS options)
    except Exception as error:  # kombu, redis and ssl each have their own
        if wait and not refused(error):
            return
        raise failure(url, error) from None


def instance(app: Celery, *, patience: float) -> str:
    """Which redis-server answers (its INFO ``run_id``, new at every start): a restart
    empties a broker that saves nothing, and with it the batches still queued. A broker
    away longer than ``patience`` seconds is a DistributedError; the run resumes later."""
    url = str(app.conf.broker_url)
    options = _TIMEOUTS
    deadline = time.monotonic() + patience
    while True:
        try:
            with app.connection_for_write(transport_options=options) as connection:
                client = getattr(connection.default_channel, "client", None)
                if client is None:  # an in-process transport (memory://): no server to restart
                    return str(connection.transport_cls)
                return str(client.info("server")["run_id"])
        except Exception as error:  # kombu, redis and ssl each have their own
            if refused(error) or time.monotonic() > deadline:
                raise failure(url, error) from None
            time.sleep(1.0)
