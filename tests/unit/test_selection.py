"""selection.py: which documents each kind of run gives a member, as RULES.md states it."""

from __future__ import annotations

from datetime import date

import pytest

from generator.domain.kinds import DocumentKind
from generator.errors import DataError
from generator.records.schema import parse_record
from generator.selection import RunKind, select
from tests.cases import profile
from tests.conftest import base_record

ISSUE = date(2025, 12, 1)
NOTICE, CERT = DocumentKind.QUALIFICATION_NOTICE, DocumentKind.ELIGIBILITY_CERTIFICATE
ELDERLY = DocumentKind.ELDERLY_CERTIFICATE
MYNA = {"has_myna_card": "true"}
NO_MYNA = {"has_myna_card": "false"}
ASKED = {"has_myna_card": "true", "certificate_requested": "true"}
REASON = {"has_myna_card": "true", "certificate_reason": "G"}


def _select(run: RunKind, insurer: str = "kenpo-fy3", issue: date = ISSUE, **changes: object):  # type: ignore[no-untyped-def]
    member = parse_record(base_record(**changes), where="x")
    return select(run, member, profile(insurer), issue)


@pytest.mark.parametrize(
    ("run", "insurer", "changes", "expected"),
    [
        # 新規加入: the お知らせ for everyone, the 資格確認書 for those who hold one.
        (RunKind.ENROLMENT, "kenpo-fy3", MYNA, (NOTICE,)),
        (RunKind.ENROLMENT, "kenpo-fy3", NO_MYNA, (NOTICE, CERT)),
        (RunKind.ENROLMENT, "kenpo-fy3", ASKED, (NOTICE, CERT)),
        (RunKind.ENROLMENT, "kenpo-fy3", REASON, (NOTICE, CERT)),
        (RunKind.ENROLMENT, "kenpo-windows", {**NO_MYNA, "birth_date": "1953-05-05"},
         (NOTICE, CERT, ELDERLY)),
        # 一斉交付: no マイナ保険証, or asked in advance even with one registered.
        (RunKind.MASS_ISSUE, "kenpo-fy3", MYNA, ()),
        (RunKind.MASS_ISSUE, "kenpo-fy3", NO_MYNA, (CERT,)),
        (RunKind.MASS_ISSUE, "kenpo-fy3", ASKED, (CERT,)),
        (RunKind.MASS_ISSUE, "kenpo-fy3", REASON, (CERT,)),
        # 職権交付: everyone on the list.
        (RunKind.EX_OFFICIO, "kenpo-fy3", MYNA, (CERT,)),
        # 70歳到達 (70 on 2025-12-20, 高齢受給者 from 2026-01-01).
        (RunKind.TURNING_70, "kenpo-fy3", {**MYNA, "birth_date": "1955-12-20"}, (NOTICE,)),
        (RunKind.TURNING_70, "kenpo-fy3", {**NO_MYNA, "birth_date": "1955-12-20"}, (CERT,)),
        (RunKind.TURNING_70, "kenpo-fy3", {**REASON, "birth_date": "1955-12-20"}, (CERT,)),
        (RunKind.TURNING_70, "kenpo-windows", {**NO_MYNA, "birth_date": "1955-12-20"},
         (ELDERLY,)),
        (RunKind.TURNING_70, "kenpo-windows", {**MYNA, "birth_date": "1955-12-20"}, (NOTICE,)),
        (RunKind.TURNING_70, "kenpo-fy3", {**NO_MYNA, "birth_date": "1956-02-20"}, ()),  # 3 ahead
        (RunKind.TURNING_70, "kenpo-fy3", {**NO_MYNA, "birth_date": "1955-10-20"}, ()),  # started
    ],
)  # fmt: skip
def test_documents_by_run(
    run: RunKind, insurer: str, changes: dict[str, str], expected: tuple[DocumentKind, ...]
) -> None:
    assert _select(run, insurer, **changes).documents == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [(MYNA, (NOTICE,)), (NO_MYNA, (CERT,))],
)
def test_turning_70_worked_example_of_the_rules(
    changes: dict[str, str], expected: tuple[DocumentKind, ...]
) -> None:
    """RULES.md: issued 2025-11-10, born 1955-12-15, 高齢受給者 from 2026-01-01."""
    chosen = _select(RunKind.TURNING_70, issue=date(2025, 11, 10), birth_date="1955-12-15",
                     **changes)  # fmt: skip
    assert chosen.documents == expected
    assert chosen.effective_date == date(2026, 1, 1)


def test_reissue_needs_the_requested_document() -> None:
    chosen = _select(RunKind.REISSUE, requested_document="qualification-notice")
    assert chosen.documents == (NOTICE,)
    with pytest.raises(DataError, match="requested_document") as caught:
        _select(RunKind.REISSUE)
    assert caught.value.field == "requested_document"
    with pytest.raises(DataError, match="document kind"):
        _select(RunKind.REISSUE, requested_document="passport")
