"""The public facade exports exactly what it means to."""

from __future__ import annotations

from datetime import date, datetime

import pytest

import generator
from generator import errors
from generator.domain.facility_token import KeyRing
from generator.render.convert.base import FakeConverter
from tests.conftest import KEYS_FILE, PROFILES, base_record

#: What another system may import from ``generator``: a name added or gone is a decision.
EXPORTS = [
    # Run a batch, render one document, decide one member's facts.
    "run_batch", "RunConfig", "RunKind", "render_pdf", "Renderer", "decide", "MemberFacts",
    # Read records and profiles.
    "read_records", "load_record", "parse_record", "Member", "load_profile", "Profile",
    "DocumentKind",
    # The error tree, whole.
    "GeneratorError", "DataError", "ProfileError", "TemplateError", "ConversionError",
    "ConversionTimeoutError", "ConverterUnavailableError", "QueueFullError", "OutputError",
    "DistributedError", "TokenError", "FolderInUseError",
]  # fmt: skip


def test_the_facade_exports_exactly_its_names() -> None:
    assert sorted(generator.__all__) == generator.__all__ == sorted(EXPORTS)
    assert all(getattr(generator, name) is not None for name in EXPORTS)


def test_every_error_of_the_tree_is_exported_and_under_its_root() -> None:
    tree = {
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.GeneratorError)
    }
    assert {getattr(generator, name) for name in EXPORTS if name.endswith("Error")} == tree
    assert issubclass(generator.ConversionTimeoutError, generator.ConversionError)


def test_data_error_names_record_and_field() -> None:
    error = generator.DataError("R1", "birth_date", "is missing")
    assert str(error) == "record R1, field birth_date: is missing"


def _call(**changes: object) -> bytes:
    """``render_pdf`` as another system writes it, with one argument changed."""
    arguments: dict[str, object] = {
        "kind": "qualification-notice",
        "record": base_record(),
        "profile": PROFILES / "kenpo-fy3.toml",
        "issue_date": "2025-12-01",
    }
    arguments.update(changes)
    return generator.render_pdf(  # type: ignore[arg-type]
        *arguments.values(),
        keys=KeyRing.parse(KEYS_FILE.read_text(encoding="utf-8")),
        converter=FakeConverter(),
    )


def test_render_pdf_takes_an_iso_date_as_a_caller_writes_it() -> None:
    assert _call() == _call(issue_date=date(2025, 12, 1))


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"issue_date": 20251201}, generator.DataError, "issue_date"),
        ({"issue_date": "2025/12/01"}, generator.DataError, "issue_date"),
        ({"issue_date": datetime(2025, 12, 1, 9)}, generator.DataError, "issue_date"),
        ({"kind": "health-insurance-card"}, generator.DataError, "kind"),
        ({"kind": 3}, generator.DataError, "kind"),
        ({"record": ["R1"]}, generator.DataError, "record"),
        ({"profile": 42}, generator.ProfileError, "profile"),
    ],
)
def test_a_wrong_argument_is_named_at_the_facade(
    changes: dict[str, object], error: type[generator.GeneratorError], field: str
) -> None:
    with pytest.raises(error) as caught:
        _call(**changes)
    assert field in (getattr(caught.value, "field", None), getattr(caught.value, "key", None))
