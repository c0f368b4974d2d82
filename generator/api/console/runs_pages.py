"""The console's runs (一括作成): the list, a new run's form, and a run's page with its
progress pushed by the server (Server-Sent Events)."""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from generator.api.console.auth import checked, signed_in
from generator.api.console.run_files import (
    DELIVERIES_PER_PAGE,
    deliveries,
    errors_table,
    run_of,
)
from generator.api.console.views import event_stream, insurer_and_date, page
from generator.api.service import Service, service_of
from generator.api.sessions import PATH, Session
from generator.batch import RunKind
from generator.errors import DataError, ProfileError

router = APIRouter(prefix=PATH, include_in_schema=False)
PER_PAGE = 20
#: Over how long pages/s is taken.
WINDOW = 10.0


@router.get("/runs", response_class=HTMLResponse)
def runs(
    request: Request,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
    number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    rows, total = service.runs.page(session.caller, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
    counts = {row.id: json.loads(row.counts) if row.counts else {} for row in rows}
    pages = max(1, -(-total // PER_PAGE))
    return page(request, "runs.html", rows=rows, counts=counts, total=total, number=number,
                pages=pages, per_page=PER_PAGE, insurers=service.profile_names())  # fmt: skip


def _form(request: Request, service: Service, status: int = 200, **values: object) -> Response:
    today = date.today()  # the form's default only: the run's date is what is submitted
    return page(
        request, "new_run.html", status,
        profiles=service.profile_names(), max_bytes=service.settings.max_upload_bytes,
        values={"issue_date": today.isoformat(), "kind": "enrolment"} | values.pop("values", {}),  # type: ignore[operator]
        problems=values.pop("problems", {}),
    )  # fmt: skip


@router.get("/runs/new", response_class=HTMLResponse)
def new_run(
    request: Request,
    service: Annotated[Service, Depends(service_of)],
    _: Annotated[Session, Depends(signed_in)],
) -> Response:
    return _form(request, service)


@router.post("/runs", response_class=HTMLResponse)
async def submit(  # noqa: PLR0917 - FastAPI takes form fields as parameters
    request: Request,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(checked)],
    records: Annotated[UploadFile | None, File()] = None,
    profile: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    issue_date: Annotated[str, Form()] = "",
) -> Response:
    values = {"profile": profile, "kind": kind, "issue_date": issue_date}
    problems: dict[str, str] = {}
    if records is None or not records.filename:
        problems["records"] = "会員ファイルを選んでください。"
    issued = insurer_and_date(service.profile_ids(), profile, issue_date, problems)
    if kind not in KIND_VALUES:
        problems["kind"] = "交付の種類を選んでください。"
    if problems or records is None or issued is None:
        return _form(request, service, 422, values=values, problems=problems)
    try:
        row = await asyncio.to_thread(
            service.submit_run, session.caller, records.file,
            kind=RunKind(kind), profile=profile, issue=issued,
        )  # fmt: skip
    except ProfileError as error:
        problems["profile"] = f"保険者設定を読めません: {error.message}"
    except DataError as error:
        problems["records"] = f"ファイルを読めません（{error.record}）: {error.message}"
    else:
        return RedirectResponse(f"{PATH}/runs/{row.id}", 303)
    return _form(request, service, 422, values=values, problems=problems)


KIND_VALUES = frozenset(kind.value for kind in RunKind)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(
    request: Request,
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
    number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
) -> Response:
    row = run_of(service, run_id, session)
    finished = row.state == "done"
    errors, error_total = errors_table(row) if finished else ([], 0)
    listed = deliveries(row) if finished else ()
    pages = max(1, -(-len(listed) // DELIVERIES_PER_PAGE))
    start = (min(number, pages) - 1) * DELIVERIES_PER_PAGE
    return page(
        request, "run.html", row=row, counts=json.loads(row.counts) if row.counts else {},
        deliveries=listed[start : start + DELIVERIES_PER_PAGE], delivery_total=len(listed),
        number=min(number, pages), pages=pages, errors=errors, error_total=error_total,
        insurers=service.profile_names(),
    )  # fmt: skip


@router.get("/runs/{run_id}/events")
async def events(
    request: Request,
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> StreamingResponse:
    """The run's progress as Server-Sent Events, a ``progress`` event each time it moves
    and ``end`` once it is done or failed."""
    run_of(service, run_id, session)
    seen: deque[tuple[float, int]] = deque()

    def read() -> dict[str, object]:
        """The run's state, pages, and pages/s over the last ``WINDOW`` seconds."""
        row = run_of(service, run_id, session)
        now = time.monotonic()
        seen.append((now, row.pages_done))
        while now - seen[0][0] > WINDOW:
            seen.popleft()
        span, moved = now - seen[0][0], row.pages_done - seen[0][1]
        rate = moved / span if span > 0 and moved > 0 else 0.0
        left = row.pages_total - row.pages_done
        return {
            "state": row.state, "done": row.pages_done, "total": row.pages_total,
            "rate": round(rate, 1), "eta": round(left / rate) if rate else None,
        }  # fmt: skip

    return event_stream(request, read)
