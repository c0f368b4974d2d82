"""Uploads are stored without the individual number."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from generator.errors import DataError
from generator.records import read_records
from generator.records.scrub import scrub_upload
from tests.conftest import base_record

MY_NUMBER = "123456789012"


def _csv(encoding: str) -> bytes:
    record = base_record()
    header = ",".join(record)
    row = ",".join(str(v) for v in record.values())
    return f"{header}\r\n{row}\r\n".encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_a_csv_loses_its_my_number_column_and_keeps_the_rest(tmp_path: Path, encoding: str) -> None:
    target = tmp_path / "input.csv"
    scrub_upload(io.BytesIO(_csv(encoding)), target, jsonl=False)
    text = target.read_text(encoding="utf-8")
    assert MY_NUMBER not in text
    assert "my_number" not in text
    assert "試験 太郎" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    (member,) = read_records(target)
    assert member.name == "試験 太郎"  # type: ignore[union-attr]


def test_json_lines_lose_the_key_and_keep_lines_that_are_not_json(tmp_path: Path) -> None:
    target = tmp_path / "input.jsonl"
    lines = json.dumps(base_record(), ensure_ascii=False) + "\n{not json\n"
    scrub_upload(io.BytesIO(lines.encode()), target, jsonl=True)
    text = target.read_text(encoding="utf-8")
    assert MY_NUMBER not in text
    assert text.splitlines()[1] == "{not json"


def test_undecodable_text_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not valid"):
        scrub_upload(
            io.BytesIO(_csv("utf-8") + b"\x81\x00\xff\xfe"), tmp_path / "x.csv", jsonl=False
        )
