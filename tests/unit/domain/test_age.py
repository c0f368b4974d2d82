"""age.py: the law's way of counting age, 高齢受給者 start, 未就学 end, 75th birthday."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.domain.age import (
    age_on,
    birthday,
    elderly_start,
    eve_of_75th_birthday,
    first_of_next_month,
    is_elderly_on,
    preschool_end,
    reach_day,
)


@pytest.mark.parametrize(
    ("birth", "start"),
    [
        (date(1956, 1, 1), date(2026, 1, 1)),
        (date(1956, 1, 2), date(2026, 2, 1)),
        (date(1956, 3, 15), date(2026, 4, 1)),
        (date(1956, 2, 29), date(2026, 3, 1)),
        (date(1955, 12, 1), date(2025, 12, 1)),
        (date(1955, 12, 2), date(2026, 1, 1)),
        (date(1956, 3, 1), date(2026, 3, 1)),
    ],
)
def test_elderly_start_worked_examples(birth: date, start: date) -> None:
    assert elderly_start(birth) == start


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(1956, 3, 15), date(2026, 3, 14), 69),
        (date(1956, 3, 15), date(2026, 3, 15), 70),
        (date(1956, 2, 29), date(2026, 2, 28), 69),
        (date(1956, 2, 29), date(2026, 3, 1), 70),
        (date(1956, 2, 29), date(2028, 2, 29), 72),
        (date(1956, 2, 29), date(2028, 2, 28), 71),
        (date(2000, 1, 1), date(2000, 1, 1), 0),
        (date(1999, 12, 31), date(2000, 12, 31), 1),
    ],
)
def test_age_on(birth: date, on: date, expected: int) -> None:
    assert age_on(birth, on) == expected


def test_a_29_february_birth_reaches_its_age_on_28_february() -> None:
    assert reach_day(date(1956, 2, 29), 70) == date(2026, 2, 28)
    assert reach_day(date(1956, 2, 29), 72) == date(2028, 2, 28)
    assert birthday(date(1956, 2, 29), 70) == date(2026, 3, 1)


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(ValueError, match="before the birth"):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


@pytest.mark.parametrize(
    ("birth", "end"),
    [
        (date(2019, 4, 1), date(2025, 3, 31)),
        (date(2019, 4, 2), date(2026, 3, 31)),
        (date(2020, 2, 29), date(2026, 3, 31)),
        (date(2019, 12, 31), date(2026, 3, 31)),
    ],
)
def test_preschool_end(birth: date, end: date) -> None:
    assert preschool_end(birth) == end


def test_eve_of_75th_birthday_and_elderly_window() -> None:
    birth = date(1951, 6, 10)
    assert eve_of_75th_birthday(birth) == date(2026, 6, 9)
    assert is_elderly_on(birth, date(2026, 6, 9))
    assert not is_elderly_on(birth, date(2026, 6, 10))
    assert not is_elderly_on(date(1956, 3, 15), date(2026, 3, 31))
    assert is_elderly_on(date(1956, 3, 15), date(2026, 4, 1))


def test_first_of_next_month_crosses_the_year() -> None:
    assert first_of_next_month(date(2025, 12, 31)) == date(2026, 1, 1)


births = st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31))


@given(births, st.integers(min_value=1, max_value=100))
def test_the_age_is_held_from_the_birthday_and_not_the_day_before(birth: date, years: int) -> None:
    first = birthday(birth, years)
    assert age_on(birth, first) == years
    assert age_on(birth, first - timedelta(days=1)) == years - 1


@given(births)
def test_elderly_start_is_the_first_of_a_month_after_reaching_70(birth: date) -> None:
    start = elderly_start(birth)
    assert start.day == 1
    assert start > reach_day(birth, 70)
    assert start - reach_day(birth, 70) <= timedelta(days=31)
