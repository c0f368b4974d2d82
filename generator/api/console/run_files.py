"""A finished run's files in the console (納品物): deliveries in postcode order, the error
table, pages as pictures, and downloads (one PDF, all as one ZIP, manifest.json,
errors.csv). Every file is found through the caller's own run, by a name the manifest gives.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pypdfium2 as pdfium
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.exceptions import HTTPException

from generator.api.console.auth import signed_in
from generator.api.console.views import page
from generator.api.runs import RunRow
from generator.api.service import Service, service_of
from generator.api.sessions import PATH, Session
from generator.outputs import private_binary

router = APIRouter(prefix=f"{PATH}/runs/{{run_id}}", include_in_schema=False)
_RUN_ID = re.compile(r"[0-9a-f]{24}")
_FILE = re.compile(r"[0-9]{6}_[0-9-]*_[A-Za-z0-9_-]+\.pdf")
#: Rows of the error table on the page; the rest are in errors.csv.
ERROR_ROWS = 500
#: A thumbnail's and the page viewer's resolution, in dots per inch.
THUMB_DPI, VIEW_DPI = 30, 110
#: PDFium is not safe to call from two threads at once.
_PDFIUM = threading.Lock()


@dataclass(frozen=True, slots=True)
class Delivery:
    """One delivery as listed: its file, postcode, employer (or home), members, pages."""

    file: str
    postcode: str
    employer: str | None
    members: int
    pages: int


def run_of(service: Service, run_id: str, session: Session) -> RunRow:
    """The caller's run; 404 for another caller's, as for one that does not exist."""
    row = service.runs.get(run_id, session.caller) if _RUN_ID.fullmatch(run_id) else None
    if row is None:
        raise HTTPException(404, "no such run")
    return row


def _done(service: Service, run_id: str, session: Session) -> Path:
    row = run_of(service, run_id, session)
    if row.state != "done":
        raise HTTPException(409, f"the run is {row.state}")
    return Path(row.out)


def deliveries(row: RunRow) -> list[Delivery]:
    manifest = json.loads((Path(row.out) / "manifest.json").read_text(encoding="utf-8"))
    found = [
        Delivery(
            file=entry["file"].removeprefix("deliveries/"),
            postcode=entry["postcode"],
            employer=None if entry["delivery"].startswith("home") else entry["delivery"],
            members=entry["members"],
            pages=entry["pages"],
        )
        for entry in manifest["files"]
    ]
    return sorted(found, key=lambda d: (d.postcode, d.file))


def errors_table(row: RunRow) -> tuple[list[dict[str, str]], int]:
    """The first ``ERROR_ROWS`` rows of errors.csv (record_id, field, message), and how many
    in all. The messages name what is wrong, never a value."""
    with (Path(row.out) / "errors.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return rows[:ERROR_ROWS], len(rows)


def _delivery(service: Service, run_id: str, session: Session, file: str) -> Path:
    path = _done(service, run_id, session) / "deliveries" / file
    if not _FILE.fullmatch(file) or not path.is_file():
        raise HTTPException(404, "no such delivery")
    return path


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
    pdf = _delivery(service, run_id, session, file)
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
    pdf = _delivery(service, run_id, session, file)
    total = page_count(pdf)
    if number > total:
        raise HTTPException(404, "no such page")
    row = run_of(service, run_id, session)
    return page(request, "viewer.html", row=row, file=file, number=number, total=total)


@router.get("/deliveries/{file}")
def delivery_pdf(
    run_id: str,
    file: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> FileResponse:
    path = _delivery(service, run_id, session, file)
    return FileResponse(path, media_type="application/pdf", filename=file, headers=_PRIVATE)


@router.get("/manifest.json")
def manifest(
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> FileResponse:
    path = _done(service, run_id, session) / "manifest.json"
    return FileResponse(path, media_type="application/json", filename="manifest.json",
                        headers=_PRIVATE)  # fmt: skip


@router.get("/errors.csv")
def errors_csv(
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> FileResponse:
    path = _done(service, run_id, session) / "errors.csv"
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename="errors.csv",
                        headers=_PRIVATE)  # fmt: skip


_ZIP_LOCK = threading.Lock()


def deliveries_zip(out: Path) -> Path:
    """Every delivery in one ZIP beside the run's outputs (not in them: the manifest lists
    what the run wrote), made once, owner-only. PDFs are compressed already: stored."""
    target = out.parent / "deliveries.zip"
    with _ZIP_LOCK:
        if not target.is_file():
            with private_binary(target) as file, zipfile.ZipFile(file, "w") as archive:
                for pdf in sorted((out / "deliveries").glob("*.pdf")):
                    info = zipfile.ZipInfo(f"deliveries/{pdf.name}")
                    with (
                        archive.open(info, "w", force_zip64=True) as entry,
                        pdf.open("rb") as pdf_file,
                    ):
                        shutil.copyfileobj(pdf_file, entry, 1 << 20)
    return target


@router.get("/deliveries.zip")
def all_deliveries(
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> FileResponse:
    path = deliveries_zip(_done(service, run_id, session))
    return FileResponse(path, media_type="application/zip",
                        filename=f"deliveries-{run_id}.zip", headers=_PRIVATE)  # fmt: skip
