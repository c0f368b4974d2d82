"""Members that exercise the documents: ages 69/70–74, ratios, dependents, long and 外字 names."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfWriter

from generator.facts import MemberFacts, decide
from generator.profiles import Profile, load_profile
from generator.records.schema import parse_record
from tests.conftest import PROFILES, base_record

ISSUE = date(2025, 12, 1)
LONG_NAME = "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末"  # 25: the longest a card holds
GAIJI_NAME = "髙橋 𠮷男"

VARIANTS: dict[str, dict[str, object]] = {
    # 69 on the issue date, 70 on 2025-12-20: 高齢受給者 from 2026-01-01.
    "under-70": {"name": "若林 誠", "name_kana": "ワカバヤシ マコト", "birth_date": "1955-12-20"},
    "elderly-20": {
        "name": "岡田 光子",
        "name_kana": "オカダ ミツコ",
        "sex": "女",
        "birth_date": "1954-08-10",
        "standard_monthly_remuneration": "240000",
    },
    "elderly-30": {
        "name": "石井 健三",
        "name_kana": "イシイ ケンゾウ",
        "birth_date": "1953-03-03",
        "standard_monthly_remuneration": "410000",
    },
    "dependent": {
        "name": "山田 陽菜",
        "name_kana": "ヤマダ ヒナ",
        "sex": "女",
        "birth_date": "2021-06-15",
        "relationship": "長女",
        "insured_name": "山田 太郎",
        "insured_birth_date": "1952-04-01",
        "branch_number": "03",
    },
    "long-name": {
        "name": LONG_NAME,
        "name_kana": "ジュゲムジュゲムゴコウノスリキレ",
        "relationship": "子",
        "insured_name": LONG_NAME[:22] + "左衛門",
        "insured_birth_date": "1952-04-01",
        "birth_date": "1980-01-01",
        "employer_name": "一般財団法人北辰ソフトウェア技術振興協会東日本地域統括本部システム管理部",
    },
    "gaiji": {"name": GAIJI_NAME, "name_kana": "タカハシ ヨシオ", "birth_date": "1985-10-10"},
}
#: For the 高齢受給者証, every variant is made 高齢受給者 but keeps what sets it apart.
ELDERLY_BIRTH = "1954-08-10"


def profile(name: str = "kenpo-fy3") -> Profile:
    return load_profile(PROFILES / f"{name}.toml")


def facts(variant: str, *, elderly: bool = False, insurer: Profile | None = None) -> MemberFacts:
    changes = dict(VARIANTS[variant], record_id=f"V-{variant}")
    if elderly and variant not in ("under-70", "elderly-20", "elderly-30"):
        changes["birth_date"] = ELDERLY_BIRTH
    member = parse_record(base_record(**changes), where=variant)
    return decide(member, insurer or profile(), ISSUE)


def blank_pdf(pages: int, size: tuple[float, float] = (595, 842)) -> bytes:
    """A PDF of ``pages`` blank pages, A4 unless ``size`` (points) says otherwise."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*size)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
