"""The navigation MkDocs is given back by the accountplans hook's on_nav: the plans grouped
as accountplans.site.owners.nav_groups says (an owner's page first, then their plans; the archive
apart), the pages the plans do not own in MkDocs' order; and SharedNavs, which finds the pages
whose navigation Material renders alike (accountplans.site.theme.SharedNav). MkDocs structures
only: imported by the hook at its top, like plan_macros (hooks/ is on sys.path while the hook
loads)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from accountplans.site.owners import NavGroup
from accountplans.site.theme import LinkGroups, NavSlot, PageNav, SharedNav
from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

__all__ = ["SharedNavs", "grouped_navigation"]


def grouped_navigation(nav: Navigation, groups: Sequence[NavGroup],
                       folder_titles: Mapping[str, str] | None = None) -> Navigation:
    """`nav` with the grouped pages moved into their sections, parent links and the reading
    order (previous/next) set as MkDocs sets them for its own navigation; a section of a
    folder in `folder_titles` (folder -> title) gets that title."""
    pages = {page.file.src_uri: page for page in nav.pages}
    grouped: set[str] = set()
    sections = [s for g in groups if (s := _section(g, pages, grouped))]
    items = _without(nav.items, grouped) + sections
    titles = folder_titles or {}
    for item in items:
        if isinstance(item, Section) and (title := titles.get(_folder(item) or "")) is not None:
            item.title = title
    ordered: list[Page] = []
    _link(items, None, ordered)
    for before, page in zip([None, *ordered], ordered, strict=False):
        page.previous_page = before
        if before is not None:
            before.next_page = page
    if ordered:
        ordered[-1].next_page = None
    return Navigation(items, ordered)


def _section(group: NavGroup, pages: dict[str, Page], grouped: set[str]) -> Section | None:
    children: list[StructureItem] = []
    for uri in ([group.index_uri] if group.index_uri else []):
        if uri in pages:
            children.append(pages[uri])
            grouped.add(uri)
    for child in group.children:
        if isinstance(child, NavGroup):
            if (sub := _section(child, pages, grouped)) is not None:
                children.append(sub)
        elif child in pages:
            children.append(pages[child])
            grouped.add(child)
    return Section(group.title, children) if children else None


def _folder(section: Section) -> str | None:
    """The one top folder of all the section's pages, if they share one."""
    folders = {page.file.src_uri.split("/")[0] for page in section.children if isinstance(page, Page)
               and "/" in page.file.src_uri}
    return folders.pop() if len(folders) == 1 else None


def _without(items: list[Any], grouped: set[str]) -> list[Any]:
    """The navigation without the grouped pages; sections left empty are dropped."""
    kept: list[Any] = []
    for item in items:
        if isinstance(item, Page):
            if item.file.src_uri not in grouped:
                kept.append(item)
        elif isinstance(item, Section):
            item.children = _without(item.children, grouped)
            if item.children:
                kept.append(item)
        else:
            kept.append(item)
    return kept


def _link(items: list[Any], parent: Section | None, ordered: list[Page]) -> None:
    for item in items:
        item.parent = parent
        if isinstance(item, Page):
            ordered.append(item)
        elif isinstance(item, Section):
            _link(item.children, item, ordered)


class SharedNavs:
    """The template global `accountplans_nav` of one build (made in the hook's on_env):
    theme_overrides/partials/nav.html asks it for each page's PageNav.

    The groups are found on the first call, from the navigation the pages are rendered with
    (`nav` of the page's context), as Material's partials/nav.html and nav-item.html walk it:
    the top level (`__nav_<i>`, level 1), then each section's children (`<path>_<i>`, the
    section's index page left out when navigation.indexes is on). Each list's pages are
    grouped by their links (LinkGroups); a section's index page and a page outside the
    navigation are in no group (Material renders them as it is).
    """

    def __init__(self) -> None:
        self._nav: Navigation | None = None
        self._pages: dict[int, tuple[SharedNav, int]] = {}

    def page_nav(self, page: Any, nav: Any, features: Sequence[str], homepage: Any) -> PageNav | None:
        """The page's part of its group, or None: Material renders its navigation as it is.
        `homepage` is the home link of Material's partials/nav.html, as it writes it."""
        if not isinstance(nav, Navigation) or not isinstance(page, Page):
            return None
        if nav is not self._nav:
            self._nav = nav
            self._pages = _groups(nav, "navigation.indexes" in features, str(homepage))
        found = self._pages.get(id(page))
        if found is None or found[0].slots[found[1]].item is not page:
            return None
        shared, index = found
        return PageNav(shared, index, shared.mode())


def _groups(nav: Navigation, indexes: bool, homepage: str) -> dict[int, tuple[SharedNav, int]]:
    lists = list(_slot_lists(nav, indexes))
    links = LinkGroups([homepage, *(slot.item.url for slots in lists for slot in slots
                                    if isinstance(slot.item, Page | Link))])
    found: dict[int, tuple[SharedNav, int]] = {}
    for slots in lists:
        shared: dict[tuple[str, tuple[str, ...]], SharedNav] = {}
        for index, slot in enumerate(slots):
            if isinstance(slot.item, Page) and (key := links.key(slot.item.url)) is not None:
                group = shared.setdefault(key, SharedNav(slots))
                group.pages += 1
                found[id(slot.item)] = (group, index)
    return found


def _slot_lists(nav: Navigation, indexes: bool) -> Iterator[list[NavSlot]]:
    """Every list of the navigation, as Material's macros render it (see SharedNavs)."""
    pending = [[NavSlot(item, f"__nav_{i}", 1, None) for i, item in enumerate(nav.items, 1)]]
    while pending:
        slots = pending.pop()
        yield slots
        for slot in slots:
            if isinstance(slot.item, Section) and slot.item.children:
                children = slot.item.children
                index = next((c for c in children if getattr(c, "is_index", False)), None)
                if not indexes:
                    index = None
                pending.append([NavSlot(child, f"{slot.path}_{i}", slot.level + 1, slot.item)
                                for i, child in enumerate(children, 1) if index is None or child != index])
