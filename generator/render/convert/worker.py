"""One LibreOffice process (soffice) and the process that drives it over UNO (agent.py).

The agent runs on Debian's /usr/bin/python3, where the ``uno`` module imports (the
project's virtual environment is built on that interpreter for this reason). This process
speaks to it in JSON lines and never loads UNO itself.

The agent starts soffice itself, in the process group it leads, and ends that group when
soffice ends or when this process does (the agent holds the read end of a pipe whose only
writer is here: it reads end-of-file once this process is gone, even killed with SIGKILL).
PR_SET_PDEATHSIG would not do: it fires when the spawning *thread* ends (pools are started
from short-lived threads), and soffice.bin is a child of oosplash, which sets none for it.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, BinaryIO

from generator.render.convert import profile
from generator.render.convert.isolation import (
    child_environment,
    prepare_home,
    refuses_writes,
    write_private,
)

_PIPE_NUMBERS = itertools.count(1)
_AGENT = Path(__file__).with_name("agent.py")
_PING_TIMEOUT = 5.0  # how long a health check waits for an idle process to answer
_STILL_RUNNING = os.WEXITED | os.WNOHANG | os.WNOWAIT  # waitid: ended? (reaped by ``kill``)


class WorkerFailedError(Exception):
    """A process died, hung or refused a job; the pool restarts it."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class OverflowedError(ValueError):
    """The document's page count is not what the ranges assume (not the process's fault)."""


class SofficeWorker:
    """A headless soffice with its own profile directory, reached through a named pipe by
    an agent process; the two start, fail and end together."""

    def __init__(self, index: int, home: Path, soffice: str, fontconfig_file: Path) -> None:
        self.index = index
        self.home = home
        self.soffice = soffice
        self.fontconfig_file = fontconfig_file
        self.jobs = 0
        self._agent: subprocess.Popen[bytes] | None = None  # leads the group soffice is in
        self._lifeline: int | None = None  # the write end of the agent's lifeline
        # One request at a time on the agent's pipes (a health check may come from another
        # thread while the pool hands this process a job).
        self._talk = threading.Lock()

    @property
    def busy(self) -> bool:
        """Whether a request is out to the agent (a job, a health check, the goodbye)."""
        return self._talk.locked()

    @property
    def running(self) -> bool:
        """Whether the agent lives (it ends with its soffice). Asked without reaping it, so
        that its pid, the group's id, is never reused before ``kill`` signals the group."""
        agent = self._agent
        with contextlib.suppress(ChildProcessError):
            if agent is not None and agent.returncode is None:
                return os.waitid(os.P_PID, agent.pid, _STILL_RUNNING) is None
        return False

    def start(self, timeout: float) -> None:
        self.kill()
        prepare_home(self.home, self.fontconfig_file)
        profile.prepare(self.home / "profile")
        # Unique per process start: two pools of one Python process must never share a pipe,
        # or one would talk to the other's soffice.
        pipe = f"hdg-{os.getpid()}-{next(_PIPE_NUMBERS)}"
        soffice = [
            self.soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
            "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            f"-env:UserInstallation={(self.home / 'profile').as_uri()}",
        ]  # fmt: skip
        lifeline, self._lifeline = os.pipe()
        try:  # umask 077: what soffice writes (PDFs, its profile, temp files) is owner-only
            with open(self.home / "soffice.log", "ab", opener=_owner_only) as log:
                self._agent = subprocess.Popen(
                    [sys.executable, "-I", str(_AGENT), pipe, str(timeout), str(lifeline),
                     *soffice],
                    env=child_environment(self.home, self.fontconfig_file),
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                    pass_fds=(lifeline,), start_new_session=True, umask=0o077,
                )  # fmt: skip
        finally:
            os.close(lifeline)
        self._call(None, timeout + 5.0, starting=True)
        self.jobs = 0

    def _call(
        self, request: dict[str, Any] | None, timeout: float, *, starting: bool = False
    ) -> Any:
        """Send ``request`` (none: wait for the agent's greeting) and read its answer, under
        a hard time limit: a watchdog kills both processes when it passes, which ends the
        read."""
        agent = self._agent
        if agent is None or agent.stdin is None or agent.stdout is None:
            raise WorkerFailedError("the process is not running")
        fired = threading.Event()

        def watchdog() -> None:
            fired.set()
            self._signal_kill()

        timer = threading.Timer(timeout, watchdog)
        timer.start()
        try:
            if request is not None:
                agent.stdin.write(json.dumps(request).encode() + b"\n")
                agent.stdin.flush()
            line = agent.stdout.readline()
        except OSError as exc:  # the agent's end of the pipe is gone
            raise WorkerFailedError(f"the agent is gone: {exc}", timed_out=fired.is_set()) from exc
        finally:
            timer.cancel()
        if not line:
            what = "did not start" if starting else "died during the job"
            raise WorkerFailedError(f"LibreOffice {what}", timed_out=fired.is_set())
        try:
            answer = json.loads(line)
        except ValueError:
            raise WorkerFailedError("the agent answered out of turn") from None
        if "error" in answer:
            raise WorkerFailedError(str(answer["error"]))
        return answer

    def convert(self, docx: bytes, timeout: float, ranges: Sequence[str] = ("",)) -> list[bytes]:
        """Load once, export once per page range ("" = all pages, "3-4" = pages 3 to 4),
        under a hard time limit.

        A range's PDF carries only the glyphs of its own pages (fonts are subset per export),
        so it is byte for byte what converting that part alone would give."""
        source = self.home / "in.docx"
        targets = [self.home / f"out-{n}.pdf" for n in range(len(ranges))]
        try:
            write_private(source, docx)
            self.export(source, timeout, ranges, targets)
            return [target.read_bytes() for target in targets]
        except OSError as exc:
            raise WorkerFailedError(f"LibreOffice wrote no PDF: {exc.strerror}") from None
        finally:  # a member's document stays no longer than its conversion
            for path in (source, *targets):
                path.unlink(missing_ok=True)

    def convert_file(self, source: str, timeout: float, target: Path) -> BinaryIO:
        """The whole PDF of the DOCX file ``source``, written at ``target`` and handed back
        open, the name gone: the file lives while it is open, and neither document's bytes
        pass through this process."""
        self.export(source, timeout, [""], [target])
        try:
            file = target.open("rb")
        except OSError as exc:
            raise WorkerFailedError(f"LibreOffice wrote no PDF: {exc.strerror}") from None
        with contextlib.ExitStack() as on_error:
            on_error.callback(file.close)
            target.unlink()
            on_error.pop_all()
        return file

    def export(
        self, source: str | Path, timeout: float, ranges: Sequence[str], targets: Sequence[Path]
    ) -> None:
        """Load the DOCX file ``source`` once and export each range to its target. The agent
        gets absolute paths: it names files as URIs, and a run's folder may be given relative
        (``--out out``)."""
        for target in targets:
            target.unlink(missing_ok=True)
        request = {
            "op": "convert",
            "source": os.path.abspath(source),
            "targets": [os.path.abspath(t) for t in targets],
            "ranges": list(ranges),
        }
        try:
            with self._talk:
                answer = self._call(request, timeout)
            if "overflow" in answer:
                raise OverflowedError(str(answer["overflow"]))
        except BaseException as exc:  # nothing half written is left in the run's folder
            for target in targets:
                target.unlink(missing_ok=True)
            if isinstance(exc, WorkerFailedError) and not exc.timed_out:
                refuses_writes(targets[0].parent)  # a full disk is not the document's fault
            raise
        self.jobs += 1

    def answers(self) -> bool:
        """Whether the processes answer; one busy with a request counts as answering."""
        if not self._talk.acquire(blocking=False):
            return True
        try:
            self._call({"op": "ping"}, _PING_TIMEOUT)
        except WorkerFailedError:
            return False
        finally:
            self._talk.release()
        return True

    def stop(self) -> None:
        """End the processes politely, then firmly."""
        if self.running:
            with contextlib.suppress(WorkerFailedError, subprocess.TimeoutExpired), self._talk:
                self._call({"op": "terminate"}, 10.0)
                assert self._agent is not None
                self._agent.wait(timeout=15)  # the agent ends once its soffice has
        self.kill()

    def kill(self) -> None:
        self._signal_kill()
        agent, self._agent = self._agent, None
        if agent is not None:
            agent.wait()
            for stream in (agent.stdin, agent.stdout):
                _close(stream)
        if self._lifeline is not None:
            os.close(self._lifeline)
            self._lifeline = None

    def _signal_kill(self) -> None:
        """SIGKILL the agent's group: the agent, oosplash and soffice.bin. The agent is not
        reaped before this, so its pid, which names the group, is not anyone else's yet."""
        agent = self._agent
        if agent is not None and agent.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(agent.pid, signal.SIGKILL)


def _owner_only(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


def _close(stream: IO[bytes] | None) -> None:
    if stream is not None:
        with contextlib.suppress(OSError):
            stream.close()
