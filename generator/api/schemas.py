"""The service's request and response bodies (OpenAPI schemas)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from generator.records.schema import RecordIn


class DocumentRequest(BaseModel):
    """One member's record, the insurer's profile id and the run's one issue date."""

    model_config = ConfigDict(extra="forbid")

    #: The record format itself, so that callers can generate typed clients and check a
    #: record before they send it; the service still parses it as the bulk run does.
    record: Annotated[dict[str, Any], WithJsonSchema(RecordIn.model_json_schema())] = Field(
        description="One member record, with the columns of the bulk CSV (README: Records)."
    )
    profile: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    issue_date: date = Field(description="交付年月日 (YYYY-MM-DD).")


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=512)


class TokenAnswer(BaseModel):
    """A facility QR token's claims: no member identifiers, only a pseudonym's key id."""

    valid: bool
    kid: str | None = None
    issued: date | None = None
    expires: date | None = None
    current_on: date | None = None
    current: bool | None = None
    reason: str | None = None


class Progress(BaseModel):
    pages_done: int
    pages_total: int


class RunStatus(BaseModel):
    """A bulk run: queued → running → done (or failed)."""

    id: str
    state: Literal["queued", "running", "done", "failed"]
    kind: str
    profile: str
    issue_date: date
    progress: Progress
    counts: dict[str, int] | None = None
    error: str | None = None


class ErrorBody(BaseModel):
    """Every error answer: the error's name and message; record and field where a record
    was at fault (never the value)."""

    error: str
    message: str
    record: str | None = None
    field: str | None = None


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    detail: str | None = None
