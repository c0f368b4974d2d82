"""The UNO client of one soffice (UNO 代理プロセス), run as a process of its own:

    python agent.py PIPE_NAME START_TIMEOUT LIFELINE_FD SOFFICE [SOFFICE_ARGS …]

It starts soffice in the process group it leads (the pool starts it in a session of its
own) and supervises it: when soffice ends, or when the pool's process does (LIFELINE_FD,
the read end of a pipe only that process writes to, reads end-of-file), the whole group is
killed, so no soffice outlives its pool, nor an agent its soffice.

It reads one JSON request a line on stdin and answers one JSON line on stdout:
``{"op": "convert", "source": PATH, "targets": [PATH, …], "ranges": ["1-2", …]}``,
``{"op": "ping"}``, ``{"op": "terminate"}``. Answers are ``{"ok": true}``,
``{"overflow": MESSAGE}`` or ``{"error": MESSAGE}``.

Why a process: pyuno leaks a few small objects on every call and crashes its whole process
when a bridge goes bad, and the UNO runtime is large. Here all three end with
this process, which the pool restarts together with its soffice (after a failure, a timeout
or ``max_jobs`` conversions); the run itself loads none of it. Only the standard library
and Debian's ``uno`` are imported, so the process starts in ~0.1 s.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

_PDF_FILTER = {
    "UseLosslessCompression": True,
    "ReduceImageResolution": False,
    "ExportBookmarks": False,
    "ExportNotes": False,
    "UseTaggedPDF": False,
    "EmbedStandardFonts": True,
}


def _answer(**fields: object) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


class _Client:
    def __init__(self, uno: Any, property_value: Any) -> None:
        self._uno, self._property_value = uno, property_value
        # Built once: pyuno leaks ~20 small objects each time a struct is built and filled.
        self._load = self._props(Hidden=True, ReadOnly=True)
        self._exports: dict[str, tuple[Any, ...]] = {}
        self.desktop: Any = None

    def _props(self, **values: Any) -> tuple[Any, ...]:
        result = []
        for name, value in values.items():
            prop = self._property_value()
            prop.Name, prop.Value = name, value
            result.append(prop)
        return tuple(result)

    def _export(self, page_range: str) -> tuple[Any, ...]:
        if page_range not in self._exports:
            options = dict(_PDF_FILTER, PageRange=page_range) if page_range else _PDF_FILTER
            data = self._uno.Any("[]com.sun.star.beans.PropertyValue", self._props(**options))
            self._exports[page_range] = self._props(FilterName="writer_pdf_Export", FilterData=data)
        return self._exports[page_range]

    def connect(self, pipe: str, timeout: float) -> None:
        local = self._uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                self.desktop = ctx.ServiceManager.createInstanceWithContext(
                    "com.sun.star.frame.Desktop", ctx
                )
                return
            except Exception:  # NoConnectException, until soffice listens
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def convert(self, source: str, targets: list[str], ranges: list[str]) -> str | None:
        """Load once, export each range; an overflow message when the page count is off."""
        document = self.desktop.loadComponentFromURL(Path(source).as_uri(), "_blank", 0, self._load)
        if document is None:
            raise RuntimeError("LibreOffice could not open the document")
        try:
            last = int(ranges[-1].rpartition("-")[2]) if ranges and ranges[-1] else None
            # A document that overflowed would shift every range after it. (Asked only then:
            # every call leaks a little.)
            if last is not None:
                pages = int(document.CurrentController.PageCount)
                if pages != last:
                    return f"laid out as {pages} pages, not {ranges[-1]}"
            for target, page_range in zip(targets, ranges, strict=True):
                document.storeToURL(Path(target).as_uri(), self._export(page_range))
        finally:
            document.close(True)
        return None


def _end_group() -> None:
    os.killpg(0, signal.SIGKILL)  # this agent, oosplash and soffice.bin


def _supervise(soffice: subprocess.Popen[bytes], lifeline: int, ending: threading.Event) -> None:
    """End the group when soffice ends unasked (the pool then sees this agent gone) or when
    the pool's process is gone (its end of the lifeline closed)."""

    def soffice_ended() -> None:
        soffice.wait()
        if not ending.is_set():
            _end_group()

    def pool_ended() -> None:
        with contextlib.suppress(OSError):
            while os.read(lifeline, 1):
                pass
        _end_group()

    for watch in (soffice_ended, pool_ended):
        threading.Thread(target=watch, daemon=True).start()


def main(pipe: str, timeout: float, lifeline: int, soffice_args: list[str]) -> None:
    try:  # here, so that a missing uno is an answer the pool can report
        import uno  # noqa: PLC0415
        from com.sun.star.beans import PropertyValue  # noqa: PLC0415
    except ImportError as exc:
        _answer(error=f"the uno module does not import: {exc}")
        return
    # Ended by a signal (an operator's kill, a service manager's stop): the group with it.
    for ending_signal in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(ending_signal, lambda *_: _end_group())
    try:  # its output goes where this process's errors go: the worker's soffice.log
        soffice = subprocess.Popen(soffice_args, stdin=subprocess.DEVNULL, stdout=2, stderr=2)
    except OSError as exc:
        _answer(error=f"soffice did not start: {exc.strerror}")
        return
    ending = threading.Event()
    _supervise(soffice, lifeline, ending)
    client = _Client(uno, PropertyValue)
    try:
        client.connect(pipe, timeout)
    except Exception as exc:
        _answer(error=f"soffice did not answer within {timeout:.0f} s: {exc}")
        _end_group()
        return
    _answer(ok=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["op"] == "convert":
                overflow = client.convert(request["source"], request["targets"], request["ranges"])
                _answer(**({"overflow": overflow} if overflow else {"ok": True}))
            elif request["op"] == "ping":
                client.desktop.getFrames().getCount()
                _answer(ok=True)
            elif request["op"] == "terminate":
                ending.set()
                _answer(ok=True)
                with contextlib.suppress(Exception):  # soffice drops the bridge as it goes
                    client.desktop.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    soffice.wait(timeout=10)
                break
        except Exception as exc:  # UNO raises its own exception types
            _answer(error=f"conversion failed: {exc}")
    _end_group()  # asked to end, or the pool closed its pipe: nothing of the group stays


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
