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
from jinja2.exceptions import SecurityError

from generator.documents.values import BarcodeImage, Fitted, QrImage, TemplateValue
from generator.errors import TemplateError
from generator.render.fonts import coverage
from generator.render.qr import barcode_width_mm, customer_barcode_png, qr_png

_FIRST_PARAGRAPH = re.compile(rb"<w:p(?=[ >])[^>]*>")
_BODY = re.compile(r"<w:body[^>]*>")
_STYLE = re.compile(rb"<w:pStyle [^>]*/>")
#: The line break the compiled template puts before each paragraph (error messages name a
#: template's line), taken out again once rendered.
_NEWLINE = re.compile(r"\n<w:p([ >])")
#: Text holding a tab, newline, bell or form feed: what docxtpl's listing pass rewrites;
#: ``_SPECIAL`` in one of jinja's pieces, unmended: the template's own breaks not counted.
_TEXT, _SPECIAL = r"<w:t(?: [^>]*)?>[^<]*", r"(?:[\t\a\f]|\n(?!<w:p[ >]))"
_LISTING = re.compile(_TEXT + r"[\t\n\a\f]")
_LISTED_TEXT = re.compile(_TEXT + _SPECIAL)
#: Such a character before a piece's first tag: its text may continue a ``<w:t>`` before.
_LEADING = re.compile(r"[^<]*" + _SPECIAL)
_PARAGRAPH_END = "</w:p>"
#: How much of a body ``start_on_new_page`` needs: a paragraph's tag and first property.
_HEAD = 4096
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
    """The body's XML as UTF-8, piece by piece: its opening tag, each member's body (each
    after the first from a fresh page, its drawings numbered if ``number``), then the
    section properties and closing tag. A member's XML is never whole (cutting, breaking and
    numbering a sender list's page as one string took four copies of it at once): each of
    jinja's pieces is encoded, mended and passed on as it comes."""
    tail = b""
    for index, context in enumerate(contexts):
        values = {key: template_value(drawings, value) for key, value in context.items()}
        pieces, mended = member_pieces(name, template, values)
        opening, body, closing = _cut(name, pieces)
        if not index:
            yield _mended(opening, mended)
        tail = _mended(closing, mended)
        parts: Iterator[bytes] = (_mended(piece, mended) for piece in body)
        if index:
            parts = _from_new_page(parts)
        yield from (_numbered(parts, drawings) if number else parts)
    yield tail


def member_pieces(
    name: str, template: jinja2.Template, values: Mapping[str, object]
) -> tuple[list[str], bool]:
    """One member's document XML as jinja renders it, in its pieces, and whether they are
    mended already (``_mended``). The template's own text is jinja's constants, not copies,
    so the list costs little more than the values. Where docxtpl's listing pass may have work
    (a tab, bell, form feed or line break in text: rare), the XML is mended and passed
    through it paragraph by paragraph (``_listed``)."""
    try:
        pieces = list(template.generate(values))
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"template {name}: {exc.message}") from None
    except SecurityError:  # a sandboxed template reaching past its values
        raise TemplateError(f"template {name} reaches beyond its values") from None
    if not any(_may_list(piece) for piece in pieces):
        return pieces, False
    return list(_listed(pieces)), True


def _listed(pieces: list[str]) -> Iterator[str]:
    """The pieces mended and through docxtpl's listing pass, a paragraph at a time. The pass
    rewrites each paragraph from its opening tag to the first ``</w:p>`` after it, so XML cut
    just after any ``</w:p>`` passes part by part as it would pass whole (a cover letter
    with 外字 in its address, as one string, took several large copies at once)."""
    held: list[str] = []
    for piece in pieces:
        held.append(piece)
        if _PARAGRAPH_END in piece:
            text = "".join(held)  # plain text: jinja's Markup would escape what is added
            cut = text.rfind(_PARAGRAPH_END) + len(_PARAGRAPH_END)
            yield _listed_part(text[:cut])
            held = [text[cut:]]
    yield _listed_part("".join(held))


def _listed_part(xml: str) -> str:
    xml = _NEWLINE.sub(r"<w:p\1", xml)
    if _LISTING.search(xml):
        # docxtpl's listing pass reads nothing of its template: no package needs opening.
        xml = DocxTemplate.resolve_listing(None, xml)
    return xml


def _may_list(piece: str) -> bool:
    """Whether the listing pass might act on the XML for this piece, mended: text of a
    ``<w:t>`` in it holds a special character, or it holds one before any tag of its own
    (the ``<w:t>`` may be in a piece before), or it may end inside a paragraph's break."""
    if "\n" in piece[-5:]:
        return True
    return bool(_LISTED_TEXT.search(piece) or _LEADING.match(piece))


def _cut(name: str, pieces: list[str]) -> tuple[str, list[str], str]:
    """A member's XML cut into the body's opening tag, its pieces, and the last section
    properties on. A tag lies whole in one of jinja's pieces: none has a jinja tag inside."""
    first = next(((i, m) for i, p in enumerate(pieces) if (m := _BODY.search(p))), None)
    if first is None:
        raise TemplateError(f"template {name} has no document body")
    start, opening = first
    end = next((i for i in range(len(pieces) - 1, -1, -1) if "<w:sectPr" in pieces[i]), -1)
    cut = pieces[end].rindex("<w:sectPr") if end >= 0 else -1
    if (end, cut) < (start, opening.end()):
        raise TemplateError(f"template {name} has no section properties after its body")
    # Joined, not added: jinja's Markup escapes the plain text added to it.
    head = "".join([*pieces[:start], pieces[start][: opening.end()]])
    closing = "".join([pieces[end][cut:], *pieces[end + 1 :]])
    if start == end:
        return head, [pieces[start][opening.end() : cut]], closing
    inner = [pieces[start][opening.end() :], *pieces[start + 1 : end], pieces[end][:cut]]
    return head, inner, closing


def _mended(piece: str, already: bool) -> bytes:
    """A piece as UTF-8, without the line break the compiled template puts before each
    paragraph, unless taken out ``already``."""
    if not already and "\n" in piece:
        piece = _NEWLINE.sub(r"<w:p\1", piece)
    return piece.encode("utf-8")


def _from_new_page(parts: Iterator[bytes]) -> Iterator[bytes]:
    """The body's parts, the first paragraph made to start on a fresh page: what that takes
    lies in the body's first few hundred bytes, so the first ``_HEAD`` bytes are enough."""
    head = b""
    for part in parts:
        head += part
        if len(head.lstrip()) >= _HEAD:
            break
    yield start_on_new_page(head)
    yield from parts


def _numbered(parts: Iterator[bytes], drawings: Drawings) -> Iterator[bytes]:
    """The parts with their drawings numbered in order; a tag left open at a part's end
    waits for the next part (a drawing's id lies within its tag)."""
    carry = b""
    for part in parts:
        joined = carry + part if carry else part
        cut = joined.rfind(b"<")
        if cut >= 0 and b">" not in joined[cut:]:
            carry, joined = joined[cut:], joined[:cut]
        else:
            carry = b""
        yield number_drawings(joined, drawings)
    if carry:
        yield number_drawings(carry, drawings)


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
