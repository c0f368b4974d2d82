"""The documents of a proof: every kind, and the delivery's cover letter and 送付者リスト,
rendered for one data set through the real converter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pypdf import PdfWriter

from generator.batch.plan import recipient_of
from generator.documents import SPECS
from generator.documents.common import refuse_unfit
from generator.documents.letters import COVER_TEMPLATE, Recipient, cover, window_values
from generator.documents.sender_list import (
    SENDER_LIST_TEMPLATE,
    SENDER_ROWS,
    list_values,
    sender_list,
)
from generator.domain.era import wareki_long
from generator.domain.kinds import DocumentKind
from generator.domain.models import PostalAddress
from generator.facts import decide
from generator.profiles import Profile
from generator.proof.samples import Sample
from generator.records import parse_record
from generator.render.pdf import Metadata, finish
from generator.render.pipeline import Renderer

#: The delivery's own papers, proofed beside the kinds (their template files' stems).
COVER, SENDER_LIST = "cover-letter", "sender-list"
#: Members on a proofed 送付者リスト: one more than a page holds.
LIST_MEMBERS = SENDER_ROWS + 1
#: The employer a household's data set is listed for (a list is an employer's paper).
PROOF_EMPLOYER = Recipient(
    "株式会社みどり印刷",
    PostalAddress(postcode="1010051", address="東京都千代田区神田神保町一丁目2番3号"),
    employer=True,
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One proofed document: a key for file names, its Japanese name, its template."""

    key: str
    name: str
    template: str
    #: The cover letter is the page a window envelope shows: preflight checks its window.
    window: bool = False


ENTRIES: tuple[Entry, ...] = (
    Entry(COVER, "送付のご案内（決定通知書）", COVER_TEMPLATE, window=True),
    Entry(SENDER_LIST, "送付者リスト", SENDER_LIST_TEMPLATE),
    *(Entry(kind.value, kind.japanese, spec.template) for kind, spec in SPECS.items()),
)

Render = Callable[[Entry, Sample], bytes]


def renderer_for(renderer: Renderer, profile: Profile, issue_date: date) -> Render:
    """A function rendering one entry for one data set to a finished PDF (DataError or
    ProfileError when the data set does not fit: the proof reports it)."""

    def render(entry: Entry, sample: Sample) -> bytes:
        elderly = entry.key == DocumentKind.ELDERLY_CERTIFICATE.value
        member = parse_record(sample.record(elderly=elderly), where=sample.key)
        facts = decide(member, profile, issue_date)
        if entry.key not in (COVER, SENDER_LIST):
            return renderer.render(DocumentKind(entry.key), facts, profile)
        recipient = recipient_of(member)
        issued = wareki_long(issue_date)
        kinds = list(facts.documents)
        # An employer's delivery holds a list long enough to turn its page; a household's
        # holds its member alone (and no list: the list shows an employer's delivery).
        members = LIST_MEMBERS if recipient.employer else 1
        if entry.key == COVER:
            refuse_unfit(member.record_id, profile, window_values(recipient))
            counts = dict.fromkeys(kinds, members)
            contexts = [cover(recipient, profile, issued, counts, members, sample.key).as_vars()]
        else:
            if not recipient.employer:
                recipient = PROOF_EMPLOYER
            entries = [(member, kinds)] * LIST_MEMBERS
            refuse_unfit(member.record_id, profile, list_values(member, profile))
            contexts = [p.as_vars() for p in sender_list(recipient, profile, issued, entries)]
        reader = renderer.convert(entry.template, 1, contexts)
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        meta = Metadata(entry.name, profile.insurer.name, f"{entry.name}（校正）", issue_date)
        return finish(writer, meta)

    return render
