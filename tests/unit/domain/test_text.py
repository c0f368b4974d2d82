"""text.py: normalisation of what Japanese systems export."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from generator.domain.text import (
    display_postcode,
    normalize_code,
    normalize_postcode,
    normalize_text,
    parse_iso_date,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ｻﾄｳ ｹﾝｲﾁ", "サトウ ケンイチ"),
        ("ｶﾞｯｺｳ", "ガッコウ"),
        ("１２３番地", "123番地"),
        ("\u3000山田\u3000", "山田"),
        ("\ufa10本", "\ufa10本"),  # a compatibility ideograph stays the person's own character
        ("髙橋 𠮷男", "髙橋 𠮷男"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_code() -> None:
    assert normalize_code(" Ａ１ ") == "A1"


@pytest.mark.parametrize(
    "raw", ["100-0013", "1000013", "〒100-0013", "１００－００１３", "100ー0013"]
)
def test_postcodes_are_kept_as_digits_and_printed_with_one_hyphen(raw: str) -> None:
    assert normalize_postcode(raw) == "1000013"
    assert display_postcode(normalize_postcode(raw)) == "100-0013"


@pytest.mark.parametrize("raw", ["100-001", "10000130", "abc-defg"])
def test_bad_postcodes(raw: str) -> None:
    with pytest.raises(ValueError, match="7 digits"):
        normalize_postcode(raw)


def test_iso_dates() -> None:
    assert parse_iso_date("２０２５－１２－０１") == date(2025, 12, 1)
    assert parse_iso_date(date(2025, 12, 1)) == date(2025, 12, 1)
    for bad in ("2025/12/01", "20251201", "2025-02-30", datetime(2025, 1, 1), 20251201):
        with pytest.raises(ValueError, match="date"):
            parse_iso_date(bad)
