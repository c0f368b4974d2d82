"""Bulk runs over HTTP: POST /v1/runs, then its state, manifest, errors and PDFs."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from fastapi.responses import FileResponse

from generator.api.routes_documents import ERRORS
from generator.api.runs import RunRow
from generator.api.schemas import ErrorBody, Progress, RunStatus
from generator.api.service import Service, authorised, service_of
from generator.batch import RunKind

router = APIRouter(tags=["runs"])
_NOT_FOUND: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "No such run (or not this caller's)."},
    409: {"model": ErrorBody, "description": "The run has not finished."},
}


def _status(row: RunRow) -> RunStatus:
    return RunStatus(
        id=row.id,
        state=row.state,
        kind=row.kind,
        profile=row.profile,
        issue_date=row.issue_date,
        progress=Progress(pages_done=row.pages_done, pages_total=row.pages_total),
        counts=json.loads(row.counts) if row.counts else None,
        error=row.error,
    )


@router.post("/v1/runs", status_code=202, response_model=RunStatus, responses=ERRORS)
async def submit(  # noqa: PLR0917 - FastAPI takes form fields as parameters
    records: Annotated[UploadFile, File(description="Member records: CSV or JSON Lines.")],
    profile: Annotated[str, Form(pattern=r"^[A-Za-z0-9_.-]{1,64}$")],
    issue_date: Annotated[date, Form(description="交付年月日 (YYYY-MM-DD).")],
    kind: Annotated[RunKind, Form()],
    service: Annotated[Service, Depends(service_of)],
    caller: Annotated[str, Depends(authorised)],
) -> RunStatus:
    """Accept a bulk run; it renders in the background (or on Celery workers)."""
    row = await asyncio.to_thread(
        service.submit_run, caller, records.file, kind=kind, profile=profile, issue=issue_date
    )
    return _status(row)


@router.get("/v1/runs/{run_id}", response_model=RunStatus, responses=_NOT_FOUND)
def status(
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    caller: Annotated[str, Depends(authorised)],
) -> RunStatus:
    """The run's state, progress in pages and, once done, its counts."""
    return _status(service.run_of(run_id, caller))


@router.get(
    "/v1/runs/{run_id}/manifest",
    response_class=FileResponse,
    responses={200: {"content": {"application/json": {}}}, **_NOT_FOUND},
)
def manifest(
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    caller: Annotated[str, Depends(authorised)],
) -> FileResponse:
    """manifest.json: each record's delivery and pages, each file's sha256."""
    return FileResponse(service.finished(run_id, caller) / "manifest.json")


@router.get(
    "/v1/runs/{run_id}/errors",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}}, **_NOT_FOUND},
)
def errors_csv(
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    caller: Annotated[str, Depends(authorised)],
) -> FileResponse:
    """errors.csv: record_id, field, message of each record that was not rendered."""
    path = service.finished(run_id, caller) / "errors.csv"
    return FileResponse(path, media_type="text/csv; charset=utf-8")


@router.get(
    "/v1/runs/{run_id}/deliveries/{file}",
    response_class=FileResponse,
    responses={200: {"content": {"application/pdf": {}}}, **_NOT_FOUND},
)
def delivery(
    run_id: str,
    file: str,
    service: Annotated[Service, Depends(service_of)],
    caller: Annotated[str, Depends(authorised)],
) -> FileResponse:
    """One delivery's PDF, by the name the manifest gives (deliveries/NAME)."""
    path = service.delivery(run_id, caller, file)
    return FileResponse(path, media_type="application/pdf")
