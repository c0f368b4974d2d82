"""The public facade exports exactly what it means to."""

from __future__ import annotations

import generator


def test_exports() -> None:
    assert sorted(generator.__all__) == generator.__all__
    for name in generator.__all__:
        assert hasattr(generator, name)
    assert issubclass(generator.DataError, generator.GeneratorError)
    assert issubclass(generator.ConversionTimeoutError, generator.ConversionError)


def test_data_error_names_record_and_field() -> None:
    error = generator.DataError("R1", "birth_date", "is missing")
    assert str(error) == "record R1, field birth_date: is missing"
