"""Builds the DOCX templates (帳票テンプレート) from their sources in ``templates/src``.

A template is an ordinary Word package: ``src/package/`` holds the parts every template shares
(styles, settings, theme …) and ``src/NAME.xml`` the body (``word/document.xml``) of
``NAME.docx``. Sources are indented for reading and review; each part is written back without
the indentation, in a fixed order and with a fixed date, so a build is byte-for-byte
repeatable. An insurer may still edit a built template in Word; ``templates check`` lints it.

    python -m templates.build            # every template into templates/
    python -m templates.build --out DIR  # elsewhere (the tests compare the two)
"""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"
PACKAGE = SOURCES / "package"
BODY = "word/document.xml"
#: The parts in the order Word and python-docx write them; the body goes fifth.
PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    BODY,
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/settings.xml",
    "word/webSettings.xml",
    "word/fontTable.xml",
    "word/theme/theme1.xml",
    "word/numbering.xml",
)
#: The parts kept indented in their sources, for editing and review.
INDENTED = frozenset({BODY, "word/styles.xml"})
_DATE = (2025, 1, 1, 0, 0, 0)
_PARSER = etree.XMLParser(remove_blank_text=True)


def _part(part: str, source: Path) -> bytes:
    """A part as Word writes it: the body and the styles, indented in their sources, on one
    line after the declaration; the other parts as they are."""
    if part not in INDENTED:
        return source.read_bytes()
    tree = etree.fromstring(source.read_bytes(), _PARSER)
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True, standalone=True)


def names() -> list[str]:
    """The templates that have a source, by name (``cover-letter`` …)."""
    return sorted(p.stem for p in SOURCES.glob("*.xml"))


def build(name: str) -> bytes:
    """``NAME.docx``'s bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for part in PARTS:
            source = SOURCES / f"{name}.xml" if part == BODY else PACKAGE / part
            info = zipfile.ZipInfo(part, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 3
            package.writestr(info, _part(part, source))
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m templates.build", description=__doc__)
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the DOCX files")
    out: Path = parser.parse_args(argv).out
    out.mkdir(parents=True, exist_ok=True)
    for name in names():
        (out / f"{name}.docx").write_bytes(build(name))
        print(f"{name}.docx")


if __name__ == "__main__":
    main()
