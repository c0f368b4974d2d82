"""The service's settings (サービス設定): the one place that reads the environment.

Every setting is an environment variable ``GENERATOR_<NAME>``. API keys are hashed as they
are read: the settings object, its repr and anything that logs it hold only SHA-256 hashes.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from generator.domain.facility_token import KeyRing
from generator.errors import TokenError
from generator.render.convert.libreoffice import DEFAULT_WORKERS

DEFAULT_PORT = 8000
DEFAULT_DOCUMENT_BYTES = 64 * 1024
DEFAULT_UPLOAD_BYTES = 256 * 1024 * 1024
DEFAULT_QUEUE_LIMIT = 64
DEFAULT_COALESCE_MAX = 16
DEFAULT_VISIBILITY_TIMEOUT = 600.0


def hash_key(key: str) -> str:
    """An API key's stored form: hex SHA-256 (keys are long random strings, not passwords)."""
    return hashlib.sha256(key.strip().encode()).hexdigest()


class Settings(BaseSettings):
    """Where profiles and runs live, who may call, and the limits the service keeps."""

    model_config = SettingsConfigDict(env_prefix="GENERATOR_", extra="forbid", frozen=True)

    #: Plain API keys, comma-separated; only their hashes are kept.
    api_keys: Annotated[frozenset[str], NoDecode] = frozenset()
    #: A file of ``name:sha256hex`` lines (or bare hashes); # starts a comment.
    api_keys_file: Path | None = None
    profiles_dir: Path = Path("profiles")
    data_dir: Path = Path("var")
    facility_keys: SecretStr | None = None
    facility_keys_file: Path | None = None
    workers: int = Field(DEFAULT_WORKERS, ge=1, le=64)
    #: The LibreOffice binary.
    soffice: str = "soffice"
    max_document_bytes: int = Field(DEFAULT_DOCUMENT_BYTES, ge=1024)
    max_upload_bytes: int = Field(DEFAULT_UPLOAD_BYTES, ge=1024)
    #: Single-document requests waiting or rendering; past it the service answers 429.
    queue_limit: int = Field(DEFAULT_QUEUE_LIMIT, ge=1)
    #: How long a free converter waits for more requests to lay out with the first.
    coalesce_window_ms: float = Field(2.0, ge=0, le=1000)
    coalesce_max: int = Field(DEFAULT_COALESCE_MAX, ge=1, le=256)
    #: Celery broker (redis://…); unset, bulk runs render in the service's own pool.
    broker_url: str | None = None
    #: Seconds before the broker hands an unacknowledged chunk (a dead worker's) to another.
    visibility_timeout: float = Field(DEFAULT_VISIBILITY_TIMEOUT, gt=0)

    @field_validator("api_keys", mode="before")
    @classmethod
    def _hash_keys(cls, value: object) -> frozenset[str]:
        items = value.split(",") if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
        return frozenset(hash_key(str(item)) for item in items if str(item).strip())

    @model_validator(mode="after")
    def _check_files(self) -> Settings:
        for name in ("api_keys_file", "facility_keys_file"):
            path = getattr(self, name)
            if path is not None and not path.is_file():
                raise ValueError(f"GENERATOR_{name.upper()}: {path} is not a file")
        if self.facility_keys is not None or self.facility_keys_file is not None:
            self.key_ring()  # fail at start, not on the first request
        return self

    def key_hashes(self) -> dict[str, str]:
        """Each accepted key's hash → the caller's name (for run ownership, never logged)."""
        hashes = {digest: f"env-{i}" for i, digest in enumerate(sorted(self.api_keys))}
        if self.api_keys_file is not None:
            for number, line in enumerate(self.api_keys_file.read_text().splitlines(), 1):
                entry = line.split("#", 1)[0].strip()
                if not entry:
                    continue
                name, _, digest = entry.rpartition(":")
                if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
                    raise ValueError(f"{self.api_keys_file}, line {number}: not a SHA-256 hash")
                hashes[digest] = name or f"file-{number}"
        return hashes

    def key_ring(self) -> KeyRing | None:
        """The facility QR's signing keys, when configured."""
        text = (
            self.facility_keys.get_secret_value()
            if self.facility_keys is not None
            else self.facility_keys_file.read_text()
            if self.facility_keys_file is not None
            else None
        )
        if text is None:
            return None
        try:
            return KeyRing.parse(text)
        except TokenError as exc:
            raise ValueError(f"GENERATOR_FACILITY_KEYS: {exc}") from None


def caller(presented: str, hashes: dict[str, str]) -> str | None:
    """The caller's name when ``presented`` is an accepted key, compared in constant time."""
    digest = hash_key(presented)
    found = None
    for known, name in hashes.items():
        if hmac.compare_digest(known, digest):
            found = name
    return found


class _FacilityKeysOnly(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GENERATOR_", extra="ignore")

    facility_keys: SecretStr | None = None


def facility_keys_from_environment() -> str | None:
    """GENERATOR_FACILITY_KEYS alone, for the command line's documents and runs."""
    found = _FacilityKeysOnly().facility_keys
    return found.get_secret_value() if found is not None else None
