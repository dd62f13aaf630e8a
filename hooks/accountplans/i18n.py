"""Every word the project writes, in Dutch and English, from gettext message catalogs.

The catalogs are the ecosystem's `.po` files, one per language:
`hooks/accountplans/locale/<lang>/LC_MESSAGES/accountplans.po`, read when a language is
first asked for (no compiled `.mo`: the `.po` is what the team edits and reviews). Read by
`read_catalog`, which reads what Babel's `read_po` reads (tested against it) in a tenth of
its time and without importing Babel's catalog machinery: `accountplans check` reads both
catalogs in every run. The message id
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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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
    plural_index: Callable[[int], str]
    """The CLDR plural category of a number ("one" or "other")."""

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
    texts, plurals = read_catalog(catalog_path(language).read_text(encoding="utf-8"))
    return Translations(language, texts, plurals, _one_or_other)


def _one_or_other(n: int) -> str:
    """The plural category of `n` in Dutch and English (CLDR: `one: n is 1`)."""
    return "one" if n == 1 else "other"


def read_catalog(text: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """A `.po` file's translated messages: (singular texts, plural forms by singular id).

    Left out, as Babel's `read_po` leaves them out or empty: the header, fuzzy entries,
    obsolete (`#~`) ones, untranslated ones, and plurals with a form missing (forms past
    the header's `nplurals` are ignored).
    """
    entries: list[_Entry] = []
    entry = _Entry()
    piece: list[str] | None = None  # the string that a line in quotes continues
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith('"'):
            if piece is not None:
                piece.append(_unquote(line))
            continue
        if not line or line.startswith("#"):
            if entry.strings or not line or line.startswith("#~"):
                entry = _finish(entry, entries)
            if line.startswith("#,") and "fuzzy" in line[2:].replace(",", " ").split():
                entry.fuzzy = True
            piece = None
            continue
        keyword, _, value = line.partition(" ")
        if keyword == "msgid" and entry.strings:
            entry = _finish(entry, entries)
        if keyword == "msgid":
            piece = entry.msgid
        elif keyword == "msgid_plural":
            piece = entry.msgid_plural = []
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            index = int(keyword[7:-1]) if keyword != "msgstr" else 0
            piece = entry.strings.setdefault(index, [])
        else:  # msgctxt and what no catalog of ours has
            piece = None
            continue
        piece.append(_unquote(value.strip()))
    _finish(entry, entries)
    header = next((e for e in entries if not e.id), None)
    forms = _NPLURALS.search("".join(header.strings.get(0, ""))) if header else None
    nplurals = int(forms[1]) if forms else 2
    texts: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for e in entries:
        if not e.id or e.fuzzy:
            continue
        if e.msgid_plural is not None:
            translated = tuple("".join(e.strings.get(i, "")) for i in range(nplurals))
            if all(translated):
                plurals[e.id] = translated
        elif string := "".join(e.strings.get(0, "")):
            texts[e.id] = string
    return texts, plurals


@dataclass
class _Entry:
    """One entry of a `.po` file while it is read: its strings' pieces, line by line."""

    msgid: list[str] = field(default_factory=list)
    msgid_plural: list[str] | None = None
    strings: dict[int, list[str]] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def id(self) -> str:
        return "".join(self.msgid)


def _finish(entry: _Entry, entries: list[_Entry]) -> _Entry:
    """Keep `entry` if it has a message id; a new entry to read into."""
    if entry.msgid or entry.strings:
        entries.append(entry)
        return _Entry()
    return entry


_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
_ESCAPE = re.compile(r'\\([\\abfnrtv"])')
_ESCAPED = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def _unquote(quoted: str) -> str:
    """A string of a `.po` line without its quotes, its C escapes read (as Babel reads it)."""
    inner = quoted[1:-1]
    if "\\" not in inner:
        return inner
    return _ESCAPE.sub(lambda m: _ESCAPED.get(m[1], m[1]), inner)


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
