"""Derives the pinned BIZ UD faces (フォントの分割) from the upstream files in ``fonts/upstream``.

Each upstream face is split in two, outlines and metrics untouched, hinting dropped:

- the core face, under the upstream family name: JIS X 0208's non-kanji rows (1–8) and its
  level-1 kanji (rows 16–47), ASCII, half-width katakana, and every character of the
  templates' text (``templates/src``), which the documents always print;
- the Ext face, family ``<family> Ext``: every other character upstream maps.

LibreOffice's PDF export walks every BMP character of each font a page uses; a page of core
characters only (most pages) no longer pays for ~8,000 rare ones. ``fonts/fonts.conf`` makes
each Ext face its core face's first fallback. ``coverage.json`` lists the code points of
every pinned family (the 外字 font's too), which rendering checks each record against.
``head.modified`` is pinned to the day each face was first derived, so a build is
byte-for-byte repeatable (fontTools would write the clock).

    python -m fonts.build            # every face into fonts/
    python -m fonts.build --out DIR  # elsewhere (the tests compare the two)
"""

from __future__ import annotations

import argparse
import html
import io
import json
import re
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from generator.render.fonts import COVERAGE, FONT_FILES

HERE = Path(__file__).resolve().parent
UPSTREAM = HERE / "upstream"
TEMPLATE_SOURCES = HERE.parent / "templates" / "src"
#: Upstream face → (core file, Ext file, each one's pinned head.modified).
FACES: dict[str, tuple[str, str, int, int]] = {
    "BIZUDMincho-Regular.ttf": (
        "BIZUDMincho-Regular.ttf", "BIZUDMinchoExt-Regular.ttf", 3878190507, 3878190511,
    ),
    "BIZUDGothic-Regular.ttf": (
        "BIZUDGothic-Regular.ttf", "BIZUDGothicExt-Regular.ttf", 3878190512, 3878190515,
    ),
    "BIZUDGothic-Bold.ttf": (
        "BIZUDGothic-Bold.ttf", "BIZUDGothicExt-Bold.ttf", 3878190516, 3878190519,
    ),
}  # fmt: skip
#: EUC-JP lead bytes of JIS X 0208's rows 1–8 (symbols, kana, Latin, Greek, Cyrillic,
#: box drawing) and 16–47 (level-1 kanji).
_JIS_ROWS = (*range(0xA1, 0xA9), *range(0xB0, 0xD0))
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def core_characters() -> set[int]:
    """The code points every core face keeps (those upstream maps)."""
    chosen = set(range(0x20, 0x7F)) | set(range(0xFF61, 0xFFA0))  # ASCII, half-width kana
    for lead in _JIS_ROWS:
        for trail in range(0xA1, 0xFF):
            try:
                chosen.add(ord(bytes((lead, trail)).decode("euc_jp")))
            except (UnicodeDecodeError, TypeError):  # unassigned, or not one character
                continue
    for source in sorted(TEMPLATE_SOURCES.rglob("*.xml")):
        for text in _TEXT.findall(source.read_text(encoding="utf-8")):
            chosen.update(map(ord, html.unescape(text)))
    return chosen


def _options() -> subset.Options:
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]  # vertical forms, proportional kana …
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = True
    options.drop_tables = [*options.drop_tables, "meta"]  # dropped anyway: said, not warned
    return options


def _rename_ext(font: TTFont) -> None:
    """Family ``X`` becomes ``X Ext`` in every name the face is chosen or shown by."""
    name = font["name"]
    families = {(r.platformID, r.platEncID, r.langID): str(r) for r in name.names if r.nameID == 1}
    for record in name.names:
        text = str(record)
        if record.nameID == 1:
            record.string = f"{text} Ext"
        elif record.nameID == 3:
            record.string = f"{text};Ext"
        elif record.nameID == 4:  # the full name: the family, then the style (" Bold")
            family = families[record.platformID, record.platEncID, record.langID]
            record.string = f"{family} Ext{text.removeprefix(family)}"
        elif record.nameID == 6:
            family, _, style = text.partition("-")
            record.string = f"{family}Ext-{style}"


def derive(upstream: str, codes: set[int], *, ext: bool, modified: int) -> bytes:
    """One face: ``codes`` of the upstream file, renamed when it is the Ext face."""
    font = TTFont(UPSTREAM / upstream, recalcTimestamp=False)
    subsetter = subset.Subsetter(_options())
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    if ext:
        _rename_ext(font)
    font["head"].modified = modified
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def coverage(faces: dict[str, bytes]) -> bytes:
    """``coverage.json``: each pinned family's code points as ranges [first, last], read
    here from the fonts' cmaps, so that rendering needs no font parser (fontTools held ~15
    MiB in every process that checked a record)."""
    ranges: dict[str, list[list[int]]] = {}
    for family, files in FONT_FILES.items():
        codes: set[int] = set()
        for name in files:
            data = faces.get(name) or (HERE / name).read_bytes()
            with TTFont(io.BytesIO(data), lazy=True) as font:
                codes.update(font.getBestCmap() or {})
        runs: list[list[int]] = []
        for code in sorted(codes):
            if runs and runs[-1][1] == code - 1:
                runs[-1][1] = code
            else:
                runs.append([code, code])
        ranges[family] = runs
    return json.dumps(ranges, separators=(",", ":")).encode() + b"\n"


def build() -> dict[str, bytes]:
    """Every derived file by name: the faces, then their coverage."""
    core = core_characters()
    faces = {}
    for upstream, (core_file, ext_file, core_modified, ext_modified) in FACES.items():
        with TTFont(UPSTREAM / upstream, lazy=True) as font:
            mapped = set(font.getBestCmap())
        faces[core_file] = derive(upstream, mapped & core, ext=False, modified=core_modified)
        faces[ext_file] = derive(upstream, mapped - core, ext=True, modified=ext_modified)
    return {**faces, COVERAGE: coverage(faces)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in build().items():
        (args.out / name).write_bytes(data)
        print(f"{args.out / name}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
