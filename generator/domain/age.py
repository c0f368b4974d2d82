"""Age by the law's rule, and the dates that follow from it.

A person reaches an age at the end of the day before the birthday (年齢計算ニ関スル法律,
民法143条). Someone born on 29 February therefore reaches it at the end of 28 February in
a common year, and is that age from 1 March.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

#: 高齢受給者: from 70 to 74 (70歳以上75歳未満).
ELDERLY_AGE = 70
#: 後期高齢者医療: the member leaves the insurer on the 75th birthday.
LATE_ELDERLY_AGE = 75
#: 未就学: 2割 up to the first 31 March after the child reaches 6.
PRESCHOOL_AGE = 6


def reach_day(birth: date, years: int) -> date:
    """The day at whose end a person born on ``birth`` reaches ``years`` (年齢到達日)."""
    year = birth.year + years
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(year):
        # 民法143条2項: no corresponding day, so the period ends on the month's last day.
        return date(year, 2, 28)
    return date(year, birth.month, birth.day) - timedelta(days=1)


def age_on(birth: date, on: date) -> int:
    """The age (満年齢) of a person born on ``birth`` during the day ``on``."""
    if on < birth:
        raise ValueError("the date is before the birth date")
    age = on.year - birth.year
    # Reached at the end of reach_day, so only from the following day is the age held.
    while age > 0 and reach_day(birth, age) >= on:
        age -= 1
    return age


def birthday(birth: date, years: int) -> date:
    """The first day on which the person is ``years`` old (for 29 February: 1 March)."""
    return reach_day(birth, years) + timedelta(days=1)


def eve_of_75th_birthday(birth: date) -> date:
    """The last day with the insurer before 後期高齢者医療 takes over (75歳到達日)."""
    return reach_day(birth, LATE_ELDERLY_AGE)


def first_of_next_month(day: date) -> date:
    """The 1st of the month after ``day``'s month."""
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def elderly_start(birth: date) -> date:
    """The first day as 高齢受給者 (高齢受給者証の発効期日).

    The 1st of the month after the month in which the person reaches 70; for someone born
    on the 1st that is the 1st of the birthday month, since 70 is reached on the eve.
    """
    return first_of_next_month(reach_day(birth, ELDERLY_AGE))


def is_elderly_on(birth: date, on: date) -> bool:
    """Whether the person is 高齢受給者 (70–74) on ``on``."""
    return elderly_start(birth) <= on <= eve_of_75th_birthday(birth)


def preschool_end(birth: date) -> date:
    """The last day of 未就学: the first 31 March on or after the day 6 is reached."""
    reached = reach_day(birth, PRESCHOOL_AGE)
    year = reached.year if reached <= date(reached.year, 3, 31) else reached.year + 1
    return date(year, 3, 31)
