"""Signing in and out of the console: a key for an HttpOnly, SameSite=Strict session cookie
that the API never accepts, forms that need their CSRF token, a session that ends at
sign-out, and another key's runs that do not exist."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from generator.api.sessions import LIFETIME, Sessions
from tests.unit.api.console.conftest import KEY_A, KEY_B, browser, finished, hidden, owner, sign_in


def test_every_page_but_sign_in_and_assets_sends_a_stranger_to_sign_in(app: FastAPI) -> None:
    client = browser(app)
    for path in (
        "/console",
        "/console/runs",
        "/console/runs/new",
        "/console/proofs",
        "/console/runs/0123456789abcdef01234567",
        "/console/anything",
    ):
        answer = client.get(path)
        assert (answer.status_code, answer.headers["location"]) == (303, "/console/signin"), path
    posted = client.post("/console/runs", files={"records": ("m.csv", b"x" * 5000)})
    assert posted.status_code == 303  # before the body is read
    assert client.get("/console/signin").status_code == 200
    assert client.get("/console/static/console.css").status_code == 200
    assert client.get("/console/static/fonts/BIZUDGothic-Regular.ttf").status_code == 200
    assert client.get("/console/static/fonts/build.py").status_code == 404


def test_a_key_opens_a_session_cookie_the_api_does_not_take(app: FastAPI) -> None:
    client = browser(app)
    form = client.get("/console/signin")
    answer = client.post(
        "/console/signin",
        data={"api_key": KEY_A, "signin_token": hidden(form.text, "signin_token")},
    )
    assert (answer.status_code, answer.headers["location"]) == (303, "/console/runs")
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie")
    assert "hdg_session=" in cookie
    for attribute in ("HttpOnly", "Path=/console", "SameSite=strict"):
        assert attribute.lower() in cookie.lower()
    assert KEY_A not in cookie
    assert client.get("/console/runs").status_code == 200
    session = client.cookies["hdg_session"]
    # The API takes keys only, the cookie not even when sent to it by hand.
    assert client.get("/v1/runs/x", headers={"cookie": f"hdg_session={session}"}).status_code == 401


@pytest.mark.parametrize(
    ("key", "token_ok", "status", "words"),
    [
        ("wrong-key", True, 401, "APIキーが正しくありません"),
        ("", True, 401, "APIキーが正しくありません"),
        (KEY_A, False, 403, "有効期限が切れました"),
    ],
)
def test_a_refused_sign_in_says_why_beside_the_field(
    app: FastAPI, key: str, token_ok: bool, status: int, words: str
) -> None:
    client = browser(app)
    token = hidden(client.get("/console/signin").text, "signin_token")
    answer = client.post(
        "/console/signin", data={"api_key": key, "signin_token": token if token_ok else "forged"}
    )
    assert answer.status_code == status
    assert 'id="api_key-problem"' in answer.text
    assert words in answer.text
    assert "hdg_session" not in client.cookies


def test_forms_need_the_sessions_token_and_this_sites_origin(app: FastAPI) -> None:
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    assert client.post("/console/signout", data={}).status_code == 403
    assert client.post("/console/signout", data={"csrf": "forged"}).status_code == 403
    other_site = client.post(
        "/console/signout", data={"csrf": csrf}, headers={"origin": "https://evil.example"}
    )
    assert other_site.status_code == 403
    assert client.get("/console/runs").status_code == 200  # still signed in
    form = {"profile": "kenpo-fy3", "kind": "enrolment", "issue_date": "2025-12-01"}
    upload = {"records": ("m.csv", b"record_id\n")}
    assert client.post("/console/runs", data=form, files=upload).status_code == 403
    forged = client.post("/console/runs", data={**form, "csrf": "forged"}, files=upload)
    assert forged.status_code == 403
    assert "読み込み直してください" in forged.text  # a page to act on, not JSON
    assert list((app.state.service.runs.root).iterdir()) == []


def test_signing_out_ends_the_session_whatever_the_browser_keeps(app: FastAPI) -> None:
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    kept = client.cookies["hdg_session"]
    answer = client.post("/console/signout", data={"csrf": csrf})
    assert (answer.status_code, answer.headers["location"]) == (303, "/console/signin")
    replay = browser(app)
    replay.cookies.set("hdg_session", kept, path="/console")
    assert replay.get("/console/runs").status_code == 303


def test_another_keys_runs_do_not_exist(app: FastAPI) -> None:
    first = browser(app)
    sign_in(first, KEY_A)
    run_id = finished(app, owner(app, KEY_A), {"000001_1000001_E00001.pdf": ("1000001", 2)})
    assert first.get(f"/console/runs/{run_id}").status_code == 200
    second = browser(app)
    sign_in(second, KEY_B)
    base = f"/console/runs/{run_id}"
    for path in (
        base,
        f"{base}/events",
        f"{base}/manifest.json",
        f"{base}/errors.csv",
        f"{base}/deliveries.zip",
        f"{base}/deliveries/000001_1000001_E00001.pdf",
        f"{base}/deliveries/000001_1000001_E00001.pdf/pages/1.png",
        f"{base}/deliveries/000001_1000001_E00001.pdf/view",
    ):
        assert second.get(path).status_code == 404, path
    assert run_id not in second.get("/console/runs").text


def test_a_sign_in_form_without_its_cookie_or_from_another_site_is_refused(app: FastAPI) -> None:
    client = browser(app)
    token = hidden(client.get("/console/signin").text, "signin_token")
    other_site = client.post(
        "/console/signin",
        data={"api_key": KEY_A, "signin_token": token},
        headers={"origin": "https://evil.example"},
    )
    assert other_site.status_code == 403
    client.cookies.clear()
    without_cookie = client.post("/console/signin", data={"api_key": KEY_A, "signin_token": token})
    assert without_cookie.status_code == 403
    assert "hdg_session" not in client.cookies


def test_signing_in_again_ends_the_session_before(app: FastAPI) -> None:
    client = browser(app)
    sign_in(client, KEY_A)
    first = client.cookies["hdg_session"]
    fresh = browser(app)  # a second tab's sign-in form, sent with the first session's cookie
    token = hidden(fresh.get("/console/signin").text, "signin_token")
    client.cookies.set("hdg_signin", fresh.cookies["hdg_signin"], path="/console")
    answer = client.post("/console/signin", data={"api_key": KEY_B, "signin_token": token})
    assert answer.status_code == 303
    replay = browser(app)
    replay.cookies.set("hdg_session", first, path="/console")
    assert replay.get("/console/runs").status_code == 303


def test_a_session_ends_after_its_lifetime() -> None:
    now = [1000.0]
    sessions = Sessions(clock=lambda: now[0])
    token, session = sessions.open("someone")
    assert sessions.find(token) == session
    now[0] += LIFETIME - 1
    assert sessions.find(token) == session
    now[0] += 2
    assert sessions.find(token) is None
    assert sessions.find("") is None
    assert sessions.find("made-up") is None


def test_a_cookie_is_secure_where_the_service_is_reached_over_https(app: FastAPI) -> None:
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    answer = client.get("/console/signin")
    cookie = answer.headers["set-cookie"]
    assert "secure" in cookie.lower()


def test_an_unknown_console_page_is_a_page_and_the_apis_errors_stay_json(app: FastAPI) -> None:
    client = browser(app)
    sign_in(client, KEY_A)
    missing = client.get("/console/runs/0123456789abcdef01234567")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "一括作成の一覧へ" in missing.text
    api = client.get("/v1/runs/0123456789abcdef01234567", headers={"x-api-key": KEY_A})
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/json"
