"""Rendering: DOCX templates (docxtpl) → PDF (LibreOffice) → finished PDF (pypdf).

``render_pdf`` is the one-call entry point; it keeps one warm LibreOffice process for the
life of the Python process. Bulk work uses ``Renderer`` with a ``LibreOfficePool``.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from generator.domain.facility_token import KeyRing
from generator.domain.kinds import DocumentKind
from generator.domain.models import Member
from generator.facts import decide
from generator.profiles import Profile, load_profile
from generator.records import parse_record
from generator.render.convert.base import Converter
from generator.render.convert.libreoffice import LibreOfficePool, PoolConfig
from generator.render.docx import TemplateSet
from generator.render.pipeline import Renderer

_default: LibreOfficePool | None = None
_templates = TemplateSet()
_lock = threading.Lock()


def default_converter() -> Converter:
    """One warm LibreOffice process, started on first use and ended at exit."""
    global _default  # noqa: PLW0603 - one pool per process, by design
    with _lock:
        if _default is None:
            _default = LibreOfficePool(PoolConfig(workers=1))
            atexit.register(_default.close)
        return _default


def render_pdf(
    kind: DocumentKind | str,
    record: Member | Mapping[str, object],
    profile: Profile | str | Path,
    issue_date: date,
    *,
    keys: KeyRing | None = None,
    converter: Converter | None = None,
) -> bytes:
    """The finished PDF of one document for one member (DataError on a bad record)."""
    member = record if isinstance(record, Member) else parse_record(record, where="record")
    insurer = profile if isinstance(profile, Profile) else load_profile(profile)
    facts = decide(member, insurer, issue_date)
    renderer = Renderer(converter or default_converter(), _templates, keys=keys)
    return renderer.render(DocumentKind(kind), facts, insurer)


__all__ = ["Renderer", "render_pdf"]
