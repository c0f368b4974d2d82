"""Context of the 資格情報のお知らせ (資格情報通知書 at a 共済組合)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.documents.common import Box, Context, era, insured_id_text, ratio_note
from generator.documents.values import Fitted, QrImage
from generator.domain.facility_token import KeyRing, pseudonym, sign
from generator.domain.kinds import DocumentKind
from generator.errors import ProfileError
from generator.facts import MemberFacts
from generator.profiles import Profile
from generator.selection import RunKind

ADDRESSEE = Box(165.0, 12.0)
#: The cut-out's values: the member's rows span the facility QR's column; the rows beside the
#: code are narrower. Without a facility QR (the profile prints none) every row spans it.
CUT_OUT_VALUE = Box(59.5, 7.5)
CUT_OUT_BESIDE_QR = Box(41.0, 7.5)
MYNAPORTAL_QR_MM = 30.0
FACILITY_QR_MM = 15.0


@dataclass(frozen=True, slots=True)
class NoticeContext(Context):
    """資格情報のお知らせ."""

    notice_title: str
    #: Why the member gets it: registered as a new member, or 70 with a new ratio.
    lead: str
    issue_date: str
    insurer_name: str
    addressee: Fitted
    mynaportal_qr: QrImage
    insured_id: Fitted
    #: 被保険者 / 組合員, and このお知らせ / この通知書: the insurer's words.
    insured_term: str
    notice_short: str
    name: Fitted
    birth_date: str
    acquired_date: str
    ratio: str
    ratio_note: str
    insurer_number: str
    cut_insurer_name: Fitted
    facility_qr: QrImage | str


def facility_token(facts: MemberFacts, profile: Profile, keys: KeyRing | None) -> str:
    """The signed, opaque token of the facility QR: no 記号・番号 spelled out."""
    if keys is None:
        raise ProfileError(
            profile.id,
            "qr.facility",
            "the facility QR needs signing keys (GENERATOR_FACILITY_KEYS or --facility-keys)",
        )
    member = facts.member.insured_id
    _, key = keys.signing
    alias = pseudonym(key, profile.insurer.number, member.symbol, member.number, member.branch)
    return sign(keys, alias, facts.issue_date, facts.expiry.day)


def _lead(facts: MemberFacts, profile: Profile) -> str:
    if facts.run is RunKind.TURNING_70 and facts.is_elderly:
        start = era(facts.elderly_effective_date)
        return (
            f"70歳に到達されたため、{start}から一部負担金の割合が"
            f"{facts.burden.ratio.value}となります（高齢受給者）。"
        )
    return (
        f"あなたの資格情報は、{profile.insurer.name}でオンライン資格確認等システムに"
        "登録されました。"
    )


def notice(facts: MemberFacts, profile: Profile, keys: KeyRing | None = None) -> NoticeContext:
    member = facts.member
    ratio = (
        facts.burden.ratio.value
        if facts.is_elderly
        else profile.mask_for(DocumentKind.QUALIFICATION_NOTICE)
    )
    facility: QrImage | str = ""
    insurer_box = CUT_OUT_VALUE
    if profile.qr.facility:
        facility = QrImage(facility_token(facts, profile, keys), FACILITY_QR_MM)
        insurer_box = CUT_OUT_BESIDE_QR
    return NoticeContext(
        notice_title=profile.documents.notice_title,
        lead=_lead(facts, profile),
        issue_date=era(facts.issue_date),
        insurer_name=profile.insurer.name,
        addressee=ADDRESSEE.fit(member.name, "name"),
        mynaportal_qr=QrImage(profile.qr.mynaportal_url, MYNAPORTAL_QR_MM),
        insured_id=CUT_OUT_VALUE.fit(insured_id_text(member, "　枝番 {}"), "insured_number"),
        insured_term=profile.wording.insured,
        notice_short=profile.wording.notice_short,
        name=CUT_OUT_VALUE.fit(member.name, "name"),
        birth_date=era(member.birth_date),
        acquired_date=era(member.acquired_date),
        ratio=ratio,
        ratio_note=ratio_note(facts),
        insurer_number=profile.insurer.number,
        cut_insurer_name=insurer_box.fit(profile.insurer.name, "insurer.name"),
        facility_qr=facility,
    )
