"""facility_token.py: sign, verify offline, refuse tampering; no 記号・番号 inside."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.domain.facility_token import KeyRing, pseudonym, sign, verify
from generator.errors import TokenError

KEY = base64.b64encode(b"k" * 32).decode()
OLD = base64.b64encode(b"o" * 32).decode()
RING = KeyRing.parse(f"K2:{KEY}\n# rotated out, still verifies\nK1:{OLD}")
ALIAS = pseudonym(b"k" * 32, "06139034", "101", "1234567", "01")


def test_round_trip() -> None:
    token = sign(RING, ALIAS, date(2025, 12, 1), date(2028, 3, 31))
    claims = verify(RING, token)
    assert (claims.kid, claims.issued, claims.expires) == (
        "K2",
        date(2025, 12, 1),
        date(2028, 3, 31),
    )
    assert claims.pseudonym == ALIAS.hex()
    assert claims.is_current(date(2026, 1, 1))
    assert not claims.is_current(date(2028, 4, 1))


def test_the_token_is_deterministic_and_spells_out_no_numbers() -> None:
    token = sign(RING, ALIAS, date(2025, 12, 1), date(2028, 3, 31))
    assert token == sign(RING, ALIAS, date(2025, 12, 1), date(2028, 3, 31))
    assert "1234567" not in token
    assert "06139034" not in token
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567.K-0123456789")


def test_keys_rotate() -> None:
    old_ring = KeyRing.parse(f"K1:{OLD}")
    token = sign(old_ring, ALIAS, date(2025, 12, 1), date(2026, 12, 1))
    assert verify(RING, token).kid == "K1"


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda t: t.replace("K2.", "K1.", 1), "signature"),
        (lambda t: t.replace("K2.", "K9.", 1), "unknown key"),
        (lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"), "signature"),
        (lambda t: t.split(".")[0] + "." + t.split(".")[2], "three parts"),
    ],
)
def test_tampering_is_refused(tamper, message: str) -> None:  # type: ignore[no-untyped-def]
    token = sign(RING, ALIAS, date(2025, 12, 1), date(2028, 3, 31))
    with pytest.raises(TokenError, match=message):
        verify(RING, tamper(token))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("k1:" + KEY, "key id"),
        ("K1:" + base64.b64encode(b"short").decode(), "shorter"),
        ("K1:not base64!", "not base64"),
    ],
)
def test_bad_key_rings(text: str, message: str) -> None:
    with pytest.raises(TokenError, match=message):
        KeyRing.parse(text)


def test_the_key_ring_repr_hides_keys() -> None:
    assert KEY not in repr(RING)


@given(
    st.binary(min_size=12, max_size=12),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 1, 1)),
    st.integers(0, 2000),
)
def test_any_token_verifies_to_what_was_signed(alias: bytes, issued: date, days: int) -> None:
    expires = date.fromordinal(issued.toordinal() + days)
    claims = verify(RING, sign(RING, alias, issued, expires))
    assert (claims.pseudonym, claims.issued, claims.expires) == (alias.hex(), issued, expires)


def _signed_payload(issued: int, expires: int) -> str:
    """A token whose MAC is valid over ordinals no ``sign`` would write."""
    import hashlib
    import hmac
    import struct

    body = base64.b32encode(struct.pack(">BII12s", 1, issued, expires, ALIAS)).decode()
    signed = f"K2.{body.rstrip('=')}"
    mac = hmac.new(b"k" * 32, signed.encode(), hashlib.sha256).digest()[:16]
    return f"{signed}.{base64.b32encode(mac).decode().rstrip('=')}"


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("K2.ＡＢＣ.ＤＥＦ", "ASCII"),  # a non-ASCII token was a 500 (UnicodeEncodeError)
        (_signed_payload(0, 1), "out of range"),  # ordinal 0 under a valid MAC
        (_signed_payload(739000, 738000), "reversed"),
    ],
)
def test_forged_payloads_are_token_errors(token: str, message: str) -> None:
    with pytest.raises(TokenError, match=message):
        verify(RING, token)


def test_why_a_token_is_not_current() -> None:
    claims = verify(RING, sign(RING, ALIAS, date(2025, 12, 1), date(2028, 3, 31)))
    assert claims.why_not_current(date(2025, 11, 30)) == "not valid before 2025-12-01"
    assert claims.why_not_current(date(2028, 4, 1)) == "expired on 2028-03-31"
    assert claims.why_not_current(date(2025, 12, 1)) is None
