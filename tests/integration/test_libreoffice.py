"""The real LibreOffice pool: conversion, health, time limits, restarts, recycling."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.documents import spec_for
from generator.errors import ConversionTimeoutError, ConverterUnavailableError
from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig
from generator.render.convert.profile import CACHE_LIMITS
from generator.render.docx import TemplateSet
from tests.cases import facts, profile
from tests.integration.converter_processes import soffice_bin, wait_for

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def docx() -> bytes:
    spec = spec_for("certificate-application")
    return TemplateSet().render(
        spec.template, [spec.build(facts("gaiji"), profile(), None).as_vars()]
    )


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_the_pool_converts_and_answers(pool, docx: bytes) -> None:  # type: ignore[no-untyped-def]
    assert pool.healthy()
    assert _pages(pool.convert(docx)) == 1


def test_a_pdf_into_a_folder_comes_back_open_and_nameless(
    pool, docx: bytes, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A bulk run's chunk: LibreOffice writes it in the run's folder, and it is handed back
    open with its name gone, so a crash leaves nothing behind and its bytes are not copied."""
    source = tmp_path / "in.docx"
    source.write_bytes(docx)
    into = tmp_path / "spool"
    into.mkdir()
    with pool.convert_file(str(source), into) as file:
        assert list(into.iterdir()) == []
        assert len(PdfReader(file).pages) == 1
    assert file.closed


def test_a_pdf_into_a_folder_given_relative(  # type: ignore[no-untyped-def]
    pool, docx: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run's folder as the operator typed it (``--out out``): LibreOffice names files as
    URIs, which a relative path cannot be."""
    monkeypatch.chdir(tmp_path)
    Path("in.docx").write_bytes(docx)
    Path("spool").mkdir()
    with pool.convert_file("in.docx", Path("spool")) as file:
        assert len(PdfReader(file).pages) == 1
    assert list(Path("spool").iterdir()) == []


def test_a_hung_job_is_killed_restarted_and_retried_once(docx: bytes) -> None:
    with LibreOfficePool(PoolConfig(workers=1, timeout=0.01)) as tight:
        with pytest.raises(ConversionTimeoutError, match="twice"):
            tight.convert(docx)
        assert tight.stats.failures == 2
        assert tight.stats.restarts >= 1
        tight.config = dataclasses.replace(tight.config, timeout=60.0)
        assert _pages(tight.convert(docx)) == 1  # the pool recovers with a fresh process


def test_a_process_that_dies_between_jobs_is_replaced(docx: bytes) -> None:
    with LibreOfficePool(PoolConfig(workers=1)) as single:
        assert _pages(single.convert(docx)) == 1
        worker = single._workers[0]
        assert worker._agent is not None
        os.kill(soffice_bin(worker._agent.pid), signal.SIGKILL)
        wait_for(lambda: not worker.running, "the agent outlived its soffice")
        assert not single.healthy()
        assert _pages(single.convert(docx)) == 1
        assert single.stats.failures == 0  # seen dead before the job: no job was lost
        assert single.stats.restarts == 1
        assert single.healthy()


def test_a_uno_client_that_crashes_mid_job_costs_one_retry_not_the_caller(docx: bytes) -> None:
    # pyuno crashes the process it runs in when a bridge goes bad: that process is the
    # agent, which the pool replaces with its soffice, and the job is retried once.
    with LibreOfficePool(PoolConfig(workers=1)) as single:
        worker = single._workers[0]
        agent = worker._agent
        assert agent is not None

        def crash_when_busy() -> None:
            deadline = time.monotonic() + 30
            while not worker.busy and time.monotonic() < deadline:
                time.sleep(0.001)
            os.kill(agent.pid, signal.SIGSEGV)

        crasher = threading.Thread(target=crash_when_busy)
        crasher.start()
        assert _pages(single.convert(docx)) == 1
        crasher.join()
        assert agent.wait() == -signal.SIGSEGV
        assert single.stats.failures == 1
        assert single.stats.restarts == 1


def test_the_calling_process_never_loads_uno(pool, docx: bytes) -> None:  # type: ignore[no-untyped-def]
    assert _pages(pool.convert(docx)) == 1
    assert not {"uno", "pyuno"} & set(sys.modules)


def test_processes_are_recycled_after_max_jobs(docx: bytes) -> None:
    with LibreOfficePool(PoolConfig(workers=1, max_jobs=2)) as recycled:
        for _ in range(3):
            assert _pages(recycled.convert(docx)) == 1
        assert recycled.stats.restarts == 1
        assert recycled.stats.conversions == 3


def test_soffice_keeps_the_cache_limits_it_was_started_with(docx: bytes) -> None:
    # soffice rewrites its profile's settings when it ends; a limit it did not take (a
    # wrong path or type) would be dropped from the file.
    with LibreOfficePool(PoolConfig(workers=1)) as limited:
        assert _pages(limited.convert(docx)) == 1
        worker = limited._workers[0]
        worker.stop()
        written = (worker.home / "profile/user/registrymodifications.xcu").read_text()
    for group, name, value in CACHE_LIMITS:
        assert re.search(
            rf'oor:path="/org.openoffice.Office.Common/{group}"><prop oor:name="{name}" '
            rf'oor:op="fuse"><value>{value}</value>',
            written,
        ), name


def test_missing_libreoffice_says_what_to_install() -> None:
    with pytest.raises(ConverterUnavailableError, match="apt-get install libreoffice-writer-nogui"):
        LibreOfficePool(PoolConfig(soffice="/nonexistent/soffice"))
