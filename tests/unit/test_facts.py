"""facts.py: the decisions for one member, joined from the rules and the profile."""

from __future__ import annotations

from datetime import date

import pytest

from generator.domain.kinds import DocumentKind
from generator.errors import DataError
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


@pytest.mark.parametrize("issue", [date(2026, 12, 1), date(2030, 1, 1), date(2024, 12, 1)])
def test_an_issue_date_outside_every_published_window_is_bad_input(issue: date) -> None:
    """RULES.md: never invent a window the insurer has not published."""
    with pytest.raises(DataError, match="no issue window") as caught:
        _facts(WINDOWS, issue=issue, acquired_date="2024-11-01")
    assert caught.value.field == "issue_date"


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


@pytest.mark.parametrize(
    ("until", "refused"),
    [("2027-09-30", False), ("2026-03-31", False), ("2027-10-01", True), ("2029-09-30", True)],
)
def test_a_voluntary_end_beyond_two_years_is_bad_input(until: str, refused: bool) -> None:
    """RULES.md: a 任意継続 end later than 2 years from its start is bad input, never a
    longer 資格確認書."""
    changes = {**HOME, "membership": "voluntary", "acquired_date": "2025-10-01"}
    if refused:
        with pytest.raises(DataError, match="2 years") as caught:
            _facts(voluntary_until=until, **changes)
        assert caught.value.field == "voluntary_until"
    else:
        assert _facts(voluntary_until=until, **changes).expiry.day == date.fromisoformat(until)


@pytest.mark.parametrize(
    ("birth", "acquired", "issue", "effective", "expiry"),
    [
        # The issue's example: 72, joined 2024-12-02, issued 2025-12-01: not 2025-07-31.
        ("1953-05-05", "2024-12-02", "2025-12-01", "2024-12-02", "2026-07-31"),
        ("1955-12-15", "2020-04-01", "2025-11-10", "2026-01-01", "2026-07-31"),
        ("1956-06-10", "2020-04-01", "2026-06-10", "2026-07-01", "2026-07-31"),
        ("1953-02-01", "2026-07-31", "2026-07-31", "2026-07-31", "2026-07-31"),
        ("1951-09-10", "2020-04-01", "2025-12-01", "2021-10-01", "2026-07-31"),
        ("1951-03-10", "2020-04-01", "2025-12-01", "2021-04-01", "2026-03-09"),  # eve of 75
    ],
)
def test_the_elderly_certificate_runs_to_the_first_31_july_after_issue(
    birth: str, acquired: str, issue: str, effective: str, expiry: str
) -> None:
    """RULES.md: the first 31 July on or after both the 発効期日 and the issue date, cut to
    the eve of the 75th birthday; never before the issue date."""
    facts = _facts(
        WINDOWS if issue < "2026-12" else YEARS5,
        issue=date.fromisoformat(issue),
        birth_date=birth,
        acquired_date=acquired,
    )
    assert facts.elderly_effective_date == date.fromisoformat(effective)
    assert facts.elderly_certificate_expiry.day == date.fromisoformat(expiry)
    assert facts.elderly_certificate_expiry.day >= facts.issue_date
    assert facts.explain()["elderly_certificate_expiry"] == expiry


_WIFE = {"relationship": "妻", "insured_name": "試験 太郎", "sex": "女"}


@pytest.mark.parametrize(
    ("birth", "insured_birth", "remuneration", "ratio"),
    [
        # RULES.md: issue 2025-12-01, 標準報酬月額 500,000; a wife born 1954-05-10.
        ("1954-05-10", "1956-06-01", "500000", "2割"),  # husband 69: not 現役並み
        ("1954-05-10", "1953-02-01", "500000", "3割"),  # husband 72: 現役並み所得者
        ("1954-05-10", "1953-02-01", "260000", "2割"),
        ("1985-05-10", "1956-06-01", "500000", "3割"),  # a dependent under 70
    ],
)
def test_a_dependents_ratio_follows_the_insureds_age(
    birth: str, insured_birth: str, remuneration: str, ratio: str
) -> None:
    facts = _facts(FY3, birth_date=birth, insured_birth_date=insured_birth,
                   standard_monthly_remuneration=remuneration, **_WIFE)  # fmt: skip
    assert facts.burden.ratio.value == ratio
    assert "burden_ratio" in facts.explain()["reasons"]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("birth", "required"),
    [
        ("1954-05-10", True),  # 71 on the issue date
        ("1958-01-10", True),  # 高齢受給者 from 2028-02-01, before the 資格確認書's 2028-03-31
        ("1958-06-10", False),  # 高齢受給者 from 2028-07-01, after it expires
        ("1985-05-10", False),
    ],
)
def test_the_insureds_birth_date_is_required_for_a_dependent_near_70(
    birth: str, required: bool
) -> None:
    if required:
        with pytest.raises(DataError, match="is missing") as caught:
            _facts(FY3, birth_date=birth, **_WIFE)
        assert caught.value.field == "insured_birth_date"
    else:
        assert _facts(FY3, birth_date=birth, **_WIFE).burden.ratio.value == "3割"


def test_explain_carries_no_personal_data() -> None:
    text = str(_facts().explain())
    for secret in ("試験", "シケン", "3456", "123456789012"):
        assert secret not in text
