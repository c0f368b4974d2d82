"""facts.py: the decisions for one member, joined from the rules and the profile."""

from __future__ import annotations

from datetime import date

import pytest

from generator.domain.kinds import DocumentKind
from generator.errors import DataError, ProfileError
from generator.facts import decide, voluntary_end
from generator.profiles import load_profile
from generator.records.schema import parse_record
from tests.conftest import HOME, PROFILES, base_record

YEARS5 = load_profile(PROFILES / "kenpo-years5.toml")
WINDOWS = load_profile(PROFILES / "kenpo-windows.toml")
FY3 = load_profile(PROFILES / "kenpo-fy3.toml")
ISSUE = date(2025, 12, 1)


def _facts(profile=YEARS5, issue=ISSUE, **changes: object):  # type: ignore[no-untyped-def]
    return decide(parse_record(base_record(**changes), where="line 2"), profile, issue)


@pytest.mark.parametrize(
    ("birth", "remuneration", "age", "ratio", "printed", "start"),
    [
        ("1980-05-05", "300000", 45, "3割", "******", None),
        ("1955-11-20", "300000", 70, "3割", "3割", "2025-12-01"),
        ("1955-11-20", "260000", 70, "2割", "2割", "2025-12-01"),
        ("1955-12-02", "200000", 69, "3割", "******", "2026-01-01"),  # 70 on 2025-12-02
        ("1951-06-10", "200000", 74, "2割", "2割", "2021-07-01"),
        ("2021-06-15", "200000", 4, "2割", "******", None),
    ],
)
def test_ratio_and_mask(
    birth: str, remuneration: str, age: int, ratio: str, printed: str, start: str | None
) -> None:
    facts = _facts(FY3, birth_date=birth, standard_monthly_remuneration=remuneration)
    explained = facts.explain()
    assert explained["age"] == age
    assert explained["burden_ratio"] == ratio
    assert explained["ratio_printed"] == printed
    assert explained["elderly_start"] == start


def test_expiry_follows_the_profile_and_the_caps() -> None:
    assert _facts(YEARS5).explain()["expiry"] == "2030-11-30"
    assert _facts(WINDOWS).explain()["expiry_rule"] == "fixed_window:2025-12-01..2026-11-30"
    assert _facts(FY3).explain()["expiry"] == "2028-03-31"
    old = _facts(YEARS5, birth_date="1952-06-10").explain()
    assert (old["expiry"], old["expiry_rule"]) == ("2027-06-09", "eve_of_75th_birthday")


def test_a_profile_without_a_window_for_the_issue_date() -> None:
    with pytest.raises(ProfileError, match="no issue window"):
        _facts(WINDOWS, issue=date(2030, 1, 1))


def test_members_of_75_and_over_belong_to_late_elderly_care() -> None:
    with pytest.raises(DataError, match="後期高齢者医療") as caught:
        _facts(birth_date="1950-12-01")  # 75 on 2025-12-01
    assert caught.value.field == "birth_date"
    assert _facts(birth_date="1950-12-02").age == 74


def test_birth_after_issue_is_refused() -> None:
    with pytest.raises(DataError, match="after the issue date"):
        _facts(birth_date="2026-01-01", acquired_date="2026-01-01")


def test_documents_of_an_enrolment_run() -> None:
    def kinds(**changes: object) -> list[str]:
        return list(_facts(WINDOWS, **changes).explain()["documents"])  # type: ignore[call-overload]

    notice, cert = (
        DocumentKind.QUALIFICATION_NOTICE.value,
        DocumentKind.ELIGIBILITY_CERTIFICATE.value,
    )
    elderly = DocumentKind.ELDERLY_CERTIFICATE.value
    assert kinds() == [notice]
    assert kinds(has_myna_card="false") == [notice, cert]
    assert kinds(certificate_requested="true", certificate_reason="G") == [notice, cert]
    assert kinds(birth_date="1953-01-01") == [notice, elderly]
    assert _facts(YEARS5, birth_date="1953-01-01").documents == (DocumentKind.QUALIFICATION_NOTICE,)


def test_delivery_by_employer_or_household() -> None:
    assert _facts().delivery.kind == "employer"
    assert _facts().delivery.key == "E100"
    insured = _facts(**HOME, membership="special_retiree")
    spouse = _facts(
        **HOME,
        membership="special_retiree",
        record_id="T2",
        relationship="妻",
        insured_name="試験 太郎",
    )
    assert insured.delivery.kind == "home"
    assert insured.delivery == spouse.delivery
    assert "試験" not in insured.delivery.key
    other = _facts(**{**HOME, "home_address": "別の住所1番地"}, membership="special_retiree")
    assert other.delivery != insured.delivery


def test_voluntary_members() -> None:
    facts = _facts(**HOME, membership="voluntary", acquired_date="2025-10-01")
    assert voluntary_end(facts.member) == date(2027, 9, 30)
    assert facts.expiry.rule == "end_of_voluntary_continuation"
    with pytest.raises(DataError, match="任意継続 ends before") as caught:
        _facts(**HOME, membership="voluntary", acquired_date="2023-10-01")
    assert caught.value.field == "voluntary_until"


def test_explain_carries_no_personal_data() -> None:
    text = str(_facts().explain())
    for secret in ("試験", "シケン", "3456", "123456789012"):
        assert secret not in text
