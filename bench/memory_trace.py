"""A bulk run's memory batch by batch (常駐メモリの推移), for finding what a run's peak is.

``make bench`` gives one figure per run: the kernel's high-water mark. When two runs
differ, this says where: it runs ``generator.batch.run`` in this process, as the CLI does,
and each time a batch is finished (the run's progress callback) records the resident size and the high-water mark since the last
batch, which it then resets. Resident size is split as the kernel counts it: private
(anonymous) pages, which are the run's own, and file-backed pages, mostly shared libraries'
code, which vary by a few hundred KB between identical runs as the kernel maps neighbouring
pages in on a fault.

    python -m bench.memory_trace MEMBERS.csv --out DIR [--csv memory.csv]

Each row: batch, pages done, then KiB: the level after the batch (rss, anon, file) and the
peak while it ran (hwm, including the other batch in flight).
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date
from pathlib import Path

from generator.batch import RunConfig, RunKind, run
from generator.domain.facility_token import KeyRing
from generator.profiles import load_profile

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "fixtures" / "profiles" / "kenpo-fy3.toml"
KEYS = ROOT / "fixtures" / "keys" / "test-facility.keys"
FIELDS = ("VmRSS", "RssAnon", "RssFile", "VmHWM")


def status(pid: int | str = "self") -> dict[str, int]:
    """A process's memory as /proc counts it (``FIELDS``), in KiB; this one's by default."""
    values = {}
    with Path(f"/proc/{pid}/status").open(encoding="ascii") as handle:
        for line in handle:
            key, _, rest = line.partition(":")
            if key in FIELDS:
                values[key] = int(rest.split()[0])
    return values


def reset_high_water() -> None:
    """Start the kernel's high-water mark again from the present size (Linux ≥ 4.0)."""
    Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def trace(source: Path, out: Path, issue_date: date, workers: int) -> list[dict[str, int]]:
    config = RunConfig(
        input=source,
        profile=load_profile(PROFILE),
        issue_date=issue_date,
        kind=RunKind("enrolment"),
        out=out,
        workers=workers,
        keys=KeyRing.parse(KEYS.read_text(encoding="utf-8")),
    )
    rows: list[dict[str, int]] = []

    def batch_done(done: int, _total: int) -> None:
        now = status()
        rows.append(
            {
                "batch": len(rows),
                "pages": done,
                "rss": now["VmRSS"],
                "anon": now["RssAnon"],
                "file": now["RssFile"],
                "hwm": now["VmHWM"],
            }
        )
        reset_high_water()

    batch_done(0, 0)  # start-up: modules, fonts' coverage, templates
    run(config, progress=batch_done)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("members", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--csv", type=Path, default=Path("memory.csv"))
    parser.add_argument("--issue-date", type=date.fromisoformat, default=date(2025, 12, 1))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = trace(args.members, args.out, args.issue_date, args.workers)
    with args.csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    top = max(rows, key=lambda row: row["hwm"])
    tenth = max(1, len(rows) // 10)
    level = [
        sum(r["anon"] for r in part) // len(part) for part in (rows[1 : tenth + 1], rows[-tenth:])
    ]
    sys.stdout.write(
        f"{len(rows) - 1} batches; peak {top['hwm'] / 1024:.2f} MiB at batch {top['batch']}; "
        f"private level after a batch: {level[0] / 1024:.2f} MiB over the first tenth, "
        f"{level[1] / 1024:.2f} over the last\n"
    )


if __name__ == "__main__":
    main()
