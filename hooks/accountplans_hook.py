"""MkDocs hooks: each event handed to one build, accountplans.site.sitebuild.SiteBuild, which
owns the build's state and steps and imports nothing from MkDocs; a BuildStopped becomes
MkDocs' PluginError. MkDocs loads this file by path with `hooks/` on sys.path only while it
first runs, so the modules are imported at the top. `mkdocs serve` never reloads this
module: a new SiteBuild is made in every `on_config`."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import plan_macros
import site_files
import site_nav
from accountplans.clock import today_from_environment
from accountplans.i18n import gettext
from accountplans.plan.check import CheckedFile
from accountplans.plan.rendered import MarkdownSetup
from accountplans.site.serve import CheckCache
from accountplans.site.sitebuild import BuildStopped, SiteBuild
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

# Under the `mkdocs` logger, so that --strict counts our warnings.
log = get_plugin_logger("accountplans")

_command = "build"
_build: SiteBuild | None = None
_check_cache: CheckCache | None = None
"""Under `serve`, the last build's checked files, reused while a file's size and mtime stay
the same: the one state that survives a rebuild (accountplans.site.serve.CheckCache)."""


@contextmanager
def _stops() -> Iterator[None]:
    try:
        yield
    except BuildStopped as stop:
        raise PluginError(str(stop)) from None


# An event without @event_priority runs after every plugin's handler of it (MkDocs' default):
# nothing here needs to come first there. The priorities given say why they are needed.
def on_startup(command: str, dirty: bool) -> None:
    global _command, _check_cache
    _command = command
    _check_cache = CheckCache() if command == "serve" else None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    with _stops():
        _build = SiteBuild.start(
            dict(config.extra or {}).get("accountplans"), Path(config.config_file_path or ".").parent,
            today=today_from_environment(), serving=_command == "serve", strict=bool(config.strict),
            markdown=MarkdownSetup(tuple(config.markdown_extensions), dict(config.mdx_configs)),
            render=plan_macros.renderer(), log=log)
    if (staging := _build.stage(Path(config.site_dir))) is not None:
        config.site_dir = str(staging)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """Every file checked before MkDocs empties site_dir."""
    with _stops():
        _state().check(Path(config.docs_dir), Path(config.config_file_path or ".").parent,
                       _check_cache)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The files as this build publishes them (hooks/site_files.py)."""
    return site_files.published_files(files, config, _state())


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Every page is converted, none rendered yet: the plans released. The downloads the
    build puts in the site itself after the pages (SiteBuild.downloads_late) are taken out
    of MkDocs' files, which it copies next."""
    with _stops():
        _state().release([os.path.dirname(f.abs_dest_path) for f in files.documentation_pages()])
    for uri in _state().downloads_late:
        if (file := files.get_file_from_path(uri)) is not None:
            files.remove(file)
    env.globals["accountplans_words"] = _state().theme_words()
    # The navigation rendered once per group of pages (theme_overrides/partials/nav.html).
    env.globals["accountplans_nav"] = site_nav.SharedNavs()
    return env


# Last, after every plugin has written its files into the staging folder.
@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    counted = any(isinstance(h, CountHandler) and h.get_counts()
                  for h in logging.getLogger("mkdocs").handlers)
    with _stops():
        site_dir = _state().finish(warnings_counted=counted)
    if site_dir is not None:
        config.site_dir = str(site_dir)


def on_build_error(error: Exception) -> None:
    if _build is not None:
        _build.abandon()


# Default priority: after every plugin's on_nav, so the grouping is what the theme renders.
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """The plans' sections of the navigation; the pages in the order MkDocs converts them next
    (accountplans.site.sitebuild.SiteBuild.share_plan_pages)."""
    _state().share_plan_pages([(f.src_uri, f.abs_src_path, f.name) for f in files.documentation_pages()],
                              use_directory_urls=config.use_directory_urls)
    return site_nav.grouped_navigation(nav, _state().nav_groups(), _state().folder_titles())


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    with _stops():
        return _state().read_source(page.file.src_uri, page.file.abs_src_path)


# Before other plugins read the page's Markdown (e.g. Material's tags), so they see the
# rendered tables, and search later indexes them.
@event_priority(50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    with _stops():
        made = _state().page_markdown(page.file.src_uri, page.file.name, markdown, page.meta,
                                      use_directory_urls=config.use_directory_urls)
    if made.meta is not None:
        page.meta = made.meta
    return made.markdown


# Last, after every plugin's on_page_content: none reads the Markdown after this.
@event_priority(-100)
def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = _state()
    content = state.page_html(page.file.src_uri, page.markdown, html_text)
    if "title" not in page.meta and page.title:
        page.meta["title"] = state.plain_title(page.title)
    page.markdown = ""
    return content


# First, before any plugin reads the HTML (Material's search indexes it in on_page_context;
# no plugin of this site reads it in on_page_content, where it still holds the tokens).
@event_priority(100)
def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig,
                    nav: Navigation) -> dict[str, Any]:
    """The kept blocks put back just before the page is written (accountplans.site.htmlblocks)."""
    if page.content is not None:
        page.content = _state().put_back(page.file.src_uri, page.content)
    return context


# First, so that other plugins' on_post_page (Material's privacy, a minifier) see the whole
# page. None of them reads page.content there, and after this event nothing does.
@event_priority(100)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The page's HTML released ("" leaves Page.title as it was)."""
    page.content = ""
    return _state().put_back_unindexed(page.file.src_uri, output)


def checked_files() -> dict[str, CheckedFile]:
    """This build's checked files by src_uri until on_env (accountplans.site.livebuild reads them)."""
    return dict(_build.files) if _build is not None else {}


def _state() -> SiteBuild:
    if _build is None:  # on_config always runs first; this guards a misconfigured mkdocs.yml
        # No settings yet, so no language: the default one.
        raise PluginError(gettext("the accountplans hook was not configured: list it under 'hooks:'",
                                  "en"))
    return _build
