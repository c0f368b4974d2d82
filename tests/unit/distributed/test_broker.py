"""distributed/broker.py: the broker's password never shown, its TLS options read from the URL,
a URL Celery would misread refused, an unreachable broker said at once."""

from __future__ import annotations

import socket
import ssl

import pytest
import redis

from generator.distributed.broker import check, checked, failure, masked
from generator.distributed.tasks import make_app
from generator.errors import DistributedError


def test_the_password_is_masked_and_the_rest_kept() -> None:
    assert masked("redis://:pa55word@broker.example:6379/0") == "redis://:***@broker.example:6379/0"
    assert masked("rediss://user:pa55word@h:6380/1?ssl_cert_reqs=required").startswith(
        "rediss://user:***@h:6380/1"
    )
    assert masked("redis://h:6379/0") == "redis://h:6379/0"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://:pa55word@h:6379/0", "must start with redis://"),
        ("rediss://:pa55word@h:6380/0", "needs ssl_cert_reqs"),
        ("rediss://:pa55word@h:6380/0?ssl_cert_reqs=bogus", "needs ssl_cert_reqs"),
        ("redis://:pa55word@h:port/0", "cannot be read"),
    ],
)
def test_a_url_celery_would_misread_is_refused_without_its_password(url: str, says: str) -> None:
    with pytest.raises(DistributedError, match=says) as refused:
        checked(url)
    assert "pa55word" not in str(refused.value)


def test_tls_options_in_the_url_reach_broker_and_result_store() -> None:
    url = "rediss://:pa55word@h:6380/0?ssl_cert_reqs=required&ssl_ca_certs=/etc/ca.pem"
    app = make_app(url, 8)
    with app.connection_for_write() as connection:
        assert connection.ssl == {"ssl_cert_reqs": ssl.CERT_REQUIRED, "ssl_ca_certs": "/etc/ca.pem"}
        assert connection.password == "pa55word"
    params = app.backend.connparams
    assert params["connection_class"] is redis.SSLConnection
    assert params["ssl_cert_reqs"] == ssl.CERT_REQUIRED
    assert params["ssl_ca_certs"] == "/etc/ca.pem"
    assert params["password"] == "pa55word"


def test_a_failure_never_carries_the_password() -> None:
    error = failure("redis://:pa55word@h:6379/0", ConnectionError("AUTH pa55word failed"))
    assert "pa55word" not in str(error)
    assert str(error).startswith("the broker redis://:***@h:6379/0 cannot be reached: ")
    escaped = failure("redis://:p%40ss@h:6379/0", ConnectionError("AUTH p@ss failed"))
    assert "p@ss" not in str(escaped)
    assert "p%40ss" not in str(escaped)


def test_a_refusal_is_told_apart_from_an_unreachable_broker() -> None:
    refusal = redis.exceptions.AuthenticationError("invalid username-password pair")
    assert "refused the connection" in str(failure("redis://:x@h:1/0", refusal))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again: nothing listens there


def test_an_unreachable_broker_is_an_error_for_the_coordinator_not_for_a_worker() -> None:
    app = make_app(f"redis://:pa55word@127.0.0.1:{_closed_port()}/0", 8)
    with pytest.raises(DistributedError, match="cannot be reached") as unreachable:
        check(app)
    assert "pa55word" not in str(unreachable.value)
    check(app, wait=True)  # a worker waits for its broker, as Celery does
