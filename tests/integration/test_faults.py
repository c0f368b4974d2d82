"""Faults injected into a real bulk run (``python -m generator run``): LibreOffice killed at
random moments, the output folder's disk full. Each run ends with every record accounted
for exactly once, in an unbroken run's bytes, or with a clear error and a state that
``--resume`` completes. (The broker restarted mid-run: ``test_distributed``.)"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures.generate import members, write
from tests.conftest import KEYS_FILE, PROFILES, ROOT
from tests.integration.converter_processes import _read, of_pool, wait_for

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def member_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "members.csv"
    write(members(80, seed=11, bad_share=0.05), path, "utf-8")
    return path


def _command(member_file: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "generator", "run", str(member_file),
        "--profile", str(PROFILES / "kenpo-fy3.toml"), "--issue-date", "2025-12-01",
        "--kind", "enrolment", "--out", str(out), "--facility-keys", str(KEYS_FILE),
        "--workers", "2", *extra,
    ]  # fmt: skip


def _outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def unbroken(member_file: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("unbroken") / "out"
    subprocess.run(_command(member_file, out), check=True, cwd=ROOT, capture_output=True)
    return _outputs(out)


def _soffice_bins(run_pid: int) -> list[int]:
    return [pid for pid in of_pool(run_pid) if _read(pid, "comm").strip() == b"soffice.bin"]


@pytest.mark.parametrize("seed", [1, 2])
def test_soffice_killed_at_random_moments_costs_no_record_and_no_byte(
    member_file: Path, unbroken: dict[str, bytes], tmp_path: Path, seed: int
) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        _command(member_file, out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    chance, killed = random.Random(seed), []

    def kill_at_random() -> None:
        while len(killed) < 5 and process.poll() is None:
            time.sleep(chance.uniform(0.3, 1.5))
            running = _soffice_bins(process.pid)
            if running:
                victim = chance.choice(sorted(running))
                with contextlib.suppress(ProcessLookupError):
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)

    killer = threading.Thread(target=kill_at_random)
    killer.start()
    _, stderr = process.communicate(timeout=600)
    killer.join()
    assert process.returncode == 0, stderr.decode()
    assert len(killed) >= 2, "the run ended before the faults it was meant to meet"
    assert _outputs(out) == unbroken
    wait_for(lambda: not of_pool(process.pid), "converter processes outlived the run")


@contextlib.contextmanager
def _small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` at ``folder``: a disk that fills. Needs mount (root, or a
    container allowed it); skipped where the machine refuses."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=False)


@pytest.mark.parametrize(
    "size",
    ["40k", "600k", "2000k"],
    ids=["full-before-the-state", "full-while-converting", "full-while-writing"],
)
def test_a_full_disk_stops_the_run_clearly_and_resume_completes_it(
    member_file: Path, unbroken: dict[str, bytes], tmp_path: Path, size: str
) -> None:
    with _small_disk(tmp_path / "disk", size) as disk:
        out = disk / "out"
        command = _command(member_file, out)
        full = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        assert full.returncode == 1
        assert "OutputError: cannot write" in full.stderr
        assert "No space left on device" in full.stderr or "disk is full" in full.stderr
        assert "Traceback" not in full.stderr
        assert not (out / "manifest.json").exists()  # no run that looks whole
        # No partial file, and no LibreOffice lock file (.~lock.NAME#) beside an export.
        leftovers = [p.name for p in out.rglob("*") if ".part" in p.name or ".~lock" in p.name]
        assert leftovers == []
        resumable = "--resume continues the run" in full.stderr
        assert resumable == (out / ".work").is_dir()
        # Room made, the operator does what the message says.
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        again = _command(member_file, out, *(["--resume"] if resumable else []))
        subprocess.run(again, cwd=ROOT, check=True, capture_output=True)
        assert _outputs(out) == unbroken
