"""documents/letters.py: the cover letter and its address block."""

from __future__ import annotations

import pytest

from generator.documents.letters import Recipient, cover, window_values
from generator.documents.values import BarcodeImage
from generator.domain.kinds import DocumentKind
from generator.domain.models import PostalAddress
from generator.selection import RunKind
from tests.cases import profile

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
    assert letter.addressee_postcode.text == "〒100-0013"
    assert letter.honorific.text == "　御中"
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
    assert letter.honorific.text == "　様"
    assert letter.enclosures == [{"name": "資格情報通知書", "count": "1通"}]


NOTICE, CERT = DocumentKind.QUALIFICATION_NOTICE, DocumentKind.ELIGIBILITY_CERTIFICATE


@pytest.mark.parametrize(
    ("run", "counts", "says", "returns"),
    [
        (RunKind.ENROLMENT, {NOTICE: 2, CERT: 1}, "資格の登録が完了", True),
        (RunKind.ENROLMENT, {NOTICE: 2}, "資格の登録が完了", False),
        (RunKind.MASS_ISSUE, {CERT: 2}, "一斉に交付", True),
        (RunKind.EX_OFFICIO, {CERT: 2}, "職権で交付", True),
        (RunKind.TURNING_70, {NOTICE: 2}, "70歳に到達", False),
        (RunKind.TURNING_70, {DocumentKind.ELDERLY_CERTIFICATE: 2}, "70歳に到達", True),
        (RunKind.REISSUE, {NOTICE: 2}, "再交付", False),
    ],
)
def test_the_cover_letter_says_what_the_run_means_and_what_is_enclosed(
    run: RunKind, counts: dict[DocumentKind, int], says: str, returns: bool
) -> None:
    letter = cover(EMPLOYER, profile(), "令和7年12月1日", counts, 2, "No. 1 / 1", run)
    assert says in letter.body
    assert ("資格の登録が完了" in letter.body) is (run is RunKind.ENROLMENT)
    assert bool(letter.route_note) is returns  # no word of returning a card not enclosed
    if returns:
        assert "返却" in letter.route_note


def test_a_kyosai_cover_letter_speaks_its_words() -> None:
    letter = cover(EMPLOYER, profile("kyosai"), "令和7年12月1日", {NOTICE: 1}, 1, "No. 1 / 1")
    assert letter.title == "資格情報通知書の送付について（決定通知書）"
    assert "所属所で保管" in letter.notes
    assert "事業所" not in "".join(letter.texts().values())
    assert letter.attention.text == "共済組合事務ご担当者様"


def test_a_reissue_form_is_named_after_the_insurers_notice() -> None:
    letter = cover(
        EMPLOYER, profile("kyosai"), "令和7年12月1日",
        {DocumentKind.NOTICE_REISSUE_APPLICATION: 1}, 1, "No. 1 / 1", RunKind.REISSUE,
    )  # fmt: skip
    assert letter.enclosures[1]["name"] == "資格情報通知書再交付申請書"


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("東京都千代田区霞が関1-3-2", "東京都千代田区霞が関1-3-2"),  # one line: as it is
        # Too long for one line: the building on its own line, never 「307 / 号室」.
        ("東京都新宿区西新宿五丁目15番10号 大和メゾン307号室",
         "東京都新宿区西新宿五丁目15番10号\n大和メゾン307号室"),
        ("東京都新宿区西新宿五丁目15番10号大和メゾン307号室",
         "東京都新宿区西新宿五丁目15番10号大和メゾン307号室"),  # no space: wraps as it may
    ],
)  # fmt: skip
def test_the_window_puts_a_building_on_its_own_line(address: str, shown: str) -> None:
    recipient = Recipient(
        "株式会社テスト商事", PostalAddress(postcode="1600023", address=address), True
    )
    fitted = window_values(recipient)[0]
    assert fitted.text == shown
    assert fitted.fits


def test_the_window_sets_each_role_at_one_size() -> None:
    """〒 goes with the address, 御中 and the attention line with the name, whatever size
    each fitted at."""
    long_name = Recipient("株式会社" + "テスト" * 12, EMPLOYER.address, True)
    letter = cover(long_name, profile(), "令和7年12月1日", {NOTICE: 1}, 1, "")
    assert letter.addressee_name.points < 10.5
    assert letter.honorific.points == letter.attention.points == letter.addressee_name.points
    assert letter.addressee_postcode.points == letter.addressee_address.points
