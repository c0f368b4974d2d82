"""A finished run's files in the console (納品物): deliveries in postcode order, the error
table, pages as pictures, and downloads (one PDF, all as one ZIP, manifest.json,
errors.csv). Every file is found through the caller's own run, by a name the manifest gives.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pypdfium2 as pdfium
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException

from generator.api.console.archive import deliveries_zip
from generator.api.console.auth import signed_in
from generator.api.console.views import page
from generator.api.runs import RunRow
from generator.api.service import Service, service_of
from generator.api.sessions import PATH, Session

router = APIRouter(prefix=f"{PATH}/runs/{{run_id}}", include_in_schema=False)
#: Rows of the error table on the page, and deliveries a page; the rest are in the files.
ERROR_ROWS, DELIVERIES_PER_PAGE = 500, 100
#: A thumbnail's and the page viewer's resolution, in dots per inch.
THUMB_DPI, VIEW_DPI = 30, 110
#: PDFium is not safe to call from two threads at once.
_PDFIUM = threading.Lock()


@dataclass(frozen=True, slots=True)
class Delivery:
    """One delivery as listed: its file, postcode, employer (or home), members, pages."""

    file: str
    postcode: str
    #: The employer's name; None for a household's delivery (at home).
    employer: str | None
    code: str
    members: int
    pages: int


def run_of(service: Service, run_id: str, session: Session) -> RunRow:
    """The signed-in caller's run (404 for another's)."""
    return service.run_of(run_id, session.caller)


def deliveries(row: RunRow) -> tuple[Delivery, ...]:
    """The run's deliveries in postcode order, from its manifest (read once while it is
    the same file: a large run's manifest lists every record)."""
    path = Path(row.out) / "manifest.json"
    return _listed(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _listed(path: str, _version: int) -> tuple[Delivery, ...]:
    manifest = json.loads(Path(path).read_text(encoding="utf-8"))
    found = [
        Delivery(
            file=entry["file"].removeprefix("deliveries/"),
            postcode=entry["postcode"],
            employer=_employer(entry),
            code=entry["delivery"],
            members=entry["members"],
            pages=entry["pages"],
        )
        for entry in manifest["files"]
    ]
    return tuple(sorted(found, key=lambda d: (d.postcode, d.file)))


def _employer(entry: dict[str, object]) -> str | None:
    """The employer's name; a manifest written before it named them gives the code (a
    household's key starts ``home-``: None, as for a household's delivery)."""
    if "employer" in entry:
        return None if entry["employer"] is None else str(entry["employer"])
    code = str(entry["delivery"])
    return None if code.startswith("home") else code


def errors_table(row: RunRow) -> tuple[list[dict[str, str]], int]:
    """The first ``ERROR_ROWS`` rows of errors.csv (record_id, field, message), and how many
    in all (read past, not held). The messages name what is wrong, never a value."""
    with (Path(row.out) / "errors.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        shown = list(itertools.islice(reader, ERROR_ROWS))
        return shown, len(shown) + sum(1 for _ in reader)


def page_png(pdf: Path, number: int, dpi: int) -> bytes:
    """Page ``number`` (from 1) of a PDF as a PNG; 404 past its last page."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            if not 1 <= number <= len(document):
                raise HTTPException(404, "no such page")
            image = document[number - 1].render(scale=dpi / 72).to_pil().convert("L")
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def page_count(pdf: Path) -> int:
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


#: Never kept by the browser: a page shows members' names and addresses, and an operator's
#: PC may be shared (rendered again on each view: the cost of that).
_PRIVATE = {"cache-control": "private, no-store"}


@router.get("/deliveries/{file}/pages/{number}.png")
def page_image(  # noqa: PLR0917 - path, query and dependencies
    run_id: str,
    file: str,
    number: int,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
    thumb: bool = False,
) -> Response:
    pdf = service.delivery(run_id, session.caller, file)
    png = page_png(pdf, number, THUMB_DPI if thumb else VIEW_DPI)
    return Response(png, media_type="image/png", headers=_PRIVATE)


@router.get("/deliveries/{file}/view", response_class=HTMLResponse)
def viewer(  # noqa: PLR0917 - path, query and dependencies
    request: Request,
    run_id: str,
    file: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
    number: Annotated[int, Query(alias="page", ge=1)] = 1,
) -> Response:
    """One page of a delivery as a picture, with the way to the others."""
    pdf = service.delivery(run_id, session.caller, file)
    total = page_count(pdf)
    if number > total:
        raise HTTPException(404, "no such page")
    row = run_of(service, run_id, session)
    delivery = next((d for d in deliveries(row) if d.file == file), None)
    return page(request, "viewer.html", row=row, file=file, number=number, total=total,
                delivery=delivery)  # fmt: skip


@router.get("/deliveries/{file}")
def delivery_pdf(
    run_id: str,
    file: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> FileResponse:
    path = service.delivery(run_id, session.caller, file)
    return FileResponse(path, media_type="application/pdf", filename=file, headers=_PRIVATE)


#: The run's own files offered for download, with their media types.
_RUN_FILES = {"manifest.json": "application/json", "errors.csv": "text/csv; charset=utf-8"}


def _run_file(service: Service, run_id: str, session: Session, name: str) -> FileResponse:
    path = service.finished(run_id, session.caller) / name
    return FileResponse(path, media_type=_RUN_FILES[name], filename=name, headers=_PRIVATE)


@router.get("/manifest.json")
def manifest(
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> FileResponse:
    return _run_file(service, run_id, session, "manifest.json")


@router.get("/errors.csv")
def errors_csv(
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> FileResponse:
    return _run_file(service, run_id, session, "errors.csv")


@router.get("/deliveries.zip")
def all_deliveries(
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> StreamingResponse:
    out = service.finished(run_id, session.caller)
    headers = {**_PRIVATE, "content-disposition": f'attachment; filename="deliveries-{run_id}.zip"'}
    return StreamingResponse(deliveries_zip(out), media_type="application/zip", headers=headers)
