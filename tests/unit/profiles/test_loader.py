"""profiles: the shipped profiles load, and every mistake names its key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.domain.kinds import DocumentKind
from generator.errors import ProfileError
from generator.profiles import load_profile, parse_profile
from tests.conftest import PROFILES

MINIMAL = """
[insurer]
number = "06139018"
name = "テスト健康保険組合"
postcode = "100-0013"
address = "東京都千代田区霞が関一丁目3番2号"
phone = "03-0000-0000"

[certificate_validity]
rule = "years_from_issue"
years = 5
"""


@pytest.mark.parametrize(
    ("name", "issue", "expiry"),
    [
        ("kenpo-years5", date(2025, 12, 1), date(2030, 11, 30)),
        ("kenpo-windows", date(2025, 12, 1), date(2028, 11, 30)),
        ("kenpo-fy3", date(2025, 4, 1), date(2028, 3, 31)),
        ("kyosai", date(2025, 12, 1), date(2030, 11, 30)),
    ],
)
def test_shipped_profiles(name: str, issue: date, expiry: date) -> None:
    profile = load_profile(PROFILES / f"{name}.toml")
    assert profile.id == name
    assert profile.validity_rule.expiry(issue) == expiry


def test_seed_settings() -> None:
    fy3 = load_profile(PROFILES / "kenpo-fy3.toml")
    assert fy3.mask_for(DocumentKind.ELIGIBILITY_CERTIFICATE) == "******"
    assert fy3.mask_for(DocumentKind.ELIGIBILITY_CERTIFICATE_POSTCARD) == "******"
    assert fy3.mask_for(DocumentKind.QUALIFICATION_NOTICE) == "*******"
    assert fy3.qr.facility
    assert load_profile(PROFILES / "kenpo-windows.toml").documents.elderly_certificate_separate
    assert load_profile(PROFILES / "kyosai.toml").documents.notice_title == "資格情報通知書"


def test_defaults() -> None:
    profile = parse_profile(MINIMAL, source="t.toml", default_id="t")
    assert profile.mask_for(DocumentKind.QUALIFICATION_NOTICE) == "＊＊＊"
    assert profile.qr.mynaportal_url.startswith("https://")
    assert profile.insurer.postcode == "1000013"


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        (MINIMAL.replace("06139018", "06139019"), "insurer.number", "check digit"),
        (MINIMAL.replace("years = 5", "years = 6"), "certificate_validity.years", "less than"),
        (MINIMAL + "\n[qr]\nmynaportal_url = 'http://x'\n", "qr.mynaportal_url", "https"),
        (MINIMAL + "\n[masks]\nbogus-kind = '***'\n", "masks", "unknown document kind"),
        (MINIMAL + "\n[masks]\ndefault = ''\n", "masks", "empty"),
        ("colour = 'red'\n" + MINIMAL, "colour", "Extra inputs"),
        (MINIMAL + "\n[qr]\nsigning_key = 'abc'\n", "qr.signing_key", "never live in a profile"),
        (
            MINIMAL.replace('rule = "years_from_issue"', 'rule = "forever"'),
            "certificate_validity",
            "does not match",
        ),
        ("[insurer", "(file)", "not valid TOML"),
        (MINIMAL.replace("100-0013", "100"), "insurer.postcode", "7 digits"),
        # 13 is 東京都: an address in 長野県 (20) is another insurer's number.
        (MINIMAL.replace("東京都千代田区", "長野県長野市"), "insurer", "prefecture part 13"),
        (
            MINIMAL + "\n[documents]\ndirect_forms = ['qualification-notice']\n",
            "documents.direct_forms",
            "not a form",
        ),
        (MINIMAL + "\n[wording]\ninsured = ''\n", "wording.insured", "at least 1"),
    ],
)
def test_errors_name_the_key(text: str, key: str, message: str) -> None:
    with pytest.raises(ProfileError, match=message) as caught:
        parse_profile(text, source="t.toml", default_id="t")
    assert caught.value.key == key
    assert caught.value.source == "t.toml"


def test_overlapping_windows_are_refused() -> None:
    text = MINIMAL.replace(
        'rule = "years_from_issue"\nyears = 5',
        'rule = "fixed_windows"\n'
        "windows = [{issued_from = 2025-01-01, issued_to = 2025-12-31, expires = 2027-12-31},"
        " {issued_from = 2025-06-01, issued_to = 2026-05-31, expires = 2028-05-31}]",
    )
    with pytest.raises(ProfileError, match="overlap"):
        parse_profile(text, source="t.toml", default_id="t")


def test_bad_profile_id_and_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="profile id"):
        parse_profile(MINIMAL, source="t.toml", default_id="Bad Id")
    with pytest.raises(ProfileError, match="cannot be read"):
        load_profile(tmp_path / "missing.toml")
