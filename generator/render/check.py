"""``templates check``: lint every template against its document's context.

Finds variables the context does not have (they would fail at render time), context fields
the template never shows, template tags split across runs (Word does this when a tag is
edited), text whose East Asian font is not a pinned one, characters no pinned font has, and
variables in headers or footers (a chunk shares those between members).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from docxtpl import DocxTemplate
from lxml import etree

from generator.documents import SPECS, DocumentSpec
from generator.render.docx import TEMPLATES_DIR, environment
from generator.render.fonts import FONT_FILES, coverage

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_TAG = re.compile(r"\{[{%].*?[%}]\}")
_TAG_PART = re.compile(r"\{[{%]|[%}]\}")
_PINNED = set(FONT_FILES)


def _east_asian_font(
    run: etree._Element, styles: dict[str, str | None], default: str | None
) -> str | None:
    direct = run.find("w:rPr/w:rFonts", _NS)
    if direct is not None and direct.get(f"{{{_W}}}eastAsia"):
        return str(direct.get(f"{{{_W}}}eastAsia"))
    paragraph = next(run.iterancestors(f"{{{_W}}}p"), None)
    style = paragraph.find("w:pPr/w:pStyle", _NS) if paragraph is not None else None
    style_id = style.get(f"{{{_W}}}val") if style is not None else "Normal"
    return styles.get(style_id or "Normal") or default


def _style_fonts(styles_xml: bytes) -> tuple[dict[str, str | None], str | None]:
    root = etree.fromstring(styles_xml)
    default = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", _NS)
    default_font = default.get(f"{{{_W}}}eastAsia") if default is not None else None
    fonts: dict[str, str | None] = {}
    for style in root.findall("w:style", _NS):
        found = style.find("w:rPr/w:rFonts", _NS)
        fonts[style.get(f"{{{_W}}}styleId", "")] = (
            found.get(f"{{{_W}}}eastAsia") if found is not None else None
        )
    return fonts, default_font


def check_template(spec: DocumentSpec, directory: Path = TEMPLATES_DIR) -> list[str]:
    """The problems of one template, each a sentence; empty when it is clean."""
    path = directory / spec.template
    if not path.is_file():
        return [f"{spec.template}: missing"]
    problems: list[str] = []
    raw = path.read_bytes()
    template = DocxTemplate(io.BytesIO(raw))
    used = set(template.get_undeclared_template_variables(environment()))
    declared = spec.context_type.variables()
    problems += [
        f"{spec.template}: unknown variable {{{{ {name} }}}}" for name in sorted(used - declared)
    ]
    problems += [
        f"{spec.template}: context field {name} is never shown" for name in sorted(declared - used)
    ]
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        styles, default = _style_fonts(archive.read("word/styles.xml"))
        for name in archive.namelist():
            if re.fullmatch(r"word/(header|footer)\d*\.xml", name) and _TAG_PART.search(
                archive.read(name).decode("utf-8")
            ):
                problems.append(f"{spec.template}: {name} holds template tags")
    problems += list(_run_problems(spec.template, document, styles, default))
    return problems


def _run_problems(
    name: str, document: etree._Element, styles: dict[str, str | None], default: str | None
) -> Iterator[str]:
    cover = coverage()
    for paragraph in document.iter(f"{{{_W}}}p"):
        texts = [t.text or "" for t in paragraph.iterfind("w:r/w:t", _NS)]
        joined = "".join(texts)
        whole = sum(len(_TAG.findall(text)) for text in texts)
        if len(_TAG.findall(joined)) != whole or (
            not _TAG.findall(joined) and _TAG_PART.search(joined)
        ):
            yield f"{name}: a tag is split across runs in «{joined[:40]}»"
        static = _TAG.sub("", joined)
        for char in sorted({c for c in static if not cover.covers(c)}):
            yield f"{name}: U+{ord(char):04X} in «{static[:30]}» is in no pinned font"
    for run in document.iter(f"{{{_W}}}r"):
        if not "".join(t.text or "" for t in run.iterfind("w:t", _NS)).strip():
            continue
        font = _east_asian_font(run, styles, default)
        if font not in _PINNED:
            text = "".join(t.text or "" for t in run.iterfind("w:t", _NS))
            yield f"{name}: text «{text[:30]}» has East Asian font {font!r}, not a pinned one"


def check_all(directory: Path = TEMPLATES_DIR) -> list[str]:
    return [problem for spec in SPECS.values() for problem in check_template(spec, directory)]
