"""``run``'s broker options as an operator types them: the password's place, and a broker
that cannot be reached (each waits out kombu's connection attempts, seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import KEYS_FILE, PROFILES, SAMPLE


@pytest.mark.parametrize("where", ["command line", "environment"])
def test_the_broker_s_password_belongs_in_the_environment(where: str, tmp_path: Path) -> None:
    """A password given with ``--broker`` is public in ps: the run warns and says where it
    belongs; ``--distributed`` takes GENERATOR_BROKER_URL without a word. Neither shows it."""
    url = "redis://:s3cret-pass@127.0.0.1:1/0"  # nothing listens on port 1
    args = ["run", str(SAMPLE / "bulk.csv"), "--profile", str(PROFILES / "kenpo-fy3.toml")]
    args += ["--issue-date", "2025-12-01", "--kind", "enrolment", "--out", str(tmp_path / "out")]
    args += ["--facility-keys", str(KEYS_FILE)]
    env = {"GENERATOR_BROKER_URL": url} if where == "environment" else {}
    args += ["--broker", url] if where == "command line" else ["--distributed"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1, result.output
    assert "DistributedError: the broker redis://:***@127.0.0.1:1/0" in result.output
    assert ("GENERATOR_BROKER_URL instead" in result.output) is (where == "command line")
    assert "s3cret-pass" not in result.output
