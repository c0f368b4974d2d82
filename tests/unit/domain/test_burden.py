"""burden.py: 一部負担金の割合 by age and income, and the mask rule."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.domain.age import is_elderly_on
from generator.domain.burden import BurdenRatio, burden_ratio, printed_ratio

TWO, THREE = BurdenRatio.TWENTY_PERCENT, BurdenRatio.THIRTY_PERCENT


@pytest.mark.parametrize(
    ("birth", "on", "remuneration", "expected"),
    [
        # 70–74: the insured's 標準報酬月額 decides.
        (date(1955, 6, 1), date(2025, 12, 1), 279_999, TWO),
        (date(1955, 6, 1), date(2025, 12, 1), 280_000, THREE),
        (date(1955, 6, 1), date(2025, 12, 1), 1_390_000, THREE),
        # Reached 70 but not yet the 1st of the next month: still under the under-70 rule.
        (date(1956, 3, 15), date(2026, 3, 31), 200_000, THREE),
        (date(1956, 3, 15), date(2026, 4, 1), 200_000, TWO),
        (date(1956, 1, 1), date(2026, 1, 1), 200_000, TWO),
        (date(1956, 1, 2), date(2026, 1, 31), 200_000, THREE),
        (date(1956, 2, 29), date(2026, 3, 1), 200_000, TWO),
        (date(1956, 2, 29), date(2026, 2, 28), 200_000, THREE),
        # Under 6 until the first 31 March after reaching 6 (未就学).
        (date(2019, 4, 1), date(2025, 3, 31), 500_000, TWO),
        (date(2019, 4, 1), date(2025, 4, 1), 500_000, THREE),
        (date(2019, 4, 2), date(2026, 3, 31), 500_000, TWO),
        (date(2019, 4, 2), date(2026, 4, 1), 500_000, THREE),
        # Otherwise 3割.
        (date(1980, 1, 1), date(2025, 12, 1), 100_000, THREE),
    ],
)
def test_ratio_table(birth: date, on: date, remuneration: int, expected: BurdenRatio) -> None:
    assert burden_ratio(birth, on, remuneration).ratio is expected


def test_income_reversion_is_an_input_flag() -> None:
    decision = burden_ratio(date(1954, 1, 10), date(2025, 12, 1), 410_000, base_income_applied=True)
    assert decision.ratio is TWO
    assert "基準収入額適用" in decision.reason
    assert burden_ratio(date(1980, 1, 1), date(2025, 12, 1), 410_000).ratio is THREE


def test_reasons_name_the_rule() -> None:
    assert "現役並み" in burden_ratio(date(1955, 6, 1), date(2025, 12, 1), 280_000).reason
    assert "未就学" in burden_ratio(date(2020, 6, 1), date(2025, 12, 1), 280_000).reason


def test_printed_ratio_is_the_ratio_or_the_mask() -> None:
    assert printed_ratio(TWO, elderly_on_effective_date=True, mask="******") == "2割"
    assert printed_ratio(TWO, elderly_on_effective_date=False, mask="******") == "******"


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 12, 31)),
    st.dates(min_value=date(2024, 12, 2), max_value=date(2030, 12, 31)),
    st.integers(min_value=58_000, max_value=1_390_000),
)
def test_the_ratio_is_printed_only_for_elderly_members(
    birth: date, on: date, remuneration: int
) -> None:
    elderly = is_elderly_on(birth, on)
    ratio = burden_ratio(birth, on, remuneration).ratio
    printed = printed_ratio(ratio, elderly_on_effective_date=elderly, mask="＊＊＊")
    assert (printed in ("2割", "3割")) == elderly
