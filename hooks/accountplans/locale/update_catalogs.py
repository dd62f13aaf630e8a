"""Bring the message catalogs up to date with the code: `python hooks/accountplans/locale/update_catalogs.py`.

What `pybabel extract` + `pybabel update` + `pybabel compile` do, with the project's keywords
and without a .pot file to keep: every message marked in hooks/ (gettext, ngettext, N_) gets
an entry in each `.po` catalog; entries no longer in the code are dropped; translations are
kept. The English catalog's new entries are filled with the English text (the message id);
other languages' are left empty, and tests/test_i18n.py fails until someone translates them.
Then each `.po` is compiled to the `.mo` beside it, which is what the code reads
(accountplans.i18n): fuzzy and empty entries are left out, so they read as the English text.
Run it again after translating, so the `.mo` has the new translations.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

_FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HOOKS = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(HOOKS))

from accountplans.i18n import DOMAIN, KEYWORDS, LANGUAGES, catalog_path, compiled_path  # noqa: E402


def extracted() -> dict[str | tuple[str, str], list[tuple[str, int]]]:
    """Every marked message in hooks/ with the places it is used."""
    found: dict[str | tuple[str, str], list[tuple[str, int]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(HOOKS), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()):
        key: str | tuple[str, str] = message if isinstance(message, str) else (message[0], message[1])
        found.setdefault(key, []).append((f"hooks/{filename}", lineno))
    return found


def update(language: str, messages: dict[str | tuple[str, str], list[tuple[str, int]]]) -> Catalog:
    path = catalog_path(language)
    old: Catalog | None = None
    if path.exists():
        with path.open("rb") as fh:
            old = read_po(fh, locale=language, domain=DOMAIN)
    # Fixed dates and no line numbers: the catalogs change only when a message does.
    new = Catalog(locale=language, domain=DOMAIN, project="accountplans", version="0",
                  copyright_holder="the accountplans authors", fuzzy=False,
                  header_comment=f"# {language} messages of accountplans (see hooks/accountplans/i18n.py).",
                  creation_date=_FIXED, revision_date=_FIXED,
                  last_translator="the accountplans authors", language_team=language)
    for key, places in sorted(messages.items(), key=lambda item: str(item[0])):
        msgid = key if isinstance(key, str) else key[0]
        before = old.get(msgid) if old is not None else None
        if before is not None and before.string and not before.fuzzy:
            string = before.string
        elif language == "en":
            string = key
        else:
            string = ("", "") if isinstance(key, tuple) else ""
        new.add(key, string, locations=places)
    return new


def compiled(po: Path, language: str) -> bytes:
    """The `.mo` catalog Babel compiles from the `.po` file `po`, fuzzy entries left out."""
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def main() -> None:
    messages = extracted()
    for language in LANGUAGES:
        catalog = update(language, messages)
        path = catalog_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True, include_lineno=False)
        untranslated = sum(1 for m in catalog if m.id and not all(
            m.string if isinstance(m.string, tuple | list) else (m.string,)))
        compiled_path(language).write_bytes(compiled(path, language))
        print(f"{path}: {len(catalog)} messages, {untranslated} to translate; compiled to "
              f"{compiled_path(language).name}")


if __name__ == "__main__":
    main()
