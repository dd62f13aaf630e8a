"""Search on a built site (issue 15), in a real `mkdocs build` and a real Chromium.

The site is the project with two plans of tests/data/search/ instead of the example plans: a
Dutch one that writes "webshop" and "leverancier", an English one that writes "contract",
each with a contact whose name is only in the generated blocks. One build and one browser per
session (see browser_support.py).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.register_assert_rewrite("browser_support")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from browser_support import RecordedPage, ServedSite, pinned_today, serve  # noqa: E402
from conftest import ROOT, copy_project  # noqa: E402
from plan_factory import build_site  # noqa: E402
from playwright.sync_api import Page  # noqa: E402

pytest_plugins = ["browser_support"]

FIXTURES = ROOT / "tests" / "data" / "search"
DUTCH_PLAN = "zoet-en-zout.md"
ENGLISH_PLAN = "northwind-traders.md"
RESULT_META = re.compile(r"\d|No matching|Geen")


MATERIAL_SEARCH = re.compile(r"^  - search:\n(?:      .*\n)+", re.MULTILINE)


def _search_project(target: Path) -> Path:
    """The project (Pagefind is its search) with the fixture plans instead of the example plans."""
    project = copy_project(target)
    assert not MATERIAL_SEARCH.search((project / "mkdocs.yml").read_text(encoding="utf-8"))
    for path in (project / "plans").glob("*.md"):
        if re.search(r"^account:", path.read_text(encoding="utf-8"), re.MULTILINE):
            path.unlink()
    (project / "plans" / "actuals.csv").unlink(missing_ok=True)
    for path in FIXTURES.glob("*.md"):
        shutil.copy(path, project / "plans" / path.name)
    return project


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    base = tmp_path_factory.mktemp("search-site")
    project = _search_project(base / "project")
    with pinned_today():
        site_dir = build_site(project, base / "site")
    with serve(site_dir, project) as served:
        yield served


def _fragments(site: ServedSite) -> dict[str, str]:
    """Indexed text per URL, from every bundle's Pagefind records."""
    out: dict[str, str] = {}
    for path in (site.site_dir / "pagefind").glob("*/fragment/*"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        out[record["url"]] = record["content"]
    return out


# The built site ------------------------------------------------------------------------------

def test_build_writes_one_bundle_per_language(search_site: ServedSite) -> None:
    """`mkdocs build` leaves pagefind/nl/ and pagefind/en/ in the site, nothing of Material's search."""
    bundles = search_site.site_dir / "pagefind"
    assert (bundles / "nl" / "pagefind.js").is_file()
    assert (bundles / "en" / "pagefind.js").is_file()
    assert not (search_site.site_dir / "search" / "search_index.json").exists()


def test_plan_pages_have_the_plans_language(search_site: ServedSite) -> None:
    """A Dutch plan's page says lang="nl", an English plan's and the dashboard lang="en"."""
    def lang(rel: str) -> str:
        text = (search_site.site_dir / rel).read_text(encoding="utf-8")
        found = re.search(r'<html lang="([^"]+)"', text)
        assert found is not None
        return found.group(1)

    assert lang("zoet-en-zout/index.html") == "nl"
    assert lang("northwind-traders/index.html") == "en"
    assert lang("index.html") == "en"


def test_blocks_left_out_of_search_are_not_indexed(search_site: ServedSite) -> None:
    """The month table (data-search-exclude) is in the page but not in the index."""
    page = (search_site.site_dir / "zoet-en-zout" / "index.html").read_text(encoding="utf-8")
    assert "accountplans-months" in page
    indexed = _fragments(search_site)
    assert "Ruud Kuipers" in indexed["/zoet-en-zout/"]
    assert not any(re.search(r"\bfeb\W+mrt\W+apr\b", text, re.IGNORECASE) for text in indexed.values())


def test_roll_ups_are_indexed_once_on_the_most_specific_page(search_site: ServedSite) -> None:
    """A plan's quarter block is indexed on its owner's quarter page only; roll-up tables nowhere."""
    indexed = _fragments(search_site)
    owner_quarter = next(url for url in indexed if re.fullmatch(r"/owners/[^/]+/2027-q1/", url)
                         and "Northwind Traders" in indexed[url])
    assert "Evaluation Q1" in indexed[owner_quarter]
    team_quarter = indexed["/quarters/2027-q1/"]
    assert "Q1 2027" in team_quarter and "Evaluation Q1" not in team_quarter
    dashboard = (search_site.site_dir / "index.html").read_text(encoding="utf-8")
    assert "accountplans-totals" in dashboard and "Fleet telematics" in dashboard
    assert "Fleet telematics" not in indexed["/"]


def test_with_materials_search_plugin_nothing_is_indexed(tmp_path: Path) -> None:
    """When a team lists Material's search plugin, that is the site's search: no bundle,
    Material's own box in the header; plan pages still have their language."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("\nplugins:\n", "\nplugins:\n  - search:\n"
                                                                 "      lang: [en, nl]\n"), encoding="utf-8")
    assert MATERIAL_SEARCH.search(config.read_text(encoding="utf-8"))
    for path in FIXTURES.glob("*.md"):
        shutil.copy(path, project / "plans" / path.name)
    with pinned_today():
        site = build_site(project, tmp_path / "site")
    assert not (site / "pagefind").exists()
    assert (site / "search" / "search_index.json").is_file()
    page = (site / "zoet-en-zout" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl"' in page
    assert 'data-md-component="search"' in page and "data-accountplans-search" not in page


# In Chromium ---------------------------------------------------------------------------------

def _search(page: Page, query: str) -> list[tuple[str, str]]:
    """Type `query` into the header's box: (href, title) of each result shown."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    page.locator(".md-search-result__meta").filter(has_text=RESULT_META).first.wait_for(timeout=15_000)
    links = page.locator("a.md-search-result__link")
    return [(links.nth(i).get_attribute("href") or "", links.nth(i).locator("h1").inner_text())
            for i in range(links.count())]


def _open(page: Page, site: ServedSite, src_uri: str = "index.md") -> Page:
    page.goto(site.page_url(src_uri), wait_until="networkidle")
    return page


@pytest.mark.browser
@pytest.mark.parametrize(("query", "slug"), [("webshops", "zoet-en-zout"),
                                             ("leveranciers", "zoet-en-zout"),
                                             ("contracts", "northwind-traders")])
def test_word_forms_find_the_plan(search_site: ServedSite, recorded_page: RecordedPage,
                                  query: str, slug: str) -> None:
    """A plural finds the plan that writes the singular, Dutch and English from one box."""
    results = _search(_open(recorded_page.page, search_site), query)
    assert any(href.endswith(f"/{slug}/") for href, _ in results), results


@pytest.mark.browser
@pytest.mark.parametrize(("query", "slug"), [
    ("Banketbakkerij Zoet & Zout", "zoet-en-zout"),   # account
    ("Ruud Kuipers", "zoet-en-zout"),                  # contact only in the generated blocks
    ("Oliver Grant", "northwind-traders"),             # decision maker in the key facts
    ("Fleet telematics", "northwind-traders"),         # product, also on owner and quarter pages
    ("Kassabeheer Pro", "zoet-en-zout"),
], ids=["account", "contact", "decision-maker", "product-en", "product-nl"])
def test_names_find_their_plan_first(search_site: ServedSite, recorded_page: RecordedPage,
                                     query: str, slug: str) -> None:
    """An account, contact or product name lists its plan first, before the roll-up pages."""
    results = _search(_open(recorded_page.page, search_site), query)
    assert results and results[0][0].endswith(f"/{slug}/"), results


@pytest.mark.browser
def test_result_shows_title_and_highlighted_excerpt(search_site: ServedSite,
                                                    recorded_page: RecordedPage) -> None:
    """A result shows the plan's title (its account) and an excerpt with the match marked."""
    page = _open(recorded_page.page, search_site)
    results = _search(page, "webshop")
    assert results[0][1] == "Banketbakkerij Zoet & Zout B.V."
    excerpt = page.locator(".md-search-result__article p").first
    assert excerpt.locator("mark").first.inner_text().lower().startswith("webshop")


@pytest.mark.browser
def test_ui_words_are_in_the_pages_language(search_site: ServedSite,
                                            recorded_page: RecordedPage) -> None:
    """On a Dutch plan the box and its messages are Dutch, on the English dashboard English."""
    page = _open(recorded_page.page, search_site, DUTCH_PLAN)
    box = page.locator("input.md-search__input")
    assert box.get_attribute("placeholder") == "Zoeken"
    _search(page, "xyzzyquux")
    assert page.locator(".md-search-result__meta").inner_text() == "Geen overeenkomende documenten"
    page = _open(recorded_page.page, search_site)
    assert page.locator("input.md-search__input").get_attribute("placeholder") == "Search"


@pytest.mark.browser
def test_query_typed_right_after_load_is_answered(search_site: ServedSite,
                                                  recorded_page: RecordedPage) -> None:
    """A query typed as soon as the page has loaded (index not yet fetched) gets its results."""
    page = recorded_page.page
    page.goto(search_site.page_url("index.md"), wait_until="commit")
    box = page.locator("input.md-search__input")
    box.click()
    page.keyboard.type("contracts")
    page.locator(".md-search-result__meta").filter(has_text=RESULT_META).first.wait_for(timeout=15_000)
    assert box.input_value() == "contracts"
    hrefs = page.locator("a.md-search-result__link").evaluate_all("els => els.map(e => e.href)")
    assert any(h.endswith("/northwind-traders/") for h in hrefs), hrefs


@pytest.mark.browser
def test_keyboard_opens_searches_and_closes(search_site: ServedSite, recorded_page: RecordedPage) -> None:
    """"/" focuses the box and opens search, Enter goes to the first result, Escape closes."""
    page = _open(recorded_page.page, search_site)
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    assert box.evaluate("el => el === document.activeElement")
    assert page.locator("#__search").is_checked()
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.keyboard.press("s")
    page.keyboard.type("Oliver Grant")
    page.locator("a.md-search-result__link").first.wait_for(timeout=15_000)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/northwind-traders/")


@pytest.mark.browser
def test_search_requests_stay_on_the_sites_host(search_site: ServedSite,
                                               recorded_page: RecordedPage) -> None:
    """Loading a page and searching from it requests nothing from another host."""
    page = _open(recorded_page.page, search_site, ENGLISH_PLAN)
    _search(page, "webshops")
    page.wait_for_load_state("networkidle")
    assert any("/pagefind/nl/" in u for u in recorded_page.requests)
    assert any("/pagefind/en/" in u for u in recorded_page.requests)
    assert recorded_page.foreign_requests() == []


@pytest.mark.browser
def test_search_works_under_the_sites_content_security_policy(search_site: ServedSite,
                                                              recorded_page: RecordedPage) -> None:
    """The page's CSP lets Pagefind run (its WebAssembly): no CSP violation, results shown."""
    page = recorded_page.page
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    _open(page, search_site)
    assert _search(page, "contracts")
    assert violations == []


@pytest.mark.browser
@pytest.mark.parametrize("src_uri", ["index.md", DUTCH_PLAN], ids=["dashboard", "plan"])
def test_axe_finds_no_serious_violation_with_results_open(search_site: ServedSite,
                                                          recorded_page: RecordedPage,
                                                          src_uri: str) -> None:
    """axe-core reports no serious or critical violation with the search results shown."""
    page = _open(recorded_page.page, search_site, src_uri)
    assert _search(page, "webshop")
    results = Axe().run(page)
    bad = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert results.response["passes"], "axe-core ran no check"
    assert bad == []
