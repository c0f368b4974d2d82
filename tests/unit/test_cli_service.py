"""serve and worker refuse to start without what they need, naming the variable."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.cli import main


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GENERATOR_API_KEYS", "GENERATOR_API_KEYS_FILE", "GENERATOR_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)


def test_serve_without_api_keys_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert "GENERATOR_API_KEYS" in result.output


def test_worker_without_a_broker_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["worker"])
    assert result.exit_code == 2
    assert "GENERATOR_BROKER_URL" in result.output


def test_a_bad_setting_names_its_variable_and_not_its_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GENERATOR_WORKERS", "zero-secret")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert "GENERATOR_WORKERS" in result.output
    assert "zero-secret" not in result.output
