"""The papers of a delivery: the cover letter, addressed for a 長形3号 window envelope, and
the 送付者リスト, a page of 20 members at a time so that every page has one height."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from generator.documents.common import Box, Context, document_name, era
from generator.documents.values import BarcodeImage, Fitted
from generator.domain.barcode import barcode_symbols, bars
from generator.domain.kinds import DocumentKind
from generator.domain.models import Member, PostalAddress
from generator.profiles import Profile
from generator.selection import RunKind

COVER_TEMPLATE, SENDER_LIST_TEMPLATE = "cover-letter.docx", "sender-list.docx"
SENDER_ROWS = 20
#: The window's address cell is 82.5 mm wide inside its padding (27–109.5 mm from the left
#: edge, in the window's safe area); the name keeps room for "　御中" on its last line.
ADDRESS = Box(81.0, 9.5, min_pt=8.0, lines=3, wrap_first=True)
ADDRESSEE = Box(69.0, 10.5, min_pt=8.0, lines=2, wrap_first=True)
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
class Recipient:
    """Who a delivery goes to: an employer (御中) or a household (様)."""

    name: str
    address: PostalAddress
    employer: bool
    #: The record's column the name comes from, for the error that refuses a name too long
    #: for the window (the insured's own ``name``, or a dependent's ``insured_name``).
    name_field: str = "employer_name"

    @property
    def address_field(self) -> str:
        return "employer_address" if self.employer else "home_address"


def window_values(recipient: Recipient) -> list[Fitted]:
    """What the window envelope shows of the recipient, each sized to its box: the address
    on up to three lines, the name on up to two, neither below 8 pt. An address too long
    for one line puts its building on a line of its own (after its last space), so a
    room number is never wrapped away from its 号室."""
    address, field = recipient.address.address, recipient.address_field
    fitted = ADDRESS.fit(address, field)
    street, space, building = address.replace("\u3000", " ").rpartition(" ")
    one_line = replace(ADDRESS, lines=1, min_pt=ADDRESS.size_pt).fit(address, field)
    if space and street and building and not one_line.fits:
        broken = ADDRESS.fit(f"{street}\n{building}", field)
        fitted = broken if broken.fits else fitted
    return [fitted, ADDRESSEE.fit(recipient.name, recipient.name_field)]


@dataclass(frozen=True, slots=True)
class CoverContext(Context):
    """送付のご案内 (決定通知書)."""

    addressee_postcode: str
    addressee_address: Fitted
    addressee_name: Fitted
    honorific: str
    attention: str
    barcode: BarcodeImage | str
    issue_date: str
    insurer_name: str
    insurer_postcode: str
    insurer_address: str
    insurer_phone: str
    title: str
    greeting: str
    body: str
    route_note: str
    enclosures: list[dict[str, object]]
    notes: str
    delivery_label: str


#: What a run means, as the cover letter says it (``{n}``: how many members).
_PURPOSE = {
    RunKind.ENROLMENT: "{whom}について資格の登録が完了しましたので、関係書類をお送りします。",
    RunKind.MASS_ISSUE: "マイナ保険証をお持ちでない方などに資格確認書を一斉に交付します。"
    "{whom}の資格確認書をお送りします。",
    RunKind.EX_OFFICIO: "マイナ保険証で受診できない状態にあることが確認された方に、資格確認書を"
    "職権で交付します。{whom}の資格確認書をお送りします。",
    RunKind.TURNING_70: "{whom}が70歳に到達し、高齢受給者となります。"
    "一部負担金の割合を記載した書類をお送りします。",
    RunKind.REISSUE: "お申し出のあった書類を再交付します。{whom}の書類をお送りします。",
}
_CARDS = {
    DocumentKind.ELIGIBILITY_CERTIFICATE: "資格確認書",
    DocumentKind.ELIGIBILITY_CERTIFICATE_POSTCARD: "資格確認書",
    DocumentKind.ELDERLY_CERTIFICATE: "高齢受給者証",
}


def _return_note(kinds: Iterable[DocumentKind]) -> str:
    """Only what is enclosed: a card that goes back when the member leaves."""
    cards = "・".join(dict.fromkeys(_CARDS[k] for k in kinds if k in _CARDS))
    if not cards:
        return ""
    return f"{cards}は、資格を喪失したときは有効期限内であれば返却が必要です。"


def cover(  # noqa: PLR0917 - the letter's parts, each named at the call
    recipient: Recipient,
    profile: Profile,
    issue_date_text: str,
    counts: dict[DocumentKind, int],
    members: int,
    label: str,
    run: RunKind = RunKind.ENROLMENT,
) -> CoverContext:
    """The cover letter: what the run means and only what is enclosed, in the insurer's
    words; the address block shows no 記号・番号, only what the envelope needs."""
    insurer = profile.insurer
    employer_word = profile.wording.employer
    whom = f"下記の{members}名の方" if recipient.employer else "あなた"
    body = _PURPOSE[run].format(whom=whom)
    body += "ご確認のうえ、各人にお渡しください。" if recipient.employer else "ご確認ください。"
    names = [document_name(kind, profile) for kind in counts]
    subject = f"{names[0]}等" if len(names) > 1 else (names[0] if names else "書類")
    address, name = window_values(recipient)
    symbols = barcode_symbols(recipient.address.postcode, recipient.address.address)
    enclosures: list[dict[str, object]] = (
        [{"name": "送付者リスト", "count": "1部"}] if recipient.employer else []
    )
    enclosures += [
        {
            "name": document_name(kind, profile),
            "count": f"{count}通",
        }
        for kind, count in counts.items()
    ]
    return CoverContext(
        addressee_postcode=recipient.address.postcode_display,
        addressee_address=address,
        addressee_name=name,
        honorific="御中" if recipient.employer else "様",
        attention=profile.wording.attention if recipient.employer else "",
        barcode=BarcodeImage(bars(symbols)) if symbols else "",
        issue_date=issue_date_text,
        insurer_name=insurer.name,
        insurer_postcode=f"{insurer.postcode[:3]}-{insurer.postcode[3:]}",
        insurer_address=insurer.address,
        insurer_phone=insurer.phone,
        title=f"{subject}の送付について（決定通知書）",
        greeting="平素より当組合の事業運営にご協力をいただき、ありがとうございます。",
        body=body,
        route_note=_return_note(counts),
        enclosures=enclosures,
        notes=f"・送付者リストは{employer_word}で保管してください。\n"
        "・記載内容に誤りがある場合は、当組合までご連絡ください。"
        if recipient.employer
        else "・記載内容に誤りがある場合は、当組合までご連絡ください。",
        delivery_label=label,
    )


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
