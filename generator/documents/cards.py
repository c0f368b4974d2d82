"""Contexts of the card documents: 資格確認書 (A4 and はがき) and 高齢受給者証."""

from __future__ import annotations

from dataclasses import dataclass

from generator.documents.common import (
    Box,
    CardFields,
    card_fields,
    elderly_effective_date,
    era,
    ratio_note,
    route,
)
from generator.domain.age import first_of_next_month
from generator.domain.burden import burden_ratio
from generator.domain.validity import elderly_certificate_expiry
from generator.errors import DataError
from generator.facts import MemberFacts
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


def certificate(facts: MemberFacts, profile: Profile, box: Box = CARD_VALUE) -> CertificateContext:
    return CertificateContext(
        **card_fields(facts, profile, box, facts.expiry.day),  # type: ignore[arg-type]
        acquired_date=era(facts.member.acquired_date),
        ratio=facts.ratio_printed,
        ratio_note=ratio_note(facts),
        remarks="",
        route_note=route(facts, profile)[1],
    )


def certificate_postcard(facts: MemberFacts, profile: Profile) -> CertificateContext:
    return certificate(facts, profile, POSTCARD_VALUE)


@dataclass(frozen=True, slots=True)
class ElderlyContext(CardFields):
    """高齢受給者証."""

    effective_date: str
    ratio: str


def elderly(facts: MemberFacts, profile: Profile) -> ElderlyContext:
    """Issued to 高齢受給者, or ahead of time when the start falls in the next month."""
    member = facts.member
    effective = elderly_effective_date(facts)
    if not facts.is_elderly and effective >= first_of_next_month(
        first_of_next_month(facts.issue_date)
    ):
        raise DataError(
            member.record_id, "birth_date", "is not 高齢受給者 by the month after the issue date"
        )
    expiry = elderly_certificate_expiry(effective, member.birth_date)
    ratio = burden_ratio(
        member.birth_date,
        effective,
        member.standard_monthly_remuneration,
        base_income_applied=member.base_income_applied,
    ).ratio
    fields = card_fields(facts, profile, CARD_VALUE, expiry.day)
    return ElderlyContext(**fields, effective_date=era(effective), ratio=ratio.value)  # type: ignore[arg-type]
