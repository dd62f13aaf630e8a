"""Every word the project writes, in Dutch and English, from gettext message catalogs.

The catalogs are the ecosystem's files, one pair per language in
`hooks/accountplans/locale/<lang>/LC_MESSAGES/`: `accountplans.po`, the text the team edits
and reviews, and `accountplans.mo`, the same catalog compiled by Babel (`write_mo`, fuzzy
entries left out), which is what this module reads, with the standard library's
`gettext.GNUTranslations`, when a language is first asked for. The plural rule comes from the
`.mo` file's `Plural-Forms` header. `locale/update_catalogs.py` updates both files;
tests/test_i18n.py fails when a committed `.mo` is not what Babel compiles from its `.po`.
The message id is the English text, so English reads the same with or without its catalog;
the English catalog is complete anyway, so that a missing or fuzzy entry is caught by the
tests rather than shown.

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
import gettext as gnu_gettext
from pathlib import Path

#: The languages the site is written in; the first is the fallback for unknown ones.
LANGUAGES = ("en", "nl")
DOMAIN = "accountplans"
LOCALE_DIR = Path(__file__).parent / "locale"
#: The keywords Babel's extractor looks for (function name -> message arguments).
KEYWORDS: dict[str, tuple[int, ...] | None] = {"gettext": None, "ngettext": (1, 2), "N_": None}


def catalog_path(language: str) -> Path:
    """The `.po` catalog of `language`: what the team edits."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled_path(language: str) -> Path:
    """The `.mo` catalog of `language`: its `.po` compiled by Babel, what is read."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


@functools.cache
def translations(language: str) -> gnu_gettext.GNUTranslations:
    """The compiled catalog of `language` (unknown languages get English), read once per process."""
    if language not in LANGUAGES:
        language = LANGUAGES[0]
    with compiled_path(language).open("rb") as fh:
        return gnu_gettext.GNUTranslations(fh)


def gettext(message: str, language: str, /, **fields: object) -> str:
    """`message` in `language`, with `{fields}` filled in (not escaped: escape for HTML)."""
    text = translations(language).gettext(message)
    return text.format(**fields) if fields else text


def ngettext(singular: str, plural: str, n: int, language: str, /, **fields: object) -> str:
    """The form of the message for the number `n`, with `{fields}` filled in."""
    text = translations(language).ngettext(singular, plural, n)
    return text.format(**fields) if fields else text


def N_(message: str) -> str:
    """Marks a text for the catalogs without translating it (translated where it is shown)."""
    return message


def language_or_default(language: str | None, default: str) -> str:
    """`language` when the site speaks it, else `default`."""
    return language if language in LANGUAGES else default
