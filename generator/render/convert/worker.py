"""One LibreOffice process (soffice) and the process that drives it over UNO (agent.py).

The agent runs on Debian's /usr/bin/python3, where the ``uno`` module imports (the
project's virtual environment is built on that interpreter for this reason). This process
speaks to it in JSON lines and never loads UNO itself.
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

_PIPE_NUMBERS = itertools.count(1)
_AGENT = Path(__file__).with_name("agent.py")
#: How long a health check waits for an idle process to answer.
_PING_TIMEOUT = 5.0


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
        self._process: subprocess.Popen[bytes] | None = None
        self._agent: subprocess.Popen[bytes] | None = None
        # One request at a time on the agent's pipes (a health check may come from another
        # thread while the pool hands this process a job).
        self._talk = threading.Lock()

    @property
    def busy(self) -> bool:
        """Whether a request is out to the agent (a job, a health check, the goodbye)."""
        return self._talk.locked()

    @property
    def running(self) -> bool:
        return all(p is not None and p.poll() is None for p in (self._process, self._agent))

    def start(self, timeout: float) -> None:
        self.kill()
        self.home.mkdir(parents=True, exist_ok=True)
        profile.prepare(self.home / "profile")
        # Unique per process start: two pools of one Python process must never share a pipe,
        # or one would talk to the other's soffice.
        pipe = f"hdg-{os.getpid()}-{next(_PIPE_NUMBERS)}"
        env = dict(
            os.environ,
            FONTCONFIG_FILE=str(self.fontconfig_file),
            SAL_USE_VCLPLUGIN="svp",
            HOME=str(self.home),
            XDG_CACHE_HOME=str(self.home / "cache"),
            LC_ALL="C.UTF-8",
        )
        args = [
            self.soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
            "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            f"-env:UserInstallation={(self.home / 'profile').as_uri()}",
        ]  # fmt: skip
        with (self.home / "soffice.log").open("ab") as log:
            self._process = subprocess.Popen(
                args, env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip
            self._agent = subprocess.Popen(
                [sys.executable, "-I", str(_AGENT), pipe, str(timeout)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                start_new_session=True,
            )  # fmt: skip
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
        source.write_bytes(docx)
        targets = [self.home / f"out-{n}.pdf" for n in range(len(ranges))]
        self.export(source, timeout, ranges, targets)
        try:
            return [target.read_bytes() for target in targets]
        except OSError as exc:
            raise WorkerFailedError(f"LibreOffice wrote no PDF: {exc.strerror}") from None

    def convert_file(self, source: str, timeout: float, target: Path) -> BinaryIO:
        """The whole PDF of the DOCX file ``source``, written at ``target`` and handed back
        open, the name gone: the file lives while it is open, and neither document's bytes
        pass through this process."""
        self.export(source, timeout, [""], [target])
        try:
            file = target.open("rb")
        except OSError as exc:
            raise WorkerFailedError(f"LibreOffice wrote no PDF: {exc.strerror}") from None
        try:
            target.unlink()
        except BaseException:
            file.close()
            raise
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
        with self._talk:
            answer = self._call(request, timeout)
        if "overflow" in answer:
            for target in targets:
                target.unlink(missing_ok=True)
            raise OverflowedError(str(answer["overflow"]))
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
                assert self._process is not None
                self._process.wait(timeout=10)
        self.kill()

    def kill(self) -> None:
        self._signal_kill()
        processes, self._process, self._agent = (self._process, self._agent), None, None
        for process in processes:
            if process is not None:
                process.wait()
                for stream in (process.stdin, process.stdout):
                    _close(stream)

    def _signal_kill(self) -> None:
        for process in (self._process, self._agent):
            if process is not None and process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)


def _close(stream: IO[bytes] | None) -> None:
    if stream is not None:
        with contextlib.suppress(OSError):
            stream.close()
