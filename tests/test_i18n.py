"""Message catalogs: every message the code marks is in every catalog, translated and whole."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from accountplans import i18n
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

HOOKS = Path(__file__).resolve().parents[1] / "hooks"


def _catalog(language: str) -> Catalog:
    with i18n.catalog_path(language).open("rb") as fh:
        return read_po(fh, locale=language, domain=i18n.DOMAIN)


def _marked() -> set[str]:
    """The message ids marked in hooks/ (gettext, ngettext, N_), as Babel's extractor finds them."""
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(HOOKS), method_map=[("**.py", "python")],
                                                keywords=i18n.KEYWORDS, comment_tags=()):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _strings(message: object) -> tuple[str, ...]:
    value = getattr(message, "string", "")
    return tuple(value) if isinstance(value, tuple | list) else (value,)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_marked_message_is_in_the_catalog(language: str) -> None:
    """A message used in the code but missing from a catalog fails (run locale/update_catalogs.py)."""
    missing = sorted(_marked() - _ids(_catalog(language)))
    assert missing == []


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_catalog_has_no_message_the_code_no_longer_uses(language: str) -> None:
    """Catalogs hold only messages the code marks, so translators work on what is shown."""
    assert sorted(_ids(_catalog(language)) - _marked()) == []


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_catalog_has_no_fuzzy_or_empty_entries(language: str) -> None:
    """Every entry is translated and none is marked fuzzy (a guess nobody checked)."""
    bad = [m.id for m in _catalog(language) if m.id and (m.fuzzy or not all(_strings(m)))]
    assert bad == []


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_translations_take_the_same_fields(language: str) -> None:
    """A translation names exactly the {fields} of its message id, so formatting never fails."""
    wrong = []
    for m in _catalog(language):
        if not m.id:
            continue
        ids = (m.id,) if isinstance(m.id, str) else tuple(m.id)
        wanted = set().union(*(_fields(i) for i in ids))
        wrong += [(m.id, s) for s in _strings(m) if _fields(s) != wanted]
    assert wrong == []


def test_language_is_an_argument_not_a_state() -> None:
    """Dutch then English in one process: each call answers in its own language."""
    assert (i18n.gettext("Key facts", "nl"), i18n.gettext("Key facts", "en"),
            i18n.gettext("Key facts", "nl")) == ("Kerngegevens", "Key facts", "Kerngegevens")


def test_unknown_language_falls_back_to_english() -> None:
    """A language the site does not speak reads English."""
    assert i18n.gettext("Key facts", "fr") == "Key facts"


def test_fields_are_filled_in() -> None:
    """`{fields}` are filled in after translation."""
    assert i18n.gettext("Target {year}", "nl", year=2027) == "Doel 2027"


def test_plural_forms_follow_the_number() -> None:
    """ngettext picks Dutch singular or plural by the number."""
    assert [i18n.ngettext("{n} plan", "{n} plans", n, "nl", n=n) for n in (1, 2)] == ["1 plan", "2 plannen"]


def test_check_speaks_the_language_it_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """`accountplans check --lang nl` writes its messages and summary in Dutch."""
    from accountplans.cli import commands as cli

    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "plan.md"
    plan.write_text("---\naccount: Acme\nowner: Jo\nyear: 2027\nreviewed: 2027-01-05\n---\n\n"
                    "## Markt positie\n\nTekst.\n", encoding="utf-8")
    cli.main(["check", "--lang", "nl", str(plan)])
    out, err = capsys.readouterr()
    assert "bedoel je Marktpositie?" in out
    assert err.startswith("1 bestand, 1 plan: ") and " fouten, " in err
