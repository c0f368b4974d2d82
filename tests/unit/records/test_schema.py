"""records/schema.py: each column's checks, cross-field rules, and what never leaks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.domain.models import CertificateReason, Membership, Sex
from generator.errors import DataError
from generator.records.schema import COLUMNS, parse_record
from tests.conftest import HOME, base_record


def test_a_valid_record_becomes_a_typed_member() -> None:
    member = parse_record(base_record(), where="line 2")
    assert member.record_id == "T0001"
    assert member.birth_date == date(1980, 5, 5)
    assert member.sex is Sex.MALE
    assert member.membership is Membership.REGULAR
    assert member.standard_monthly_remuneration == 300_000
    assert member.employer is not None
    assert member.employer.location.postcode_display == "100-0013"
    assert member.is_insured
    assert member.insured_display_name == "試験 太郎"
    assert member.has_myna_card
    assert not member.certificate_requested


def test_the_individual_number_never_reaches_the_member() -> None:
    member = parse_record(base_record(), where="line 2")
    dumped = member.model_dump_json()
    assert "123456789012" not in dumped
    assert "my_number" not in dumped
    assert "123456789012" not in repr(member)


def test_repr_withholds_names_and_numbers() -> None:
    member = parse_record(base_record(), where="line 2")
    assert "試験" not in repr(member)
    assert "3456" not in repr(member.insured_id)
    assert "3456" not in str(member)


def test_full_width_digits_and_half_width_kana_are_normalised() -> None:
    member = parse_record(
        base_record(
            name_kana="ｼｹﾝ ﾀﾛｳ",
            birth_date="１９８０-０５-０５",
            insured_number="３４５６",
            branch_number="1",
            standard_monthly_remuneration="300,000",
            certificate_reason="ａ",
            has_myna_card="無",
            sex="2",
        ),
        where="line 2",
    )
    assert member.name_kana == "シケン タロウ"
    assert member.birth_date == date(1980, 5, 5)
    assert member.insured_id.number == "3456"
    assert member.insured_id.branch == "01"
    assert member.standard_monthly_remuneration == 300_000
    assert member.certificate_reason is CertificateReason.NO_CARD
    assert not member.has_myna_card
    assert member.sex is Sex.FEMALE


def test_json_typed_values_are_accepted() -> None:
    member = parse_record(
        base_record(standard_monthly_remuneration=280000, has_myna_card=False, branch_number=2),
        where="line 1",
    )
    assert member.standard_monthly_remuneration == 280_000
    assert member.insured_id.branch == "02"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"birth_date": "1980/05/05"}, "birth_date", "ISO date"),
        ({"birth_date": "1980-02-30"}, "birth_date", "calendar date"),
        ({"birth_date": ""}, "birth_date", "missing"),
        ({"acquired_date": "1979-01-01"}, "acquired_date", "before the birth date"),
        ({"sex": "x"}, "sex", "男/女"),
        ({"membership": "member"}, "membership", "regular, voluntary"),
        ({"has_myna_card": "maybe"}, "has_myna_card", "true or false"),
        ({"has_myna_card": ""}, "has_myna_card", "missing"),
        ({"certificate_reason": "H"}, "certificate_reason", "A–G"),
        ({"standard_monthly_remuneration": "abc"}, "standard_monthly_remuneration", "yen"),
        ({"standard_monthly_remuneration": "0"}, "standard_monthly_remuneration", "more than 0"),
        ({"standard_monthly_remuneration": True}, "standard_monthly_remuneration", "yen"),
        ({"branch_number": "00"}, "branch_number", "枝番"),
        ({"insured_number": "12-34"}, "insured_number", "番号"),
        ({"insured_symbol": "a b"}, "insured_symbol", "記号"),
        ({"name_kana": "Taro"}, "name_kana", "kana"),
        ({"name": "試験\x07太郎"}, "name", "control"),
        ({"name": 42}, "name", "text"),
        ({"employer_postcode": "12345"}, "employer_postcode", "7 digits"),
        ({"employer_code": ""}, "employer_code", "employer"),
        ({"relationship": "妻"}, "insured_name", "insured person"),
        ({"voluntary_until": "2027-01-01"}, "voluntary_until", "任意継続"),
        ({**HOME, "membership": "voluntary", "home_address": ""}, "home_address", "home"),
        (
            {**HOME, "membership": "voluntary", "voluntary_until": "2025-01-01"},
            "voluntary_until",
            "before acquired_date",
        ),
    ],
)
def test_each_problem_names_record_and_field(
    changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(DataError, match=message) as caught:
        parse_record(base_record(**changes), where="line 2")
    assert caught.value.record == "T0001"
    assert caught.value.field == field


def test_a_record_without_id_is_named_by_its_place() -> None:
    with pytest.raises(DataError) as caught:
        parse_record(base_record(record_id=""), where="line 7")
    assert (caught.value.record, caught.value.field) == ("line 7", "record_id")


def test_several_problems_name_the_first_and_list_the_rest() -> None:
    with pytest.raises(DataError) as caught:
        parse_record(base_record(sex="?", birth_date="x", membership="?"), where="line 2")
    assert caught.value.field == "birth_date"
    assert "also wrong: sex, membership" in caught.value.message


def test_voluntary_and_special_retiree_members_need_a_home_only() -> None:
    member = parse_record(base_record(**HOME, membership="special_retiree"), where="line 2")
    assert member.employer is None
    assert member.home is not None
    assert member.delivered_home


def test_columns_are_documented_in_order() -> None:
    assert COLUMNS[0] == "record_id"
    assert "my_number" in COLUMNS


secrets = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=12, max_size=12).map(
    lambda s: "Q" + s
)


@given(st.sampled_from([c for c in COLUMNS if c not in ("record_id", "my_number")]), secrets)
def test_error_messages_never_echo_the_value(column: str, secret: str) -> None:
    error: DataError | None = None
    try:
        parse_record(base_record(**{column: secret + "\x07"}), where="line 2")
    except DataError as caught:
        error = caught
    assert error is None or secret not in str(error)
