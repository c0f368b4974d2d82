"""The console as a browser meets it, without the lifespan: no LibreOffice, no run is
executed. Finished runs are laid out on disk as the bulk run leaves them."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from generator.api import Settings, create_app
from generator.api.settings import caller
from generator.batch import RunKind
from tests.cases import blank_pdf
from tests.conftest import PROFILES

KEY_A, KEY_B = "console-key-a-0123456789", "console-key-b-0123456789"


def make_app(data_dir: Path, **settings: object) -> FastAPI:
    return create_app(
        Settings(
            api_keys=f"{KEY_A},{KEY_B}",
            profiles_dir=PROFILES,
            data_dir=data_dir,  # type: ignore[arg-type]
            **settings,
        )
    )


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path / "var")


def browser(app: FastAPI) -> TestClient:
    """A client that keeps cookies and follows no redirects, as the tests look at each."""
    return TestClient(app, raise_server_exceptions=False, follow_redirects=False)


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found is not None, f"no {name} field"
    return found.group(1)


def sign_in(client: TestClient, key: str) -> str:
    """Sign in; the session's CSRF token, read from the page as a browser has it."""
    form = client.get("/console/signin")
    answer = client.post(
        "/console/signin", data={"api_key": key, "signin_token": hidden(form.text, "signin_token")}
    )
    assert answer.status_code == 303, answer.text
    return hidden(client.get("/console/runs").text, "csrf")


def owner(app: FastAPI, key: str) -> str:
    name = caller(key, app.state.service.key_hashes)
    assert name is not None
    return name


def finished(app: FastAPI, owner: str, deliveries: dict[str, tuple[str, int]]) -> str:
    """A run of ``owner``'s, done, its outputs laid out as the bulk run writes them:
    ``deliveries`` maps a file name to its postcode and page count."""
    manager = app.state.service.runs
    run_id, folder = manager.folder()
    upload = folder / "input.csv"
    upload.write_text("record_id\n")
    manager.submit(
        run_id,
        owner,
        kind=RunKind.ENROLMENT,
        profile="kenpo-fy3",
        issue=date(2025, 12, 1),
        upload=upload,
    )
    out = folder / "out"
    (out / "deliveries").mkdir()
    files = []
    for name, (postcode, pages) in deliveries.items():
        (out / "deliveries" / name).write_bytes(blank_pdf(pages))
        code = name.rsplit("_", 1)[1].removesuffix(".pdf")
        files.append(
            {
                "file": f"deliveries/{name}",
                "delivery": code,
                "postcode": postcode,
                "employer": None if code.startswith("home") else f"株式会社{code}",
                "members": 1,
                "pages": pages,
                "sha256": "",
                "preflight": [],
            }
        )
    (out / "manifest.json").write_text(json.dumps({"run": {}, "records": [], "files": files}))
    (out / "errors.csv").write_text(
        'record_id,field,message\n"M-0001","name","is missing"\n', encoding="utf-8"
    )
    counts = {"records": 2, "delivered": 1, "errors": 1, "deliveries": len(files)}
    manager._set(run_id, state="done", counts=json.dumps(counts))
    return run_id
