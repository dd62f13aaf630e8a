"""The front-matter of pages that are not plans (the dashboard, help pages): what of it may
reach the theme, read with the same YAML reader as plans.

Material turns some front-matter keys into HTML (`title`, `description`), templates to
render (`template`), icons to include (`icon`), badges (`status`). A page keeps only the keys
below, checked here; every other key is reported and never reaches the theme. A page whose
front-matter looks like a plan with a typo (`acount:`) is told so: otherwise the plan would
silently be left out of the portfolio.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

import yaml

from accountplans.i18n import N_, gettext
from accountplans.plan.fields import PLAN_FIELDS
from accountplans.plan.frontmatter import SourceFile, position
from accountplans.plan.problems import Problem, problem

__all__ = ["PAGE_KEYS", "page_meta"]

#: Keys a page other than a plan may set, and what each does.
PAGE_KEYS: Mapping[str, str] = {
    "title": N_("the page's title (text)"),
    "description": N_("the page's description for its <meta> tag (text)"),
    "tags": N_("Material tags (a list of words)"),
    "hide": N_("parts of the page the theme leaves out (navigation, toc, footer, tags)"),
    "search": N_("'exclude: true' leaves the page out of search"),
}
_HIDE = ("navigation", "toc", "footer", "tags", "path", "feedback")
#: The fields only a plan has (the field table's, but those a page may set too, and `status`
#: and `language`, words a page's own front-matter may well use).
_PLAN_KEYS = frozenset(f.name for f in PLAN_FIELDS) - set(PAGE_KEYS) - {"status", "language"}


def page_meta(source: SourceFile, root: yaml.Node,
              language: str = "en") -> tuple[dict[str, Any], list[Problem]]:
    """(the page's meta for the theme, problems in `language`) for a page that is not a plan."""
    found: list[Problem] = []
    if not isinstance(root, yaml.MappingNode):
        return {}, []  # AP001, reported with every front-matter's structure
    keys = [k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)]
    looks_like_plan = [k for k in keys if k in _PLAN_KEYS]
    meta: dict[str, Any] = {}
    for key_node, value in root.value:
        line, col = position(source, key_node)
        key: str | None = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key is not None and key in PAGE_KEYS:
            read, bad = _read(key, value, language)
            if bad is None:
                meta[key] = read
            else:
                vline, vcol = position(source, value)
                found.append(problem(source.path, vline, vcol, "AP005", bad))
            continue
        shown = key if key is not None else gettext("a key that is not text", language)
        close = difflib.get_close_matches(str(key).lower(), ("account",), n=1, cutoff=0.75) \
            if key is not None else []
        if close:
            found.append(problem(source.path, line, col, "AP004", gettext(
                "'{key}' is not a known key; did you mean 'account'? Without 'account:' this "
                "page is not a plan and is left out of the portfolio", language, key=shown)))
        elif key in _PLAN_KEYS:
            continue  # reported once below
        else:
            allowed = ", ".join(PAGE_KEYS)
            found.append(problem(source.path, line, col, "AP006", gettext(
                "'{key}' is not used on a page that is not a plan and is ignored; such pages "
                "may set: {allowed}", language, key=shown, allowed=allowed)))
    if looks_like_plan and not any(p.code == "AP004" for p in found):
        found.append(problem(source.path, source.front_line, 1, "AP004", gettext(
            "this page has the plan fields {fields} but no 'account:'; add the account's name "
            "to make it a plan, or remove those fields", language,
            fields=", ".join(looks_like_plan))))
    return meta, found


def _read(key: str, node: yaml.Node, language: str) -> tuple[Any, str | None]:
    """(value, None), or (None, what is wrong and how to fix it, in `language`)."""
    if key in ("title", "description"):
        if isinstance(node, yaml.ScalarNode) and node.value.strip():
            return node.value, None
        return None, gettext("'{key}' must be a line of text, e.g. 'title: Help'", language, key=key)
    if key == "tags":
        words = _words(node)
        return (words, None) if words is not None else (
            None, gettext("'{key}' must be a list of words, e.g. [a, b]", language, key=key))
    if key == "hide":
        words = _words(node)
        if words is not None and all(w in _HIDE for w in words):
            return words, None
        return None, gettext("'{key}' must be a list of: {words}", language, key=key,
                             words=", ".join(_HIDE))
    # search
    if isinstance(node, yaml.MappingNode) and len(node.value) == 1:
        (k, v), = node.value
        if isinstance(k, yaml.ScalarNode) and k.value == "exclude" and isinstance(v, yaml.ScalarNode) \
                and v.value in ("true", "false"):
            return {"exclude": v.value == "true"}, None
    return None, gettext("'{key}' must be 'search: {{exclude: true}}' or "
                         "'search: {{exclude: false}}'", language, key=key)


def _words(node: yaml.Node) -> list[str] | None:
    if isinstance(node, yaml.ScalarNode) and node.value:
        return [node.value]
    if isinstance(node, yaml.SequenceNode) and all(
            isinstance(n, yaml.ScalarNode) and n.value for n in node.value):
        return [n.value for n in node.value if isinstance(n, yaml.ScalarNode)]
    return None
