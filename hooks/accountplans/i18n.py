"""Every word the project writes, in Dutch and English, from gettext message catalogs.

The catalogs are the ecosystem's `.po` files, one per language:
`hooks/accountplans/locale/<lang>/LC_MESSAGES/accountplans.po`, read with Babel's
`read_po` when a language is first asked for (no compiled `.mo`: the `.po` is what the team
edits and reviews, and reading it takes a few milliseconds once per process). The message id
is the English text, so English reads the same with or without its catalog; the English
catalog is complete anyway, so that a missing or fuzzy entry is caught by the tests
(tests/test_i18n.py) rather than shown.

The language is always an argument: a plan page is written in the plan's language, and the
pages across plans, the command line and the build log in `extra.accountplans.language`, in
one build. There is no "current language", so nothing leaks from one page or build to the
next; the catalogs themselves never change while a process runs.

Marking messages: `gettext("Text with {field}", language, field=...)`,
`ngettext("{n} plan", "{n} plans", n, language, n=n)`, and `N_("Text")` for a text that
is translated later (in a table of texts). Babel's extractor finds all three:
`pybabel extract -k N_ -o accountplans.pot hooks` (see README, "Languages").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po
from babel.plural import PluralRule

#: The languages the site is written in; the first is the fallback for unknown ones.
LANGUAGES = ("en", "nl")
DOMAIN = "accountplans"
LOCALE_DIR = Path(__file__).parent / "locale"
#: The keywords Babel's extractor looks for (function name -> message arguments).
KEYWORDS: dict[str, tuple[int, ...] | None] = {"gettext": None, "ngettext": (1, 2), "N_": None}


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@dataclass(frozen=True)
class Translations:
    """One language's catalog: singular texts, plural forms, and the plural rule."""

    language: str
    texts: dict[str, str]
    plurals: dict[str, tuple[str, ...]]
    plural_index: PluralRule

    def plural(self, singular: str, plural: str, n: int) -> str:
        forms = self.plurals.get(singular)
        if not forms:
            return singular if n == 1 else plural
        index = _PLURAL_FORM.get(self.plural_index(n), 1)
        return forms[min(index, len(forms) - 1)]


# CLDR's plural categories as gettext's indexes for Dutch and English (`nplurals=2`).
_PLURAL_FORM = {"one": 0, "other": 1}


@functools.cache
def translations(language: str) -> Translations:
    """The catalog of `language` (unknown languages get English), read once per process."""
    if language not in LANGUAGES:
        language = LANGUAGES[0]
    path = catalog_path(language)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    texts: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            forms = tuple(str(s) for s in message.string) if isinstance(message.string, tuple | list) else ()
            if all(forms):
                plurals[str(message.id[0])] = forms
        elif message.string:
            texts[str(message.id)] = str(message.string)
    rule = PluralRule({"one": "n is 1"})
    return Translations(language, texts, plurals, rule)


def gettext(message: str, language: str, /, **fields: object) -> str:
    """`message` in `language`, with `{fields}` filled in (not escaped: escape for HTML)."""
    text = translations(language).texts.get(message, message)
    return text.format(**fields) if fields else text


def ngettext(singular: str, plural: str, n: int, language: str, /, **fields: object) -> str:
    """The form of the message for the number `n`, with `{fields}` filled in."""
    text = translations(language).plural(singular, plural, n)
    return text.format(**fields) if fields else text


def N_(message: str) -> str:
    """Marks a text for the catalogs without translating it (translated where it is shown)."""
    return message


def language_or_default(language: str | None, default: str) -> str:
    """`language` when the site speaks it, else `default`."""
    return language if language in LANGUAGES else default
