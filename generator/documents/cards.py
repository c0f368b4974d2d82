"""Contexts of the card documents: 資格確認書 (A4 and はがき) and 高齢受給者証."""

from __future__ import annotations

from dataclasses import dataclass

from generator.documents.common import (
    Box,
    CardFields,
    card_fields,
    era,
    ratio_note,
    route,
)
from generator.domain.age import first_of_next_month
from generator.domain.burden import burden_ratio
from generator.domain.kinds import DocumentKind
from generator.errors import DataError
from generator.facts import MemberFacts, insured_birth
from generator.profiles import Profile

#: The value column of the card (85.6 mm less its 19 mm labels and cell margins).
CARD_VALUE = Box(59.5, 7.5)
#: The postcard's value column, 1.3 times the card.
POSTCARD_VALUE = Box(63.7, 9.75)


@dataclass(frozen=True, slots=True)
class CertificateContext(CardFields):
    """資格確認書."""

    acquired_date: str
    ratio: str
    ratio_note: str
    remarks: str
    route_note: str


def certificate(
    facts: MemberFacts,
    profile: Profile,
    box: Box = CARD_VALUE,
    kind: DocumentKind = DocumentKind.ELIGIBILITY_CERTIFICATE,
) -> CertificateContext:
    return CertificateContext(
        **card_fields(facts, profile, box, facts.expiry.day),  # type: ignore[arg-type]
        acquired_date=era(facts.member.acquired_date),
        ratio=facts.ratio_printed,
        ratio_note=ratio_note(facts),
        remarks="",
        route_note=route(facts, profile, kind)[1],
    )


def certificate_postcard(facts: MemberFacts, profile: Profile) -> CertificateContext:
    return certificate(
        facts, profile, POSTCARD_VALUE, DocumentKind.ELIGIBILITY_CERTIFICATE_POSTCARD
    )


@dataclass(frozen=True, slots=True)
class ElderlyContext(CardFields):
    """高齢受給者証."""

    effective_date: str
    ratio: str


def elderly(facts: MemberFacts, profile: Profile) -> ElderlyContext:
    """Issued to 高齢受給者, or ahead of time when the start falls in the next month."""
    member = facts.member
    effective = facts.elderly_effective_date
    if not facts.is_elderly and effective > first_of_next_month(
        first_of_next_month(facts.issue_date)
    ):
        raise DataError(
            member.record_id, "birth_date", "is not 高齢受給者 by the 1st of the month after next"
        )
    expiry = facts.elderly_certificate_expiry
    ratio = burden_ratio(
        member.birth_date,
        effective,
        member.standard_monthly_remuneration,
        base_income_applied=member.base_income_applied,
        insured_birth=insured_birth(member, elderly_before_expiry=True),
    ).ratio
    fields = card_fields(facts, profile, CARD_VALUE, expiry.day)
    return ElderlyContext(**fields, effective_date=era(effective), ratio=ratio.value)  # type: ignore[arg-type]
