"""The navigation MkDocs is given back by the accountplans hook's on_nav: the plans grouped
as accountplans.site.owners.nav_groups says (an owner's page first, then their plans; the archive
apart), the pages the plans do not own in MkDocs' order. MkDocs structures only: imported by
the hook at its top, like plan_macros (hooks/ is on sys.path while the hook loads)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from accountplans.site.owners import NavGroup
from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

__all__ = ["grouped_navigation"]


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
