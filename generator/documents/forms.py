"""Context of the pre-filled application forms (申請書): the member's data, nothing more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from generator.documents.common import Box, Context, document_name, era, insured_id_text, route
from generator.documents.values import Fitted
from generator.domain.kinds import DocumentKind
from generator.domain.models import Membership
from generator.domain.text import display_postcode
from generator.facts import MemberFacts
from generator.profiles import Profile

FORM_VALUE = Box(133.0, 10.0)
_NO_EMPLOYER = {Membership.VOLUNTARY: "（任意継続）", Membership.SPECIAL_RETIREE: "（特例退職）"}


@dataclass(frozen=True, slots=True)
class FormContext(Context):
    """資格確認書(再)交付申請書, お知らせ再交付申請書, 利用登録の解除申請書."""

    title: str
    insured_term: str
    employer_term: str
    insurer_name: str
    insurer_postcode: str
    insurer_address: str
    insurer_phone: str
    insured_id: Fitted
    insured_name: Fitted
    name: Fitted
    name_kana: Fitted
    birth_date: str
    sex: str
    #: 続柄・枝番 on one line.
    relationship_branch: Fitted
    acquired_date: str
    employer_name: Fitted
    delivery_route: str
    route_note: str


def form(kind: DocumentKind) -> Callable[[MemberFacts, Profile], FormContext]:
    """The builder of one kind of form: its title and where it goes back are the kind's."""
    return partial(_form, kind)


def _form(kind: DocumentKind, facts: MemberFacts, profile: Profile) -> FormContext:
    member, insurer = facts.member, profile.insurer
    employer = member.employer.name if member.employer else _NO_EMPLOYER.get(member.membership, "")
    delivery_route, route_note = route(facts, profile, kind)
    return FormContext(
        title=document_name(kind, profile),
        insured_term=profile.wording.insured,
        employer_term=profile.wording.employer,
        insurer_name=insurer.name,
        insurer_postcode=display_postcode(insurer.postcode),
        insurer_address=insurer.address,
        insurer_phone=insurer.phone,
        insured_id=FORM_VALUE.fit(insured_id_text(member), "insured_number"),
        insured_name=FORM_VALUE.fit(
            member.insured_display_name, "name" if member.is_insured else "insured_name"
        ),
        name=FORM_VALUE.fit(member.name, "name"),
        name_kana=FORM_VALUE.fit(member.name_kana, "name_kana"),
        birth_date=era(member.birth_date),
        sex=member.sex.value,
        relationship_branch=FORM_VALUE.fit(
            f"{member.relationship}　　枝番 {member.insured_id.branch}", "relationship"
        ),
        acquired_date=era(member.acquired_date),
        employer_name=FORM_VALUE.fit(employer, "employer_name"),
        delivery_route=delivery_route,
        route_note=route_note,
    )
