"""outputs.py: owner-only files, written whole or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.outputs import write_private


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
