"""The HTTP service: ``create_app`` and its ``Settings``. Only this package imports FastAPI."""

from generator.api.app import create_app
from generator.api.settings import Settings

__all__ = ["Settings", "create_app"]
