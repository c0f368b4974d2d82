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
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pypdfium2 as pdfium
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException

from generator.api.console.auth import signed_in
from generator.api.console.views import page
from generator.api.runs import DELIVERY_FILE, RUN_ID, RunRow
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
    """The caller's run; 404 for another caller's, as for one that does not exist."""
    row = service.runs.get(run_id, session.caller) if RUN_ID.fullmatch(run_id) else None
    if row is None:
        raise HTTPException(404, "no such run")
    return row


def _done(service: Service, run_id: str, session: Session) -> Path:
    row = run_of(service, run_id, session)
    if row.state != "done":
        raise HTTPException(409, f"the run is {row.state}")
    return Path(row.out)


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
            employer=entry.get("employer"),
            code=entry["delivery"],
            members=entry["members"],
            pages=entry["pages"],
        )
        for entry in manifest["files"]
    ]
    return tuple(sorted(found, key=lambda d: (d.postcode, d.file)))


def errors_table(row: RunRow) -> tuple[list[dict[str, str]], int]:
    """The first ``ERROR_ROWS`` rows of errors.csv (record_id, field, message), and how many
    in all (read past, not held). The messages name what is wrong, never a value."""
    with (Path(row.out) / "errors.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        shown = list(itertools.islice(reader, ERROR_ROWS))
        return shown, len(shown) + sum(1 for _ in reader)


def _delivery(service: Service, run_id: str, session: Session, file: str) -> Path:
    path = _done(service, run_id, session) / "deliveries" / file
    if not DELIVERY_FILE.fullmatch(file) or not path.is_file():
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
#: A finished run's pages never change: the browser may keep their pictures for a while.
_KEPT = {"cache-control": "private, max-age=86400, immutable"}


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
    return Response(png, media_type="image/png", headers=_KEPT)


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


class _Chunks(io.RawIOBase):
    """Where zipfile writes a streamed ZIP: the bytes wait here until the response takes
    them (not seekable, so zipfile writes each entry's sizes after its data)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.parts.append(bytes(data))
        return len(data)

    def taken(self) -> Iterator[bytes]:
        parts, self.parts = self.parts, []
        yield from parts


def deliveries_zip(out: Path) -> Iterator[bytes]:
    """Every delivery the manifest lists, as one ZIP made while it is sent: no copy of a
    run's PDFs on disk or in memory. PDFs are compressed already: stored. The same run
    gives the same bytes (entries in the manifest's order, zipfile's fixed 1980 time)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    chunks = _Chunks()
    with zipfile.ZipFile(chunks, "w") as archive:
        for entry in manifest["files"]:
            info = zipfile.ZipInfo(entry["file"])
            with (
                archive.open(info, "w", force_zip64=True) as stored,
                (out / entry["file"]).open("rb") as pdf,
            ):
                while block := pdf.read(1 << 20):
                    stored.write(block)
                    yield from chunks.taken()
            yield from chunks.taken()
    yield from chunks.taken()


@router.get("/deliveries.zip")
def all_deliveries(
    run_id: str,
    service: Annotated[Service, Depends(service_of)],
    session: Annotated[Session, Depends(signed_in)],
) -> StreamingResponse:
    out = _done(service, run_id, session)
    headers = {**_PRIVATE, "content-disposition": f'attachment; filename="deliveries-{run_id}.zip"'}
    return StreamingResponse(deliveries_zip(out), media_type="application/zip", headers=headers)
