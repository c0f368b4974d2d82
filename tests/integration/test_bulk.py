"""A bulk run as an operator runs it: CP932 input with bad rows, the real LibreOffice, and a
run killed halfway then resumed, which must give the bytes of an unbroken run."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from fixtures.generate import encodable, members, write
from generator.render.pdf import unembedded_fonts
from tests.conftest import KEYS_FILE, PROFILES, ROOT
from tests.integration.converter_processes import of_pool, wait_for

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def member_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bulk") / "members.csv"
    rows = members(240, seed=9, cp932=True, bad_share=0.03)
    for row in rows:
        if any(not encodable(v) for v in row.values()):
            row["name"] = "山田 花子"
    write(rows, path, "cp932")
    return path


def _command(member_file: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "generator", "run", str(member_file),
        "--profile", str(PROFILES / "kenpo-fy3.toml"), "--issue-date", "2025-12-01",
        "--kind", "enrolment", "--out", str(out), "--facility-keys", str(KEYS_FILE), *extra,
    ]  # fmt: skip


@pytest.fixture(scope="module")
def unbroken(member_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("unbroken") / "out"
    subprocess.run(
        _command(member_file, out, "--workers", "2"), check=True, cwd=ROOT, capture_output=True
    )
    return out


def _outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _text(pdf: PdfReader, pages: range) -> str:
    return re.sub(r"\s+", "", "".join(pdf.pages[i].extract_text() for i in pages))


def test_every_record_is_accounted_for(unbroken: Path, member_file: Path) -> None:
    with member_file.open(encoding="cp932") as handle:
        ids = [row["record_id"] for row in csv.DictReader(handle)]
    manifest = json.loads((unbroken / "manifest.json").read_text(encoding="utf-8"))
    errors = list(
        csv.DictReader(io.StringIO((unbroken / "errors.csv").read_text(encoding="utf-8")))
    )
    assert sorted(
        [r["record_id"] for r in manifest["records"]] + [e["record_id"] for e in errors]
    ) == sorted(ids)
    assert errors


def test_deliveries_as_an_envelope_needs_them(unbroken: Path) -> None:
    manifest = json.loads((unbroken / "manifest.json").read_text(encoding="utf-8"))
    by_file: dict[str, list[dict[str, object]]] = {}
    for record in manifest["records"]:
        by_file.setdefault(str(record["delivery"]), []).append(record)
    for entry in manifest["files"]:
        pdf_bytes = (unbroken / entry["file"]).read_bytes()
        reader = PdfReader(io.BytesIO(pdf_bytes))
        assert len(reader.pages) % 2 == 0
        members = [item for item in reader.outline if not isinstance(item, list)]
        assert len(members) == entry["members"]
        assert unembedded_fonts(pdf_bytes) == []
        cover = _text(reader, range(1))
        assert "〒" in cover
        records = by_file[entry["file"]]
        assert all(int(r["pages"][0]) % 2 == 1 for r in records)  # type: ignore[index]
        if not entry["delivery"].startswith("home-"):
            first_member = min(int(r["pages"][0]) for r in records)  # type: ignore[index]
            sender_list = _text(reader, range(1, first_member - 1))
            assert "送付者リスト" in sender_list
            assert f"計{entry['members']}名" in sender_list


def test_each_members_pages_are_that_members(unbroken: Path, member_file: Path) -> None:
    """Pages are handed out from several conversions a batch; none goes to a neighbour."""
    with member_file.open(encoding="cp932") as handle:
        names = {row["record_id"]: row["name"] for row in csv.DictReader(handle)}
    manifest = json.loads((unbroken / "manifest.json").read_text(encoding="utf-8"))
    readers: dict[str, PdfReader] = {}
    for record in manifest["records"]:
        file = str(record["delivery"])
        reader = readers.setdefault(file, PdfReader(unbroken / file))
        first, last = (int(n) for n in record["pages"])  # type: ignore[union-attr]
        text = _text(reader, range(first - 1, last))
        assert re.sub(r"\s+", "", names[str(record["record_id"])]) in text, record["record_id"]


def test_a_killed_run_resumes_to_the_same_bytes(
    member_file: Path, unbroken: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        _command(member_file, out, "--workers", "1"), cwd=ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not list((out / "deliveries").glob("*.pdf")) and time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before it could be killed"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # Its LibreOffice processes end with it, on their own.
    wait_for(lambda: not of_pool(process.pid), "converter processes outlived the run")
    assert (out / ".work").exists()
    assert not (out / "manifest.json").exists()
    refused = subprocess.run(
        _command(member_file, out), cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert refused.returncode == 1
    assert "--resume" in refused.stderr
    # Resumed as an operator would type it, from the run's own folder (``--out out``).
    subprocess.run(
        _command(member_file, Path("out"), "--resume"),
        check=True, cwd=tmp_path, capture_output=True,
    )  # fmt: skip
    assert _outputs(out) == _outputs(unbroken)
    assert not (out / ".work").exists()
