"""outputs.py: owner-only files, written whole or not at all."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.outputs import inside, private_binary, write_private


def test_files_are_owner_only_even_under_a_lax_umask(tmp_path: Path) -> None:
    previous = os.umask(0o000)
    try:
        target = tmp_path / "deliveries" / "a.pdf"
        write_private(target, b"%PDF-1.7")
    finally:
        os.umask(previous)
    assert target.read_bytes() == b"%PDF-1.7"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert list(target.parent.iterdir()) == [target]


def test_an_unwritable_place_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(OutputError, match="cannot write"):
        write_private(blocker / "a.pdf", b"x")


def _fresh(text: str) -> str:
    """An equal string that is a new object, not the interned literal."""
    return "".join(list(text))


def test_a_delivery_s_file_name_is_not_interned_while_it_is_written(tmp_path: Path) -> None:
    """pathlib (Python 3.11) interns every part of a path it parses: a run's thousands of
    file names each took a slot in the interpreter's table until it doubled (~1 MiB)."""
    name = _fresh("000001_1000005_E00016.pdf")
    with private_binary(inside(tmp_path / "deliveries", name)) as handle:
        handle.write(b"%PDF-1.7")
        for part in (name, f".{name}.part"):
            probe = _fresh(part)
            assert sys.intern(probe) is probe  # no equal string was interned on the way
    assert (tmp_path / "deliveries" / name).read_bytes() == b"%PDF-1.7"
