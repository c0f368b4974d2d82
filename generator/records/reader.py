"""Reading member files: CSV (UTF-8 with or without BOM, or CP932) and JSON Lines.

Records stream one at a time, so memory does not grow with the file. Each input record
comes out either as a ``Member`` or as the ``DataError`` that names it: nothing is dropped.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Protocol, TextIO

from generator.domain.models import Member
from generator.errors import DataError
from generator.records.schema import parse_record

#: Enough of the head of a file to tell UTF-8 from CP932.
_SNIFF_BYTES = 64 * 1024
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
FILE = "(file)"


def detect_encoding(head: bytes) -> str:
    """``utf-8-sig`` when the head decodes as UTF-8 (BOM or not), else ``cp932``."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8-sig"


def _open_text(path: Path, encoding: str | None) -> TextIO:
    try:
        if encoding is None:
            with path.open("rb") as raw:
                encoding = detect_encoding(raw.read(_SNIFF_BYTES))
        return path.open(encoding=encoding, newline="")
    except OSError as exc:
        raise DataError(path.name, FILE, f"cannot be read: {exc.strerror}") from None


Row = tuple[str, Mapping[str, object]]


def iter_rows(path: Path, encoding: str | None = None) -> Iterator[Row]:
    """Raw rows with where they stand (``line N``), from CSV or JSON Lines by the suffix."""
    handle = _open_text(path, encoding)
    try:
        with handle:
            if path.suffix.lower() in _JSONL_SUFFIXES:
                yield from _jsonl_rows(handle)
            else:
                yield from _csv_rows(handle)
    except UnicodeDecodeError:
        raise DataError(path.name, FILE, f"is not valid {handle.encoding} text") from None


def _csv_rows(handle: IO[str]) -> Iterator[Row]:
    reader = csv.reader(handle)
    header = [cell.strip().lstrip("\ufeff") for cell in next(reader, [])]
    if "record_id" not in header:
        raise DataError("(header)", "record_id", "the file has no record_id column")
    for cells in reader:
        where = f"line {reader.line_num}"
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            row = dict(zip(header, cells, strict=False))
            yield where, {"record_id": row.get("record_id", ""), "(row)": len(cells)}
            continue
        yield where, dict(zip(header, cells, strict=True))


def _jsonl_rows(handle: IO[str]) -> Iterator[Row]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            value = None
        yield f"line {number}", value if isinstance(value, dict) else {"(json)": line}


def _check_shape(row: Mapping[str, object], where: str) -> None:
    record = str(row.get("record_id") or where).strip() or where
    if "(row)" in row:
        raise DataError(record, "(row)", "has a different number of cells than the header")
    if "(json)" in row:
        raise DataError(record, "(json)", "is not a JSON object")


class SeenIds(Protocol):
    """The record_ids read so far (読込済みの記録ID): a set in memory by default; a bulk run
    keeps them in its SQLite state, so that they do not grow its memory with the file."""

    def add(self, record_id: str) -> bool:
        """Note ``record_id``; False when it was noted before."""
        ...


class _InMemory:
    def __init__(self) -> None:
        self._ids: set[str] = set()

    def add(self, record_id: str) -> bool:
        if record_id in self._ids:
            return False
        self._ids.add(record_id)
        return True


def read_records(
    path: str | Path, *, encoding: str | None = None, seen: SeenIds | None = None
) -> Iterator[Member | DataError]:
    """Every record of a member file, parsed, or the error that names it.

    A record_id seen before in the same file (in ``seen``) is an error for the later record.
    """
    seen = seen if seen is not None else _InMemory()
    for where, row in iter_rows(Path(path), encoding):
        try:
            _check_shape(row, where)
            member = parse_record(row, where=where)
        except DataError as error:
            yield error
            continue
        if not seen.add(member.record_id):
            yield DataError(member.record_id, "record_id", f"is not unique ({where})")
            continue
        yield member


def load_record(path: str | Path) -> Member:
    """One record from a JSON file holding one object (for ``explain`` and ``render``)."""
    path = Path(path)
    try:
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(path.name, FILE, f"is not a readable JSON file: {exc}") from None
    if not isinstance(value, dict):
        raise DataError(path.name, FILE, "does not hold one JSON object")
    return parse_record(value, where=path.name)
