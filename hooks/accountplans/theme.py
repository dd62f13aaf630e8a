"""What the theme is given to print: page metadata it cannot turn into HTML, and the box of
problems `mkdocs serve` shows at the top of a page."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from .problems import Problem, count_errors

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
    keys, with the ones Material prints escaped.
    """
    if is_plan:
        meta = {"tags": meta["tags"]} if "tags" in meta else {}
    safe = dict(meta)
    for key in _THEME_TEXT_KEYS:
        if isinstance(safe.get(key), str):
            safe[key] = html.escape(safe[key])
    if "tags" in safe:
        tags = safe["tags"] if isinstance(safe["tags"], list) else [safe["tags"]]
        safe["tags"] = [html.escape(str(t)) for t in tags if t is not None and not isinstance(t, dict | list)]
    return safe


def problems_box(found: Sequence[Problem]) -> str:
    """Under `mkdocs serve`: the page's problems at its top, so the author sees them live."""
    errors = count_errors(found)
    kind = "failure" if errors else "warning"
    items = "".join(f"<li><code>{html.escape(p.location())}</code> {html.escape(p.code)} "
                    f"{html.escape(p.severity)}: {html.escape(p.message)}</li>" for p in found)
    title = f"{len(found)} problem(s) in this file ({errors} error(s)) — fix them before publishing"
    return (f'<div class="admonition {kind} accountplans-problems">'
            f'<p class="admonition-title">{html.escape(title)}</p><ul>{items}</ul></div>')
