"""Message catalogs: every message the code marks is in every catalog, translated and whole,
and the compiled catalogs the code reads are their `.po` files compiled today."""

from __future__ import annotations

import gettext as gnu_gettext
import importlib.util
import io
import string
from pathlib import Path
from types import ModuleType

import pytest
from accountplans import i18n
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HOOKS = Path(__file__).resolve().parents[1] / "hooks"
UPDATE_CATALOGS = HOOKS / "accountplans" / "locale" / "update_catalogs.py"


def _catalog(language: str) -> Catalog:
    with i18n.catalog_path(language).open("rb") as fh:
        return read_po(fh, locale=language, domain=i18n.DOMAIN)


def _update_catalogs() -> ModuleType:
    """The team's catalog script, loaded as a module (it is a script, not in a package)."""
    spec = importlib.util.spec_from_file_location("update_catalogs", UPDATE_CATALOGS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_compiled_catalog_is_its_po_compiled_today(language: str) -> None:
    """The committed `.mo` is byte for byte what Babel compiles from the `.po` now, fuzzy left out."""
    out = io.BytesIO()
    write_mo(out, _catalog(language), use_fuzzy=False)
    stale = i18n.compiled_path(language).read_bytes() != out.getvalue()
    assert not stale, f"{i18n.compiled_path(language)} is stale: run locale/update_catalogs.py"


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_translation_reads_as_its_po_says(language: str) -> None:
    """What the code reads for each message (both plural forms too) is the `.po` entry's text."""
    wrong = []
    for m in _catalog(language):
        if not m.id:
            continue
        if isinstance(m.id, str):
            read = (i18n.translations(language).gettext(m.id),)
        else:
            read = tuple(i18n.translations(language).ngettext(m.id[0], m.id[1], n) for n in (1, 2))
        if read != _strings(m):
            wrong.append((m.id, read))
    assert wrong == []


def test_update_catalogs_leaves_fuzzy_entries_out_of_the_compiled_catalog(tmp_path: Path) -> None:
    """A fuzzy entry (a guess nobody checked) reads as the English text once compiled."""
    catalog = _catalog("nl")
    catalog["Key facts"].flags.add("fuzzy")
    po = tmp_path / "accountplans.po"
    with po.open("wb") as fh:
        write_po(fh, catalog)
    compiled = gnu_gettext.GNUTranslations(io.BytesIO(_update_catalogs().compiled(po, "nl")))
    assert (compiled.gettext("Key facts"), compiled.gettext("Target {year}")) == ("Key facts", "Doel {year}")


def test_plural_rule_comes_from_the_compiled_catalog() -> None:
    """The `.mo` header's Plural-Forms picks Dutch singular for 1 and plural for 0 and 2."""
    forms = [i18n.ngettext("{n} plan", "{n} plans", n, "nl", n=n) for n in (0, 1, 2)]
    assert forms == ["0 plannen", "1 plan", "2 plannen"]


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
