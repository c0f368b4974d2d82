"""Bulk runs against the fake converter: fast, and exact about pages and bytes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fixtures.generate import members, write
from generator.batch import RunConfig, RunKind
from tests.cases import profile


@pytest.fixture(scope="session")
def member_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("input") / "members.csv"
    write(members(160, seed=5, bad_share=0.03), path, "utf-8")
    return path


@pytest.fixture
def config(member_file: Path, tmp_path: Path, keys) -> RunConfig:  # type: ignore[no-untyped-def]
    return RunConfig(
        input=member_file,
        profile=profile(),
        issue_date=date(2025, 12, 1),
        kind=RunKind.ENROLMENT,
        out=tmp_path / "out",
        workers=2,
        keys=keys,
        batch_members=40,
    )
