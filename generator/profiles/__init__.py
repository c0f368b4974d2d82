"""Insurer profiles (保険者設定) as data: validity rule, masks, QR settings, names, addresses."""

from generator.profiles.loader import load_profile, parse_profile
from generator.profiles.model import Profile

__all__ = ["Profile", "load_profile", "parse_profile"]
