"""Pass 1: every record parsed, decided and checked, then grouped into deliveries.

Nothing is rendered here, but everything that can fail for one record does (the record's
rules, its characters against the pinned fonts, each document's context), so that pass 2
only draws what is known to be drawable and every record ends in the plan or in errors.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from generator.batch.config import RunConfig
from generator.batch.store import Store, StoredIds
from generator.documents import spec_for
from generator.documents.common import refuse_unfit
from generator.documents.letters import Recipient, window_values
from generator.documents.sender_list import SENDER_ROWS, list_values
from generator.domain.kinds import DocumentKind
from generator.domain.models import Member, PostalAddress
from generator.errors import DataError
from generator.facts import MemberFacts, decide, delivery_for
from generator.records import read_records
from generator.render.pipeline import check_fonts

#: Rows gathered before they are written. Small, so that a run of any length fills the buffer
#: alike: a buffer that only long runs fill makes their memory grow with the input.
_FLUSH = 100


@dataclass(frozen=True, slots=True)
class Planned:
    """One member of a delivery, as pass 2 reads it back."""

    seq: int
    member: Member
    documents: tuple[DocumentKind, ...]
    facts: MemberFacts


def even(pages: int) -> int:
    """Pages rounded up to whole sheets (duplex)."""
    return pages + pages % 2


def header_pages(members: int, employer: bool) -> int:
    """A delivery's cover letter and, for an employer, its 送付者リスト, in whole sheets."""
    return even(1 + (-(-members // SENDER_ROWS) if employer else 0))


def member_pages(documents: Iterable[DocumentKind | str]) -> int:
    """A member's documents, each in whole sheets: every document starts on the front of a
    sheet, so a card's two faces are one sheet's two sides and no cut damages another."""
    return sum(even(spec_for(kind).pages) for kind in documents)


def facts_for(
    config: RunConfig, member: Member
) -> tuple[MemberFacts, tuple[DocumentKind, ...], str]:
    """The member's facts for the run's kind, its documents and the reason."""
    facts = decide(member, config.profile, config.issue_date, run=config.kind)
    return facts, facts.documents, facts.reasons["documents"]


def recipient_of(member: Member) -> Recipient:
    """The employer (御中), or the household at home (様) for 任意継続・特例退職: the choice
    ``delivery_for`` makes."""
    if delivery_for(member).kind == "employer":
        assert member.employer is not None
        return Recipient(member.employer.name, member.employer.location, employer=True)
    assert member.home is not None
    column = "name" if member.is_insured else "insured_name"
    return Recipient(member.insured_display_name, member.home, employer=False, name_field=column)


def plan(config: RunConfig, store: Store) -> None:
    """Fill the store from the input; a no-op when a resumed run was planned already."""
    if store.get("planned"):
        return
    for table in ("records", "errors", "deliveries", "placements", "ids"):
        store.execute(f"DELETE FROM {table}")
    records: list[tuple[object, ...]] = []
    errors: list[tuple[object, ...]] = []
    seen = StoredIds(store)
    for seq, item in enumerate(read_records(config.input, seen=seen)):
        try:
            records.append(_planned_row(config, seq, item))
        except DataError as error:
            errors.append((seq, error.record, error.field, error.message))
        if len(records) + len(errors) >= _FLUSH:  # a file of bad rows, too, is flushed
            _flush(store, records, errors)
            seen.flush()
    _flush(store, records, errors)
    seen.flush()
    _plan_deliveries(store)
    store.put("planned", True)


def _planned_row(config: RunConfig, seq: int, item: Member | DataError) -> tuple[object, ...]:
    """The record's row in the store; its DataError when it cannot be used."""
    if isinstance(item, DataError):
        raise item
    facts, documents, reason = facts_for(config, item)
    if documents:
        check_fonts(item)
        for kind in documents:
            spec_for(kind).build(facts, config.profile, config.keys)  # fails now, not mid-run
        # The cover letter's window and the 送付者リスト's row, too: a value too long for
        # them is this record's error, found before anything is printed.
        letters = window_values(recipient_of(item)) + list_values(item, config.profile)
        refuse_unfit(item.record_id, config.profile, letters)
    delivery = facts.delivery.key if documents else None
    kinds = ",".join(kind.value for kind in documents)
    return (seq, item.record_id, item.model_dump_json(), delivery, kinds, reason)


def _flush(
    store: Store, records: list[tuple[object, ...]], errors: list[tuple[object, ...]]
) -> None:
    store.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?)", records)
    store.executemany("INSERT INTO errors VALUES (?, ?, ?, ?)", errors)
    records.clear()
    errors.clear()


def _plan_deliveries(store: Store) -> None:
    """One delivery per employer or household, numbered in postcode order.

    Streamed: each delivery is stored as it is counted, under a provisional (negative)
    ordinal, and SQLite numbers them in postcode order, so memory does not grow with the
    number of deliveries."""
    rows: list[tuple[object, ...]] = []
    groups = store.iterate(
        "SELECT delivery, MIN(seq), COUNT(*) FROM records "
        "WHERE delivery IS NOT NULL GROUP BY delivery"
    )
    for provisional, (key, first_seq, members) in enumerate(groups, start=1):
        first = Member.model_validate_json(
            str(store.execute("SELECT member FROM records WHERE seq = ?", (first_seq,))[0][0])
        )
        recipient = recipient_of(first)
        pages = header_pages(int(str(members)), recipient.employer)
        for (documents,) in store.execute(
            "SELECT documents FROM records WHERE delivery = ?", (key,)
        ):
            pages += member_pages(str(documents).split(","))
        postcode = recipient.address.postcode
        rows.append((-provisional, key, postcode, _recipient_json(recipient), members, pages))
        if len(rows) >= _FLUSH:
            _store_deliveries(store, rows)
    _store_deliveries(store, rows)
    store.execute(
        "UPDATE deliveries SET ordinal = ranked.n FROM ("
        "SELECT key, ROW_NUMBER() OVER (ORDER BY postcode, key) AS n FROM deliveries"
        ") AS ranked WHERE ranked.key = deliveries.key"
    )


def _store_deliveries(store: Store, rows: list[tuple[object, ...]]) -> None:
    store.executemany(
        "INSERT INTO deliveries (ordinal, key, postcode, recipient, members, pages) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    rows.clear()


def _recipient_json(recipient: Recipient) -> str:
    return json.dumps(
        {
            "name": recipient.name,
            "postcode": recipient.address.postcode,
            "address": recipient.address.address,
            "employer": recipient.employer,
        },
        ensure_ascii=False,
    )


def recipient_from_json(text: str) -> Recipient:
    data = json.loads(text)
    address = PostalAddress(postcode=data["postcode"], address=data["address"])
    return Recipient(data["name"], address, employer=bool(data["employer"]))
