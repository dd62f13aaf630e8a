"""What the theme is given to print: page metadata it cannot turn into HTML, the box of
problems `mkdocs serve` shows at the top of a page, and the navigation Material renders once
for many pages (SharedNav)."""

from __future__ import annotations

import posixpath
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from accountplans.i18n import N_, gettext, ngettext
from accountplans.plan.problems import Problem, count_errors
from accountplans.site.markup import Html, escape

__all__ = ["LinkGroups", "NavSlot", "PageNav", "SharedNav", "link_base", "problems_box", "theme_safe_meta"]

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


# --- The primary navigation, rendered once for many pages ---------------------------------
#
# Material renders the whole primary navigation into every page (base.html, partials/nav.html,
# the `render` macro of partials/nav-item.html). With navigation.prune a page gets the top
# level and, open, the sections it is in: every item of its own section, so a section of n
# plans costs n macro calls on each of its n pages. Yet two pages of one section get the same
# navigation but for two items: each page's own item (active, with its table of contents) and
# the other's (plain). So Material's navigation is rendered once for such a group of pages, the
# place of every item of the section in it is noted, and each further page gets that text with
# the two items swapped for what Material's own macro renders for them on that page
# (theme_overrides/partials/nav.html asks; hooks/site_nav.py finds the groups).


@dataclass(frozen=True)
class NavSlot:
    """One item of a list in Material's navigation, with what Material's `render` macro is
    called with for it: its element id (`__nav_2_3`), its level (1 at the top) and its section."""

    item: Any
    path: str
    level: int
    parent: Any


def link_base(url: str) -> tuple[str, ...]:
    """The folder a page's relative links start from, as parts: MkDocs' `url` filter makes a
    link relative to the page's URL, without its last part if that has a dot (a file)."""
    folder, _, last = url.rpartition("/")
    return _parts(folder if "." in last else url)


def _parts(path: str) -> tuple[str, ...]:
    normal = posixpath.normpath("/" + path)[1:]
    return tuple(normal.split("/")) if normal else ()


class LinkGroups:
    """Which pages get the same relative link for every target of the navigation.

    MkDocs makes a link to target T relative to the page's folder B (link_base). Pages with the
    same B get the same links. Pages whose folders differ only in their last part (`a/b/` and
    `a/c/`) get the same links to every target outside both folders: so such a page is grouped
    with its neighbours when its own URL is the only target at or under its folder.
    """

    def __init__(self, targets: Iterable[str]) -> None:
        self._targets = sorted(_parts(t) for t in targets if not _unchanged_by_url_filter(t))

    def key(self, url: str) -> tuple[str, tuple[str, ...]] | None:
        """The group of a page with this URL; None for a page whose links no other page shares."""
        base = link_base(url)
        if base != _parts(url):  # a file's URL (`a/b.html`): its folder's pages share every link
            return ("folder", base)
        if not base or self._under(base) != 1:
            return None
        return ("beside", base[:-1])

    def _under(self, base: tuple[str, ...]) -> int:
        """How many targets are `base` or under it, counted up to 2."""
        found = 0
        at = bisect_left(self._targets, base)
        while found < 2 and at < len(self._targets) and self._targets[at][:len(base)] == base:
            found += 1
            at += 1
        return found


def _unchanged_by_url_filter(target: str) -> bool:
    """Whether MkDocs' `url` filter writes the target as it is (a full URL, `/x`, `#x`)."""
    parsed = urlsplit(target)
    return bool(parsed.scheme or parsed.netloc or target.startswith(("/", "#")))


class SharedNav:
    """Material's navigation for a group of pages that get the same one but for their own item:
    the pages of one list of the navigation (`slots`, in Material's order) whose links are the
    same (LinkGroups). A build's cache, filled while its pages are rendered; not a value.

    The first page of the group is rendered by Material, and so is every item of the list on
    it, each alone (`learn`): the items are found in that navigation in order, so their places
    are known. Every further page gets that text with its own item and the first page's
    swapped (`nav`). A group of fewer than MIN_PAGES pages is rendered by Material as it is (so
    is a page that `mkdocs serve` renders alone, but learning costs it one more navigation).
    If an item is not found where Material's loop puts it, the group is given up and Material
    renders every page.
    """

    MIN_PAGES = 3
    """Below this, learning costs more than the pages after it save."""

    def __init__(self, slots: Sequence[NavSlot]) -> None:
        self.slots = tuple(slots)
        self.pages = 0
        """How many pages of `slots` are in the group (hooks/site_nav.py counts them)."""
        self._usable = True
        self._texts: list[str] = []
        self._material = ""
        self._places: list[tuple[int, int]] = []
        self._learnt = -1
        self._learnt_plain: str | None = None

    def mode(self) -> Literal["material", "learn", "reuse"]:
        """What the next page of the group does."""
        if not self._usable or self.pages < self.MIN_PAGES:
            return "material"
        if self._places:
            return "reuse"
        self._texts = []
        return "learn"

    def keep(self, text: str) -> str:
        """While learning: the text of the next slot, rendered on the learning page."""
        self._texts.append(text)
        return ""

    def learn(self, index: int, material: str) -> str:
        """Note where each slot's text is in `material`, the navigation Material rendered for
        the page of slot `index`; returns `material`."""
        places: list[tuple[int, int]] = []
        cursor = 0
        for text in self._texts:
            at = material.find(text, cursor)
            if at < 0 or not text:
                self._usable = False
                break
            cursor = at + len(text)
            places.append((at, cursor))
        if self._usable and len(places) == len(self.slots):
            self._material, self._places, self._learnt = material, places, index
        else:
            self._usable = False
        self._texts = []
        return material

    @property
    def learnt_slot(self) -> NavSlot:
        """The slot of the page whose navigation was learnt."""
        return self.slots[self._learnt]

    def learnt_plain(self) -> str | None:
        """The learnt page's item as another page of the group shows it, once rendered."""
        return self._learnt_plain

    def keep_learnt_plain(self, text: str) -> str:
        self._learnt_plain = text
        return text

    def nav(self, index: int, own: str, learnt_plain: str) -> str:
        """The navigation of the page of slot `index`: the learnt one with that page's item
        (`own`, active) and the learnt page's (`learnt_plain`, as other pages show it)."""
        swaps = sorted([(self._places[index], own), (self._places[self._learnt], learnt_plain)])
        pieces: list[str] = []
        cursor = 0
        for (start, end), text in swaps:
            pieces += [self._material[cursor:start], text]
            cursor = end
        pieces.append(self._material[cursor:])
        return "".join(pieces)


@dataclass(frozen=True)
class PageNav:
    """One page's part of a SharedNav, as theme_overrides/partials/nav.html uses it."""

    shared: SharedNav
    index: int
    mode: Literal["material", "learn", "reuse"]

    @property
    def own(self) -> NavSlot:
        return self.shared.slots[self.index]

    def learn(self, material: str) -> str:
        return self.shared.learn(self.index, material)

    def nav(self, own: str, learnt_plain: str) -> str:
        return self.shared.nav(self.index, own, learnt_plain)
