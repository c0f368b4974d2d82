"""Merging contexts into DOCX templates with docxtpl, many documents per DOCX.

A conversion has a fixed cost many times a page's, so a chunk of members goes into one
DOCX: the template's body is rendered once per member and the bodies are joined, each
after the first starting on a new page. The template is patched and compiled once per
process. Autoescaping is on (a name holding ``&`` or ``<`` renders as text) and an
undefined variable is an error.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO
from xml.parsers import expat

import jinja2
from docx.shared import Length
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import ImmutableSandboxedEnvironment

from generator.documents.values import TemplateValue
from generator.errors import TemplateError
from generator.render.docx_body import body_parts
from generator.render.docx_package import Media, Skeleton

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
_PAGE_SIZE = re.compile(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"')
#: docxtpl's column tags ({%tc %}), the only way a rendered row gains or loses cells.
_COLUMN_TAG = re.compile(r"\{%-?\s*tc\s")


def environment(*, sandboxed: bool = False) -> jinja2.Environment:
    """Autoescaped, and strict: an unknown variable fails instead of printing nothing.
    ``sandboxed``: for templates from outside the repository (an insurer's edits uploaded to
    the console), whose tags must reach nothing but the values they are given."""
    if sandboxed:
        return ImmutableSandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


class _Compiled:
    """A template's bytes and its body, patched by docxtpl and compiled by jinja once."""

    def __init__(self, path: Path, *, sandboxed: bool) -> None:
        try:
            self.raw = path.read_bytes()
            template = DocxTemplate(io.BytesIO(self.raw))
            template.init_docx()
            source = template.patch_xml(template.get_xml())
            compiler = environment(sandboxed=sandboxed)
            self.template = compiler.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", source))
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
        #: The package around a chunk's body, unless the chunk is parsed (``fixes_tables``),
        #: from the package docxtpl has just read: the template is parsed once.
        self.skeleton = None if self.fixes_tables else Skeleton(path.name, template.docx)

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

    def passing(self, parts: Iterable[bytes]) -> Iterator[bytes]:
        """The parts, each checked as it passes; the end of the document checked last."""
        for part in parts:
            self._feed(part)
            yield part
        self._feed(b"", last=True)

    def _feed(self, part: bytes, *, last: bool = False) -> None:
        try:
            self._parser.Parse(part, last)
        except expat.ExpatError as exc:
            raise TemplateError(f"template {self.name} renders broken XML: {exc}") from None


class _PackageDrawings:
    """Images added to the chunk's python-docx package (docxtpl's InlineImage): the route
    of a chunk that is parsed, whose drawings docxtpl numbers on the tree."""

    def __init__(self, document: DocxTemplate) -> None:
        self._document = document

    def drawing(self, blob: bytes, width: Length) -> str:
        return str(InlineImage(self._document, io.BytesIO(blob), width=width))

    def next_drawing_id(self) -> int:
        self._document.docx_ids_index += 1
        return int(self._document.docx_ids_index)


class TemplateSet:
    """The templates of a folder, compiled on first use; safe to share between threads.
    Any folder but the repository's own is rendered in jinja's sandbox."""

    def __init__(self, directory: Path = TEMPLATES_DIR) -> None:
        self.directory = directory
        self.sandboxed = directory.resolve() != TEMPLATES_DIR
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def compiled(self, name: str) -> _Compiled:
        with self._lock:
            if name not in self._compiled:
                self._compiled[name] = _Compiled(self.directory / name, sandboxed=self.sandboxed)
            return self._compiled[name]

    def render(self, name: str, contexts: Sequence[Mapping[str, TemplateValue]]) -> bytes:
        """One DOCX holding every context's document, each from a fresh page."""
        out = io.BytesIO()
        self.write(name, contexts, out)
        return out.getvalue()

    def write(
        self,
        name: str,
        contexts: Sequence[Mapping[str, TemplateValue]],
        out: IO[bytes],
        *,
        stored: bool = False,
    ) -> None:
        """``render`` into a file. ``stored``: its parts are not compressed (python-docx's
        own route, for templates with column tags, compresses them), for a DOCX written
        straight to the file LibreOffice reads: no compressor's state beside the build, and no
        copy of the package in memory."""
        if not contexts:
            raise TemplateError("nothing to render")
        compiled = self.compiled(name)
        self._build(name, compiled, contexts, out, stored)

    @staticmethod
    def _build(
        name: str,
        compiled: _Compiled,
        contexts: Sequence[Mapping[str, TemplateValue]],
        out: IO[bytes],
        stored: bool,
    ) -> None:
        if compiled.skeleton is None:  # docxtpl mends the columns on a tree
            document = DocxTemplate(io.BytesIO(compiled.raw))
            document.render_init()
            document.current_rendering_part = document.docx._part
            drawings = _PackageDrawings(document)
            parts = body_parts(name, compiled.template, drawings, False, contexts)
            tree = document.fix_tables(b"".join(parts))
            document.fix_docpr_ids(tree)
            document.map_tree(tree)
            document.docx.save(out)
            return
        # Otherwise the body goes into the package as text, each member's part written as
        # soon as it is rendered: parsed, a chunk's body is a large tree for a moment, and
        # parsing it and writing it out again changes nothing but the drawings' ids, which a
        # substitution numbers alike.
        media = Media(compiled.skeleton)
        parts = body_parts(name, compiled.template, media, True, contexts)
        document = _WellFormed(name).passing(compiled.skeleton.document(parts))
        compression = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        compiled.skeleton.write(out, document, media, compression)
