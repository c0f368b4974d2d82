"""Bulk runs over Celery: a real redis-server (with a password; over TLS too), real worker
processes, real LibreOffice."""

from __future__ import annotations

import dataclasses
import gc
import re
import secrets
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from generator.batch import RunConfig, RunKind, run
from generator.distributed import CeleryBatches
from generator.distributed.broker import check
from generator.distributed.tasks import make_app
from generator.domain.facility_token import KeyRing
from generator.errors import DistributedError
from generator.profiles import load_profile
from tests.conftest import KEYS_FILE, PROFILES, SAMPLE
from tests.integration.processes import (
    free_port,
    kill,
    redis_server,
    service_env,
    start,
    stop,
    tls_files,
)

pytestmark = pytest.mark.libreoffice


@pytest.fixture(autouse=True, scope="module")
def _collected() -> Iterator[None]:
    """Celery's and redis-py's connections to the brokers this module stops and restarts
    are dropped unclosed: collected here, not during a later module's test."""
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


VISIBILITY = 8.0  # seconds before a dead worker's batch goes to another
PASSWORD = secrets.token_hex(16)  # the brokers' own: no client gets in without it


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    process = redis_server(port, tmp_path_factory.mktemp("redis"), password=PASSWORD)
    try:
        yield f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    finally:
        stop(process)


@pytest.fixture(scope="module")
def tls_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A broker speaking only TLS, with a password: its URL, without the CA to trust."""
    port = free_port()
    folder = tls_files(tmp_path_factory.mktemp("redis-tls"))
    process = redis_server(port, folder, password=PASSWORD, tls=folder)
    try:
        yield f"rediss://:{PASSWORD}@127.0.0.1:{port}/0?ssl_cert_reqs=required", folder
    finally:
        stop(process)


def _workers(broker: str, folder: Path, count: int = 2) -> list[tuple[object, Path]]:
    """``count`` workers on ``broker``, once each says it is ready."""
    env = service_env(
        folder, GENERATOR_BROKER_URL=broker, GENERATOR_VISIBILITY_TIMEOUT=str(VISIBILITY)
    )
    started = []
    for index in range(count):
        log = folder / f"worker{index}.log"
        process = start(["worker", "--concurrency", "1", "--name", f"w{index}@test"], env, log)
        started.append((process, log))
    deadline = time.monotonic() + 60
    for process, log in started:
        while "ready." not in (log.read_text() if log.exists() else ""):
            assert process.poll() is None, log.read_text()  # type: ignore[attr-defined]
            assert time.monotonic() < deadline, "a worker did not start"
            time.sleep(0.1)
    return started


def _config(out: Path) -> RunConfig:
    return RunConfig(
        input=SAMPLE / "bulk.csv",
        profile=load_profile(PROFILES / "kenpo-fy3.toml"),
        issue_date=date(2025, 12, 1),
        kind=RunKind.ENROLMENT,
        out=out,
        workers=2,
        keys=KeyRing.parse(KEYS_FILE.read_text()),
        batch_members=10,  # many batches, so a kill lands mid-run
    )


def _outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def local(pool, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("local") / "out"
    run(_config(out), converter=pool)
    return _outputs(out)


def test_two_workers_finish_a_run_with_the_bytes_of_a_local_run(
    broker: str, local: dict[str, bytes], tmp_path: Path
) -> None:
    workers = _workers(broker, tmp_path)
    try:
        batches = CeleryBatches(make_app(broker, VISIBILITY), slots=2, timeout=300)
        run(_config(tmp_path / "out"), batches=batches)
    finally:
        for process, _ in workers:
            stop(process)  # type: ignore[arg-type]
    assert _outputs(tmp_path / "out") == local
    logs = [log.read_text() for _, log in workers]
    assert all("succeeded" in text for text in logs), "both workers took batches"
    for text in logs:  # no PDFs, names, numbers or the broker's password in the workers' logs
        assert "JVBERi" not in text
        assert "M011-" not in text
        assert PASSWORD not in text
        assert "redis://:**@127.0.0.1" in text  # Celery's banner shows the broker, masked


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(
    broker: str, local: dict[str, bytes], tmp_path: Path
) -> None:
    workers = _workers(broker, tmp_path)
    out = tmp_path / "out"
    failure: list[BaseException] = []

    def coordinate() -> None:
        try:
            batches = CeleryBatches(make_app(broker, VISIBILITY), slots=2, timeout=300)
            run(_config(out), batches=batches)
        except BaseException as error:  # the assertion below reports it
            failure.append(error)

    coordinator = threading.Thread(target=coordinate)
    coordinator.start()
    victim, victim_log = workers[0]
    try:
        deadline = time.monotonic() + 120
        # Killed while it holds a batch: it has taken one since its last success.
        while victim_log.read_text().count("received") < 2:
            assert time.monotonic() < deadline, "the worker took no batch"
            time.sleep(0.02)
        kill(victim)  # type: ignore[arg-type]
        coordinator.join(timeout=300)
    finally:
        for process, _ in workers:
            stop(process)  # type: ignore[arg-type]
    assert not coordinator.is_alive()
    assert not failure, failure
    assert _outputs(out) == local


@pytest.mark.parametrize("password", ["wrong-password", None], ids=["wrong", "none"])
def test_a_coordinator_without_the_password_is_refused_at_once(
    broker: str, tmp_path: Path, password: str | None
) -> None:
    url = broker.replace(f":{PASSWORD}@", f":{password}@" if password else "")
    batches = CeleryBatches(make_app(url, VISIBILITY), slots=2, timeout=300)
    with pytest.raises(
        DistributedError,
        match=r"broker redis://(:\*\*\*@)?127\.0\.0\.1:\d+/0 refused the connection",
    ):
        run(_config(tmp_path / "out"), batches=batches)
    assert not (tmp_path / "out" / "deliveries").exists()


def test_a_worker_with_a_wrong_password_stops_with_a_clear_error(
    broker: str, tmp_path: Path
) -> None:
    url = broker.replace(PASSWORD, "wrong-password")
    log = tmp_path / "worker.log"
    process = start(
        ["worker", "--concurrency", "1"], service_env(tmp_path, GENERATOR_BROKER_URL=url), log
    )
    try:
        process.wait(timeout=90)  # Celery alone retries a refused password a hundred times
    finally:
        stop(process)
    text = log.read_text()
    assert process.returncode == 1, text
    assert "DistributedError: the broker redis://:***@127.0.0.1:" in text
    assert "refused the connection" in text
    assert "wrong-password" not in text


def test_a_run_over_tls_gives_the_bytes_of_a_local_run(
    tls_broker: tuple[str, Path], local: dict[str, bytes], tmp_path: Path
) -> None:
    url, folder = tls_broker
    trusted = f"{url}&ssl_ca_certs={folder / 'ca.pem'}"
    workers = _workers(trusted, tmp_path, count=1)
    try:
        batches = CeleryBatches(make_app(trusted, VISIBILITY), slots=2, timeout=300)
        run(_config(tmp_path / "out"), batches=batches)
    finally:
        for process, _ in workers:
            stop(process)  # type: ignore[arg-type]
    assert _outputs(tmp_path / "out") == local
    text = workers[0][1].read_text()
    assert "rediss://:**@127.0.0.1" in text
    assert PASSWORD not in text


def test_a_tls_broker_whose_certificate_is_not_trusted_is_refused(
    tls_broker: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = tls_broker  # no ssl_ca_certs: the system's CAs do not know the test's own
    batches = CeleryBatches(make_app(url, VISIBILITY), slots=2, timeout=300)
    with pytest.raises(
        DistributedError, match=r"refused the connection: .*certificate verify failed"
    ):
        run(_config(tmp_path / "out"), batches=batches)


def test_a_plain_client_on_the_tls_port_is_refused(tls_broker: tuple[str, Path]) -> None:
    url, _ = tls_broker
    plain = url.replace("rediss://", "redis://").partition("?")[0]
    with pytest.raises(
        DistributedError, match=re.escape("the broker redis://:***@127.0.0.1")
    ) as error:
        check(make_app(plain, VISIBILITY))
    assert PASSWORD not in str(error.value)


def test_a_broker_restarted_mid_run_loses_and_duplicates_nothing(
    local: dict[str, bytes], tmp_path: Path
) -> None:
    """redis-server restarted (nothing saved) while batches are queued and in flight: the
    run ends, every delivery once, with a local run's bytes, or with a DistributedError
    that ``--resume`` completes."""
    port = free_port()
    url = f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    redis = redis_server(port, tmp_path, password=PASSWORD)
    workers = _workers(url, tmp_path)
    out = tmp_path / "out"
    failure: list[BaseException] = []

    def coordinate() -> None:
        try:
            # One batch more than the workers take: it waits in the queue the restart empties.
            run(_config(out), batches=CeleryBatches(make_app(url, VISIBILITY), slots=3))
        except BaseException as error:  # the assertions below report it
            failure.append(error)

    coordinator = threading.Thread(target=coordinate)
    coordinator.start()
    try:
        deadline = time.monotonic() + 120
        while not list((out / "deliveries").glob("*.pdf")):  # some batches done, more queued
            assert time.monotonic() < deadline, "no batch was done"
            time.sleep(0.02)
        stop(redis)
        redis = redis_server(port, tmp_path, password=PASSWORD)
        coordinator.join(timeout=240)
        assert not coordinator.is_alive(), "the run hangs on batches the broker lost"
        if failure:
            assert isinstance(failure[0], DistributedError), failure
            assert PASSWORD not in str(failure[0])
            resumed = dataclasses.replace(_config(out), resume=True)
            run(resumed, batches=CeleryBatches(make_app(url, VISIBILITY), slots=2))
    finally:
        for process, _ in workers:
            stop(process)  # type: ignore[arg-type]
        stop(redis)
    assert _outputs(out) == local
