"""The run's outputs besides the PDFs: manifest.json and errors.csv, streamed from the store.

Every input record appears exactly once: in the manifest (with its delivery and pages, or
with no documents) or in errors.csv. Neither file carries a clock reading, so the same input
gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from generator.batch.config import RunConfig
from generator.batch.store import Store
from generator.outputs import write_private


def write_errors(config: RunConfig, store: Store) -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["record_id", "field", "message"])
    count = 0
    for record_id, field, message in store.iterate(
        "SELECT record_id, field, message FROM errors ORDER BY seq"
    ):
        writer.writerow([record_id, field, message])
        count += 1
    write_private(config.out / "errors.csv", buffer.getvalue().encode("utf-8"))
    return count


def write_manifest(config: RunConfig, store: Store, fingerprint: str) -> dict[str, int]:
    """manifest.json: the run, each record (input order), each file (postcode order)."""
    records = []
    for _seq, record_id, documents, reason, file, first, last in store.iterate(
        "SELECT r.seq, r.record_id, r.documents, r.reason, d.file, p.first_page, p.last_page "
        "FROM records r LEFT JOIN placements p ON p.seq = r.seq "
        "LEFT JOIN deliveries d ON d.ordinal = p.ordinal "
        "WHERE r.seq NOT IN (SELECT seq FROM errors) ORDER BY r.seq"
    ):
        kinds = [k for k in str(documents).split(",") if k]
        records.append(
            {
                "record_id": record_id,
                "documents": kinds,
                "delivery": f"deliveries/{file}" if file else None,
                "pages": [first, last] if file else None,
                "reason": reason,
            }
        )
    files = [
        {
            "file": f"deliveries/{file}",
            "delivery": key,
            "postcode": postcode,
            "members": members,
            "pages": pages,
            "sha256": sha,
        }
        for file, key, postcode, members, pages, sha in store.iterate(
            "SELECT file, key, postcode, members, pages, sha256 FROM deliveries "
            "WHERE file IS NOT NULL ORDER BY ordinal"
        )
    ]
    counts = {
        "records": len(records) + int(str(store.execute("SELECT COUNT(*) FROM errors")[0][0])),
        "delivered": sum(1 for r in records if r["delivery"]),
        "without_documents": sum(1 for r in records if not r["documents"]),
        "errors": int(str(store.execute("SELECT COUNT(*) FROM errors")[0][0])),
        "deliveries": len(files),
        "pages": sum(int(str(f["pages"])) for f in files),
    }
    manifest = {
        "run": {
            "kind": config.kind.value,
            "issue_date": config.issue_date.isoformat(),
            "profile": config.profile.id,
            "input": Path(config.input).name,
            "fingerprint": fingerprint,
            **counts,
        },
        "records": records,
        "files": files,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    write_private(config.out / "manifest.json", text.encode("utf-8"))
    return counts
