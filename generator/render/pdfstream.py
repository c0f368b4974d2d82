"""A delivery's PDF written while it is assembled (逐次書き出し), not built whole in memory.

pypdf's ``PdfWriter`` holds every page it is given, each page's copied objects and then the
whole file until it writes: an assembly's memory grew with the delivery, without bound for
the largest employers (bench/BENCHMARKS.md). Here a page and
every object it refers to are written as soon as the page is added. What stays to the end
is small: an offset per object, a number per page, a title per bookmark.

The file is a plain PDF: the objects in order, a cross-reference table, and a trailer whose
/ID hashes the content (``pdf.ContentDigest``), so the same content gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import weakref
from array import array
from collections import deque
from typing import BinaryIO

from pypdf import PageObject
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    create_string_object,
)

from generator.render.pdf import ContentDigest, Metadata, forget_read, information

#: PDF 1.7 (ISO 32000-1) reads everything LibreOffice writes for these templates.
_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
#: Objects that tie a page to the file it came from; copied, they would drag that file's
#: whole page tree along (an internal link's target, say). Written as null instead.
_FOREIGN = frozenset({"/Page", "/Pages", "/Catalog"})
#: The page tree's root: its number is known before any page is written.
_PAGES = 1


class PdfStream:
    """One PDF, written to ``out`` page by page; ``close`` writes the page tree, the
    bookmarks (しおり), the document information and the trailer."""

    def __init__(self, out: BinaryIO, meta: Metadata) -> None:
        self._out = out
        self._meta = meta
        self._digest = ContentDigest(meta)
        self._sha = hashlib.sha256()
        self._offsets = array("Q", [0, 0])  # by object number; 0 is the free list's head
        self._kids = array("Q")
        self._bookmarks: list[tuple[str, int, list[tuple[str, int]]]] = []
        self._size = (0.0, 0.0)
        # Per source file, its objects' new numbers: an object shared by pages (a font) is
        # written once. Weakly: a source let go (a round's converted chunks, when a large
        # delivery is written round by round) takes its table with it.
        self._copied: weakref.WeakKeyDictionary[object, dict[int, int]]
        self._copied = weakref.WeakKeyDictionary()
        self._waiting: deque[tuple[int, IndirectObject]] = deque()
        self._position = 0
        self._write(_HEADER)

    @property
    def pages(self) -> int:
        return len(self._kids)

    @property
    def sha256(self) -> str:
        """The hex digest of the bytes written so far (of the whole file once closed)."""
        return self._sha.hexdigest()

    def add_page(self, page: PageObject) -> None:
        """``page`` and everything it refers to, written now, then dropped from its reader."""
        held = set(getattr(page.pdf, "resolved_objects", ()))
        self._digest.add(page)
        self._size = (float(page.mediabox.width), float(page.mediabox.height))
        number = self._allocate()
        copy = DictionaryObject(
            (key, self._copy(value))
            for key, value in page.items()
            if key not in ("/Parent", "/StructParents")
        )
        copy[NameObject("/Parent")] = self._reference(_PAGES)
        self._object(number, copy)
        self._kids.append(number)
        while self._waiting:
            number, reference = self._waiting.popleft()
            target = reference.get_object()
            foreign = isinstance(target, DictionaryObject) and target.get("/Type") in _FOREIGN
            self._object(number, None if foreign or target is None else self._copy(target))
        forget_read(page, held)

    def pad_to_sheet(self) -> None:
        """A blank page of the last page's size when the page count is odd, so that what
        comes next starts on a fresh sheet when printed on both sides."""
        if len(self._kids) % 2:
            width, height = self._size
            self._digest.add_size(width, height)
            number = self._allocate()
            blank = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Page"),
                    NameObject("/Parent"): self._reference(_PAGES),
                    NameObject("/Resources"): DictionaryObject(),
                    NameObject("/MediaBox"): ArrayObject(
                        [NumberObject(0), NumberObject(0), FloatObject(width), FloatObject(height)]
                    ),
                }
            )
            self._object(number, blank)
            self._kids.append(number)

    def bookmark(
        self, title: str, page_index: int, children: list[tuple[str, int]] | None = None
    ) -> None:
        """An outline entry that opens the page ``page_index`` (0-based), whole, with entries
        of its own below it (a member's documents, each at its first page)."""
        self._bookmarks.append((title, page_index, children or []))

    def close(self) -> None:
        """The page tree, bookmarks, catalog, information and trailer: the file is whole."""
        self._object(
            _PAGES,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Pages"),
                    NameObject("/Count"): NumberObject(len(self._kids)),
                    NameObject("/Kids"): ArrayObject(self._reference(n) for n in self._kids),
                }
            ),
        )
        catalog = DictionaryObject({NameObject("/Type"): NameObject("/Catalog")})
        catalog[NameObject("/Pages")] = self._reference(_PAGES)
        if self._bookmarks:
            catalog[NameObject("/Outlines")] = self._reference(self._outline())
        root = self._allocate()
        self._object(root, catalog)
        info = self._allocate()
        self._object(
            info,
            DictionaryObject(
                {NameObject(k): create_string_object(v) for k, v in information(self._meta).items()}
            ),
        )
        self._trailer(root, info)

    def _outline(self) -> int:
        top = self._allocate()
        first, last, count = self._items(top, self._bookmarks)
        self._object(
            top,
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Outlines"),
                    NameObject("/First"): self._reference(first),
                    NameObject("/Last"): self._reference(last),
                    NameObject("/Count"): NumberObject(count),
                }
            ),
        )
        return top

    def _items(
        self, parent: int, entries: list[tuple[str, int, list[tuple[str, int]]]]
    ) -> tuple[int, int, int]:
        """Outline items below ``parent`` (children shown closed): first, last, and how many
        are visible when the parent is open."""
        numbers = [self._allocate() for _ in entries]
        for index, (title, page, children) in enumerate(entries):
            item = DictionaryObject(
                {
                    NameObject("/Title"): create_string_object(title),
                    NameObject("/Parent"): self._reference(parent),
                    NameObject("/A"): DictionaryObject(
                        {
                            NameObject("/S"): NameObject("/GoTo"),
                            NameObject("/D"): ArrayObject(
                                [self._reference(self._kids[page]), NameObject("/Fit")]
                            ),
                        }
                    ),
                }
            )
            if index:
                item[NameObject("/Prev")] = self._reference(numbers[index - 1])
            if index + 1 < len(numbers):
                item[NameObject("/Next")] = self._reference(numbers[index + 1])
            if children:
                first, last, _ = self._items(numbers[index], [(t, p, []) for t, p in children])
                item[NameObject("/First")] = self._reference(first)
                item[NameObject("/Last")] = self._reference(last)
                item[NameObject("/Count")] = NumberObject(-len(children))
            self._object(numbers[index], item)
        return numbers[0], numbers[-1], len(numbers)

    def _trailer(self, root: int, info: int) -> None:
        start = self._position
        lines = [f"xref\n0 {len(self._offsets)}\n0000000000 65535 f \n"]
        lines += [f"{offset:010d} 00000 n \n" for offset in self._offsets[1:]]
        identifier = self._digest.value().hex()
        lines.append(
            f"trailer\n<< /Size {len(self._offsets)} /Root {root} 0 R /Info {info} 0 R "
            f"/ID [ <{identifier}> <{identifier}> ] >>\nstartxref\n{start}\n%%EOF\n"
        )
        self._write("".join(lines).encode("ascii"))

    def _copy(self, value: PdfObject) -> PdfObject:
        """``value`` with its references renumbered for this file (queued to be written)."""
        if isinstance(value, IndirectObject):
            return self._renumber(value)
        if isinstance(value, StreamObject):
            stream = StreamObject()
            stream.set_data(value._data)  # as stored: still compressed
            stream.update((k, self._copy(v)) for k, v in value.items() if k != "/Length")
            return stream
        if isinstance(value, DictionaryObject):
            return DictionaryObject((k, self._copy(v)) for k, v in value.items())
        if isinstance(value, ArrayObject):
            return ArrayObject(self._copy(v) for v in value)
        return value

    def _renumber(self, reference: IndirectObject) -> IndirectObject:
        numbers = self._copied.setdefault(reference.pdf, {})
        number = numbers.get(reference.idnum)
        if number is None:
            number = numbers[reference.idnum] = self._allocate()
            self._waiting.append((number, reference))
        return self._reference(number)

    def _allocate(self) -> int:
        self._offsets.append(0)
        return len(self._offsets) - 1

    @staticmethod
    def _reference(number: int) -> IndirectObject:
        return IndirectObject(number, 0, None)

    def _object(self, number: int, value: PdfObject | None) -> None:
        self._offsets[number] = self._position
        body = io.BytesIO()
        body.write(f"{number} 0 obj\n".encode("ascii"))
        if value is None:
            body.write(b"null")
        else:
            value.write_to_stream(body)
        body.write(b"\nendobj\n")
        self._write(body.getvalue())

    def _write(self, data: bytes) -> None:
        self._out.write(data)
        self._sha.update(data)
        self._position += len(data)
