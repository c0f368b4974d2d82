"""batch/kinds.py: which documents each kind of run gives a member."""

from __future__ import annotations

from datetime import date

import pytest

from generator.batch.kinds import RunKind, select
from generator.domain.kinds import DocumentKind
from generator.errors import DataError
from generator.records.schema import parse_record
from tests.cases import profile
from tests.conftest import base_record

ISSUE = date(2025, 12, 1)
NOTICE, CERT = DocumentKind.QUALIFICATION_NOTICE, DocumentKind.ELIGIBILITY_CERTIFICATE


def _select(run: RunKind, insurer: str = "kenpo-fy3", **changes: object):  # type: ignore[no-untyped-def]
    member = parse_record(base_record(**changes), where="x")
    return select(run, member, profile(insurer), ISSUE, (NOTICE,))


def test_enrolment_uses_what_decide_chose() -> None:
    assert _select(RunKind.ENROLMENT).documents == (NOTICE,)


@pytest.mark.parametrize(("card", "expected"), [("true", ()), ("false", (CERT,))])
def test_mass_issue_is_for_members_without_a_myna_card(
    card: str, expected: tuple[DocumentKind, ...]
) -> None:
    assert _select(RunKind.MASS_ISSUE, has_myna_card=card).documents == expected


def test_ex_officio_gives_everyone_a_certificate() -> None:
    assert _select(RunKind.EX_OFFICIO, has_myna_card="true").documents == (CERT,)


def test_turning_70_next_month() -> None:
    # 70 on 2025-12-20: 高齢受給者 from 2026-01-01, the 1st of the month after the issue date.
    chosen = _select(RunKind.TURNING_70, birth_date="1955-12-20")
    assert chosen.documents == (CERT,)
    assert chosen.effective_date == date(2026, 1, 1)
    separate = _select(RunKind.TURNING_70, "kenpo-windows", birth_date="1955-12-20")
    assert separate.documents == (DocumentKind.ELDERLY_CERTIFICATE,)
    assert _select(RunKind.TURNING_70, birth_date="1956-01-20").documents == ()
    assert _select(RunKind.TURNING_70, birth_date="1955-11-20").documents == ()


def test_reissue_needs_the_requested_document() -> None:
    chosen = _select(RunKind.REISSUE, requested_document="qualification-notice")
    assert chosen.documents == (NOTICE,)
    with pytest.raises(DataError, match="requested_document") as caught:
        _select(RunKind.REISSUE)
    assert caught.value.field == "requested_document"
    with pytest.raises(DataError, match="document kind"):
        _select(RunKind.REISSUE, requested_document="passport")
