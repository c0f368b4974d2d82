"""report.py: errors.csv holds a line for every record that failed, none a spreadsheet runs."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest

from generator.batch import RunConfig
from generator.batch.plan import plan
from generator.batch.report import neutral_cell, write_errors
from generator.batch.store import Store
from tests.conftest import base_record


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("line 17", "line 17"),
        ("A-1=2", "A-1=2"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_cell_that_starts_like_a_formula_is_quoted_as_text(value: str | None, cell: str) -> None:
    assert neutral_cell(value) == cell


HOSTILE = [
    '{"record_id": "H1", "standard_monthly_remuneration": ' + "9" * 5000 + "}",
    "[" * 100_000,
    "[1]",
    json.dumps(base_record(record_id="=HYPERLINK(1)", standard_monthly_remuneration=10**28)),
    json.dumps(base_record(record_id="@H5", name="\ufe0f")),
    json.dumps(base_record(record_id="H6", birth_date="9999-12-31")),
]


def test_each_hostile_line_is_a_row_of_errors_csv_and_the_run_goes_on(
    config: RunConfig, tmp_path: Path
) -> None:
    good = [json.dumps(base_record(record_id=f"G{i}")) for i in range(2)]
    source = tmp_path / "hostile.jsonl"
    source.write_text("\n".join([good[0], *HOSTILE, good[1]]) + "\n", encoding="utf-8")
    config = dataclasses.replace(config, input=source)
    store = Store(tmp_path / "state")
    try:
        plan(config, store)
        kept = [row[0] for row in store.execute("SELECT record_id FROM records ORDER BY seq")]
        write_errors(config, store)
    finally:
        store.close()
    text = (config.out / "errors.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["record_id"], r["field"]) for r in rows] == [
        ("line 2", "(json)"),
        ("line 3", "(json)"),
        ("line 4", "(json)"),
        ("'=HYPERLINK(1)", "standard_monthly_remuneration"),
        ("'@H5", "name"),
        ("H6", "birth_date"),
    ]
    assert text.splitlines()[0] == "record_id,field,message"
    assert '"\'=HYPERLINK(1)"' in text
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")
    assert [k for k in kept if k.startswith("G")] == ["G0", "G1"]
