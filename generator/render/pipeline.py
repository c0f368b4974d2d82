"""From member facts to finished PDFs: context → DOCX chunk → conversion → split → finish.

Two-stage rendering with finishers: the whole chunk is rendered to one DOCX and converted
once; then each member's pages are split off and finished (metadata, deterministic /ID).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from generator.documents import spec_for
from generator.documents.common import document_name
from generator.documents.values import TemplateValue
from generator.domain.era import wareki_long
from generator.domain.facility_token import KeyRing
from generator.domain.kinds import DocumentKind
from generator.domain.models import Member
from generator.facts import MemberFacts
from generator.profiles import Profile
from generator.render.convert.base import Converter
from generator.render.docx import TemplateSet
from generator.render.fonts import check_text
from generator.render.pdf import (
    Metadata,
    check_page_size,
    finish,
    read_chunk,
    split,
)


@dataclass(frozen=True, slots=True)
class Job:
    """One document to render: a kind, a member's facts, the insurer's profile."""

    kind: DocumentKind
    facts: MemberFacts
    profile: Profile


def check_fonts(member: Member) -> None:
    """Every character a member puts on a page must be in a pinned font (DataError)."""
    fields = {
        "name": member.name,
        "name_kana": member.name_kana,
        "insured_name": member.insured_name or "",
        "relationship": member.relationship,
        "insured_symbol": member.insured_id.symbol,
        "employer_name": member.employer.name if member.employer else "",
        "employer_address": member.employer.location.address if member.employer else "",
        "home_address": member.home.address if member.home else "",
    }
    for field, text in fields.items():
        check_text(member.record_id, field, text)


class Renderer:
    """Renders documents through a converter; templates compile once, so keep one around."""

    def __init__(
        self,
        converter: Converter,
        templates: TemplateSet | None = None,
        keys: KeyRing | None = None,
    ) -> None:
        self.converter = converter
        self.templates = templates or TemplateSet()
        self.keys = keys

    def render_chunk(
        self, kind: DocumentKind, jobs: Sequence[tuple[MemberFacts, Profile]]
    ) -> list[bytes]:
        """The finished PDF of each job, all of one kind, through one conversion.

        The documents share the conversion's font subsets; ``render_each`` does not."""
        spec = spec_for(kind)
        reader = self.convert(spec.template, spec.pages, self._contexts(kind, jobs))
        return [
            self._finish(kind, facts, profile, writer)
            for (facts, profile), writer in zip(jobs, split(reader, spec.pages), strict=True)
        ]

    def render_each(
        self, kind: DocumentKind, jobs: Sequence[tuple[MemberFacts, Profile]]
    ) -> list[bytes]:
        """The finished PDF of each job, laid out in one conversion but exported one by one:
        each is byte for byte what ``render`` gives for it alone (fonts subset per export)."""
        spec = spec_for(kind)
        docx = self.templates.render(spec.template, self._contexts(kind, jobs))
        ranges = [f"{i * spec.pages + 1}-{(i + 1) * spec.pages}" for i in range(len(jobs))]
        finished = []
        for (facts, profile), pdf in zip(
            jobs, self.converter.convert_ranges(docx, ranges), strict=True
        ):
            reader = read_chunk(pdf, spec.pages, 1)
            writer = next(split(reader, spec.pages))
            finished.append(self._finish(kind, facts, profile, writer))
        return finished

    def _contexts(
        self, kind: DocumentKind, jobs: Sequence[tuple[MemberFacts, Profile]]
    ) -> list[Mapping[str, TemplateValue]]:
        spec = spec_for(kind)
        contexts: list[Mapping[str, TemplateValue]] = []
        for facts, profile in jobs:
            check_fonts(facts.member)
            contexts.append(spec.build(facts, profile, self.keys).as_vars())
        return contexts

    @staticmethod
    def _metadata(kind: DocumentKind, facts: MemberFacts, profile: Profile) -> Metadata:
        name = document_name(kind, profile)
        return Metadata(
            title=name,
            author=profile.insurer.name,
            subject=f"{name}（{wareki_long(facts.issue_date)}交付）",
            issue_date=facts.issue_date,
        )

    def _finish(
        self, kind: DocumentKind, facts: MemberFacts, profile: Profile, writer: PdfWriter
    ) -> bytes:
        spec = spec_for(kind)
        document = finish(writer, self._metadata(kind, facts, profile))
        check_page_size(document, self.templates.compiled(spec.template).page_size, spec.template)
        return document

    def convert(
        self,
        template: str,
        pages_each: int,
        contexts: Sequence[Mapping[str, TemplateValue]],
        *,
        spool: Path | None = None,
    ) -> PdfReader:
        """One conversion of a chunk, checked for ``pages_each`` pages per context.

        With ``spool``, the DOCX is written to a file there, its parts stored, and the PDF
        comes back in an unnamed file there (owner-only, gone when closed), read object by
        object: a bulk run's chunk never has either document's bytes in memory, nor a
        compressor's state beside the build. The caller closes the reader's stream."""
        if spool is None:
            pdf = self.converter.convert(self.templates.render(template, contexts))
            return read_chunk(pdf, pages_each, len(contexts))
        with tempfile.NamedTemporaryFile(dir=spool, suffix=".docx") as docx:
            self.templates.write(template, contexts, docx, stored=True)
            docx.flush()
            file = self.converter.convert_file(docx.name, spool)  # text: see outputs.PathLike
        try:
            return read_chunk(file, pages_each, len(contexts))
        except BaseException:
            file.close()
            raise

    def render(self, kind: DocumentKind, facts: MemberFacts, profile: Profile) -> bytes:
        return self.render_each(kind, [(facts, profile)])[0]
