"""Uploads kept without the individual number (マイナンバーを保存しない).

A member file sent to the service is stored for its run; before it touches the disk the
``my_number`` column (CSV) or key (JSON Lines) is removed, so the number is never stored.
Everything else, including rows that are wrong, is kept as it was: the run reports those.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import BinaryIO, TextIO

from generator.errors import DataError
from generator.outputs import private_text
from generator.records.reader import _SNIFF_BYTES, FILE, detect_encoding
from generator.records.schema import DISCARDED


def scrub_upload(source: BinaryIO, target: Path, *, jsonl: bool) -> None:
    """Copy ``source`` to ``target`` (UTF-8, owner-only) without the discarded fields."""
    head = source.read(_SNIFF_BYTES)
    encoding = detect_encoding(head)
    stream = io.BufferedReader(_Prefixed(head, source))  # type: ignore[type-var]
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    try:
        with private_text(target) as out:
            if jsonl:
                for line in text:
                    out.write(_scrub_line(line))
            else:
                _scrub_csv(text, out)
    except UnicodeDecodeError:
        raise DataError("(upload)", FILE, f"is not valid {encoding} text") from None


def _scrub_line(line: str) -> str:
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return line if line.endswith("\n") else line + "\n"
    if isinstance(value, dict):
        for name in DISCARDED:
            value.pop(name, None)
    return json.dumps(value, ensure_ascii=False) + "\n"


def _scrub_csv(text: io.TextIOWrapper, out: TextIO) -> None:
    reader = csv.reader(text)
    writer = csv.writer(out, lineterminator="\n")
    header = next(reader, [])
    drop = {i for i, name in enumerate(header) if name.strip().lstrip("\ufeff") in DISCARDED}
    writer.writerow(cell for i, cell in enumerate(header) if i not in drop)
    for cells in reader:
        writer.writerow(cell for i, cell in enumerate(cells) if i not in drop)


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
