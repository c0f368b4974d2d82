"""The facility QR's token (施設利用の本人確認用トークン): opaque, signed, checked offline.

告知要求制限 forbids spelling out 記号・番号, so the token carries a pseudonym: an HMAC of the
insurer number and 記号・番号・枝番 under the insurer's key. The insurer's facilities, holding
the key, recompute pseudonyms for their members and match; anyone else learns nothing.

Shape (QR alphanumeric mode, so the code stays small)::

    KID.PAYLOAD.MAC     PAYLOAD = base32(version, issued, expires, pseudonym)
                        MAC     = base32(HMAC-SHA256(key, "KID.PAYLOAD")[:16])

Nothing random goes in: the same member, key and dates give the same token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
from dataclasses import dataclass
from datetime import date

from generator.errors import TokenError

VERSION = 1
_PSEUDONYM_BYTES = 12
_MAC_BYTES = 16
_PAYLOAD = struct.Struct(">BII12s")
_KID = re.compile(r"[A-Z0-9-]{1,16}")
_MIN_KEY_BYTES = 16


@dataclass(frozen=True, slots=True)
class KeyRing:
    """Signing keys by key id; the first signs, all verify (so keys can be rotated)."""

    keys: tuple[tuple[str, bytes], ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise TokenError("the key ring is empty")
        for kid, key in self.keys:
            if not _KID.fullmatch(kid):
                raise TokenError("a key id takes 1 to 16 of A-Z, 0-9 and '-'")
            if len(key) < _MIN_KEY_BYTES:
                raise TokenError(f"key {kid} is shorter than {_MIN_KEY_BYTES} bytes")

    @property
    def signing(self) -> tuple[str, bytes]:
        return self.keys[0]

    def key(self, kid: str) -> bytes:
        for known, key in self.keys:
            if known == kid:
                return key
        raise TokenError(f"unknown key id {kid}")

    @classmethod
    def parse(cls, text: str) -> KeyRing:
        """``kid:base64key`` items separated by commas or lines; # starts a comment."""
        keys: list[tuple[str, bytes]] = []
        lines = (line.split("#", 1)[0] for line in text.splitlines())
        for item in (part.strip() for line in lines for part in line.split(",")):
            if not item:
                continue
            kid, _, encoded = item.partition(":")
            try:
                keys.append((kid.strip(), base64.b64decode(encoded.strip(), validate=True)))
            except binascii.Error:
                raise TokenError(f"key {kid.strip()} is not base64") from None
        return cls(tuple(keys))

    def __repr__(self) -> str:
        return f"KeyRing(kids={[kid for kid, _ in self.keys]})"


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a verified token says: no 記号・番号, only the pseudonym and the dates."""

    kid: str
    issued: date
    expires: date
    pseudonym: str

    def is_current(self, on: date) -> bool:
        return self.issued <= on <= self.expires

    def why_not_current(self, on: date) -> str | None:
        """Why the token is not valid on ``on`` (not yet, or expired), or None when it is."""
        if on < self.issued:
            return f"not valid before {self.issued.isoformat()}"
        if on > self.expires:
            return f"expired on {self.expires.isoformat()}"
        return None


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes:
    return base64.b32decode(text + "=" * (-len(text) % 8))


def pseudonym(key: bytes, insurer_number: str, symbol: str, number: str, branch: str) -> bytes:
    """The member's pseudonym under ``key``: recomputable by the insurer, opaque to others."""
    message = "\x1f".join(("member", insurer_number, symbol, number, branch)).encode()
    return hmac.new(key, message, hashlib.sha256).digest()[:_PSEUDONYM_BYTES]


def _mac(key: bytes, signed: str) -> str:
    return _b32(hmac.new(key, signed.encode("ascii"), hashlib.sha256).digest()[:_MAC_BYTES])


def sign(ring: KeyRing, member_pseudonym: bytes, issued: date, expires: date) -> str:
    """A token for a member's pseudonym, valid from ``issued`` to ``expires``."""
    kid, key = ring.signing
    payload = _PAYLOAD.pack(VERSION, issued.toordinal(), expires.toordinal(), member_pseudonym)
    signed = f"{kid}.{_b32(payload)}"
    return f"{signed}.{_mac(key, signed)}"


def verify(ring: KeyRing, token: str) -> TokenClaims:
    """Check a token's signature offline; TokenError when it does not verify."""
    if not token.isascii():  # a token is base32 and a key id: anything else is forged
        raise TokenError("a token holds only ASCII characters")
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise TokenError("a token has three parts: KID.PAYLOAD.MAC")
    kid, body, mac = parts
    key = ring.key(kid)
    if not hmac.compare_digest(_mac(key, f"{kid}.{body}"), mac):
        raise TokenError("the signature does not match")
    try:
        version, issued, expires, member = _PAYLOAD.unpack(_unb32(body))
    except (binascii.Error, struct.error):
        raise TokenError("the payload is malformed") from None
    if version != VERSION:
        raise TokenError(f"unknown token version {version}")
    try:
        claims = TokenClaims(kid, date.fromordinal(issued), date.fromordinal(expires), member.hex())
    except ValueError:  # an ordinal outside 1..date.max, even under a valid MAC
        raise TokenError("the payload's dates are out of range") from None
    if claims.issued > claims.expires:
        raise TokenError("the payload's dates are reversed")
    return claims
