"""Typed member records (加入者), as parsing yields them.

The individual number (マイナンバー) has no field here: it is discarded at parse time. The
``repr`` of a member shows its record id only, so that a stray log line carries no name and
no 記号・番号.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from generator.domain.kinds import DocumentKind
from generator.domain.text import display_postcode

#: The value of ``relationship`` for the insured person (被保険者) rather than a dependent.
INSURED_RELATIONSHIP = "本人"


class Membership(StrEnum):
    """How the member belongs to the insurer (資格の種別)."""

    REGULAR = "regular"
    #: 任意継続被保険者: documents go to the home address; membership ends after 2 years.
    VOLUNTARY = "voluntary"
    #: 特例退職被保険者: documents go to the home address.
    SPECIAL_RETIREE = "special_retiree"


class Sex(StrEnum):
    """性別 as printed."""

    MALE = "男"
    FEMALE = "女"


class CertificateReason(StrEnum):
    """Why a 資格確認書 is issued (交付対象者 A–G)."""

    NO_CARD = "A"  # マイナンバーカードを保有していない
    NOT_REGISTERED = "B"  # 健康保険証利用登録を行っていない
    REGISTRATION_CANCELLED = "C"  # 健康保険証利用を解除した
    CERTIFICATE_EXPIRED = "D"  # 電子証明書の有効期限から3か月以上経過
    CARD_RETURNED = "E"  # マイナンバーカードを返納した
    CARD_LOST_OR_RENEWING = "F"  # 紛失・更新中
    NEEDS_HELPER = "G"  # 介助者などの第三者による資格確認の補助が必要


class _Frozen(BaseModel):
    # Values are not cached: pydantic keeps every short string it parses from JSON in a
    # process-wide cache by default, so a long run (pass 2 reads each member back from JSON)
    # would keep names and addresses of past members, and grow to fill that cache.
    model_config = ConfigDict(frozen=True, extra="forbid", cache_strings="keys")


class PostalAddress(_Frozen):
    """A postcode (郵便番号, 7 digits) and an address (住所)."""

    postcode: str
    address: str

    @property
    def postcode_display(self) -> str:
        """1000013 → 100-0013."""
        return display_postcode(self.postcode)


class Employer(_Frozen):
    """The member's employer (事業所) and its registered address."""

    code: str
    name: str
    location: PostalAddress


class InsuredId(_Frozen):
    """被保険者等記号・番号 and 枝番. Never logged, never on an envelope, never in a QR."""

    symbol: str
    number: str
    branch: str

    def __repr__(self) -> str:
        return "InsuredId(<withheld>)"

    __str__ = __repr__


#: 任意継続 lasts at most 2 years from the day it was taken up (健康保険法38条).
VOLUNTARY_YEARS = 2


class Member(_Frozen):
    """One member record (加入者): an insured person (被保険者) or a dependent (被扶養者)."""

    record_id: str
    employer: Employer | None
    insured_id: InsuredId
    name: str
    name_kana: str
    birth_date: date
    sex: Sex
    relationship: str
    insured_name: str | None
    #: A dependent's insured person's birth date: their age decides a 70–74 dependent's ratio.
    insured_birth_date: date | None = None
    acquired_date: date
    standard_monthly_remuneration: int
    membership: Membership
    voluntary_until: date | None
    home: PostalAddress | None
    has_myna_card: bool
    certificate_requested: bool
    certificate_reason: CertificateReason | None
    base_income_applied: bool = False
    #: For a reissue run: the document the member asked for (再交付申請).
    requested_document: DocumentKind | None = None

    @property
    def is_insured(self) -> bool:
        """Whether this is the insured person (本人) rather than a dependent."""
        return self.relationship == INSURED_RELATIONSHIP

    @property
    def insured_display_name(self) -> str:
        """被保険者氏名: the member's own name, or the insured's for a dependent."""
        return self.name if self.is_insured or self.insured_name is None else self.insured_name

    @property
    def delivered_home(self) -> bool:
        """任意継続 and 特例退職 members get their documents at home."""
        return self.membership is not Membership.REGULAR

    def __repr__(self) -> str:
        return f"Member(record_id={self.record_id!r})"

    __str__ = __repr__
