"""Logs without query strings, tracebacks or request values."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from uvicorn.logging import AccessFormatter, DefaultFormatter

from tests.unit.api.conftest import AUTH, KEY

SECRET = "秘密花子-123456789012"


@pytest.fixture
def captured(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """What the logger named by the test's parameter writes, through uvicorn's formatter."""
    name: str = request.param
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        AccessFormatter("%(request_line)s %(status_code)s")
        if name.endswith("access")
        else DefaultFormatter("%(message)s")
    )
    logger = logging.getLogger(name)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("captured", ["uvicorn.access"], indirect=True)
def test_the_access_log_keeps_the_path_and_drops_the_query(captured: io.StringIO) -> None:
    # As uvicorn logs a request line (h11_impl and httptools_impl alike).
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:5000",
        "GET",
        f"/v1/runs/x?api_key={KEY}&n={SECRET}",
        "1.1",
        401,
    )
    assert captured.getvalue() == "GET /v1/runs/x HTTP/1.1 401 Unauthorized\n"


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("captured", ["uvicorn.access"], indirect=True)
@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/v1/runs/r/deliveries/000003_1500001_home-2.pdf", "/v1/runs/r/deliveries/000003_…"),
        (
            "/console/runs/r/deliveries/000003_1500001_home-2.pdf/pages/1.png?thumb=true",
            "/console/runs/r/deliveries/000003_…/pages/1.png",
        ),
    ],
)
def test_a_deliverys_postcode_stays_out_of_the_access_log(
    captured: io.StringIO, path: str, logged: str
) -> None:
    """A delivery at home is named by the member's postcode: the log keeps its number."""
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", path, "1.1", 200
    )
    assert captured.getvalue() == f"GET {logged} HTTP/1.1 200 OK\n"
    assert "1500001" not in captured.getvalue()


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("captured", ["uvicorn.error"], indirect=True)
def test_an_exception_that_leaves_the_app_is_logged_by_its_type_only(captured: io.StringIO) -> None:
    try:
        raise ValueError(f"record {SECRET} is odd")
    except ValueError as error:
        # As uvicorn logs an exception the app raised (Starlette re-raises after its 500).
        logging.getLogger("uvicorn.error").error("Exception in ASGI application\n", exc_info=error)
    text = captured.getvalue()
    assert "ValueError" in text
    assert SECRET not in text
    assert "Traceback" not in text


def test_an_unexpected_error_is_logged_by_type_and_route_not_path(
    app: FastAPI, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    def fails(value: str) -> None:
        raise ValueError(value)

    app.add_api_route("/v1/fails/{value}", fails)
    with caplog.at_level(logging.INFO):
        answer = client.get(f"/v1/fails/{SECRET}", headers=AUTH)
    assert answer.status_code == 500
    assert SECRET not in answer.text
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("generator"))
    assert logged == "unexpected ValueError on GET /v1/fails/{value}"
