"""The API key is checked before the body is read: 401 whatever the body, nothing spooled."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.unit.api.conftest import AUTH, KEY

DOCUMENT = "/v1/documents/qualification-notice"
FIFTY_MB = 50 * 1024 * 1024


def _call(app: FastAPI, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """The status of a POST whose 50 MB body is offered chunk by chunk, and how many
    chunks the app asked for."""
    asked = 0
    answer: dict[str, Any] = {}

    async def receive() -> dict[str, Any]:
        nonlocal asked
        asked += 1
        more = asked < FIFTY_MB // 65536
        return {"type": "http.request", "body": b"x" * 65536, "more_body": more}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        "headers": [(b"content-length", str(FIFTY_MB).encode()), *headers],
    }  # fmt: skip
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return answer["status"], asked


def test_an_unauthenticated_upload_is_refused_before_a_byte_is_read(app: FastAPI) -> None:
    multipart = (b"content-type", b"multipart/form-data; boundary=b0undary")
    assert _call(app, "/v1/runs", [multipart]) == (401, 0)
    assert _call(app, "/v1/runs", [multipart, (b"x-api-key", b"wrong")]) == (401, 0)
    assert _call(app, DOCUMENT, [(b"content-type", b"application/json")]) == (401, 0)


def test_a_malformed_body_without_a_key_is_401_not_422(client: TestClient) -> None:
    answer = client.post(
        DOCUMENT, content=b"{not json", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "Unauthorized"
    assert answer.headers["www-authenticate"] == "Bearer"
    form = client.post("/v1/runs", data={"profile": "<bad>"})
    assert form.status_code == 401


def test_an_oversized_body_without_a_key_is_401(client: TestClient) -> None:
    answer = client.post(
        DOCUMENT, content=b"x" * (80 * 1024), headers={"content-type": "application/json"}
    )
    assert answer.status_code == 401


def test_with_a_key_the_body_is_checked_as_before(client: TestClient) -> None:
    answer = client.post(
        DOCUMENT, content=b"{not json", headers={**AUTH, "content-type": "application/json"}
    )
    assert answer.status_code == 422
    bearer = {"Authorization": f"Bearer {KEY}"}
    assert client.get("/v1/runs/" + "0" * 24, headers=bearer).status_code == 404
    assert (
        client.get("/v1/runs/" + "0" * 24, headers={"Authorization": f"Basic {KEY}"}).status_code
        == 401
    )


def test_probes_and_the_description_answer_without_a_key(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/v1/nowhere").status_code == 401  # closed unless named open
