"""Which documents a member gets, for every kind of run (交付の種類と交付書類): the one place
that decides it, for bulk runs, ``explain`` and the service alike.

The rules (RULES.md, "The documents"):

- 新規加入 (enrolment): the お知らせ for everyone; the 資格確認書 for a member without a
  マイナ保険証 or who asked for one (the request, or a reason A–G on file); the 高齢受給者証
  for a 高齢受給者 where the insurer still issues it on its own.
- 一斉交付 (mass issue): a 資格確認書 for every member without a マイナ保険証, and for those who
  asked in advance even with a マイナ保険証 registered.
- 職権交付 (ex officio): a 資格確認書 for every member on the national list.
- 70歳到達 (turning 70: a 高齢受給者 start from the 1st of the issue month to the 1st of the
  month after next): a member who uses the マイナ保険証
  gets an お知らせ showing the new ratio and no 資格確認書; a member who holds a 資格確認書 gets
  a new one showing the ratio from the 発効期日, or the 高齢受給者証 where the insurer issues it.
- 再交付 (reissue): the document the member asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from generator.domain import age
from generator.domain.kinds import DocumentKind
from generator.domain.models import Member
from generator.errors import DataError
from generator.profiles import Profile

NOTICE = DocumentKind.QUALIFICATION_NOTICE
CERTIFICATE = DocumentKind.ELIGIBILITY_CERTIFICATE
ELDERLY = DocumentKind.ELDERLY_CERTIFICATE


class RunKind(StrEnum):
    """A run's purpose (交付の種類)."""

    ENROLMENT = "enrolment"
    MASS_ISSUE = "mass-issue"
    EX_OFFICIO = "ex-officio"
    TURNING_70 = "turning-70"
    REISSUE = "reissue"


@dataclass(frozen=True, slots=True)
class Selection:
    """What a member gets in a run, from when the printed ratio holds, and why."""

    documents: tuple[DocumentKind, ...]
    effective_date: date
    reason: str


def asked_for_certificate(member: Member) -> bool:
    """A request for a 資格確認書 on file: the enrolment checkbox or a reason A–G."""
    return member.certificate_requested or member.certificate_reason is not None


def holds_certificate(member: Member) -> bool:
    """Whether the member sees doctors with a 資格確認書: no マイナ保険証, or one asked for."""
    return not member.has_myna_card or asked_for_certificate(member)


def select(run: RunKind, member: Member, profile: Profile, issue_date: date) -> Selection:
    """The documents ``member`` gets in a run of kind ``run`` issued on ``issue_date``."""
    elderly_separately = profile.documents.elderly_certificate_separate
    if run is RunKind.ENROLMENT:
        return _enrolment(member, elderly_separately, issue_date)
    if run is RunKind.MASS_ISSUE:
        return _mass_issue(member, issue_date)
    if run is RunKind.EX_OFFICIO:
        return Selection((CERTIFICATE,), issue_date, "on the national list (職権交付)")
    if run is RunKind.TURNING_70:
        return _turning_70(member, elderly_separately, issue_date)
    if member.requested_document is None:
        raise DataError(
            member.record_id, "requested_document", "is missing (a reissue run names it)"
        )
    return Selection((member.requested_document,), issue_date, "requested (再交付申請)")


def _enrolment(member: Member, elderly_separately: bool, issue_date: date) -> Selection:
    kinds = [NOTICE]
    if holds_certificate(member):
        kinds.append(CERTIFICATE)
    if elderly_separately and age.is_elderly_on(member.birth_date, issue_date):
        kinds.append(ELDERLY)
    why = "with a 資格確認書" if holds_certificate(member) else "マイナ保険証: no 資格確認書"
    return Selection(tuple(kinds), issue_date, f"new member (新規加入), {why}")


def _mass_issue(member: Member, issue_date: date) -> Selection:
    if not member.has_myna_card:
        return Selection((CERTIFICATE,), issue_date, "no マイナ保険証 (一斉交付)")
    if asked_for_certificate(member):
        return Selection((CERTIFICATE,), issue_date, "asked in advance (一斉交付)")
    return Selection((), issue_date, "uses the マイナ保険証 and asked for nothing")


#: A turning-70 run covers the 高齢受給者 starts from the 1st of its own month to the 1st of
#: the month after next: documents go out ahead (RULES.md: issued 2025-11-10 for a start on
#: 2026-01-01).
TURNING_70_MONTHS_AHEAD = 2


def _months_ahead(start: date, issue_date: date) -> int:
    return (start.year - issue_date.year) * 12 + start.month - issue_date.month


def _turning_70(member: Member, elderly_separately: bool, issue_date: date) -> Selection:
    start = age.elderly_start(member.birth_date)
    if not 0 <= _months_ahead(start, issue_date) <= TURNING_70_MONTHS_AHEAD:
        return Selection((), issue_date, "高齢受給者 does not start this month or the next two")
    if not holds_certificate(member):
        return Selection((NOTICE,), start, f"マイナ保険証: an お知らせ with the ratio from {start}")
    kind = ELDERLY if elderly_separately else CERTIFICATE
    return Selection((kind,), start, f"holds a 資格確認書: the ratio from {start}")
