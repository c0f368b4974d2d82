"""The record format (CSV columns = JSON keys) and its parsing into a typed ``Member``.

``my_number`` (the individual number, マイナンバー) is accepted and dropped before anything
else looks at the record: it never reaches a model, a log, an error or an output.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date

from pydantic import BaseModel, ConfigDict, ValidationError

from generator.domain.age import reach_day
from generator.domain.models import (
    INSURED_RELATIONSHIP,
    VOLUNTARY_YEARS,
    CertificateReason,
    Employer,
    InsuredId,
    Member,
    Membership,
    PostalAddress,
    Sex,
)
from generator.errors import DataError
from generator.records.columns import describe
from generator.records.fields import (
    CODE_MAX,
    Address,
    Branch,
    Code,
    EmployerName,
    Flag,
    IsoDate,
    Kana,
    MembershipField,
    Name,
    Number,
    Postcode,
    ReasonField,
    Relationship,
    RequestedKind,
    SexField,
    Symbol,
    Yen,
)

#: The columns in the order of the documented format; errors are reported in this order.
COLUMNS: tuple[str, ...] = (
    "record_id", "employer_code", "employer_name", "employer_postcode", "employer_address",
    "insured_symbol", "insured_number", "branch_number", "name", "name_kana", "birth_date",
    "sex", "relationship", "insured_name", "acquired_date", "standard_monthly_remuneration",
    "membership", "voluntary_until", "home_postcode", "home_address", "has_myna_card",
    "certificate_requested", "certificate_reason", "my_number", "base_income_applied",
    "requested_document", "insured_birth_date",
)  # fmt: skip
#: Columns dropped unread at parse time.
DISCARDED = frozenset({"my_number"})


def _fold(name: str) -> str:
    """NFKC, lower case, letters and digits only: ``My_Number ``, ``my-number`` and
    ``ﾏｲﾅﾝﾊﾞｰ`` fold to ``mynumber`` and ``マイナンバー``."""
    return "".join(c for c in unicodedata.normalize("NFKC", name).lower() if c.isalnum())


_MY_NUMBER_WORDS = frozenset(
    {"mynumber", "individualnumber", "個人番号", "マイナンバー"} | {_fold(n) for n in DISCARDED}
)


def means_my_number(name: str) -> bool:
    """Whether a column or key name means the individual number (個人番号): its folded
    form contains one of the words (``my_number_2`` too: better dropped than stored)."""
    folded = _fold(name)
    return any(word in folded for word in _MY_NUMBER_WORDS)


class RecordIn(BaseModel):
    """One flat input record, each column normalised and checked on its own."""

    model_config = ConfigDict(extra="ignore", frozen=True, json_schema_extra=describe)

    record_id: Code
    employer_code: Code | None = None
    employer_name: EmployerName | None = None
    employer_postcode: Postcode | None = None
    employer_address: Address | None = None
    insured_symbol: Symbol
    insured_number: Number
    branch_number: Branch
    name: Name
    name_kana: Kana
    birth_date: IsoDate
    sex: SexField
    relationship: Relationship
    insured_name: Name | None = None
    acquired_date: IsoDate
    standard_monthly_remuneration: Yen
    membership: MembershipField
    voluntary_until: IsoDate | None = None
    home_postcode: Postcode | None = None
    home_address: Address | None = None
    has_myna_card: Flag
    certificate_requested: Flag = False
    certificate_reason: ReasonField | None = None
    base_income_applied: Flag = False
    requested_document: RequestedKind | None = None
    insured_birth_date: IsoDate | None = None


def _present(raw: Mapping[str, object]) -> dict[str, object]:
    """The columns that hold a value; blank cells count as absent."""
    kept: dict[str, object] = {}
    for key, value in raw.items():
        if means_my_number(key) or value is None:
            continue
        if isinstance(value, str) and not value.strip(" \t\r\n\u3000"):
            continue
        kept[key] = value
    return kept


def _first_error(exc: ValidationError, record: str) -> DataError:
    order = {name: i for i, name in enumerate(COLUMNS)}
    errors = sorted(exc.errors(), key=lambda e: order.get(str(e["loc"][0]), len(order)))
    first = errors[0]
    field = str(first["loc"][0])
    message = "is missing" if first["type"] == "missing" else first["msg"]
    message = message.removeprefix("Value error, ")
    if len(errors) > 1:
        others = ", ".join(str(e["loc"][0]) for e in errors[1:])
        message = f"{message} (also wrong: {others})"
    return DataError(record, field, message)


def record_name(raw: Mapping[str, object], where: str) -> str:
    """What an error calls the record: its record_id when that is short printable text,
    else its place ``where`` (``line 12``), so an error never carries a hostile value."""
    record_id = raw.get("record_id")
    if isinstance(record_id, str):
        record_id = record_id.strip()
        readable = record_id.isprintable() and "\ufffd" not in record_id
        if 0 < len(record_id) <= CODE_MAX and readable:
            return record_id
    return where


def parse_record(raw: Mapping[str, object], *, where: str) -> Member:
    """Parse one record; ``where`` names it (e.g. ``line 12``) when it has no record_id.

    Raises DataError naming the record and the first field at fault.
    """
    values = _present(raw)
    record = record_name(values, where)
    try:
        row = RecordIn.model_validate(values)
    except ValidationError as exc:
        raise _first_error(exc, record) from None
    return _to_member(row)


def _require(row: RecordIn, fields: tuple[str, ...], why: str) -> None:
    for field in fields:
        if getattr(row, field) is None:
            raise DataError(row.record_id, field, f"is missing ({why})")


def _to_member(row: RecordIn) -> Member:
    """Cross-field checks, then the typed member."""
    employer: Employer | None = None
    home: PostalAddress | None = None
    if row.membership is Membership.REGULAR:
        _require(
            row,
            ("employer_code", "employer_name", "employer_postcode", "employer_address"),
            "documents for regular members go to the employer",
        )
    else:
        _require(row, ("home_postcode", "home_address"), "任意継続・特例退職 are sent home")
    if row.employer_code and row.employer_name and row.employer_postcode and row.employer_address:
        location = PostalAddress(postcode=row.employer_postcode, address=row.employer_address)
        employer = Employer(code=row.employer_code, name=row.employer_name, location=location)
    if row.home_postcode and row.home_address:
        home = PostalAddress(postcode=row.home_postcode, address=row.home_address)
    if row.relationship != INSURED_RELATIONSHIP:
        _require(row, ("insured_name",), "a dependent's record names the insured person")
    if row.acquired_date < row.birth_date:
        raise DataError(row.record_id, "acquired_date", "is before the birth date")
    _check_voluntary(row)
    return Member(
        record_id=row.record_id,
        employer=employer,
        insured_id=InsuredId(
            symbol=row.insured_symbol, number=row.insured_number, branch=row.branch_number
        ),
        name=row.name,
        name_kana=row.name_kana,
        birth_date=row.birth_date,
        sex=Sex(row.sex),
        relationship=row.relationship,
        insured_name=row.insured_name,
        insured_birth_date=row.insured_birth_date,
        acquired_date=row.acquired_date,
        standard_monthly_remuneration=row.standard_monthly_remuneration,
        membership=row.membership,
        voluntary_until=row.voluntary_until,
        home=home,
        has_myna_card=row.has_myna_card,
        certificate_requested=row.certificate_requested,
        certificate_reason=CertificateReason(row.certificate_reason)
        if row.certificate_reason
        else None,
        base_income_applied=row.base_income_applied,
        requested_document=row.requested_document,
    )


def _check_voluntary(row: RecordIn) -> None:
    until: date | None = row.voluntary_until
    if until is None:
        return
    if row.membership is not Membership.VOLUNTARY:
        raise DataError(row.record_id, "voluntary_until", "is only for 任意継続 (voluntary)")
    if until < row.acquired_date:
        raise DataError(row.record_id, "voluntary_until", "is before acquired_date")
    if until > reach_day(row.acquired_date, VOLUNTARY_YEARS):
        raise DataError(
            row.record_id,
            "voluntary_until",
            f"is later than 任意継続's {VOLUNTARY_YEARS} years from acquired_date",
        )
