"""The command line: ``python -m generator COMMAND``.

Errors of the generator's tree are printed as ``Name: message`` on stderr; a bad record or
profile exits 2, any other failure 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path

import click

from generator.cli_options import (
    FILE,
    ISO_DATE,
    KEYS_OPTION,
    iso_date,
    key_ring,
    reports_errors,
)
from generator.domain.era import to_wareki
from generator.domain.facility_token import verify
from generator.domain.kinds import DocumentKind
from generator.errors import DataError
from generator.facts import decide
from generator.outputs import write_private
from generator.profiles import load_profile
from generator.records import load_record, read_records
from generator.selection import RunKind


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Documents for Japanese health insurers: 資格情報のお知らせ, 資格確認書 and more."""


def _dates_from(args: Iterable[str]) -> Iterator[str]:
    for arg in args:
        if arg == "-":
            yield from (line.strip() for line in sys.stdin if line.strip())
        else:
            yield arg


@main.command()
@click.argument("dates", nargs=-1, required=True)
@click.option("--full-width", is_flag=True, help="Full-width digits (令和７年１２月１日).")
def wareki(dates: tuple[str, ...], full_width: bool) -> None:
    """Print DATE<TAB>long form<TAB>initials form for each ISO date ('-' reads stdin)."""
    failed = False
    out = sys.stdout
    for text in _dates_from(dates):
        try:
            day = iso_date(text)
            era_date = to_wareki(day)
        except (click.BadParameter, ValueError) as exc:
            message = exc.format_message() if isinstance(exc, click.BadParameter) else str(exc)
            click.echo(f"wareki: {message}", err=True)
            failed = True
            continue
        long_form = era_date.long(full_width=full_width)
        out.write(f"{day.isoformat()}\t{long_form}\t{era_date.initials(full_width=full_width)}\n")
    if failed:
        sys.exit(2)


@main.command()
@click.option("--record", "record_path", type=FILE, help="One record as a JSON object.")
@click.option(
    "--records",
    "records_path",
    type=FILE,
    help="A member file (CSV or JSON Lines): one JSON line per record.",
)
@click.option("--profile", "profile_path", required=True, type=FILE)
@click.option(
    "--issue-date",
    type=ISO_DATE,
    default=None,
    help="The run's issue date (交付年月日); today when not given.",
)
@click.option(
    "--kind",
    "run_kind",
    type=click.Choice([k.value for k in RunKind]),
    default=RunKind.ENROLMENT.value,
    show_default=True,
    help="The kind of run the documents are chosen for.",
)
@reports_errors
def explain(
    record_path: Path | None,
    records_path: Path | None,
    profile_path: Path,
    issue_date: date | None,
    run_kind: str,
) -> None:
    """Print what the generator decides for a record, and why, as JSON."""
    if (record_path is None) == (records_path is None):
        raise click.UsageError("give exactly one of --record and --records")
    profile = load_profile(profile_path)
    day = issue_date or date.today()  # the one clock read of the run
    run = RunKind(run_kind)
    if record_path is not None:
        facts = decide(load_record(record_path), profile, day, run=run)
        click.echo(json.dumps(facts.explain(), ensure_ascii=False, indent=2))
        return
    assert records_path is not None
    failures = 0
    for item in read_records(records_path):
        try:
            if isinstance(item, DataError):
                raise item
            facts = decide(item, profile, day, run=run)
            click.echo(json.dumps(facts.explain(), ensure_ascii=False))
        except DataError as error:
            click.echo(f"DataError: {error}", err=True)
            failures += 1
    if failures:
        click.echo(f"{failures} record(s) failed", err=True)
        sys.exit(2)


@main.command()
@click.argument("kind", required=False, type=click.Choice([k.value for k in DocumentKind]))
@click.option("--list", "list_kinds", is_flag=True, help="Name the kinds and exit.")
@click.option("--record", "record_path", type=FILE, help="One record as a JSON object.")
@click.option("--profile", "profile_path", type=FILE)
@click.option("--issue-date", type=ISO_DATE, default=None, help="交付年月日; today when not given.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@KEYS_OPTION
@reports_errors
def render(
    kind: str | None,
    list_kinds: bool,
    record_path: Path | None,
    profile_path: Path | None,
    issue_date: date | None,
    output: Path | None,
    keys_path: Path | None,
) -> None:
    """Render one document of KIND for one record to a PDF."""
    if list_kinds:
        for known in DocumentKind:
            click.echo(f"{known.value}\t{known.japanese}")
        return
    if kind is None or record_path is None or profile_path is None or output is None:
        raise click.UsageError("render KIND --record R.json --profile P.toml -o OUT.pdf")
    from generator.render import render_pdf  # rendering loads LibreOffice: only when asked

    pdf = render_pdf(
        kind,
        load_record(record_path),
        load_profile(profile_path),
        issue_date or date.today(),  # the one clock read of the run
        keys=key_ring(keys_path, required=False),
    )
    write_private(output, pdf)


@main.group()
def token() -> None:
    """The facility QR's signed tokens."""


@token.command("verify")
@click.argument("value")
@KEYS_OPTION
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the token must be valid on (YYYY-MM-DD; default: today).",
)
@reports_errors
def token_verify(value: str, keys_path: Path | None, on: datetime | None) -> None:
    """Check a facility token offline, its signature and its dates on ``--on``; print its
    claims as JSON (exit 1 when it is forged, expired or not yet valid)."""
    ring = key_ring(keys_path, required=True)
    assert ring is not None
    day = on.date() if on is not None else date.today()  # read once, here
    claims = verify(ring, value)
    reason = claims.why_not_current(day)
    verdict: dict[str, object] = {
        "valid": reason is None,
        "on": day.isoformat(),
        "kid": claims.kid,
        "issued": claims.issued.isoformat(),
        "expires": claims.expires.isoformat(),
        "pseudonym": claims.pseudonym,
    }
    if reason is not None:
        verdict["reason"] = reason
    click.echo(json.dumps(verdict))
    if reason is not None:
        sys.exit(1)


@main.group()
def templates() -> None:
    """The DOCX templates."""


@templates.command("check")
def templates_check() -> None:
    """Lint every template against its document's context (exit 1 on a problem)."""
    from generator.render.check import check_all

    problems = check_all()
    for problem in problems:
        click.echo(problem)
    if problems:
        sys.exit(1)
    click.echo("templates: all clean")


def _add_service_commands() -> None:
    from generator.cli_preflight import preflight_command
    from generator.cli_proof import proof_command
    from generator.cli_run import run_command
    from generator.cli_service import serve, worker

    main.add_command(run_command)
    main.add_command(preflight_command)
    templates.add_command(proof_command)
    main.add_command(serve)
    main.add_command(worker)


_add_service_commands()
