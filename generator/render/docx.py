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
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.parsers import expat

import jinja2
from docxtpl import DocxTemplate

from generator.documents.values import TemplateValue
from generator.errors import TemplateError
from generator.memory import peak
from generator.render.docx_body import body_parts

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
_PAGE_SIZE = re.compile(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"')
#: docxtpl's column tags ({%tc %}), the only way a rendered row gains or loses cells.
_COLUMN_TAG = re.compile(r"\{%-?\s*tc\s")


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
        parts = body_parts(name, compiled.template, compiled.fixes_tables, document, contexts)
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
