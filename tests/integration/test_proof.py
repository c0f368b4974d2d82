"""``templates proof`` through the real LibreOffice: every template with ordinary, longest and
外字 data, preflighted and pictured; an edited template compared with the last proof."""

from __future__ import annotations

import io
import json
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from generator.proof.render import ENTRIES
from generator.proof.samples import SAMPLES
from tests.conftest import KEYS_FILE, ROOT

pytestmark = pytest.mark.libreoffice

_TEMPLATES = ROOT / "templates"


def _proof(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "templates", "proof", "--out", str(out),
               "--issue-date", "2025-12-01", *extra]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def full_proof(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("proof") / "all"
    done = _proof(out, "--facility-keys", str(KEYS_FILE))
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_every_template_is_proofed_with_every_data_set(full_proof: Path) -> None:
    summary = json.loads((full_proof / "proof.json").read_text(encoding="utf-8"))
    assert summary["ok"]
    assert [d["key"] for d in summary["documents"]] == [e.key for e in ENTRIES]
    for document in summary["documents"]:
        assert [s["sample"] for s in document["samples"]] == [s.key for s in SAMPLES]
        assert (full_proof / document["sheet"]).is_file()
        for sample in document["samples"]:
            assert sample["violations"] == []
            assert len(sample["pages"]) == sample["page_count"] >= 1
            for page in sample["pages"]:
                assert (full_proof / page["png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (full_proof / "index.html").read_text(encoding="utf-8")
    assert "最長のデータ" in page
    assert "外字を含むデータ" in page
    for path in full_proof.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path


def _edited(folder: Path, greeting: str) -> Path:
    """A folder holding only the cover letter, its greeting changed as an insurer might."""
    folder.mkdir()
    source = io.BytesIO((_TEMPLATES / "cover-letter.docx").read_bytes())
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(folder / "cover-letter.docx", "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"{{ greeting }}", greeting.encode())
            new.writestr(item, data)
    return folder


def test_an_edited_template_is_shown_beside_the_last_proof(tmp_path: Path) -> None:
    before = tmp_path / "before"
    assert (
        _proof(before, "--templates", str(_edited(tmp_path / "a", "{{ greeting }}"))).returncode
        == 0
    )
    same = _proof(tmp_path / "same", "--templates", str(tmp_path / "a"), "--compare", str(before))
    edited = _edited(tmp_path / "b", "{{ greeting }}（本年もよろしくお願いいたします。）")
    changed = _proof(tmp_path / "changed", "--templates", str(edited), "--compare", str(before))
    assert same.returncode == changed.returncode == 0, changed.stderr
    for out, moved in ((tmp_path / "same", False), (tmp_path / "changed", True)):
        summary = json.loads((out / "proof.json").read_text(encoding="utf-8"))
        (document,) = summary["documents"]  # only the template the folder holds
        assert document["key"] == "cover-letter"
        for sample in document["samples"]:
            (page,) = sample["pages"]
            assert (page["changed"] > 0) is moved
            assert (out / page["diff_png"]).is_file()
            assert (out / page["old_png"]).is_file()
            # A changed page is also shown enlarged where it changed, old above new.
            assert ("zoom_png" in page) is moved
            if moved:
                top, bottom = page["where"]
                assert 0 <= top <= bottom <= 100
                with Image.open(out / page["zoom_png"]) as zoom:
                    assert zoom.width > 0
    shutil.rmtree(tmp_path)


def test_a_proof_refuses_a_folder_in_use(full_proof: Path) -> None:
    done = _proof(full_proof)
    assert done.returncode == 1
    assert "is not empty" in done.stderr
