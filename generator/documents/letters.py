"""The cover letter of a delivery (送付のご案内・決定通知書), addressed for a 長形3号 window
envelope; ``sender_list`` has the other paper that opens a delivery."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from generator.documents.common import Box, Context, document_name
from generator.documents.values import BarcodeImage, Fitted
from generator.domain.barcode import barcode_symbols, bars
from generator.domain.kinds import DocumentKind
from generator.domain.models import PostalAddress
from generator.domain.text import display_postcode
from generator.profiles import Profile
from generator.selection import RunKind

COVER_TEMPLATE = "cover-letter.docx"
#: The window's address cell is 82.5 mm wide inside its padding (27–109.5 mm from the left
#: edge, in the window's safe area); the name keeps room for "　御中" on its last line.
ADDRESS = Box(81.0, 9.5, min_pt=8.0, lines=3, wrap_first=True)
ADDRESSEE = Box(69.0, 10.5, min_pt=8.0, lines=2, wrap_first=True)


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


def _beside(text: str, value: Fitted) -> Fitted:
    """``text`` printed with a fitted value, at the size the value took."""
    return replace(value, text=text, size_pt=value.points, min_pt=value.points, lines=1)


@dataclass(frozen=True, slots=True)
class CoverContext(Context):
    """送付のご案内 (決定通知書)."""

    #: 〒 and the postcode, 御中 or 様, and 健康保険ご担当者様 are set at the size the address
    #: and the name fitted at: one size for each of the block's two roles.
    addressee_postcode: Fitted
    addressee_address: Fitted
    addressee_name: Fitted
    honorific: Fitted
    attention: Fitted
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
        addressee_postcode=_beside(f"〒{recipient.address.postcode_display}", address),
        addressee_address=address,
        addressee_name=name,
        honorific=_beside("　御中" if recipient.employer else "　様", name),
        attention=_beside(profile.wording.attention if recipient.employer else "", name),
        barcode=BarcodeImage(bars(symbols)) if symbols else "",
        issue_date=issue_date_text,
        insurer_name=insurer.name,
        insurer_postcode=display_postcode(insurer.postcode),
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
