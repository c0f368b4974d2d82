"""Document kinds: which template each uses, how many pages a member gets, how its typed
context is built from the member's facts and the insurer's profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.documents import cards, forms, notice
from generator.documents.common import Context
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


SPECS: dict[DocumentKind, DocumentSpec] = {
    spec.kind: spec
    for spec in (
        DocumentSpec(DocumentKind.QUALIFICATION_NOTICE, "qualification-notice.docx", 1,
                     notice.NoticeContext, notice.notice),
        DocumentSpec(DocumentKind.ELIGIBILITY_CERTIFICATE, "eligibility-certificate.docx", 2,
                     cards.CertificateContext, _plain(cards.certificate)),
        DocumentSpec(DocumentKind.ELIGIBILITY_CERTIFICATE_POSTCARD,
                     "eligibility-certificate-postcard.docx", 2,
                     cards.CertificateContext, _plain(cards.certificate_postcard)),
        DocumentSpec(DocumentKind.ELDERLY_CERTIFICATE, "elderly-certificate.docx", 1,
                     cards.ElderlyContext, _plain(cards.elderly)),
        DocumentSpec(DocumentKind.CERTIFICATE_APPLICATION, "certificate-application.docx", 1,
                     forms.FormContext, _plain(forms.form)),
        DocumentSpec(DocumentKind.NOTICE_REISSUE_APPLICATION, "notice-reissue-application.docx", 1,
                     forms.FormContext, _plain(forms.form)),
        DocumentSpec(DocumentKind.DEREGISTRATION_APPLICATION, "deregistration-application.docx", 1,
                     forms.FormContext, _plain(forms.form)),
    )
}  # fmt: skip


def spec_for(kind: DocumentKind | str) -> DocumentSpec:
    return SPECS[DocumentKind(kind)]


__all__ = ["SPECS", "Context", "DocumentSpec", "spec_for"]
