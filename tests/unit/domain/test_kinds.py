"""kinds.py: stable names, Japanese titles, shared mask settings."""

from __future__ import annotations

from generator.domain.kinds import DocumentKind


def test_every_kind_has_a_japanese_title() -> None:
    assert {kind.japanese for kind in DocumentKind} >= {
        "資格情報のお知らせ",
        "資格確認書",
        "高齢受給者証",
    }
    assert DocumentKind("eligibility-certificate") is DocumentKind.ELIGIBILITY_CERTIFICATE


def test_layouts_of_one_document_share_its_mask() -> None:
    postcard = DocumentKind.ELIGIBILITY_CERTIFICATE_POSTCARD
    assert postcard.mask_kind is DocumentKind.ELIGIBILITY_CERTIFICATE
    assert DocumentKind.QUALIFICATION_NOTICE.mask_kind is DocumentKind.QUALIFICATION_NOTICE
