"""Uploads are stored without the individual number, their format told by their bytes."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pytest

from generator.errors import DataError
from generator.records import read_records
from generator.records.scrub import means_my_number, scrub_upload
from tests.conftest import base_record

MY_NUMBER = "123456789012"


def _csv(encoding: str, record: dict[str, object] | None = None) -> bytes:
    record = record or base_record()
    header = ",".join(record)
    row = ",".join(str(v) for v in record.values())
    return f"{header}\r\n{row}\r\n".encode(encoding)


def _jsonl(*values: object) -> bytes:
    return "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in values).encode()


def _scrub(tmp_path: Path, data: bytes) -> Path:
    return scrub_upload(io.BytesIO(data), tmp_path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_a_csv_loses_its_my_number_column_and_keeps_the_rest(tmp_path: Path, encoding: str) -> None:
    target = _scrub(tmp_path, _csv(encoding))
    assert target.name == "input.csv"
    text = target.read_text(encoding="utf-8")
    assert MY_NUMBER not in text
    assert "my_number" not in text
    assert "試験 太郎" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    (member,) = read_records(target)
    assert member.name == "試験 太郎"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "name",
    ["my_number", "My_Number", "my_number ", " MY-NUMBER", "mynumber", "Individual Number",
     "個人番号", "マイナンバー", "ﾏｲﾅﾝﾊﾞｰ", "ｍｙ＿ｎｕｍｂｅｒ", "my_number_2", "my.number"],
)  # fmt: skip
def test_every_spelling_of_the_individual_number_is_dropped(tmp_path: Path, name: str) -> None:
    assert means_my_number(name)
    record = base_record()
    record[name] = record.pop("my_number")
    csv_dir, jsonl_dir = tmp_path / "csv", tmp_path / "jsonl"
    csv_dir.mkdir(), jsonl_dir.mkdir()
    for target in (_scrub(csv_dir, _csv("utf-8", record)), _scrub(jsonl_dir, _jsonl(record))):
        assert MY_NUMBER not in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["insured_number", "branch_number", "has_myna_card", "name"])
def test_the_other_columns_are_not_taken_for_it(name: str) -> None:
    assert not means_my_number(name)


@pytest.mark.parametrize("suffix_hint", [b"", b"\xef\xbb\xbf", b"\n  \n"])
def test_json_lines_are_told_by_their_content(tmp_path: Path, suffix_hint: bytes) -> None:
    nested = base_record(extra={"my_number": MY_NUMBER, "list": [{"マイナンバー": MY_NUMBER}]})
    target = _scrub(tmp_path, suffix_hint + _jsonl(base_record(), nested))
    assert target.name == "input.jsonl"
    text = target.read_text(encoding="utf-8")
    assert MY_NUMBER not in text
    assert "試験 太郎" in text
    assert [type(m).__name__ for m in read_records(target)] == ["Member", "DataError"]


@pytest.mark.parametrize(
    ("line", "field"),
    [("{not json", "(json)"), ('["a", "123456789012"]', "(json)"), ("123456789012", "(json)")],
)
def test_a_line_that_is_not_a_json_object_refuses_the_upload(
    tmp_path: Path, line: str, field: str
) -> None:
    data = _jsonl(base_record()) + b"\n" + line.encode() + b"\n"
    with pytest.raises(DataError) as refused:
        _scrub(tmp_path, data)
    assert (refused.value.record, refused.value.field) == ("line 3", field)
    assert MY_NUMBER not in str(refused.value)
    assert list(tmp_path.iterdir()) == []  # not even a part file


def test_a_json_line_uploaded_as_if_csv_keeps_no_number(tmp_path: Path) -> None:
    # The name the caller gave does not reach the scrubber: only the bytes count.
    target = _scrub(tmp_path, _jsonl(base_record(**{"my_number ": MY_NUMBER})))
    assert target.name == "input.jsonl"
    assert MY_NUMBER not in target.read_text(encoding="utf-8")


def test_cells_past_the_header_are_blanked_and_the_row_still_reported(tmp_path: Path) -> None:
    record = base_record()
    del record["my_number"]
    data = _csv("utf-8", record).rstrip(b"\r\n") + b"," + MY_NUMBER.encode() + b"\r\n"
    target = _scrub(tmp_path, data)
    assert MY_NUMBER not in target.read_text(encoding="utf-8")
    (error,) = read_records(target)
    assert isinstance(error, DataError)
    assert error.field == "(row)"


# Past the first 64 KiB, which decide the encoding (UTF-8 here): the line is named.
_PADDING = 1000


@pytest.mark.parametrize(
    "data",
    [
        _csv("utf-8") + (b"T0002," + b"x" * 100 + b"\r\n") * _PADDING + b"T0003,\x81\xff\r\n",
        _jsonl(*[base_record()] * _PADDING) + b'{"a": "\xff"}\n',
    ],
)
def test_undecodable_text_refuses_the_upload_naming_its_line(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(DataError, match="not valid utf-8-sig text") as refused:
        _scrub(tmp_path, data)
    assert refused.value.record == f"line {_PADDING + (3 if data.startswith(b'record') else 1)}"
    assert list(tmp_path.iterdir()) == []


def test_a_csv_line_the_csv_module_refuses_refuses_the_upload(tmp_path: Path) -> None:
    over = b"x" * (csv.field_size_limit() + 1)
    data = _csv("utf-8") + b'T0002,"' + over + b'"\r\n'
    with pytest.raises(DataError, match="not valid CSV") as refused:
        _scrub(tmp_path, data)
    assert refused.value.record == "line 3"
