"""What the generator decides for one member on one issue date, and why (判定結果).

This joins the pure rules of ``domain`` with an insurer's ``Profile``. Rendering and bulk
runs work from these facts; ``python -m generator explain`` prints them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from generator.domain import age
from generator.domain.burden import RatioDecision, burden_ratio, printed_ratio
from generator.domain.era import wareki_long
from generator.domain.kinds import DocumentKind
from generator.domain.models import VOLUNTARY_YEARS, Member, Membership
from generator.domain.text import parse_iso_date
from generator.domain.validity import Expiry, certificate_expiry, elderly_certificate_expiry
from generator.errors import DataError
from generator.profiles.model import Profile
from generator.selection import RunKind, select


@dataclass(frozen=True, slots=True)
class Delivery:
    """Where a member's documents go: the employer (事業所) or the member's home (自宅)."""

    kind: Literal["employer", "home"]
    #: The employer code, or an opaque household key that spells out no personal data.
    key: str


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """The decisions for one member on one issue date (交付年月日)."""

    member: Member
    issue_date: date
    age: int
    elderly_start: date | None
    is_elderly: bool
    burden: RatioDecision
    ratio_printed: str
    expiry: Expiry
    documents: tuple[DocumentKind, ...]
    delivery: Delivery
    reasons: dict[str, str] = field(default_factory=dict)
    #: The kind of run the documents were chosen for: what they tell the member.
    run: RunKind = RunKind.ENROLMENT

    @property
    def elderly_effective_date(self) -> date:
        """発効期日 of the 高齢受給者証 (and of the ratio a 資格確認書 shows in its place): the
        later of the 高齢受給者 start and the 資格取得年月日."""
        return max(age.elderly_start(self.member.birth_date), self.member.acquired_date)

    @property
    def elderly_certificate_expiry(self) -> Expiry:
        """有効期限 of the 高齢受給者証, never before the issue date."""
        return elderly_certificate_expiry(
            self.elderly_effective_date, self.member.birth_date, self.issue_date
        )

    def explain(self) -> dict[str, object]:
        """The JSON ``explain`` prints: decisions with their reasons, no personal data."""
        birth = self.member.birth_date
        return {
            "record_id": self.member.record_id,
            "issue_date": self.issue_date.isoformat(),
            "birth_date_wareki": wareki_long(birth),
            "age": self.age,
            "elderly_start": self.elderly_start.isoformat() if self.elderly_start else None,
            "is_elderly": self.is_elderly,
            "burden_ratio": self.burden.ratio.value,
            "ratio_printed": self.ratio_printed,
            "expiry": self.expiry.day.isoformat(),
            "expiry_wareki": wareki_long(self.expiry.day),
            "expiry_rule": self.expiry.rule,
            "documents": [kind.value for kind in self.documents],
            **self._elderly_dates(),
            "delivery": {"type": self.delivery.kind, "key": self.delivery.key},
            "reasons": dict(self.reasons),
        }

    def _elderly_dates(self) -> dict[str, str]:
        """The 高齢受給者証's dates, for a member who is 高齢受給者 before the expiry."""
        if self.elderly_start is None:
            return {}
        expiry = self.elderly_certificate_expiry
        return {
            "elderly_effective_date": self.elderly_effective_date.isoformat(),
            "elderly_certificate_expiry": expiry.day.isoformat(),
            "elderly_certificate_expiry_rule": expiry.rule,
        }


def delivery_for(member: Member) -> Delivery:
    """任意継続・特例退職 members get theirs at home, one delivery per household; others
    through their employer."""
    if member.membership is Membership.REGULAR and member.employer is not None:
        return Delivery("employer", member.employer.code)
    assert member.home is not None  # parse_record requires a home address for these
    home = member.home
    household = "\x1f".join((home.postcode, home.address, member.insured_display_name))
    return Delivery("home", "home-" + hashlib.sha256(household.encode()).hexdigest()[:12])


def voluntary_end(member: Member) -> date | None:
    """The last day of 任意継続: as given (parsing refuses one past the law's 2 years), or
    2 years from acquired_date."""
    if member.membership is not Membership.VOLUNTARY:
        return None
    return member.voluntary_until or age.reach_day(member.acquired_date, VOLUNTARY_YEARS)


def insured_birth(member: Member, elderly_before_expiry: bool) -> date | None:
    """A dependent's insured person's birth date, required (DataError) when the dependent is
    高齢受給者 before the document expires: the insured's age decides the ratio."""
    if member.is_insured:
        return None
    if elderly_before_expiry and member.insured_birth_date is None:
        raise DataError(
            member.record_id,
            "insured_birth_date",
            "is missing (a dependent of 70–74 pays 3割 only when the insured is 70–74 too)",
        )
    return member.insured_birth_date


def check_issue_date(profile: Profile, issue_date: date, record: str = "run") -> None:
    """An issue date the insurer's rule covers: outside every published issue window is bad
    input naming ``issue_date`` (a window is never invented)."""
    try:
        profile.validity_rule.expiry(issue_date)
    except ValueError as exc:
        raise _uncovered(record, exc) from None


def _uncovered(record: str, exc: ValueError) -> DataError:
    """The one thing an insurer's rule refuses: an issue date outside its windows."""
    return DataError(record, "issue_date", f"{exc}: the insurer publishes no expiry for it")


def _expiry(member: Member, profile: Profile, issue_date: date) -> Expiry:
    until = voluntary_end(member)
    try:
        expiry = certificate_expiry(profile.validity_rule, issue_date, member.birth_date, until)
    except ValueError as exc:
        raise _uncovered(member.record_id, exc) from None
    if expiry.day < issue_date:
        raise DataError(member.record_id, "voluntary_until", "任意継続 ends before the issue date")
    return expiry


def issue_date_of(value: object, record: str = "call") -> date:
    """The issue date (交付年月日) a caller passes: a ``date`` or an ISO string YYYY-MM-DD.
    Anything else is a DataError naming ``issue_date`` here, never a TypeError from deep
    inside a rule."""
    try:
        return parse_iso_date(value)
    except ValueError as exc:
        given = type(value).__name__
        raise DataError(record, "issue_date", f"{exc}: a date or YYYY-MM-DD, got {given}") from None


def decide(
    member: Member,
    profile: Profile,
    issue_date: date | str,
    *,
    run: RunKind = RunKind.ENROLMENT,
) -> MemberFacts:
    """Every decision for ``member`` on ``issue_date`` in a run of kind ``run``; DataError
    for a member who cannot be issued documents (born after the issue date, 75 or older on
    it, a 70–74 dependent whose insured's birth date is not given).

    The printed ratio holds from the selection's 発効期日: the issue date, unless documents
    are issued ahead, as at 70 (the 1st of the next month).
    """
    issue_date = issue_date_of(issue_date, member.record_id)
    chosen = select(run, member, profile, issue_date)
    on = chosen.effective_date
    if member.birth_date > issue_date:
        raise DataError(member.record_id, "birth_date", "is after the issue date")
    years = age.age_on(member.birth_date, issue_date)
    if years >= age.LATE_ELDERLY_AGE:
        raise DataError(
            member.record_id,
            "birth_date",
            "the member is 75 or older on the issue date and belongs to 後期高齢者医療",
        )
    expiry = _expiry(member, profile, issue_date)
    start = age.elderly_start(member.birth_date)
    is_elderly = age.is_elderly_on(member.birth_date, on)
    relevant = is_elderly or start <= expiry.day
    burden = burden_ratio(
        member.birth_date,
        on,
        member.standard_monthly_remuneration,
        base_income_applied=member.base_income_applied,
        insured_birth=insured_birth(member, relevant),
    )
    mask = profile.mask_for(DocumentKind.ELIGIBILITY_CERTIFICATE)
    return MemberFacts(
        member=member,
        issue_date=issue_date,
        age=years,
        elderly_start=start if relevant else None,
        is_elderly=is_elderly,
        burden=burden,
        ratio_printed=printed_ratio(burden.ratio, elderly_on_effective_date=is_elderly, mask=mask),
        expiry=expiry,
        documents=chosen.documents,
        run=run,
        delivery=delivery_for(member),
        reasons={
            "documents": f"{run.value}: {chosen.reason}",
            "burden_ratio": burden.reason,
            "ratio_printed": "高齢受給者 on the effective date: the ratio is printed"
            if is_elderly
            else "not 高齢受給者 on the effective date: the mask is printed",
            "elderly_start": "高齢受給者 now or before the expiry"
            if relevant
            else "not 高齢受給者 before the 資格確認書 expires",
            "delivery": "任意継続・特例退職: to the home address"
            if member.delivered_home
            else "through the employer (事業所)",
        },
    )
