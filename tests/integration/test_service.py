"""The service as another system meets it: a real uvicorn process on a port."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx2 as httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.conftest import SAMPLE, base_record
from tests.integration.processes import (
    API_KEY,
    free_port,
    kill,
    service_env,
    serving,
    start,
    stop,
    wait_ready,
)

pytestmark = pytest.mark.libreoffice
AUTH = {"X-API-Key": API_KEY}


class Running(NamedTuple):
    base: str
    log: Path
    pid: int


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("service")
    log = folder / "service.log"
    with serving(service_env(folder / "var"), log) as (base, process):
        yield Running(base, log, process.pid)


def _submitted(value: object) -> list[str]:
    """Every text a request carried, at any depth."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _submitted(item)]
    if isinstance(value, list):
        return [text for item in value for text in _submitted(item)]
    return []


def test_no_request_the_spec_allows_makes_a_500(service: Running) -> None:
    # schemathesis drives each operation of the OpenAPI spec with generated requests: the
    # record's own schema makes them real records, long names and 外字 among them.
    spec = httpx.get(f"{service[0]}/openapi.json", timeout=10).text
    api = schemathesis.openapi.from_url(f"{service[0]}/openapi.json")

    def no_value_echoed(_ctx: object, response: Any, case: schemathesis.Case) -> None:
        """A JSON answer repeats none of a record's values (words of the spec aside: an
        enum's member may be named in the message that refuses it)."""
        if "json" not in response.headers.get("content-type", [""])[0]:
            return
        record = case.body.get("record") if isinstance(case.body, dict) else None
        for text in _submitted(record):
            if len(text.strip()) >= 6 and text not in spec:
                assert text not in response.text, "a submitted value came back"

    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12, deadline=None, database=None,
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(
                headers=AUTH, checks=[not_a_server_error, no_value_echoed], timeout=60
            )

        check()


def test_logs_hold_no_personal_data(service: Running) -> None:
    base, log, _ = service
    record = base_record(name="秘密 花子", insured_symbol="77", insured_number="918273")
    for kind, changes in (("qualification-notice", {}), ("eligibility-certificate", {"sex": "?"})):
        body = {
            "record": dict(record, **changes),
            "profile": "kenpo-fy3",
            "issue_date": "2025-12-01",
        }
        httpx.post(f"{base}/v1/documents/{kind}", json=body, headers=AUTH, timeout=60)
    # A key or a member's data in a query string stays out of the access log.
    query = {"api_key": API_KEY, "name": "秘密 花子", "insured_number": "918273"}
    for headers in (AUTH, {}):
        httpx.get(f"{base}/v1/runs/{'0' * 24}", params=query, headers=headers, timeout=10)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "POST /v1/documents/qualification-notice" in text
    assert f"GET /v1/runs/{'0' * 24} HTTP/1.1" in text
    for value in ("秘密", "918273", "123456789012", API_KEY):
        assert value not in text


def _written(pid: int) -> int:
    """Bytes the process has written (files, pipes, sockets), from /proc/PID/io."""
    fields = dict(line.split(": ") for line in Path(f"/proc/{pid}/io").read_text().splitlines())
    return int(fields["wchar"])


def test_an_unauthenticated_upload_is_refused_before_it_is_read(service: Running) -> None:
    boundary = "b0undary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="records"; '
            'filename="m.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        + b"x" * (50 * 1024 * 1024)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    before = _written(service.pid)
    try:
        answer = httpx.post(
            f"{service.base}/v1/runs",
            content=body,
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
            timeout=60,
        )
    except httpx.TransportError:
        pass  # the 401 came, and the connection closed, while the body was still going out
    else:
        assert answer.status_code == 401
    # Read and parsed, the upload would have been spooled to a temporary file: 50 MB.
    assert _written(service.pid) - before < 1024 * 1024


def _wait(base: str, run_id: str, until: str, timeout: float = 300) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status: dict[str, object] = httpx.get(
                f"{base}/v1/runs/{run_id}", headers=AUTH, timeout=10
            ).json()
        except httpx.HTTPError:
            status = {}
        if until == "progress" and int(status.get("progress", {}).get("pages_done", 0)) > 0:  # type: ignore[attr-defined]
            return status
        if status.get("state") in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError(f"the run did not reach {until}")


def _files(base: str, run_id: str) -> dict[str, str]:
    manifest = httpx.get(f"{base}/v1/runs/{run_id}/manifest", headers=AUTH, timeout=30).json()
    found = {}
    for entry in manifest["files"]:
        pdf = httpx.get(f"{base}/v1/runs/{run_id}/{entry['file']}", headers=AUTH, timeout=30)
        assert hashlib.sha256(pdf.content).hexdigest() == entry["sha256"]
        found[entry["file"]] = entry["sha256"]
    run = manifest["run"]
    assert len(manifest["records"]) + run["errors"] == run["records"]
    return found


def _submit(base: str) -> str:
    """The sample bulk file as an enrolment run; its id."""
    with (SAMPLE / "bulk.csv").open("rb") as upload:
        accepted = httpx.post(
            f"{base}/v1/runs",
            files={"records": ("bulk.csv", upload, "text/csv")},
            data={"profile": "kenpo-fy3", "issue_date": "2025-12-01", "kind": "enrolment"},
            headers=AUTH,
            timeout=60,
        )
    assert accepted.status_code == 202
    return str(accepted.json()["id"])


def test_a_run_interrupted_by_a_kill_resumes_when_the_service_starts_again(
    tmp_path: Path,
) -> None:
    env = service_env(tmp_path / "var", GENERATOR_WORKERS="1")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "service.log"
    first = start(["serve", "--port", str(port)], env, log)
    try:
        wait_ready(base, first)
        run_id = _submit(base)
        status = _wait(base, run_id, "progress")
        assert status["state"] == "running"
    finally:
        kill(first)
    second = start(["serve", "--port", str(port)], env, log)
    try:
        wait_ready(base, second)
        assert _wait(base, run_id, "done")["state"] == "done"
        resumed = _files(base, run_id)
        # The same upload once more, unbroken, in the same service: the same bytes.
        again = _submit(base)
        assert _wait(base, again, "done")["state"] == "done"
        assert _files(base, again) == resumed
    finally:
        stop(second)
    assert resumed
