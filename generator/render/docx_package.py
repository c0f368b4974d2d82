"""A DOCX chunk's package (パッケージ) around its body, written as python-docx would write it.

Every chunk of a template shares the template's parts (styles, numbering, theme …); only its
body and its images (QR codes, barcodes) are its own. python-docx opened and saved the whole
package for every chunk, which cost most of a chunk's own memory (bench/BENCHMARKS.md: the
tree route against this one). The parts are read once per template (``Skeleton``), and a
chunk's images are named, related and drawn as python-docx's own bookkeeping would
(``Media``): the same bytes.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from docx.document import Document
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import CT_Relationships
from docx.opc.packuri import PackURI
from docx.oxml.shape import CT_Inline
from docx.shared import Length

from generator.errors import TemplateError
from generator.render.qr import qr_png

#: What docxtpl's InlineImage puts around a drawing: it closes the run of text it stands in.
_DRAWING = '</w:t></w:r><w:r><w:drawing>%s</w:drawing></w:r><w:r><w:t xml:space="preserve">'
_CONTENT_TYPES = "[Content_Types].xml"


def _entry(name: str, compression: int) -> zipfile.ZipInfo:
    """A zip entry with a fixed time, so that the same documents give the same bytes."""
    entry = zipfile.ZipInfo(name)
    entry.compress_type = compression
    return entry


def _first_free(numbers: Sequence[int | None]) -> int:
    """The number python-docx gives a new image part: the first one unused, else the next."""
    return next((n for n in range(1, len(numbers) + 1) if n not in numbers), len(numbers) + 1)


def _saved(document: object) -> bytes:
    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


class Skeleton:
    """A template's package with an empty body, read once with python-docx, and what
    python-docx's bookkeeping would do with the images a chunk adds. ``document`` is the
    template's python-docx Document, read for nothing else: its body is emptied here."""

    def __init__(self, name: str, document: Document) -> None:
        part = document.part
        document.element.body.clear()
        self.before, found, self.after = part.blob.partition(b"<w:body/>")
        if not found:
            raise TemplateError(f"template {name} has no empty body to fill")
        #: The id python-docx gives a new drawing (docxtpl numbers them again afterwards).
        self.shape_id: int = part.next_id
        self.document_name: str = part.partname.membername
        self.rels_name: str = part.partname.rels_uri.membername
        self.base_uri: str = part.partname.baseURI
        rels = part.rels.values()
        self.rels = tuple((r.rId, r.reltype, r.target_ref, r.is_external) for r in rels)
        #: The images the body already relates to, by part name: python-docx reuses the rel.
        self.related: dict[str, str] = {}
        for rel in rels:
            if not rel.is_external and rel.reltype == RT.IMAGE:
                self.related.setdefault(str(rel.target_part.partname), rel.rId)
        images = document.part.package.image_parts
        #: The package's images by SHA-1: an image of the same bytes is not added twice.
        self.images: dict[str, str] = {p.sha1: str(p.partname) for p in images}
        self.numbers: tuple[int | None, ...] = tuple(p.partname.idx for p in images)
        self.package = _saved(document)
        # One image added shows where python-docx files image parts and how it lists a PNG.
        _, probe = part.get_or_add_image(io.BytesIO(qr_png("docx package probe")))
        assert probe.sha1 not in self.images, "the probe image is new to the template"
        with zipfile.ZipFile(io.BytesIO(_saved(document))) as probed:
            names = [n for n in probed.namelist() if n != self.document_name]
            self.media_at = names.index(f"word/media/image{_first_free(self.numbers)}.png")
            self.png_types = probed.read(_CONTENT_TYPES)

    def document(self, body: Iterable[bytes]) -> Iterator[bytes]:
        """word/document.xml around a chunk's body, piece by piece."""
        return itertools.chain((self.before,), body, (self.after,))

    def write(
        self,
        out: IO[bytes],
        document: Iterable[bytes],
        media: Media,
        compression: int,
    ) -> None:
        """The chunk's DOCX: document.xml first, streamed (the images it adds are known only
        once every member is rendered), then the other parts in python-docx's order."""
        with zipfile.ZipFile(out, "w", compression) as target:
            with target.open(_entry(self.document_name, compression), "w") as stream:
                for part in document:
                    stream.write(part)
            with zipfile.ZipFile(io.BytesIO(self.package)) as source:
                names = [n for n in source.namelist() if n != self.document_name]
                for index, name in enumerate([*names, ""]):
                    if index == self.media_at:
                        for media_name, blob in media.added:
                            target.writestr(_entry(media_name, compression), blob)
                    if name:
                        target.writestr(_entry(name, compression), self._part(source, name, media))

    def _part(self, source: zipfile.ZipFile, name: str, media: Media) -> bytes:
        if name == _CONTENT_TYPES and media.added:
            return self.png_types
        if name == self.rels_name and len(media.rels) > len(self.rels):
            element = CT_Relationships.new()
            for rel in media.rels:
                element.add_rel(*rel)
            return bytes(element.xml)
        return source.read(name)


class Media:
    """The images one chunk adds (画像), named, related and drawn as python-docx's
    ``new_pic_inline`` would, and its drawings' ids counted from 1000 as docxtpl does."""

    def __init__(self, skeleton: Skeleton) -> None:
        self._skeleton = skeleton
        self.rels = list(skeleton.rels)
        self._related = dict(skeleton.related)
        self._images = dict(skeleton.images)
        self._numbers = list(skeleton.numbers)
        #: Zip name and bytes of each image part added, in the order added.
        self.added: list[tuple[str, bytes]] = []
        self._drawing_id = 1000

    def next_drawing_id(self) -> int:
        self._drawing_id += 1
        return self._drawing_id

    def drawing(self, blob: bytes, width: Length) -> str:
        """A PNG as an inline drawing of the given width, its part added once."""
        image = Image.from_blob(blob)
        if image.content_type != "image/png":  # the probe listed PNG only
            raise TemplateError(f"only PNG images are drawn, not {image.content_type}")
        partname = self._images.get(image.sha1) or self._add(image)
        rel_id = self._related.get(partname) or self._relate(partname)
        cx, cy = image.scaled_dimensions(width, None)
        inline = CT_Inline.new_pic_inline(self._skeleton.shape_id, rel_id, image.filename, cx, cy)
        return _DRAWING % inline.xml

    def _add(self, image: Image) -> str:
        n = _first_free(self._numbers)
        partname = f"/word/media/image{n}.{image.ext}"
        self._numbers.append(n)
        self._images[image.sha1] = partname
        self.added.append((partname[1:], image.blob))
        return partname

    def _relate(self, partname: str) -> str:
        used = {rel[0] for rel in self.rels}
        rel_id = next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)
        target = PackURI(partname).relative_ref(self._skeleton.base_uri)
        self.rels.append((rel_id, RT.IMAGE, target, False))
        self._related[partname] = rel_id
        return rel_id
