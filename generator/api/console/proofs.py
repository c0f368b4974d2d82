"""Template proofs in the console (テンプレートの校正): for each document kind its proof
sheet (ordinary, longest and 外字 data) with its preflight result, and after a template
change the old and new pages side by side with the changed pixels in red."""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.exceptions import HTTPException

from generator.api.console.auth import checked, signed_in
from generator.api.console.proof_jobs import PENDING_LIMIT, ProofJob, ProofJobs
from generator.api.console.views import event_stream, insurer_and_date, page
from generator.api.service import Service, service_of
from generator.api.sessions import PATH, Session
from generator.outputs import private_binary
from generator.proof.render import ENTRIES

router = APIRouter(prefix=f"{PATH}/proofs", include_in_schema=False)
_ID = re.compile(r"[0-9a-f]{24}")
_PICTURE = re.compile(r"[a-z0-9-]+/[A-Za-z0-9_-]+\.png")
#: The template files a proof takes, by the bundled templates' names.
TEMPLATE_NAMES = frozenset(entry.template for entry in ENTRIES)


def jobs_of(request: Request) -> ProofJobs:
    jobs: ProofJobs = request.app.state.proofs
    return jobs


def _job(jobs: ProofJobs, job_id: str, session: Session) -> ProofJob:
    job = jobs.get(job_id, session.caller) if _ID.fullmatch(job_id) else None
    if job is None:
        raise HTTPException(404, "no such proof")
    return job


def _list(  # noqa: PLR0917 - a page and what it shows
    request: Request,
    service: Service,
    session: Session,
    status: int = 200,
    problems: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    store = jobs_of(request)
    jobs = store.of(session.caller)
    done = [job for job in jobs if job.state == "done"]
    folders = {job.id: store.folder(job.id) / "templates" for job in jobs}
    chosen = {"issue_date": date.today().isoformat(), "compare": done[0].id if done else ""}
    return page(
        request, "proofs.html", status, jobs=jobs, profiles=service.profile_names(),
        names=sorted(TEMPLATE_NAMES), problems=problems or {}, done=done, folders=folders,
        values=chosen | (values or {}),
    )  # fmt: skip


@router.get("", response_class=HTMLResponse)
def proofs(
    request: Request,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> Response:
    return _list(request, service, session)


def _templates_problem(files: list[UploadFile]) -> str | None:
    for upload in files:
        if upload.filename not in TEMPLATE_NAMES:
            return f"{upload.filename}: テンプレートのファイル名は次のどれかです: " + "、".join(
                sorted(TEMPLATE_NAMES)
            )
        if not zipfile.is_zipfile(upload.file):
            return f"{upload.filename}: DOCXファイルではありません。"
        upload.file.seek(0)
    return None


@router.post("", response_class=HTMLResponse)
def ask(  # noqa: PLR0917 - FastAPI takes form fields as parameters
    request: Request,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(checked)],
    profile: Annotated[str, Form()] = "",
    issue_date: Annotated[str, Form()] = "",
    compare: Annotated[str, Form()] = "",
    templates: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    jobs = jobs_of(request)
    files = [t for t in templates or [] if t.filename]
    problems: dict[str, str] = {}
    issued = insurer_and_date(service.profile_ids(), profile, issue_date, problems)
    earlier = jobs.get(compare, session.caller) if _ID.fullmatch(compare) else None
    if compare and (earlier is None or earlier.state != "done"):
        problems["compare"] = "比べる校正を、作成済みのものから選び直してください。"
    if (found := _templates_problem(files)) is not None:
        problems["templates"] = found
    values = {"profile": profile, "issue_date": issue_date, "compare": compare}
    if problems or issued is None:
        return _list(request, service, session, 422, problems, values)
    job_id, folder = jobs.new_folder()
    try:
        for upload in files:
            with private_binary(folder / str(upload.filename)) as stored:
                shutil.copyfileobj(upload.file, stored, 1 << 20)
        names = tuple(sorted(str(f.filename) for f in files))
        asked = jobs.ask(job_id, session.caller, profile, issued, names, compare or None)
    except BaseException:
        jobs.discard(job_id)
        raise
    if asked is None:
        jobs.discard(job_id)
        full = f"作成待ちの校正が{PENDING_LIMIT}件あります。終わってから作成してください。"
        return _list(request, service, session, 422, {"templates": full}, values)
    return RedirectResponse(f"{PATH}/proofs/{job_id}", 303)


@router.get("/{job_id}", response_class=HTMLResponse)
def proof_page(
    request: Request,
    job_id: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> Response:
    jobs = jobs_of(request)
    job = _job(jobs, job_id, session)
    summary = jobs.summary(job) if job.state == "done" else None
    folders = {j: jobs.folder(j) / "templates" for j in (job.id, job.compare) if j}
    insurer = service.profile_names().get(job.profile, job.profile)
    return page(request, "proof.html", job=job, summary=summary, folders=folders,
                insurer=insurer)  # fmt: skip


@router.get("/{job_id}/events")
async def events(
    request: Request,
    job_id: str,
    session: Annotated[Session, Depends(signed_in)],
) -> StreamingResponse:
    """``end`` once the proof is done or failed (the page then shows it)."""
    jobs = jobs_of(request)
    _job(jobs, job_id, session)

    def read() -> dict[str, object]:
        return {"state": _job(jobs, job_id, session).state}

    return event_stream(request, read)


@router.get("/{job_id}/files/{key}/{name}")
def picture(
    request: Request,
    job_id: str,
    key: str,
    name: str,
    session: Annotated[Session, Depends(signed_in)],
) -> FileResponse:
    """A picture of the proof (a page, an old page, a difference or a contact sheet)."""
    jobs = jobs_of(request)
    job = _job(jobs, job_id, session)
    path = jobs.folder(job.id) / "proof" / key / name
    if not _PICTURE.fullmatch(f"{key}/{name}") or not path.is_file():
        raise HTTPException(404, "no such picture")
    return FileResponse(path, media_type="image/png", headers={"cache-control": "private"})
