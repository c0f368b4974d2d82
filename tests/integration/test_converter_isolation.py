"""The converter keeps to itself: its processes die with the run that started them, see no
secret, and its files are owner-only and gone after each conversion and with the pool."""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures.generate import members, write
from generator.documents import spec_for
from generator.errors import ConversionTimeoutError
from generator.render.convert.isolation import PREFIX, scratch_base
from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig
from generator.render.docx import TemplateSet
from tests.cases import facts, profile
from tests.conftest import KEYS_FILE, PROFILES, ROOT
from tests.integration.converter_processes import environment, of_pool, wait_for

pytestmark = pytest.mark.libreoffice

SECRETS = {
    "GENERATOR_API_KEYS": "api-key-that-must-not-leak",
    "GENERATOR_FACILITY_KEYS": "facility-key-that-must-not-leak",
    "GENERATOR_BROKER_URL": "redis://:broker-password@127.0.0.1:1/0",
    "SAL_ACCESS_TOKEN": "token-that-must-not-leak",
}


@pytest.fixture(scope="module")
def docx() -> bytes:
    spec = spec_for("certificate-application")
    return TemplateSet().render(
        spec.template, [spec.build(facts("gaiji"), profile(), None).as_vars()]
    )


def _tree(folder: Path) -> Iterator[tuple[Path, int]]:
    for path in [folder, *folder.rglob("*")]:
        with_mode = path.lstat()
        if not stat.S_ISLNK(with_mode.st_mode) and not stat.S_ISSOCK(with_mode.st_mode):
            yield path, stat.S_IMODE(with_mode.st_mode)


def _assert_owner_only(folder: Path) -> None:
    for path, mode in _tree(folder):
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def _folders(pid: int) -> list[Path]:
    return list(scratch_base().glob(f"{PREFIX}{pid}-*"))


def test_a_run_killed_with_sigkill_leaves_no_process_and_no_secret(tmp_path: Path) -> None:
    source = tmp_path / "members.csv"
    write(members(240, seed=3), source, "utf-8")
    out = tmp_path / "out"
    command = [
        sys.executable, "-m", "generator", "run", str(source), "--profile",
        str(PROFILES / "kenpo-fy3.toml"), "--issue-date", "2025-12-01", "--kind", "enrolment",
        "--out", str(out), "--facility-keys", str(KEYS_FILE), "--workers", "1",
    ]  # fmt: skip
    run = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **SECRETS}, umask=0,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: any((out / "deliveries").glob("*.pdf")), "no delivery was written", 120)
        children = of_pool(run.pid)
        assert len(children) == 3  # the agent, oosplash, soffice.bin
        for child in children:
            seen = environment(child)
            assert not set(SECRETS) & set(seen), child
            assert not any(value in seen.values() for value in SECRETS.values()), child
        [folder] = _folders(run.pid)
        _assert_owner_only(folder)
        run.kill()  # the run's process alone: its children must end by themselves
        run.wait()
        wait_for(lambda: not of_pool(run.pid), "converter processes outlived the run")
    finally:
        run.kill()
        run.wait()
    # Killed, not refused: the state stays for --resume, owner-only under umask 0.
    assert (out / ".work" / "state.sqlite").exists()
    _assert_owner_only(out)
    assert folder.exists()
    with LibreOfficePool(PoolConfig(workers=1)):
        assert not folder.exists(), "the next pool removes a killed pool's folder"


def test_each_conversion_s_files_are_owner_only_and_gone_after_it(docx: bytes) -> None:
    previous = os.umask(0)
    try:
        with LibreOfficePool(PoolConfig(workers=1)) as single:
            worker = single._workers[0]
            seen: list[tuple[Path, int]] = []
            original = worker.export

            def export(*args, **kwargs):  # type: ignore[no-untyped-def]
                seen.extend(_tree(worker.home))  # the document in place, before LibreOffice
                return original(*args, **kwargs)

            worker.export = export  # type: ignore[method-assign]
            single.convert(docx)
            assert (worker.home / "in.docx", 0o600) in seen
            assert not list(worker.home.glob("*.docx")) + list(worker.home.glob("*.pdf"))
            _assert_owner_only(single._dir)
            folder = single._dir
        assert not folder.exists()
    finally:
        os.umask(previous)


def test_a_failed_conversion_leaves_no_document_behind(docx: bytes) -> None:
    with LibreOfficePool(PoolConfig(workers=1, timeout=0.01)) as tight:
        with pytest.raises(ConversionTimeoutError):
            tight.convert(docx)
        home = tight._workers[0].home
        assert not list(home.glob("*.docx")) + list(home.glob("*.pdf"))


def test_a_running_process_s_folder_is_not_taken_for_a_stale_one() -> None:
    with LibreOfficePool(PoolConfig(workers=1)) as first, LibreOfficePool(PoolConfig(workers=1)):
        assert first._dir.exists()
        assert first._dir.name.startswith(f"{PREFIX}{os.getpid()}-")


def test_soffice_s_environment_is_the_allow_list(
    docx: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in {**SECRETS, "AWS_SECRET_ACCESS_KEY": "aws-secret"}.items():
        monkeypatch.setenv(name, value)
    allowed = {"PATH", "LANG", "LANGUAGE", "TZ", "FONTCONFIG_FILE", "HOME", "TMPDIR"}
    allowed |= {"PWD", "OLDPWD", "URE_BOOTSTRAP"}  # what LibreOffice's launcher script adds
    with LibreOfficePool(PoolConfig(workers=1)) as single:
        single.convert(docx)
        ours = [p for p in of_pool(os.getpid()) if str(single._dir) in environment(p)["HOME"]]
        assert len(ours) == 3  # the agent, oosplash, soffice.bin (not the session's pool)
        for child in ours:
            seen = environment(child)
            assert {n for n in seen if not n.startswith(("LC_", "SAL_", "XDG_"))} <= allowed
            assert not {"SAL_ACCESS_TOKEN", "AWS_SECRET_ACCESS_KEY"} & set(seen)
            assert not {*SECRETS.values(), "aws-secret"} & set(seen.values())


def test_the_agent_and_its_soffice_share_one_group_that_the_pool_kills(docx: bytes) -> None:
    with LibreOfficePool(PoolConfig(workers=1)) as single:
        single.convert(docx)
        agent = single._workers[0]._agent
        assert agent is not None
        group = [pid for pid in of_pool(os.getpid()) if os.getpgid(pid) == agent.pid]
        assert len(group) == 3
    assert not set(group) & set(of_pool(os.getpid()))


@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGHUP])
def test_an_agent_ended_by_a_signal_ends_its_soffice(docx: bytes, ending: int) -> None:
    """An operator's ``kill`` (or ``pkill -f``, which matches the agents' command lines)
    or a service manager's stop reaches an agent: its oosplash and soffice go with it."""
    with LibreOfficePool(PoolConfig(workers=1)) as single:
        single.convert(docx)
        agent = single._workers[0]._agent
        assert agent is not None
        os.kill(agent.pid, ending)
        wait_for(lambda: not _group(agent.pid), "soffice outlived its agent")
        assert single.convert(docx).startswith(b"%PDF")  # the pool starts another


def test_soffice_left_by_an_agent_killed_with_sigkill_is_ended_by_the_next_pool(
    docx: bytes, tmp_path: Path
) -> None:
    """SIGKILL leaves an agent no moment to end its group; the pool's process is killed
    too, so the orphans' pipe names a dead pool. The next pool to start ends them."""
    script = (
        "import os, signal, sys, time\n"
        "from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig\n"
        "pool = LibreOfficePool(PoolConfig(workers=1))\n"
        "pool.convert(open(sys.argv[1], 'rb').read())\n"
        "print(pool._workers[0]._agent.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    source = tmp_path / "in.docx"
    source.write_bytes(docx)
    holder = subprocess.Popen(
        [sys.executable, "-c", script, str(source)], cwd=ROOT, stdout=subprocess.PIPE
    )
    assert holder.stdout is not None
    with holder.stdout:
        agent = int(holder.stdout.readline())
    os.kill(agent, signal.SIGKILL)
    holder.kill()
    holder.wait()
    orphans = _group(agent)
    assert orphans, "soffice outlives an agent killed with SIGKILL (why the sweep exists)"
    with LibreOfficePool(PoolConfig(workers=1)):
        assert not _group(agent)


def _group(group: int) -> list[int]:
    """The live processes of process group ``group``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_bytes().rpartition(b")")[2].split()
                if stat[0] != b"Z" and int(stat[2]) == group:
                    found.append(int(entry.name))
    return found


def test_soffice_killed_while_the_pool_starts_costs_the_pool_nothing(docx: bytes) -> None:
    """A kill during the first start is retried like one during a job's (the random-kill
    fault test met it: the run ended with LibreOffice "did not start")."""
    before = set(of_pool(os.getpid()))
    killed: list[int] = []

    def kill_the_first_soffice() -> None:
        def started() -> list[int]:
            return [
                pid
                for pid in set(of_pool(os.getpid())) - before
                if (Path("/proc") / str(pid) / "comm").read_bytes().strip() == b"soffice.bin"
            ]

        wait_for(lambda: bool(started()), "soffice did not start", 60)
        for pid in started():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    killer = threading.Thread(target=kill_the_first_soffice)
    killer.start()
    try:
        with LibreOfficePool(PoolConfig(workers=1)) as single:
            killer.join()
            assert killed, "the kill came too late to test anything"
            assert single.convert(docx).startswith(b"%PDF")
    finally:
        killer.join()
