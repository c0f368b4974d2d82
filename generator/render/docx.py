"""Merging contexts into DOCX templates with docxtpl, many documents per DOCX.

A conversion has a fixed cost of about 100 ms, a page about 10 ms, so a chunk of members
goes into one DOCX: the template's body is rendered once per member and the bodies are
joined, each after the first starting on a new page. The template is patched and compiled
once per process. Autoescaping is on (a name holding ``&`` or ``<`` renders as text) and an
undefined variable is an error.
"""

from __future__ import annotations

import io
import itertools
import re
import threading
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from xml.parsers import expat

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, RichText

from generator.documents.values import BarcodeImage, Fitted, QrImage, TemplateValue
from generator.errors import TemplateError
from generator.memory import peak
from generator.render.fonts import coverage
from generator.render.qr import barcode_width_mm, customer_barcode_png, qr_png

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
_FIRST_PARAGRAPH = re.compile(r"<w:p(?=[ >])[^>]*>")
_PAGE_SIZE = re.compile(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"')
_BODY = re.compile(r"<w:body[^>]*>")
_PARAGRAPH_NEWLINE = re.compile(r"\n<w:p([ >])")
#: Text holding a tab, newline, bell or form feed: what docxtpl's listing pass rewrites.
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")
#: docxtpl's column tags ({%tc %}), the only way a rendered row gains or loses cells.
_COLUMN_TAG = re.compile(r"\{%-?\s*tc\s")
#: A drawing's id attribute (docPr carries it first in Word's and python-docx's XML alike).
_DRAWING_ID = re.compile(r'(<wp:docPr\b[^>]*?\sid=")\d+(")')
_BREAK_PARAGRAPH = (
    '<w:p><w:pPr><w:pageBreakBefore/><w:spacing w:line="20" w:lineRule="exact"/></w:pPr></w:p>'
)


def environment() -> jinja2.Environment:
    """Autoescaped, and strict: an unknown variable fails instead of printing nothing."""
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


class _Compiled:
    """A template's bytes and its body, patched by docxtpl and compiled by jinja once."""

    def __init__(self, path: Path) -> None:
        try:
            self.raw = path.read_bytes()
            template = DocxTemplate(io.BytesIO(self.raw))
            template.init_docx()
            source = template.patch_xml(template.get_xml())
            self.template = environment().from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", source))
        except (OSError, jinja2.TemplateSyntaxError, ValueError) as exc:
            raise TemplateError(f"template {path.name} cannot be loaded: {exc}") from None
        self.name = path.name
        raw_xml = self.raw_document_xml()
        #: Whether rendering can change a table's column count ({%tc %} tags), the one thing
        #: docxtpl's ``fix_tables`` mends. Without them it costs a fifth of a bulk run's Python
        #: and does harm: it counts a nested table's cells as its outer table's and widens the
        #: outer grid to match.
        self.fixes_tables = bool(_COLUMN_TAG.search(raw_xml))
        size = _PAGE_SIZE.search(raw_xml)
        if size is None:
            raise TemplateError(f"template {path.name} sets no page size")
        #: The page size in points (twentieths of a point in the DOCX).
        self.page_size = (int(size.group(1)) / 20, int(size.group(2)) / 20)

    def raw_document_xml(self) -> str:
        with zipfile.ZipFile(io.BytesIO(self.raw)) as archive:
            return archive.read("word/document.xml").decode("utf-8")


def _number_drawings(body: str, document: DocxTemplate) -> str:
    """Number the drawings (wp:docPr) in document order from 1001, as docxtpl's
    ``fix_docpr_ids`` does on a tree: each inline image must have an id of its own."""

    def renumber(match: re.Match[str]) -> str:
        document.docx_ids_index += 1
        return f"{match.group(1)}{document.docx_ids_index}{match.group(2)}"

    return _DRAWING_ID.sub(renumber, body)


class _WellFormed:
    """Checks the XML is well formed as it streams past, piece by piece, without building a
    tree: a TemplateError, not a LibreOffice that loads half a document, when a template's
    tags leave it broken."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._parser = expat.ParserCreate()

    def feed(self, part: bytes, *, last: bool = False) -> None:
        try:
            self._parser.Parse(part, last)
        except expat.ExpatError as exc:
            raise TemplateError(f"template {self.name} renders broken XML: {exc}") from None


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed time, so that the same documents give the same bytes."""
    entry = zipfile.ZipInfo(name)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def _start_on_new_page(body: str) -> str:
    """Make a member's body start on a fresh page, without moving anything on it."""
    stripped = body.lstrip()
    match = _FIRST_PARAGRAPH.match(stripped)
    if match is None:  # the body opens with a table: a 1 pt paragraph carries the break
        return _BREAK_PARAGRAPH + stripped
    end = match.end()
    if stripped.startswith("<w:pPr>", end):
        inner = end + len("<w:pPr>")
        style = re.match(r"<w:pStyle [^>]*/>", stripped[inner:])
        inner += style.end() if style else 0
        return stripped[:inner] + "<w:pageBreakBefore/>" + stripped[inner:]
    return stripped[:end] + "<w:pPr><w:pageBreakBefore/></w:pPr>" + stripped[end:]


class TemplateSet:
    """The templates of a folder, compiled on first use; safe to share between threads."""

    def __init__(self, directory: Path = TEMPLATES_DIR) -> None:
        self.directory = directory
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def compiled(self, name: str) -> _Compiled:
        with self._lock:
            if name not in self._compiled:
                self._compiled[name] = _Compiled(self.directory / name)
            return self._compiled[name]

    def render(self, name: str, contexts: Sequence[Mapping[str, TemplateValue]]) -> bytes:
        """One DOCX holding every context's document, each from a fresh page."""
        if not contexts:
            raise TemplateError("nothing to render")
        compiled = self.compiled(name)
        with peak():  # python-docx's package and a member's XML: a few MB for a moment
            return self._build(name, compiled, contexts)

    @staticmethod
    def _build(
        name: str, compiled: _Compiled, contexts: Sequence[Mapping[str, TemplateValue]]
    ) -> bytes:
        document = DocxTemplate(io.BytesIO(compiled.raw))
        document.init_docx()
        document.render_init()
        document.current_rendering_part = document.docx._part
        parts = _parts(name, compiled, document, contexts)
        out = io.BytesIO()
        if compiled.fixes_tables:  # docxtpl mends the columns on a tree
            tree = document.fix_tables(b"".join(parts))
            document.fix_docpr_ids(tree)
            document.map_tree(tree)
            document.docx.save(out)
            return out.getvalue()  # the package is cyclic garbage: peak() collects it
        # Otherwise the body goes into the package as text, each member's part compressed as
        # soon as it is rendered: parsed, 40 documents' body is a tree of ~11 MB for a
        # moment, and held as text ~2 MB; parsing it and writing it out again changes nothing
        # but the drawings' ids, which a substitution numbers alike.
        document.docx.element.body.clear()
        before, found, after = document.docx.part.blob.partition(b"<w:body/>")
        if not found:
            raise TemplateError(f"template {name} has no empty body to fill")
        checked = _WellFormed(name)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            # First in the package: the parts after it (media, relationships, content types)
            # are known only once every member's images have been added.
            with target.open(_entry("word/document.xml"), "w") as stream:
                for part in itertools.chain((before,), parts, (after,)):
                    checked.feed(part)
                    stream.write(part)
            checked.feed(b"", last=True)
            package = io.BytesIO()
            document.docx.save(package)
            with zipfile.ZipFile(package) as source:
                for info in source.infolist():
                    if info.filename != "word/document.xml":
                        target.writestr(_entry(info.filename), source.read(info))
        return out.getvalue()


def _parts(
    name: str,
    compiled: _Compiled,
    document: DocxTemplate,
    contexts: Sequence[Mapping[str, TemplateValue]],
) -> Iterator[bytes]:
    """The body's XML as UTF-8, a member at a time: its opening tag, each member's body
    (each after the first from a fresh page), then the section properties and closing tag.
    Apart, because one string of 40 bodies took 4 bytes a character as soon as one name
    held a 外字 beyond the BMP."""
    tail = ""
    for index, context in enumerate(contexts):
        values = {key: _value(document, value) for key, value in context.items()}
        try:
            xml = compiled.template.render(values)
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"template {name}: {exc.message}") from None
        xml = _PARAGRAPH_NEWLINE.sub(r"<w:p\1", xml)
        if _LISTING.search(xml):
            xml = document.resolve_listing(xml)
        opening = _BODY.search(xml)
        if opening is None:
            raise TemplateError(f"template {name} has no document body")
        start = opening.end()
        end = xml.rindex("<w:sectPr")
        if not index:
            yield xml[:start].encode("utf-8")
        tail = xml[end:]
        body = _start_on_new_page(xml[start:end]) if index else xml[start:end]
        if not compiled.fixes_tables:
            body = _number_drawings(body, document)
        yield body.encode("utf-8")
    yield tail.encode("utf-8")


def _fitted(value: Fitted) -> RichText:
    """Runs at the fitted size, each in the face that has its characters (the body font, its
    Ext face, or the 外字 font), so the text layer keeps them in reading order."""
    size = round(value.points * 2)  # half-points
    text = RichText()
    for font, chars in itertools.groupby(value.text, key=coverage().body_font):
        text.add("".join(chars), size=size, bold=value.bold, font=f"eastAsia:{font}")
    return text


def _value(document: DocxTemplate, value: TemplateValue) -> object:
    if isinstance(value, Fitted):
        return _fitted(value)
    if isinstance(value, QrImage):
        return InlineImage(document, io.BytesIO(qr_png(value.payload)), width=Mm(value.width_mm))
    if isinstance(value, BarcodeImage):
        width = Mm(barcode_width_mm(len(value.bars)))
        return InlineImage(document, io.BytesIO(customer_barcode_png(value.bars)), width=width)
    if isinstance(value, list):
        return [{key: _value(document, item) for key, item in row.items()} for row in value]  # type: ignore[arg-type]
    return value
