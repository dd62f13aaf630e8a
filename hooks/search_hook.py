"""MkDocs hooks for the site's search (Pagefind): thin glue around `accountplans.site.search`.

- Each page's `<html lang>` is its language (a plan's `language:`, else the site's), and a
  copy of its article goes to a temporary folder per language while the page is written
  (in memory where the machine has room, see search.scratch_folder).
- After the build, Pagefind indexes those copies into `pagefind/<lang>/` of the site; `mkdocs
  build` waits for it, `mkdocs serve` reloads the page at once and the index follows. Under
  `build`, a language whose pages are all written is indexed at once, while the build writes
  the other languages' pages.
- The theme's header template (theme_overrides/partials/header.html) adds the search box to
  Material's own header, which it reaches as `theme/partials/header.html` (see on_env).
- While mkdocs.yml lists Material's search plugin, that search is the site's: pages get their
  language, nothing else happens here.

Listed in mkdocs.yml after accountplans_hook.py. `mkdocs serve` never reloads a hook module:
what belongs to one build is made anew in on_config.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from accountplans.plan.frontmatter import decode, split
from accountplans.settings import LANGUAGES, SettingsError, settings_from_mapping
from accountplans.site import search
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# Under the `mkdocs` logger, so that --strict counts our warnings.
log = get_plugin_logger("accountplans.site.search")


@dataclass
class _Build:
    language: str
    """The site's language (`extra.accountplans.language`): pages that are not plans."""
    sources: search.IndexSources
    pagefind: bool
    """False while mkdocs.yml lists Material's search plugin: that search is the site's then,
    and nothing is indexed here (see material_search_listed)."""
    kinds: dict[str, search.PageKind] = field(default_factory=dict)
    """Under `build`, each page's kind by src_uri, known before the first page is written."""


_command = "build"
_build: _Build | None = None
_indexing: search.Indexing | None = None
"""The last build's Pagefind runs; under `serve` they may still be running."""


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    try:
        language = settings_from_mapping(dict(config.extra or {}).get("accountplans")).language
    except SettingsError:
        language = "en"  # accountplans_hook reports the bad setting and stops the build
    # In memory for `build` only: Pagefind numbers the pages in the order it finds the copies,
    # which is the folder's listing order, and that differs between memory and a disk. Under
    # `serve` the copies stay on the disk (accountplans.site.livebuild keeps them there between
    # builds), so a served site's index stays the one a full `serve` build makes.
    memory = search.scratch_folder(os.environ) if _command == "build" else None
    scratch = tempfile.mkdtemp(prefix="accountplans-search-", dir=memory)
    _build = _Build(language, search.IndexSources(Path(scratch)), pagefind=not material_search_listed(config))
    return config


def material_search_listed(config: MkDocsConfig) -> bool:
    """Whether mkdocs.yml lists Material's search plugin (`search`); the header template
    (partials/header.html) asks the same to decide which search box to show."""
    return "material/search" in config.plugins or "search" in config.plugins


def on_pre_build(config: MkDocsConfig) -> None:
    """Under serve, a new build stops the previous build's indexing (its pages are gone)."""
    _stop_indexing()


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Material's own templates reachable as `theme/...`, so that an override can extend
    Material's header instead of copying it (partials/header.html has no blocks), and the
    templates' cache of one build."""
    theme_dirs = [d for d in config.theme.dirs if d != config.theme.custom_dir]
    if env.loader is not None:
        env.loader = jinja2.ChoiceLoader([
            env.loader, jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(theme_dirs)})])
    # What the templates render once per build and keep (partials/site-search.html: the box's
    # words); a new build starts empty.
    env.globals["accountplans_template_cache"] = {}
    _expect_pages(files, config)
    return env


def _expect_pages(files: Files, config: MkDocsConfig) -> None:
    """Under `build`, the language of every page about to be written, so that a language's
    index is made as soon as its last page is written, while the build writes the others'
    (on_post_page): the Dutch plans' index while the English pages after them are written.
    `serve` indexes after its pages in the background anyway."""
    global _indexing
    state = _state()
    if _command != "build" or not state.pagefind:
        return
    state.kinds = {file.src_uri: _kind(file.page, state.language)
                   for file in files.documentation_pages() if file.page is not None}
    state.sources.expect(kind.language for kind in state.kinds.values())
    _indexing = search.Indexing(state.sources, Path(config.site_dir), search.pagefind_executable(),
                                state.language)


def _kind(page: Page, language: str) -> search.PageKind:
    return search.page_kind(_front_matter(page), language, LANGUAGES)


# Before accountplans_hook's on_post_page (priority 100), which puts back the blocks search
# leaves out: the copy for the index never holds them (on the fast path they are still
# comments here; on the other path Pagefind leaves them out by their data-search-exclude).
@event_priority(110)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    state = _state()
    kind = state.kinds.pop(page.file.src_uri, None) or _kind(page, state.language)
    output = search.with_language(output, kind.language)
    title = search.plain_title(str(page.meta.get("title") or page.title or ""))
    indexed = search.index_page(output, kind=kind, title=title) if state.pagefind else None
    if indexed is not None:
        state.sources.add(page.file.dest_uri, kind.language, indexed)
    if state.pagefind and state.sources.written(kind.language) and _indexing is not None:
        _indexing.start([kind.language])
    return output


# Default priority: before accountplans_hook's on_post_build (-100), which puts `build`'s
# staging folder, where the bundles are written, in place of the site.
def on_post_build(config: MkDocsConfig) -> None:
    """Index the pages: `build` waits (a failed index fails the build), `serve` does not."""
    global _indexing
    state = _state()
    if not state.sources.languages:
        state.sources.remove()
        return
    if _indexing is None:  # under `build`, made before the first page (_expect_pages)
        _indexing = search.Indexing(state.sources, Path(config.site_dir), search.pagefind_executable(),
                                    state.language)
    _indexing.start()
    if _command == "serve":
        _indexing.wait_in_background(_log_warnings)
        return
    problems = _indexing.wait()
    if problems:
        raise PluginError("; ".join(problems))
    # Read by bench/search_bench.py: the index's share of the build.
    log.info(f"search index of {state.sources.pages} pages ({', '.join(sorted(state.sources.languages))}) "
             f"made by Pagefind in {_indexing.seconds:.2f} s ({_indexing.cpu_seconds:.2f} s CPU)")


def _log_warnings(problems: list[str]) -> None:
    for found in problems:
        log.warning(found)


def on_build_error(error: Exception) -> None:
    _stop_indexing()
    if _build is not None:
        _build.sources.remove()


def on_shutdown() -> None:
    _stop_indexing()


def _stop_indexing() -> None:
    global _indexing
    if _indexing is not None:
        _indexing.cancel()
        _indexing = None


def _front_matter(page: Page) -> str | None:
    """The page's front-matter text, read again from its file (see search.page_kind)."""
    if page.file.abs_src_path is None or not page.file.src_uri.endswith(".md"):
        return None
    try:
        data = Path(page.file.abs_src_path).read_bytes()
    except OSError:
        return None
    text, _ = decode(page.file.src_uri, data)
    return split(page.file.src_uri, text)[0].front_matter if text is not None else None


def _state() -> _Build:
    if _build is None:
        raise PluginError("the search hook was not configured: list it under 'hooks:'")
    return _build
