"""distributed/results.py: a worker's result is checked before anything of it is kept. A
forged name, sha256, page count or placement refuses its batch, and nothing is written
outside --out."""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.batch import RunConfig, run
from generator.distributed import CeleryBatches
from generator.errors import DistributedError
from generator.render.convert.base import FakeConverter
from tests.cases import blank_pdf
from tests.unit.distributed.conftest import Answer, Rogue


def _outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _batches(rogue: Rogue) -> CeleryBatches:
    return CeleryBatches(rogue.app, slots=1, timeout=60)


def _delivery(answer: Answer, members: int = 1) -> dict[str, Any]:
    """The first delivery rendered (not failed) with at least ``members`` members."""
    return next(i for i in answer if "data" in i and len(i["placements"]) >= members)


def _with_bytes(item: dict[str, Any], data: bytes) -> None:
    """``data`` as the delivery's PDF, claimed consistently: its own sha256."""
    item["data"] = base64.b64encode(data).decode()
    item["sha256"] = hashlib.sha256(data).hexdigest()


def _name(name: str) -> Callable[[Answer, Path], Answer]:
    def forge(answer: Answer, _: Path) -> Answer:
        _delivery(answer)["file"] = name
        return answer

    return forge


def _absolute(answer: Answer, outside: Path) -> Answer:
    _delivery(answer)["file"] = str(outside / "absolute.pdf")
    return answer


def _zeros(answer: Answer, _: Path) -> Answer:
    _delivery(answer)["sha256"] = "0" * 64
    return answer


def _other_pdf(answer: Answer, _: Path) -> Answer:
    """Another PDF's bytes, with the first one's sha256 still claimed."""
    _delivery(answer)["data"] = base64.b64encode(blank_pdf(2)).decode()
    return answer


def _one_page_more(answer: Answer, _: Path) -> Answer:
    _delivery(answer)["pages"] += 1
    return answer


def _not_a_pdf(answer: Answer, _: Path) -> Answer:
    _with_bytes(_delivery(answer), b"%PDF-1.7 nothing else")
    return answer


def _empty(answer: Answer, _: Path) -> Answer:
    _with_bytes(_delivery(answer), b"")
    return answer


def _placement(change: Callable[[list[list[int]], int], None]) -> Callable[[Answer, Path], Answer]:
    def forge(answer: Answer, _: Path) -> Answer:
        item = _delivery(answer, members=2)
        change(item["placements"], item["pages"])
        return answer

    return forge


def _past_the_end(placements: list[list[int]], pages: int) -> None:
    placements[-1][2] = pages + 1


def _overlapping(placements: list[list[int]], _: int) -> None:
    placements[1][1] = placements[0][2]


def _reversed(placements: list[list[int]], _: int) -> None:
    placements.reverse()


def _backwards(placements: list[list[int]], _: int) -> None:
    placements[0][1], placements[0][2] = placements[0][2] + 1, placements[0][1]


def _foreign(placements: list[list[int]], _: int) -> None:
    placements[0][0] = 999_999  # another delivery's member: its placement overwritten


def _one_short(placements: list[list[int]], _: int) -> None:
    placements.pop()


def _unsent(answer: Answer, _: Path) -> Answer:
    return [*answer, {**_delivery(answer), "ordinal": 999_999}]


def _twice(answer: Answer, _: Path) -> Answer:
    return [*answer, _delivery(answer)]


def _unanswered(answer: Answer, _: Path) -> Answer:
    return [i for i in answer if i is not _delivery(answer)]


def _not_a_list(answer: Answer, _: Path) -> object:
    return {"deliveries": answer}


FORGED = {
    "a name climbing out of --out": (_name("../../escaped.pdf"), "names a file other"),
    "an absolute name": (_absolute, "names a file other"),
    "another name inside --out": (_name("other.pdf"), "names a file other"),
    "a sha256 of zeros": (_zeros, "sha256"),
    "another PDF's bytes": (_other_pdf, "sha256"),
    "a page more than the PDF has": (_one_page_more, "claims"),
    "bytes that are no PDF": (_not_a_pdf, "not a readable PDF"),
    "no bytes": (_empty, "empty"),
    "a member placed past the last page": (_placement(_past_the_end), "outside pages"),
    "overlapping members": (_placement(_overlapping), "overlap"),
    "members out of order": (_placement(_reversed), "not its members, in order"),
    "a range ending before it starts": (_placement(_backwards), "overlap"),
    "another delivery's member": (_placement(_foreign), "not its members, in order"),
    "a member not placed": (_placement(_one_short), "one for each"),
    "a delivery it was not sent": (_unsent, "was not in the batch"),
    "a delivery answered twice": (_twice, "answered twice"),
    "a delivery not answered": (_unanswered, "was not answered"),
    "an answer that is no list": (_not_a_list, "not a list"),
}


@pytest.mark.parametrize(("forge", "refusal"), FORGED.values(), ids=FORGED.keys())
def test_a_forged_result_refuses_its_batch_and_writes_nothing(
    honest: Rogue,
    config: RunConfig,
    tmp_path: Path,
    forge: Callable[[Answer, Path], object],
    refusal: str,
) -> None:
    honest.forge = lambda answer: forge(answer, tmp_path)
    with pytest.raises(DistributedError, match=refusal) as refused:
        run(config, batches=_batches(honest))
    assert "a worker's result was refused" in str(refused.value)
    outside = [p for p in tmp_path.rglob("*") if p != config.out and config.out not in p.parents]
    assert outside == []
    written = list(config.deliveries_dir.glob("*")) if config.deliveries_dir.exists() else []
    assert written == [], "nothing of the refused batch is kept"


def test_an_honest_worker_gives_the_bytes_of_a_local_run(
    honest: Rogue, config: RunConfig, tmp_path: Path
) -> None:
    run(config, batches=_batches(honest))
    local = dataclasses.replace(config, out=tmp_path / "local")
    run(local, converter=FakeConverter())
    assert _outputs(config.out) == _outputs(local.out)


def test_a_delivery_the_worker_could_not_render_goes_to_errors_with_a_bounded_message(
    honest: Rogue, config: RunConfig
) -> None:
    honest.forge = lambda answer: [{"ordinal": i["ordinal"], "error": "x" * 5000} for i in answer]
    counts = run(config, batches=_batches(honest))
    with (config.out / "errors.csv").open(encoding="utf-8") as handle:
        errors = list(csv.DictReader(handle))
    assert len(errors) == counts["errors"] == counts["records"]
    assert {len(e["message"]) for e in errors} == {500}


def test_an_error_that_is_not_text_is_refused(honest: Rogue, config: RunConfig) -> None:
    honest.forge = lambda answer: [{"ordinal": i["ordinal"], "error": {"a": 1}} for i in answer]
    with pytest.raises(DistributedError, match="its error is not text"):
        run(config, batches=_batches(honest))


def test_a_worker_s_exception_stops_the_run_by_name_and_is_never_raised_here(
    honest: Rogue, config: RunConfig
) -> None:
    """The result store names the exception's class; raising it here would let a rogue
    worker raise any class this process has imported (SystemExit ends a service)."""

    def fail(answer: Answer) -> Answer:
        raise RuntimeError("record M007-0000001 had 山田 in it")

    honest.forge = fail
    with pytest.raises(DistributedError, match=r"a worker failed its batch \(RuntimeError\)") as e:
        run(config, batches=_batches(honest))
    assert "山田" not in str(e.value)
    assert (config.out / ".work").is_dir()  # resumable once the worker is fixed
