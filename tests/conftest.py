"""Shared fixtures: the repository's paths and a valid record to vary."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "fixtures" / "profiles"
SAMPLE = ROOT / "fixtures" / "sample"


#: The columns of a member delivered at home (任意継続・特例退職): no employer, a home address.
HOME = {
    "employer_code": "",
    "employer_name": "",
    "employer_postcode": "",
    "employer_address": "",
    "home_postcode": "231-0023",
    "home_address": "神奈川県横浜市中区山下町2番地",
}


def base_record(**changes: object) -> dict[str, object]:
    """A valid regular insured person's record, with ``changes`` applied."""
    record: dict[str, object] = {
        "record_id": "T0001",
        "employer_code": "E100",
        "employer_name": "株式会社テスト商事",
        "employer_postcode": "100-0013",
        "employer_address": "東京都千代田区霞が関一丁目3番2号",
        "insured_symbol": "12",
        "insured_number": "3456",
        "branch_number": "01",
        "name": "試験 太郎",
        "name_kana": "シケン タロウ",
        "birth_date": "1980-05-05",
        "sex": "男",
        "relationship": "本人",
        "insured_name": "",
        "acquired_date": "2025-11-01",
        "standard_monthly_remuneration": "300000",
        "membership": "regular",
        "voluntary_until": "",
        "home_postcode": "",
        "home_address": "",
        "has_myna_card": "true",
        "certificate_requested": "false",
        "certificate_reason": "",
        "my_number": "123456789012",
    }
    record.update(changes)
    return record


@pytest.fixture
def record() -> dict[str, object]:
    return base_record()


KEYS_FILE = ROOT / "fixtures" / "keys" / "test-facility.keys"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="Rewrite the visual baselines under tests/visual/baselines from this run.",
    )


@pytest.fixture(scope="session")
def keys():  # type: ignore[no-untyped-def]
    from generator.domain.facility_token import KeyRing

    return KeyRing.parse(KEYS_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def pool():  # type: ignore[no-untyped-def]
    """Real LibreOffice, two warm processes, shared by the session's integration tests."""
    from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig

    with LibreOfficePool(PoolConfig(workers=2)) as converter:
        yield converter
