"""Reading member files: CSV (UTF-8 with or without BOM, or CP932) and JSON Lines.

Records stream one at a time, so memory does not grow with the file. Each input record
comes out either as a ``Member`` or as the ``DataError`` that names it: nothing is dropped,
and no record stops the others, however it is broken (bytes that are not text, a record over
the size limit, a JSON number of thousands of digits, nesting past the recursion limit).
Only a file that cannot be opened, or a CSV without a record_id column, fails whole.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol, TextIO

from generator.domain.models import Member
from generator.errors import DataError
from generator.records.schema import COLUMNS, DISCARDED, parse_record, record_name

#: Enough of the head of a file to tell UTF-8 from CP932.
_SNIFF_BYTES = 64 * 1024
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
FILE = "(file)"
#: The most characters one record takes (all its lines, for a CSV record with quoted line
#: breaks). A member's record is well under 2,000; a longer one is that record's error and
#: is skipped, never held. csv's field limit (128 KiB by default) is raised to it, so that
#: this limit is always the one met.
MAX_RECORD_CHARS = 1024 * 1024
#: Bytes that are not text in the file's encoding are read as U+FFFD: a record holding one
#: is that record's error, and the lines around it are read on.
_UNDECODABLE = "\ufffd"


def detect_encoding(head: bytes) -> str:
    """``utf-8-sig`` when the head decodes as UTF-8 (BOM or not), else ``cp932``."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if codecs.BOM_UTF8.startswith(head) and head:
        return "utf-8"  # a file of a BOM's first bytes only: utf-8-sig would drop them unread
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
        return path.open(encoding=encoding, errors="replace", newline="")
    except OSError as exc:
        raise DataError(path.name, FILE, f"cannot be read: {exc.strerror}") from None


class _Lines:
    """The file's lines for one record at a time: ``held`` counts the record's characters
    (reset per record); a line that takes it past the limit is skipped to its end and is the
    record's DataError (raised through csv's reader, which passes it on), in ``field``."""

    def __init__(self, handle: TextIO, field: str) -> None:
        self._handle = handle
        self._field = field
        self.number = 0
        self.held = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._handle.readline(MAX_RECORD_CHARS + 1)
        if not line:
            raise StopIteration
        self.number += 1
        self.held += len(line)
        if self.held > MAX_RECORD_CHARS:
            while line and not line.endswith(("\n", "\r")):
                line = self._handle.readline(MAX_RECORD_CHARS)
            message = f"is longer than {MAX_RECORD_CHARS:,} characters"
            raise DataError(f"line {self.number}", self._field, message)
        return line


Row = tuple[str, Mapping[str, object] | DataError]


def iter_rows(path: Path, encoding: str | None = None) -> Iterator[Row]:
    """Raw rows with where they stand (``line N``), from CSV or JSON Lines by the suffix; a
    record that cannot be read as a row comes as its DataError."""
    handle = _open_text(path, encoding)
    with handle:
        if path.suffix.lower() in _JSONL_SUFFIXES:
            yield from _jsonl_rows(_Lines(handle, "(json)"), handle.encoding)
        else:
            yield from _csv_rows(_Lines(handle, "(row)"), handle.encoding)


def _undecodable(row: Mapping[str, object], where: str, encoding: str) -> DataError | None:
    """The error of a row whose columns hold bytes that were not ``encoding`` text."""
    for column in COLUMNS:
        value = row.get(column)
        if column not in DISCARDED and isinstance(value, str) and _UNDECODABLE in value:
            name = "UTF-8" if encoding.startswith("utf-8") else encoding.upper()
            return DataError(record_name(row, where), column, f"is not valid {name} text")
    return None


def _csv_rows(lines: _Lines, encoding: str) -> Iterator[Row]:
    csv.field_size_limit(MAX_RECORD_CHARS)  # process-wide, and as bounded as a record
    reader = csv.reader(lines)
    try:
        header = [cell.strip().lstrip("\ufeff") for cell in next(reader, [])]
    except (DataError, csv.Error):
        header = []
    if "record_id" not in header:
        raise DataError("(header)", "record_id", "the file has no record_id column")
    while True:
        lines.held = 0
        try:
            cells = next(reader)
        except StopIteration:
            return
        except DataError as error:
            yield error.record, error
            continue
        except csv.Error:  # csv's own messages could quote the row: not repeated
            yield f"line {lines.number}", DataError(f"line {lines.number}", "(row)", "is not CSV")
            continue
        where = f"line {lines.number}"
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(header, cells, strict=False))
        if len(cells) != len(header):
            message = "has a different number of cells than the header"
            yield where, DataError(record_name(row, where), "(row)", message)
            continue
        yield where, _undecodable(row, where, encoding) or row


def _jsonl_rows(lines: _Lines, encoding: str) -> Iterator[Row]:
    while True:
        lines.held = 0
        try:
            line = next(lines)
        except StopIteration:
            return
        except DataError as error:
            yield error.record, error
            continue
        where = f"line {lines.number}"
        if not line.strip():
            continue
        value = _json_object(line)
        if isinstance(value, str):
            yield where, DataError(where, "(json)", value)
            continue
        yield where, _undecodable(value, where, encoding) or value


def _json_object(line: str) -> dict[str, object] | str:
    """The line's JSON object, or what is wrong with the line."""
    try:
        value = json.loads(line)
    except RecursionError:
        return "is nested too deeply"
    except json.JSONDecodeError:
        return "is not JSON"
    except ValueError:  # Python refuses integers of more than 4,300 digits
        return "holds a number too long to read"
    return value if isinstance(value, dict) else "is not a JSON object"


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
        if isinstance(row, DataError):
            yield row
            continue
        try:
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
    except (OSError, UnicodeDecodeError, RecursionError, ValueError) as exc:
        raise DataError(path.name, FILE, f"is not a readable JSON file: {exc}") from None
    if not isinstance(value, dict):
        raise DataError(path.name, FILE, "does not hold one JSON object")
    return parse_record(value, where=path.name)
