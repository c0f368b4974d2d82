"""The 資格確認書's expiry (有効期限).

The law caps it at 5 years; each insurer sets its own rule (a profile setting). Whatever
the rule, the expiry is cut short to the eve of the 75th birthday (the member moves to
後期高齢者医療 on the birthday) and, for 任意継続 members, to the end of their 任意継続 period.
Periods end on the eve of the anniversary (民法143条), so "5 years from 2025-12-01" is
2030-11-30.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from generator.domain.age import eve_of_75th_birthday, reach_day

#: The law's cap on a 資格確認書's validity, in years from its issue.
LAW_CAP_YEARS = 5


class ValidityRule(Protocol):
    """An insurer's rule for the 資格確認書's expiry."""

    def expiry(self, issue: date) -> date:
        """The expiry the rule gives for a document issued on ``issue``."""
        ...

    def describe(self, issue: date) -> str:
        """The rule's name as ``explain`` reports it."""
        ...


@dataclass(frozen=True, slots=True)
class YearsFromIssue:
    """ "N years from issue" (交付から N 年), N from 1 to 5."""

    years: int

    def __post_init__(self) -> None:
        if not 1 <= self.years <= LAW_CAP_YEARS:
            raise ValueError(f"years must lie between 1 and {LAW_CAP_YEARS}")

    def expiry(self, issue: date) -> date:
        return reach_day(issue, self.years)

    def describe(self, issue: date) -> str:
        return f"years_from_issue:{self.years}"


@dataclass(frozen=True, slots=True)
class IssueWindow:
    """Documents issued from ``issued_from`` to ``issued_to`` expire on ``expires`` (交付期間)."""

    issued_from: date
    issued_to: date
    expires: date


@dataclass(frozen=True, slots=True)
class FixedWindows:
    """Fixed issue windows, each with its own expiry."""

    windows: tuple[IssueWindow, ...]

    def __post_init__(self) -> None:
        ordered = sorted(self.windows, key=lambda w: w.issued_from)
        for window in ordered:
            if window.issued_to < window.issued_from or window.expires < window.issued_to:
                raise ValueError("a window runs from issued_from to issued_to, then expires")
        for earlier, later in itertools.pairwise(ordered):
            if later.issued_from <= earlier.issued_to:
                raise ValueError("issue windows overlap")

    def window_for(self, issue: date) -> IssueWindow:
        for window in self.windows:
            if window.issued_from <= issue <= window.issued_to:
                return window
        raise ValueError(f"no issue window covers {issue.isoformat()}")

    def expiry(self, issue: date) -> date:
        return self.window_for(issue).expires

    def describe(self, issue: date) -> str:
        window = self.window_for(issue)
        return f"fixed_window:{window.issued_from.isoformat()}..{window.issued_to.isoformat()}"


@dataclass(frozen=True, slots=True)
class FiscalYearEnd:
    """31 March of the N-th fiscal year, counting the fiscal year of issue (April–March)."""

    fiscal_years: int

    def __post_init__(self) -> None:
        if not 1 <= self.fiscal_years <= LAW_CAP_YEARS:
            raise ValueError(f"fiscal_years must lie between 1 and {LAW_CAP_YEARS}")

    def expiry(self, issue: date) -> date:
        fiscal_year = issue.year if issue.month >= 4 else issue.year - 1
        return date(fiscal_year + self.fiscal_years, 3, 31)

    def describe(self, issue: date) -> str:
        return f"fiscal_year_end:{self.fiscal_years}"


@dataclass(frozen=True, slots=True)
class Expiry:
    """An expiry with the rule or cap that set it."""

    day: date
    rule: str


def certificate_expiry(
    rule: ValidityRule,
    issue: date,
    birth: date,
    voluntary_until: date | None = None,
) -> Expiry:
    """The 資格確認書's expiry: the insurer's rule, cut by the law and the member's caps.

    On a tie the earlier candidate names the rule, so the insurer's own rule wins.
    """
    candidates: Sequence[Expiry] = [
        Expiry(rule.expiry(issue), rule.describe(issue)),
        Expiry(reach_day(issue, LAW_CAP_YEARS), "law_cap_5_years"),
        Expiry(eve_of_75th_birthday(birth), "eve_of_75th_birthday"),
    ]
    if voluntary_until is not None:
        candidates = [*candidates, Expiry(voluntary_until, "end_of_voluntary_continuation")]
    return min(candidates, key=lambda e: e.day)


#: 高齢受給者証 are re-evaluated each year on income; they run to 31 July (8月1日更新).
ELDERLY_RENEWAL = (7, 31)


def elderly_certificate_expiry(effective: date, birth: date, issue: date) -> Expiry:
    """The 高齢受給者証's expiry: the first 31 July on or after both its 発効期日 and its
    issue date (the ratio is re-evaluated every 1 August), or the eve of the 75th birthday
    when that comes first. Never before the issue date: a member who joined years ago gets
    a card that runs to the next renewal, not one that expired before it was printed."""
    month, day = ELDERLY_RENEWAL
    start = max(effective, issue)
    renewal = date(start.year, month, day)
    if renewal < start:
        renewal = date(start.year + 1, month, day)
    return min(
        (
            Expiry(renewal, "annual_renewal_31_july"),
            Expiry(eve_of_75th_birthday(birth), "eve_of_75th_birthday"),
        ),
        key=lambda e: e.day,
    )
