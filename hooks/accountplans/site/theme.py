"""What the theme is given to print: page metadata it cannot turn into HTML, and the box of
problems `mkdocs serve` shows at the top of a page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from accountplans.i18n import N_, gettext, ngettext
from accountplans.site.markup import Html, escape
from accountplans.plan.problems import Problem, count_errors

__all__ = ["problems_box", "theme_safe_meta"]

# Front-matter keys Material writes into every page's HTML without escaping (title in
# <title> and the navigation, description in a meta tag, tags as links).
_THEME_TEXT_KEYS = ("title", "description", "subtitle")


def theme_safe_meta(meta: Mapping[str, Any], *, is_plan: bool) -> dict[str, Any]:
    """`page.meta` as the theme may see it: plan text cannot become HTML there.

    Theme templates are not autoescaped, so a plan's `title: '<img onerror=...>'` or such a
    tag would run in every reader's browser. A plan keeps only its tags (escaped): other
    keys are AP006 for it, and `status` would draw Material's page badge, unlabelled for
    active/draft/archived (the plan's status is in its key facts). Other pages keep their
    keys, with the ones Material prints as HTML (`Html`: escaped once, never again).
    """
    if is_plan:
        meta = {"tags": meta["tags"]} if "tags" in meta else {}
    safe = dict(meta)
    for key in _THEME_TEXT_KEYS:
        if isinstance(safe.get(key), str):
            safe[key] = escape(safe[key])
    if "tags" in safe:
        tags = safe["tags"] if isinstance(safe["tags"], list) else [safe["tags"]]
        # Text that is HTML, not Html: the tags plugin slugs and sorts them as plain strings.
        safe["tags"] = [str(escape(t)) for t in tags if t is not None and not isinstance(t, dict | list)]
    return safe


#: The severities as the box shows them (the problem line keeps `error`/`warning`, which
#: editors and CI problem matchers read).
_SEVERITY = {"error": N_("error"), "warning": N_("warning")}


def problems_box(found: Sequence[Problem], language: str = "en") -> Html:
    """Under `mkdocs serve`: the page's problems at its top, so the author sees them live,
    in the language of the run (the language of the messages in it)."""
    errors = count_errors(found)
    kind = "failure" if errors else "warning"
    items = Html("").join(Html("<li><code>{}</code> {} {}: {}</li>").format(
        p.location(), p.code, gettext(_SEVERITY.get(p.severity, p.severity), language), p.message)
        for p in found)
    title = gettext("{problems} in this file ({errors}) — fix them before publishing", language,
                    problems=ngettext("{n} problem", "{n} problems", len(found), language, n=len(found)),
                    errors=ngettext("{n} error", "{n} errors", errors, language, n=errors))
    return Html('<div class="admonition {} accountplans-problems">'
                '<p class="admonition-title">{}</p><ul>{}</ul></div>').format(kind, title, items)
