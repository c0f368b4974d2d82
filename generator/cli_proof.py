"""``python -m generator templates proof``: every template rendered with ordinary, longest
and 外字 data, preflighted and pictured, before a template change is printed."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from generator.cli_options import FILE, ISO_DATE, KEYS_OPTION, key_ring, reports_errors
from generator.errors import OutputError
from generator.profiles import load_profile
from generator.render.fonts import FONTS_DIR

#: The sample insurer a proof uses when no --profile is given.
DEFAULT_PROFILE = FONTS_DIR.parent / "fixtures" / "profiles" / "kenpo-fy3.toml"
_FOLDER = click.Path(file_okay=False, path_type=Path)


@click.command("proof")
@click.option("--out", required=True, type=_FOLDER, help="An empty or new folder.")
@click.option("--profile", "profile_path", type=FILE, help="The insurer (default: kenpo-fy3).")
@click.option("--issue-date", type=ISO_DATE, default=None, help="交付年月日; today when not given.")
@click.option("--templates", "templates_dir", type=_FOLDER, help="Templates to proof (edited).")
@click.option("--compare", type=_FOLDER, help="A previous proof: pages shown old beside new.")
@KEYS_OPTION
@reports_errors
def proof_command(
    out: Path,
    profile_path: Path | None,
    issue_date: date | None,
    templates_dir: Path | None,
    compare: Path | None,
    keys_path: Path | None,
) -> None:
    """Render every template with ordinary, longest and 外字 data into OUT: PDFs, page PNGs,
    a contact sheet per document, proof.json and index.html (exit 1 when a page breaks a
    preflight rule or a data set does not fit)."""
    from generator.proof import ProofConfig, proof
    from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig

    if out.exists() and any(out.iterdir()):
        raise OutputError(f"{out} is not empty: give a new folder for the proof")
    if compare is not None and not (compare / "proof.json").is_file():
        raise click.BadParameter(f"{compare} holds no proof (proof.json)", param_hint="--compare")
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    config = ProofConfig(
        out=out,
        profile=load_profile(profile_path or DEFAULT_PROFILE),
        issue_date=issue_date or date.today(),  # the one clock read of the proof
        templates=templates_dir,
        compare=compare,
        keys=key_ring(keys_path, required=False),
    )
    pool = LibreOfficePool(PoolConfig(workers=1))
    try:
        summary = proof(config, pool)
    finally:
        pool.close()
    failed = [
        f"{doc['key']}/{sample['sample']}"
        for doc in summary["documents"]  # type: ignore[attr-defined]
        for sample in doc["samples"]
        if not sample["ok"]
    ]
    for name in failed:
        click.echo(f"not ok: {name}")
    click.echo(f"proof: {out / 'index.html'} ({'ok' if not failed else f'{len(failed)} not ok'})")
    if failed:
        sys.exit(1)
