"""Template proofs asked for in the console: the form's problems beside the fields, only
the bundled templates' names taken, and another key's proofs that do not exist."""

from __future__ import annotations

import io
import os
import time
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI

from generator.api.console import proof_jobs
from generator.api.console.proof_jobs import FAILED, PENDING_LIMIT, ProofJob, ProofJobs
from tests.conftest import PROFILES
from tests.unit.api.console.conftest import KEY_A, KEY_B, browser, owner, sign_in
from tests.unit.api.console.test_runs_pages import _problems

FORM = {"profile": "kenpo-fy3", "issue_date": "2025-12-01"}


def _docx() -> bytes:
    """A minimal DOCX, the same bytes every call (a fixed time in its zip entry)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("word/document.xml"), "<w:document/>")
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


def _proof(app: FastAPI, key: str, state: str = "done") -> ProofJob:
    """A proof of ``key``'s caller, recorded as the loop leaves it in ``state``."""
    jobs = app.state.proofs
    job_id, _ = jobs.new_folder()
    job = jobs.ask(job_id, owner(app, key), "kenpo-fy3", date(2025, 12, 1), (), None)
    jobs._save(replace(job, state=state))
    return jobs.get(job_id, owner(app, key))


def test_a_proof_is_queued_with_its_templates_and_what_it_is_compared_with(app: FastAPI) -> None:
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    earlier = _proof(app, KEY_A)
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
    theirs = _proof(app, KEY_A)
    client = browser(app)
    csrf = sign_in(client, KEY_B)
    for path in ("", "/events", "/files/cover-letter/sheet.png"):
        assert client.get(f"/console/proofs/{theirs.id}{path}").status_code == 404
    assert theirs.id not in client.get("/console/proofs").text
    answer = client.post("/console/proofs", data={**FORM, "csrf": csrf, "compare": theirs.id})
    assert answer.status_code == 422
    assert "比べる校正" in _problems(answer.text)["compare"]


def test_only_a_finished_proof_is_compared_with(app: FastAPI) -> None:
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    failed = _proof(app, KEY_A, state="failed")
    answer = client.post("/console/proofs", data={**FORM, "csrf": csrf, "compare": failed.id})
    assert answer.status_code == 422
    assert "作成済み" in _problems(answer.text)["compare"]


def test_a_caller_has_at_most_a_few_proofs_waiting(app: FastAPI) -> None:
    client = browser(app)
    csrf = sign_in(client, KEY_A)
    for _ in range(PENDING_LIMIT):
        _proof(app, KEY_A, state="queued")
    answer = client.post("/console/proofs", data={**FORM, "csrf": csrf})
    assert answer.status_code == 422
    assert "作成待ち" in _problems(answer.text)["templates"]
    assert len(list(app.state.proofs.root.iterdir())) == PENDING_LIMIT  # nothing of it kept
    # The limit is checked where the proof is recorded, under its lock.
    job_id, _ = app.state.proofs.new_folder()
    assert (
        app.state.proofs.ask(job_id, owner(app, KEY_A), "kenpo-fy3", date(2025, 12, 1), (), None)
        is None
    )
    other = browser(app)  # another caller's queue is its own
    assert (
        other.post("/console/proofs", data={**FORM, "csrf": sign_in(other, KEY_B)}).status_code
        == 303
    )


def test_a_proof_form_needs_its_csrf_token(app: FastAPI) -> None:
    client = browser(app)
    sign_in(client, KEY_A)
    answer = client.post("/console/proofs", data=FORM)
    assert answer.status_code == 403
    assert list(app.state.proofs.root.iterdir()) == []


def test_the_proof_runs_without_the_services_secrets_and_a_failure_says_nothing_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real command, in its own session, without any GENERATOR_ setting (the facility
    keys among them); it fails here (no such profile) and the job says so in fixed words."""
    monkeypatch.setenv("GENERATOR_FACILITY_KEYS", "SECRET:c2VjcmV0")
    seen: dict[str, object] = {}
    real = proof_jobs.subprocess.Popen

    def spy(command: list[str], **options: object) -> object:
        seen.update(options, command=command)
        return real(command, **options)  # type: ignore[call-overload]

    monkeypatch.setattr(proof_jobs.subprocess, "Popen", spy)
    jobs = ProofJobs(tmp_path / "var", PROFILES)
    jobs.start()
    job_id, _ = jobs.new_folder()
    jobs.ask(job_id, "someone", "no-such-profile", date(2025, 12, 1), (), None)
    job = None
    for _ in range(2400):  # the command fails at once; up to 2 minutes on a loaded machine
        job = jobs.get(job_id, "someone")
        if job is not None and job.state in ("done", "failed"):
            break
        time.sleep(0.05)
    assert job is not None
    jobs.stop()
    assert (job.state, job.error) == ("failed", FAILED)
    environment = seen["env"]
    assert isinstance(environment, dict)
    assert not [name for name in environment if name.startswith("GENERATOR_")]
    assert seen["start_new_session"] is True
    assert seen["command"][3:5] == ["templates", "proof"]


def test_a_stop_ends_the_running_proof_and_leaves_it_for_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proof's whole process group ends with the service, and the proof is neither
    failed nor lost: the next start queues it again. No proof queued behind it starts."""
    slow = tmp_path / "slow-python"
    slow.write_text("#!/bin/sh\nexec sleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setattr(proof_jobs.sys, "executable", str(slow))
    jobs = ProofJobs(tmp_path / "var", PROFILES)
    jobs.start()
    first, _ = jobs.new_folder()
    jobs.ask(first, "someone", "kenpo-fy3", date(2025, 12, 1), (), None)
    second, _ = jobs.new_folder()
    jobs.ask(second, "someone", "kenpo-fy3", date(2025, 12, 1), (), None)
    for _ in range(200):
        child = jobs._child
        if child is not None:
            break
        time.sleep(0.05)
    assert child is not None
    jobs.stop()
    with pytest.raises(ProcessLookupError):
        os.killpg(child.pid, 0)
    assert jobs.get(first, "someone").state == "running"  # type: ignore[union-attr]
    assert jobs.get(second, "someone").state == "queued"  # type: ignore[union-attr]
