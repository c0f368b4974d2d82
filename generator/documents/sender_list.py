"""The 送付者リスト that opens an employer's delivery: a page of 20 members at a time, so that
every page has one height, with the identifying columns the profile picks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.documents.common import Box, Context, document_name, era
from generator.documents.letters import Recipient
from generator.documents.values import Fitted
from generator.domain.kinds import DocumentKind
from generator.domain.models import Member
from generator.profiles import Profile

SENDER_LIST_TEMPLATE = "sender-list.docx"
SENDER_ROWS = 20
#: The list's name column by how many identifying columns the profile picks: the template
#: has a table for each count, so no column is ever left empty or unlabelled.
LIST_NAMES = {3: Box(40.0, 8.0, lines=2), 2: Box(54.0, 8.0, lines=2),
              1: Box(68.0, 8.0, lines=2), 0: Box(82.0, 8.0, lines=2)}  # fmt: skip
RECIPIENT = Box(170.0, 9.0, min_pt=8.0)
#: An identifying column's cell (28 mm): a date or a 続柄 on one line, shrinking; the
#: longest フリガナ and 記号・番号 (20 + 20 digits) on up to three lines at 6 pt.
LIST_CELLS = {
    "name_kana": Box(26.0, 8.0, min_pt=6.0, lines=3),
    "birth_date": Box(26.0, 8.0, min_pt=6.0),
    "relationship": Box(26.0, 8.0, min_pt=6.0),
    "insured_id": Box(26.0, 8.0, min_pt=6.0, lines=3),
}
_COLUMN_LABELS = {
    "name_kana": "フリガナ",
    "birth_date": "生年月日",
    "relationship": "続柄",
    "insured_id": "記号・番号・枝番",
}
_FIELDS = {
    "name_kana": "name_kana",
    "birth_date": "birth_date",
    "relationship": "relationship",
    "insured_id": "insured_symbol",
}


@dataclass(frozen=True, slots=True)
class SenderListPage(Context):
    """One page of the 送付者リスト."""

    recipient: Fitted
    issue_date: str
    page_label: str
    col1: str
    col2: str
    col3: str
    rows: list[dict[str, object]]
    summary: str
    #: 事業所 / 所属所: who keeps the list.
    employer_term: str
    #: How many identifying columns (0–3) the list shows: picks the template's table.
    column_count: int


def _cell(member: Member, column: str) -> str:
    if column == "name_kana":
        return member.name_kana
    if column == "birth_date":
        return era(member.birth_date)
    if column == "relationship":
        return member.relationship
    number = member.insured_id
    return f"{number.symbol}-{number.number}-{number.branch}"


def list_values(member: Member, profile: Profile) -> list[Fitted]:
    """A member's row of the 送付者リスト, each value sized to its cell: the name, then the
    identifying columns the profile picks."""
    chosen = profile.sender_list.columns
    return [LIST_NAMES[len(chosen)].fit(member.name, "name")] + [
        LIST_CELLS[column].fit(_cell(member, column), _FIELDS[column]) for column in chosen
    ]


def sender_list(
    recipient: Recipient,
    profile: Profile,
    issue_date_text: str,
    entries: Sequence[tuple[Member, Sequence[DocumentKind]]],
) -> list[SenderListPage]:
    """The pages of the list: every member of the delivery and what is enclosed for each."""
    chosen = list(profile.sender_list.columns)
    columns = chosen + [""] * (3 - len(chosen))
    pages = max(1, -(-len(entries) // SENDER_ROWS))
    result = []
    for page in range(pages):
        rows: list[dict[str, object]] = []
        for index in range(page * SENDER_ROWS, (page + 1) * SENDER_ROWS):
            if index < len(entries):
                member, kinds = entries[index]
                name, *values = list_values(member, profile)
                cells: list[Fitted | str] = [*values, "", "", ""]
                documents = "・".join(document_name(k, profile) for k in kinds) or "なし"
                rows.append(
                    {
                        "no": str(index + 1),
                        "name": name,
                        "c1": cells[0],
                        "c2": cells[1],
                        "c3": cells[2],
                        "documents": documents,
                    }
                )
            else:
                # 以下余白 under the last member: nothing can be written in below it.
                blank = (
                    LIST_NAMES[len(chosen)].fit("以下余白", "name") if index == len(entries) else ""
                )
                rows.append(
                    {"no": "", "name": blank, "c1": "", "c2": "", "c3": "", "documents": ""}
                )
        result.append(
            SenderListPage(
                recipient=RECIPIENT.fit(
                    recipient.name + ("　御中" if recipient.employer else "　様"),
                    recipient.name_field,
                ),
                issue_date=issue_date_text,
                page_label=f"{page + 1} / {pages}",
                col1=_COLUMN_LABELS.get(columns[0], ""),
                col2=_COLUMN_LABELS.get(columns[1], ""),
                col3=_COLUMN_LABELS.get(columns[2], ""),
                rows=rows,
                summary=f"計 {len(entries)} 名",
                column_count=len(chosen),
                employer_term=profile.wording.employer,
            )
        )
    return result
