"""The run's outputs besides the PDFs: manifest.json and errors.csv, streamed from the store.

Every input record appears exactly once: in the manifest (with its delivery and pages, or
with no documents) or in errors.csv. Neither file carries a clock reading, so the same input
gives the same bytes, and neither is held whole in memory, however large the run.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from generator.batch.config import RunConfig
from generator.batch.plan import recipient_from_json
from generator.batch.store import Store
from generator.outputs import private_text
from generator.preflight import preflight

_RECORDS = (
    "SELECT r.record_id, r.documents, r.reason, d.file, p.first_page, p.last_page "
    "FROM records r LEFT JOIN placements p ON p.seq = r.seq "
    "LEFT JOIN deliveries d ON d.ordinal = p.ordinal "
    "WHERE r.seq NOT IN (SELECT seq FROM errors) ORDER BY r.seq"
)
_FILES = (
    "SELECT file, key, postcode, recipient, members, pages, sha256 FROM deliveries "
    "WHERE file IS NOT NULL ORDER BY ordinal"
)


#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral_cell(value: object) -> str:
    """``value`` as a cell no spreadsheet runs: one starting like a formula gets a leading
    ``'``, which the sheet shows as text (OWASP's advice for CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_errors(config: RunConfig, store: Store) -> None:
    """errors.csv: record_id, field, message. The first two come from the input, so each
    cell below the header is neutralised and quoted."""
    with private_text(config.out / "errors.csv") as handle:
        handle.write("record_id,field,message\n")
        writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        for row in store.iterate("SELECT record_id, field, message FROM errors ORDER BY seq"):
            writer.writerow([neutral_cell(cell) for cell in row])


def _count(store: Store, sql: str) -> int:
    return int(str(store.execute(sql)[0][0]))


def counts(store: Store) -> dict[str, int]:
    errors = _count(store, "SELECT COUNT(*) FROM errors")
    kept = "FROM records WHERE seq NOT IN (SELECT seq FROM errors)"
    return {
        "records": _count(store, f"SELECT COUNT(*) {kept}") + errors,
        "delivered": _count(store, f"SELECT COUNT(*) {kept} AND delivery IS NOT NULL"),
        "without_documents": _count(store, f"SELECT COUNT(*) {kept} AND documents = ''"),
        "errors": errors,
        "deliveries": _count(store, "SELECT COUNT(*) FROM deliveries WHERE file IS NOT NULL"),
        "pages": _count(
            store, "SELECT COALESCE(SUM(pages), 0) FROM deliveries WHERE file IS NOT NULL"
        ),
    }


def _preflight(config: RunConfig, store: Store) -> dict[str, list[dict[str, object]]]:
    """Each delivery's violations, by file (a clean file is not listed)."""
    found: dict[str, list[dict[str, object]]] = {}
    for file, *_ in store.iterate(_FILES):
        report = preflight(config.deliveries_dir / str(file))
        if not report.ok:
            found[str(file)] = report.as_json()["violations"]  # type: ignore[assignment]
    return found


def write_manifest(config: RunConfig, store: Store, fingerprint: str) -> dict[str, int]:
    """manifest.json: the run, each record (input order), each file (postcode order); with
    ``config.preflight``, each file's preflight result and the run's count of violations."""
    totals = counts(store)
    checked = _preflight(config, store) if config.preflight else None
    if checked is not None:
        totals["preflight_violations"] = sum(len(v) for v in checked.values())
    run = {
        "kind": config.kind.value,
        "issue_date": config.issue_date.isoformat(),
        "profile": config.profile.id,
        "input": Path(config.input).name,
        "fingerprint": fingerprint,
        **totals,
    }
    with private_text(config.out / "manifest.json") as handle:
        handle.write('{\n "run": ' + json.dumps(run, ensure_ascii=False) + ',\n "records": [')
        for index, (record_id, documents, reason, file, first, last) in enumerate(
            store.iterate(_RECORDS)
        ):
            entry = {
                "record_id": record_id,
                "documents": [k for k in str(documents).split(",") if k],
                "delivery": f"deliveries/{file}" if file else None,
                "pages": [first, last] if file else None,
                "reason": reason,
            }
            handle.write(("," if index else "") + "\n  " + json.dumps(entry, ensure_ascii=False))
        handle.write('\n ],\n "files": [')
        for index, (file, key, postcode, recipient, members, pages, sha) in enumerate(
            store.iterate(_FILES)
        ):
            addressee = recipient_from_json(str(recipient))
            entry = {
                "file": f"deliveries/{file}",
                "delivery": key,
                "postcode": postcode,
                # The employer's name (事業所名); a household's is a member's: never here.
                "employer": addressee.name if addressee.employer else None,
                "members": members,
                "pages": pages,
                "sha256": sha,
            }
            if checked is not None:
                entry["preflight"] = checked.get(str(file), [])
            handle.write(("," if index else "") + "\n  " + json.dumps(entry, ensure_ascii=False))
        handle.write("\n ]\n}\n")
    return totals
