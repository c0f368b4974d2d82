"""Kinds of run and which documents each gives a member (交付の種類)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from generator.domain.age import elderly_start, first_of_next_month
from generator.domain.kinds import DocumentKind
from generator.domain.models import Member
from generator.errors import DataError
from generator.profiles import Profile


class RunKind(StrEnum):
    """A bulk run's purpose."""

    #: 新規加入: the お知らせ for everyone; the 資格確認書 for those who asked or lack
    #: a マイナ保険証.
    ENROLMENT = "enrolment"
    #: 一斉交付: a 資格確認書 for every member without a マイナ保険証.
    MASS_ISSUE = "mass-issue"
    #: 職権交付: a 資格確認書 for every member given (the national data's list).
    EX_OFFICIO = "ex-officio"
    #: 70歳到達: members whose 高齢受給者 start is the 1st of next month.
    TURNING_70 = "turning-70"
    #: 再交付: the document each member asked for (requested_document).
    REISSUE = "reissue"


@dataclass(frozen=True, slots=True)
class Selection:
    """What a member gets in a run, from when the printed ratio holds, and why."""

    documents: tuple[DocumentKind, ...]
    effective_date: date
    reason: str


def select(  # noqa: PLR0911 - one return per kind of run reads best
    run: RunKind,
    member: Member,
    profile: Profile,
    issue_date: date,
    enrolment: tuple[DocumentKind, ...],
) -> Selection:
    """The documents of one member; ``enrolment`` is what ``decide`` chose for a new member."""
    certificate = (DocumentKind.ELIGIBILITY_CERTIFICATE,)
    if run is RunKind.ENROLMENT:
        return Selection(enrolment, issue_date, "new member (新規加入)")
    if run is RunKind.MASS_ISSUE:
        if member.has_myna_card:
            return Selection((), issue_date, "has a マイナ保険証: no 資格確認書")
        return Selection(certificate, issue_date, "no マイナ保険証 (一斉交付)")
    if run is RunKind.EX_OFFICIO:
        return Selection(certificate, issue_date, "on the national list (職権交付)")
    if run is RunKind.TURNING_70:
        start = elderly_start(member.birth_date)
        if start != first_of_next_month(issue_date):
            return Selection((), issue_date, "高齢受給者 does not start next month")
        kind = (
            DocumentKind.ELDERLY_CERTIFICATE
            if profile.documents.elderly_certificate_separate
            else DocumentKind.ELIGIBILITY_CERTIFICATE
        )
        return Selection((kind,), start, f"高齢受給者 from {start.isoformat()}")
    if member.requested_document is None:
        raise DataError(
            member.record_id, "requested_document", "is missing (a reissue run names it)"
        )
    return Selection((member.requested_document,), issue_date, "requested (再交付申請)")
