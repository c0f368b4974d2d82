"""An insurer profile (保険者設定): every choice the rules leave to the insurer, as data.

Unknown keys are rejected, so a misspelt setting fails loudly instead of being ignored.
Signing keys for the facility QR never live here: they come from the environment or a
key file.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from generator.domain.kinds import DocumentKind
from generator.domain.numbers import validate_insurer_number
from generator.domain.prefectures import prefecture_code
from generator.domain.validity import (
    FiscalYearEnd,
    FixedWindows,
    IssueWindow,
    ValidityRule,
    YearsFromIssue,
)
from generator.profiles.fields import IsoDate, Postcode

DEFAULT_MASK = "＊＊＊"
DEFAULT_MYNAPORTAL_URL = "https://myna.go.jp/"
_PROFILE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Insurer(_Strict):
    """保険者: number (check digit verified), name, address and phone."""

    number: str
    name: str = Field(min_length=1)
    postcode: Postcode
    address: str = Field(min_length=1)
    phone: str = Field(min_length=1)

    @field_validator("number")
    @classmethod
    def _check_digit(cls, value: str) -> str:
        return validate_insurer_number(value)

    @model_validator(mode="after")
    def _prefecture(self) -> Insurer:
        """An 8-digit number's 3rd–4th digits are the 都道府県 of the insurer's address."""
        code = prefecture_code(self.address)
        if len(self.number) == 8 and code is not None and self.number[2:4] != code:
            raise ValueError(
                f"the number's prefecture part {self.number[2:4]} is not the address's ({code})"
            )
        return self


class YearsFromIssueConfig(_Strict):
    """ "N years from issue": at most 5."""

    rule: Literal["years_from_issue"]
    years: int = Field(ge=1, le=5)

    def to_rule(self) -> ValidityRule:
        return YearsFromIssue(self.years)


class WindowConfig(_Strict):
    """One fixed issue window (交付期間) and its expiry."""

    issued_from: IsoDate
    issued_to: IsoDate
    expires: IsoDate


class FixedWindowsConfig(_Strict):
    """Fixed issue windows, each with its own expiry."""

    rule: Literal["fixed_windows"]
    windows: list[WindowConfig] = Field(min_length=1)

    @model_validator(mode="after")
    def _coherent(self) -> FixedWindowsConfig:
        self.to_rule()  # raises ValueError on overlapping or inverted windows
        return self

    def to_rule(self) -> ValidityRule:
        return FixedWindows(
            tuple(IssueWindow(w.issued_from, w.issued_to, w.expires) for w in self.windows)
        )


class FiscalYearEndConfig(_Strict):
    """31 March of the N-th fiscal year, counting the fiscal year of issue."""

    rule: Literal["fiscal_year_end"]
    fiscal_years: int = Field(ge=1, le=5)

    def to_rule(self) -> ValidityRule:
        return FiscalYearEnd(self.fiscal_years)


ValidityConfig = Annotated[
    YearsFromIssueConfig | FixedWindowsConfig | FiscalYearEndConfig,
    Field(discriminator="rule"),
]


class QrConfig(_Strict):
    """QR codes: the マイナポータル URL, and whether the facility QR (施設利用) is printed."""

    mynaportal_url: str = DEFAULT_MYNAPORTAL_URL
    facility: bool = False

    @field_validator("mynaportal_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not re.fullmatch(r"https://[^\s]+", value):
            raise ValueError("the マイナポータル URL is an https:// address")
        return value


class DocumentsConfig(_Strict):
    """Which documents the insurer issues."""

    #: 高齢受給者証 issued on its own, rather than folded into the 資格確認書.
    elderly_certificate_separate: bool = False
    #: The お知らせ's title: a 共済組合 calls it 資格情報通知書.
    notice_title: str = Field(default="資格情報のお知らせ", min_length=1)
    #: The forms a member sends straight to the insurer, not through the employer (one
    #: 健保組合 has the 解除申請書 sent directly).
    direct_forms: list[DocumentKind] = Field(default_factory=list)

    @field_validator("direct_forms")
    @classmethod
    def _forms_only(cls, value: list[DocumentKind]) -> list[DocumentKind]:
        for kind in value:
            if kind not in FORM_KINDS:
                raise ValueError(f"{kind.value} is not a form (申請書)")
        return value


#: The pre-filled forms (申請書), which a member sends back.
FORM_KINDS = frozenset(
    {
        DocumentKind.CERTIFICATE_APPLICATION,
        DocumentKind.NOTICE_REISSUE_APPLICATION,
        DocumentKind.DEREGISTRATION_APPLICATION,
    }
)


class Wording(_Strict):
    """The insurer's own words, wherever a document names them: a 共済組合 says 組合員 (not
    被保険者), 所属所 (not 事業所) and 通知書 for its 資格情報通知書."""

    insured: str = Field(default="被保険者", min_length=1, max_length=6)
    employer: str = Field(default="事業所", min_length=1, max_length=6)
    #: The お知らせ as its own text calls it (このお知らせ / この通知書).
    notice_short: str = Field(default="お知らせ", min_length=1, max_length=10)
    #: Who the cover letter is for at an employer.
    attention: str = Field(default="健康保険ご担当者様", min_length=1, max_length=20)


SENDER_LIST_COLUMNS = ("name_kana", "birth_date", "relationship", "insured_id")


class SenderListConfig(_Strict):
    """Which identifying columns the 送付者リスト shows besides the name (at most three)."""

    columns: list[str] = Field(default_factory=lambda: ["birth_date", "relationship"], max_length=3)

    @field_validator("columns")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        for column in value:
            if column not in SENDER_LIST_COLUMNS:
                raise ValueError(
                    f"unknown column {column!r}: choose from {', '.join(SENDER_LIST_COLUMNS)}"
                )
        return value


class Profile(_Strict):
    """One insurer's settings, as loaded from ``fixtures/profiles/*.toml``."""

    id: str
    insurer: Insurer
    certificate_validity: ValidityConfig
    #: Mask strings per document kind for members who are not 高齢受給者; ``default`` otherwise.
    masks: dict[str, str] = Field(default_factory=dict)
    qr: QrConfig = QrConfig()
    documents: DocumentsConfig = DocumentsConfig()
    sender_list: SenderListConfig = SenderListConfig()
    wording: Wording = Wording()

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _PROFILE_ID.fullmatch(value):
            raise ValueError("a profile id takes lowercase letters, digits and '-'")
        return value

    @field_validator("masks")
    @classmethod
    def _mask_kinds(cls, value: dict[str, str]) -> dict[str, str]:
        known = {"default", *(kind.value for kind in DocumentKind)}
        for key, mask in value.items():
            if key not in known:
                raise ValueError(f"unknown document kind {key!r} in masks")
            if not mask or mask.strip() != mask:
                raise ValueError(f"the mask for {key} is empty or padded with spaces")
        return value

    @property
    def validity_rule(self) -> ValidityRule:
        """The insurer's rule for the 資格確認書's expiry."""
        return self.certificate_validity.to_rule()

    def mask_for(self, kind: DocumentKind) -> str:
        """The mask a kind prints in place of the ratio (e.g. ``******``)."""
        return self.masks.get(kind.mask_kind.value, self.masks.get("default", DEFAULT_MASK))
