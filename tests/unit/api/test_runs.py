"""POST /v1/runs stores the upload without the individual number, told by its content,
refuses what it cannot read without leaving anything, and keeps its files owner-only."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import base_record
from tests.unit.api.conftest import AUTH

MY_NUMBER = "123456789012"
FORM = {"profile": "kenpo-fy3", "issue_date": "2025-12-01", "kind": "enrolment"}


def _upload(client: TestClient, name: str, data: bytes) -> tuple[int, dict[str, object]]:
    answer = client.post(
        "/v1/runs", files={"records": (name, data, "text/plain")}, data=FORM, headers=AUTH
    )
    return answer.status_code, answer.json()


def _on_disk(root: Path) -> Iterator[tuple[Path, bytes]]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes()


def _jsonl(*records: dict[str, object]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def _csv(record: dict[str, object]) -> bytes:
    return (",".join(record) + "\n" + ",".join(map(str, record.values())) + "\n").encode()


@pytest.mark.parametrize(
    ("name", "data", "stored"),
    [
        ("members.csv", _jsonl(base_record()), "input.jsonl"),
        ("members.txt", _jsonl(base_record(**{"my_number ": MY_NUMBER})), "input.jsonl"),
        ("members.jsonl", _csv(base_record()), "input.csv"),
        ("members.txt", _csv({"My_Number": MY_NUMBER, **base_record()}), "input.csv"),
        ("members.csv", _csv({"マイナンバー": MY_NUMBER, **base_record()}), "input.csv"),
    ],
)
def test_the_number_never_reaches_the_disk_whatever_the_name(
    client: TestClient, tmp_path: Path, name: str, data: bytes, stored: str
) -> None:
    status, body = _upload(client, name, data)
    assert status == 202
    stored_file = tmp_path / "var" / "runs" / str(body["id"]) / stored
    assert b"T0001" in stored_file.read_bytes()
    for path, content in _on_disk(tmp_path):
        assert MY_NUMBER.encode() not in content, path


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (_jsonl(base_record()) + b'{"my_number": "123456789012", broken\n', "line 2"),
        (_jsonl(base_record()) + b'["T0002", "123456789012"]\n', "line 2"),
        (b"\n" + _jsonl(base_record()) + b"123456789012\n", "line 3"),
    ],
)
def test_an_upload_with_a_line_it_cannot_read_is_refused_and_leaves_nothing(
    client: TestClient, tmp_path: Path, data: bytes, line: str
) -> None:
    status, body = _upload(client, "members.jsonl", data)
    assert status == 422
    assert body["record"] == line
    assert line in str(body["message"])
    assert list((tmp_path / "var" / "runs").iterdir()) == []  # no empty runs/ID either
    for path, content in _on_disk(tmp_path):
        assert MY_NUMBER.encode() not in content, path


@pytest.fixture
def open_umask() -> Iterator[None]:
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


@pytest.mark.usefixtures("open_umask")
def test_what_the_service_writes_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    from tests.unit.api.conftest import make_app

    client = TestClient(make_app(tmp_path / "var"))
    status, body = _upload(client, "members.csv", _csv(base_record()))
    assert status == 202
    written = [tmp_path / "var", *sorted((tmp_path / "var").rglob("*"))]
    assert {p.name for p in written} >= {"runs.sqlite", "runs", str(body["id"]), "input.csv"}
    for path in written:
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
