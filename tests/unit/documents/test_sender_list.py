"""documents/sender_list.py: the 送付者リスト's pages, columns and fitted values."""

from __future__ import annotations

import pytest

from generator.documents.common import refuse_unfit
from generator.documents.letters import Recipient
from generator.documents.sender_list import LIST_NAMES, SENDER_ROWS, list_values, sender_list
from generator.domain.kinds import DocumentKind
from generator.domain.models import PostalAddress
from generator.errors import DataError
from tests.cases import facts, profile

EMPLOYER = Recipient(
    "株式会社テスト商事",
    PostalAddress(postcode="1000013", address="東京都千代田区霞が関1-3-2-503"),
    True,
)


def test_sender_list_pages_of_twenty_rows() -> None:
    member = facts("gaiji").member
    entries = [(member, (DocumentKind.QUALIFICATION_NOTICE,))] * (SENDER_ROWS + 3)
    pages = sender_list(EMPLOYER, profile(), "令和7年12月1日", entries)
    assert [p.page_label for p in pages] == ["1 / 2", "2 / 2"]
    assert all(len(p.rows) == SENDER_ROWS for p in pages)
    assert pages[1].rows[2]["no"] == "23"
    assert pages[1].rows[3]["no"] == ""
    assert pages[1].rows[3]["name"].text == "以下余白"
    assert pages[1].rows[4]["name"] == ""
    assert (pages[0].col1, pages[0].col2, pages[0].col3) == ("生年月日", "続柄", "")
    assert pages[0].column_count == 2  # the template's table of two columns: none empty
    assert pages[0].rows[0]["c1"].text == "昭和60年10月10日"
    assert pages[0].summary == "計 23 名"


def test_the_profile_chooses_the_identifying_columns() -> None:
    chosen = profile().model_copy(
        update={"sender_list": profile().sender_list.model_copy(update={"columns": ["insured_id"]})}
    )
    page = sender_list(EMPLOYER, chosen, "令和7年12月1日", [(facts("gaiji").member, ())])[0]
    assert page.col1 == "記号・番号・枝番"
    assert page.column_count == 1
    assert page.rows[0]["c1"].text == "12-3456-01"
    assert page.rows[0]["documents"] == "なし"


@pytest.mark.parametrize("columns", [[], ["name_kana"], ["name_kana", "birth_date", "insured_id"]])
def test_the_name_takes_the_room_of_columns_not_chosen(columns: list[str]) -> None:
    chosen = profile().model_copy(
        update={"sender_list": profile().sender_list.model_copy(update={"columns": columns})}
    )
    name, *cells = list_values(facts("gaiji").member, chosen)
    assert len(cells) == len(columns)
    assert name.width_mm == LIST_NAMES[len(columns)].width_mm
    widths = [LIST_NAMES[n].width_mm for n in range(4)]
    assert widths == sorted(widths, reverse=True)


def test_a_list_value_too_long_for_its_cell_is_refused() -> None:
    member = facts("gaiji").member
    long_kana = member.model_copy(update={"name_kana": "ア" * 40})
    chosen = profile().model_copy(
        update={"sender_list": profile().sender_list.model_copy(update={"columns": ["name_kana"]})}
    )
    with pytest.raises(DataError) as caught:
        refuse_unfit(member.record_id, chosen, list_values(long_kana, chosen))
    assert caught.value.field == "name_kana"


def test_the_list_names_documents_as_the_insurer_does() -> None:
    entries = [(facts("gaiji").member, (DocumentKind.QUALIFICATION_NOTICE,))]
    page = sender_list(EMPLOYER, profile("kyosai"), "令和7年12月1日", entries)[0]
    assert page.rows[0]["documents"] == "資格情報通知書"
