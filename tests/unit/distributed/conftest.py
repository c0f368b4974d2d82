"""A Celery worker in this process, on an in-memory broker, whose answers can be forged: the
worker's own code renders each batch (with the fake converter), then ``forge`` tampers with
what it sends back, as a rogue machine on the broker could."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from fixtures.generate import members, write
from generator.batch import RunConfig, RunKind
from generator.distributed.tasks import TASK, work
from generator.render.convert.base import FakeConverter
from generator.render.pipeline import Renderer
from tests.cases import profile

Answer = list[dict[str, Any]]


@dataclass
class Rogue:
    """The in-process worker's app, and what it does to its honest answers."""

    app: Celery
    forge: Callable[[Answer], object] = field(default=lambda answer: answer)


@pytest.fixture(scope="session")
def rogue(keys) -> Iterator[Rogue]:  # type: ignore[no-untyped-def]
    app = Celery("rogue", broker="memory://", backend="cache+memory://")
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        broker_transport_options={"polling_interval": 0.05},  # the default waits 1 s a batch
    )
    state = Rogue(app)

    @app.task(name=TASK)  # type: ignore[untyped-decorator]
    def render_batch(payload: dict[str, Any], rows: list[list[Any]]) -> object:
        answer = work(Renderer(FakeConverter(), keys=keys), payload, rows, keys)
        return state.forge(json.loads(json.dumps(answer)))  # as the broker carries it

    with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False):
        yield state


@pytest.fixture
def honest(rogue: Rogue) -> Iterator[Rogue]:
    """The worker, answering honestly until a test gives it a ``forge``."""
    rogue.forge = lambda answer: answer
    yield rogue
    rogue.forge = lambda answer: answer


@pytest.fixture(scope="session")
def member_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("input") / "members.csv"
    write(members(40, seed=7, bad_share=0.0), path, "utf-8")
    return path


@pytest.fixture
def config(member_file: Path, tmp_path: Path, keys) -> RunConfig:  # type: ignore[no-untyped-def]
    return RunConfig(
        input=member_file,
        profile=profile(),
        issue_date=date(2025, 12, 1),
        kind=RunKind.ENROLMENT,
        out=tmp_path / "out",
        workers=1,
        keys=keys,
        batch_members=10,
    )
