"""outputs.private_dirs: every folder a run makes is 0700, its parents too, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from generator.outputs import private_dirs, write_private


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o277])
def test_missing_folders_are_made_owner_only(tmp_path: Path, mask: int) -> None:
    previous = os.umask(mask)
    try:
        write_private(tmp_path / "out" / "deliveries" / "a.pdf", b"%PDF-1.7")
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "out") == 0o700
    assert _mode(tmp_path / "out" / "deliveries") == 0o700
    assert _mode(tmp_path / "out" / "deliveries" / "a.pdf") == 0o600


def test_a_folder_that_exists_keeps_its_mode(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    private_dirs(shared / "run")
    assert _mode(shared) == 0o755
    assert _mode(shared / "run") == 0o700


def test_a_file_in_the_way_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(FileExistsError):
        private_dirs(tmp_path / "file" / "run")
