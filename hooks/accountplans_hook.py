"""MkDocs hooks: check every plan in every build, render the macros, show problems.

Thin glue: the checks and the macros' content live in the `accountplans` package.
MkDocs loads this file by path with `hooks/` on sys.path only while it first runs, so the
package is imported here at the top. `mkdocs serve` never reloads this module: everything
that belongs to one build is made anew in `on_config` and kept in `_build`.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import plan_macros
import site_nav
from accountplans import check, generated, htmlblocks, owners, staging
from accountplans.actuals import ACTUALS_CSV, Actuals, load_actuals
from accountplans.cli import today_from_environment
from accountplans.frontmatter import decode, split
from accountplans.i18n import gettext, ngettext
from accountplans.keyfacts import insert_key_facts, key_facts
from accountplans.macros import plan_macros as macros_for_plan
from accountplans.portfolio import entries as published_entries
from accountplans.portfolio import portfolio_macros
from accountplans.problems import Problem, count_errors, problem
from accountplans.rendered import MarkdownSetup, may_hold_html
from accountplans.sanitize import clean, removed, text_only
from accountplans.serve import CheckCache
from accountplans.settings import Settings, SettingsError, settings_from_mapping
from accountplans.teammacros import TeamMacros, with_team_macros
from accountplans.theme import problems_box, theme_safe_meta
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

# Under the `mkdocs` logger, so that --strict counts our warnings.
log = get_plugin_logger("accountplans")


@dataclass
class _Build:
    """Everything one build knows; replaced in on_config, so `serve` rebuilds start clean."""

    settings: Settings
    today: dt.date
    serving: bool
    files: dict[str, check.CheckedFile] = field(default_factory=dict)
    """Checked Markdown files by `src_uri`."""
    problems: list[Problem] = field(default_factory=list)
    env: Any = None
    actuals: Actuals | None = None
    """plans/actuals.csv, when there is one."""
    actuals_problems: list[Problem] = field(default_factory=list)
    owners: list[owners.Owner] = field(default_factory=list)
    generated: set[str] = field(default_factory=set)
    """src_uris of the pages and files made by on_files."""
    blocks: htmlblocks.KeptBlocks = field(default_factory=htmlblocks.KeptBlocks)
    """Generated HTML kept out of Markdown, per page, until the page is written."""
    downloads: Path | None = None
    """This build's temporary folder of generated files (owner pages, calendars, plans.json...),
    see on_files."""
    markdown: MarkdownSetup = field(default_factory=MarkdownSetup)
    """The site's Markdown extensions: check converts pages with them, as MkDocs does."""
    strict: bool = False
    refused: set[str] = field(default_factory=set)
    """src_uris of the files never published (symlinks, .MD, types a browser runs; AP404)."""
    site_dir: Path | None = None
    """`mkdocs build` writes into a staging folder beside site_dir and puts it in place only
    when the build succeeded (on_post_build): a failed build leaves the last site whole."""
    staging: Path | None = None
    late_errors: int = 0
    team: TeamMacros = field(default_factory=TeamMacros)
    """The team's own macros (extra.accountplans.macro_modules, accountplans.teammacros)."""
    """Errors found in the converted pages (on_page_content); the build stops in on_env."""


_command = "build"
_build: _Build | None = None
_check_cache = CheckCache()
"""Under `serve`, the checked files of the last build, reused while a file's size and mtime
stay the same (accountplans.serve.CheckCache): the one state that survives a rebuild. It holds
the last build's files only, and empties itself when the settings change."""


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _build
    extra: dict[str, Any] = dict(config.extra or {})
    raw = extra.get("accountplans")
    try:
        settings, team = with_team_macros(settings_from_mapping(raw),
                                          Path(config.config_file_path or ".").parent)
    except SettingsError as err:
        raise PluginError(f"mkdocs.yml: {err}") from None
    _build = _Build(settings, today_from_environment(), serving=_command == "serve",
                    env=plan_macros.make_environment(),
                    markdown=MarkdownSetup(tuple(config.markdown_extensions),
                                           dict(config.mdx_configs)),
                    strict=bool(config.strict), team=team)
    if not _build.serving:
        # MkDocs empties site_dir right after on_pre_build and writes page after page; only a
        # build that ends well replaces the site (on_post_build), whatever fails on the way.
        _build.site_dir = Path(config.site_dir)
        _build.staging = staging.staging_for(_build.site_dir)
        config.site_dir = str(_build.staging)
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    """Read and check every file of the docs folder, as `accountplans check` does, before
    MkDocs empties site_dir.

    If there are errors (or, under --strict, warnings of plans that are not drafts), the build
    stops here and the previous site is left whole. Every problem is logged first.
    """
    state = _state()
    docs_dir = Path(config.docs_dir)
    root = Path(config.config_file_path or ".").parent
    prefix = _relative(docs_dir, root)
    checker = None
    if state.serving:
        _check_cache.start(state.settings, state.markdown)
        checker = _check_cache.check
    files, found = check.check_paths([docs_dir], state.settings, display=root,
                                     markdown=state.markdown, checker=checker)
    for checked in files:
        state.files[checked.path.removeprefix(prefix)] = checked
    state.refused = {p.path.removeprefix(prefix) for p in found if p.code == "AP404"}
    state.problems.extend(found)
    state.actuals, state.actuals_problems = load_actuals(
        docs_dir / ACTUALS_CSV, f"{prefix}{ACTUALS_CSV}",
        [f.plan for f in state.files.values() if f.plan is not None])
    state.problems.extend(state.actuals_problems)
    # Without the "accountplans: " prefix of `log`: each line is exactly the line
    # `accountplans check` prints, so people and CI problem matchers read one format.
    # A draft's warnings at INFO: shown, but not counted by MkDocs' --strict (see drafts).
    failing = set(check.counted(files, state.problems))
    for p in state.problems:
        level = logging.ERROR if p.is_error else logging.WARNING if p in failing else logging.INFO
        log.logger.log(level, str(p))
    errors = count_errors(state.problems)
    if state.serving:
        return
    language = state.settings.language
    if errors:
        raise PluginError(ngettext(
            "{n} error in the plans, listed above; fix it (or run 'accountplans check' to see it "
            "again) and build again",
            "{n} errors in the plans, listed above; fix them (or run 'accountplans check' to see "
            "them again) and build again", errors, language, n=errors))
    if state.strict and failing:
        raise PluginError(ngettext(
            "{n} warning in the plans, listed above, and the build is strict; fix it and build "
            "again",
            "{n} warnings in the plans, listed above, and the build is strict; fix them and "
            "build again", len(failing), language, n=len(failing)))


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Drafts are shown by `mkdocs serve` and left out of the published site."""
    state = _state()
    for file in list(files):
        if file.src_uri in state.refused or any(file.src_uri.startswith(f"{r}/") for r in state.refused):
            # AP404: never published, under serve either.
            files.remove(file)
    for file in files.documentation_pages():
        checked = state.files.get(file.src_uri)
        if checked is not None and checked.plan is not None and checked.plan.is_draft:
            file.inclusion = InclusionLevel.DRAFT
        if checked is not None and not checked.readable and state.serving:
            # Not UTF-8 or over 1 MiB (AP403): MkDocs would fail the whole rebuild reading it,
            # or render megabytes. Serve a stand-in, so the author sees the problem there.
            file.content_string = "# {}\n\n{}\n".format(file.src_uri, gettext(
                "This file cannot be shown until the problem above is fixed.",
                state.settings.language))
    _add_generated_files(files, config, state)
    return files


def _add_generated_files(files: Files, config: MkDocsConfig, state: _Build) -> None:
    """Owner pages, the quarterly view, the tags page and the downloads (accountplans.generated).

    Made here, not in on_post_build, so that MkDocs knows them: links to them are checked,
    `serve` serves them, and on_nav can group the pages.
    """
    csv_file = files.get_file_from_path(ACTUALS_CSV)
    if csv_file is not None:  # the CRM export is input; plans.csv is what the site publishes
        files.remove(csv_file)
    found = published_entries(state.files)
    state.owners = owners.group_owners(found, state.settings.team)
    for made in generated.site_files(found, state.owners, state.settings, state.today, state.actuals,
                                     use_directory_urls=config.use_directory_urls,
                                     site_url=config.site_url,
                                     with_tags="material/tags" in config.plugins):
        if files.get_file_from_path(made.src_uri) is not None:
            log.warning(gettext("{path} is made by accountplans at every build, but the docs folder "
                                "has a file of that name; the file is kept: rename it",
                                state.settings.language, path=made.src_uri))
            continue
        # Written to disk now, not held in memory until MkDocs reads the page or copies the
        # download: the downloads are about 40 KB per plan, an owner's page 1-2 KB per plan.
        path = _downloads(state) / made.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        content = made.content
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        file = File.generated(config, made.src_uri, abs_src_path=str(path))
        if not made.in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(file)
        state.generated.add(made.src_uri)


def _downloads(state: _Build) -> Path:
    if state.downloads is None:
        state.downloads = Path(tempfile.mkdtemp(prefix="accountplans-downloads-"))
    return state.downloads


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """Every page is converted now (MkDocs converts them all before it renders the first), and
    no later event reads the parsed plans: releasing them here lets the search index, which
    grows while pages are rendered, reuse their memory."""
    state = _state()
    if state.late_errors and not state.serving:
        raise PluginError(ngettext(
            "{n} page holds HTML the site's sanitizer removes, listed above; fix it and build "
            "again",
            "{n} pages hold HTML the site's sanitizer removes, listed above; fix them and build "
            "again", state.late_errors, state.settings.language, n=state.late_errors))
    state.files = {}
    state.owners = []
    state.actuals = None
    return env


# Last, after every plugin has written its files into the staging folder.
@event_priority(-100)
def on_post_build(config: MkDocsConfig) -> None:
    """The downloads are in site_dir now: remove this build's temporary copy. The staging
    folder replaces the site, unless MkDocs is about to abort a strict build for a warning
    (it counts them right after this event)."""
    _remove_downloads()
    state = _state()
    if state.staging is None or state.site_dir is None:
        return
    config.site_dir = str(state.site_dir)
    if state.strict and any(isinstance(h, CountHandler) and h.get_counts()
                            for h in logging.getLogger("mkdocs").handlers):
        staging.discard(state.staging)
    else:
        staging.replace_site(state.staging, state.site_dir)


def on_build_error(error: Exception) -> None:
    _remove_downloads()
    if _build is not None and _build.staging is not None:
        staging.discard(_build.staging)


def _remove_downloads() -> None:
    if _build is not None and _build.downloads is not None:
        staging.discard(_build.downloads)
        _build.downloads = None


# Default priority: after every plugin's on_nav, so the grouping is what the theme renders.
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """Plans grouped per owner (the owner's page first), the archive apart. (Drafts are in
    no navigation: MkDocs keeps pages of InclusionLevel.DRAFT out of it, even under serve.)

    Material writes the whole navigation into every page: a flat list of N plans makes the
    build O(N²). With one section per owner (long ones in alphabetical chunks; many owners
    in alphabetical sections such as "A–F") and `navigation.prune`, a page carries the
    top-level sections and its own section only.
    Pages the plans do not own (dashboard, help, tags, other pages) keep MkDocs' order.
    """
    state = _state()
    return site_nav.grouped_navigation(nav, owners.nav_groups(state.owners, state.settings.language))


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    """A plan's Markdown with its front-matter already parsed: MkDocs would parse it a second
    time, with PyYAML's pure-Python loader (about half a millisecond a plan), only for
    page.meta, which on_page_markdown sets from the checked plan. `{}` stands in for it, so
    that MkDocs takes no line of the body for MultiMarkdown metadata either."""
    checked = _state().files.get(page.file.src_uri)
    if checked is None or not checked.readable or page.file.abs_src_path is None:
        return None  # MkDocs reads it as usual (a generated page, or the stand-in of on_files)
    try:
        data = Path(page.file.abs_src_path).read_bytes()
    except OSError:
        return None
    text, _ = decode(page.file.src_uri, data)
    if text is None:
        return None
    source, _ = split(page.file.src_uri, text)
    # Every page's meta comes from the checked front-matter (plans: on_page_markdown; other
    # pages: CheckedFile.page_meta), never from MkDocs' own unchecked YAML or MultiMarkdown
    # reading, which would hand the theme any key (`template:`, `icon:`) and any alias bomb.
    return "---\n{}\n---\n" + source.body


# Before other plugins read the page's Markdown (e.g. Material's tags), so they see the
# rendered tables, and search later indexes them.
@event_priority(50)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = _state()
    if page.file.src_uri in state.generated:
        # Made by on_files with plan text in it, which must never reach Jinja.
        return htmlblocks.keep_generated_blocks(markdown, state.blocks.keeper(page.file.src_uri))
    checked = state.files.get(page.file.src_uri)
    body_line = checked.body_line if checked else 1
    if checked is not None and checked.plan is not None:
        # A plan's page.meta is its checked tags only (see on_page_read_source, theme_safe_meta),
        # and its title is its account, wherever the theme shows a title.
        page.meta = theme_safe_meta({"tags": list(checked.plan.tags)}, is_plan=True)
        page.meta["title"] = html.escape(checked.plan.account or page.file.name)
    elif checked is not None:
        page.meta = theme_safe_meta(dict(checked.page_meta), is_plan=False)
    else:
        page.meta = theme_safe_meta(page.meta, is_plan=False)
    if checked is not None and checked.plan is not None:
        macros = macros_for_plan(checked.plan, state.settings, state.today, actuals=state.actuals)
    else:
        macros = portfolio_macros(
            state.files, state.settings, state.today, page_uri=page.file.src_uri,
            use_directory_urls=config.use_directory_urls, actuals=state.actuals,
            owner_page=owners.owner_pages(state.owners), other_problems=state.actuals_problems)
    page_problems = list(checked.problems) if checked else []
    # A plan with AP401 (template code other than a macro call) is not rendered at all: under
    # serve its text is shown as written, under its problems; `build` stopped in on_pre_build.
    refused = any(p.code == "AP401" for p in page_problems) and checked is not None \
        and checked.plan is not None
    # The fast path (see accountplans.htmlblocks): generated blocks kept out of Markdown.
    keep = state.blocks.keeper(page.file.src_uri) if checked is not None and not refused \
        and htmlblocks.plain_markdown(markdown, macros) else None
    if keep is not None:
        macros = htmlblocks.kept_macros(macros, keep)
    macros = {**macros, **state.team.functions}  # Markdown, converted as the page's own text
    try:
        if keep is not None and (filled := htmlblocks.fill_in(markdown, macros)) is not None:
            markdown = filled
        elif not refused:
            markdown = plan_macros.render(state.env, markdown, macros, state.settings.team_macros)
    except plan_macros.RenderError as err:
        shown = checked.path if checked else page.file.src_uri
        found = problem(shown, body_line + max(err.line, 1) - 1, 0, "AP401",
                        f"{err.message}; remove it or call a known macro")
        log.error(str(found))
        page_problems.append(found)
        if not state.serving:
            raise PluginError(gettext("{path}: template code failed, see above",
                                      state.settings.language, path=shown)) from None
    if checked is not None and checked.plan is not None:
        # After rendering: the block holds plan text, which must never reach Jinja.
        facts = key_facts(checked.plan, state.settings, state.today)
        markdown = insert_key_facts(markdown, keep(facts) if keep is not None else facts)
    if state.serving and page_problems:
        markdown = problems_box(page_problems, state.settings.language) + "\n\n" + markdown
    return markdown


# Last, after every plugin's on_page_content: none reads the Markdown after this.
@event_priority(-100)
def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """What the reader gets: the page's HTML through the site's sanitizer. The check before
    the build reported (AP402) anything it removes; a page it let through that the sanitizer
    still changes stops the build here (in on_env), and is never published unsanitized.

    Its title made text: a title from the first heading may hold markup or entities, and
    Material prints titles unescaped (or decoded by `striptags`). The page's Markdown is
    released as soon as it is converted (see on_page_context)."""
    state = _state()
    if page.markdown and may_hold_html(page.markdown, state.markdown):
        found = removed(html_text)
        checked = state.files.get(page.file.src_uri)
        if found and not (checked and any(p.code == "AP402" for p in checked.problems)):
            shown = checked.path if checked else page.file.src_uri
            log.error(str(problem(
                shown, checked.body_line if checked else 0, 0, "AP402", gettext(
                    "the site's HTML sanitizer removes {what} from the page as built; remove the "
                    "HTML and write plain Markdown", state.settings.language,
                    what=found[0].text(state.settings.language)))))
            state.late_errors += 1
    if "title" not in page.meta and page.title:
        page.meta["title"] = text_only(page.title)
    page.markdown = ""
    return clean(html_text)


# First, before any plugin reads the HTML (Material's search indexes it in on_page_context;
# no plugin of this site reads it in on_page_content, where it still holds the tokens).
@event_priority(100)
def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig,
                    nav: Navigation) -> dict[str, Any]:
    """The page's kept blocks put back, just before it is written.

    MkDocs converts every page before it writes the first, and keeps each page's Markdown and
    HTML until the build ends: with a thousand plans that is most of the build's memory. So
    the Markdown goes once converted (on_page_content), a plan's tables and key facts wait
    compressed until the page is written (here, and on_post_page for the blocks search leaves
    out), and the HTML goes once the page is rendered (on_post_page). Both become "" (not
    None), which leaves Page.title as it was; validate_anchor_links uses the anchors collected
    while rendering, not the HTML.
    """
    if page.content is not None:
        page.content = _state().blocks.put_back(page.file.src_uri, page.content)
    return context


# First, so that other plugins' on_post_page (Material's privacy, a minifier) see the whole
# page. None of them reads page.content there, and after this event nothing does.
@event_priority(100)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The blocks search leaves out put back in the rendered page; the page's HTML released."""
    page.content = ""
    return _state().blocks.put_back_unindexed(page.file.src_uri, output)


def checked_files() -> dict[str, check.CheckedFile]:
    """This build's checked Markdown files by src_uri, from on_pre_build until on_env
    (accountplans.livebuild tells plans from other pages by them)."""
    return dict(_build.files) if _build is not None else {}


def _state() -> _Build:
    if _build is None:  # on_config always runs first; this guards a misconfigured mkdocs.yml
        # No settings yet, so no language: the default one.
        raise PluginError(gettext("the accountplans hook was not configured: list it under 'hooks:'",
                                  "en"))
    return _build


def _relative(docs_dir: Path, root: Path) -> str:
    try:
        rel = os.path.relpath(docs_dir, root)
    except ValueError:
        return ""
    return "" if rel == "." else rel.replace(os.sep, "/") + "/"

