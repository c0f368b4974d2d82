"""What every document shows: the member, the insurer and the dates, formatted once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date

from generator.documents.values import MIN_POINTS, Fitted, TemplateValue
from generator.domain.era import wareki_long
from generator.domain.kinds import DocumentKind
from generator.domain.models import Member
from generator.errors import DataError, ProfileError
from generator.facts import MemberFacts
from generator.profiles import Profile
from generator.profiles.model import FORM_KINDS


@dataclass(frozen=True, slots=True)
class Box:
    """A box of a template: how wide it is, the size its text starts from, the smallest it
    may shrink to, how many lines it holds and whether it wraps before it shrinks."""

    width_mm: float
    size_pt: float
    min_pt: float = MIN_POINTS
    lines: int = 1
    wrap_first: bool = False

    def fit(self, text: str, field: str) -> Fitted:
        """``text`` from the record's column (or profile key) ``field``, sized to the box."""
        return Fitted(
            text,
            self.width_mm,
            self.size_pt,
            False,
            self.min_pt,
            self.lines,
            field,
            self.wrap_first,
        )


class Context:
    """Base of the typed contexts: one dataclass per document kind, fields = variables."""

    @classmethod
    def variables(cls) -> frozenset[str]:
        return frozenset(f.name for f in fields(cls))  # type: ignore[arg-type]

    def as_vars(self) -> dict[str, TemplateValue]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]

    def texts(self) -> dict[str, str]:
        """Every text a record puts on the page, by variable (for the font check)."""
        found: dict[str, str] = {}
        for name, value in self.as_vars().items():
            found[name] = value.text if isinstance(value, Fitted) else str(value)
        return found


def refuse_unfit(record: str, profile: Profile, values: Iterable[object]) -> None:
    """Fit or refuse (印字できない値は拒否): a value that does not fit its box at its smallest
    size is the record's ``DataError`` (or the profile's ``ProfileError``), naming the field
    and never the value; nothing is printed cut or below the minimum size."""
    for value in values:
        rows = value if isinstance(value, list) else [value]
        for item in rows:
            cells = item.values() if isinstance(item, dict) else [item]
            for cell in cells:
                if isinstance(cell, Fitted) and not cell.fits:
                    message = (
                        f"too long to print: its box holds {cell.capacity} full-width "
                        f"characters at {cell.min_pt:g} pt"
                    )
                    if cell.field.startswith("insurer."):
                        raise ProfileError(profile.id, cell.field, message)
                    raise DataError(record, cell.field, message)


def document_name(kind: DocumentKind, profile: Profile) -> str:
    """A document's name as the insurer calls it (a 共済組合's お知らせ is a 資格情報通知書)."""
    if kind is DocumentKind.QUALIFICATION_NOTICE:
        return profile.documents.notice_title
    if kind is DocumentKind.NOTICE_REISSUE_APPLICATION:
        return f"{profile.documents.notice_title}再交付申請書"
    return kind.japanese


def era(day: date) -> str:
    return wareki_long(day)


def ratio_note(facts: MemberFacts) -> str:
    """（発効期日 …） beside a printed ratio; nothing beside a mask."""
    if not facts.is_elderly:
        return ""
    return f"（{era(facts.elderly_effective_date)}から）"


def route(facts: MemberFacts, profile: Profile, kind: DocumentKind) -> tuple[str, str]:
    """How a paper goes back to the insurer: (提出先, the sentence that says so). A card is
    returned (ご返却), a form handed in (ご提出); through the employer in the insurer's own
    word, or straight to the insurer: from home (任意継続・特例退職), or for a form the
    insurer takes directly."""
    name, employer = profile.insurer.name, profile.wording.employer
    verb = "ご提出" if kind in FORM_KINDS else "ご返却"
    if facts.member.delivered_home or kind in profile.documents.direct_forms:
        return f"{name}へ直接", f"{verb}は{name}へ直接お送りください。"
    return f"{employer}経由", f"{verb}は{employer}を経由してください。"


@dataclass(frozen=True, slots=True)
class CardFields(Context):
    """The fields of a card face (資格確認書, 高齢受給者証)."""

    name: Fitted
    birth_date: str
    sex: str
    #: 記号・番号（枝番）on one line: never broken, refused when too long.
    insured_id: Fitted
    #: 被保険者, or the insurer's word for it (組合員).
    insured_term: str
    insured_name: Fitted
    issue_date: str
    expiry: str
    insurer_number: str
    insurer_name: Fitted
    insurer_address: Fitted
    insurer_heading: str


def insured_id_text(member: Member, branch: str = "") -> str:
    """記号・番号 as printed, with the 枝番 in ``branch``'s form ("" leaves it out). Half-width
    digits, as every document of the generator prints them."""
    number = member.insured_id
    return f"記号 {number.symbol}　番号 {number.number}" + branch.format(number.branch)


def card_fields(
    facts: MemberFacts, profile: Profile, value_box: Box, expiry: date
) -> dict[str, object]:
    member, insurer = facts.member, profile.insurer
    return {
        "name": value_box.fit(member.name, "name"),
        "birth_date": era(member.birth_date),
        "sex": member.sex.value,
        "insured_id": value_box.fit(insured_id_text(member, "（枝番 {}）"), "insured_number"),
        "insured_term": profile.wording.insured,
        # 被保険者氏名 is for dependents; on the insured's own card the 氏名 says it all.
        "insured_name": value_box.fit(
            "" if member.is_insured else member.insured_display_name, "insured_name"
        ),
        "issue_date": era(facts.issue_date),
        "expiry": era(expiry),
        "insurer_number": insurer.number,
        "insurer_name": value_box.fit(insurer.name, "insurer.name"),
        # The 所在地 row holds two lines of the smallest size: an address may wrap there.
        "insurer_address": replace(value_box, lines=2).fit(insurer.address, "insurer.address"),
        "insurer_heading": insurer.name,
    }
