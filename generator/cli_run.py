"""``python -m generator run``: a bulk run, with a progress bar in pages."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import click

from generator.cli_options import FILE, ISO_DATE, KEYS_OPTION, key_ring, reports_errors
from generator.profiles import load_profile


@click.command("run")
@click.argument("input_path", metavar="INPUT", type=FILE)
@click.option("--profile", "profile_path", required=True, type=FILE)
@click.option("--issue-date", type=ISO_DATE, default=None, help="交付年月日; today when not given.")
@click.option(
    "--kind",
    "run_kind",
    required=True,
    type=click.Choice(["enrolment", "mass-issue", "ex-officio", "turning-70", "reissue"]),
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="LibreOffice processes.")
@click.option("--resume", is_flag=True, help="Continue an interrupted run in the same --out.")
@click.option(
    "--preflight",
    "check_print",
    is_flag=True,
    help="Preflight every delivery; violations go into the manifest.",
)
@click.option(
    "--broker",
    default=None,
    metavar="URL",
    help="Render on Celery workers (python -m generator worker) through this Redis broker. "
    "A URL with a password belongs in GENERATOR_BROKER_URL (see --distributed): a command "
    "line is public in ps.",
)
@click.option(
    "--distributed",
    is_flag=True,
    help="Render on Celery workers through the broker GENERATOR_BROKER_URL names, as the "
    "workers' own setting does.",
)
@KEYS_OPTION
@reports_errors
def run_command(
    input_path: Path,
    profile_path: Path,
    issue_date: date | None,
    run_kind: str,
    out_dir: Path,
    workers: int | None,
    resume: bool,
    check_print: bool,
    broker: str | None,
    distributed: bool,
    keys_path: Path | None,
) -> None:
    """Bulk run: one PDF per delivery in OUT/deliveries, manifest.json and errors.csv."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from generator.batch import RunConfig, RunKind, run
    from generator.batch.config import DEFAULT_WORKERS

    config = RunConfig(
        input=input_path,
        profile=load_profile(profile_path),
        issue_date=issue_date or date.today(),  # the one clock read of the run
        kind=RunKind(run_kind),
        out=out_dir,
        workers=workers or DEFAULT_WORKERS,
        resume=resume,
        keys=key_ring(keys_path, required=False),
        preflight=check_print,
    )
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("pages"),
        TextColumn("{task.fields[rate]:>6.1f} pages/s"),
        TimeRemainingColumn(),
    )
    started = time.monotonic()
    with Progress(*columns, transient=False, auto_refresh=False) as bar:
        task = bar.add_task("rendering", total=None, rate=0.0)

        def advance(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-9)
            bar.update(task, completed=done, total=total, rate=rate, refresh=True)

        batches = None
        broker = _broker(broker, distributed=distributed)
        if broker is not None:
            if not distributed and urlsplit(broker).password:
                click.echo(
                    "warning: the broker's password is on the command line, where any user's "
                    "ps shows it; set GENERATOR_BROKER_URL instead",
                    err=True,
                )
            # Only now: the service's settings bring FastAPI and Celery into the process.
            from generator.api.settings import DEFAULT_VISIBILITY_TIMEOUT
            from generator.distributed import CeleryBatches

            batches = CeleryBatches.connect(
                broker, visibility_timeout=DEFAULT_VISIBILITY_TIMEOUT, slots=config.workers
            )
        try:
            counts = run(config, progress=advance, batches=batches)
        finally:
            if batches is not None:
                batches.close()
    click.echo(
        f"{counts['records']} records: {counts['delivered']} delivered in {counts['deliveries']} "
        f"deliveries ({counts['pages']} pages), {counts['without_documents']} without documents, "
        f"{counts['errors']} in errors.csv"
    )
    if "preflight_violations" in counts:
        click.echo(f"preflight: {counts['preflight_violations']} violation(s), in manifest.json")


def _broker(option: str | None, *, distributed: bool) -> str | None:
    """The broker's URL: ``--broker``'s, or with ``--distributed`` the environment's. Never
    taken from the environment unasked: a worker's setting in an operator's shell would
    send a local run to the broker."""
    if not distributed:
        return option
    if option is not None:
        raise click.UsageError("--broker and --distributed: give one")
    url = os.environ.get("GENERATOR_BROKER_URL")
    if not url:
        raise click.UsageError("--distributed needs GENERATOR_BROKER_URL")
    return url
