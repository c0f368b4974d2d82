"""validity.py: each insurer rule from the seeds, the caps, and the law's 5 years."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.domain.age import birthday, elderly_start, eve_of_75th_birthday, reach_day
from generator.domain.validity import (
    FiscalYearEnd,
    FixedWindows,
    IssueWindow,
    YearsFromIssue,
    certificate_expiry,
    elderly_certificate_expiry,
)

WINDOWS = FixedWindows(
    (
        IssueWindow(date(2024, 12, 2), date(2025, 11, 30), date(2027, 11, 30)),
        IssueWindow(date(2025, 12, 1), date(2026, 11, 30), date(2028, 11, 30)),
    )
)
YOUNG = date(1990, 1, 1)


@pytest.mark.parametrize(
    ("issue", "expected"),
    [
        (date(2024, 12, 2), date(2027, 11, 30)),
        (date(2025, 11, 30), date(2027, 11, 30)),
        (date(2025, 12, 1), date(2028, 11, 30)),
        (date(2026, 11, 30), date(2028, 11, 30)),
    ],
)
def test_fixed_windows(issue: date, expected: date) -> None:
    assert WINDOWS.expiry(issue) == expected
    assert certificate_expiry(WINDOWS, issue, YOUNG).rule.startswith("fixed_window:")


def test_an_issue_date_outside_every_window_is_refused() -> None:
    with pytest.raises(ValueError, match="no issue window"):
        WINDOWS.expiry(date(2026, 12, 1))


@pytest.mark.parametrize(
    "windows",
    [
        (IssueWindow(date(2025, 1, 1), date(2024, 1, 1), date(2027, 1, 1)),),
        (
            IssueWindow(date(2025, 1, 1), date(2025, 12, 31), date(2027, 1, 1)),
            IssueWindow(date(2025, 12, 1), date(2026, 12, 31), date(2028, 1, 1)),
        ),
    ],
)
def test_incoherent_windows_are_refused(windows: tuple[IssueWindow, ...]) -> None:
    with pytest.raises(ValueError, match="window"):
        FixedWindows(windows)


@pytest.mark.parametrize(
    ("issue", "expected"),
    [
        (date(2025, 1, 15), date(2027, 3, 31)),
        (date(2025, 3, 31), date(2027, 3, 31)),
        (date(2025, 4, 1), date(2028, 3, 31)),
        (date(2025, 4, 30), date(2028, 3, 31)),
    ],
)
def test_fiscal_year_end(issue: date, expected: date) -> None:
    assert FiscalYearEnd(3).expiry(issue) == expected


@pytest.mark.parametrize(
    ("issue", "expected"),
    [
        (date(2025, 12, 1), date(2030, 11, 30)),
        (date(2028, 2, 29), date(2033, 2, 28)),
        (date(2025, 3, 1), date(2030, 2, 28)),
    ],
)
def test_years_from_issue_ends_on_the_eve_of_the_anniversary(issue: date, expected: date) -> None:
    assert YearsFromIssue(5).expiry(issue) == expected


@pytest.mark.parametrize("years", [0, 6])
def test_rules_beyond_the_law_are_refused(years: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 5"):
        YearsFromIssue(years)
    with pytest.raises(ValueError, match="between 1 and 5"):
        FiscalYearEnd(years)


def test_cut_to_the_eve_of_the_75th_birthday() -> None:
    expiry = certificate_expiry(YearsFromIssue(5), date(2025, 12, 1), date(1952, 6, 10))
    assert (expiry.day, expiry.rule) == (date(2027, 6, 9), "eve_of_75th_birthday")


def test_cut_to_the_end_of_voluntary_continuation() -> None:
    expiry = certificate_expiry(YearsFromIssue(5), date(2025, 12, 1), YOUNG, date(2027, 9, 30))
    assert (expiry.day, expiry.rule) == (date(2027, 9, 30), "end_of_voluntary_continuation")


def test_on_a_tie_the_insurer_rule_names_the_expiry() -> None:
    expiry = certificate_expiry(YearsFromIssue(5), date(2025, 12, 1), YOUNG, date(2030, 11, 30))
    assert expiry.rule == "years_from_issue:5"


def test_the_law_caps_a_window_that_runs_too_long() -> None:
    long_window = FixedWindows(
        (IssueWindow(date(2025, 1, 1), date(2025, 12, 31), date(2031, 1, 1)),)
    )
    expiry = certificate_expiry(long_window, date(2025, 6, 1), YOUNG)
    assert (expiry.day, expiry.rule) == (date(2030, 5, 31), "law_cap_5_years")


rules = st.one_of(
    st.integers(1, 5).map(YearsFromIssue),
    st.integers(1, 5).map(FiscalYearEnd),
)


@given(
    rules,
    st.dates(min_value=date(2024, 12, 2), max_value=date(2040, 12, 31)),
    st.integers(min_value=0, max_value=74 * 366),
    st.one_of(st.none(), st.integers(min_value=0, max_value=800)),
)
def test_expiry_is_never_after_five_years_nor_on_the_75th_birthday(
    rule: YearsFromIssue | FiscalYearEnd, issue: date, age_days: int, voluntary_days: int | None
) -> None:
    birth = date.fromordinal(issue.toordinal() - age_days)
    if birthday(birth, 75) <= issue:
        return  # 75 or older: such a member is refused before any expiry is computed
    until = None if voluntary_days is None else date.fromordinal(issue.toordinal() + voluntary_days)
    expiry = certificate_expiry(rule, issue, birth, until).day
    assert issue <= expiry <= reach_day(issue, 5)
    assert expiry < birthday(birth, 75)
    if until is not None:
        assert expiry <= until


@given(
    birth=st.dates(date(1945, 1, 1), date(1960, 12, 31)),
    acquired=st.dates(date(2000, 1, 1), date(2026, 12, 31)),
    issue=st.dates(date(2024, 12, 2), date(2030, 12, 31)),
)
def test_an_elderly_certificate_never_expires_before_it_is_issued(
    birth: date, acquired: date, issue: date
) -> None:
    """RULES.md: the first 31 July on or after both the 発効期日 and the issue date, cut to
    the eve of the 75th birthday; so never before the issue date while the member is 74."""
    effective = max(elderly_start(birth), acquired)
    expiry = elderly_certificate_expiry(effective, birth, issue)
    if issue < eve_of_75th_birthday(birth):
        assert expiry.day >= issue
    assert expiry.day <= max(
        eve_of_75th_birthday(birth), date(max(effective, issue).year + 1, 7, 31)
    )
    if expiry.rule == "annual_renewal_31_july":
        assert (expiry.day.month, expiry.day.day) == (7, 31)
        assert expiry.day >= max(effective, issue)
