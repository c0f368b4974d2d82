"""era.py: the worked examples of RULES.md, every era boundary, and round trips."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.domain.era import ERAS, era_of, from_wareki, to_wareki, wareki_initials, wareki_long


@pytest.mark.parametrize(
    ("day", "long_form", "initials"),
    [
        (date(2025, 12, 1), "令和7年12月1日", "R7.12.1"),
        (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
        (date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
        (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
        (date(1955, 4, 1), "昭和30年4月1日", "S30.4.1"),
    ],
)
def test_worked_examples(day: date, long_form: str, initials: str) -> None:
    assert wareki_long(day) == long_form
    assert wareki_initials(day) == initials


# The day before, the day, and the day after each era's first day.
BOUNDARIES = [
    (date(1912, 7, 29), "明治45年7月29日", "M45.7.29"),
    (date(1912, 7, 30), "大正元年7月30日", "T1.7.30"),
    (date(1912, 7, 31), "大正元年7月31日", "T1.7.31"),
    (date(1926, 12, 24), "大正15年12月24日", "T15.12.24"),
    (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
    (date(1926, 12, 26), "昭和元年12月26日", "S1.12.26"),
    (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
    (date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
    (date(1989, 1, 9), "平成元年1月9日", "H1.1.9"),
    (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
    (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
    (date(2019, 5, 2), "令和元年5月2日", "R1.5.2"),
    # The second year of each era, on 1 January.
    (date(1913, 1, 1), "大正2年1月1日", "T2.1.1"),
    (date(1927, 1, 1), "昭和2年1月1日", "S2.1.1"),
    (date(1990, 1, 1), "平成2年1月1日", "H2.1.1"),
    (date(2020, 1, 1), "令和2年1月1日", "R2.1.1"),
    (date(1868, 1, 25), "明治元年1月25日", "M1.1.25"),
    (date(2099, 12, 31), "令和81年12月31日", "R81.12.31"),
]


@pytest.mark.parametrize(("day", "long_form", "initials"), BOUNDARIES)
def test_era_boundaries(day: date, long_form: str, initials: str) -> None:
    assert wareki_long(day) == long_form
    assert wareki_initials(day) == initials


def test_full_width_digits_on_request() -> None:
    assert wareki_long(date(2025, 12, 1), full_width=True) == "令和７年１２月１日"
    assert wareki_long(date(2019, 5, 10), full_width=True) == "令和元年５月１０日"
    assert wareki_initials(date(2025, 12, 1), full_width=True) == "R７.１２.１"


def test_era_codes_follow_the_forms() -> None:
    assert [era.code for era in ERAS] == [5, 4, 3, 2, 1]
    assert era_of(date(2025, 1, 1)).code == 5


def test_before_meiji_is_refused() -> None:
    with pytest.raises(ValueError, match="before the first era"):
        to_wareki(date(1868, 1, 24))


@pytest.mark.parametrize(
    ("era", "year", "month", "day"),
    [
        ("令和", 1, 4, 30),
        ("平成", 31, 5, 1),
        ("昭和", 64, 1, 8),
        ("大正", 1, 7, 29),
        ("X", 1, 1, 1),
    ],
)
def test_from_wareki_refuses_dates_outside_their_era(
    era: str, year: int, month: int, day: int
) -> None:
    with pytest.raises(ValueError, match=r"outside|unknown era"):
        from_wareki(era, year, month, day)


@given(st.dates(min_value=date(1868, 1, 25), max_value=date(2099, 12, 31)))
def test_each_era_date_maps_back_to_its_date(day: date) -> None:
    wareki = to_wareki(day)
    assert from_wareki(wareki.era.name, wareki.year, wareki.month, wareki.day) == day
    assert from_wareki(wareki.era.initial, wareki.year, wareki.month, wareki.day) == day


@given(st.dates(min_value=date(1868, 1, 26), max_value=date(2099, 12, 31)))
def test_era_years_only_count_up(day: date) -> None:
    before, today = to_wareki(day - timedelta(days=1)), to_wareki(day)
    if before.era == today.era:
        assert today.year in (before.year, before.year + 1)
    else:
        assert today.year == 1
