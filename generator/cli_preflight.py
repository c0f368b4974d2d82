"""``python -m generator preflight``: finished PDFs checked as a print room would check them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.command("preflight")
@click.argument(
    "pdfs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True, help="One JSON report for every file.")
def preflight_command(pdfs: tuple[Path, ...], as_json: bool) -> None:
    """Check PDFs the generator made (exit 1 when a rule is broken): page sizes, text sizes,
    leading, the window address, the barcode's clear zone, cards' trim, documents' sheets."""
    from generator.preflight import preflight

    reports = {str(pdf): preflight(pdf) for pdf in pdfs}
    if as_json:
        click.echo(
            json.dumps(
                {"files": [{"file": f, **r.as_json()} for f, r in reports.items()]},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for file, report in reports.items():
            for violation in report.violations:
                click.echo(f"{file}: {violation}")
            verdict = "ok" if report.ok else f"{len(report.violations)} violation(s)"
            click.echo(f"{file}: {report.pages} page(s), {verdict}")
    if not all(r.ok for r in reports.values()):
        sys.exit(1)
