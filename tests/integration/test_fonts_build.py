"""The committed fonts, and their coverage table, are what fonts/build.py derives from
fonts/upstream, byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from fonts import build

FONTS = Path(build.__file__).parent
FACES = sorted(name for faces in build.FACES.values() for name in faces[:2])
DERIVED = sorted([*FACES, build.COVERAGE])


@pytest.fixture(scope="module")
def rebuilt() -> dict[str, bytes]:
    return build.build()


@pytest.mark.parametrize("name", DERIVED)
def test_the_build_derives_the_committed_file(rebuilt: dict[str, bytes], name: str) -> None:
    def sha256(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    assert sha256(rebuilt[name]) == sha256((FONTS / name).read_bytes()), (
        f"fonts/{name} differs from what fonts/build.py derives: run `python -m fonts.build`"
    )


def test_every_committed_biz_ud_face_is_derived(rebuilt: dict[str, bytes]) -> None:
    assert sorted(rebuilt) == DERIVED
    assert sorted(p.name for p in FONTS.glob("BIZUD*.ttf")) == FACES


def test_the_core_keeps_every_character_of_the_templates() -> None:
    core = build.core_characters()
    assert {ord(c) for c in "資格情報のお知らせ膵臓✓ｱ山"} <= core
    assert ord("𠮷") not in core
