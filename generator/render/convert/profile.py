"""Settings written into each soffice's own user profile (ユーザープロファイル) before it starts.

LibreOffice keeps per-process caches of laid-out text, large by default. Each member's name
and address is new text, so these caches fill for hundreds of conversions and the process
grows with the length of a run. Small caches still hold every template's fixed labels,
which recur in every document, and the process levels off within a few dozen conversions,
at no cost in speed (bench/BENCHMARKS.md). The PDF bytes do not change: these caches only
save work, they never change a layout.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from generator.render.convert.isolation import private_folder, write_private

#: (configuration group, property, value): oor paths under /org.openoffice.Office.Common.
CACHE_LIMITS: tuple[tuple[str, str, int], ...] = (
    ("Cache/Font", "GlyphsCacheSize", 1_000_000),  # bytes (default 20,000,000)
    ("Cache/Font", "TextRunsCacheSize", 1_000),  # entries (default 100,000)
    ("Cache/GraphicManager", "GraphicMemoryLimit", 20_000_000),  # bytes (default 300 MB)
)
#: No ``.~lock.chunk-N.pdf#`` beside each export: one left by a failed write (a full disk)
#: stayed in a run's state folder. Each worker writes a file of its own; nothing to lock.
NO_LOCK_FILES: tuple[tuple[str, str, str], ...] = (
    ("Misc", "UseDocumentOOoLockFile", "false"),
    ("Misc", "UseDocumentSystemFileLocking", "false"),
)


def registry_modifications() -> str:
    """The text of a ``registrymodifications.xcu`` that sets ``CACHE_LIMITS`` and
    ``NO_LOCK_FILES``."""
    items = "".join(
        f"<item oor:path={quoteattr('/org.openoffice.Office.Common/' + group)}>"
        f'<prop oor:name={quoteattr(name)} oor:op="fuse"><value>{value}</value></prop></item>\n'
        for group, name, value in (*CACHE_LIMITS, *NO_LOCK_FILES)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}</oor:items>\n"
    )


def prepare(profile: Path) -> None:
    """Seed a new profile directory with the limits. An existing profile (a restart) keeps
    the file soffice rewrote, which carries the limits on."""
    settings = profile / "user" / "registrymodifications.xcu"
    if settings.exists():
        return
    private_folder(profile)
    private_folder(settings.parent)
    write_private(settings, registry_modifications().encode())
