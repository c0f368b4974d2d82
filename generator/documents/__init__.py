"""Document kinds: which template each uses, how many pages a member gets, how its typed
context is built from the member's facts and the insurer's profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.documents import cards, forms, notice
from generator.documents.common import Context, refuse_unfit
from generator.domain.facility_token import KeyRing
from generator.domain.kinds import DocumentKind
from generator.facts import MemberFacts
from generator.profiles import Profile

Builder = Callable[[MemberFacts, Profile, KeyRing | None], Context]


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    """One kind of document: its template, its pages per member, its context."""

    kind: DocumentKind
    template: str
    pages: int
    context_type: type[Context]
    build: Builder


def _plain(build: Callable[[MemberFacts, Profile], Context]) -> Builder:
    return lambda facts, profile, _keys: build(facts, profile)


def _checked(build: Builder) -> Builder:
    """The builder, refusing a context whose text does not fit its boxes."""

    def checked(facts: MemberFacts, profile: Profile, keys: KeyRing | None) -> Context:
        context = build(facts, profile, keys)
        refuse_unfit(facts.member.record_id, profile, context.as_vars().values())
        return context

    return checked


SPECS: dict[DocumentKind, DocumentSpec] = {
    spec.kind: spec
    for spec in (
        DocumentSpec(DocumentKind.QUALIFICATION_NOTICE, "qualification-notice.docx", 1,
                     notice.NoticeContext, _checked(notice.notice)),
        DocumentSpec(DocumentKind.ELIGIBILITY_CERTIFICATE, "eligibility-certificate.docx", 2,
                     cards.CertificateContext, _checked(_plain(cards.certificate))),
        DocumentSpec(DocumentKind.ELIGIBILITY_CERTIFICATE_POSTCARD,
                     "eligibility-certificate-postcard.docx", 2,
                     cards.CertificateContext, _checked(_plain(cards.certificate_postcard))),
        DocumentSpec(DocumentKind.ELDERLY_CERTIFICATE, "elderly-certificate.docx", 1,
                     cards.ElderlyContext, _checked(_plain(cards.elderly))),
        DocumentSpec(DocumentKind.CERTIFICATE_APPLICATION, "certificate-application.docx", 1,
                     forms.FormContext,
                     _checked(_plain(forms.form(DocumentKind.CERTIFICATE_APPLICATION)))),
        DocumentSpec(DocumentKind.NOTICE_REISSUE_APPLICATION, "notice-reissue-application.docx", 1,
                     forms.FormContext,
                     _checked(_plain(forms.form(DocumentKind.NOTICE_REISSUE_APPLICATION)))),
        DocumentSpec(DocumentKind.DEREGISTRATION_APPLICATION, "deregistration-application.docx", 1,
                     forms.FormContext,
                     _checked(_plain(forms.form(DocumentKind.DEREGISTRATION_APPLICATION)))),
    )
}  # fmt: skip


def spec_for(kind: DocumentKind | str) -> DocumentSpec:
    return SPECS[DocumentKind(kind)]


__all__ = ["SPECS", "Context", "DocumentSpec", "spec_for"]
