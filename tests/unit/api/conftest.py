"""The service's app as the routes see it, built without its lifespan: no LibreOffice
is started and no run is executed, so uploads stay on disk as they were stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from generator.api import Settings, create_app
from tests.conftest import PROFILES

KEY = "unit-test-key-0123456789"
AUTH = {"X-API-Key": KEY}


def make_app(data_dir: Path) -> FastAPI:
    return create_app(Settings(api_keys=KEY, profiles_dir=PROFILES, data_dir=data_dir))  # type: ignore[arg-type]


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path / "var")


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)
