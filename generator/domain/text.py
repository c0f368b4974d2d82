"""Normalising text as Japanese systems export it.

Full-width digits become ASCII digits and half-width katakana become full-width (ｶﾞ → ガ).
Names and addresses are otherwise left as written: NFKC over a whole name would replace
compatibility ideographs (e.g. 塚 U+FA10) that are the person's own 外字-like characters.
Codes (dates, numbers, flags) are NFKC-normalised whole, since they hold no such characters.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_HALF_WIDTH_KANA = re.compile(r"[\uff61-\uff9f]+")
_HYPHENS = re.compile(r"[-‐‑‒–—―−－ｰー]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Spaces to strip at both ends, the ideographic space (U+3000) included.
_SPACES = " \t\r\n\u3000"


def normalize_text(value: str) -> str:
    """Strip, turn full-width digits into ASCII and half-width kana into full-width."""
    value = value.strip(_SPACES).translate(_FULL_WIDTH_DIGITS)
    return _HALF_WIDTH_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), value)


def normalize_code(value: str) -> str:
    """NFKC and strip: for codes, dates, numbers and flags (Ａ → A, １ → 1)."""
    return unicodedata.normalize("NFKC", value).strip(_SPACES)


def normalize_postcode(value: str) -> str:
    """〒100-0013, １００－００１３ or 1000013 → 1000013; ValueError otherwise."""
    digits = _HYPHENS.sub("", normalize_code(value).removeprefix("〒").strip())
    if not re.fullmatch(r"[0-9]{7}", digits):
        raise ValueError("a postcode is 7 digits (NNN-NNNN)")
    return digits


def display_postcode(digits: str) -> str:
    """1000013 → 100-0013: how every document prints a postcode (郵便番号の表記)."""
    return f"{digits[:3]}-{digits[3:]}"


def parse_iso_date(value: object) -> date:
    """A date from a ``date`` or an ISO string YYYY-MM-DD (full-width digits allowed)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(normalize_code(value)):
        raise ValueError("not an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(normalize_code(value))
    except ValueError:
        raise ValueError("not a calendar date") from None
