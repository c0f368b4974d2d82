"""cli.py: ``wareki`` and ``explain`` as people who check the rules call them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import PROFILES, ROOT, SAMPLE, base_record


def test_wareki_prints_iso_long_and_initials() -> None:
    result = CliRunner().invoke(main, ["wareki", "2019-05-01", "1989-01-07"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "2019-05-01\t令和元年5月1日\tR1.5.1",
        "1989-01-07\t昭和64年1月7日\tS64.1.7",
    ]


def test_wareki_reads_stdin() -> None:
    days = [date(1912, 7, 30) + timedelta(days=i) for i in range(0, 5000, 7)]
    stdin = "\n".join(d.isoformat() for d in days) + "\n"
    result = CliRunner().invoke(main, ["wareki", "-"], input=stdin)
    assert result.exit_code == 0
    assert len(result.output.splitlines()) == len(days)


def test_wareki_full_width_and_bad_dates() -> None:
    result = CliRunner().invoke(main, ["wareki", "--full-width", "2025-12-01"])
    assert result.output == "2025-12-01\t令和７年１２月１日\tR７.１２.１\n"
    result = CliRunner().invoke(main, ["wareki", "2025-13-01", "2025-12-01", "1800-01-01"])
    assert result.exit_code == 2
    assert "2025-12-01\t令和7年12月1日" in result.output


def test_explain_one_record() -> None:
    args = ["explain", "--record", str(SAMPLE / "record-elderly.json")]
    args += ["--profile", str(PROFILES / "kenpo-fy3.toml"), "--issue-date", "2025-12-01"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    explained = json.loads(result.output)
    keys = {"birth_date_wareki", "age", "elderly_start", "burden_ratio", "ratio_printed"}
    keys |= {"expiry", "expiry_rule", "documents", "delivery"}
    assert keys <= explained.keys()
    assert explained["birth_date_wareki"] == "昭和30年11月20日"
    assert explained["ratio_printed"] == "3割"


@pytest.mark.parametrize(
    ("kind", "documents"),
    [
        ("enrolment", ["qualification-notice", "eligibility-certificate"]),
        ("mass-issue", ["eligibility-certificate"]),
        ("reissue", None),  # the record names no requested_document: exit 2
    ],
)
def test_explain_answers_for_any_kind_of_run(kind: str, documents: list[str] | None) -> None:
    args = ["explain", "--record", str(SAMPLE / "record-elderly.json"), "--kind", kind]
    args += ["--profile", str(PROFILES / "kenpo-fy3.toml"), "--issue-date", "2025-12-01"]
    result = CliRunner().invoke(main, args)
    if documents is None:
        assert result.exit_code == 2
        assert "field requested_document" in result.output
        return
    explained = json.loads(result.output)
    assert explained["documents"] == documents
    assert explained["reasons"]["documents"].startswith(f"{kind}: ")


def test_explain_a_bad_record_prints_the_data_error_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(base_record(birth_date="1980-13-01")), encoding="utf-8")
    args = ["explain", "--record", str(path), "--profile", str(PROFILES / "kyosai.toml")]
    result = CliRunner().invoke(main, [*args, "--issue-date", "2025-12-01"])
    assert result.exit_code == 2
    assert "DataError: record T0001, field birth_date" in result.output


def test_explain_a_member_file() -> None:
    args = ["explain", "--records", str(SAMPLE / "members.csv")]
    args += ["--profile", str(PROFILES / "kenpo-years5.toml"), "--issue-date", "2025-12-01"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["record_id"] for line in lines][:2] == ["S0001", "S0002"]
    assert "123456789012" not in result.output


def test_explain_needs_exactly_one_source() -> None:
    result = CliRunner().invoke(main, ["explain", "--profile", str(PROFILES / "kyosai.toml")])
    assert result.exit_code == 2
    assert "exactly one of --record and --records" in result.output


def test_render_list_names_the_kinds() -> None:
    result = CliRunner().invoke(main, ["render", "--list"])
    assert result.exit_code == 0
    assert "eligibility-certificate\t資格確認書" in result.output
    assert len(result.output.splitlines()) == 7


def test_render_needs_its_arguments() -> None:
    result = CliRunner().invoke(main, ["render", "qualification-notice"])
    assert result.exit_code == 2
    assert "--record" in result.output


def test_token_verify(keys) -> None:  # type: ignore[no-untyped-def]
    from generator.domain.facility_token import sign

    token = sign(keys, b"\x01" * 12, date(2025, 12, 1), date(2028, 3, 31))
    key_file = str(ROOT / "fixtures" / "keys" / "test-facility.keys")
    verify = ["token", "verify", token, "--facility-keys", key_file]
    result = CliRunner().invoke(main, [*verify, "--on", "2025-12-01"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "valid": True, "on": "2025-12-01", "kid": "TEST1", "issued": "2025-12-01",
        "expires": "2028-03-31", "pseudonym": "01" * 12,
    }  # fmt: skip
    for on, reason in (("2028-04-01", "expired on 2028-03-31"),
                       ("2025-11-30", "not valid before 2025-12-01")):  # fmt: skip
        stale = CliRunner().invoke(main, [*verify, "--on", on])
        assert stale.exit_code == 1
        assert json.loads(stale.output)["valid"] is False
        assert json.loads(stale.output)["reason"] == reason
    bad = CliRunner().invoke(
        main, ["token", "verify", token[:-1] + "Q", "--facility-keys", key_file]
    )
    assert bad.exit_code == 1
    assert "TokenError" in bad.output
    env = {
        "GENERATOR_FACILITY_KEYS": (ROOT / "fixtures" / "keys" / "test-facility.keys").read_text()
    }
    assert CliRunner(env=env).invoke(main, ["token", "verify", token]).exit_code == 0
    missing = CliRunner(env={"GENERATOR_FACILITY_KEYS": ""}).invoke(
        main, ["token", "verify", token]
    )
    assert missing.exit_code == 2


def test_templates_check() -> None:
    result = CliRunner().invoke(main, ["templates", "check"])
    assert result.exit_code == 0
    assert "all clean" in result.output


def test_a_broker_in_the_environment_is_used_only_when_asked(tmp_path: Path) -> None:
    """A worker's GENERATOR_BROKER_URL left in an operator's shell keeps a run local."""
    args = ["run", str(SAMPLE / "bulk.csv"), "--profile", str(PROFILES / "kenpo-fy3.toml")]
    args += ["--issue-date", "2025-12-01", "--kind", "enrolment", "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(main, [*args, "--distributed"], env={"GENERATOR_BROKER_URL": ""})
    assert result.exit_code == 2
    assert "--distributed needs GENERATOR_BROKER_URL" in result.output
    both = [*args, "--distributed", "--broker", "redis://127.0.0.1:1/0"]
    result = CliRunner().invoke(main, both, env={"GENERATOR_BROKER_URL": "redis://127.0.0.1:1/0"})
    assert result.exit_code == 2
    assert "give one" in result.output
