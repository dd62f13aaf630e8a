"""accountplans.site.search: what each page gives Pagefind, and a real Pagefind run over it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from accountplans.site import search
from conftest import copy_project
from hypothesis import given
from hypothesis import strategies as st
from plan_factory import TODAY, build_site, epoch

LANGUAGES = ("en", "nl")
PLAN = "account: Bakkerij B.V.\nowner: Sanne\nlanguage: nl\n"

ARTICLE_PAGE = """<!doctype html>
<html lang="en" class="no-js"><head><title>x</title></head><body>
<nav class="md-nav">Navigation words</nav>
<article class="md-content__inner md-typeset">
<h1 id="a">Bakkerij B.V.</h1>
<div class="accountplans-keyfacts" role="group"><dl><div><dt>Klant</dt><dd>Bakkerij B.V.</dd></div></dl>
<p class="accountplans-computed">Berekend voor 19 nov 2026.</p></div>
<p>Wij leveren de webshop.</p>
<table class="accountplans-targets accountplans-quarters"><tr><th>Product</th><th>Q1</th></tr>
<tr><th>Kassa</th><td>5</td></tr></table>
<table class="accountplans-targets accountplans-months" data-search-exclude>
<tr><td>jan feb mrt</td></tr></table>
</article>
<footer>Footer words</footer></body></html>"""


def test_plan_page_has_the_plans_language() -> None:
    """A plan's `language:` is its page's language, and it is a plan."""
    assert search.page_kind(PLAN, "en", LANGUAGES) == search.PageKind("nl", is_plan=True)


def test_quoted_language_is_read() -> None:
    """A quoted key or value with a comment after it still gives the language."""
    front = "account: X\n'language': \"nl\"  # Dutch team\n"
    assert search.page_kind(front, "en", LANGUAGES).language == "nl"


def test_plan_without_language_has_the_sites() -> None:
    """A plan that sets no language is in the site's language."""
    assert search.page_kind("account: X\nowner: Y\n", "nl", LANGUAGES) == search.PageKind("nl", is_plan=True)


def test_nested_language_key_is_not_the_plans() -> None:
    """Only a top-level `language:` counts, not one indented under another key."""
    front = "account: X\norganisation:\n  language: nl\n"
    assert search.page_kind(front, "en", LANGUAGES).language == "en"


def test_page_without_account_is_not_a_plan() -> None:
    """A page without `account:` (dashboard, help) is a page across plans, in the site's language."""
    assert search.page_kind("title: Help\nlanguage: nl\n", "en", LANGUAGES) == search.PageKind("en", False)
    assert search.page_kind(None, "en", LANGUAGES) == search.PageKind("en", False)


def test_unknown_language_falls_back_to_the_sites() -> None:
    """A language the site does not have (already an AP005 error) gives the site's."""
    assert search.page_kind("account: X\nlanguage: fr\n", "en", LANGUAGES).language == "en"


def test_with_language_sets_the_html_lang() -> None:
    """The page's <html lang> becomes its language, once."""
    out = search.with_language(ARTICLE_PAGE, "nl")
    assert out.startswith('<!doctype html>\n<html lang="nl" class="no-js">')
    assert out.count('lang="nl"') == 1


def test_index_page_keeps_only_the_article() -> None:
    """The indexed copy holds the article, not the navigation or the footer."""
    page = search.index_page(ARTICLE_PAGE, kind=search.PageKind("nl", True), title="Bakkerij B.V.")
    assert page is not None
    assert "Wij leveren de webshop." in page
    assert "Navigation words" not in page and "Footer words" not in page
    assert '<html lang="nl">' in page


def test_index_page_weighs_the_blocks_that_name_the_plan() -> None:
    """Key facts and the products table weigh more; the 'computed for' line is ignored."""
    page = search.index_page(ARTICLE_PAGE, kind=search.PageKind("nl", True), title="B")
    assert page is not None
    assert '<div data-pagefind-weight="5" class="accountplans-keyfacts"' in page
    assert '<table data-pagefind-weight="4" class="accountplans-targets accountplans-quarters"' in page
    assert '<p data-pagefind-ignore class="accountplans-computed">' in page


def test_index_page_marks_plans_and_other_pages() -> None:
    """A plan's copy has the filter kind:plan, any other page's kind:page."""
    plan = search.index_page(ARTICLE_PAGE, kind=search.PageKind("en", True), title="B")
    other = search.index_page(ARTICLE_PAGE, kind=search.PageKind("en", False), title="B")
    assert plan is not None and '<body data-pagefind-filter="kind:plan">' in plan
    assert other is not None and '<body data-pagefind-filter="kind:page">' in other


def test_index_page_title_is_escaped_text() -> None:
    """The result title is the page title as text, escaped in its attribute."""
    title = search.plain_title("Zoet &amp; Zout <em>B.V.</em>")
    assert title == "Zoet & Zout B.V."
    page = search.index_page(ARTICLE_PAGE, kind=search.PageKind("nl", True), title='A "B" <c>')
    assert page is not None
    assert 'content="A &quot;B&quot; &lt;c&gt;"' in page


def test_page_without_article_is_not_indexed() -> None:
    """A page without Material's article (a redirect, a bare page) gives nothing to index."""
    assert search.index_page("<html lang=\"en\"><body>x</body></html>",
                             kind=search.PageKind("en", False), title="x") is None


def _fragments(bundle: Path) -> list[dict[str, object]]:
    """Pagefind's per-page records (gzipped, after a signature) of one bundle."""
    out = []
    for path in sorted((bundle / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        out.append(json.loads(data[data.index(b"{"):]))
    return out


def test_pagefind_indexes_each_language_into_its_bundle(tmp_path: Path) -> None:
    """A real Pagefind run: one bundle per language, excluded blocks left out."""
    sources = search.IndexSources(tmp_path / "sources")
    nl = search.index_page(ARTICLE_PAGE, kind=search.PageKind("nl", True), title="Bakkerij B.V.")
    en = search.index_page(ARTICLE_PAGE.replace("Wij leveren", "We deliver"),
                           kind=search.PageKind("en", True), title="Bakery")
    assert nl is not None and en is not None
    sources.add("bakkerij/index.html", "nl", nl)
    sources.add("bakery/index.html", "en", en)
    site = tmp_path / "site"
    indexing = search.Indexing(sources, site, search.pagefind_executable())
    indexing.start()
    assert indexing.wait() == []
    for language, url in (("nl", "/bakkerij/"), ("en", "/bakery/")):
        bundle = site / search.BUNDLE_DIR / language
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [language]
        (fragment,) = _fragments(bundle)
        assert fragment["url"] == url
        assert "jan feb mrt" not in str(fragment["content"])
        assert "Berekend voor" not in str(fragment["content"])
    assert not sources.folder.exists()


def test_failed_pagefind_run_is_one_sentence(tmp_path: Path) -> None:
    """A language whose sources Pagefind cannot index is reported, not raised."""
    sources = search.IndexSources(tmp_path / "sources")
    sources.add("a/index.html", "nl", "<html lang=\"nl\"><body></body></html>")
    (sources.folder / "nl" / "a" / "index.html").unlink()  # nothing left to index
    indexing = search.Indexing(sources, tmp_path / "site", search.pagefind_executable())
    indexing.start()
    (problem,) = indexing.wait()
    assert problem.startswith("Pagefind could not index the pages in nl (exit 1")


def test_failed_pagefind_run_in_the_sites_language(tmp_path: Path) -> None:
    """A Dutch site's failed index is reported in Dutch."""
    sources = search.IndexSources(tmp_path / "sources")
    sources.add("a/index.html", "nl", "<html lang=\"nl\"><body></body></html>")
    (sources.folder / "nl" / "a" / "index.html").unlink()
    indexing = search.Indexing(sources, tmp_path / "site", search.pagefind_executable(), "nl")
    indexing.start()
    (problem,) = indexing.wait()
    assert problem.startswith("Pagefind kon de pagina's in nl niet indexeren (exit 1")


def test_page_copies_go_to_memory_when_it_has_room(tmp_path: Path) -> None:
    """A writable memory folder with room takes the copies (no disk writes to wait for)."""
    assert search.scratch_folder({}, str(tmp_path), room=1) == str(tmp_path)


def test_page_copies_stay_in_the_temporary_folder_without_room(tmp_path: Path) -> None:
    """A memory folder with less room than asked (a container's small one) is left alone."""
    assert search.scratch_folder({}, str(tmp_path), room=1 << 62) is None


def test_page_copies_follow_tmpdir(tmp_path: Path) -> None:
    """TMPDIR names where temporary files go: it wins over the memory folder."""
    assert search.scratch_folder({"TMPDIR": str(tmp_path)}, str(tmp_path), room=1) is None


def test_page_copies_without_a_memory_folder(tmp_path: Path) -> None:
    """No memory folder (not Linux): the system's temporary folder."""
    assert search.scratch_folder({}, str(tmp_path / "missing"), room=1) is None


# Pieces of markup around the class names that count: in a class attribute (first or not),
# in another attribute, in text, a tag with two class attributes, a `>` inside a value.
_MARKUP_PIECES = [
    '<div class="accountplans-keyfacts">', '<td class="accountplans-money">', "</div>", "</td>",
    '<p class="accountplans-computed x">', '<table class="accountplans-targets accountplans-quarters">',
    '<div id="accountplans-contacts" class="y">', '<span title="a > b" class="accountplans-visits">',
    '<div class="x" class="accountplans-milestones">', "accountplans-evaluations", " text ",
    '<a href="#accountplans-keyfacts">', '<li class="accountplans-keyfacts-row">', "<", ">", '"',
    '<ul class="accountplans-contactsx accountplans-contacts">', "<br>",
]


@given(st.lists(st.sampled_from(_MARKUP_PIECES), max_size=25))
def test_weighted_article_is_the_tag_by_tag_rewrite(pieces: list[str]) -> None:
    """Weighing from where the class names occur gives what rewriting every start tag gives."""
    article = "".join(pieces)
    assert search._weighted_article(article) == search._CLASSED_START_TAG.sub(search._weighted, article)


def _sources(tmp_path: Path, *pages: tuple[str, str]) -> search.IndexSources:
    """Sources with a Dutch or English copy of ARTICLE_PAGE at each (path, language)."""
    sources = search.IndexSources(tmp_path / "sources")
    for path, language in pages:
        copy = search.index_page(ARTICLE_PAGE, kind=search.PageKind(language, True), title=path)
        assert copy is not None
        sources.add(path, language, copy)
    return sources


def test_a_language_closes_with_its_last_expected_page(tmp_path: Path) -> None:
    """written() is True for the last page due of a language, and only then."""
    sources = _sources(tmp_path, ("a/index.html", "nl"))
    sources.expect(["nl", "en", "nl"])
    assert [sources.written("nl"), sources.written("en"), sources.written("nl")] == [False, False, True]
    assert sources.closed == {"nl"} and sources.late == set()


def test_a_page_after_its_language_closed_is_late(tmp_path: Path) -> None:
    """A page of a closed language makes it late; one of a language never expected changes nothing."""
    sources = _sources(tmp_path, ("a/index.html", "nl"))
    sources.expect(["nl"])
    assert sources.written("nl")
    assert [sources.written("nl"), sources.written("de")] == [False, False]
    assert sources.late == {"nl"} and sources.closed == {"nl"}


def test_a_closed_language_is_indexed_before_the_others(tmp_path: Path) -> None:
    """start(["nl"]) runs Dutch only; start() then runs the languages not started."""
    sources = _sources(tmp_path, ("a/index.html", "nl"), ("b/index.html", "en"))
    indexing = search.Indexing(sources, tmp_path / "site", search.pagefind_executable())
    indexing.start(["nl"])
    assert list(indexing.processes) == ["nl"]
    indexing.start()
    assert sorted(indexing.processes) == ["en", "nl"]
    assert indexing.wait() == []
    assert [len(_fragments(tmp_path / "site" / search.BUNDLE_DIR / lang)) for lang in ("en", "nl")] == [1, 1]


def test_a_late_language_is_indexed_again_with_its_late_page(tmp_path: Path) -> None:
    """A language started early that gets another page is indexed again, that page in it."""
    sources = _sources(tmp_path, ("a/index.html", "nl"))
    sources.expect(["nl"])
    indexing = search.Indexing(sources, tmp_path / "site", search.pagefind_executable())
    assert sources.written("nl")
    indexing.start(["nl"])
    late = search.index_page(ARTICLE_PAGE, kind=search.PageKind("nl", True), title="late")
    assert late is not None
    sources.add("late/index.html", "nl", late)
    assert not sources.written("nl")
    indexing.start()
    assert indexing.wait() == []
    urls = sorted(str(f["url"]) for f in _fragments(tmp_path / "site" / search.BUNDLE_DIR / "nl"))
    assert urls == ["/a/", "/late/"]


def test_cancel_of_a_build_reaps_its_runs(tmp_path: Path) -> None:
    """A build that fails after a language's run started: cancel() ends and reaps the run,
    and the copies go, though no thread waits for them."""
    sources = _sources(tmp_path, ("a/index.html", "nl"))
    indexing = search.Indexing(sources, tmp_path / "site", search.pagefind_executable())
    indexing.start(["nl"])
    indexing.cancel()
    assert indexing.done.is_set() and not sources.folder.exists()
    assert all(process.returncode is not None for process in indexing.processes.values())


def test_build_indexes_the_dutch_plans_while_english_pages_are_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real build starts the Dutch index when its last Dutch page is written, before the
    English pages after it (owner and quarter pages), and the Dutch bundle holds every Dutch plan."""
    project = copy_project(tmp_path / "project")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    started: list[tuple[list[str] | None, int]] = []
    start = search.Indexing.start

    def recorded(self: search.Indexing, languages: list[str] | None = None) -> None:
        started.append((None if languages is None else list(languages), self.sources.pages))
        start(self, languages)

    monkeypatch.setattr(search.Indexing, "start", recorded)
    site = build_site(project)
    (nl_first, pages_then), *rest = started
    assert nl_first == ["nl"] and rest[-1][0] is None
    assert pages_then < rest[-1][1]
    urls = sorted(str(f["url"]) for f in _fragments(site / search.BUNDLE_DIR / "nl"))
    assert urls == ["/bakkerij-van-dijk/", "/installatiebedrijf-verhoef/", "/zorggroep-de-linde/"]


def test_cancel_after_the_runs_were_waited_for_changes_nothing(tmp_path: Path) -> None:
    """on_shutdown cancels a build's finished indexing: nothing is waited for twice."""
    sources = _sources(tmp_path, ("a/index.html", "nl"))
    indexing = search.Indexing(sources, tmp_path / "site", search.pagefind_executable())
    indexing.start()
    assert indexing.wait() == []
    indexing.cancel()
    assert indexing.problems == [] and (tmp_path / "site" / search.BUNDLE_DIR / "nl" / "pagefind.js").exists()
