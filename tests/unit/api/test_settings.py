"""Settings: keys hashed as they are read, files checked at start."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.api.settings import Settings, caller, hash_key
from tests.conftest import KEYS_FILE


def test_plain_keys_are_kept_only_as_hashes() -> None:
    settings = Settings(api_keys="alpha-key, beta-key ,")  # type: ignore[arg-type]
    assert settings.api_keys == frozenset({hash_key("alpha-key"), hash_key("beta-key")})
    assert "alpha-key" not in repr(settings)
    assert "alpha-key" not in settings.model_dump_json()


def test_a_file_of_hashes_names_its_callers(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"# callers\nportal:{hash_key('p-key')}\n{hash_key('bare')}\n")
    hashes = Settings(api_keys_file=keys).key_hashes()
    assert caller("p-key", hashes) == "portal"
    assert caller("bare", hashes) == "file-3"
    assert caller("nope", hashes) is None


def test_a_line_that_is_not_a_hash_is_refused(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text("portal:plain-text-key\n")
    with pytest.raises(ValueError, match="line 1: not a SHA-256 hash"):
        Settings(api_keys_file=keys).key_hashes()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"api_keys_file": Path("/nonexistent")}, "is not a file"),
        ({"facility_keys": "K1:not-base64!"}, "GENERATOR_FACILITY_KEYS"),
        ({"workers": 0}, "greater than or equal to 1"),
        ({"surprise": 1}, "Extra inputs are not permitted"),
    ],
)
def test_bad_settings_fail_at_start(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(**changes)  # type: ignore[arg-type]


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_API_KEYS", "env-key")
    monkeypatch.setenv("GENERATOR_FACILITY_KEYS_FILE", str(KEYS_FILE))
    monkeypatch.setenv("GENERATOR_WORKERS", "3")
    settings = Settings()
    assert caller("env-key", settings.key_hashes()) == "env-0"
    assert settings.workers == 3
    assert settings.key_ring() is not None
