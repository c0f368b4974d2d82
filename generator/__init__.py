"""Documents for Japanese health insurers after the paper card (健康保険証の廃止後の帳票).

The public facade: everything another system needs, and nothing else.
"""

from generator.batch import RunConfig, RunKind
from generator.batch import run as run_batch
from generator.domain.kinds import DocumentKind
from generator.domain.models import Member
from generator.errors import (
    ConversionError,
    ConversionTimeoutError,
    ConverterUnavailableError,
    DataError,
    DistributedError,
    FolderInUseError,
    GeneratorError,
    OutputError,
    ProfileError,
    QueueFullError,
    TemplateError,
    TokenError,
)
from generator.facts import MemberFacts, decide
from generator.profiles import Profile, load_profile
from generator.records import load_record, parse_record, read_records
from generator.render import Renderer, render_pdf

__all__ = [
    "ConversionError",
    "ConversionTimeoutError",
    "ConverterUnavailableError",
    "DataError",
    "DistributedError",
    "DocumentKind",
    "FolderInUseError",
    "GeneratorError",
    "Member",
    "MemberFacts",
    "OutputError",
    "Profile",
    "ProfileError",
    "QueueFullError",
    "Renderer",
    "RunConfig",
    "RunKind",
    "TemplateError",
    "TokenError",
    "decide",
    "load_profile",
    "load_record",
    "parse_record",
    "read_records",
    "render_pdf",
    "run_batch",
]
