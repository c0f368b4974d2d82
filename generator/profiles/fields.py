"""Field types shared by profile settings."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BeforeValidator

from generator.domain.text import normalize_postcode, parse_iso_date


def _postcode(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError('a postcode is a string such as "102-0071"')
    return normalize_postcode(value)


#: A date written as a TOML date or an ISO string.
IsoDate = Annotated[date, BeforeValidator(parse_iso_date)]
#: A 7-digit postcode, accepted with or without its hyphen.
Postcode = Annotated[str, BeforeValidator(_postcode)]
