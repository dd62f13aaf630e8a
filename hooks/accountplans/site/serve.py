"""The authoring loop's decisions (issue 14): what a change to the plans folder affects.

Pure logic, no MkDocs: accountplans.site.livebuild (the MkDocs glue behind `make serve`) hands
it plain values and rebuilds the pages it names.

- `CheckCache`: checked files kept between two builds of one `serve`, by (path, size,
  mtime_ns), so a rebuild checks only the files that changed. Explicit, bounded (it holds
  the files of the last build only) and emptied when the settings or the Markdown setup
  change.
- `NavNode` and `nav_views`: what of the navigation each page shows (Material with
  `navigation.prune`: the top-level items, the sections on the page's own path with their
  children, and the previous and next pages), as one fingerprint per page. A page whose
  fingerprint changed is rebuilt; the others keep their HTML.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from accountplans.plan.check import CheckedFile, check_file
from accountplans.plan.rendered import MarkdownSetup
from accountplans.settings import Settings

__all__ = [
    "CheckCache",
    "FileStamp",
    "NavNode",
    "digest",
    "nav_views",
    "stamp",
    "to_rebuild",
]

RACY_NS = 2_000_000_000
"""A file changed less than this long before it was checked may change again within the
file system's timestamp granularity without its (size, mtime) changing: such a file is
checked again next time instead of trusted (git's "racily clean" rule)."""


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What tells a file changed: its size and modification time, in nanoseconds."""

    size: int
    mtime_ns: int


def stamp(path: Path) -> FileStamp | None:
    """The file's stamp, or None when it cannot be read (then it is always checked)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return FileStamp(st.st_size, st.st_mtime_ns)


@dataclass
class CheckCache:
    """Checked files of the previous build, reused when a file's stamp is unchanged.

    `check` has the signature of `accountplans.plan.check.check_file` and is what
    `check_paths(..., check_file=cache.check)` calls for each file. Call `start` before
    each build: it empties the cache when the settings or the Markdown setup changed, and
    afterwards the cache keeps only the files this build checked.
    """

    settings: Settings | None = None
    markdown: tuple[object, ...] | None = None
    """The Markdown setup's extensions and settings, as text (MarkdownSetup compares by
    identity, and each build makes its own)."""
    entries: dict[tuple[Path, str], tuple[FileStamp, CheckedFile]] = field(default_factory=dict)
    seen: dict[tuple[Path, str], tuple[FileStamp, CheckedFile]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    clock_ns: Callable[[], int] = time.time_ns

    def start(self, settings: Settings, markdown: MarkdownSetup) -> None:
        setup = _markdown_key(markdown)
        if settings != self.settings or setup != self.markdown:
            self.entries = {}
        else:
            self.entries = self.seen or self.entries
        self.settings, self.markdown = settings, setup
        self.seen = {}
        self.hits = self.misses = 0

    def check(self, path: Path, shown: str, settings: Settings,
              markdown: MarkdownSetup) -> CheckedFile:
        key = (path, shown)
        now = stamp(path)
        cached = self.entries.get(key)
        if now is not None and cached is not None and cached[0] == now \
                and settings == self.settings and _markdown_key(markdown) == self.markdown:
            self.hits += 1
            self.seen[key] = cached
            return cached[1]
        self.misses += 1
        checked: CheckedFile = check_file(path, shown, settings, markdown)
        if now is not None and self.clock_ns() - now.mtime_ns > RACY_NS:
            self.seen[key] = (now, checked)
        return checked


def _markdown_key(markdown: MarkdownSetup) -> tuple[object, ...]:
    return (markdown.extensions, repr(sorted(markdown.configs.items())))


def digest(*parts: object) -> str:
    """A short fingerprint of values whose repr is stable (str, int, tuples of them)."""
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class NavNode:
    """One item of the site's navigation as the theme shows it: a page (with `uri`, its
    source path), a section (with `children`) or a link."""

    title: str
    url: str
    uri: str | None = None
    children: tuple[NavNode, ...] = ()
    is_section: bool = False
    is_index: bool = False
    """An index page (`index.md`): with `navigation.indexes` its section's link."""


def _shown(node: NavNode) -> tuple[object, ...]:
    """What a collapsed item shows (Material's partials/nav-item.html, `render_pruned`): its
    title, where it leads (a section: its first page, or its index page), and whether it
    holds none, one or more items."""
    first = node
    while first.is_section and first.children:
        first = first.children[0]
    index = next((c for c in node.children if c.is_index), None)
    return (node.is_section, node.title, node.url, first.title, first.url,
            (index.title, index.url) if index is not None else None, min(len(node.children), 2))


def nav_views(items: Sequence[NavNode], order: Sequence[NavNode],
              pages: Iterable[str] = ()) -> dict[str, str]:
    """Per page (by `uri`): a fingerprint of the navigation it shows.

    `items` is the navigation's top level, `order` its pages in reading order (previous and
    next links), `pages` every page of the site: one left out of the navigation shows the
    top level only. Conservative: a change anywhere in what a page could show changes
    its fingerprint.
    """
    top = tuple(_shown(n) for n in items)
    views: dict[str, str] = {}
    position = {n.uri: i for i, n in enumerate(order) if n.uri is not None}

    def walk(nodes: Sequence[NavNode], path: tuple[object, ...]) -> None:
        for node in nodes:
            if node.is_section:
                # One fingerprint per section, not its children's repr once per page of it: an
                # owner's section may hold hundreds of plans.
                opened = (*path, digest(_shown(node), tuple(_shown(c) for c in node.children)))
                walk(node.children, opened)
            elif node.uri is not None:
                views[node.uri] = digest(top, path, _neighbours(node.uri, order, position))

    walk(items, ())
    for node in order:
        if node.uri is not None and node.uri not in views:
            views[node.uri] = digest(top, (), _neighbours(node.uri, order, position))
    for uri in pages:
        if uri not in views:
            views[uri] = digest(top)
    return views


def _neighbours(uri: str, order: Sequence[NavNode], position: Mapping[str, int]) -> tuple[object, ...]:
    at = position.get(uri)
    if at is None:
        return ()
    before = order[at - 1] if at > 0 else None
    after = order[at + 1] if at + 1 < len(order) else None
    return tuple((n.title, n.url) if n is not None else None for n in (before, after))


def to_rebuild(pages: Iterable[str], inputs: Mapping[str, object], views: Mapping[str, str],
               before_inputs: Mapping[str, object], before_views: Mapping[str, str]) -> set[str]:
    """The pages whose own input (source, settings, data it shows) or whose navigation
    changed since the last build, and the pages that are new."""
    return {uri for uri in pages
            if uri not in before_inputs or inputs.get(uri) != before_inputs.get(uri)
            or views.get(uri) != before_views.get(uri)}
