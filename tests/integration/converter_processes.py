"""The converter's processes as /proc shows them: found by the pipe name their command line
carries (``hdg-PID-N``, PID the pool's process), or by the group an agent leads."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def _read(pid: int, name: str) -> bytes:
    try:
        return (Path("/proc") / str(pid) / name).read_bytes()
    except OSError:  # ended meanwhile
        return b""


def _pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    stat = _read(pid, "stat")
    return bool(stat) and stat.rpartition(b")")[2].split()[0] != b"Z"


def of_pool(pool_pid: int) -> list[int]:
    """The live agents, oosplash and soffice.bin processes of the pool in ``pool_pid``."""
    mark = f"name=hdg-{pool_pid}-".encode()  # in each one's --accept (the agent passes it on)
    return [pid for pid in _pids() if mark in _read(pid, "cmdline") and _alive(pid)]


def soffice_bin(group: int) -> int:
    """The soffice.bin in the process group an agent leads."""
    for pid in _pids():
        if _read(pid, "comm").strip() == b"soffice.bin" and _group(pid) == group and _alive(pid):
            return pid
    raise AssertionError(f"no soffice.bin in group {group}")


def soffice_bins_in(home: Path) -> list[int]:
    """The live soffice.bin processes whose home (a pool worker's folder) is ``home``."""
    return [
        pid
        for pid in _pids()
        if _read(pid, "comm").strip() == b"soffice.bin"
        and environment(pid).get("HOME") == str(home)
        and _alive(pid)
    ]


def _group(pid: int) -> int:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return -1


def environment(pid: int) -> dict[str, str]:
    """The environment ``pid`` was started with."""
    pairs = (item.partition(b"=") for item in _read(pid, "environ").split(b"\0") if item)
    return {name.decode(): value.decode(errors="replace") for name, _, value in pairs}


def wait_for(condition: Callable[[], bool], what: str, limit: float = 30.0) -> None:
    """Poll ``condition`` until it holds; fail with ``what`` past ``limit`` seconds (a
    ceiling for a stuck test, not a measurement)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(what)
        time.sleep(0.02)
