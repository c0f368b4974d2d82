"""numbers.py: check digits, 記号・番号・枝番 validation and ja_JP formatting."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.domain.numbers import (
    check_digit,
    format_number,
    format_yen,
    validate_branch,
    validate_insurer_number,
    validate_number,
    validate_symbol,
    weekday,
    with_check_digit,
)


@pytest.mark.parametrize(
    ("body", "full"),
    [
        ("3312001", "33120015"),
        ("0113001", "01130012"),
        ("0127001", "01270016"),
        ("13104", "131045"),
    ],
)
def test_worked_check_digits(body: str, full: str) -> None:
    assert with_check_digit(body) == full
    assert validate_insurer_number(full) == full


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("33120016", "check digit"),
        ("3312001", "8 digits"),
        ("331200150", "8 digits"),
        ("3312001A", "8 digits"),
        ("", "8 digits"),
    ],
)
def test_bad_insurer_numbers(number: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_insurer_number(number)


def test_check_digit_needs_digits() -> None:
    with pytest.raises(ValueError, match="digits only"):
        check_digit("12a")


@given(st.text(alphabet="0123456789", min_size=7, max_size=7), st.integers(1, 9))
def test_any_single_digit_change_breaks_the_check(body: str, delta: int) -> None:
    full = with_check_digit(body)
    wrong = full[:-1] + str((int(full[-1]) + delta) % 10)
    with pytest.raises(ValueError, match="check digit"):
        validate_insurer_number(wrong)


@pytest.mark.parametrize(("given_branch", "expected"), [("01", "01"), ("1", "01"), ("99", "99")])
def test_branch_numbers(given_branch: str, expected: str) -> None:
    assert validate_branch(given_branch) == expected


@pytest.mark.parametrize("bad", ["00", "0", "100", "ab", ""])
def test_bad_branch_numbers(bad: str) -> None:
    with pytest.raises(ValueError, match="枝番"):
        validate_branch(bad)


def test_symbol_and_number() -> None:
    assert validate_symbol("東京一") == "東京一"
    assert validate_number("0012345") == "0012345"
    for bad in ("", "a b", "x" * 21, "a\x00"):
        with pytest.raises(ValueError, match="記号"):
            validate_symbol(bad)
    for bad in ("", "12-3", "1" * 21):
        with pytest.raises(ValueError, match="番号"):
            validate_number(bad)


def test_ja_jp_formatting() -> None:
    assert format_number(1_390_000) == "1,390,000"
    assert format_yen(280_000) == "280,000円"
    assert weekday(date(2025, 12, 1)) == "月"
    assert weekday(date(2025, 12, 2)) == "火"
