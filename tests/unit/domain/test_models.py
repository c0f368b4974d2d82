"""models.py: what reading members back from JSON leaves behind in the process."""

from __future__ import annotations

import gc
import tracemalloc

from generator.domain.models import Member
from generator.records.schema import parse_record
from tests.cases import VARIANTS
from tests.conftest import base_record


def test_members_read_from_json_leave_no_strings_behind() -> None:
    # Pass 2 reads every member back from JSON; pydantic's default string cache would keep
    # up to 16,384 of their names and addresses for the life of the process.
    template = parse_record(base_record(**VARIANTS["under-70"]), where="cache")
    texts = [
        template.model_copy(update={"name": f"若林 誠{n}", "record_id": f"C-{n}"})
        .model_dump_json()
        .encode()  # bytes: a str would keep its own UTF-8 copy once read
        for n in range(3000)
    ]
    Member.model_validate_json(texts[0])  # first use: pydantic's own set-up
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for text in texts:
            Member.model_validate_json(text)
        gc.collect()
        left = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert left < 20_000, f"{left} bytes kept after reading 3,000 members"
