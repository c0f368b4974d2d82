"""The proof sheet's data (校正用データ): ordinary values, the longest a record may hold, and
外字, so a template is seen with what it will really be asked to print.

The longest values are read from the boxes that hold them, not written out: when a box
changes, the proof follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.documents.cards import CARD_VALUE
from generator.documents.letters import ADDRESS, ADDRESSEE
from generator.documents.sender_list import LIST_CELLS

#: A date a 高齢受給者 (70–74) was born on: the 高齢受給者証 is only ever printed for one.
_ELDERLY_BIRTH = "1953-03-03"


def _longest(pattern: str, room: int) -> str:
    return (pattern * (room // len(pattern) + 1))[:room]


_NAME_ROOM = CARD_VALUE.fit("", "name").capacity
_KANA_ROOM = LIST_CELLS["name_kana"].fit("", "name_kana").capacity
_EMPLOYER_ROOM = ADDRESSEE.fit("", "employer_name").capacity
_ADDRESS_ROOM = ADDRESS.fit("", "employer_address").capacity
LONGEST_NAME = _longest("寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末", _NAME_ROOM)
LONGEST_EMPLOYER = _longest("一般財団法人北辰ソフトウェア技術振興協会東日本本部", _EMPLOYER_ROOM)
LONGEST_ADDRESS = _longest("北海道札幌市中央区大通西八丁目十五番十七号北辰ビル南棟", _ADDRESS_ROOM)
_LONGEST_KANA = _longest("ジュゲムジュゲムゴコウノスリキレカイジャリスイギョ", _KANA_ROOM)

_BASE: dict[str, object] = {
    "employer_code": "P001",
    "employer_name": "株式会社みどり印刷",
    "employer_postcode": "101-0051",
    "employer_address": "東京都千代田区神田神保町一丁目2番3号",
    "insured_symbol": "101",
    "insured_number": "1240",
    "branch_number": "01",
    "name": "山田 太郎",
    "name_kana": "ヤマダ タロウ",
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
    "has_myna_card": "false",
    "certificate_requested": "true",
    "certificate_reason": "A",
}


@dataclass(frozen=True, slots=True)
class Sample:
    """One data set of the proof: a name for the page, and the record's values."""

    key: str
    label: str
    changes: dict[str, object]

    def record(self, *, elderly: bool = False) -> dict[str, object]:
        """The record (a 高齢受給者 for the 高齢受給者証, otherwise as it is)."""
        record = {**_BASE, **self.changes, "record_id": f"PROOF-{self.key}"}
        if elderly:
            record["birth_date"] = _ELDERLY_BIRTH
        return record


SAMPLES: tuple[Sample, ...] = (
    Sample("ordinary", "通常のデータ", {}),
    Sample(
        "longest",
        "最長のデータ",
        {
            "employer_code": "P002",
            "employer_name": LONGEST_EMPLOYER,
            "employer_address": LONGEST_ADDRESS,
            "name": LONGEST_NAME,
            "name_kana": _LONGEST_KANA,
            "relationship": "配偶者の父母（同居）",  # 10: the longest a list cell holds
            "insured_name": LONGEST_NAME,
            "insured_birth_date": "1952-04-01",
            "branch_number": "99",
            # 記号 and 番号 together: 25 characters, one line of the card at 6 pt.
            "insured_symbol": "1234567890",
            "insured_number": "987654321098765",
            "standard_monthly_remuneration": "1390000",
        },
    ),
    Sample(
        "gaiji",
        "外字を含むデータ",
        {
            "employer_code": "P003",
            "name": "髙橋 𠮷男",
            "name_kana": "タカハシ ヨシオ",
            "membership": "voluntary",
            "voluntary_until": "2027-10-31",
            "home_postcode": "602-8570",
            "home_address": "京都府京都市上京区下立売通新町西入薮ノ内町﨑邉ビル３階",
            "employer_name": "",
            "employer_address": "",
            "employer_postcode": "",
        },
    ),
)
