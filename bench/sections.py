"""BENCHMARKS.md holds one section per benchmark, each rewritten only by its own."""

from __future__ import annotations

import re
from pathlib import Path

HEADER = "# Benchmarks\n\nEach section is written by the benchmark it names; `make bench` runs them all.\n"


def write_section(path: Path, name: str, text: str) -> None:
    """Replace the section ``name`` of ``path`` (or add it), keeping the others."""
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    block = f"{start}\n{text.strip()}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if not current.startswith(HEADER):  # a file from before the sections: start anew
        current = HEADER
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: block, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(updated, encoding="utf-8")
