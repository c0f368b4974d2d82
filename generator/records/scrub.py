"""Uploads kept without the individual number (マイナンバーを保存しない).

A member file sent to the service is stored for its run. Before it touches the disk its
format is told from its bytes, never from its name (first non-blank character ``{`` or
``[``: JSON Lines, else CSV), and every CSV column or JSON key, at any depth, whose name
means the individual number (``means_my_number``) is removed.

A line that cannot be read for certain (bytes that are not text in the file's encoding,
a line that is not JSON, a JSON line that is not an object, a CSV line the csv module
refuses) refuses the whole upload with a DataError naming the line: such a line could hold
the number under any name, so it is never stored as it is. Rows that parse but are wrong are
kept: the run reports those.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from generator.errors import DataError
from generator.outputs import private_text
from generator.records.reader import _SNIFF_BYTES, FILE, detect_encoding
from generator.records.schema import means_my_number

#: The names an upload is stored under: the bulk reader tells the format by the suffix.
JSONL_NAME, CSV_NAME = "input.jsonl", "input.csv"
JSON_FIELD = "(json)"

# A lone CR ends a line too, as in a text file opened with newline="".
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def scrub_upload(source: BinaryIO, folder: Path) -> Path:
    """Store ``source`` in ``folder`` (UTF-8, owner-only) without the individual number;
    the stored file, ``input.jsonl`` or ``input.csv`` by its content.

    DataError naming the line when a line cannot be read; nothing is then written.
    """
    head = source.read(_SNIFF_BYTES)
    encoding = detect_encoding(head)
    target = folder / (JSONL_NAME if _starts_as_json(head, encoding) else CSV_NAME)
    stream = io.BufferedReader(_Prefixed(head, source))  # type: ignore[type-var]
    lines = _lines(stream, encoding)
    with private_text(target) as out:
        if target.name == JSONL_NAME:
            _scrub_jsonl(lines, out)
        else:
            _scrub_csv(lines, out)
    return target


def _starts_as_json(head: bytes, encoding: str) -> bool:
    # Only the first character counts; a bad byte further on is refused with its line.
    text = head.decode(encoding, errors="replace").lstrip(" \t\r\n\u3000\ufeff")
    return text[:1] in ("{", "[")


def _lines(stream: Iterable[bytes], encoding: str) -> Iterator[tuple[int, str]]:
    """Each line decoded, with its number (1-based)."""
    number = 0
    for raw in stream:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise DataError(f"line {number + 1}", FILE, f"is not valid {encoding} text") from None
        for line in _LONE_CR.split(text):
            if line:
                number += 1
                yield number, line


def _scrub_jsonl(lines: Iterator[tuple[int, str]], out: TextIO) -> None:
    for number, line in lines:
        if not line.strip():
            out.write("\n")  # kept, so that the run's "line N" is the upload's line N
            continue
        try:
            value = json.loads(line)
            if not isinstance(value, dict):
                raise DataError(f"line {number}", JSON_FIELD, "is not a JSON object")
            out.write(json.dumps(_without_my_number(value), ensure_ascii=False) + "\n")
        except (json.JSONDecodeError, RecursionError):
            raise DataError(f"line {number}", JSON_FIELD, "is not valid JSON") from None


def _without_my_number(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_my_number(v) for k, v in value.items() if not means_my_number(k)}
    if isinstance(value, list):
        return [_without_my_number(item) for item in value]
    return value


def _scrub_csv(lines: Iterator[tuple[int, str]], out: TextIO) -> None:
    at = [0]  # the line being read, for a csv.Error to name

    def texts() -> Iterator[str]:
        for at[0], line in lines:
            yield line

    reader = csv.reader(texts())
    writer = csv.writer(out, lineterminator="\n")
    try:
        header = next(reader, [])
        drop = {i for i, name in enumerate(header) if means_my_number(name)}
        writer.writerow(cell for i, cell in enumerate(header) if i not in drop)
        for cells in reader:
            # A cell past the header has no name to judge: blanked, so that it is not
            # stored, and still counted, so that the run reports the row as misshapen.
            kept = [c if i < len(header) else "" for i, c in enumerate(cells) if i not in drop]
            writer.writerow(kept)
    except csv.Error:
        raise DataError(f"line {at[0]}", FILE, "is not valid CSV") from None


class _Prefixed(io.RawIOBase):
    """The sniffed head, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size], self._head = self._head[:size], self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
