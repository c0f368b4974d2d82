"""Column types of the record format: each normalises its input, then checks it.

Every message says what is wrong without echoing the value, so errors are safe to log.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator

from generator.domain.kinds import DocumentKind
from generator.domain.models import CertificateReason, Membership, Sex
from generator.domain.numbers import validate_branch, validate_number, validate_symbol
from generator.domain.text import normalize_code, normalize_postcode, normalize_text, parse_iso_date

_TRUE = {"true", "1", "yes", "y", "on", "有", "あり", "○", "〇", "はい"}
_FALSE = {"false", "0", "no", "n", "off", "無", "なし", "×", "いいえ"}
_SEX = {
    "男": Sex.MALE, "男性": Sex.MALE, "1": Sex.MALE, "m": Sex.MALE, "male": Sex.MALE,
    "女": Sex.FEMALE, "女性": Sex.FEMALE, "2": Sex.FEMALE, "f": Sex.FEMALE, "female": Sex.FEMALE,
}  # fmt: skip
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u309b\u309c ]+")


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = normalize_text(value)
    if not text:
        raise ValueError("is empty")
    if any(not ch.isprintable() and ch != "\u3000" for ch in text):
        raise ValueError("holds control characters")
    return text


def _kana(value: object) -> str:
    text = _text(value).replace("\u3000", " ")
    if not _KANA.fullmatch(text):
        raise ValueError("holds characters other than kana (カナ)")
    return text


def _code(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("must be text")
    return normalize_code(str(value))


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    code = _code(value).lower()
    if code in _TRUE:
        return True
    if code in _FALSE:
        return False
    raise ValueError("is not true or false")


def _sex(value: object) -> Sex:
    sex = _SEX.get(_code(value).lower())
    if sex is None:
        raise ValueError("is not 男/女 (male/female)")
    return sex


def _membership(value: object) -> Membership:
    try:
        return Membership(_code(value).lower())
    except ValueError:
        raise ValueError("is not regular, voluntary or special_retiree") from None


def _reason(value: object) -> CertificateReason:
    try:
        return CertificateReason(_code(value).upper())
    except ValueError:
        raise ValueError("is not one of A–G") from None


def _yen(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError("is not a whole number of yen")
    if isinstance(value, int):
        amount = value
    else:
        digits = _code(value).replace(",", "").removesuffix("円")
        if not re.fullmatch(r"[0-9]{1,9}", digits):
            raise ValueError("is not a whole number of yen")
        amount = int(digits)
    if amount <= 0:
        raise ValueError("must be more than 0 yen")
    return amount


def _requested(value: object) -> DocumentKind:
    try:
        return DocumentKind(_code(value).lower())
    except ValueError:
        raise ValueError("is not a document kind (see `render --list`)") from None


Text = Annotated[str, BeforeValidator(_text)]
RequestedKind = Annotated[DocumentKind, BeforeValidator(_requested)]
Kana = Annotated[str, BeforeValidator(_kana)]
Code = Annotated[str, BeforeValidator(lambda v: _text(_code(v)))]
IsoDate = Annotated[date, BeforeValidator(parse_iso_date)]
Flag = Annotated[bool, BeforeValidator(_flag)]
SexField = Annotated[Sex, BeforeValidator(_sex)]
MembershipField = Annotated[Membership, BeforeValidator(_membership)]
ReasonField = Annotated[CertificateReason, BeforeValidator(_reason)]
Yen = Annotated[int, BeforeValidator(_yen)]
Postcode = Annotated[str, BeforeValidator(lambda v: normalize_postcode(_code(v)))]
Symbol = Annotated[str, BeforeValidator(lambda v: validate_symbol(_text(v)))]
Number = Annotated[str, BeforeValidator(lambda v: validate_number(_code(v)))]
Branch = Annotated[str, BeforeValidator(lambda v: validate_branch(_code(v)))]
