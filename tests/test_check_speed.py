"""What the check does to be fast changes nothing it finds or leaves behind (issue 14)."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import pytest
from accountplans.i18n import LANGUAGES, catalog_path, read_catalog
from accountplans.plan.sitecheck import check_site
from accountplans.settings import Settings
from plan_factory import plan_text


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(tmp_path: Path, enabled: bool) -> None:
    """check_site pauses the cycle collector and leaves it on or off as it found it."""
    (tmp_path / "acme.md").write_text(plan_text("Acme", "Sanne"), encoding="utf-8")
    was = gc.isenabled()
    try:
        if not enabled:
            gc.disable()
        site = check_site([tmp_path], Settings())
        assert gc.isenabled() is enabled
    finally:
        if was:
            gc.enable()
    assert [f.path for f in site.files if f.is_plan] == [(tmp_path / "acme.md").as_posix()]


def _as_babel_reads(text: str, language: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """A catalog's translated messages as Babel's read_po gives them."""
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(text.encode("utf-8")), locale=language, domain="accountplans")
    texts: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            forms = tuple(str(s) for s in message.string)
            if all(forms):
                plurals[str(message.id[0])] = forms
        elif message.string:
            texts[str(message.id)] = str(message.string)
    return texts, plurals


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogs_are_read_as_babel_reads_them(language: str) -> None:
    """Every translated message of the project's catalogs, as Babel's reader reads it."""
    text = catalog_path(language).read_text(encoding="utf-8")
    texts, plurals = read_catalog(text)
    assert (texts, plurals) == _as_babel_reads(text, language)
    assert len(texts) > 100 and plurals


ODD_CATALOG = r'''# a comment
msgid ""
msgstr ""
"Language: nl\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#, fuzzy
msgid "Fuzzy"
msgstr "Wazig"

#: a.py
#, python-brace-format
msgid ""
"A long "
"message with \"quotes\", a \\ and a\ttab\n"
msgstr ""
"Een lange "
"melding met \"aanhalingstekens\", een \\ en een\ttab\n"
msgid "Untranslated"
msgstr ""

msgid "{n} plan"
msgid_plural "{n} plans"
msgstr[0] "{n} plan"
msgstr[1] "{n} plannen"

msgid "{n} day"
msgid_plural "{n} days"
msgstr[0] "{n} dag"

#~ msgid "Old"
#~ msgstr "Oud"
msgid "Last"
msgstr "Laatste"
'''


def test_an_odd_catalog_is_read_as_babel_reads_it() -> None:
    """Fuzzy, untranslated and obsolete entries, a missing plural form, escapes and lines
    that continue a string: what Babel keeps, and nothing else."""
    texts, plurals = read_catalog(ODD_CATALOG)
    assert (texts, plurals) == _as_babel_reads(ODD_CATALOG, "nl")
    assert texts["Last"] == "Laatste" and "Fuzzy" not in texts and "{n} day" not in plurals
