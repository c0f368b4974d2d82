"""Bulk print runs grouped by employer (事業所) or household: plan, render, assemble, report."""

from generator.batch.config import RunConfig
from generator.batch.runner import run
from generator.selection import RunKind

__all__ = ["RunConfig", "RunKind", "run"]
