"""Loading insurer profiles from TOML files."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import ValidationError

from generator.errors import ProfileError
from generator.profiles.model import Profile

_RULE_TAGS = {"years_from_issue", "fixed_windows", "fiscal_year_end"}
#: Key names that would suggest a secret was put in a profile.
_SECRET_WORDS = ("key", "secret", "password", "token")


def _forbid_secrets(data: object, source: str, prefix: str = "") -> None:
    if not isinstance(data, dict):
        return
    for name, value in data.items():
        dotted = f"{prefix}{name}"
        if any(word in str(name).lower() for word in _SECRET_WORDS):
            raise ProfileError(
                source,
                dotted,
                "signing keys never live in a profile: give them in the environment "
                "(GENERATOR_FACILITY_KEYS) or a key file",
            )
        _forbid_secrets(value, source, f"{dotted}.")


def parse_profile(text: str, *, source: str, default_id: str) -> Profile:
    """A profile from TOML text; ``default_id`` serves when the file sets no ``id``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(source, "(file)", f"not valid TOML: {exc}") from None
    _forbid_secrets(data, source)
    data.setdefault("id", default_id)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        # The validity union's tag (e.g. years_from_issue) is not a key the user wrote.
        parts = [str(p) for i, p in enumerate(first["loc"]) if not (i == 1 and p in _RULE_TAGS)]
        key = ".".join(parts) or "(file)"
        message = first["msg"].removeprefix("Value error, ")
        raise ProfileError(source, key, message) from None


def load_profile(path: str | Path) -> Profile:
    """Load and check a profile file; its id defaults to the file's stem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(path.name, "(file)", f"cannot be read: {exc}") from None
    return parse_profile(text, source=path.name, default_id=path.stem)
