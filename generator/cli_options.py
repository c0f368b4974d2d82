"""What the commands share: error reporting, ISO dates, input files, facility keys."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

import click

from generator.domain.facility_token import KeyRing
from generator.errors import DataError, GeneratorError, ProfileError

#: Where the facility QR's signing keys come from when --facility-keys is not given.
KEYS_ENV = "GENERATOR_FACILITY_KEYS"

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Print the generator's errors as ``Name: message`` and exit non-zero."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except GeneratorError as error:
            click.echo(f"{type(error).__name__}: {error}", err=True)
            sys.exit(2 if isinstance(error, DataError | ProfileError) else 1)

    return wrapper


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


class _IsoDate(click.ParamType):  # type: ignore[type-arg]
    name = "YYYY-MM-DD"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        return value if isinstance(value, date) else iso_date(str(value))


ISO_DATE = _IsoDate()
FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def key_ring(path: Path | None, *, required: bool) -> KeyRing | None:
    """Keys from --facility-keys FILE, else from GENERATOR_FACILITY_KEYS."""
    if path is None:
        from generator.api.settings import facility_keys_from_environment

        text = facility_keys_from_environment()
    else:
        text = path.read_text(encoding="utf-8")
    if not text:
        if required:
            raise click.UsageError(f"give --facility-keys FILE or set {KEYS_ENV}")
        return None
    return KeyRing.parse(text)  # a TokenError, reported by the command as any other


KEYS_OPTION = click.option(
    "--facility-keys",
    "keys_path",
    type=FILE,
    help=f"Signing keys of the facility QR (kid:base64 a line); else ${KEYS_ENV}.",
)
