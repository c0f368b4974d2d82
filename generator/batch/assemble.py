"""Pass 2 for one batch of deliveries: a few conversions, then one PDF per delivery.

A batch's documents are converted kind by kind (one DOCX per kind), its cover letters and
送付者リスト pages likewise; each delivery's PDF is then assembled from those pages: cover,
sender list, then each member's documents, every document from the front of a fresh sheet
(blank pages pad as needed, so no sheet carries two documents and a card's faces share one),
with a bookmark per member and, below it, one per document. Each PDF is written
while it is assembled (render/pdfstream.py), and an employer larger than a round is converted
and written a round at a time: a delivery's size does not weigh on memory.
"""

from __future__ import annotations

import contextlib
import io
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import BinaryIO, overload

from generator.batch.chunks import Chunks, Piece, Where, rounds
from generator.batch.config import DEFAULT_BATCH_MEMBERS, DEFAULT_BATCH_PAGES
from generator.batch.plan import Planned, header_pages, member_pages
from generator.documents import DocumentSpec, spec_for
from generator.documents.common import document_name, era
from generator.documents.letters import COVER_TEMPLATE, Recipient, cover
from generator.documents.sender_list import SENDER_LIST_TEMPLATE, sender_list
from generator.documents.values import TemplateValue
from generator.domain.facility_token import KeyRing
from generator.domain.kinds import DocumentKind
from generator.domain.models import Member
from generator.facts import MemberFacts
from generator.profiles import Profile
from generator.render.pdf import Metadata
from generator.render.pdfstream import PdfStream
from generator.render.pipeline import Renderer
from generator.selection import RunKind


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


def render_batch(
    renderer: Renderer,
    profile: Profile,
    issue_date: date,
    deliveries: Sequence[DeliveryPlan],
    *,
    ceilings: tuple[int, int] = (DEFAULT_BATCH_MEMBERS, DEFAULT_BATCH_PAGES),
    target: Target | None = None,
    parallel: int = 1,
    alone: bool = False,
    spool: Path | None = None,
    run: RunKind = RunKind.ENROLMENT,
) -> list[DeliveryOutput]:
    """Convert a batch and assemble its deliveries, a round at a time (at most ``ceilings``,
    members and pages, the run's batch ceilings): each PDF is written
    to ``target`` when one is given, else its bytes are in its output (for a Celery worker
    to send back); converted chunks wait in ``spool`` when one is given (``Chunks``).

    ``parallel`` chunks are converted at once when the batch is ``alone`` in flight (a
    local run: one batch at a time on the whole pool), and otherwise in a batch of several
    rounds (one delivery above the batch ceilings, a large employer): the other batches in
    flight, all smaller, are soon done and leave the LibreOffice pool to it."""
    writing = _Writing(profile, issue_date, deliveries, target, run)
    sizes = (
        (
            header_pages(len(d.members), d.recipient.employer),
            (member_pages(p.documents) for p in d.members),
        )
        for d in deliveries
    )
    cut = rounds(sizes, *ceilings)
    with contextlib.ExitStack() as open_file:
        for pieces in cut:
            with Chunks(spool) as chunks:
                laid = [writing.lay_out(chunks, renderer, piece) for piece in pieces]
                chunks.convert(renderer, parallel if alone or len(cut) > 1 else 1)
                for piece, layout in zip(pieces, laid, strict=True):
                    writing.write(open_file, chunks, piece, layout)
    return writing.outputs


def _document(
    spec: DocumentSpec, facts: MemberFacts, profile: Profile, keys: KeyRing | None
) -> Mapping[str, TemplateValue]:
    """A member's document's context: built when its chunk is converted (``Chunks``)."""
    return spec.build(facts, profile, keys).as_vars()


#: A piece's pages: its cover and sender list (where, count) when it starts its delivery,
#: and each member with its documents'.
_Layout = tuple[list[tuple[Where, int]], list[tuple[Planned, list[tuple[Where, int]]]]]


class _Entries(Sequence[tuple[Member, Sequence[DocumentKind]]]):
    """The 送付者リスト's rows, read from the members one at a time: a large employer's
    members are not all held at once for its list."""

    def __init__(self, members: Sequence[Planned]) -> None:
        self._members = members

    def __len__(self) -> int:
        return len(self._members)

    @overload
    def __getitem__(self, index: int) -> tuple[Member, Sequence[DocumentKind]]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Member, Sequence[DocumentKind]]]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[Member, Sequence[DocumentKind]] | list[tuple[Member, Sequence[DocumentKind]]]:
        if isinstance(index, slice):
            return [(p.member, p.documents) for p in self._members[index]]
        planned = self._members[index]
        return planned.member, planned.documents


class _Writing:
    """The batch's deliveries, written piece by piece; one file open at a time."""

    def __init__(
        self,
        profile: Profile,
        issue_date: date,
        deliveries: Sequence[DeliveryPlan],
        target: Target | None,
        run: RunKind,
    ) -> None:
        self.profile, self.issue_date, self.issued = profile, issue_date, era(issue_date)
        self.run = run
        self.deliveries, self.target = deliveries, target
        self.outputs: list[DeliveryOutput] = []
        self._pdf: PdfStream | None = None
        self._buffer = io.BytesIO()

    def lay_out(self, chunks: Chunks, renderer: Renderer, piece: Piece) -> _Layout:
        """The piece's documents added to ``chunks``; where each one's pages will be."""
        index, start, stop = piece
        delivery = self.deliveries[index]
        header = self._header(chunks, delivery) if start == 0 else []
        members = []
        for planned in delivery.members[start:stop]:
            placed = []
            for kind in planned.documents:
                spec = spec_for(kind)
                later = partial(_document, spec, planned.facts, self.profile, renderer.keys)
                placed.append((chunks.add(spec.template, spec.pages, later), spec.pages))
            members.append((planned, placed))
        return header, members

    def _header(self, chunks: Chunks, delivery: DeliveryPlan) -> list[tuple[Where, int]]:
        counts: dict[DocumentKind, int] = defaultdict(int)
        for planned in delivery.members:
            for kind in planned.documents:
                counts[kind] += 1
        label = f"No. {delivery.ordinal} / {delivery.total}"
        members = len(delivery.members)
        letter = partial(
            cover,
            delivery.recipient,
            self.profile,
            self.issued,
            dict(counts),
            members,
            label,
            self.run,
        )
        header = [(chunks.add(COVER_TEMPLATE, 1, lambda: letter().as_vars()), 1)]
        if delivery.recipient.employer:
            entries = _Entries(delivery.members)
            sheets = sender_list(delivery.recipient, self.profile, self.issued, entries)
            header += [(chunks.add(SENDER_LIST_TEMPLATE, 1, s.as_vars), 1) for s in sheets]
        return header

    def write(
        self, open_file: contextlib.ExitStack, chunks: Chunks, piece: Piece, layout: _Layout
    ) -> None:
        """The piece's pages into its delivery's file: opened at its first piece, closed
        (and put in place) at its last."""
        index, start, stop = piece
        delivery = self.deliveries[index]
        header, members = layout
        if start == 0:
            output = DeliveryOutput(delivery.ordinal, delivery.file, b"", 0)
            self.outputs.append(output)
            out = open_file.enter_context(
                self.target(delivery.file) if self.target else contextlib.nullcontext(self._buffer)
            )
            self._pdf = PdfStream(out, self._meta(delivery))
        pdf, output = self._pdf, self.outputs[-1]
        assert pdf is not None
        for where, count in header:
            for page in chunks.take(where, count):
                pdf.add_page(page)
        for planned, placed in members:
            starts = []
            for kind, (where, count) in zip(planned.documents, placed, strict=True):
                pdf.pad_to_sheet()  # every document on a sheet's front: an odd page
                starts.append((document_name(kind, self.profile), pdf.pages))
                for page in chunks.take(where, count):
                    pdf.add_page(page)
            first = starts[0][1]  # a delivered member has documents
            pdf.bookmark(planned.member.name, first, starts)
            output.placements.append((planned.seq, first + 1, pdf.pages))
        if stop == len(delivery.members):
            pdf.pad_to_sheet()
            pdf.close()
            open_file.close()  # the file is whole: in place now
            output.pages, output.sha256 = pdf.pages, pdf.sha256
            output.data = self._buffer.getvalue()
            self._pdf, self._buffer = None, io.BytesIO()  # the next delivery's, empty

    def _meta(self, delivery: DeliveryPlan) -> Metadata:
        return Metadata(
            title="資格確認書等の送付",
            author=self.profile.insurer.name,
            subject=f"{self.issued}交付 No. {delivery.ordinal} / {delivery.total}",
            issue_date=self.issue_date,
        )
