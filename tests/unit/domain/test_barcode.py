"""barcode.py: 住所表示番号 extraction, check digits, and the 67 bars."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.domain.barcode import (
    _VALUES,
    PATTERNS,
    address_number,
    barcode_symbols,
    bars,
    check_symbol,
)


@pytest.mark.parametrize(
    ("postcode", "number", "check"),
    [("1000013", "1-3-2-503", "9"), ("2730102", "3-20-5B604", "0"), ("1000014", "1-11-32", "CC5")],
)
def test_worked_check_digits(postcode: str, number: str, check: str) -> None:
    symbols = barcode_symbols(postcode, number)
    assert symbols is not None
    assert symbols[-1] == check
    assert len(symbols) == 21


def test_letters_take_two_characters_and_padding_is_cc4() -> None:
    symbols = barcode_symbols("2730102", "3-20-5B604")
    assert symbols is not None
    assert symbols[7:20] == ["3", "-", "2", "0", "-", "5", "CC1", "1", "6", "0", "4", "CC4", "CC4"]


@pytest.mark.parametrize(
    ("address", "number"),
    [
        ("東京都千代田区神田神保町一丁目2番3号 みどりビル4階", "1-2-3-4"),
        ("神奈川県横浜市中区山下町2番地 ベイサイドレジデンス1203号室", "2-1203"),
        ("埼玉県さいたま市浦和区高砂三丁目14番5号", "3-14-5"),
        ("東京都港区六本木六丁目10−1", "6-10-1"),
        ("大阪府大阪市北区梅田二十三丁目１番３号　Ａ棟", "23-1-3-A"),
        ("福岡県福岡市博多区博多駅前十丁目1－2", "10-1-2"),
        ("東京都中央区銀座", ""),
        ("札幌市中央区大通西7丁目 ABCビル 3F", "7-3F"),
        ("千葉県市川市&新田・5/6.7", "567"),
    ],
)
def test_address_numbers(address: str, number: str) -> None:
    assert address_number(address) == number


def test_no_barcode_without_a_number_or_postcode() -> None:
    assert barcode_symbols("1040061", "東京都中央区銀座") is None
    assert barcode_symbols("104", "1-2-3") is None


def test_bars() -> None:
    symbols = barcode_symbols("1000013", "1-3-2-503")
    assert symbols is not None
    line = bars(symbols)
    assert len(line) == 67
    assert line.startswith("13")
    assert line.endswith("31")
    assert set(line) <= set("1234")


@given(st.lists(st.sampled_from(sorted(PATTERNS)), min_size=20, max_size=20))
def test_the_check_digit_makes_the_sum_a_multiple_of_19(data: list[str]) -> None:
    assert (sum(_VALUES[s] for s in data) + _VALUES[check_symbol(data)]) % 19 == 0
