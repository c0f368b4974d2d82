"""Finishing one LibreOffice export in place, without parsing it into objects (刻印).

A single-document export (``Renderer.render_each``) needs what ``pdf.finish`` gives a split
chunk: the insurer's metadata, dates from the issue date and an /ID that hashes the content.
Cloning the file through pypdf for that costs about 5 ms of Python a document, a fifth of
what the service spends on a request. LibreOffice writes a plain file (one classic xref
table, no object streams, no encryption), so its objects are copied as they are: the
objects are renumbered in the order the catalog reaches them (as pypdf does), the
information dictionary is replaced, the trailer rewritten and the xref recounted. Anything
else returns None and the caller takes the pypdf route.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from generator.render.pdf import PRODUCER, Metadata, pdf_date

_TRAILER = re.compile(rb"trailer\s*<<(.*)>>\s*startxref\s*(\d+)\s*%%EOF\s*$", re.S)
_XREF_HEAD = re.compile(rb"xref\s*0 (\d+)\s*")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])\s{1,2}")
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")


def _ref(key: bytes, trailer: bytes) -> int | None:
    match = re.search(rb"/" + key + rb"\s+(\d+)\s+0\s+R", trailer)
    return int(match.group(1)) if match else None


@dataclass(frozen=True, slots=True)
class Stamped:
    """The finished file and the size of each of its pages in points."""

    pdf: bytes
    page_sizes: list[tuple[float, float]]


def _text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, in hex."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


def _info(meta: Metadata) -> bytes:
    stamp = pdf_date(meta.issue_date).encode()
    fields = (
        (b"Title", _text(meta.title)),
        (b"Author", _text(meta.author)),
        (b"Subject", _text(meta.subject)),
        (b"Creator", _text(PRODUCER)),
        (b"Producer", _text(PRODUCER)),
        (b"CreationDate", b"(" + stamp + b")"),
        (b"ModDate", b"(" + stamp + b")"),
    )
    return b"<<" + b"".join(b"/" + key + b" " + value for key, value in fields) + b">>"


def _objects(pdf: bytes, start: int) -> dict[int, tuple[int, int]] | None:
    """Object number → (start, end) of its bytes, from the one xref table at ``start``."""
    head = _XREF_HEAD.match(pdf, start)
    if head is None:
        return None
    count, position, offsets = int(head.group(1)), head.end(), {}
    for number in range(count):
        entry = _ENTRY.match(pdf, position)
        if entry is None:
            return None
        position = entry.end()
        if entry.group(3) == b"n":
            if entry.group(2) != b"00000":
                return None
            offsets[number] = int(entry.group(1))
    if not pdf[position:].lstrip().startswith(b"trailer"):
        return None  # a second subsection, or an incremental update
    ordered = sorted(offsets.items(), key=lambda item: item[1])
    ends = [offset for _, offset in ordered[1:]] + [start]
    spans = {number: (offset, end) for (number, offset), end in zip(ordered, ends, strict=True)}
    for number, (offset, _) in spans.items():
        if not pdf.startswith(b"%d 0 obj" % number, offset):
            return None
    return spans


_REFERENCE = re.compile(rb"(?<![\d.])(\d+) 0 R(?![\w])")
_STREAM = re.compile(rb">>\s*stream\r?\n")


def _split(chunk: bytes) -> tuple[bytes, bytes]:
    """An object's dictionary part (where references are) and its stream data, if any."""
    body = chunk[chunk.index(b"obj") + 3 :]
    stream = _STREAM.search(body)
    return (body, b"") if stream is None else (body[: stream.start()], body[stream.start() :])


def _walk(root: int, parts: dict[int, tuple[bytes, bytes]]) -> list[int] | None:
    """Objects reachable from the catalog, depth first in the order they are referred to.

    LibreOffice numbers its font objects in an order that depends on what the process
    rendered before; numbering by this walk makes the file depend on the document alone."""
    order: list[int] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        number = stack.pop()
        if number in seen:
            continue
        if number not in parts:
            return None
        seen.add(number)
        order.append(number)
        children = [int(m.group(1)) for m in _REFERENCE.finditer(parts[number][0])]
        stack.extend(reversed(children))
    return order


def stamp_export(pdf: bytes, meta: Metadata) -> Stamped | None:
    """``pdf`` with the run's metadata and a content /ID, or None if it is not plain."""
    trailer = _TRAILER.match(pdf, max(0, pdf.rfind(b"trailer")))
    if trailer is None or b"/ObjStm" in pdf or re.search(rb"/(Encrypt|Prev)\b", trailer.group(1)):
        return None
    root = _ref(b"Root", trailer.group(1))
    spans = _objects(pdf, int(trailer.group(2)))
    if spans is None or root is None or root not in spans:
        return None
    parts = {number: _split(pdf[start:end]) for number, (start, end) in spans.items()}
    if b"/Metadata" in parts[root][0]:
        return None  # an XMP packet would carry the clock; pypdf drops it
    order = _walk(root, parts)
    if order is None:
        return None
    renumber = {old: new for new, old in enumerate(order, start=1)}
    header = pdf[: min(start for start, _ in spans.values())]
    digest = hashlib.sha256(repr(meta).encode())
    body, offsets, sizes = [header], [], []
    position = len(header)
    for old in order:
        head, data = parts[old]
        head = _REFERENCE.sub(lambda m: b"%d 0 R" % renumber[int(m.group(1))], head)
        chunk = b"%d 0 obj" % renumber[old] + head + data
        digest.update(chunk)
        if _PAGE.search(head):
            box = _MEDIA_BOX.search(head)
            if box is None:
                return None  # inherited from the page tree: leave it to pypdf
            x0, y0, x1, y1 = (float(v) for v in box.groups())
            sizes.append((x1 - x0, y1 - y0))
        offsets.append(position)
        body.append(chunk)
        position += len(chunk)
    info = len(order) + 1
    offsets.append(position)
    body.append(b"%d 0 obj\n" % info + _info(meta) + b"\nendobj\n")
    position += len(body[-1])
    identifier = digest.hexdigest()[:32].upper().encode()
    body.append(b"xref\n0 %d\n0000000000 65535 f \n" % (info + 1))
    body += [b"%010d 00000 n \n" % offset for offset in offsets]
    body.append(
        b"trailer\n<</Size %d/Root 1 0 R/Info %d 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
        % (info + 1, info, identifier, identifier, position)
    )
    return Stamped(b"".join(body), sizes)
