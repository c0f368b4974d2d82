"""Identical input gives identical bytes, whatever happened to the LibreOffice processes:
fresh, warm, recycled, or killed in a job and again while the pool restarted them.

LibreOffice's own PDF is not byte-stable across processes (its /ID is random, the export
time is written, fonts are emitted in an order that depends on memory addresses); the
finished documents are, as the pipeline rewrites all three. What broke a run's bytes was a
job that failed for good when soffice died twice in it: its batch was then rendered again
delivery by delivery, in chunks of other members, whose fonts are subset differently.
"""

from __future__ import annotations

import os
import signal
import threading

import pytest

from generator.domain.kinds import DocumentKind
from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig
from generator.render.pipeline import Renderer
from tests.cases import VARIANTS, facts, profile
from tests.integration.converter_processes import soffice_bins_in, wait_for

pytestmark = pytest.mark.libreoffice

KIND = DocumentKind.QUALIFICATION_NOTICE
#: Enough documents in one layout that a job is still in LibreOffice when it is killed.
JOBS = [(facts(v), profile()) for v in VARIANTS] * 4


@pytest.fixture(scope="module")
def fresh(keys) -> list[bytes]:  # type: ignore[no-untyped-def]
    with LibreOfficePool(PoolConfig(workers=1)) as pool:
        return Renderer(pool, keys=keys).render_each(KIND, JOBS)


def test_a_warm_a_recycled_and_a_replaced_process_give_a_fresh_one_s_bytes(
    fresh: list[bytes], keys
) -> None:  # type: ignore[no-untyped-def]
    with LibreOfficePool(PoolConfig(workers=1)) as pool:
        renderer = Renderer(pool, keys=keys)
        worker = pool._workers[0]
        assert renderer.render_each(KIND, JOBS) == fresh  # the first job of a new process
        assert renderer.render_each(KIND, JOBS) == fresh  # warm
        worker.stop()
        assert renderer.render_each(KIND, JOBS) == fresh  # recycled
        for pid in soffice_bins_in(worker.home):
            os.kill(pid, signal.SIGKILL)
        wait_for(lambda: not worker.running, "the agent outlived its soffice")
        assert renderer.render_each(KIND, JOBS) == fresh  # replaced between jobs
        assert pool.stats.restarts == 2


def test_soffice_killed_in_a_job_and_again_while_it_restarts_costs_no_job(
    fresh: list[bytes], keys
) -> None:  # type: ignore[no-untyped-def]
    with LibreOfficePool(PoolConfig(workers=1, start_timeout=20.0)) as pool:
        renderer = Renderer(pool, keys=keys)
        worker = pool._workers[0]
        killed: list[int] = []

        def kill_in_order() -> None:
            wait_for(lambda: worker.busy, "the job did not start")
            first = soffice_bins_in(worker.home)
            for pid in first:
                os.kill(pid, signal.SIGKILL)
            killed.extend(first)
            wait_for(lambda: bool(set(soffice_bins_in(worker.home)) - set(killed)), "no restart")
            second = list(set(soffice_bins_in(worker.home)) - set(killed))
            for pid in second:
                os.kill(pid, signal.SIGKILL)
            killed.extend(second)

        killer = threading.Thread(target=kill_in_order)
        killer.start()
        try:
            assert renderer.render_each(KIND, JOBS) == fresh
        finally:
            killer.join()
        assert len(killed) == 2
        assert (pool.stats.failures, pool.stats.restarts) == (2, 1)  # one job, one start
        assert renderer.render_each(KIND, JOBS) == fresh
