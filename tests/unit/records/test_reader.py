"""records/reader.py: CSV in UTF-8, UTF-8 with BOM and CP932; JSON Lines; nothing lost."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from generator.domain.models import Member
from generator.errors import DataError
from generator.records.reader import detect_encoding, load_record, read_records
from generator.records.schema import COLUMNS
from tests.conftest import SAMPLE, base_record


def _csv_text(rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS[:-1]), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: v for k, v in row.items() if k in COLUMNS[:-1]})
    return buffer.getvalue()


ROWS = [
    base_record(),
    base_record(record_id="T0002", name="髙橋 花子", name_kana="ﾀｶﾊｼ ﾊﾅｺ", sex="女"),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(_csv_text(ROWS).encode(encoding))
    members = list(read_records(path))
    assert all(isinstance(m, Member) for m in members)
    assert [m.name for m in members if isinstance(m, Member)] == ["試験 太郎", "髙橋 花子"]
    assert [m.name_kana for m in members if isinstance(m, Member)][1] == "タカハシ ハナコ"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xef\xbb\xbfrecord_id", "utf-8-sig"),
        (b"\xef", "utf-8"),  # a lone BOM prefix is read (as one undecodable record), not dropped
        ("氏名".encode(), "utf-8-sig"),
        ("氏名".encode("cp932"), "cp932"),
        ("氏名".encode()[:-1], "utf-8-sig"),  # a character cut at the end of the head
    ],
)
def test_detect_encoding(head: bytes, expected: str) -> None:
    assert detect_encoding(head) == expected


def test_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "members.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in ROWS]
    path.write_text("\n".join([lines[0], "", lines[1], "not json", "[1]"]) + "\n", encoding="utf-8")
    results = list(read_records(path))
    assert [type(r) for r in results] == [Member, Member, DataError, DataError]
    assert isinstance(results[2], DataError)
    assert (results[2].record, results[2].field) == ("line 4", "(json)")


def test_every_record_comes_out_once(tmp_path: Path) -> None:
    rows = [
        base_record(record_id="A1"),
        base_record(record_id="A2", birth_date="bad"),
        base_record(record_id="A1"),
        base_record(record_id="A3"),
    ]
    path = tmp_path / "members.csv"
    text = _csv_text(rows) + "A4,too,few,cells\r\n\r\n"
    path.write_text(text, encoding="utf-8")
    results = list(read_records(path))
    assert len(results) == 5
    errors = [(r.record, r.field) for r in results if isinstance(r, DataError)]
    assert errors == [("A2", "birth_date"), ("A1", "record_id"), ("A4", "(row)")]


def test_a_file_without_record_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("name,birth_date\n山田,1980-01-01\n", encoding="utf-8")
    with pytest.raises(DataError, match="no record_id column"):
        list(read_records(path))


def test_undecodable_records_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(_csv_text(ROWS).encode("cp932"))
    errors = list(read_records(path, encoding="utf-8"))  # each record its own error
    assert [(e.record, e.field) for e in errors if isinstance(e, DataError)] == [
        ("T0001", "employer_name"),
        ("T0002", "employer_name"),
    ]
    assert all("not valid UTF-8" in str(e) for e in errors)
    with pytest.raises(DataError, match="cannot be read"):
        list(read_records(tmp_path / "absent.csv"))


def test_load_record(tmp_path: Path) -> None:
    member = load_record(SAMPLE / "record-elderly.json")
    assert member.record_id == "J0001"
    bad = tmp_path / "r.json"
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(DataError, match="one JSON object"):
        load_record(bad)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match="readable JSON"):
        load_record(bad)


def test_the_committed_sample_is_valid() -> None:
    results = list(read_records(SAMPLE / "members.csv"))
    assert results
    assert all(isinstance(r, Member) for r in results)
