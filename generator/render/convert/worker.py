"""One LibreOffice process (soffice) and its UNO connection.

Debian's ``uno`` module imports only in Debian's /usr/bin/python3; the project's virtual
environment is built on that interpreter for this reason.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import itertools
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_IMPORT = builtins.__import__
try:
    import uno
    from com.sun.star.beans import PropertyValue

    UNO_ERROR: str | None = None
except ImportError as exc:  # pragma: no cover - depends on the interpreter
    UNO_ERROR = str(exc)
finally:
    # uno replaces __import__ for every module of the process, turning ModuleNotFoundError
    # into a plain ImportError that libraries probing optional packages (uvicorn, kombu) do
    # not catch. The hook only serves ``from com.sun.star… import``, done above.
    builtins.__import__ = _IMPORT

_PIPE_NUMBERS = itertools.count(1)
_PDF_FILTER = {
    "UseLosslessCompression": True,
    "ReduceImageResolution": False,
    "ExportBookmarks": False,
    "ExportNotes": False,
    "UseTaggedPDF": False,
    "EmbedStandardFonts": True,
}


class WorkerFailedError(Exception):
    """A process died, hung or refused a job; the pool restarts it."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class OverflowedError(ValueError):
    """The document's page count is not what the ranges assume (not the process's fault)."""


_BOOTSTRAP = threading.Lock()
_RESOLVER: list[Any] = []


def _resolver() -> Any:
    """The process's UNO URL resolver, made once: bootstrapping UNO from two threads at once
    fails (the service manager is not ready for the second)."""
    with _BOOTSTRAP:
        if not _RESOLVER:
            local = uno.getComponentContext()
            _RESOLVER.append(
                local.ServiceManager.createInstanceWithContext(
                    "com.sun.star.bridge.UnoUrlResolver", local
                )
            )
        return _RESOLVER[0]


def _props(**values: Any) -> tuple[Any, ...]:
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        result.append(prop)
    return tuple(result)


# The arguments of every call are built once: pyuno leaks about 20 small objects each time a
# struct is built and filled (~1.3 KB a conversion, for the life of the process).
@functools.cache
def _load_args() -> tuple[Any, ...]:
    return _props(Hidden=True, ReadOnly=True)


@functools.lru_cache(maxsize=256)
def _export_args(page_range: str) -> tuple[Any, ...]:
    options = dict(_PDF_FILTER, PageRange=page_range) if page_range else _PDF_FILTER
    filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", _props(**options))
    return _props(FilterName="writer_pdf_Export", FilterData=filter_data)


class SofficeWorker:
    """A headless soffice with its own profile directory, reached through a named pipe."""

    def __init__(self, index: int, home: Path, soffice: str, fontconfig_file: Path) -> None:
        self.index = index
        self.home = home
        self.soffice = soffice
        self.fontconfig_file = fontconfig_file
        self.jobs = 0
        self.busy = False
        self._process: subprocess.Popen[bytes] | None = None
        self._desktop: Any = None

    @property
    def running(self) -> bool:
        return (
            self._process is not None and self._process.poll() is None and self._desktop is not None
        )

    def start(self, timeout: float) -> None:
        if UNO_ERROR is not None:
            raise WorkerFailedError(f"the uno module does not import: {UNO_ERROR}")
        self.kill()
        self.home.mkdir(parents=True, exist_ok=True)
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
                args,
                env=env,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._desktop = self._connect(pipe, timeout)
        self.jobs = 0

    def _connect(self, pipe: str, timeout: float) -> Any:
        resolver = _resolver()
        deadline = time.monotonic() + timeout
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                return ctx.ServiceManager.createInstanceWithContext(
                    "com.sun.star.frame.Desktop", ctx
                )
            except Exception as exc:  # NoConnectException, until soffice listens
                if self._process is None or self._process.poll() is not None:
                    raise WorkerFailedError("soffice exited while starting") from exc
                if time.monotonic() > deadline:
                    self.kill()
                    message = f"soffice did not answer within {timeout:.0f} s"
                    raise WorkerFailedError(message) from exc
                time.sleep(0.05)

    def convert(self, docx: bytes, timeout: float, ranges: Sequence[str] = ("",)) -> list[bytes]:
        """Load once, export once per page range ("" = all pages, "3-4" = pages 3 to 4),
        under a hard time limit: a watchdog kills the process when it passes.

        A range's PDF carries only the glyphs of its own pages (fonts are subset per export),
        so it is byte for byte what converting that part alone would give."""
        source, target = self.home / "in.docx", self.home / "out.pdf"
        source.write_bytes(docx)
        fired = threading.Event()

        def watchdog() -> None:
            fired.set()
            # The process only: the UNO proxies are dropped by this thread once its call has
            # returned (kill), never from the timer's thread while a call is using them.
            self._signal_kill()

        timer = threading.Timer(timeout, watchdog)
        self.busy = True
        timer.start()
        results = []
        try:
            document = self._desktop.loadComponentFromURL(
                source.as_uri(), "_blank", 0, _load_args()
            )
            if document is None:
                raise WorkerFailedError("LibreOffice could not open the document")
            try:
                last = int(ranges[-1].rpartition("-")[2]) if ranges and ranges[-1] else None
                # A document that overflowed would shift every range after it. (Asked only
                # then: every pyuno call leaks a few small objects.)
                if last is not None:
                    pages = int(document.CurrentController.PageCount)
                    if pages != last:
                        raise OverflowedError(f"laid out as {pages} pages, not {ranges[-1]}")
                for page_range in ranges:
                    target.unlink(missing_ok=True)
                    document.storeToURL(target.as_uri(), _export_args(page_range))
                    results.append(target.read_bytes())
            finally:
                document.close(True)
        except (WorkerFailedError, OverflowedError):
            raise
        except Exception as exc:  # UNO raises its own exception types
            raise WorkerFailedError(f"conversion failed: {exc}", timed_out=fired.is_set()) from exc
        finally:
            timer.cancel()
            self.busy = False
        self.jobs += 1
        return results

    def answers(self) -> bool:
        try:
            self._desktop.getFrames().getCount()
        except Exception:
            return False
        return True

    def stop(self) -> None:
        """End the process politely, then firmly."""
        if self.running:
            try:
                self._desktop.terminate()
                assert self._process is not None
                self._process.wait(timeout=10)
            except Exception:
                pass
        self.kill()

    def kill(self) -> None:
        self._signal_kill()
        process, self._process, self._desktop = self._process, None, None
        if process is not None:
            process.wait()

    def _signal_kill(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
