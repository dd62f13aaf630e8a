"""argparse's own words (`usage:`, `options`, `error:`, "the following arguments are
required") from the project's catalogs, in the command line's language.

argparse translates through the standard `gettext` module: it calls its module-level `_` and
`ngettext` when a parser is made, when help is printed and when an error is reported. While
`argparse_language(language)` is active they look the text up in our catalog instead, so the
Dutch words live beside every other message in `locale/nl/LC_MESSAGES/accountplans.po`. The
`accountplans` command runs one command per process and enters this once, around making the
parser and parsing the command line (help and usage errors exit from inside parse_args).

The texts below are argparse's own message ids (Python 3.11-3.13), marked so that the
extractor puts them in the catalogs; their `%s`/`%(name)s` placeholders are argparse's and
stay in the translations. Texts argparse shows only to a programmer who builds a parser wrongly
are not listed and stay English.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from accountplans.i18n import LANGUAGES, N_, translations
from accountplans.settings import Project, load_project

#: argparse's texts that a person using the command can see.
SHOWN = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
    N_("can't open '%(filename)s': %(error)s"),
)


def language_before_parsing(argv: Sequence[str], load: Callable[[Path], Project] = load_project) -> str:
    """The language of the help and usage messages, known before the command line is parsed:
    `--lang` (but `new`'s, which is the plan's), else the site's (the mkdocs.yml of `-f`, or
    the one in the current folder, read by `load`), else English."""
    words = list(argv)
    for i, word in enumerate(words):
        value = words[i + 1] if word == "--lang" and i + 1 < len(words) else word.removeprefix("--lang=")
        if (word == "--lang" or word.startswith("--lang=")) and "new" not in words and value in LANGUAGES:
            return value
    config = "mkdocs.yml"
    for i, word in enumerate(words[:-1]):
        if word in ("-f", "--config"):
            config = words[i + 1]
    try:
        return load(Path(config)).settings.language if Path(config).is_file() else "en"
    except Exception:  # noqa: BLE001 - a broken mkdocs.yml is reported after parsing
        return "en"


def _lookup(language: str) -> tuple[Callable[[str], str], Callable[[str, str, int], str]]:
    catalog = translations(language)  # the standard library's GNUTranslations, as argparse expects
    return catalog.gettext, catalog.ngettext


@contextlib.contextmanager
def argparse_language(language: str) -> Iterator[None]:
    """argparse speaks `language` until the block ends (then it speaks as before)."""
    saved = (getattr(argparse, "_"), getattr(argparse, "ngettext"))  # noqa: B009 - not typed
    gettext, ngettext = _lookup(language)
    setattr(argparse, "_", gettext)  # noqa: B010 - argparse's module global, not in typeshed
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010
