"""Site search with Pagefind: what each page gives the index, and running the indexer.

Why Pagefind (README "Search"): it builds a static, chunked index after the site is built, so
a reader's first query downloads a few hundred kilobytes at any number of plans instead of the
whole index, and it stems Dutch and English words (webshops -> webshop, leveranciers ->
leverancier). It runs as a binary from the `pagefind_bin` wheel; nothing here is a search
engine of our own.

Pagefind keeps one index per language (a page's `<html lang>`) and a query is stemmed with the
stemmer of the index it searches. So the site has one bundle per language,
`pagefind/<lang>/`, and the search box queries every bundle (see
theme_overrides/assets/javascripts/search.js): a Dutch word form finds a Dutch plan with the
Dutch stemmer, an English one an English plan, from the same box.

What is indexed is a copy of each page's article only (not the navigation, header or
footer, which make up most of a page's bytes), written to a temporary folder per language while
pages are written (in memory where the machine has room: scratch_folder). Pagefind reads those
small files instead of the site's pages: about half the indexing time. In the copy, the
blocks that name the account, its contacts and its products weigh more, so a plan comes first
for its own names, and the blocks nobody searches for are left out (the same blocks Material's
search left out: `data-search-exclude`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from accountplans.i18n import gettext
from accountplans.site.markup import Html

__all__ = [
    "BUNDLE_DIR",
    "EXCLUDE_SELECTOR",
    "WEIGHTS",
    "IndexSources",
    "Indexing",
    "PageKind",
    "index_page",
    "page_kind",
    "pagefind_command",
    "pagefind_executable",
    "plain_title",
    "scratch_folder",
    "with_language",
]

BUNDLE_DIR = "pagefind"
"""The bundles' folder in the site: `pagefind/<lang>/pagefind.js`."""

EXCLUDE_SELECTOR = "[data-search-exclude]"
"""Blocks left out of search (accountplans.site.htmlblocks.SEARCH_EXCLUDE): month tables, charts,
the dashboard's and owner pages' plan tables."""

WEIGHTS: Mapping[str, str] = {
    # Pagefind weighs an <h1> (the plan's account) 7 and ordinary text 1, on a scale to 10.
    "accountplans-keyfacts": "5",      # account, owner, decision makers
    "accountplans-contacts": "5",      # every contact's name and role
    "accountplans-quarters": "4",      # the products (first column of the targets table)
    "accountplans-milestones": "2",    # milestone titles and whom they are with
}
"""Class of a generated block -> weight of its words in the index."""

IGNORED = frozenset({"accountplans-computed", "accountplans-evaluations", "accountplans-visits"})
"""Generated sentences that are the same on every plan ("computed for", the evaluation and
visit cadence): left out of the index, they only make it larger."""

_ARTICLE_START = '<article class="md-content__inner md-typeset">'
_ARTICLE_END = "</article>"
_TAG = re.compile(r"<[^>]*>")
_HTML_LANG = re.compile(r'<html lang="[^"]*"')
_CLASSED_START_TAG = re.compile(r'<(?P<tag>[a-z][a-z0-9]*)(?P<before>[^<>]*?) class="(?P<classes>[^"<>]*)"')
_LANGUAGE_LINE = re.compile(
    r"""^(?:language|"language"|'language')[ \t]*:[ \t]*["']?([a-z]{2})["']?[ \t]*(?:#.*)?$""", re.MULTILINE)
_ACCOUNT_LINE = re.compile(r"""^(?:account|"account"|'account')[ \t]*:""", re.MULTILINE)


@dataclass(frozen=True)
class PageKind:
    """What search needs to know of a page before it is indexed."""

    language: str
    is_plan: bool


def page_kind(front_matter: str | None, default: str, languages: Iterable[str]) -> PageKind:
    """A page's language and whether it is a plan: a plan's `language:` (one of
    `languages`), else `default` (the site's, `extra.accountplans.language`).

    Read from the page's front-matter text with a line match, not YAML: the checks have
    already parsed and validated it (AP005 for another value, AP003 for a second key), and the
    build has released the parsed plans by the time pages are written. A top-level key is the
    only one at the start of a line.
    """
    if front_matter is None or not _ACCOUNT_LINE.search(front_matter):
        return PageKind(default, is_plan=False)
    found = _LANGUAGE_LINE.search(front_matter)
    if found is None or found.group(1) not in languages:
        return PageKind(default, is_plan=True)
    return PageKind(found.group(1), is_plan=True)


def with_language(html: str, language: str) -> str:
    """The page with `<html lang>` set to its language: the theme writes the site's on every
    page, but a Dutch plan is Dutch (screen readers, hyphenation, and Pagefind's index)."""
    start_tag = Html('<html lang="{}"').format(language)
    return _HTML_LANG.sub(lambda _: start_tag, html, count=1)


def index_page(html: str, *, kind: PageKind, title: str) -> Html | None:
    """What Pagefind indexes of a rendered page: its article, weighted, in a small page of
    its own; None for a page without Material's article (nothing to find there).

    `title` is the page's title as plain text (a plan's is its account): the result's title.
    The page's `kind` filter (`plan` or `page`) lets the search box list plans before the pages
    across plans (dashboard, owner and quarter pages), which name the same accounts and
    products in their roll-ups.
    """
    start = html.find(_ARTICLE_START)
    end = html.rfind(_ARTICLE_END)
    if start < 0 or end < start:
        return None
    article = _weighted_article(html[start + len(_ARTICLE_START):end])
    # Table cells are words apart (Pagefind joins the text of adjacent cells into one word).
    article = article.replace("</th><", "</th> <").replace("</td><", "</td> <").replace("</tr><", "</tr> <")
    return Html('<!doctype html>\n<html lang="{}"><head><meta charset="utf-8">'
                '<meta data-pagefind-meta="title[content]" content="{}">'
                '</head><body data-pagefind-filter="kind:{}">{}</body></html>\n').format(
        kind.language, title, "plan" if kind.is_plan else "page", Html(article))  # the page's own HTML


def plain_title(title: str) -> str:
    """A page title as text: the theme's titles may hold markup or entities (`&amp;`)."""
    return unescape(_TAG.sub("", title)).strip()


_CLASS_NAMES = re.compile("|".join(re.escape(name) for name in sorted({*WEIGHTS, *IGNORED})))


def _weighted_article(article: str) -> str:
    """The article with its start tags weighted (_weighted): what
    `_CLASSED_START_TAG.sub(_weighted, article)` gives, found from where the class names of
    WEIGHTS and IGNORED occur, not by matching every tag (a seventh of the time at 1000 plans).
    A match starts at a `<` and holds no other `<`, so the tag of a name is the one whose `<`
    comes last before it; only a name inside that tag's class attribute can change it."""
    pieces: list[str] = []
    cursor = 0
    for name in _CLASS_NAMES.finditer(article):
        at = name.start()
        start = article.rfind("<", 0, at)
        if at < cursor or start < cursor:
            continue
        tag = _CLASSED_START_TAG.match(article, start)
        if tag is None or not tag.start("classes") <= at < tag.end("classes"):
            continue
        pieces += [article[cursor:start], _weighted(tag)]
        cursor = tag.end()
    pieces.append(article[cursor:])
    return "".join(pieces)


def _weighted(tag: re.Match[str]) -> str:
    classes = tag["classes"].split()
    extra = ""
    if IGNORED.intersection(classes):
        extra = " data-pagefind-ignore"
    else:
        weights = [WEIGHTS[c] for c in classes if c in WEIGHTS]
        if weights:
            extra = f' data-pagefind-weight="{max(weights, key=float)}"'
    return f'<{tag["tag"]}{tag["before"]}{extra} class="{tag["classes"]}"' if extra else tag[0]


# Only ever used through tempfile.mkdtemp(dir=...): a folder of our own, made safely there.
MEMORY_FOLDER = "/dev/shm"  # noqa: S108
"""A folder in memory (tmpfs) on Linux, where most machines have one."""

MEMORY_ROOM = 1 << 30
"""The room the memory folder must have free to be used: the copies take about 30 KB a
page (30 MB at 1000 plans), so a small one (a container's 64 MB) is left alone."""


def scratch_folder(environ: Mapping[str, str], memory: str = MEMORY_FOLDER,
                   room: int = MEMORY_ROOM) -> str | None:
    """Where the page copies go (IndexSources): the memory folder if it is writable and has
    `room` free, unless TMPDIR names a temporary folder; None for the system's temporary
    folder. The copies are written, read once by Pagefind and removed: on a disk that costs
    seconds of waiting at 1000 plans (a file and a folder per page written, then removed), in
    memory a tenth of a second."""
    if environ.get("TMPDIR"):
        return None
    try:
        usable = (os.path.isdir(memory) and os.access(memory, os.W_OK)
                  and shutil.disk_usage(memory).free >= room)
    except OSError:
        return None
    return memory if usable else None


@dataclass
class IndexSources:
    """The pages to index, written while the site is written: `<folder>/<lang>/<dest path>`,
    so each language is indexed by a Pagefind run of its own.

    When the build knows in advance how many pages of each language it writes (`expect`), a
    language is indexed as soon as its last page is written (`written`), while the build
    writes the other languages' pages. A page of a language whose index was started already
    makes that language `late`: it is indexed again, after the build's pages."""

    folder: Path
    languages: set[str] = field(default_factory=set)
    pages: int = 0
    due: dict[str, int] = field(default_factory=dict)
    """Per language, the pages still to be written (`expect`)."""
    closed: set[str] = field(default_factory=set)
    """The languages whose last page was written (`written`)."""
    late: set[str] = field(default_factory=set)
    """Closed languages that got a page after all: their index is made again."""

    def add(self, dest_path: str, language: str, page: str) -> None:
        path = self.folder / language / dest_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
        self.languages.add(language)
        self.pages += 1

    def expect(self, languages: Iterable[str]) -> None:
        """The language of every page the build will write, one per page."""
        self.due = dict(Counter(languages))

    def written(self, language: str) -> bool:
        """A page of `language` was written (a copy added or not): True when it was the last
        one due, and the language can be indexed now."""
        if language in self.closed:
            self.late.add(language)
            return False
        left = self.due.get(language, 0) - 1
        if left < 0:
            return False  # not expected: indexed with the rest, after the pages
        self.due[language] = left
        if left == 0 and language in self.languages:
            self.closed.add(language)
            return True
        return False

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def pagefind_command(executable: Path, source: Path, output: Path) -> list[str]:
    """The Pagefind run that indexes one language's pages into its bundle."""
    return [str(executable), "--site", str(source), "--output-path", str(output),
            "--exclude-selectors", EXCLUDE_SELECTOR, "--silent"]


def pagefind_executable() -> Path:
    """The binary the `pagefind_bin` wheel ships (a dependency in pyproject.toml)."""
    import pagefind_bin  # type: ignore[import-untyped]  # only a build that indexes needs it

    return Path(pagefind_bin.get_executable())


@dataclass
class Indexing:
    """Pagefind running over one build's sources, one process per language (in parallel: the
    build itself is single-threaded, so each run has a core while the machine has two)."""

    sources: IndexSources
    site_dir: Path
    executable: Path
    language: str = "en"
    """The language of the problems' sentences (the site's)."""
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    """One sentence per language whose index could not be made."""
    done: threading.Event = field(default_factory=threading.Event)
    started: float = 0.0
    seconds: float = 0.0
    """Wall-clock time from the first start() until every run ended."""
    cpu_seconds: float = 0.0
    """User + system time of the runs (each process's own, as the kernel counted it)."""
    waiter: threading.Thread | None = None
    """The thread of wait_in_background, once started."""

    def start(self, languages: Iterable[str] | None = None) -> None:
        """Pagefind for each of `languages` (all of the sources' when None) not started yet;
        a late language (IndexSources.late) is started again."""
        bundles = self.site_dir / BUNDLE_DIR
        if not self.started:
            self.started = time.perf_counter()
            shutil.rmtree(bundles, ignore_errors=True)
        for language in sorted(self.sources.languages if languages is None else languages):
            if language in self.processes and language in self.sources.late:
                self._stop(self.processes.pop(language))
                shutil.rmtree(bundles / language, ignore_errors=True)
                self.sources.late.discard(language)
            if language not in self.processes:
                self.processes[language] = subprocess.Popen(
                    pagefind_command(self.executable, self.sources.folder / language, bundles / language),
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    @staticmethod
    def _stop(process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.terminate()
        process.wait()
        if process.stderr is not None:
            process.stderr.close()

    def wait(self) -> list[str]:
        """Wait for every run, remove the sources; the problems, one sentence each."""
        try:
            for language, process in self.processes.items():
                err = b""
                if process.stderr is not None:
                    with process.stderr:
                        err = process.stderr.read()
                try:
                    _, status, usage = os.wait4(process.pid, 0)
                except ChildProcessError:
                    # Already reaped by cancel()'s poll(): a newer build stopped this run.
                    continue
                process.returncode = os.waitstatus_to_exitcode(status)
                self.cpu_seconds += usage.ru_utime + usage.ru_stime
                if process.returncode not in (0, -15):  # -15: cancelled by a newer build
                    message = err.decode("utf-8", "replace").strip().splitlines()
                    self.problems.append(gettext(
                        "Pagefind could not index the pages in {pages} (exit {code}{detail}); search "
                        "finds none of them until the next build", self.language, pages=language,
                        code=process.returncode, detail=": " + message[-1] if message else ""))
        finally:
            self.seconds = time.perf_counter() - self.started
            self.sources.remove()
            self.done.set()
        return self.problems

    def wait_in_background(self, report: Callable[[list[str]], object]) -> threading.Thread:
        """For `mkdocs serve`: the page reloads now, the index follows a few seconds later;
        `report` gets the problems."""
        thread = threading.Thread(target=lambda: report(self.wait()), name="pagefind", daemon=True)
        self.waiter = thread
        thread.start()
        return thread

    def cancel(self) -> None:
        """Stop the runs: of an older `serve` build (a newer one started; the thread of
        wait_in_background reaps them), or of a build that failed after its first language's
        run started (nothing waits for them: reaped here)."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        if self.waiter is not None:
            self.done.wait(timeout=30)
        elif not self.done.is_set():
            self.wait()
