"""The cache limits and lock-file settings seeded into each soffice profile."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from generator.render.convert.profile import (
    CACHE_LIMITS,
    NO_LOCK_FILES,
    prepare,
    registry_modifications,
)

OOR = "{http://openoffice.org/2001/registry}"
#: LibreOffice's own schema, where Debian installs it.
MAIN_XCD = Path("/usr/lib/libreoffice/share/registry/main.xcd")


def test_each_limit_is_an_item_libreoffice_reads() -> None:
    items = ElementTree.fromstring(registry_modifications())
    found = {
        (item.get(f"{OOR}path"), prop.get(f"{OOR}name"), prop.findtext("value"))
        for item in items
        for prop in item
    }
    assert found == {
        (f"/org.openoffice.Office.Common/{group}", name, str(value))
        for group, name, value in (*CACHE_LIMITS, *NO_LOCK_FILES)
    }


def _common(group: str) -> str:
    """LibreOffice's schema from /org.openoffice.Office.Common/GROUP on, down its groups."""
    schema = MAIN_XCD.read_text(encoding="utf-8")
    section = schema[schema.index('oor:name="Common"') :]
    for part in group.split("/"):  # down the groups, in order
        section = section[section.index(f'<group oor:name="{part}">') :]
    return section


@pytest.mark.skipif(not MAIN_XCD.exists(), reason="LibreOffice is not installed here")
@pytest.mark.parametrize(("group", "name", "value"), CACHE_LIMITS)
def test_each_limit_names_a_property_of_libreoffice_and_lowers_it(
    group: str, name: str, value: int
) -> None:
    # A misspelt path would be ignored without a word: check it against the schema.
    default = re.search(rf'<prop oor:name="{name}"[^>]*>\s*<value>(\d+)</value>', _common(group))
    assert default is not None
    assert value < int(default.group(1))


@pytest.mark.skipif(not MAIN_XCD.exists(), reason="LibreOffice is not installed here")
@pytest.mark.parametrize(("group", "name", "value"), NO_LOCK_FILES)
def test_each_lock_setting_names_a_boolean_of_libreoffice_that_is_on_by_default(
    group: str, name: str, value: str
) -> None:
    default = re.search(
        rf'<prop oor:name="{name}" oor:type="xs:boolean"[^>]*>\s*<value>(\w+)</value>',
        _common(group),
    )
    assert default is not None
    assert (default.group(1), value) == ("true", "false")


def test_a_new_profile_is_seeded_and_an_existing_one_kept(tmp_path: Path) -> None:
    prepare(tmp_path / "profile")
    settings = tmp_path / "profile" / "user" / "registrymodifications.xcu"
    assert settings.read_text(encoding="utf-8") == registry_modifications()

    settings.write_text("<soffice's own/>", encoding="utf-8")
    prepare(tmp_path / "profile")
    assert settings.read_text(encoding="utf-8") == "<soffice's own/>"
