"""api/schemas.py: the OpenAPI schema publishes the record format itself."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from generator.records.columns import COLUMNS


def _record(app: FastAPI) -> dict[str, Any]:
    schemas = app.openapi()["components"]["schemas"]
    record: dict[str, Any] = schemas["DocumentRequest"]["properties"]["record"]
    return record


def test_every_column_is_published_with_its_type_and_limits(app: FastAPI) -> None:
    record = _record(app)
    assert record["type"] == "object"
    assert set(record["properties"]) == set(COLUMNS)
    assert "my_number" not in record["properties"]
    assert {"record_id", "name", "birth_date", "membership"} <= set(record["required"])
    name = record["properties"]["name"]
    assert (name["type"], name["maxLength"]) == ("string", 50)
    assert record["properties"]["birth_date"]["format"] == "date"
    assert record["properties"]["branch_number"]["pattern"]
    assert all(column["description"] for column in record["properties"].values())
