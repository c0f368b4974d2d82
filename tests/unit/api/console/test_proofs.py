"""Template proofs asked for in the console: the form's problems beside the fields, only
the bundled templates' names taken, and another key's proofs that do not exist."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from fastapi import FastAPI

from tests.unit.api.console.conftest import KEY_A, KEY_B, browser, owner, sign_in
from tests.unit.api.console.test_runs_pages import _problems

FORM = {"profile": "kenpo-fy3", "issue_date": "2025-12-01"}


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_templates_are_taken_by_the_bundled_names_only(app: FastAPI) -> None:
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    for name, data, words in (
        ("my-letter.docx", _docx(), "テンプレートのファイル名"),
        ("cover-letter.docx", b"not a zip", "DOCXファイルではありません"),
    ):
        answer = client.post(
            "/console/proofs", data={**FORM, "csrf": csrf}, files=[("templates", (name, data))]
        )
        assert answer.status_code == 422
        assert words in _problems(answer.text)["templates"]
    assert list(app.state.proofs.root.iterdir()) == []


def test_a_proof_is_queued_with_its_templates_and_what_it_is_compared_with(app: FastAPI) -> None:
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    earlier = app.state.proofs.create(
        owner(app, KEY_A), profile="kenpo-fy3", issue=date(2025, 12, 1), compare=None
    )
    answer = client.post(
        "/console/proofs",
        data={**FORM, "csrf": csrf, "compare": earlier.id},
        files=[("templates", ("cover-letter.docx", _docx()))],
    )
    assert answer.status_code == 303
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    job = app.state.proofs.get(job_id, owner(app, KEY_A))
    assert (job.templates, job.compare, job.state) == (("cover-letter.docx",), earlier.id, "queued")
    stored = app.state.proofs.folder(job_id) / "templates" / "cover-letter.docx"
    assert stored.read_bytes() == _docx()
    assert stored.stat().st_mode & 0o777 == 0o600
    assert "1分ほど" in client.get(answer.headers["location"]).text


def test_another_keys_proof_is_neither_shown_nor_compared_with(app: FastAPI) -> None:
    theirs = app.state.proofs.create(
        owner(app, KEY_A), profile="kenpo-fy3", issue=date(2025, 12, 1), compare=None
    )
    client = browser(app)
    csrf = sign_in(client, KEY_B)
    for path in ("", "/events", "/files/cover-letter/sheet.png"):
        assert client.get(f"/console/proofs/{theirs.id}{path}").status_code == 404
    assert theirs.id not in client.get("/console/proofs").text
    answer = client.post("/console/proofs", data={**FORM, "csrf": csrf, "compare": theirs.id})
    assert answer.status_code == 422
    assert "比べる校正" in _problems(answer.text)["compare"]
