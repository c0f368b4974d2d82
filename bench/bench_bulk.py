"""Bulk run against the naive route, measured side by side in one run.

    python -m bench.bench_bulk [--sizes 1000,10000] [--employer 2000] [--naive 20]

- bulk: ``python -m generator run`` (enrolment) over a seeded member file of each size, and
  over one whose members (but those at home) all work for one employer;
  wall time, pages, pages/s, and peak memory, sampled every 0.1 s: the Python process alone
  (what must not grow with the input) and with its LibreOffice processes.
- naive: docxtpl renders one 資格情報のお知らせ per member and ``soffice --headless
  --convert-to pdf`` converts each DOCX on its own, as a first implementation would.

The figures, and the ratio of the two routes, go to bench/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import psutil
from pypdf import PdfReader

from bench.memory_trace import status
from bench.sections import write_section
from fixtures.generate import members, write
from generator.documents import spec_for
from generator.domain.facility_token import KeyRing
from generator.facts import decide
from generator.profiles import load_profile
from generator.records import read_records
from generator.render.docx import TemplateSet
from generator.render.fonts import FONTCONFIG_FILE

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "fixtures" / "profiles" / "kenpo-fy3.toml"
KEYS = ROOT / "fixtures" / "keys" / "test-facility.keys"
ISSUE = date(2025, 12, 1)


def _sample(process: psutil.Process) -> tuple[int, int, int]:
    """The run's own resident size; with every process it started (its children, and the
    LibreOffice processes found by their pipe's name in case one left the tree), each
    counted once (its soffice is both a child and found by name); and the largest soffice."""
    try:
        own = process.memory_info().rss
        family = {c.pid: c for c in process.children(recursive=True)}
    except psutil.Error:
        return 0, 0, 0
    family.update((p.pid, p) for p in psutil.process_iter() if _is_ours(p, process.pid))
    others = largest = 0
    for member in family.values():
        with contextlib.suppress(psutil.Error):  # ended between the listing and the reading
            rss = member.memory_info().rss
            others += rss
            if member.name().startswith("soffice"):
                largest = max(largest, rss)
    return own, own + others, largest


def _high_water(pid: int) -> int:
    """The kernel's own peak resident size of ``pid`` (VmHWM): exact, where sampling every
    0.1 s misses most spikes of a few ms, and catches more of them the longer the run."""
    try:
        return status(pid).get("VmHWM", 0) * 1024
    except OSError:  # the run has just ended
        return 0


def _is_ours(candidate: psutil.Process, pid: int) -> bool:
    try:
        return any(f"name=hdg-{pid}-" in part for part in candidate.cmdline())
    except psutil.Error:
        return False


#: Both sizes draw employers of up to this many members. The larger file draws more of them
#: near that cap (10,000 members: 8 employers of 100 or more; 1,000: one), so its runs also
#: differ in make-up; the repeated run (``repeat``) differs in length alone.
MAX_EMPLOYER = 120


def _repeated(rows: list[dict[str, str]], times: int) -> list[dict[str, str]]:
    """``rows`` ``times`` over, each copy with record_ids and employers of its own: the same
    deliveries again, not one employer ten times larger."""
    copies = []
    for copy in range(times):
        for row in rows:
            again = dict(row, record_id=f"{row['record_id']}r{copy}")
            if row["employer_code"]:
                again["employer_code"] = f"{row['employer_code']}r{copy}"
            copies.append(again)
    return copies


def bulk(
    size: int, workdir: Path, *, one_employer: bool = False, repeat: int = 1
) -> dict[str, float]:
    """A run over ``size`` members; with ``one_employer``, all but those at home work for
    the same employer (a large company's 事業所): one delivery of thousands of members; with
    ``repeat``, the file of ``size // repeat`` members that many times over."""
    name = f"{size}{'-one' if one_employer else ''}{f'x{repeat}' if repeat > 1 else ''}"
    source = workdir / f"members-{name}.csv"
    base = size // repeat
    rows = _repeated(members(base, seed=base, max_employer=MAX_EMPLOYER), repeat)
    if one_employer:
        first = next(row for row in rows if row["employer_code"])
        employer = {k: v for k, v in first.items() if k.startswith("employer_")}
        for row in (row for row in rows if row["employer_code"]):
            row.update(employer)
    write(rows, source, "utf-8")
    out = workdir / f"out-{name}"
    command = [
        sys.executable,
        "-m",
        "generator",
        "run",
        str(source),
        "--profile",
        str(PROFILE),
        "--issue-date",
        ISSUE.isoformat(),
        "--kind",
        "enrolment",
        "--out",
        str(out),
        "--facility-keys",
        str(KEYS),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watched = psutil.Process(process.pid)
    peak_own = peak_all = peak_office = 0
    while process.poll() is None:
        own, everything, office = _sample(watched)
        peak_own = max(peak_own, own, _high_water(process.pid))
        peak_all = max(peak_all, everything)
        peak_office = max(peak_office, office)
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(
            f"bulk run failed: {process.stderr.read().decode() if process.stderr else ''}"
        )
    pages = sum(len(PdfReader(p).pages) for p in (out / "deliveries").glob("*.pdf"))
    return {
        "members": size,
        "one_employer": float(one_employer),
        "repeat": float(repeat),
        "pages": pages,
        "seconds": seconds,
        "pages_per_s": pages / seconds,
        "peak_python_mb": peak_own / 2**20,
        "peak_all_mb": peak_all / 2**20,
        "peak_office_mb": peak_office / 2**20,
    }


def naive(count: int, workdir: Path) -> dict[str, float]:
    source = workdir / "naive.csv"
    write(members(count * 2, seed=4242, bad_share=0), source, "utf-8")
    profile = load_profile(PROFILE)
    keys = KeyRing.parse(KEYS.read_text(encoding="utf-8"))
    spec = spec_for("qualification-notice")
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTCONFIG_FILE), HOME=str(workdir))
    profile_dir = (workdir / "naive-profile").as_uri()
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation={profile_dir}", "--terminate_after_init"],
        env=env,
        check=False,
        capture_output=True,
    )  # a first start builds the profile; not timed
    done = pages = 0
    started = time.perf_counter()
    for item in read_records(source):
        if done == count or not hasattr(item, "record_id"):
            break
        facts = decide(item, profile, ISSUE)  # type: ignore[arg-type]
        docx = workdir / f"naive-{done}.docx"
        docx.write_bytes(
            TemplateSet().render(spec.template, [spec.build(facts, profile, keys).as_vars()])
        )
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation={profile_dir}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(workdir),
                str(docx),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        pages += len(PdfReader(io.BytesIO(docx.with_suffix(".pdf").read_bytes())).pages)
        done += 1
    seconds = time.perf_counter() - started
    return {"documents": done, "pages": pages, "seconds": seconds, "pages_per_s": pages / seconds}


NOTES = """
### Notes

- Targets (issue 27, on this 2-core machine): over 10,000 members at least 150× the naive
  route in pages/s; peak RSS of the Python process at 10,000 members within 8 MiB of 1,000
  members, and one employer of 2,000 members within 16 MiB of that: memory does not grow
  with the input. Compare the table.
- What issue 27's removals cost or saved. Removed: `generator/memory.py` (glibc mallopt
  policy, one malloc arena, a global lock around DOCX builds and assemblies, a forced
  collection and `malloc_trim` after each, `gc.freeze` after start-up), the hand-written PNG
  writer (QR codes and barcodes now through Pillow), the hand-written TrueType cmap reader,
  `render/stamp.py`'s in-place xref rewriting (single documents now finished by pypdf like
  every other), and the shared pydantic field sets of `domain/models.py`.
  - Memory, against the last bench with all of them (2026-12-01: 71.7 MiB at 1,000
    members, 71.8 at 10,000, 77.2 for one employer): with everything removed and the fonts'
    coverage read by fontTools at start-up, 95.1 / 95.0 / 96.6 MiB (this machine, the same
    day as the table); fontTools left ~13.5 MiB of heap behind, so the coverage is now
    computed at build time (`python -m fonts.build` writes `fonts/coverage.json`, which
    rendering reads without a font parser): 81.6 / 83.2 / 89.2 MiB (the first bench of
    2026-12-05; the table is a second, later that day: 82.5 / 83.1 / 89.6 MiB). The
    remaining ~10 MiB above 2026-12-01 is the allocator policy, the forced collections and
    the shared field sets together (not measured one by one: a bench is ~7 minutes). Every
    target still holds: 10,000 members +1.6 MiB over 1,000, one employer +7.6 MiB.
  - Speed: none measurable. 1,000 members, single runs the same hour: the code before the
    removals (0f128f5) 17.2 and 17.0 s, after them 18.1, 17.8, 17.0 s; `gc.collect()` and
    `gc.freeze()` before the run added back, 18.1 and 17.2 s. A QR code through Pillow
    takes 1.20 ms, through the hand writer 1.39; a customer barcode 0.35 against 0.21 ms
    (200 each). The table's pages/s are below 2026-12-01's on both routes: the naive route
    too fell from 1.16 to 1.05 pages/s; the ratio at 10,000 members was 163× in the first
    bench of 2026-12-05 and 166× in the table's (203× on 2026-12-01).
  - Kept, because removing it breaks a target: the streamed DOCX body
    (`render/docx_body.py`, `render/docx_package.py`). The A/B: every template sent down
    docxtpl's own route (the chunk's body parsed into one tree, `fix_tables`,
    `fix_docpr_ids`, python-docx's `save`; the route templates with `{%tc %}` tags take),
    against HEAD, two `python -m bench.bench_bulk` invocations back to back on 2026-12-05
    (the second shared the machine with browser tests, so its seconds are noisy):

    | route | 1,000 | 10,000 | 10,000, ×10 | one employer of 2,000 | 10,000 vs naive |
    |---|---:|---:|---:|---:|---:|
    | docxtpl's tree | 211.2 MiB | 208.8 MiB | 227.6 MiB | **244.2 MiB** (+33.0) | 146× (137.3 pages/s) |
    | streamed (kept) | 82.1 MiB | 84.5 MiB | 85.1 MiB | 89.1 MiB (+7.0) | 124× (117.4 pages/s) |

    The tree route costs 124–155 MiB more at every size and its one-employer run is 33 MiB
    over its 1,000-member run, twice the 16 MiB the target allows: an employer's sender
    list and a chunk's bodies are whole trees at once. Its speed is inside the spread of
    the two invocations (HEAD's own 10,000 ×10 run gave 173.4 pages/s, 182×), so the speed
    decides nothing here; the memory does.
  - The notes below are issue 4's history; the parts they name (`memory.settle`,
    `memory.MMAP_THRESHOLD`, `peak()`, render/png.py, render/cmap.py, render/stamp.py,
    the shared field sets) are the ones removed above.
- "Peak RSS, Python" is the kernel's own high-water mark of the `generator run` process
  (VmHWM), so a spike of a few ms counts however short. "Largest soffice" is the peak of
  the largest single LibreOffice process. "With LibreOffice" adds every process the run
  started (the soffice processes and the UNO agents that drive them, ~24 MiB each), each
  counted once. Both are sampled every 0.1 s.
- Where the run's memory goes: ~63 MiB once modules are loaded; ~69 MiB once the fonts'
  coverage, the templates and pass 1 are done; 71–72 MiB while a batch is in flight (its
  members, contexts and converted chunks, one DOCX build or assembly at a time).
  Python's own objects (tracemalloc, a 3,000-member run) stay at ~40 MiB from the 100th
  delivery to the 290th: what differs between batches is only the batch in hand.
- What kept it growing with the input, and is gone: the deliveries listed and sorted in
  Python (now in SQLite); SQLite's page cache filling to 2 MB on long runs only (256 KB);
  each batch's PDFs held until the batch ended (written one by one); a 40-document DOCX
  parsed into an ~11 MB tree, then held as ~2 MB of text (now compressed into the package a
  member at a time); FastAPI and Celery imported by every run; pydantic's string cache
  filling with the names and addresses of members read back from JSON (values no longer
  cached); up to 1,000 deliveries and their recipients read ahead (100, without
  recipients); every record_id read kept in a set to refuse repeats (now in SQLite); rich's
  caches filling as the bar was redrawn ten times a second (redrawn per batch); pyuno's
  leak on every UNO call and its ~11 MB runtime (UNO now lives in an agent process per
  soffice, recycled with it); cyclic garbage of one DOCX build or assembly still there
  during the next now and then (collected as each ends); a batch's contexts held after
  their conversion (let go). Lower for every size, not growing: the fonts' coverage was
  five frozensets (~5 MiB; now a 1 MiB table) read through fontTools, which named 60,000
  glyphs and left ~19 MiB of heap behind (render/cmap.py reads the cmaps directly). zlib's
  four 64 KB blocks for every zip entry a DOCX build compresses came from the heap and grew
  it past longer-lived blocks (blocks from 64 KB up now come from mmap, given back when
  freed: `memory.MMAP_THRESHOLD`, 1–2 MiB lower, more so on long runs).
- What grew with a delivery's size, and is gone: its PDF built whole by pypdf's writer,
  every page's objects and then the file twice (~1 MB of objects per 400 pages; now written
  page by page, render/pdfstream.py, ~1 MiB lower on both sizes); an employer larger than a
  batch, decided and converted whole (2,000 members in one delivery: 174 MiB; now in
  rounds, the file open between rounds, its chunks converted on both LibreOffice processes
  at once: see the one-employer row, 73 s before that last change, 50 s after).
- What grew with the heaviest batch, and is gone: batches were cut at 120 members only, and
  120 members take 250 to 400 pages as their documents and deliveries vary, so the longer
  run met heavier batches (390 pages against 358). Batches and rounds now also close
  before 300 pages (`RunConfig.batch_pages`), a ceiling both sizes reach. Two more things a
  batch held went: its converted chunks' bytes (now in unnamed files in the run's work
  folder, read object by object) and every object of a round parsed and cached by pypdf
  until the round was written (dropped from the reader once written). Together ~2 MiB lower
  at both sizes (3,000 members: 78.8 → 76.8 MiB, minutes apart; pixel-identical pages).
- What grew with a name's characters, and is gone: one 外字 beyond the BMP (𠮷) made
  jinja's string of a member's document 4 bytes a character, and a DOCX build held several
  copies of it for a moment; a sender list's page of such a name made the run's largest
  transient (1.36 MiB; 0.8 now). Each member's XML is now encoded to UTF-8 piece by piece as
  jinja renders it (render/docx_body.py), with the same bytes. Against the last bench:
  76.6 → 76.1 MiB at 1,000 members, 77.1 → 76.8 at 10,000.
- What grew with the run's length, and is gone: pass 1 wrote its rows 500 at a time, a
  buffer the 1,000-member run's ~300 deliveries never filled (0.4 MiB more resident after
  the 10,000-member pass 1; now 100, 0.1); 64 QR codes cached, each member's own code kept
  long after its build and scattered through the heap (now 4: the マイナポータル code);
  glibc's fastbins and a 64 KB mmap threshold, under which a member's XML copies (20–60
  KB) and small freed blocks split the heap's free space (`memory.settle`: 16 KB, no
  fastbins); every converted chunk's pages listed (~7 KB a page) from its conversion to its
  batch's assembly, so the batch waiting on LibreOffice weighed on the other's assembly
  (now counted by the page tree, listed at assembly). A chunk's template package is also
  read once per process, not opened and saved by python-docx for every chunk
  (render/docx_package.py, the same bytes, builds 10–30 % faster). Against the last bench:
  76.1 → 75.4 MiB at 1,000 members, 76.8 → 76.0 at 10,000, 76.7 → 75.5 for the repeated
  row.
- A batch's contexts are built a chunk at a time, when the chunk is converted (`Chunks`,
  the same bytes): the round's QR codes, barcodes and texts (~1.5 MB for 120 members) were
  built up front and held while the other batch assembled. Single runs the same hour, four
  before and two after: 75.6 → 75.4 MiB on average at 1,000 members, 76.2 → 76.0 at 10,000;
  this bench's 75.5 and 76.1 are within the run-to-run spread of the last bench's.
- A member read back from JSON weighed 5.8 KB, half of it pydantic's set of given fields on
  each instance (the Member and its four nested models), and a run holds two to three
  batches of members at once. Equal sets are now shared (`domain/models.py`). Against the
  last bench: 75.5 → 74.6 MiB at 1,000 members, 76.1 → 75.1 at 10,000, 80.3 → 79.3 for one
  employer.
- Before one batch at a time: the 10,000-member run peaked above the 1,000-member one, and
  the peak kept rising slowly with the run's length. Single runs the same hour, before the
  shared field sets (VmHWM): 1,000 members 75.3–75.7 MiB, 3,000 76.4, 10,000 75.9–76.3,
  30,000 77.4. `python -m bench.memory_trace` shows why, batch by batch: the private
  memory left after a batch creeps ~0.6 MiB over the first ~200 batches (30,000 members:
  49.3 MiB over the first tenth, 49.8 over the last), while Python's own blocks (34
  pymalloc arenas, start to end) and glibc's bytes in use stay flat. It is free memory the
  allocators keep resident, as deep as the busiest moment so far has dug, not data; 1,000
  members (11 batches) stop before most of it. Libraries' code pages also vary by ~0.25
  MiB between identical runs. Tried and dropped: glibc malloc for Python objects (+2 MiB),
  jemalloc (+3 MiB), one malloc arena (no change then; adopted
  since, below).
- A local run now renders one batch at a time, its chunks on both LibreOffice processes,
  the longest first, each process taking the next chunk as soon as it is free
  (`LocalBatches`, `Chunks.convert`; the same bytes). With a batch per process, each was
  assembled while the other was half converted. Three single runs of each, the same hour:
  1,000 members 74.55 → 73.73 MiB, 3,000 75.18 → 73.99 (the gap 0.63 → 0.26 MiB); 10,000
  75.2 → 74.0. It costs 5–10 % of the speed: a process still waits while a batch is
  assembled. In between, the next batch converting during the assembly was as fast as
  before and peaked as high; one batch at a time with chunks collected in order, 11 %
  slower.
- What made the longer run peak higher, and is gone. It was not the run's length (the
  1,000-member file ten times over peaked level with the 1,000-member run) but the spread
  between batches: traced stretch by stretch (each `peak()` stretch's own high-water
  mark), the run's peak was always a DOCX build, mostly a batch's cover letters, and a
  full batch's peak varied by ~0.45 MiB, so 110 batches reached further into that spread
  than 11. Two things in a build went: the DOCX compressed in memory (now written to the
  file LibreOffice reads, its parts stored, and the PDF read from the file LibreOffice
  writes: `Converter.convert_file`), and Pillow's PNG encoder for every QR code and
  barcode, which took zlib's largest state and 64 KB buffers (render/png.py; the same
  pixels, the same PDF bytes). A build's own rise fell from 460–680 KB on average (sd
  70–130) to 240–400 (sd ~50), and the resident size between stretches by ~0.8 MiB. Three
  single runs of each, the same hour (VmHWM): 1,000 members 73.8 → 72.6 MiB, 3,000 73.9 →
  72.7; 10,000 74.0 → 72.7. On the way: the PDF read from its file alone changed nothing
  measurable; building the cover letters and sender lists first instead of last, nothing.
- What grew past ~20,000 members, and is gone: Python 3.11's pathlib interns every part of
  a path it parses, so each delivery's file name took a slot in the interpreter's table of
  interned strings. Freed with the name, but the table is rebuilt only when its slots run
  out, and then doubles: ~1 MiB more at batch ~215 of a 30,000-member run, kept to its end.
  Delivery and chunk files are now named as text (`outputs.inside`), and no batch after the
  first interns a string (read in the table itself). 30,000 members: 74.3 → 73.0 MiB.
- One malloc arena for every thread (`memory.settle`): the DOCX builds run on the
  conversion threads and the assembly on the main thread, and with two arenas each kept
  the free memory of its own busiest moment. Three single runs each, interleaved: 1,000
  members 72.69 → 72.63 MiB, 3,000 72.80 → 72.63; 10,000 72.95 → 72.83 (one each). Small,
  inside the spread between runs; the same speed.
- What each build and assembly still held, and is gone. A DOCX build cut each member's
  XML to its body, broke it to a new page and numbered its drawings with four copies of it
  at once (a sender list's page ~60 KB), and every build dug ~250 KB into the heap's
  trimmed free pages; jinja's pieces now pass into the package one by one, the listing
  pass a paragraph at a time (render/docx_body.py). An assembly held ~1 MB of Python
  objects at its fullest, pypdf's parsed pages of the whole round and what writing them
  had read, and its spread between batches set pymalloc's high-water mark; pages are now
  read one at a time from LibreOffice's flat page tree and dropped from the reader once
  written (`pdf.page_at`, `pdf.forget_read`): 25 KB. zlib's default window, 64 KB a
  QR code or barcode, came from the heap's free space, not from mmap; PNGs use its
  smallest (render/png.py; the same PDF bytes). A build's heap growth fell from ~245 KB
  on average to ~53. Single runs, interleaved (VmHWM): 1,000 members 72.64 → 72.34 MiB
  (streamed XML, three runs each) → 71.52 (pages one at a time, two) → 71.16–71.35
  (window, three); 10,000 members 72.81 → 72.53 → 71.70 → 71.40 (one).
- What still differs. Between the 11th batch and the 105th of a 10,000-member run,
  pymalloc opens no new arena (those it has fill, below); glibc's heap gains ~45 KB of
  resident pages with the same bytes in use (its free chunks, 720 → 760, split finer),
  and the run's high-water mark rose ~90 KB, once, around the 30th batch. 10,000
  members now peak 0.1–0.3 MiB above 1,000 in single runs (below).
- VmHWM itself is not exact here (kernel 6.18, 2 CPUs). Reading VmRSS, which matches
  smaps_rollup, at the end of every DOCX build and assembly, two runs of three ended with a
  VmHWM below a resident size read earlier in the same run: 10,000 members 71.71 MiB
  against 71.83 read, 1,000 members 71.52 against 71.68. By that direct reading, 10,000
  members peaked 0.15–0.25 MiB above 1,000 (71.83 against 71.57 and 71.68): the gap is
  real, and VmHWM's error is as large as it.
- Where the rest comes from, traced at rest before each batch and at the end of every
  stretch (the 1,000-member file ×10): Python's allocator, pymalloc, takes a new pool from
  its fullest arena and carves untouched pages there while its other arenas keep free
  pools resident. The arena opened in the first batch grew from 68 KB resident to 364 KB
  by the 36th batch, then stopped; all of pymalloc's mappings gained ~124 KB between the
  7th batch and the 37th, none after. glibc's heap at rest gained 50–90 KB more, slowly.
  The 1,000-member run peaks in its first batch; the longer runs peak late, with ~260 KB
  more in pymalloc's pages. Single runs the same hour (VmHWM): 1,000 members 71.41–71.63
  MiB (five), 10,000 71.70–71.84 (four), the 1,000 file ×10 71.70–71.80 (two), ×30 71.88.
- Tried against it and dropped, each measured as above: the heap not trimmed (every size
  0.1–0.3 MiB higher, the same gap); an mmap threshold of 8 or 4 KB (inside the spread);
  templates and fonts' coverage loaded before start-up's objects are frozen, members
  decided as read instead of held for the batch, only the マイナポータル QR code cached
  (the same creep, batch by batch); Python's objects from glibc, PYTHONMALLOC=malloc
  (74.05 and 74.17 MiB: 2.5 MiB more, the same gap); the run in processes of 11 batches
  each, resumed one after the other (each process peaked between 70.9 and 72.0 MiB, and
  the run took 16–21 % longer); a drawing's XML written as text, not through lxml (a cover
  letter's build ~10 KB lower, inside the spread of all builds).
- LibreOffice: each soffice's text-layout caches are capped in its own profile
  (render/convert/profile.py). Before, they filled with every member's name and address
  (20 MB of glyph runs, 100,000 text runs by default), and a process grew from ~160 MiB
  after its first chunk to ~240 after 30 and ~260 after 300: the sum over the run's
  processes was 604 MiB at 1,000 members and 661 at 10,000. Now a process is largest for a
  moment as it starts (214–222 MiB, at either size) and then levels at 175–190 MiB.
  What still grows is LibreOffice's own: ~30 KB per loaded document (the same without the
  agent's page-count query), ~7 MiB by a process's 300th conversion, so the sum is still
  larger for the longer run. Recycling after 500 conversions bounds it for longer runs;
  recycling as often as the 1,000-member run converts (30 a process) would cost ~2.8 s per
  restart and a start-up spike each time, larger than what it saves.
- The machine is shared: the same run varies by 20 % or more in wall time from one
  invocation to the next. Compare figures taken in one invocation.
"""


def report(runs: list[dict[str, float]], slow: dict[str, float]) -> str:
    lines = [
        "## Bulk runs",
        "",
        f"Measured by `python -m bench.bench_bulk` on {date.today().isoformat()}: {platform.machine()}, "
        f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; LibreOffice from Debian. "
        "Both routes run in the same invocation on the same machine.",
        "",
        "### Bulk run (`python -m generator run`, enrolment, 2 LibreOffice processes)",
        "",
        f"Synthetic members (`fixtures.generate`, employers of 1 to {MAX_EMPLOYER} members, 2 % bad rows); "
        "seconds are wall time of the whole command, start-up and planning included.",
        "",
        "| members | pages | seconds | pages/s | peak RSS, Python | largest soffice | "
        "with LibreOffice |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        label = f"{r['members']:,.0f}" + (", one employer" if r["one_employer"] else "")
        if r["repeat"] > 1:
            label += f", the {r['members'] / r['repeat']:,.0f} file ×{r['repeat']:.0f}"
        lines.append(
            f"| {label} | {r['pages']:,.0f} | {r['seconds']:.1f} | {r['pages_per_s']:.1f} | "
            f"{r['peak_python_mb']:.1f} MiB | {r['peak_office_mb']:.0f} MiB | "
            f"{r['peak_all_mb']:.0f} MiB |"
        )
    lines += [
        "",
        "### Naive route (docxtpl, then one `soffice --headless --convert-to pdf` per document)",
        "",
        "| documents | pages | seconds | pages/s |",
        "|---:|---:|---:|---:|",
        f"| {slow['documents']:.0f} | {slow['pages']:.0f} | {slow['seconds']:.1f} | {slow['pages_per_s']:.2f} |",
        "",
        "### Ratio",
        "",
    ]
    sized = [r for r in runs if not r["one_employer"] and r["repeat"] == 1]
    for r in sized:
        lines.append(
            f"- {r['members']:,.0f} members: bulk is **{r['pages_per_s'] / slow['pages_per_s']:.0f}×** "
            "the naive route in pages/s."
        )
    if len(sized) > 1:
        first, last = sized[0], sized[-1]
        lines.append(
            f"- Peak Python memory: {first['peak_python_mb']:.1f} MiB at {first['members']:,.0f} "
            f"members, {last['peak_python_mb']:.1f} MiB at {last['members']:,.0f}."
        )
    for r in runs:
        if r["repeat"] > 1:
            lines.append(
                f"- Length alone (the {r['members'] / r['repeat']:,.0f}-member file "
                f"×{r['repeat']:.0f}): {r['peak_python_mb']:.1f} MiB."
            )
        if r["one_employer"]:
            lines.append(
                f"- One employer of {r['members']:,.0f} members (one delivery, written round "
                f"by round): {r['peak_python_mb']:.1f} MiB."
            )
    return "\n".join(lines) + "\n" + NOTES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--naive", type=int, default=20)
    parser.add_argument(
        "--employer", type=int, default=2000, help="members of the one-employer run (0: none)"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "BENCHMARKS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hdg-bench-") as directory:
        workdir = Path(directory)
        sizes = [int(size) for size in args.sizes.split(",")]
        runs = [bulk(size, workdir) for size in sizes]
        if len(sizes) > 1 and sizes[-1] % sizes[0] == 0:
            runs.append(bulk(sizes[-1], workdir, repeat=sizes[-1] // sizes[0]))
        if args.employer:
            runs.append(bulk(args.employer, workdir, one_employer=True))
        slow = naive(args.naive, workdir)
    text = report(runs, slow)
    write_section(args.output, "bulk", text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
