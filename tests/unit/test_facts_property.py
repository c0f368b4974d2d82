"""The domain rules as a property: whatever a record holds, within the record format or
not, deciding its facts and building each of its documents' contexts either succeeds or
refuses with a DataError naming the record. No other exception reaches a run."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.documents import SPECS
from generator.domain.kinds import DocumentKind
from generator.domain.models import CertificateReason, Membership
from generator.errors import DataError
from generator.facts import decide
from generator.profiles import Profile
from generator.records.columns import COLUMNS
from generator.records.schema import parse_record
from generator.selection import RunKind
from tests.cases import profile
from tests.conftest import base_record

PROFILES = {
    name: profile(name) for name in ("kenpo-fy3", "kenpo-windows", "kenpo-years5", "kyosai")
}

#: Dates near the rules' edges: 70th and 75th birthdays, month ends, leap days, eras.
_DAYS = st.one_of(
    st.dates(date(1868, 1, 25), date(2199, 12, 31)),
    st.dates(date(1940, 1, 1), date(2030, 12, 31)),
    st.sampled_from([date(1950, 12, 1), date(1955, 12, 1), date(1956, 2, 29), date(1989, 1, 7)]),
)


def _maybe(values: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """A value, or (a third of the time) the blank cell."""
    return st.one_of(values, values, st.just(""))


#: Values the record format takes, combined freely: what is left to refuse is the rules'.
_VALID = st.fixed_dictionaries(
    {},
    optional={
        "birth_date": _DAYS.map(date.isoformat),
        "acquired_date": _DAYS.map(date.isoformat),
        "insured_birth_date": _maybe(_DAYS.map(date.isoformat)),
        "voluntary_until": _maybe(_DAYS.map(date.isoformat)),
        "relationship": st.sampled_from(["本人", "妻", "夫", "長女", "子", "父", "母"]),
        "insured_name": _maybe(st.sampled_from(["山田 太郎", "髙橋 𠮷男"])),
        "membership": st.sampled_from([m.value for m in Membership]),
        "standard_monthly_remuneration": st.integers(58_000, 1_390_000).map(str),
        "base_income_applied": st.sampled_from(["true", "false", ""]),
        "has_myna_card": st.sampled_from(["true", "false"]),
        "certificate_requested": st.sampled_from(["true", "false", ""]),
        "certificate_reason": _maybe(st.sampled_from([r.value for r in CertificateReason])),
        "requested_document": _maybe(st.sampled_from([k.value for k in DocumentKind])),
        "home_postcode": _maybe(st.sampled_from(["100-0013", "1000013"])),
        "home_address": _maybe(st.just("東京都千代田区霞が関一丁目3番2号")),
        "name": st.sampled_from(["試験 太郎", "寿限無" * 8, "髙橋 𠮷男"]),
    },
)
#: At most one column outside the format, so the rest still reaches the rules.
_CORRUPT = st.one_of(
    st.just({}),
    st.fixed_dictionaries(
        {},
        optional={
            "birth_date": st.text(max_size=12),
            "name": st.sampled_from(["\u200b\ufe0f", "寿限無" * 9, "=cmd"]),
            "relationship": st.text(max_size=40),
            "standard_monthly_remuneration": st.sampled_from(["0", "-1", "1e28", "１，０００円"]),
            "membership": st.text(max_size=8),
            "home_postcode": st.text(max_size=10),
        },
    ),
)
_CHANGES = st.builds(lambda valid, corrupt: {**valid, **corrupt}, _VALID, _CORRUPT)


def _documents_or_refusal(
    changes: dict[str, object], insurer: Profile, issue: date, run: RunKind, keys
) -> None:  # type: ignore[no-untyped-def]
    refused = _refusal(changes, insurer, issue, run, keys)
    assert refused is None or refused.record == "T0001"  # names the record
    assert refused is None or refused.field in COLUMNS or refused.field == "issue_date"


def _refusal(
    changes: dict[str, object], insurer: Profile, issue: date, run: RunKind, keys
) -> DataError | None:  # type: ignore[no-untyped-def]
    """None when every document's context was built, else the DataError."""
    try:
        member = parse_record(base_record(**changes), where="line 1")
        facts = decide(member, insurer, issue, run=run)
        for kind in facts.documents:
            SPECS[kind].build(facts, insurer, keys)
    except DataError as error:
        return error
    return None


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    _CHANGES,
    st.sampled_from(sorted(PROFILES)),
    st.dates(date(2024, 12, 2), date(2030, 3, 31)),
    st.sampled_from(list(RunKind)),
)
def test_a_record_gets_its_documents_or_a_data_error(
    keys, changes: dict[str, object], insurer: str, issue: date, run: RunKind
) -> None:  # type: ignore[no-untyped-def]
    _documents_or_refusal(changes, PROFILES[insurer], issue, run, keys)


@pytest.mark.parametrize("run", list(RunKind))
@pytest.mark.parametrize("years", [69, 70, 74, 75])
def test_the_edges_of_70_and_75_for_every_kind_and_profile(keys, run: RunKind, years: int) -> None:  # type: ignore[no-untyped-def]
    issue = date(2025, 12, 1)
    for offset in (-1, 0, 1, 31):
        birth = issue.replace(year=issue.year - years) + timedelta(days=offset)
        for insurer in PROFILES.values():
            _documents_or_refusal({"birth_date": birth.isoformat()}, insurer, issue, run, keys)
