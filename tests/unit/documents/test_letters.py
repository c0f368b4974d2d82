"""documents/letters.py: the cover letter's address block and the 送付者リスト pages."""

from __future__ import annotations

from generator.documents.letters import SENDER_ROWS, Recipient, cover, sender_list
from generator.documents.values import BarcodeImage
from generator.domain.kinds import DocumentKind
from generator.domain.models import PostalAddress
from tests.cases import facts, profile

EMPLOYER = Recipient(
    "株式会社テスト商事",
    PostalAddress(postcode="1000013", address="東京都千代田区霞が関1-3-2-503"),
    True,
)
HOME = Recipient(
    "佐々木 一郎", PostalAddress(postcode="1040061", address="東京都中央区銀座"), False
)


def test_the_address_block_carries_no_insurance_numbers() -> None:
    letter = cover(
        EMPLOYER,
        profile(),
        "令和7年12月1日",
        {DocumentKind.QUALIFICATION_NOTICE: 3},
        3,
        "No. 1 / 2",
    )
    assert letter.addressee_postcode == "100-0013"
    assert letter.honorific == "御中"
    assert isinstance(letter.barcode, BarcodeImage)
    assert len(letter.barcode.bars) == 67
    assert letter.enclosures[0] == {"name": "送付者リスト", "count": "1部"}
    assert letter.enclosures[1] == {"name": "資格情報のお知らせ", "count": "3通"}
    for text in letter.texts().values():
        assert "3456" not in text  # the base record's 番号


def test_no_barcode_where_the_address_has_no_number() -> None:
    letter = cover(
        HOME, profile("kyosai"), "令和7年12月1日", {DocumentKind.QUALIFICATION_NOTICE: 1}, 1, ""
    )
    assert letter.barcode == ""
    assert letter.honorific == "様"
    assert letter.enclosures == [{"name": "資格情報通知書", "count": "1通"}]


def test_sender_list_pages_of_twenty_rows() -> None:
    member = facts("gaiji").member
    entries = [(member, (DocumentKind.QUALIFICATION_NOTICE,))] * (SENDER_ROWS + 3)
    pages = sender_list(EMPLOYER, profile(), "令和7年12月1日", entries)
    assert [p.page_label for p in pages] == ["1 / 2", "2 / 2"]
    assert all(len(p.rows) == SENDER_ROWS for p in pages)
    assert pages[1].rows[2]["no"] == "23"
    assert pages[1].rows[3]["no"] == ""
    assert (pages[0].col1, pages[0].col2, pages[0].col3) == ("生年月日", "続柄", "")
    assert pages[0].rows[0]["c1"] == "昭和60年10月10日"
    assert pages[0].summary == "計 23 名"


def test_the_profile_chooses_the_identifying_columns() -> None:
    chosen = profile().model_copy(
        update={"sender_list": profile().sender_list.model_copy(update={"columns": ["insured_id"]})}
    )
    page = sender_list(EMPLOYER, chosen, "令和7年12月1日", [(facts("gaiji").member, ())])[0]
    assert page.col1 == "記号・番号・枝番"
    assert page.rows[0]["c1"] == "12-3456-01"
    assert page.rows[0]["documents"] == "なし"
