"""A member's part of a DOCX chunk's body (本文), as UTF-8 bytes.

Each member's document.xml is rendered by jinja, then cut to its body, made to start on a
fresh page and its drawings numbered, as bytes: one string of it takes 4 bytes a character as
soon as one 外字 lies beyond the BMP.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

import jinja2
from docx.shared import Length, Mm
from docxtpl import DocxTemplate, RichText

from generator.documents.values import BarcodeImage, Fitted, QrImage, TemplateValue
from generator.errors import TemplateError
from generator.render.fonts import coverage
from generator.render.qr import barcode_width_mm, customer_barcode_png, qr_png

_FIRST_PARAGRAPH = re.compile(rb"<w:p(?=[ >])[^>]*>")
_BODY = re.compile(rb"<w:body[^>]*>")
_STYLE = re.compile(rb"<w:pStyle [^>]*/>")
#: The line break the compiled template puts before each paragraph (error messages name a
#: template's line), taken out again once rendered.
PARAGRAPH_NEWLINE = re.compile(rb"\n<w:p([ >])")
#: Text holding a tab, newline, bell or form feed: what docxtpl's listing pass rewrites.
_LISTING = re.compile(rb"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")
#: A drawing's id attribute (docPr carries it first in Word's and python-docx's XML alike).
_DRAWING_ID = re.compile(rb'(<wp:docPr\b[^>]*?\sid=")\d+(")')
_BREAK_PARAGRAPH = (
    b'<w:p><w:pPr><w:pageBreakBefore/><w:spacing w:line="20" w:lineRule="exact"/></w:pPr></w:p>'
)


class Drawings(Protocol):
    """Where a chunk's images go: its package's bookkeeping (``docx_package.Media``), or
    python-docx's own when the chunk is parsed after all."""

    def drawing(self, blob: bytes, width: Length) -> str:
        """A PNG as an inline drawing (the XML docxtpl's InlineImage renders)."""

    def next_drawing_id(self) -> int:
        """The next drawing's id (wp:docPr), counted from 1001 in the chunk."""


class _Image:
    """An image in a member's values: drawn, and its part added, as jinja outputs it."""

    def __init__(self, drawings: Drawings, blob: bytes, width: Length) -> None:
        self._drawings, self._blob, self._width = drawings, blob, width

    def __html__(self) -> str:
        return self._drawings.drawing(self._blob, self._width)

    __str__ = __html__


def body_parts(
    name: str,
    template: jinja2.Template,
    drawings: Drawings,
    number: bool,
    contexts: Sequence[Mapping[str, TemplateValue]],
) -> Iterator[bytes]:
    """The body's XML as UTF-8, a member at a time: its opening tag, each member's body
    (each after the first from a fresh page, its drawings numbered if ``number``), then the
    section properties and closing tag."""
    tail = b""
    for index, context in enumerate(contexts):
        values = {key: template_value(drawings, value) for key, value in context.items()}
        xml = member_xml(name, template, values)
        opening = _BODY.search(xml)
        if opening is None:
            raise TemplateError(f"template {name} has no document body")
        start = opening.end()
        end = xml.rindex(b"<w:sectPr")
        if not index:
            yield xml[:start]
        tail = xml[end:]
        body = start_on_new_page(xml[start:end]) if index else xml[start:end]
        del xml
        if number:
            body = number_drawings(body, drawings)
        yield body
    yield tail


def member_xml(name: str, template: jinja2.Template, values: Mapping[str, object]) -> bytes:
    """One member's document.xml as UTF-8, encoded piece by piece as jinja renders it: never
    one string of it, which takes 4 bytes a character as soon as one 外字 lies beyond the BMP
    (a sender list's page, ~50,000 characters, then took 200 KB a copy, and a DOCX build held
    several copies for a moment; as UTF-8, ~60 KB)."""
    try:
        xml = b"".join([piece.encode("utf-8") for piece in template.generate(values)])
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"template {name}: {exc.message}") from None
    xml = PARAGRAPH_NEWLINE.sub(rb"<w:p\1", xml)
    if _LISTING.search(xml):  # rare: a value with a tab or a line break
        # docxtpl's listing pass reads nothing of its template: no package needs opening.
        xml = DocxTemplate.resolve_listing(None, xml.decode("utf-8")).encode("utf-8")
    return xml


def number_drawings(body: bytes, drawings: Drawings) -> bytes:
    """Number the drawings (wp:docPr) in document order from 1001, as docxtpl's
    ``fix_docpr_ids`` does on a tree: each inline image must have an id of its own."""

    def renumber(match: re.Match[bytes]) -> bytes:
        return b"%s%d%s" % (match.group(1), drawings.next_drawing_id(), match.group(2))

    return _DRAWING_ID.sub(renumber, body)


def start_on_new_page(body: bytes) -> bytes:
    """Make a member's body start on a fresh page, without moving anything on it."""
    stripped = body.lstrip()
    match = _FIRST_PARAGRAPH.match(stripped)
    if match is None:  # the body opens with a table: a 1 pt paragraph carries the break
        return _BREAK_PARAGRAPH + stripped
    end = match.end()
    if stripped.startswith(b"<w:pPr>", end):
        inner = end + len(b"<w:pPr>")
        style = _STYLE.match(stripped, inner)
        inner = style.end() if style else inner
        return stripped[:inner] + b"<w:pageBreakBefore/>" + stripped[inner:]
    return stripped[:end] + b"<w:pPr><w:pageBreakBefore/></w:pPr>" + stripped[end:]


def _fitted(value: Fitted) -> RichText:
    """Runs at the fitted size, each in the face that has its characters (the body font, its
    Ext face, or the 外字 font), so the text layer keeps them in reading order."""
    size = round(value.points * 2)  # half-points
    text = RichText()
    for font, chars in itertools.groupby(value.text, key=coverage().body_font):
        text.add("".join(chars), size=size, bold=value.bold, font=f"eastAsia:{font}")
    return text


def template_value(drawings: Drawings, value: TemplateValue) -> object:
    """A context's value as docxtpl renders it: fitted text as runs, QR codes and barcodes
    as images in ``drawings``."""
    if isinstance(value, Fitted):
        return _fitted(value)
    if isinstance(value, QrImage):
        return _Image(drawings, qr_png(value.payload), Mm(value.width_mm))
    if isinstance(value, BarcodeImage):
        width = Mm(barcode_width_mm(len(value.bars)))
        return _Image(drawings, customer_barcode_png(value.bars), width)
    if isinstance(value, list):
        return [{key: template_value(drawings, item) for key, item in row.items()} for row in value]  # type: ignore[arg-type]
    return value
