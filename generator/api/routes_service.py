"""Facility tokens, health, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from generator.api.metrics import registry_for
from generator.api.routes_documents import ERRORS
from generator.api.schemas import Health, TokenAnswer, TokenRequest
from generator.api.service import Service, authorised, service_of
from generator.domain.facility_token import verify
from generator.errors import ProfileError, TokenError

router = APIRouter()


@router.post(
    "/v1/facility-tokens/verify", response_model=TokenAnswer, tags=["tokens"], responses=ERRORS
)
def verify_token(
    body: TokenRequest,
    service: Annotated[Service, Depends(service_of)],
    _caller: Annotated[str, Depends(authorised)],
    on: Annotated[
        date | None, Query(description="The day it must be valid on (default: today).")
    ] = None,
) -> TokenAnswer:
    """Whether a facility QR's token is genuine and valid on ``on`` (default today), and its
    dates (no member identifiers)."""
    if service.keys is None:
        raise ProfileError("settings", "facility_keys", "the service has no facility keys")
    try:
        claims = verify(service.keys, body.token)
    except TokenError as error:
        return TokenAnswer(valid=False, reason=str(error))
    day = on if on is not None else date.today()  # read once, at the request
    reason = claims.why_not_current(day)
    return TokenAnswer(
        valid=reason is None,
        kid=claims.kid,
        issued=claims.issued,
        expires=claims.expires,
        current_on=day,
        current=reason is None,
        reason=reason,
    )


@router.get("/healthz", response_model=Health, tags=["service"])
def healthz() -> Health:
    """The process answers."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, tags=["service"], responses={503: {"model": Health}})
async def readyz(service: Annotated[Service, Depends(service_of)], response: Response) -> Health:
    """The LibreOffice pool answers over UNO."""
    pool = service.pool
    healthy = pool is not None and await asyncio.to_thread(pool.healthy)
    if not healthy:
        response.status_code = 503
        return Health(status="unavailable", detail=service.down or "LibreOffice does not answer")
    return Health(status="ok")


@router.get(
    "/metrics",
    response_class=Response,
    tags=["service"],
    responses={200: {"content": {"text/plain": {}}}},
)
def metrics(service: Annotated[Service, Depends(service_of)]) -> Response:
    """Prometheus: queue depth, conversions, failures, restarts, pages, runs."""
    return Response(generate_latest(registry_for(service)), media_type=CONTENT_TYPE_LATEST)
