"""`make serve`: MkDocs' live-reloading server with a builder that rebuilds only the pages a
change affects (issue 14). MkDocs glue; the decisions are in accountplans.site.serve.

`mkdocs serve` rebuilds the whole site on every save (15-18 s at 1000 plans), and its
`--dirty` mode rebuilds only the saved page, leaving the owner page, the dashboard, the
neighbours' navigation, the tags page and the search index stale. This builder runs every
MkDocs event as `mkdocs build` does, with the same plugins and hooks, but converts and renders
only the pages whose own input or navigation changed since the last build:

- every file is checked again, from the check cache (accountplans.site.serve.CheckCache) when its
  size and mtime are unchanged; generated pages and downloads are made again and compared
  with the last build's by content;
- a plan page is converted again when its file or actuals.csv changed, and rendered again
  from its HTML as last converted (`Converted`) when only what its navigation shows changed
  (a plan added, renamed, deleted or moved to another owner changes its section's pages); the
  pages that are not plans (the dashboard, help pages, the tags page) at every rebuild;
- the other pages keep their HTML; their titles and front-matter are restored from the last
  build, so the navigation, the tags page and the search index (Material's, merged page by
  page in the order of a full build; Pagefind's copies of the pages kept in one folder for
  the whole serve) are those of a full build of the same sources;
- under `make serve` the browser reloads once the saved plan's page, its owner's page, the
  dashboard and the other pages over all plans are written; the pages rendered again only
  for their navigation and the quarterly view's pages (`_converted_after_reload`) are
  written after it, each at once when the server is asked for it (`PendingPages`), then the
  sitemap, the search index, the temporary folders and the removal of pages and downloads
  that no longer exist (LiveSite.build's `finish_later`).

Under `make serve` the site and each build's generated files are in memory when the machine
has room (`serve`). A change to mkdocs.yml, the date or anything the builder cannot place (an
error in the last build) makes the next build a full one. Run as `python -m accountplans.site.livebuild`
(`make serve`); tests/test_serve_loop.py compares its sites with full builds.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import logging
import os
import posixpath
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache
from mkdocs import utils
from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Link, Navigation, Section, get_navigation
from mkdocs.structure.pages import Page

from accountplans.clock import today_from_environment
from accountplans.compute.actuals import ACTUALS_CSV
from accountplans.compute.memo import keep_results
from accountplans.i18n import gettext
from accountplans.settings import SettingsError, settings_from_mapping
from accountplans.site.owners import OWNERS_DIR
from accountplans.site.search import scratch_folder
from accountplans.site.serve import FileStamp, NavNode, digest, nav_views, stamp, to_rebuild

log = logging.getLogger("mkdocs.accountplans.site.serve")


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per `serve`, not once per build (about half a
    second of each rebuild): Jinja keys each by its file and checks its source's checksum, so
    an edited template is compiled again. Bounded by the number of templates."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.kept.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _CompiledTemplates()


Input = tuple[object, ...]
"""What a page shows but its navigation, as `_inputs` finds it: equal when nothing changed."""


@dataclass
class PageRecord:
    """What the last build knew of one page."""

    input: Input
    view: str
    title: str | None
    meta: dict[str, Any]
    search: list[dict[str, Any]]
    """Material's search entries of the page."""
    pagefind: list[tuple[str, str]]
    """The copies of the page Pagefind indexes (hooks/search_hook.py): (path, language), each
    kept in the serve's search folder until the page is built again or gone."""
    converted: Converted | None = None
    title_source: bytes | None = None
    """A generated page's text its title comes from (see `_title_source`)."""


@dataclass(frozen=True)
class Converted:
    """A page as converted (its HTML before the theme's template), kept so that a page whose
    navigation changed but not its input is rendered again without being converted again:
    a plan added to a section changes the previous/next links and the section list of every
    page of that section (about 40 at 1000 plans), not what their plans say."""

    content: bytes
    """The HTML, compressed (a thousand plans' pages are held)."""
    toc: Any
    anchors: frozenset[str] | None
    """The anchors the page has and its links to anchors (by the linked page's src_uri):
    MkDocs validates those after rendering."""
    links: dict[str, dict[str, str]]
    blocks: dict[str, tuple[bool, bytes]] | None
    """The hook's kept blocks of the page (accountplans.site.htmlblocks.KeptBlocks), put back when
    the page is rendered."""


@dataclass
class SiteRecord:
    """The last build: what the next one compares with."""

    key: str
    """mkdocs.yml's stamp and the date: when either changes, the next build is full."""
    pages: dict[str, PageRecord] = field(default_factory=dict)
    downloads: dict[str, str] = field(default_factory=dict)
    """Generated files that are not pages (calendars, plans.json...): content digests."""
    written: set[str] = field(default_factory=set)
    """Every file of the site the build wrote or copied (absolute paths)."""


@dataclass(frozen=True)
class BuildReport:
    full: bool
    built: tuple[str, ...]
    """src_uris of the pages converted and rendered."""
    pages: int
    seconds: float
    after_reload: tuple[str, ...] = ()
    """src_uris of the pages of `built` written after the reload (see PendingPages)."""


class LiveSite:
    """One site under `serve`: builds into `site_dir`, each build after the first only what
    changed."""

    def __init__(self, config_file: str | None, site_dir: str, serve_url: str | None = None, *,
                 scratch: str | None = None, **options: Any) -> None:
        self.config_file = config_file
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.options = options
        self.record: SiteRecord | None = None
        self.started = False
        self.last: MkDocsConfig | None = None
        self.finishing: threading.Thread | None = None
        self.pending = _NOTHING_PENDING
        """The last build's pages still to write (see `write_pending`)."""
        self.frozen = False
        self.kept = _KeptBetweenBuilds(Path(tempfile.mkdtemp(prefix="accountplans-serve-search-")), scratch)
        keep_results()  # per-plan results kept between rebuilds (accountplans.compute.memo)

    def config(self) -> MkDocsConfig:
        config = load_config(config_file=self.config_file, site_dir=self.site_dir, **self.options)
        if self.serve_url:
            config.site_url = self.serve_url
        if not self.started:
            config.plugins.on_startup(command="serve", dirty=False)
            self.started = True
        return config

    def build(self, config: MkDocsConfig | None = None, *, full: bool = False,
              finish_later: bool = False) -> BuildReport:
        """Build the site; only what changed unless `full` or nothing is known yet.

        With `finish_later` (`make serve`), what no reloaded page shows is finished after this
        returns, which is when the server tells the browser to reload: the sitemap and 404
        page, the search index (Material's file, or starting Pagefind), the build's temporary
        folders and the files of pages that are gone. The next build, `wait_for_search` and
        `close` wait for it first."""
        self.finished()
        start, cpu = time.monotonic(), time.process_time()
        config = self.last = config or self.config()
        key = _site_key(config)
        before = None if full or self.record is None or self.record.key != key else self.record
        self.record = None  # a build that fails leaves nothing to compare with: next one is full
        if before is not None:
            # The collector waits until the browser may reload (it is on again when the build is
            # finished): it would pass over the rebuild's young objects some sixty times meanwhile.
            # A full build makes too much garbage to wait.
            gc.disable()
        try:
            record, built, pages, finish, pending = _build(config, before, key, self.kept)
            if not finish_later:
                finish()
                gc.enable()
            else:
                self.pending = pending
        except Exception as err:
            gc.enable()
            self._failed(config, err)
            if isinstance(err, BuildError):
                raise Abort("Aborted with a BuildError!") from None
            raise
        self.record = record
        if before is None and not self.frozen:
            # What the first build leaves (the plans, the check cache, the kept results: most of
            # the process) lives as long as `serve`; the collector's full passes, every other
            # rebuild, would walk it all again (0.2 s at 1000 plans). Only once: what a later
            # full build leaves stays collectable.
            gc.collect()
            gc.freeze()
            self.frozen = True
        report = BuildReport(before is None, tuple(built), pages, time.monotonic() - start,
                             tuple(self.pending.waiting.values()))
        # The CPU time too: on a shared machine the wall time says more about the others.
        cpu_seconds = f"{time.process_time() - cpu:.2f}"
        if report.full:
            log.info(gettext("Built all {pages} pages in {seconds} seconds ({cpu} s CPU)",
                             _language(config), pages=pages, seconds=f"{report.seconds:.2f}",
                             cpu=cpu_seconds))
        else:
            log.info(gettext("Built {built} of {pages} pages in {seconds} seconds ({cpu} s CPU)",
                             _language(config), built=len(report.built), pages=pages,
                             seconds=f"{report.seconds:.2f}", cpu=cpu_seconds))
        if finish_later:
            self.finishing = threading.Thread(target=self._finish, args=(config, finish),
                                              name="accountplans-finish", daemon=True)
            self.finishing.start()
        return report

    def _finish(self, config: MkDocsConfig, finish: Callable[[], None]) -> None:
        try:
            finish()
        except Exception as err:  # noqa: BLE001 - no caller to raise to: logged, and the next build is full
            self.record = None
            self._failed(config, err)
            if not isinstance(err, BuildError):
                log.error(gettext("Finishing the build failed: {error}; the next build is a full one",
                                  _language(config), error=repr(err)))
        finally:
            gc.enable()

    @staticmethod
    def _failed(config: MkDocsConfig, err: Exception) -> None:
        config.plugins.on_build_error(error=err)
        if isinstance(err, BuildError):
            log.error(str(err))

    def finished(self) -> None:
        """Wait until the last build is finished (see `build`'s `finish_later`)."""
        if self.finishing is not None:
            self.finishing.join()
            self.finishing = None
        self.pending = _NOTHING_PENDING

    def write_pending(self, path: str) -> None:
        """The server is asked for the file at `path`: if it is a page the last build writes
        after the reload, write it now."""
        self.pending.write(path)


    def close(self) -> None:
        """Serving ended: the search folder kept between builds goes."""
        self.finished()
        if self.last is not None:
            wait_for_search(self.last)
        shutil.rmtree(self.kept.search, ignore_errors=True)

    def wait_for_search(self) -> None:
        """Wait until the last build's search index (Pagefind's, made after the reload) is done."""
        self.finished()
        if self.last is not None:
            wait_for_search(self.last)


class PendingPages:
    """Pages of the last build written after the reload (their navigation changed, not their
    input), by the finishing thread one by one, or at once when the server is asked for one
    (`write`): a page is never served as it was before the save.

    One page is written at a time (MkDocs marks the page it renders as the active one in the
    shared navigation), and a request goes first: the finishing thread starts no page while a
    request waits for its turn. A lock taken by turns would not do that: the finishing
    thread, holding the interpreter, takes it again at once after each page, and a request
    waited for most of a section's pages. A file that is neither waiting nor being written
    is served without waiting at all (the stylesheets, scripts and pages written before the
    reload)."""

    def __init__(self, render: Callable[[str], None], waiting: dict[str, str]) -> None:
        self.render = render
        self.waiting = waiting
        """The pages' files (absolute paths) and their src_uris."""
        self.turn = threading.Condition()
        self.writing: str | None = None
        """The file of the page being written (by the finishing thread or for a request)."""
        self.asking = 0
        """Requests waiting for the page being written to be done."""
        self.error: Exception | None = None

    def write(self, path: str) -> None:
        """Write the page whose file is `path` if it waits (a request for it came in); if it is
        being written, wait until it is."""
        with self.turn:
            if path not in self.waiting and path != self.writing:
                return
            self.asking += 1
            try:
                self.turn.wait_for(lambda: self.writing is None)
                uri = self.waiting.pop(path, None)
                if uri is not None:
                    self.writing = path
            finally:
                self.asking -= 1
                self.turn.notify_all()
        if uri is not None:
            self._write(uri)

    def write_all(self) -> None:
        """Write every page still waiting, after any request waiting for its page; raise the
        first error any page raised."""
        while True:
            with self.turn:
                self.turn.wait_for(lambda: self.writing is None and not self.asking)
                if not self.waiting:
                    break
                path = next(iter(self.waiting))
                uri = self.waiting.pop(path)
                self.writing = path
            self._write(uri)
        if self.error is not None:
            raise self.error

    def _write(self, uri: str) -> None:
        try:
            if self.error is None:
                self.render(uri)
        except Exception as err:  # noqa: BLE001 - raised again by write_all: the next build is full
            self.error = err
        finally:
            with self.turn:
                self.writing = None
                self.turn.notify_all()


_NOTHING_PENDING = PendingPages(lambda uri: None, {})


@dataclass
class _KeptBetweenBuilds:
    """What one `serve` keeps from build to build besides the pages' records."""

    search: Path
    """The copies of the pages Pagefind indexes, one file each (accountplans.site.search
    IndexSources): a build writes only the pages it builds again and removes those of pages
    that are gone, not a thousand files per save."""
    scratch: str | None = None
    """Where each build writes its generated files before they are compared and copied into
    the site (accountplans.site.sitebuild.SiteBuild.downloads): the memory folder under `make
    serve` (see `serve`), None for the system's temporary folder. A save writes all of them
    (35 MB at 1000 plans); on a disk that is a tenth of a second of the kernel's time."""
    theme_files: dict[tuple[object, ...], list[tuple[str, str]]] = field(default_factory=dict)
    """The theme's static files (path, theme folder) by the theme's folders: listing them walks
    every folder of the theme (a third of a second per build). The theme is not watched (README
    "Authoring loop"), as with `mkdocs serve`."""


def _site_key(config: MkDocsConfig) -> str:
    path = config.config_file_path
    config_stamp = stamp(Path(path)) if path else None
    return digest(config_stamp, str(today_from_environment()))


def _hook(config: MkDocsConfig, marker: str) -> ModuleType | None:
    """The hook module of mkdocs.yml's `hooks:` that defines `marker` (hooks are loaded by
    MkDocs from their files, so they are found by what they hold, not by import)."""
    hooks: Any = config.hooks
    for module in (hooks.values() if isinstance(hooks, dict) else hooks or ()):
        if isinstance(module, ModuleType) and hasattr(module, marker):
            return module
    return None


def _accountplans_hook(config: MkDocsConfig) -> ModuleType | None:
    return _hook(config, "checked_files")


def _file_digest(path: str | None, content: bytes | None = None) -> str:
    """SHA-256: the processor's own instructions make it twice as fast here as BLAKE2 (a save
    compares 35 MB of downloads at 1000 plans, plans.json 23 MB of it)."""
    h = hashlib.sha256()
    if content is not None:
        h.update(content)
    elif path is not None:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def _generated_digest(file: File) -> str:
    if file.abs_src_path is not None and os.path.isfile(file.abs_src_path):
        return _file_digest(file.abs_src_path)
    return _file_digest(None, file.content_bytes)


_TAGS_LISTING = b"<!-- material/tags"
"""A page with a tags listing (Material's) shows every page's tags: rebuilt every time, like
the dashboard."""


def _inputs(doc_files: Sequence[File], config: MkDocsConfig, build_id: str,
            title_sources: dict[str, bytes | None]) -> dict[str, Input]:
    """Per page, a fingerprint of everything it shows but the navigation.

    A plan shows its own file and actuals.csv (and the settings and date, in the site's
    key); a generated page its generated Markdown; every other page (the dashboard, help
    pages, the tags page) may show any plan: it is rebuilt every time (`build_id`).
    A page's navigation is compared apart (see accountplans.site.serve.nav_views).
    Plain tuples, compared with the last build's: no hashing but a generated page's text.
    A generated page's title source goes into `title_sources`.
    """
    hook = _accountplans_hook(config)
    checked = hook.checked_files() if hook is not None else {}
    actuals: FileStamp | None = stamp(Path(config.docs_dir) / ACTUALS_CSV)
    out: dict[str, Input] = {}
    for file in doc_files:
        where = (file.url, file.dest_uri, file.inclusion.name)
        found = checked.get(file.src_uri)
        if file.generated_by is not None:
            try:
                content = file.content_bytes
            except OSError:
                content = None
            if content is not None and _TAGS_LISTING not in content:
                out[file.src_uri] = ("generated", where, _file_digest(None, content))
                title_sources[file.src_uri] = _title_source(content)
                continue
        elif found is not None and found.plan is not None and file.abs_src_path is not None:
            out[file.src_uri] = ("plan", where, stamp(Path(file.abs_src_path)), actuals)
            continue
        out[file.src_uri] = ("page", where, build_id)
    return out


_FIRST_H1 = re.compile(rb"^# .*$", re.MULTILINE)


def _title_source(content: bytes) -> bytes | None:
    """What a page's title comes from: its front-matter and its first level-1 heading (MkDocs
    takes the title from the one or the other); None when it has neither."""
    front = b""
    if content.startswith(b"---\n"):
        end = content.find(b"\n---\n", 3)
        if end < 0:
            return None
        front = content[:end + 5]
        if b"\ntitle:" in front:  # the title, whatever the headings (no search of a long page)
            return front
    h1 = _FIRST_H1.search(content, len(front))
    if not front and h1 is None:
        return None
    return front + b"\n" + (h1.group(0) if h1 is not None else b"")


def _converted_after_reload(file: File, title_source: bytes | None, record: PageRecord | None) -> bool:
    """A generated page whose text changed but not its title (the quarterly view's pages: each
    team's quarter lists every plan) is converted after the reload, as a page whose navigation
    changed is written then: the navigation of the pages written first shows its title as it
    was, and is. The owner pages are not: they show the saved plan (issue 14)."""
    return file.generated_by is not None and title_source is not None and record is not None \
        and record.title_source == title_source \
        and not (file.src_uri.startswith(f"{OWNERS_DIR}/") and file.src_uri.endswith("/index.md"))


def _nav_nodes(items: Iterable[StructureItem]) -> tuple[NavNode, ...]:
    out: list[NavNode] = []
    for item in items:
        if isinstance(item, Page):
            out.append(NavNode(str(item.title), item.url, item.file.src_uri, is_index=item.is_index))
        elif isinstance(item, Section):
            out.append(NavNode(str(item.title), "", None, _nav_nodes(item.children), True))
        elif isinstance(item, Link):
            out.append(NavNode(str(item.title), item.url))
    return tuple(out)


def _views(nav: Navigation, pages: Iterable[str]) -> dict[str, str]:
    order = tuple(NavNode(str(p.title), p.url, p.file.src_uri) for p in nav.pages)
    return nav_views(_nav_nodes(nav.items), order, pages)


def _restore(page: Page, record: PageRecord) -> None:
    """A page left as built last time: what other pages show of it (title, meta)."""
    page.markdown = ""
    page.meta = dict(record.meta)
    page._title_from_render = record.title


def _unrestore(page: Page) -> None:
    page.markdown = None
    page.meta = {}
    page._title_from_render = None


def _build(config: MkDocsConfig, before: SiteRecord | None, key: str, between: _KeptBetweenBuilds,
           ) -> tuple[SiteRecord, list[str], int, Callable[[], None], PendingPages]:
    """mkdocs.commands.build.build for `serve`, converting and rendering only the pages that
    changed since `before` (all when it is None). Returns what remains to be done once the
    browser may reload (see LiveSite.build) as a function, and the pages it writes first."""
    timings: list[tuple[str, float]] = []
    mark = time.thread_time()

    def lap(name: str) -> None:
        """The CPU time of a step (on a shared machine its wall time says more about the others)."""
        nonlocal mark
        now = time.thread_time()
        timings.append((name, now - mark))
        mark = now

    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    _downloads_in(config, between.scratch)
    lap("check")
    if before is None:
        utils.clean_directory(config.site_dir)
    files = get_files(config)
    env = config.theme.get_env()
    env.bytecode_cache = _TEMPLATES
    _add_files_from_theme(files, env, config, between)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    lap("files and navigation")

    inclusion = InclusionLevel.is_in_serve
    doc_files = files.documentation_pages(inclusion=inclusion)
    for file in doc_files:
        if file.page is None:
            Page(None, file, config)
    pages = {f.src_uri: f.page for f in doc_files if f.page is not None}
    title_sources: dict[str, bytes | None] = {}
    inputs = _inputs(doc_files, config, key if before is None else digest(key, time.time_ns()),
                     title_sources)
    old = before.pages if before is not None else {}
    changed = to_rebuild(pages, inputs, {}, {u: r.input for u, r in old.items()}, {})
    lap("fingerprints")

    # First the pages whose own input changed (their titles may change the navigation), then
    # the pages whose navigation shows that.
    built: list[str] = []
    late: set[str] = set()
    """Pages converted after the reload (`_converted_after_reload`)."""
    for uri, page in pages.items():
        if uri in changed:
            if _converted_after_reload(page.file, title_sources.get(uri), old.get(uri)):
                _restore(page, old[uri])
                late.add(uri)
            else:
                _populate_page(page, config, files)
            built.append(uri)
        else:
            _restore(page, old[uri])
    views = _views(nav, pages)
    moved = to_rebuild(pages, inputs, views, inputs, {u: r.view for u, r in old.items()}) - changed
    blocks = _kept_blocks(config)
    reconverted: set[str] = set()
    for uri in moved:
        page = pages[uri]
        converted = old[uri].converted if uri in old else None
        if converted is None or not _reconvert(page, converted, files, blocks):
            _unrestore(page)
            _populate_page(page, config, files)
            reconverted.add(uri)
        built.append(uri)
    chosen = changed | moved
    read = (changed - late) | reconverted
    conversions = {uri: _converted(pages[uri], blocks) for uri in read}
    _tags_in_order(config, pages, read)
    lap(f"read {len(read)} pages, {len(chosen) - len(read)} kept as converted")

    env = config.plugins.on_env(env, config=config, files=files)
    written: set[str] = set()
    downloads = _copy_static_files(files, inclusion, before, written)
    for template in config.theme.static_templates:
        written.add(os.path.join(config.site_dir, template))
    lap("static files")

    search = _material_search(config)
    pagefind = _PagefindPages(config, between.search, full=before is None)
    entries: dict[str, list[dict[str, Any]]] = {}
    level = config.validation.links.anchors

    def render(uri: str) -> None:
        """One page through the theme's template and the plugins, written, as MkDocs does."""
        page = pages[uri]
        first = len(search.entries) if search is not None else 0
        pagefind.page = uri
        try:
            excluded = bool(page.file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
            _build_page(page, config, doc_files, nav, env, excluded=excluded)
        finally:
            pagefind.page = None
        if search is not None:
            entries[uri] = search.entries[first:]

    # A page whose navigation changed but not its input is written after the reload (the
    # browser shows the saved plan's page; a request for one of these pages writes it
    # first, see `PendingPages`): an owner's section can hold hundreds of plans.
    later = [f.src_uri for f in doc_files if f.src_uri in moved or f.src_uri in late]
    for file in doc_files:
        written.add(file.abs_dest_path)
        if file.src_uri in chosen and file.src_uri not in moved and file.src_uri not in late:
            render(file.src_uri)
    for file in doc_files:
        if file.src_uri in chosen and file.src_uri not in moved and file.src_uri not in late \
                and file.page is not None:
            file.page.validate_anchor_links(files=files, log_level=level)
    lap(f"wrote {len(chosen) - len(later)} pages")
    record = SiteRecord(key, {}, downloads, written)

    def settle() -> None:
        """The pages' records, once every page is written: the next build compares with them."""
        for uri, page in pages.items():
            kept = old.get(uri) if uri not in chosen else None
            record.pages[uri] = PageRecord(
                inputs[uri], views[uri], page.title, dict(page.meta),
                entries.get(uri, kept.search if kept is not None else []),
                pagefind.added.get(uri, kept.pagefind if kept is not None else []),
                conversions[uri] if uri in conversions else old[uri].converted if uri in old else None,
                title_sources.get(uri))
            if kept is not None:
                pagefind.again(kept.pagefind)
        if before is not None:
            pagefind.forget({c for r in old.values() for c in r.pagefind}
                            - {c for r in record.pages.values() for c in r.pagefind})
        if search is not None:
            search.entries = [e for uri in pages for e in record.pages[uri].search]

    def validated(uri: str) -> None:
        page = pages[uri]
        if uri in late:
            title = page.title
            _unrestore(page)
            _populate_page(page, config, files)
            conversions[uri] = _converted(page, blocks)
            if page.title != title:  # the pages written before the reload show the old one
                raise BuildError(f"{uri}: its title changed while its title source did not")
        render(uri)
        page.validate_anchor_links(files=files, log_level=level)

    pending = PendingPages(validated, {pages[uri].file.abs_dest_path: uri for uri in later})
    log.info("Serve build (CPU): " + ", ".join(f"{name} {s:.2f} s" for name, s in timings))

    def finish() -> None:
        started = time.monotonic()
        pending.write_all()
        settle()
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)
        config.plugins.on_post_build(config=config)
        if before is not None:
            _remove_stale(before.written - written, config.site_dir)
        log.debug(f"Serve build finished ({len(later)} pages, sitemap, search index, clean-up) in "
                  f"{time.monotonic() - started:.2f} s")

    return record, built, len(pages), finish, pending


def _downloads_in(config: MkDocsConfig, folder: str | None) -> None:
    """The hook writes this build's generated files in a temporary folder in `folder` (it
    makes one in the system's temporary folder when it has none, and removes it when the build
    is finished)."""
    state = getattr(_accountplans_hook(config), "_build", None)
    if folder is not None and state is not None and getattr(state, "downloads", False) is None:
        state.downloads = Path(tempfile.mkdtemp(prefix="accountplans-downloads-", dir=folder))


def _kept_blocks(config: MkDocsConfig) -> dict[str, dict[str, tuple[bool, bytes]]] | None:
    """The hook's kept blocks per page (accountplans.site.htmlblocks.KeptBlocks.pages), or None
    when this build has none to reach (then every page to render is converted again)."""
    state = getattr(_accountplans_hook(config), "_build", None)
    pages = getattr(getattr(state, "blocks", None), "pages", None)
    return pages if isinstance(pages, dict) else None


def _converted(page: Page, blocks: dict[str, dict[str, tuple[bool, bytes]]] | None) -> Converted | None:
    """What `_reconvert` needs of a page just converted (before its blocks are put back)."""
    if page.content is None or blocks is None:
        return None
    links = {to.src_uri: dict(found) for to, found in (page.links_to_anchors or {}).items()}
    anchors = page.present_anchor_ids
    kept = blocks.get(page.file.src_uri)
    return Converted(zlib.compress(page.content.encode("utf-8"), 1), page.toc,
                     frozenset(anchors) if anchors is not None else None, links,
                     dict(kept) if kept is not None else None)


def _reconvert(page: Page, converted: Converted, files: Files,
               blocks: dict[str, dict[str, tuple[bool, bytes]]] | None) -> bool:
    """The page as the last build converted it (its title and meta are restored already).
    False when that cannot be done (a page it links to is gone): convert it again."""
    linked = {files.get_file_from_path(uri): found for uri, found in converted.links.items()}
    if blocks is None or None in linked:
        return False
    page.content = zlib.decompress(converted.content).decode("utf-8")
    page.toc = converted.toc
    page.present_anchor_ids = set(converted.anchors) if converted.anchors is not None else None
    page.links_to_anchors = linked  # type: ignore[assignment]
    if converted.blocks is not None:
        blocks[page.file.src_uri] = dict(converted.blocks)
    return True


def _search_hook(config: MkDocsConfig) -> ModuleType | None:
    return _hook(config, "material_search_listed")


class _PagefindPages:
    """The copies of the pages Pagefind indexes (hooks/search_hook.py adds each page's article
    to its sources while the page is written), kept in one folder for the whole `serve`: a
    build writes the pages it builds, the others' copies stay from an earlier build, and the
    copies of pages that are gone are removed. The search hook's sources are pointed at that
    folder and never remove it (LiveSite.close does)."""

    def __init__(self, config: MkDocsConfig, folder: Path, *, full: bool) -> None:
        hook = _search_hook(config)
        state = getattr(hook, "_build", None)
        self.sources = getattr(state, "sources", None) if getattr(state, "pagefind", False) else None
        self.page: str | None = None
        self.added: dict[str, list[tuple[str, str]]] = {}
        if self.sources is not None:
            shutil.rmtree(self.sources.folder, ignore_errors=True)  # made empty by the hook's on_config
            if full:
                shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
            self.sources.folder = folder
            self.sources.remove = lambda: None
            self.add = self.sources.add
            self.sources.add = self._record

    def _record(self, path: str, language: str, text: str) -> None:
        if self.page is not None:
            self.added.setdefault(self.page, []).append((path, language))
        self.add(path, language, text)

    def again(self, items: Iterable[tuple[str, str]]) -> None:
        """A page not built again: its copy from an earlier build is indexed again."""
        if self.sources is not None:
            for _, language in items:
                self.sources.languages.add(language)
                self.sources.pages += 1

    def forget(self, items: Iterable[tuple[str, str]]) -> None:
        """The copies of pages that are gone (or no longer indexed)."""
        if self.sources is not None:
            for path, language in items:
                Path(self.sources.folder, language, path).unlink(missing_ok=True)


def wait_for_search(config: MkDocsConfig, timeout: float = 300) -> None:
    """Under `serve` Pagefind indexes after the page reloads; wait until it is done (tests,
    and comparing a served site with a full build)."""
    indexing = getattr(_search_hook(config), "_indexing", None)
    done = getattr(indexing, "done", None)
    if done is not None:
        done.wait(timeout)


def _material_search(config: MkDocsConfig) -> Any:
    """Material's search index (plugin `material/search`), or None without that plugin."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    return index if index is not None and hasattr(index, "entries") else None


def _tags_in_order(config: MkDocsConfig, pages: dict[str, Page], chosen: set[str]) -> None:
    """Material's tags plugin learns a page's tags while it reads it: the pages not read
    again are given to it from their restored meta, in the order of a full build."""
    plugin = config.plugins.get("material/tags")
    mappings = getattr(plugin, "mappings", None)
    if mappings is None or not getattr(plugin.config, "enabled", False):  # type: ignore[union-attr]
        return
    for uri, page in pages.items():
        if uri not in chosen and plugin.filter(page.file):  # type: ignore[union-attr]
            mappings.add(page, "")
    data = mappings.data
    mappings.data = {p.url: data[p.url] for p in pages.values() if p.url in data}


def _add_files_from_theme(files: Files, env: jinja2.Environment, config: MkDocsConfig,
                          kept: _KeptBetweenBuilds) -> None:
    """Files.add_files_from_theme, listing the theme's folders once per `serve`."""
    theme = (tuple(config.theme.dirs), tuple(config.theme.static_templates))
    found = kept.theme_files.get(theme)
    if found is None:
        listed = Files([])
        listed.add_files_from_theme(env, config)
        found = kept.theme_files[theme] = [(f.src_uri, f.src_dir) for f in listed if f.src_dir]
    for path, folder in found:
        if files.get_file_from_path(path) is None:  # the docs folder's own file wins
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))


def _copy_static_files(files: Files, inclusion: Any, before: SiteRecord | None,
                       written: set[str]) -> dict[str, str]:
    """Copy the files that are not pages: generated ones when their content changed, the
    others when newer than their copy (MkDocs' dirty copy). Returns the generated files'
    digests."""
    downloads: dict[str, str] = {}
    for file in files:
        if file.is_documentation_page() or not inclusion(file.inclusion):
            continue
        written.add(file.abs_dest_path)
        if file.generated_by is not None:
            downloads[file.src_uri] = made = _generated_digest(file)
            if before is not None and before.downloads.get(file.src_uri) == made \
                    and os.path.isfile(file.abs_dest_path):
                continue
            file.copy_file(dirty=False)
        else:
            file.copy_file(dirty=before is not None)
    return downloads


def _remove_stale(paths: Iterable[str], site_dir: str) -> None:
    """Files of pages and downloads that no longer exist, and the folders they leave empty."""
    root = os.path.abspath(site_dir)
    for path in sorted(paths):
        try:
            os.remove(path)
        except OSError:
            continue
        folder = os.path.dirname(path)
        while os.path.abspath(folder) != root and folder.startswith(root):
            try:
                os.rmdir(folder)
            except OSError:
                break
            folder = os.path.dirname(folder)


SITE_ROOM = 4 << 30
"""Free memory `make serve` needs to keep the site in memory: the site is 100-135 MB at 1000
plans and 550-750 MB at 5000, and the memory folder is shared with the rest of the machine."""


def serve(config_file: str | None = None, dev_addr: str | None = None, *,
          open_in_browser: bool = False) -> None:
    """`mkdocs serve` with the incremental builder: the same server, watches and reloads."""
    # The site and each build's generated files in memory when the machine has room (as `mkdocs
    # build`'s search copies, accountplans.site.search.scratch_folder): a save rewrites tens of
    # megabytes of them. Not the search copies kept between builds: Pagefind numbers pages in
    # the order their folder lists them, and the served index equals a full `mkdocs serve`'s.
    site_dir = tempfile.mkdtemp(prefix="mkdocs_", dir=scratch_folder(os.environ, room=SITE_ROOM))
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    probe = load_config(config_file=config_file, site_dir=site_dir, **options)
    host, port = probe.dev_addr
    mount_path = urlsplit(probe.site_url or "/").path
    site = LiveSite(config_file, site_dir, _serve_url(host, port, mount_path),
                    scratch=scratch_folder(os.environ), **options)
    config = site.config()

    def builder(config: MkDocsConfig | None = None) -> None:
        site.build(config, finish_later=True)

    server = LiveReloadServer(builder=builder, host=host, port=port, root=site_dir,
                              mount_path=mount_path)
    _react_at_once(server)
    write_pending_before_serving(server, site.write_pending)

    def error_handler(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_handler
    try:
        builder(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve(open_in_browser=open_in_browser)  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        site.close()
        shutil.rmtree(site_dir, ignore_errors=True)


def write_pending_before_serving(server: LiveReloadServer, write_pending: Callable[[str], None]) -> None:
    """A page the last build writes after the reload (LiveSite.write_pending) is written before
    the server answers a request for it, as MkDocs' server waits for a build to end: the
    browser never gets a page as it was before the save. The path is found as the server
    finds it (MkDocs 1.6's LiveReloadServer._serve_request)."""
    answer = server._serve_request

    def serve_request(environ: dict[str, Any], start_response: Any) -> Any:
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        if (path + "/").startswith(server.mount_path) and not path.startswith("/livereload/"):
            relative = path[len(server.mount_path):]
            if path.endswith("/"):
                relative += "index.html"
            file_path = os.path.join(server.root, posixpath.normpath("/" + relative).lstrip("/"))
            with server._epoch_cond:  # a build under way: wait for it, as the server does
                server._epoch_cond.wait_for(lambda: server._visible_epoch == server._wanted_epoch)
            write_pending(file_path)
            write_pending(os.path.join(file_path, "index.html"))  # asked without its slash
        return answer(environ, start_response)

    server._serve_request = serve_request  # type: ignore[method-assign]


def _react_at_once(server: LiveReloadServer) -> None:
    """The operating system's file events instead of polling every half second, and a
    shorter wait for a save to settle: both are most of the loop's time otherwise.

    Only events that change a file count: inotify also reports every file opened and closed
    unwritten, and the build itself reads the plans (a rebuild would start another)."""
    try:
        from watchdog import events
        from watchdog.observers import Observer
    except ImportError:  # pragma: no cover - polling stays
        return
    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
               events.FileMovedEvent, events.FileClosedEvent, events.DirCreatedEvent,
               events.DirDeletedEvent, events.DirMovedEvent]

    class ChangesOnly(Observer):  # type: ignore[valid-type,misc]
        def schedule(self, handler: Any, path: str, *, recursive: bool = False,
                     event_filter: Any = None) -> Any:
            return super().schedule(handler, path, recursive=recursive,
                                    event_filter=event_filter or changes)

    server.observer = ChangesOnly()
    server.build_delay = 0.05


def _language(config: MkDocsConfig) -> str:
    """The site's language for the serve log (the build reports a bad setting itself)."""
    try:
        return settings_from_mapping(dict(config.extra or {}).get("accountplans")).language
    except SettingsError:
        return "en"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m accountplans.site.livebuild",
        description="Serve the site and rebuild only what a change affects (make serve).")
    parser.add_argument("-f", "--config-file", default=None)
    parser.add_argument("-a", "--dev-addr", default=None, metavar="IP:PORT")
    parser.add_argument("-o", "--open", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s",
                        stream=sys.stderr)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    # Stopped by SIGTERM (a process manager, a test) as by Ctrl-C: the site's folder and the
    # build's temporary ones (in memory where there is room) are removed, not left behind.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        serve(args.config_file, args.dev_addr, open_in_browser=args.open)
    except Abort as err:
        log.error(str(err))
        return 1
    except KeyboardInterrupt:  # before the server started (the first build)
        return 0
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    raise SystemExit(main())
