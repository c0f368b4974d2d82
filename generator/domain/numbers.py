"""Numbers on the documents: the insurer number's check digit, 記号・番号・枝番, and
figures formatted through babel's ja_JP locale.

保険者番号: 8 digits = 法別番号 (2) + 都道府県 (2) + 保険者別 (3) + 検証番号 (1); municipal
国民健康保険 uses 6 digits without 法別番号. The check digit is a Luhn digit: from the rightmost
of the other digits multiply alternately by 2, 1, 2, 1 …, add the digits of each product, and
take 10 − (sum mod 10), 0 when the sum ends in 0.
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "ja_JP"
INSURER_NUMBER_LENGTHS = (6, 8)
#: 記号 is a string that may hold non-digits (e.g. kanji at a 共済組合).
SYMBOL_MAX_LENGTH = 20
NUMBER_MAX_LENGTH = 20

#: Forms write 280,000円 rather than the currency style ￥280,000.
_YEN_PATTERN = "#,##0円"
_DIGITS = re.compile(r"[0-9]+")
_BRANCH = re.compile(r"(0[1-9]|[1-9][0-9])")


def check_digit(body: str) -> int:
    """The 検証番号 for the digits of an insurer number without its last digit."""
    if not _DIGITS.fullmatch(body):
        raise ValueError("an insurer number holds digits only")
    total = 0
    for position, char in enumerate(reversed(body)):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def with_check_digit(body: str) -> str:
    """3312001 → 33120015."""
    return body + str(check_digit(body))


def validate_insurer_number(number: str) -> str:
    """Return ``number`` when it is a 6- or 8-digit insurer number whose check digit holds."""
    if not _DIGITS.fullmatch(number) or len(number) not in INSURER_NUMBER_LENGTHS:
        raise ValueError("an insurer number (保険者番号) is 8 digits, or 6 for 国民健康保険")
    if check_digit(number[:-1]) != int(number[-1]):
        raise ValueError("the insurer number's check digit (検証番号) is wrong")
    return number


def validate_symbol(symbol: str) -> str:
    """記号: 1 to 20 characters, no spaces or control characters."""
    if not symbol or len(symbol) > SYMBOL_MAX_LENGTH:
        raise ValueError(f"記号 takes 1 to {SYMBOL_MAX_LENGTH} characters")
    if any(ch.isspace() or not ch.isprintable() for ch in symbol):
        raise ValueError("記号 holds no spaces or control characters")
    return symbol


def validate_number(number: str) -> str:
    """番号: 1 to 20 digits."""
    if not _DIGITS.fullmatch(number) or len(number) > NUMBER_MAX_LENGTH:
        raise ValueError(f"番号 takes 1 to {NUMBER_MAX_LENGTH} digits")
    return number


def validate_branch(branch: str) -> str:
    """枝番: two digits, 01 to 99; a single digit (as spreadsheets export it) is padded."""
    padded = branch.zfill(2) if len(branch) == 1 else branch
    if not _BRANCH.fullmatch(padded):
        raise ValueError("枝番 is two digits from 01 to 99")
    return padded


def format_number(value: int) -> str:
    """280000 → 280,000 (ja_JP grouping)."""
    return format_decimal(value, locale=LOCALE)


def format_yen(value: int) -> str:
    """280000 → 280,000円, the way Japanese forms write amounts."""
    return format_decimal(value, format=_YEN_PATTERN, locale=LOCALE)


def weekday(day: date) -> str:
    """The abbreviated weekday of ja_JP: 月 for a Monday."""
    return format_date(day, "E", locale=LOCALE)
