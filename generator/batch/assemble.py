"""Pass 2 for one batch of deliveries: a few conversions, then one PDF per delivery.

A batch's documents are converted kind by kind (one DOCX per kind), its cover letters and
送付者リスト pages likewise; each delivery's PDF is then assembled from those pages: cover,
sender list, then each member's documents, every member from a fresh sheet (blank pages pad
as needed, so no sheet carries two members), with a bookmark per member. Each PDF is written
while it is assembled (render/pdfstream.py): its size does not weigh on memory.
"""

from __future__ import annotations

import contextlib
import io
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from pypdf import PageObject, PdfReader

from generator.batch.plan import Planned
from generator.documents import spec_for
from generator.documents.common import era
from generator.documents.letters import (
    COVER_TEMPLATE,
    SENDER_LIST_TEMPLATE,
    Recipient,
    cover,
    sender_list,
)
from generator.documents.values import TemplateValue
from generator.domain.kinds import DocumentKind
from generator.memory import peak, release
from generator.profiles import Profile
from generator.render.pdf import Metadata
from generator.render.pdfstream import PdfStream
from generator.render.pipeline import Renderer


@dataclass(frozen=True, slots=True)
class DeliveryPlan:
    """One delivery of a batch: where it goes and who is in it."""

    ordinal: int
    key: str
    file: str
    recipient: Recipient
    members: Sequence[Planned]
    total: int


@dataclass(slots=True)
class DeliveryOutput:
    """A finished delivery: the PDF's bytes (empty when written to a target), their
    sha256, and each member's page range (1-based)."""

    ordinal: int
    file: str
    data: bytes
    pages: int
    placements: list[tuple[int, int, int]] = field(default_factory=list)
    sha256: str = ""


#: Opens where a delivery's file goes, by its name: each PDF is written there while it is
#: assembled, so that no delivery, nor a batch of them, is ever whole in memory.
Target = Callable[[str], AbstractContextManager[BinaryIO]]


#: Documents per conversion. LibreOffice names each imported table by scanning every table
#: before it, so a DOCX of n notices costs O(n²): 120 notices took ~31 ms of CPU apiece,
#: 20–40 took ~25 ms; below 20 the fixed cost of a conversion starts to show.
CHUNK_DOCUMENTS = 40


class _Chunks:
    """Contexts gathered per template, converted in chunks of ``CHUNK_DOCUMENTS``; pages
    handed out by position."""

    def __init__(self) -> None:
        self.contexts: dict[str, list[Mapping[str, TemplateValue]]] = defaultdict(list)
        self.pages: dict[str, int] = {}
        self.readers: dict[str, list[PdfReader]] = defaultdict(list)

    def add(
        self, template: str, pages: int, context: Mapping[str, TemplateValue]
    ) -> tuple[str, int]:
        self.pages[template] = pages
        self.contexts[template].append(context)
        return template, (len(self.contexts[template]) - 1) * pages

    def convert(self, renderer: Renderer) -> None:
        """Each chunk's contexts are let go once it is converted: pages are taken by
        position, and held to the end they weighed on every conversion and on the assembly."""
        for template, contexts in self.contexts.items():
            while contexts:
                chunk = contexts[:CHUNK_DOCUMENTS]
                del contexts[:CHUNK_DOCUMENTS]
                reader = renderer.convert(template, self.pages[template], chunk)
                self.readers[template].append(reader)
                del chunk

    def take(self, where: tuple[str, int], count: int) -> list[PageObject]:
        template, start = where
        per_chunk = CHUNK_DOCUMENTS * self.pages[template]
        readers = self.readers[template]
        return [readers[i // per_chunk].pages[i % per_chunk] for i in range(start, start + count)]


#: Where a chunk's page starts: template and page index.
_Where = tuple[str, int]
#: A delivery's pages: cover, sender list and its page count, each member's documents.
_Layout = tuple[_Where, _Where | None, int, list[list[tuple[_Where, int]]]]


def render_batch(
    renderer: Renderer,
    profile: Profile,
    issue_date: date,
    deliveries: Sequence[DeliveryPlan],
    *,
    target: Target | None = None,
) -> list[DeliveryOutput]:
    """Convert a batch and assemble its deliveries: each is written to ``target`` when one is
    given, else its bytes are in its output (for a Celery worker to send back)."""
    chunks = _Chunks()
    issued = era(issue_date)
    layout: list[_Layout] = []
    for delivery in deliveries:
        counts: dict[DocumentKind, int] = defaultdict(int)
        members: list[list[tuple[tuple[str, int], int]]] = []
        for planned in delivery.members:
            placed = []
            for kind in planned.documents:
                spec = spec_for(kind)
                context = spec.build(planned.facts, profile, renderer.keys).as_vars()
                placed.append((chunks.add(spec.template, spec.pages, context), spec.pages))
                counts[kind] += 1
            members.append(placed)
        label = f"No. {delivery.ordinal} / {delivery.total}"
        where_cover = chunks.add(
            COVER_TEMPLATE,
            1,
            cover(
                delivery.recipient, profile, issued, dict(counts), len(delivery.members), label
            ).as_vars(),
        )
        where_list, list_pages = None, 0
        if delivery.recipient.employer:
            entries = [(p.member, p.documents) for p in delivery.members]
            sheets = sender_list(delivery.recipient, profile, issued, entries)
            for number, sheet in enumerate(sheets):
                where = chunks.add(SENDER_LIST_TEMPLATE, 1, sheet.as_vars())
                where_list = where if number == 0 else where_list
                list_pages += 1
        layout.append((where_cover, where_list, list_pages, members))
    chunks.convert(renderer)
    with peak():
        outputs = _assemble(chunks, profile, issue_date, deliveries, layout, target=target)
        del chunks
        release()  # the chunks' readers: their pages point back at them
    return outputs


def _assemble(
    chunks: _Chunks,
    profile: Profile,
    issue_date: date,
    deliveries: Sequence[DeliveryPlan],
    layout: list[_Layout],
    *,
    target: Target | None,
) -> list[DeliveryOutput]:
    issued = era(issue_date)
    outputs = []
    for delivery, (where_cover, where_list, list_pages, members) in zip(
        deliveries, layout, strict=True
    ):
        meta = Metadata(
            title="資格確認書等の送付",
            author=profile.insurer.name,
            subject=f"{issued}交付 No. {delivery.ordinal} / {delivery.total}",
            issue_date=issue_date,
        )
        output = DeliveryOutput(delivery.ordinal, delivery.file, b"", 0)
        buffer = io.BytesIO()
        with target(delivery.file) if target is not None else contextlib.nullcontext(buffer) as out:
            pdf = PdfStream(out, meta)
            for page in chunks.take(where_cover, 1) + (
                chunks.take(where_list, list_pages) if where_list else []
            ):
                pdf.add_page(page)
            for planned, placed in zip(delivery.members, members, strict=True):
                pdf.pad_to_sheet()
                first = pdf.pages + 1
                for where, count in placed:
                    for page in chunks.take(where, count):
                        pdf.add_page(page)
                pdf.bookmark(planned.member.name, first - 1)
                output.placements.append((planned.seq, first, pdf.pages))
            pdf.pad_to_sheet()
            pdf.close()
        output.pages, output.sha256, output.data = pdf.pages, pdf.sha256, buffer.getvalue()
        outputs.append(output)
    return outputs
