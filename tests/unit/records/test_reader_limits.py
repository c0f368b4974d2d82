"""records/reader.py on hostile input: each broken record is its own DataError, the next
record is still read, and nothing else is ever raised."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.domain.models import Member
from generator.errors import DataError
from generator.records.reader import MAX_RECORD_CHARS, detect_encoding, read_records
from generator.records.schema import COLUMNS
from tests.conftest import base_record

HEADER = ",".join(base_record())


def _json(**changes: object) -> str:
    return json.dumps(base_record(**changes), ensure_ascii=False)


def _csv(**changes: object) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(base_record(**changes).values())
    return buffer.getvalue()


def _read(path: Path, data: bytes) -> list[tuple[str, str] | str]:
    """(record, field) of each error and the record_id of each member, in order."""
    path.write_bytes(data)
    return [
        (r.record, r.field) if isinstance(r, DataError) else r.record_id for r in read_records(path)
    ]


HOSTILE_LINES = [
    ('{"record_id": "B", "standard_monthly_remuneration": ' + "9" * 5000 + "}", "(json)"),
    ("[" * 100_000 + "]" * 100_000, "(json)"),
    ('{"a":' * 50_000 + "1" + "}" * 50_000, "(json)"),
    ("[1, 2]", "(json)"),
    ("null", "(json)"),
    ('"a string"', "(json)"),
    ("{not json", "(json)"),
    ("\x00\x01", "(json)"),
    ('{"record_id": "B", "name": "' + "x" * (MAX_RECORD_CHARS + 10) + '"}', "(json)"),
]


@pytest.mark.parametrize(("line", "field"), HOSTILE_LINES)
def test_a_hostile_json_line_is_an_error_named_by_its_line(
    tmp_path: Path, line: str, field: str
) -> None:
    text = "\n".join([_json(record_id="A1"), line, _json(record_id="A2")]) + "\n"
    results = _read(tmp_path / "m.jsonl", text.encode())
    assert results == ["A1", ("line 2", field), "A2"]


def test_undecodable_bytes_are_the_record_s_error_in_the_column_that_holds_them(
    tmp_path: Path,
) -> None:
    bad = _json(record_id="B1").encode().replace("試験".encode(), b"\xff\xfe")
    head = b"\n" * 70_000  # the encoding is told from the file's head: UTF-8 here
    data = b"\n".join([_json(record_id="A1").encode(), head, bad, _json(record_id="A2").encode()])
    assert _read(tmp_path / "m.jsonl", data) == ["A1", ("B1", "name"), "A2"]
    csv_data = (HEADER + "\n" + _csv(record_id="A1")).encode("cp932") + b"B1,\x80\xa0\n"
    csv_data += _csv(record_id="A2").encode("cp932")
    assert _read(tmp_path / "m.csv", csv_data) == ["A1", ("B1", "(row)"), "A2"]
    cp932 = _csv(record_id="B2").encode("cp932").replace("試験".encode("cp932"), b"\x85\x40")
    csv_data = (HEADER + "\n" + _csv(record_id="A1")).encode("cp932") + cp932
    assert _read(tmp_path / "m.csv", csv_data) == ["A1", ("B2", "name")]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (_csv(record_id="B1", name="x" * 200_000), ("B1", "name")),  # over csv's 128 KiB
        ("B2," + "x" * (MAX_RECORD_CHARS + 10) + "\n", ("line 3", "(row)")),
        ("B4,too,few\n", ("B4", "(row)")),
    ],
)
def test_a_hostile_csv_record_is_its_own_error(
    tmp_path: Path, row: str, expected: tuple[str, str]
) -> None:
    text = HEADER + "\n" + _csv(record_id="A1") + row + _csv(record_id="A2")
    results = _read(tmp_path / "m.csv", text.encode())
    assert results == ["A1", expected, "A2"]


def test_a_quoted_field_that_grows_past_the_limit_is_cut_there(tmp_path: Path) -> None:
    row = 'B3,"' + ("y" * 1000 + "\n") * 1100 + '"\n'
    results = _read(tmp_path / "m.csv", (HEADER + "\n" + _csv(record_id="A1") + row).encode())
    # Line 3 holds 1,005 characters and each next one 1,001: line 1050 passes the limit.
    # The rest of the field cannot be told from rows: each line of it is an error, too.
    assert results[:2] == ["A1", ("line 1050", "(row)")]
    assert all(isinstance(r, tuple) for r in results[1:])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
json_lines = st.one_of(
    st.text(max_size=80).filter(lambda s: "\n" not in s and "\r" not in s),
    json_values.map(json.dumps),
    st.builds(
        lambda column, value: json.dumps({**base_record(), column: value}, ensure_ascii=False),
        st.sampled_from(COLUMNS),
        json_values,
    ),
    st.sampled_from([line for line, _ in HOSTILE_LINES[:-1]]),
)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcomes(name: str, data: bytes) -> list[Member | DataError]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return list(read_records(path))


def _decoded(data: bytes) -> io.StringIO:
    """The file's text as the reader sees it: undecodable bytes replaced."""
    encoding = detect_encoding(data[: 64 * 1024])
    return io.StringIO(data.decode(encoding, errors="replace"), newline="")


@PROPERTY
@given(st.lists(json_lines, max_size=6), st.sampled_from(["utf-8", "cp932"]))
def test_json_lines_give_one_outcome_per_line_and_raise_nothing(
    lines: list[str], encoding: str
) -> None:
    data = "\n".join(lines).encode(encoding, errors="replace")
    outcomes = _outcomes("m.jsonl", data)
    expected = sum(1 for line in _decoded(data) if line.strip())
    assert len(outcomes) == expected
    assert all(isinstance(o, Member | DataError) for o in outcomes)


@PROPERTY
@given(st.binary(max_size=300))
def test_json_lines_of_arbitrary_bytes_raise_nothing(data: bytes) -> None:
    outcomes = _outcomes("m.jsonl", data)
    assert len(outcomes) == sum(1 for line in _decoded(data) if line.strip())


csv_bodies = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(str.encode),
    st.text(max_size=200).map(lambda s: s.encode("cp932", errors="replace")),
    st.lists(st.sampled_from([_csv(record_id=f"R{i}") for i in range(3)]), max_size=3).map(
        lambda rows: "".join(rows).encode("cp932")
    ),
)


@PROPERTY
@given(st.lists(csv_bodies, max_size=4), st.sampled_from(["utf-8", "cp932"]))
def test_csv_gives_one_outcome_per_record_and_raises_nothing(
    bodies: list[bytes], encoding: str
) -> None:
    data = (HEADER + "\r\n").encode(encoding) + b"\n".join(bodies)
    outcomes = _outcomes("m.csv", data)
    rows = list(csv.reader(_decoded(data)))[1:]
    assert len(outcomes) == sum(1 for row in rows if any(cell.strip() for cell in row))
    assert all(isinstance(o, Member | DataError) for o in outcomes)
