"""A worker's answer for a batch, checked before anything of it is kept (処理結果の検証).

A worker is another machine on the broker: whatever it sends is checked against the batch the
coordinator sent. The file name is the coordinator's own (a name a worker sends must be that
one); the sha256 and the page count are computed here, on the bytes received, and must be the
ones the worker claims; each member's pages must lie in the file, in the members' order,
without overlap. Any failed check refuses the whole batch: none of its deliveries is recorded
(they stay to do, for ``--resume``) and the run stops with a DistributedError.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from collections.abc import Sequence
from typing import Any

from pypdf import PdfReader

from generator.batch.assemble import DeliveryOutput
from generator.batch.batches import PlanRow, Rendered, plans_from_rows
from generator.batch.config import RunConfig
from generator.errors import DistributedError

#: A worker's error message goes into errors.csv: at most this many characters of it.
MESSAGE_LIMIT = 500


class _RefusedError(Exception):
    """One check failed: why, without any value of a record."""


def accept(config: RunConfig, rows: Sequence[PlanRow], answer: object) -> list[Rendered]:
    """The batch's deliveries as ``answer`` (a worker's, decoded from JSON) has them, one per
    row, in the rows' order; a DistributedError if any of it fails a check."""
    where = f"batch of deliveries {rows[0].ordinal}-{rows[-1].ordinal}" if rows else "batch"
    try:
        return _accept(config, rows, answer)
    except _RefusedError as refusal:
        raise DistributedError(
            f"{where}: a worker's result was refused ({refusal}); none of its deliveries "
            "was recorded"
        ) from None


def _accept(config: RunConfig, rows: Sequence[PlanRow], answer: object) -> list[Rendered]:
    if not isinstance(answer, list):
        raise _RefusedError("the answer is not a list")
    by_ordinal = {row.ordinal: row for row in rows}
    accepted: dict[int, Rendered] = {}
    for item in answer:
        ordinal = item.get("ordinal") if isinstance(item, dict) else None
        if type(ordinal) is not int:
            raise _RefusedError("an answer names no delivery")
        if ordinal not in by_ordinal:
            raise _RefusedError(f"delivery {ordinal} was not in the batch")
        if ordinal in accepted:
            raise _RefusedError(f"delivery {ordinal} was answered twice")
        try:
            accepted[ordinal] = _one(config, by_ordinal[ordinal], item)
        except _RefusedError as refusal:
            raise _RefusedError(f"delivery {ordinal}: {refusal}") from None
    missing = [row.ordinal for row in rows if row.ordinal not in accepted]
    if missing:
        raise _RefusedError(f"delivery {missing[0]} was not answered")
    return [accepted[row.ordinal] for row in rows]


def _one(config: RunConfig, row: PlanRow, item: dict[str, Any]) -> Rendered:
    if "error" in item:  # the worker could not render it: its records go to errors.csv
        if not isinstance(item["error"], str):
            raise _RefusedError("its error is not text")
        return (plans_from_rows(config, [row])[0], item["error"][:MESSAGE_LIMIT])
    if item.get("file", row.file) != row.file:
        raise _RefusedError("it names a file other than the one the coordinator chose")
    data = _data(item.get("data"))
    sha256 = hashlib.sha256(data).hexdigest()
    if item.get("sha256") != sha256:
        raise _RefusedError("its sha256 is not that of its bytes")
    pages = _pages(data)
    claimed = item.get("pages")
    if type(claimed) is not int or claimed != pages:
        raise _RefusedError(f"it claims {claimed!s:.20} pages, its PDF has {pages}")
    placements = _placements(item.get("placements"), row, pages)
    return DeliveryOutput(row.ordinal, row.file, data, pages, placements, sha256)


def _data(value: object) -> bytes:
    if not isinstance(value, str):
        raise _RefusedError("it has no PDF")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _RefusedError("its PDF is not base64") from None
    if not data:
        raise _RefusedError("its PDF is empty")
    return data


def _pages(data: bytes) -> int:
    """The page count of the PDF in ``data``, as pypdf reads it."""
    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # pypdf raises many kinds on a malformed file
        raise _RefusedError("its bytes are not a readable PDF") from None


def _placements(value: object, row: PlanRow, pages: int) -> list[tuple[int, int, int]]:
    """Each member's (seq, first page, last page): every member of the row once, in the row's
    order, on pages 1..``pages``, each range after the one before it."""
    if not isinstance(value, list) or len(value) != len(row.members):
        raise _RefusedError(
            f"its placements are not one for each of its {len(row.members)} members"
        )
    placements: list[tuple[int, int, int]] = []
    last_used = 0
    for (seq, _), placed in zip(row.members, value, strict=True):
        if not (
            isinstance(placed, list) and len(placed) == 3 and all(type(v) is int for v in placed)
        ):
            raise _RefusedError("a placement is not three whole numbers")
        member, first, last = placed
        if member != seq:
            raise _RefusedError("its placements are not its members, in order")
        if not last_used < first <= last <= pages:
            raise _RefusedError(
                f"a member's pages {first}-{last} overlap another's or lie outside pages 1-{pages}"
            )
        placements.append((member, first, last))
        last_used = last
    return placements
