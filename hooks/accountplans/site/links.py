"""Links between the site's pages: the URL MkDocs gives a file and the relative link from one
page to another, by MkDocs' own rules (plain functions, no MkDocs)."""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable

__all__ = ["Href", "page_url", "relative_href"]


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The URL (from the site root) MkDocs gives a file, by the same rules as MkDocs."""
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri[:-3]
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        if not use_directory_urls:
            return posixpath.join(folder, "index.html")
        return f"{folder}/" if folder else ""
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


@functools.lru_cache(maxsize=1 << 16)  # asked ~30,000 times per build at 1000 plans
def relative_href(from_uri: str, to_uri: str, use_directory_urls: bool = True) -> str:
    """The link from the page of `from_uri` to the page or file `to_uri`."""
    here = page_url(from_uri, use_directory_urls)
    target = page_url(to_uri, use_directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    return rel


Href = Callable[[str], str]
