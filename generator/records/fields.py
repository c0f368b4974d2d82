"""Column types of the record format: each normalises its input, then checks it.

Every message says what is wrong without echoing the value, so errors are safe to log.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema

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

# Most characters a column holds: twice the full-width characters of the smallest box that
# prints it (README: the record format), as a half-width character takes about half the room.
# A bound against hostile input only: the box itself refuses what it cannot print.
CODE_MAX = 64
NAME_MAX = 50
KANA_MAX = 66
RELATIONSHIP_MAX = 22
EMPLOYER_NAME_MAX = 88
ADDRESS_MAX = 158
#: 標準報酬月額 (standard monthly remuneration) is below this many yen; the top grade is
#: 1,390,000 yen, so a larger figure is a mistake and would only overflow a form.
YEN_LIMIT = 10_000_000
#: Dates from 明治 (the oldest era the forms write) to a year the age rules can add 75 to.
DATE_MIN = date(1868, 1, 25)
DATE_MAX = date(2199, 12, 31)
#: Letters (categories Lo) that print as blank space: Hangul fillers, the blank Braille cell.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(char: str) -> bool:
    """Whether ``char`` leaves ink: not a combining mark (variation selectors among them), a
    format character (zero-width), a space or a blank filler."""
    category = unicodedata.category(char)
    return category[0] not in "MZ" and category not in ("Cc", "Cf") and char not in _BLANK_LETTERS


def _text(value: object, limit: int = CODE_MAX) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = normalize_text(value)
    if not text:
        raise ValueError("is empty")
    if len(text) > limit:
        raise ValueError(f"is longer than {limit} characters")
    if any(not ch.isprintable() and ch != "\u3000" for ch in text):
        raise ValueError("holds control characters")
    if not any(_visible(ch) for ch in text):
        raise ValueError("has no visible character")
    return text


def _bounded(limit: int) -> Callable[[object], str]:
    """Text of at most ``limit`` characters."""
    return lambda value: _text(value, limit)


def _kana(value: object) -> str:
    text = _text(value, KANA_MAX).replace("\u3000", " ")
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
    if isinstance(value, bool) or not isinstance(value, str | int):
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
    if amount >= YEN_LIMIT:
        raise ValueError(f"must be below {YEN_LIMIT:,} yen")
    return amount


def _date(value: object) -> date:
    day = parse_iso_date(value)
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(f"is not between {DATE_MIN} and {DATE_MAX}")
    return day


def _requested(value: object) -> DocumentKind:
    try:
        return DocumentKind(_code(value).lower())
    except ValueError:
        raise ValueError("is not a document kind (see `render --list`)") from None


def _string(limit: int, **schema: object) -> WithJsonSchema:
    """What the OpenAPI schema says of a text column: the input a caller sends."""
    return WithJsonSchema({"type": "string", "minLength": 1, "maxLength": limit, **schema})


_DATE = WithJsonSchema({"type": "string", "format": "date", "minLength": 10, "maxLength": 10})
_FLAG = WithJsonSchema(
    {"anyOf": [{"type": "boolean"}, {"type": "string", "enum": sorted(_TRUE | _FALSE)}]}
)
_YEN = WithJsonSchema(
    {
        "anyOf": [
            {"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": YEN_LIMIT},
            {"type": "string", "pattern": "^[0-9０-９,，]{1,11}円?$"},
        ]
    }
)

Name = Annotated[str, BeforeValidator(_bounded(NAME_MAX)), _string(NAME_MAX)]
Relationship = Annotated[
    str, BeforeValidator(_bounded(RELATIONSHIP_MAX)), _string(RELATIONSHIP_MAX)
]
EmployerName = Annotated[
    str, BeforeValidator(_bounded(EMPLOYER_NAME_MAX)), _string(EMPLOYER_NAME_MAX)
]
Address = Annotated[str, BeforeValidator(_bounded(ADDRESS_MAX)), _string(ADDRESS_MAX)]
RequestedKind = Annotated[
    DocumentKind,
    BeforeValidator(_requested),
    WithJsonSchema({"type": "string", "enum": [k.value for k in DocumentKind]}),
]
Kana = Annotated[str, BeforeValidator(_kana), _string(KANA_MAX)]
Code = Annotated[str, BeforeValidator(lambda v: _text(_code(v))), _string(CODE_MAX)]
IsoDate = Annotated[date, BeforeValidator(_date), _DATE]
Flag = Annotated[bool, BeforeValidator(_flag), _FLAG]
SexField = Annotated[
    Sex, BeforeValidator(_sex), WithJsonSchema({"type": "string", "enum": sorted(_SEX)})
]
MembershipField = Annotated[
    Membership,
    BeforeValidator(_membership),
    WithJsonSchema({"type": "string", "enum": [m.value for m in Membership]}),
]
ReasonField = Annotated[
    CertificateReason,
    BeforeValidator(_reason),
    WithJsonSchema({"type": "string", "enum": [r.value for r in CertificateReason]}),
]
Yen = Annotated[int, BeforeValidator(_yen), _YEN]
Postcode = Annotated[
    str,
    BeforeValidator(lambda v: normalize_postcode(_code(v))),
    _string(8, pattern="^[0-9０-９]{3}[-－]?[0-9０-９]{4}$"),
]
Symbol = Annotated[str, BeforeValidator(lambda v: validate_symbol(_text(v))), _string(20)]
Number = Annotated[
    str, BeforeValidator(lambda v: validate_number(_code(v))), _string(20, pattern="^[0-9０-９]+$")
]
Branch = Annotated[
    str,
    BeforeValidator(lambda v: validate_branch(_code(v))),
    _string(2, pattern="^[0-9０-９]{1,2}$"),
]
