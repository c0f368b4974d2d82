"""The HTTP service against the real app and the real LibreOffice."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from generator.api import Settings, create_app
from generator.domain.facility_token import KeyRing, sign
from generator.domain.kinds import DocumentKind
from generator.facts import decide
from generator.profiles import load_profile
from generator.records import load_record
from generator.render.pipeline import Renderer
from tests.conftest import KEYS_FILE, PROFILES, SAMPLE

pytestmark = pytest.mark.libreoffice

KEY = "test-key-0123456789"
OTHER = "other-caller-key-987654321"
AUTH = {"X-API-Key": KEY}
RECORD = json.loads((SAMPLE / "record-elderly.json").read_text(encoding="utf-8"))
BODY = {"record": RECORD, "profile": "kenpo-fy3", "issue_date": "2025-12-01"}


def settings(tmp: Path, **changes: object) -> Settings:
    values: dict[str, object] = {
        "api_keys": f"{KEY},{OTHER}",
        "profiles_dir": PROFILES,
        "data_dir": tmp,
        "facility_keys_file": KEYS_FILE,
        "workers": 2,
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(settings(tmp_path_factory.mktemp("api")))
    with TestClient(app) as test_client:
        yield test_client


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/readyz").status_code == 200


def test_without_a_valid_key_the_answer_is_401(client: TestClient) -> None:
    path = "/v1/documents/qualification-notice"
    assert client.post(path, json=BODY).status_code == 401
    assert client.post(path, json=BODY, headers={"X-API-Key": "wrong"}).status_code == 401
    assert client.get("/v1/runs/" + "0" * 24).status_code == 401
    bearer = {"Authorization": f"Bearer {KEY}"}
    assert client.post(path, json=BODY, headers=bearer).status_code == 200


def test_a_document_is_the_bytes_the_library_renders(client: TestClient, pool, keys) -> None:  # type: ignore[no-untyped-def]
    answer = client.post("/v1/documents/qualification-notice", json=BODY, headers=AUTH)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    profile = load_profile(PROFILES / "kenpo-fy3.toml")
    member = load_record(SAMPLE / "record-elderly.json")
    facts = decide(member, profile, date(2025, 12, 1))
    expected = Renderer(pool, keys=keys).render(DocumentKind.QUALIFICATION_NOTICE, facts, profile)
    assert answer.content == expected


def test_a_bad_record_names_record_and_field_and_never_its_value(client: TestClient) -> None:
    record = dict(RECORD, birth_date="1950-02-30", name="秘密 花子")
    answer = client.post(
        "/v1/documents/eligibility-certificate", json=dict(BODY, record=record), headers=AUTH
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "DataError"
    assert body["field"] == "birth_date"
    assert body["record"] == RECORD["record_id"]
    assert "1950-02-30" not in answer.text
    assert "秘密" not in answer.text


def test_an_unknown_profile_or_kind_or_date_is_422(client: TestClient) -> None:
    unknown = client.post(
        "/v1/documents/qualification-notice", json=dict(BODY, profile="nope"), headers=AUTH
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"] == "ProfileError"
    assert client.post("/v1/documents/bogus", json=BODY, headers=AUTH).status_code == 422
    bad_date = client.post(
        "/v1/documents/qualification-notice",
        json=dict(BODY, issue_date="2025-13-01"),
        headers=AUTH,
    )
    assert bad_date.status_code == 422
    assert bad_date.json()["field"] == "issue_date"
    assert "2025-13-01" not in bad_date.text


def test_a_body_over_the_limit_is_413(client: TestClient) -> None:
    big = dict(BODY, record=dict(RECORD, certificate_reason="x" * 70_000))
    answer = client.post("/v1/documents/qualification-notice", json=big, headers=AUTH)
    assert answer.status_code == 413


def test_a_streamed_body_over_the_limit_is_413_too(tmp_path: Path) -> None:
    # Without Content-Length the limit is counted as the body arrives.
    app = create_app(settings(tmp_path, max_document_bytes=2048, max_upload_bytes=4096))
    with TestClient(app) as small:
        document = small.post(
            "/v1/documents/qualification-notice",
            content=(b"x" * 1000 for _ in range(5)),
            headers={**AUTH, "content-type": "application/json"},
        )
        boundary = "b0undary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="records"; '
            'filename="m.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        upload = small.post(
            "/v1/runs",
            content=iter(
                [head, *(b"x" * 1000 for _ in range(8)), f"\r\n--{boundary}--\r\n".encode()]
            ),
            headers={**AUTH, "content-type": f"multipart/form-data; boundary={boundary}"},
        )
    for answer in (document, upload):
        assert answer.status_code == 413
        assert answer.json()["error"] == "PayloadTooLarge"


def test_facility_tokens_verify(client: TestClient) -> None:
    ring = KeyRing.parse(KEYS_FILE.read_text())
    token = sign(ring, b"\x01" * 10, date(2025, 12, 1), date(2030, 11, 30))
    good = client.post(
        "/v1/facility-tokens/verify?on=2026-01-01", json={"token": token}, headers=AUTH
    )
    assert good.json() == {
        "valid": True,
        "kid": ring.signing[0],
        "issued": "2025-12-01",
        "expires": "2030-11-30",
        "current_on": "2026-01-01",
        "current": True,
        "reason": None,
    }
    forged = client.post(
        "/v1/facility-tokens/verify", json={"token": token[:-2] + "AA"}, headers=AUTH
    )
    assert forged.json()["valid"] is False
    stale = client.post(
        "/v1/facility-tokens/verify?on=2030-12-01", json={"token": token}, headers=AUTH
    ).json()
    assert (stale["valid"], stale["reason"]) == (False, "expired on 2030-11-30")
    # Without ?on, today (read once per request): a token not valid yet is not valid.
    future = sign(ring, b"\x01" * 10, date(2099, 1, 1), date(2099, 12, 31))
    answer = client.post("/v1/facility-tokens/verify", json={"token": future}, headers=AUTH)
    assert (answer.json()["valid"], answer.json()["current"]) == (False, False)
    for odd in ("K2.ＡＢＣ.ＤＥＦ", "TEST1.AAAA.AAAA"):
        answer = client.post("/v1/facility-tokens/verify", json={"token": odd}, headers=AUTH)
        assert answer.status_code == 200
        assert answer.json()["valid"] is False


def test_metrics_count_conversions_and_pages(client: TestClient) -> None:
    client.post("/v1/documents/certificate-application", json=BODY, headers=AUTH)
    text = client.get("/metrics").text
    assert "generator_queue_depth 0.0" in text
    assert "generator_libreoffice_conversions_total" in text
    pages = next(line for line in text.splitlines() if line.startswith("generator_pages_total"))
    assert float(pages.split()[1]) >= 1


def _burst(client: TestClient, count: int) -> list[httpx.Response]:
    """``count`` requests at once, from as many threads (the app runs on one event loop)."""
    path = "/v1/documents/qualification-notice"
    with ThreadPoolExecutor(max_workers=count) as threads:
        return list(threads.map(lambda _: client.post(path, json=BODY, headers=AUTH), range(count)))


def test_requests_that_arrive_together_share_one_layout(tmp_path: Path) -> None:
    app = create_app(settings(tmp_path, coalesce_window_ms=300))
    with TestClient(app) as burst:
        before = app.state.service.pool.stats.conversions
        answers = _burst(burst, 12)
        conversions = app.state.service.pool.stats.conversions - before
    assert [a.status_code for a in answers] == [200] * 12
    assert len({a.content for a in answers}) == 1  # the same request, the same bytes
    assert conversions <= 4


def test_a_full_queue_answers_429(tmp_path: Path) -> None:
    app = create_app(settings(tmp_path, queue_limit=2, coalesce_window_ms=300))
    with TestClient(app) as burst:
        answers = _burst(burst, 8)
    codes = sorted(a.status_code for a in answers)
    assert codes.count(200) >= 2
    assert 429 in codes
    rejected = next(a for a in answers if a.status_code == 429)
    assert rejected.headers["retry-after"] == "1"


def test_without_libreoffice_documents_answer_503(tmp_path: Path) -> None:
    app = create_app(settings(tmp_path, soffice="/nonexistent/soffice"))
    with TestClient(app) as down:
        assert down.get("/readyz").status_code == 503
        answer = down.post("/v1/documents/qualification-notice", json=BODY, headers=AUTH)
        assert answer.status_code == 503
        assert answer.json()["error"] == "ConverterUnavailableError"
        assert down.get("/healthz").status_code == 200


def _wait_done(client: TestClient, run_id: str, headers: dict[str, str]) -> dict[str, object]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        status = client.get(f"/v1/runs/{run_id}", headers=headers).json()
        if status["state"] in ("done", "failed"):
            return status  # type: ignore[no-any-return]
        time.sleep(0.5)
    raise AssertionError("the run did not finish")


def _submit(client: TestClient) -> str:
    """The sample members as an enrolment run; its id."""
    with (SAMPLE / "members.csv").open("rb") as upload:
        accepted = client.post(
            "/v1/runs",
            files={"records": ("members.csv", upload, "text/csv")},
            data={"profile": "kenpo-fy3", "issue_date": "2025-12-01", "kind": "enrolment"},
            headers=AUTH,
        )
    assert accepted.status_code == 202
    return str(accepted.json()["id"])


def test_a_run_from_upload_to_delivery_pdfs(client: TestClient) -> None:
    run_id = _submit(client)
    status = _wait_done(client, run_id, AUTH)
    assert status["state"] == "done"
    assert status["counts"]["records"] == 10  # type: ignore[index]
    manifest = client.get(f"/v1/runs/{run_id}/manifest", headers=AUTH).json()
    assert len(manifest["records"]) == 10
    for entry in manifest["files"]:
        pdf = client.get(f"/v1/runs/{run_id}/{entry['file']}", headers=AUTH)
        assert pdf.headers["content-type"] == "application/pdf"
        assert hashlib.sha256(pdf.content).hexdigest() == entry["sha256"]
    errors = client.get(f"/v1/runs/{run_id}/errors", headers=AUTH)
    assert errors.text.splitlines()[0] == "record_id,field,message"
    # Another caller's key does not see the run; a path outside deliveries/ is not served.
    assert client.get(f"/v1/runs/{run_id}", headers={"X-API-Key": OTHER}).status_code == 404
    escape = client.get(f"/v1/runs/{run_id}/deliveries/..%2F..%2Finput.csv", headers=AUTH)
    assert escape.status_code == 404
    # Everything the service wrote, its database and the run's folder, is owner-only.
    data_dir: Path = client.app.state.service.settings.data_dir  # type: ignore[attr-defined]
    written = [data_dir / "runs.sqlite", *(data_dir / "runs").rglob("*")]
    assert any(path.name == "manifest.json" for path in written)
    modes = {str(p): stat.S_IMODE(p.stat().st_mode) for p in written}
    assert modes == {str(p): 0o700 if p.is_dir() else 0o600 for p in written}


def test_a_run_finished_but_not_recorded_before_a_stop_is_done_after_it(tmp_path: Path) -> None:
    app = create_app(settings(tmp_path))
    with TestClient(app) as first:
        run_id = _submit(first)
        done = _wait_done(first, run_id, AUTH)
    # As if the service had died between writing the manifest and recording the state.
    with sqlite3.connect(tmp_path / "runs.sqlite") as db:
        db.execute("UPDATE runs SET state = 'running', counts = NULL WHERE id = ?", (run_id,))
    with TestClient(create_app(settings(tmp_path))) as second:
        again = _wait_done(second, run_id, AUTH)
    assert again["state"] == "done"
    assert again["counts"] == done["counts"]
