"""records/fields.py: every column's limits (length, range, a visible character)."""

from __future__ import annotations

import pytest

from generator.documents.cards import CARD_VALUE
from generator.documents.letters import ADDRESS, ADDRESSEE
from generator.documents.sender_list import LIST_CELLS
from generator.documents.values import Fitted
from generator.errors import DataError
from generator.records.fields import (
    ADDRESS_MAX,
    CODE_MAX,
    EMPLOYER_NAME_MAX,
    KANA_MAX,
    NAME_MAX,
    RELATIONSHIP_MAX,
)
from generator.records.schema import parse_record
from tests.conftest import HOME, base_record

DEPENDENT = {"relationship": "妻", "insured_name": "試験 太郎"}
VOLUNTARY = {**HOME, "membership": "voluntary"}

#: (changes, field, part of the message): each bound, one past it.
REFUSED = [
    ({"record_id": "R" * (CODE_MAX + 1)}, "record_id", f"longer than {CODE_MAX}"),
    ({"employer_code": "E" * (CODE_MAX + 1)}, "employer_code", f"longer than {CODE_MAX}"),
    ({"employer_name": "a" * (EMPLOYER_NAME_MAX + 1)}, "employer_name", "longer than"),
    ({"employer_address": "住" * (ADDRESS_MAX + 1)}, "employer_address", "longer than"),
    ({**VOLUNTARY, "home_address": "住" * (ADDRESS_MAX + 1)}, "home_address", "longer than"),
    ({"name": "名" * (NAME_MAX + 1)}, "name", f"longer than {NAME_MAX}"),
    ({**DEPENDENT, "insured_name": "b" * (NAME_MAX + 1)}, "insured_name", "longer than"),
    ({"name_kana": "カ" * (KANA_MAX + 1)}, "name_kana", f"longer than {KANA_MAX}"),
    ({"relationship": "続" * (RELATIONSHIP_MAX + 1)}, "relationship", "longer than"),
    ({"insured_symbol": "1" * 21}, "insured_symbol", "記号"),
    ({"insured_number": "1" * 21}, "insured_number", "番号"),
    ({"standard_monthly_remuneration": 10**28}, "standard_monthly_remuneration", "below"),
    ({"standard_monthly_remuneration": 10_000_000}, "standard_monthly_remuneration", "below"),
    ({"standard_monthly_remuneration": "9" * 5000}, "standard_monthly_remuneration", "yen"),
    ({"standard_monthly_remuneration": 1e28}, "standard_monthly_remuneration", "yen"),
    ({"standard_monthly_remuneration": "1e28"}, "standard_monthly_remuneration", "yen"),
    ({"standard_monthly_remuneration": 280000.0}, "standard_monthly_remuneration", "yen"),
    ({"standard_monthly_remuneration": -1}, "standard_monthly_remuneration", "more than 0"),
    ({"birth_date": "1868-01-24"}, "birth_date", "between"),
    ({"birth_date": "0001-01-01"}, "birth_date", "between"),
    ({"acquired_date": "9999-12-31"}, "acquired_date", "between"),
    ({**DEPENDENT, "insured_birth_date": "2200-01-01"}, "insured_birth_date", "between"),
    ({"name": "\ufe0f\ufe0e"}, "name", "no visible character"),  # variation selectors
    ({"name": "\U000e0100"}, "name", "no visible character"),  # an IVS selector alone
    ({"name": "\u0301\u0308"}, "name", "no visible character"),  # combining marks
    ({"name": "\u3164\u3164"}, "name", "no visible character"),  # Hangul fillers
    ({"name": "\u200b\u200d"}, "name", "control characters"),  # zero-width
    ({"name": "\u2002"}, "name", "control characters"),  # a space other than U+0020/U+3000
    ({**DEPENDENT, "insured_name": "\ufe0f"}, "insured_name", "no visible character"),
    ({"employer_name": "\u0300"}, "employer_name", "no visible character"),
    ({"record_id": "\ufe0f"}, "record_id", "no visible character"),
]


@pytest.mark.parametrize(("changes", "field", "message"), REFUSED)
def test_each_limit_is_a_data_error_naming_the_field(
    changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(DataError, match=message) as caught:
        parse_record(base_record(**changes), where="line 2")
    assert caught.value.field == field


ACCEPTED = [
    {"record_id": "R" * CODE_MAX},
    {"employer_name": "a" * EMPLOYER_NAME_MAX},
    {"employer_address": "住" * ADDRESS_MAX},
    {"name": "名" * NAME_MAX},
    {"name_kana": "カ" * KANA_MAX},
    {**DEPENDENT, "relationship": "続" * RELATIONSHIP_MAX, "insured_name": "b" * NAME_MAX},
    {**VOLUNTARY, "home_address": "a" * ADDRESS_MAX},
    {"standard_monthly_remuneration": 9_999_999},
    {"standard_monthly_remuneration": "1,390,000円"},
    {"birth_date": "1868-01-25", "acquired_date": "2199-12-31"},
    {"name": "葛\U000e0100城 太郎"},  # an ideographic variation sequence after a kanji
    {"name": "髙橋 𠮷男"},
]


@pytest.mark.parametrize("changes", ACCEPTED)
def test_values_at_the_limits_are_accepted(changes: dict[str, object]) -> None:
    parse_record(base_record(**changes), where="line 2")


@pytest.mark.parametrize(
    ("fitted", "limit"),
    [
        (CARD_VALUE.fit("", "name"), NAME_MAX),
        (LIST_CELLS["name_kana"].fit("", "name_kana"), KANA_MAX),
        (LIST_CELLS["relationship"].fit("", "relationship"), RELATIONSHIP_MAX),
        (ADDRESSEE.fit("", "employer_name"), EMPLOYER_NAME_MAX),
        (ADDRESS.fit("", "employer_address"), ADDRESS_MAX),
    ],
)
def test_a_limit_never_refuses_what_its_box_prints(fitted: Fitted, limit: int) -> None:
    """One character past the limit, of the narrowest kind, is already too long to print:
    the box, not the limit, decides every value that could be printed."""
    longest = Fitted(
        "a" * (limit + 1), fitted.width_mm, fitted.size_pt, min_pt=fitted.min_pt,
        lines=fitted.lines, wrap_first=fitted.wrap_first,
    )  # fmt: skip
    assert not longest.fits
