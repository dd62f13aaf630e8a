"""One site build: its state and its steps, in the order MkDocs runs the hook's events.

hooks/accountplans_hook.py maps each MkDocs event to one method here and turns BuildStopped
into MkDocs' PluginError. Nothing here imports MkDocs or Jinja: the hook hands in plain values
(paths, page URIs, Markdown, HTML) and the renderer of template code (hooks/plan_macros.py),
and gets plain values back. A SiteBuild is one build's: the hook makes a new one in on_config,
so `serve` rebuilds start clean.

1. `start` (on_config): the settings and the team's macros; `stage`: under `build` the site
   is written into a staging folder that replaces it only when the build succeeds.
2. `check` (on_pre_build): every file and actuals.csv, as `accountplans check` checks them
   (accountplans.plan.sitecheck), each problem logged as check prints it; errors stop the build.
3. `publishes`, `is_draft`, `stand_in`, `write_generated` (on_files): what MkDocs publishes.
4. `read_source` (on_page_read_source), `page_markdown` (on_page_markdown): the macros
   rendered, the key facts, under `serve` the page's problems; `page_html` (on_page_content):
   the sanitizer, whose late findings stop the build in `release` (on_env).
5. `put_back`, `put_back_unindexed` (on_page_context, on_post_page): the kept blocks.
6. `finish` (on_post_build), `abandon` (on_build_error): the staging folder and downloads.

One class for one build's state, its steps in event order (about 400 lines, half of them the
why of each step): split by step, the state every step reads would be passed around instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accountplans.site import generated

from accountplans.site import htmlblocks

from accountplans.site import beside, staging
from accountplans.compute import memo
from accountplans.compute.actuals import ACTUALS_CSV, Actuals
from accountplans.plan.check import CheckedFile, Checker, check_file
from accountplans.compute.figures import entries as published_entries
from accountplans.plan.frontmatter import decode, split
from accountplans.i18n import gettext, ngettext
from accountplans.site.keyfacts import insert_key_facts, key_facts
from accountplans.site.macros import plan_macros
from accountplans.site.markup import escape
from accountplans.site.owners import NavGroup, Owner, group_owners, nav_groups, owner_pages
from accountplans.site.portfolio import portfolio_macros
from accountplans.plan.problems import Problem, problem
from accountplans.plan.rendered import MarkdownSetup, may_hold_html
from accountplans.plan.sanitize import clean, removed, text_only
from accountplans.site.serve import CheckCache
from accountplans.settings import MacroShape, Settings, SettingsError, settings_from_mapping
from accountplans.plan.sitecheck import check_site
from accountplans.site.teammacros import TeamMacros, with_team_macros
from accountplans.site.theme import problems_box, theme_safe_meta

__all__ = ["BuildStopped", "GeneratedOnDisk", "PageMarkdown", "Renderer", "SiteBuild", "TemplateFailed"]


class BuildStopped(Exception):
    """The build must stop; the message says why and what to do."""


class TemplateFailed(Exception):
    """A page's template code was refused or failed (the renderer raises it): AP401."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


Renderer = Callable[[str, Mapping[str, Callable[..., Any]], Sequence[MacroShape], str], str]
"""Renders a page's template code with only the given macros: (markdown, macros, the team
macros' shapes, the language of its messages) -> markdown. Raises TemplateFailed."""


@dataclass(frozen=True)
class GeneratedOnDisk:
    """A generated page or download, written to this build's temporary folder."""

    src_uri: str
    path: Path
    in_nav: bool


@dataclass(frozen=True)
class PageMarkdown:
    markdown: str
    meta: dict[str, Any] | None = None
    """The page's new meta (what the theme may see), None to leave it as it is."""


@dataclass
class SiteBuild:
    """Everything one build knows, and its steps (see the module's docstring)."""

    settings: Settings
    team: TeamMacros
    """The team's own macros (extra.accountplans.macro_modules, accountplans.site.teammacros)."""
    today: dt.date
    serving: bool
    strict: bool
    markdown: MarkdownSetup
    """The site's Markdown extensions: check converts pages with them, as MkDocs does."""
    render: Renderer
    log: logging.LoggerAdapter[logging.Logger]
    """Messages, prefixed `accountplans: `; problem lines go to its logger as they are."""
    files: dict[str, CheckedFile] = field(default_factory=dict)
    """Checked Markdown files by `src_uri`, from `check` until `release`."""
    refused: set[str] = field(default_factory=set)
    """src_uris of the files never published (symlinks, .MD, types a browser runs; AP404)."""
    actuals: Actuals | None = None
    """plans/actuals.csv, when there is one."""
    actuals_problems: list[Problem] = field(default_factory=list)
    owners: list[Owner] = field(default_factory=list)
    generated: set[str] = field(default_factory=set)
    """src_uris of the pages and files made by `write_generated`."""
    blocks: htmlblocks.KeptBlocks = field(default_factory=htmlblocks.KeptBlocks)
    """Generated HTML kept out of Markdown, per page, until the page is written."""
    downloads: Path | None = None
    """This build's temporary folder of generated files (owner pages, calendars, plans.json...)."""
    pages_beside: beside.Beside = field(default_factory=beside.Beside)
    """The generated pages being written beside the build (`write_generated`), until the
    first is read (`read_source`)."""
    downloads_beside: beside.Beside = field(default_factory=beside.Beside)
    """The downloads being written beside the build (from `release`), until `finish`; under
    `serve`, written at once (`write_generated`)."""
    write_downloads: Callable[[], None] | None = None
    """Under `build`, what writes the downloads, from `write_generated` until `release` starts it."""
    downloads_late: list[str] = field(default_factory=list)
    """Under `build`, the src_uris of the downloads `finish` puts in the site itself: MkDocs
    must not copy them (the hook takes them out of its files after `release`)."""
    plan_pages: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    """Under `build`, the plans' pages MkDocs converts, in its order: src_uri -> (its file, the
    file's name); see `share_plan_pages`."""
    use_directory_urls: bool = True
    plans_ahead: beside.FromTheEnd | None = None
    """The plans' pages made by a child from the last one back, from when the first is read
    until `release`."""
    site_dir: Path | None = None
    staging: Path | None = None
    """Under `build`, the folder written into instead of site_dir (see `stage`)."""
    late_errors: int = 0
    """Pages whose converted HTML the sanitizer changed (`page_html`); the build stops in `release`."""

    @classmethod
    def start(cls, raw_settings: Mapping[str, Any] | None, root: Path, *, today: dt.date, serving: bool,
              strict: bool, markdown: MarkdownSetup, render: Renderer,
              log: logging.LoggerAdapter[logging.Logger]) -> SiteBuild:
        """A build of the site whose mkdocs.yml is in `root`, with `extra.accountplans`."""
        try:
            settings, team = with_team_macros(settings_from_mapping(raw_settings), root)
        except SettingsError as err:
            raise BuildStopped(f"mkdocs.yml: {err}") from None
        return cls(settings, team, today, serving, strict, markdown, render, log)

    def stage(self, site_dir: Path) -> Path | None:
        """Under `build`, the folder to write the site into instead of `site_dir`.

        MkDocs empties site_dir right after on_pre_build and writes page after page; only a
        build that ends well replaces the site (`finish`), whatever fails on the way.
        """
        if self.serving:
            return None
        self.site_dir = site_dir
        self.staging = staging.staging_for(site_dir)
        return self.staging

    def check(self, docs_dir: Path, root: Path, cache: CheckCache | None = None) -> None:
        """Read and check every file of the docs folder and its actuals.csv, as
        `accountplans check` does, and log each problem as the line it prints.

        Errors (or, when strict, warnings of plans that are not drafts) stop a `build`.
        `cache` keeps the checked files from one `serve` rebuild to the next.
        """
        prefix = _relative(docs_dir, root)
        memo.keep_build_results()  # until release: the pages ask for each plan's figures often
        checker = None
        if self.serving and cache is not None:
            cache.start(self.settings, self.markdown)
            checker = cache.check
        shared = None if self.serving else _ChecksBeside(self.settings, self.markdown)
        try:
            site = check_site([docs_dir], self.settings, display=root, markdown=self.markdown,
                              checker=checker, checker_for=shared.start if shared is not None else None)
        finally:
            if shared is not None:
                shared.stop()
        self.files = {checked.path.removeprefix(prefix): checked for checked in site.files}
        self.refused = {p.path.removeprefix(prefix) for p in site.problems if p.code == "AP404"}
        self.actuals = site.actuals.get(docs_dir)
        self.actuals_problems = list(site.actuals_problems)
        # Without the "accountplans: " prefix: each line is exactly the line `accountplans
        # check` prints, so people and CI problem matchers read one format. A draft's
        # warnings at INFO: shown, but not counted by MkDocs' --strict (see drafts).
        failing = set(site.failing_strict)
        for p in site.problems:
            level = logging.ERROR if p.is_error else logging.WARNING if p in failing else logging.INFO
            self.log.logger.log(level, str(p))
        if self.serving:
            return
        language, errors = self.settings.language, site.errors
        if errors:
            raise BuildStopped(ngettext(
                "{n} error in the plans, listed above; fix it (or run 'accountplans check' to see "
                "it again) and build again",
                "{n} errors in the plans, listed above; fix them (or run 'accountplans check' to "
                "see them again) and build again", errors, language, n=errors))
        if self.strict and failing:
            raise BuildStopped(ngettext(
                "{n} warning in the plans, listed above, and the build is strict; fix it and "
                "build again",
                "{n} warnings in the plans, listed above, and the build is strict; fix them and "
                "build again", len(failing), language, n=len(failing)))

    def publishes(self, src_uri: str) -> bool:
        """False for the files refused (AP404: never published, under serve either) and for
        actuals.csv (the CRM export is input; plans.csv is what the site publishes)."""
        return src_uri != ACTUALS_CSV and src_uri not in self.refused \
            and not any(src_uri.startswith(f"{r}/") for r in self.refused)

    def is_draft(self, src_uri: str) -> bool:
        """Drafts are shown by `serve` and left out of the published site."""
        checked = self.files.get(src_uri)
        return checked is not None and checked.plan is not None and checked.plan.is_draft

    def stand_in(self, src_uri: str) -> str | None:
        """Under `serve`, the page shown instead of a file that is not UTF-8 or over 1 MiB
        (AP403): MkDocs would fail the whole rebuild reading it, or render megabytes."""
        checked = self.files.get(src_uri)
        if checked is None or checked.readable or not self.serving:
            return None
        return "# {}\n\n{}\n".format(escape(src_uri), gettext(
            "This file cannot be shown until the problem above is fixed.", self.settings.language))

    def write_generated(self, exists: Callable[[str], bool], *, use_directory_urls: bool,
                        site_url: str | None, with_tags: bool) -> list[GeneratedOnDisk]:
        """Owner pages, the quarterly view, the tags page and the downloads
        (accountplans.site.generated), written to a temporary folder, not held in memory until
        MkDocs reads the page or copies the download: the downloads are about 40 KB per plan,
        an owner's page 1-2 KB per plan. A file of the docs folder of the same name is kept.

        Both are written beside the build (accountplans.site.beside), on other cores, except
        under `serve`, where they are written at once: MkDocs is told of the files now. The
        pages are written while MkDocs converts the plans' pages, and `read_source` waits for
        them before MkDocs reads the first. The downloads are written from `release` on, while
        MkDocs renders the pages, and `finish` puts them in the site (`downloads_late`: MkDocs,
        which would copy them before the first page is rendered, is not asked to)."""
        found = published_entries(self.files)
        self.owners = group_owners(found, self.settings.team)
        owner_list = list(self.owners)
        pages = generated.page_uris(found, owner_list, with_tags=with_tags)
        downloads = generated.download_uris(owner_list)
        skip = {uri for uri in [u for u, _ in pages] + downloads if self._kept_docs_file(uri, exists)}
        written = [GeneratedOnDisk(uri, self._generated_path(uri), in_nav)
                   for uri, in_nav in [*pages, *((uri, True) for uri in downloads)] if uri not in skip]
        paths = {made.src_uri: made.path for made in written}

        def write_pages() -> None:
            for made in generated.site_pages(found, owner_list, self.settings, self.today, self.actuals,
                                             use_directory_urls=use_directory_urls, with_tags=with_tags,
                                             skip=skip):
                generated.write_file(paths[made.src_uri], made.content)

        def write_downloads() -> None:
            for made in generated.site_downloads(found, owner_list, self.settings, self.today, self.actuals,
                                                 use_directory_urls=use_directory_urls, site_url=site_url,
                                                 skip=skip):
                generated.write_file(paths[made.src_uri], made.content)

        # Not under serve: its server runs threads, and its loop compares the files at once.
        self.pages_beside = beside.run_beside(write_pages, fork=not self.serving)
        if self.serving:
            self.downloads_beside = beside.run_beside(write_downloads, fork=False)
        else:
            self.write_downloads = write_downloads
            self.downloads_late = [uri for uri in downloads if uri not in skip]
        self.generated.update(paths)
        return written

    def _pages_written(self) -> None:
        """Waits for the generated pages (`write_generated`); stops the build if they failed."""
        failed = self.pages_beside.wait()
        if failed is not None:
            raise BuildStopped(gettext(
                "The owner and quarter pages could not be written: {error}; fix that and build again",
                self.settings.language, error=failed))

    def _downloads_written(self) -> None:
        """Waits for the downloads; stops the build if they failed."""
        failed = self.downloads_beside.wait()
        if failed is not None:
            raise BuildStopped(gettext(
                "The downloads (calendars, plans.json, plans.csv) could not be written: {error}; "
                "fix that and build again", self.settings.language, error=failed))

    def _kept_docs_file(self, src_uri: str, exists: Callable[[str], bool]) -> bool:
        """Whether the docs folder has a file of a generated file's name (kept, with a warning)."""
        if not exists(src_uri):
            return False
        self.log.warning(gettext(
            "{path} is made by accountplans at every build, but the docs folder has a "
            "file of that name; the file is kept: rename it",
            self.settings.language, path=src_uri))
        return True

    def _generated_path(self, src_uri: str) -> Path:
        """Where a generated file is written, in this build's temporary folder."""
        if self.downloads is None:
            self.downloads = Path(tempfile.mkdtemp(prefix="accountplans-downloads-"))
        path = self.downloads / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def nav_groups(self) -> list[NavGroup]:
        """The plans' sections of the navigation (accountplans.site.owners.nav_groups)."""
        return nav_groups(self.owners, self.settings.language)

    def folder_titles(self) -> dict[str, str]:
        """Navigation titles of the folders the build writes, in the site's language (MkDocs
        would title a folder by its name: "Quarters")."""
        from accountplans.site.quarterly import QUARTERS_DIR

        return {QUARTERS_DIR: gettext("Quarters", self.settings.language)}

    def theme_words(self) -> dict[str, str]:
        """Words the theme's own templates write that Material does not translate (its 404
        page says "404 - Not found" in every language): theme_overrides/404.html reads them."""
        return {"not_found": gettext("404 - Not found", self.settings.language)}

    def read_source(self, src_uri: str, abs_src_path: str | None) -> str | None:
        """A checked page's Markdown with an empty front-matter (`{}`), or None to let MkDocs
        read it (a generated page, a stand-in).

        Every page's meta comes from the checked front-matter (`page_markdown`), never from
        MkDocs' own unchecked YAML or MultiMarkdown reading, which would hand the theme any
        key (`template:`, `icon:`) and any alias bomb, and parse each plan a second time."""
        if src_uri in self.generated:
            self._pages_written()
        elif self.plans_ahead is None and src_uri in self.plan_pages:
            self._start_plans_ahead()
        body = self._body(src_uri, abs_src_path)
        return None if body is None else "---\n{}\n---\n" + body

    def _body(self, src_uri: str, abs_src_path: str | None) -> str | None:
        """A checked page's Markdown after its front-matter, read again from its file."""
        checked = self.files.get(src_uri)
        if checked is None or not checked.readable or abs_src_path is None:
            return None
        try:
            data = Path(abs_src_path).read_bytes()
        except OSError:
            return None
        text, _ = decode(src_uri, data)
        if text is None:
            return None
        source, _ = split(src_uri, text)
        return source.body

    def share_plan_pages(self, pages: Sequence[tuple[str, str | None, str]], *, use_directory_urls: bool) -> None:
        """The plans' pages in the order MkDocs converts them: (src_uri, its file, the file's
        name). Under `build`, a child makes their Markdown from the last one back while MkDocs
        converts them from the first (accountplans.site.beside.from_the_end), from when the
        first is read: by then the pages before the plans (the dashboard) have computed every
        plan's figures, which the child then shares."""
        if self.serving:
            return
        self.plan_pages = {uri: (path, name) for uri, path, name in pages
                           if (checked := self.files.get(uri)) is not None and checked.plan is not None}
        self.use_directory_urls = use_directory_urls

    def _start_plans_ahead(self) -> None:
        self.plans_ahead = beside.from_the_end(list(self.plan_pages), self.plan_page_ahead)

    def plan_page_ahead(self, src_uri: str) -> tuple[str, str, PageMarkdown, dict[str, tuple[bool, bytes]]] | None:
        """In the child (see share_plan_pages): a plan's page as `page_markdown` makes it, from
        the Markdown MkDocs will hand it (the text after the front-matter `read_source` gives,
        blank lines first left out, as MkDocs reads front-matter), with the page's kept
        blocks; None when making it logs anything: the build makes that page itself, so that
        its messages are the build's (one that warns is left to it by from_the_end)."""
        path, name = self.plan_pages[src_uri]
        body = self._body(src_uri, path)
        if body is None:
            return None
        markdown = body.lstrip("\n")
        heard = _Heard()
        told, self.log = self.log, logging.LoggerAdapter(heard.logger)
        try:
            made = self.page_markdown(src_uri, name, markdown, {}, use_directory_urls=self.use_directory_urls)
        finally:
            self.log = told
        blocks = self.blocks.pages.pop(src_uri, {})
        if heard.records:
            return None
        return markdown, name, made, blocks

    def page_markdown(self, src_uri: str, file_name: str, markdown: str, meta: Mapping[str, Any],
                      *, use_directory_urls: bool) -> PageMarkdown:
        """The page's Markdown with its macros rendered, and the meta the theme may see."""
        if src_uri in self.generated:
            # Made by write_generated with plan text in it, which must never reach Jinja.
            return PageMarkdown(htmlblocks.keep_generated_blocks(markdown, self.blocks.keeper(src_uri)))
        if self.plans_ahead is not None and (ahead := self.plans_ahead.take(src_uri)) is not None:
            made_from, name, made, blocks = ahead
            if made_from == markdown and name == file_name and isinstance(made, PageMarkdown):
                self.blocks.pages[src_uri] = blocks
                return made
        checked = self.files.get(src_uri)
        plan = checked.plan if checked is not None else None
        if plan is not None:
            # A plan's meta is its checked tags only (see theme_safe_meta), and its title is
            # its account, wherever the theme shows a title.
            new_meta = theme_safe_meta({"tags": list(plan.tags)}, is_plan=True)
            new_meta["title"] = escape(plan.account or file_name)
            macros = plan_macros(plan, self.settings, self.today, actuals=self.actuals)
        else:
            new_meta = theme_safe_meta(dict(checked.page_meta) if checked is not None else meta,
                                       is_plan=False)
            macros = portfolio_macros(
                self.files, self.settings, self.today, page_uri=src_uri,
                use_directory_urls=use_directory_urls, actuals=self.actuals,
                owner_page=owner_pages(self.owners), other_problems=self.actuals_problems)
        page_problems = list(checked.problems) if checked is not None else []
        # A plan with AP401 (template code other than a macro call) is not rendered at all:
        # under serve its text is shown as written, under its problems; `build` stopped in check.
        refused = plan is not None and any(p.code == "AP401" for p in page_problems)
        # The fast path (see accountplans.site.htmlblocks): generated blocks kept out of Markdown.
        keep = self.blocks.keeper(src_uri) if checked is not None and not refused \
            and htmlblocks.plain_markdown(markdown, macros) else None
        if keep is not None:
            macros = htmlblocks.kept_macros(macros, keep)
        macros = {**macros, **self.team.functions}  # Markdown, converted as the page's own text
        try:
            if keep is not None and (filled := htmlblocks.fill_in(markdown, macros)) is not None:
                markdown = filled
            elif not refused:
                markdown = self.render(markdown, macros, self.settings.team_macros,
                                       self.settings.language)
        except TemplateFailed as err:
            shown = checked.path if checked is not None else src_uri
            body_line = checked.body_line if checked is not None else 1
            found = problem(shown, body_line + max(err.line, 1) - 1, 0, "AP401", gettext(
                "{error}; remove it or call a known macro", self.settings.language,
                error=err.message))
            self.log.error(str(found))
            page_problems.append(found)
            if not self.serving:
                raise BuildStopped(gettext("{path}: template code failed, see above",
                                           self.settings.language, path=shown)) from None
        if plan is not None:
            # After rendering: the block holds plan text, which must never reach Jinja.
            facts = key_facts(plan, self.settings, self.today)
            markdown = insert_key_facts(markdown, keep(facts) if keep is not None else facts)
        if self.serving and page_problems:
            markdown = problems_box(page_problems, self.settings.language) + "\n\n" + markdown
        return PageMarkdown(markdown, new_meta)

    def page_html(self, src_uri: str, markdown: str | None, html_text: str) -> str:
        """What the reader gets: the page's HTML through the site's sanitizer. The check
        reported (AP402) anything it removes; a page it let through that the sanitizer still
        changes is counted, and stops the build in `release`: never published unsanitized."""
        if markdown and may_hold_html(markdown, self.markdown):
            found = removed(html_text)
            checked = self.files.get(src_uri)
            if found and not (checked and any(p.code == "AP402" for p in checked.problems)):
                shown = checked.path if checked else src_uri
                self.log.error(str(problem(
                    shown, checked.body_line if checked else 0, 0, "AP402", gettext(
                        "the site's HTML sanitizer removes {what} from the page as built; remove "
                        "the HTML and write plain Markdown", self.settings.language,
                        what=found[0].text(self.settings.language)))))
                self.late_errors += 1
        return clean(html_text)

    @staticmethod
    def plain_title(title: str) -> str:
        """A title from the first heading, as text: it may hold markup or entities, and
        Material prints titles unescaped (or decoded by `striptags`)."""
        return text_only(title)

    def release(self, page_folders: Sequence[str] = ()) -> None:
        """Every page is converted (MkDocs converts them all before it renders the first), and
        nothing later reads the parsed plans: releasing them lets the search index, which
        grows while pages are rendered, reuse their memory. Stops a `build` whose pages held
        HTML the sanitizer removed (`page_html`).

        Under `build`, the child that writes the downloads first makes `page_folders`, the
        folders MkDocs writes the pages into next (one per page): on a disk, making a folder
        costs about as much as writing the page, and MkDocs then finds it made."""
        self._stop_plans_ahead()
        self._pages_written()
        if self.serving:
            self._downloads_written()
        if self.late_errors and not self.serving:
            raise BuildStopped(ngettext(
                "{n} page holds HTML the site's sanitizer removes, listed above; fix it and "
                "build again",
                "{n} pages hold HTML the site's sanitizer removes, listed above; fix them and "
                "build again", self.late_errors, self.settings.language, n=self.late_errors))
        if self.write_downloads is not None:
            # Before the plans are let go of below (the child has its own copy of them), and
            # while every plan's figures are still kept (the child reuses them).
            write_downloads = self.write_downloads

            def folders_then_downloads() -> None:
                for folder in page_folders:
                    os.makedirs(folder, exist_ok=True)
                write_downloads()

            self.downloads_beside = beside.run_beside(folders_then_downloads)
            self.write_downloads = None
        self.files = {}
        self.owners = []
        self.actuals = None
        memo.keep_build_results(False)

    def put_back(self, src_uri: str, html_text: str) -> str:
        """The page's kept blocks back in its converted HTML (those search leaves out wait)."""
        return self.blocks.put_back(src_uri, html_text)

    def put_back_unindexed(self, src_uri: str, html_text: str) -> str:
        """The blocks search leaves out back in the rendered page."""
        return self.blocks.put_back_unindexed(src_uri, html_text)

    def finish(self, warnings_counted: bool) -> Path | None:
        """The downloads are in the site now: their temporary folder goes. The staging folder
        replaces the site, unless the build is strict and MkDocs counted warnings (it aborts
        right after). Returns the site folder to tell MkDocs again, None under `serve`."""
        self._downloads_written()
        if self.staging is not None and self.downloads is not None:
            for uri in self.downloads_late:
                target = self.staging / uri
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(self.downloads / uri, target)
        self._remove_downloads()
        if self.staging is None or self.site_dir is None:
            return None
        if self.strict and warnings_counted:
            staging.discard(self.staging)
        else:
            staging.replace_site(self.staging, self.site_dir)
        return self.site_dir

    def abandon(self) -> None:
        """The build failed: the temporary folders go, the last site stays whole."""
        memo.keep_build_results(False)
        self._stop_plans_ahead()
        self.pages_beside.cancel()
        self.downloads_beside.cancel()
        self._remove_downloads()
        if self.staging is not None:
            staging.discard(self.staging)

    def _stop_plans_ahead(self) -> None:
        if self.plans_ahead is not None:
            self.plans_ahead.stop()
        self.plan_pages = {}

    def _remove_downloads(self) -> None:
        if self.downloads is not None:
            staging.discard(self.downloads)
            self.downloads = None


@dataclass
class _ChecksBeside:
    """The checker of a `build`: a child checks the files from the last one back while the
    build checks them from the first, each file checked by whichever gets to it first
    (accountplans.site.beside.from_the_end); the build takes a file the child checked as the
    checked file it would have made itself (the same function on the same bytes)."""

    settings: Settings
    markdown: MarkdownSetup
    ahead: beside.FromTheEnd | None = None

    def start(self, jobs: Sequence[tuple[Path, str]]) -> Checker:
        """Forks the child for `jobs` (path, as shown), in the order the build checks them."""
        shown = {str(path): as_shown for path, as_shown in jobs}
        self.ahead = beside.from_the_end(
            list(shown), lambda key: check_file(Path(key), shown[key], self.settings, self.markdown))
        return self.check

    def check(self, path: Path, shown: str, settings: Settings, markdown: MarkdownSetup) -> CheckedFile:
        made = self.ahead.take(str(path)) if self.ahead is not None else None
        return made if isinstance(made, CheckedFile) else check_file(path, shown, settings, markdown)

    def stop(self) -> None:
        if self.ahead is not None:
            self.ahead.stop()
            self.ahead = None


class _Heard(logging.Handler):
    """Keeps what is logged to its own logger, not MkDocs' (see SiteBuild.plan_page_ahead)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.logger = logging.Logger("accountplans.beside")
        self.logger.propagate = False
        self.logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _relative(docs_dir: Path, root: Path) -> str:
    """The docs folder as check names its files, relative to the project (`plans/`)."""
    try:
        rel = os.path.relpath(docs_dir, root)
    except ValueError:
        return ""
    return "" if rel == "." else rel.replace(os.sep, "/") + "/"
