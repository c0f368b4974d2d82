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
from generator.errors import DataError, ProfileError
from generator.facts import decide, issue_date_of
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
    issue_date: date | str,
    *,
    keys: KeyRing | None = None,
    converter: Converter | None = None,
) -> bytes:
    """The finished PDF of one document for one member. A caller's wrong argument is a
    DataError naming it (``kind``, ``record``, ``issue_date``) or a ProfileError, raised
    before any work: a record as a mapping, a profile as a path, a date as YYYY-MM-DD."""
    document = _kind(kind)
    if isinstance(record, Member):
        member = record
    elif isinstance(record, Mapping):
        member = parse_record(record, where="record")
    else:
        raise DataError("call", "record", f"a mapping of columns, got {type(record).__name__}")
    if isinstance(profile, Profile):
        insurer = profile
    elif isinstance(profile, (str, Path)):
        insurer = load_profile(profile)
    else:
        raise ProfileError("call", "profile", f"a Profile or a path, got {type(profile).__name__}")
    facts = decide(member, insurer, issue_date_of(issue_date, member.record_id))
    renderer = Renderer(converter or default_converter(), _templates, keys=keys)
    return renderer.render(document, facts, insurer)


def _kind(kind: object) -> DocumentKind:
    if isinstance(kind, str) and kind in DocumentKind._value2member_map_:
        return DocumentKind(kind)
    known = ", ".join(k.value for k in DocumentKind)
    raise DataError("call", "kind", f"not a document kind (one of {known})")


__all__ = ["Renderer", "render_pdf"]
