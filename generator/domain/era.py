"""Japanese era dates (和暦): 令和7年12月1日, 令和元年5月1日, R7.12.1.

The first year of an era is written 元年 in the long form and 1 in the initials form;
forms print no zero padding. Some forms use full-width digits (令和７年１２月１日): the
caller (a template) chooses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True, slots=True)
class Era:
    """An era (元号): its name, initial, form code and first day."""

    name: str
    initial: str
    code: int
    first_day: date


#: Newest first, so that the first era whose first day is not after a date is its era.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", 5, date(2019, 5, 1)),
    Era("平成", "H", 4, date(1989, 1, 8)),
    Era("昭和", "S", 3, date(1926, 12, 25)),
    Era("大正", "T", 2, date(1912, 7, 30)),
    # 明治 by convention from 1868-01-25 (the solar calendar came later); no living member.
    Era("明治", "M", 1, date(1868, 1, 25)),
)


@dataclass(frozen=True, slots=True)
class WarekiDate:
    """A date expressed in its era (和暦): era, year of the era, month, day."""

    era: Era
    year: int
    month: int
    day: int

    def long(self, *, full_width: bool = False) -> str:
        """The long form, 令和7年12月1日 (元年 for the first year)."""
        year = "元" if self.year == 1 else str(self.year)
        text = f"{self.era.name}{year}年{self.month}月{self.day}日"
        return text.translate(_FULL_WIDTH_DIGITS) if full_width else text

    def initials(self, *, full_width: bool = False) -> str:
        """The initials form, R7.12.1 (the first year written 1)."""
        text = f"{self.era.initial}{self.year}.{self.month}.{self.day}"
        return text.translate(_FULL_WIDTH_DIGITS) if full_width else text


def era_of(day: date) -> Era:
    """The era a date belongs to; ValueError before 明治."""
    for era in ERAS:
        if day >= era.first_day:
            return era
    raise ValueError(f"{day.isoformat()} is before the first era (明治, 1868-01-25)")


def to_wareki(day: date) -> WarekiDate:
    """Express a Gregorian date in its era (西暦 → 和暦)."""
    era = era_of(day)
    return WarekiDate(era, day.year - era.first_day.year + 1, day.month, day.day)


def wareki_long(day: date, *, full_width: bool = False) -> str:
    """令和7年12月1日 for 2025-12-01."""
    return to_wareki(day).long(full_width=full_width)


def wareki_initials(day: date, *, full_width: bool = False) -> str:
    """R7.12.1 for 2025-12-01."""
    return to_wareki(day).initials(full_width=full_width)


def from_wareki(era_name: str, year: int, month: int, day: int) -> date:
    """Back from an era date to the Gregorian date (和暦 → 西暦).

    Raises ValueError when the era is unknown or the date lies outside that era.
    """
    era = next((e for e in ERAS if era_name in (e.name, e.initial)), None)
    if era is None:
        raise ValueError(f"unknown era {era_name!r}")
    result = date(era.first_day.year + year - 1, month, day)
    if result < era.first_day or era_of(result) is not era:
        raise ValueError(f"{era.name}{year}年{month}月{day}日 is outside {era.name}")
    return result
