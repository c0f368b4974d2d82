"""``python -m generator wareki -`` over every day from 1912-07-30 to 2099-12-31, checked
against an independent calendar written here from the era table alone."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

from tests.conftest import ROOT

# Era name, initial and Gregorian year of its first year, with the first day (month, day).
_TABLE = [("令和", "R", 2019, (5, 1)), ("平成", "H", 1989, (1, 8)),
          ("昭和", "S", 1926, (12, 25)), ("大正", "T", 1912, (7, 30))]  # fmt: skip


def _expected(day: date) -> str:
    for name, initial, first_year, (month, first_day) in _TABLE:
        if (day.year, day.month, day.day) >= (first_year, month, first_day):
            year = day.year - first_year + 1
            long_year = "元" if year == 1 else str(year)
            long_form = f"{name}{long_year}年{day.month}月{day.day}日"
            return f"{day.isoformat()}\t{long_form}\t{initial}{year}.{day.month}.{day.day}"
    raise AssertionError(day)


def test_every_day_matches_an_independent_calendar() -> None:
    start, end = date(1912, 7, 30), date(2099, 12, 31)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    result = subprocess.run(
        [sys.executable, "-m", "generator", "wareki", "-"],
        input="\n".join(d.isoformat() for d in days) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == len(days)
    mismatches = [
        (got, _expected(d)) for got, d in zip(lines, days, strict=True) if got != _expected(d)
    ]
    assert mismatches == []
