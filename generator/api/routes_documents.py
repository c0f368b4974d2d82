"""POST /v1/documents/{kind}: one member's document as a PDF."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from generator.api.schemas import DocumentRequest, ErrorBody
from generator.api.service import Service, authorised, service_of
from generator.domain.kinds import DocumentKind
from generator.facts import decide
from generator.records import parse_record
from generator.render.pipeline import check_fonts

router = APIRouter(tags=["documents"])

ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "No valid API key."},
    413: {"model": ErrorBody, "description": "The body is over the size limit."},
    422: {"model": ErrorBody, "description": "A record or profile at fault (record, field)."},
    429: {"model": ErrorBody, "description": "The conversion queue is full; retry shortly."},
    503: {"model": ErrorBody, "description": "LibreOffice is down."},
}


@router.post(
    "/v1/documents/{kind}",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The PDF."}, **ERRORS},
)
async def document(
    kind: DocumentKind,
    body: DocumentRequest,
    service: Annotated[Service, Depends(service_of)],
    _caller: Annotated[str, Depends(authorised)],
) -> Response:
    """The finished PDF of one document for one member: the bytes a bulk run or the
    library gives for the same record, profile and issue date."""
    profile = service.profile(body.profile)
    member = parse_record(body.record, where="record")
    check_fonts(member)  # a bad glyph is this request's 422, not its neighbours' failure
    facts = decide(member, profile, body.issue_date)
    pdf = await service.coalescer().render(kind, facts, profile)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{kind.value}.pdf"'},
    )
