"""The kinds of document the generator produces, by their stable names.

The names are a contract: the CLI (``render KIND``), the HTTP API and the manifest use them.
"""

from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    """A kind of document (帳票の種類)."""

    #: 資格情報のお知らせ (a 共済組合 calls it 資格情報通知書), A4 with a card-size cut-out.
    QUALIFICATION_NOTICE = "qualification-notice"
    #: 資格確認書, card size on A4 with cut marks.
    ELIGIBILITY_CERTIFICATE = "eligibility-certificate"
    #: 資格確認書, postcard-size (はがき) layout.
    ELIGIBILITY_CERTIFICATE_POSTCARD = "eligibility-certificate-postcard"
    #: 高齢受給者証, at insurers that still issue it separately.
    ELDERLY_CERTIFICATE = "elderly-certificate"
    #: 資格確認書(再)交付申請書, pre-filled.
    CERTIFICATE_APPLICATION = "certificate-application"
    #: 資格情報のお知らせ再交付申請書, pre-filled.
    NOTICE_REISSUE_APPLICATION = "notice-reissue-application"
    #: マイナンバーカードの健康保険証利用登録の解除申請書, pre-filled.
    DEREGISTRATION_APPLICATION = "deregistration-application"

    @property
    def japanese(self) -> str:
        """The document's Japanese title."""
        return _JAPANESE[self]

    @property
    def mask_kind(self) -> DocumentKind:
        """The kind whose mask setting this kind uses (layouts of one document share it)."""
        if self is DocumentKind.ELIGIBILITY_CERTIFICATE_POSTCARD:
            return DocumentKind.ELIGIBILITY_CERTIFICATE
        return self


_JAPANESE: dict[DocumentKind, str] = {
    DocumentKind.QUALIFICATION_NOTICE: "資格情報のお知らせ",
    DocumentKind.ELIGIBILITY_CERTIFICATE: "資格確認書",
    DocumentKind.ELIGIBILITY_CERTIFICATE_POSTCARD: "資格確認書（はがき）",
    DocumentKind.ELDERLY_CERTIFICATE: "高齢受給者証",
    DocumentKind.CERTIFICATE_APPLICATION: "資格確認書（再）交付申請書",
    DocumentKind.NOTICE_REISSUE_APPLICATION: "資格情報のお知らせ再交付申請書",
    DocumentKind.DEREGISTRATION_APPLICATION: "マイナンバーカードの健康保険証利用登録の解除申請書",
}
