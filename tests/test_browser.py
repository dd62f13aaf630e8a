"""What a person sees, in a real Chromium: the site is internal, prints on A4, searches in
Dutch and English, sorts and filters its tables, and passes axe-core.

One site build (the example plans of tests/data, today pinned) and one browser per session; see
browser_support.py.
"""

from __future__ import annotations

import re
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
import yaml
from accountplans.plan.frontmatter import split
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

# browser_support.py is a pytest plugin (its fixtures: one build, one browser per session);
# registered before it is imported, so that pytest rewrites its asserts.
pytest.register_assert_rewrite("browser_support")
from browser_support import LOCAL_HOST, RecordedPage, ServedSite, example_plans, pdf_pages  # noqa: E402
from conftest import EXAMPLE_PLANS as EXAMPLE_PLANS_DIR  # noqa: E402
from conftest import ROOT  # noqa: E402

# The browser fixtures (chromium, example_site, recorded_page) live in browser_support.py.
pytest_plugins = ["browser_support"]

EXAMPLE_PLANS = example_plans(EXAMPLE_PLANS_DIR)
PLAN_IDS = [c.path for c in EXAMPLE_PLANS]
FIRST_PLAN = EXAMPLE_PLANS[0]


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's `!!python/name:` tags as plain values instead of failing."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _html_files(site: ServedSite) -> list[Path]:
    return sorted(site.site_dir.rglob("*.html"))


class _AssetLinks(HTMLParser):
    """Every URL a page loads by itself (not the links a person may follow)."""

    LOADING: ClassVar[dict[str, str]] = {
        "script": "src", "img": "src", "iframe": "src", "source": "src", "embed": "src",
        "audio": "src", "video": "src", "object": "data", "link": "href"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.robots: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        attr = self.LOADING.get(tag)
        if tag == "link" and values.get("rel") in ("canonical", "prev", "next", "alternate"):
            attr = None  # a link a reader may follow, not something the page loads
        if attr and values.get(attr):
            self.urls.append(values[attr] or "")
        if tag == "meta" and values.get("name") == "robots":
            self.robots.append(values.get("content") or "")


def _parse(path: Path) -> _AssetLinks:
    parser = _AssetLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# Internal by design -----------------------------------------------------------------------

def test_theme_loads_no_web_fonts() -> None:
    """mkdocs.yml turns off Material's Google Fonts (`theme.font: false`)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    assert config["theme"]["font"] is False


def test_no_configured_asset_or_extension_loads_from_elsewhere() -> None:
    """extra_css/extra_javascript are local files; no Mermaid or emoji-CDN extension is set."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    assets = [a if isinstance(a, str) else a.get("path", "")
              for a in [*config.get("extra_css", []), *config.get("extra_javascript", [])]]
    assert assets, "the site's own stylesheets and script are listed"
    assert [a for a in assets if urlsplit(a).scheme or a.startswith("//")] == []
    extensions = repr(config.get("markdown_extensions", [])).lower()
    for remote in ("mermaid", "twemoji", "emoji_index"):
        assert remote not in extensions, f"{remote} loads scripts or images from a CDN at view time"


def test_every_page_says_noindex(example_site: ServedSite) -> None:
    """Every built HTML page carries <meta name="robots" content="noindex...">."""
    pages = _html_files(example_site)
    assert len(pages) >= 3
    missing = [p.relative_to(example_site.site_dir).as_posix() for p in pages
               if not any("noindex" in c for c in _parse(p).robots)]
    assert missing == []


def test_built_pages_load_only_local_assets(example_site: ServedSite) -> None:
    """No built page names a script, stylesheet, font or image on another host."""
    foreign = []
    for path in _html_files(example_site):
        for url in _parse(path).urls:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                foreign.append(f"{path.relative_to(example_site.site_dir)}: {url}")
    assert foreign == []


def test_robots_txt_disallows_everything(example_site: ServedSite) -> None:
    """/robots.txt is served at the site's root and disallows every path to every crawler."""
    with urllib.request.urlopen(example_site.url + "robots.txt", timeout=10) as response:
        assert response.status == 200
        text = response.read().decode("utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines == ["User-agent: *", "Disallow: /"]


@pytest.mark.browser
@pytest.mark.parametrize("src_uri", ["index.md", FIRST_PLAN.path], ids=["dashboard", "plan"])
def test_page_load_requests_only_the_sites_own_host(example_site: ServedSite,
                                                    recorded_page: RecordedPage,
                                                    src_uri: str) -> None:
    """Loading a page and searching on it requests nothing from a host but 127.0.0.1."""
    page = recorded_page.page
    page.goto(example_site.page_url(src_uri), wait_until="networkidle")
    _search(page, "plan")  # search loads Pagefind and its index chunks now
    page.wait_for_load_state("networkidle")
    assert any(urlsplit(u).hostname == LOCAL_HOST for u in recorded_page.requests)
    assert any("/pagefind/" in u for u in recorded_page.requests)
    assert recorded_page.foreign_requests() == []


# Print --------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("src_uri", PLAN_IDS)
def test_example_plan_prints_on_at_most_two_a4_pages(example_site: ServedSite,
                                                     recorded_page: RecordedPage,
                                                     src_uri: str) -> None:
    """Each published example plan prints on at most two A4 pages in Chromium."""
    page = recorded_page.page
    page.goto(example_site.page_url(src_uri), wait_until="networkidle")
    assert 1 <= pdf_pages(page) <= 2


@pytest.mark.browser
def test_print_hides_navigation_header_and_search(example_site: ServedSite,
                                                  recorded_page: RecordedPage) -> None:
    """In print media the header, navigation, search and footer are not displayed."""
    page = recorded_page.page
    page.goto(example_site.page_url(FIRST_PLAN.path), wait_until="networkidle")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-search", ".md-footer"):
        assert page.locator(selector).first.is_hidden(), selector
    assert page.locator("article h1").is_visible()


# Search -------------------------------------------------------------------------------------

def _search(page: Page, query: str) -> list[str]:
    """Type `query` into Material's search box; the hrefs of the results shown."""
    box = page.locator("input.md-search__input")
    box.click()  # at desktop width the box is in the header
    # Material searches on key presses: fill all but the last character, then type that one,
    # so that the first result count shown is for the whole query, not a prefix of it.
    box.fill(query[:-1])
    box.press(query[-1])
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text=re.compile(r"\d|No matching|Geen")).first.wait_for(timeout=10_000)
    links = page.locator("a.md-search-result__link")
    return [links.nth(i).get_attribute("href") or "" for i in range(links.count())]


def _search_cases() -> list[tuple[str, str]]:
    plan = FIRST_PLAN.plan
    assert plan is not None
    body = split(FIRST_PLAN.path, (EXAMPLE_PLANS_DIR / FIRST_PLAN.path).read_text(encoding="utf-8"))[0].body
    # A decision maker whose name the author did not write in the text: only the generated
    # key facts put it on the page, so this checks that search indexes them.
    deciders = [c.name for c in plan.contacts if c.decision_maker]
    unwritten = [n for n in deciders if n not in body]
    return [
        (plan.account, FIRST_PLAN.path),
        ((unwritten or deciders)[0], FIRST_PLAN.path),
        (plan.targets[0].product, FIRST_PLAN.path),
    ]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "src_uri"), _search_cases(), ids=["account", "contact", "product"])
def test_search_finds_the_plan(example_site: ServedSite, recorded_page: RecordedPage,
                               query: str, src_uri: str) -> None:
    """Typing an account, a contact's name or a product into search lists its plan."""
    page = recorded_page.page
    page.goto(example_site.url, wait_until="networkidle")
    hrefs = _search(page, query)
    slug = src_uri.removesuffix(".md")
    assert any(f"{slug}/" in h for h in hrefs), hrefs


@pytest.mark.browser
@pytest.mark.parametrize(("query", "word_in_plan"),
                         [("winkel", "winkels"), ("centralis", "centraliseren"), ("licence", "licences")])
def test_search_finds_longer_word_forms(example_site: ServedSite, recorded_page: RecordedPage,
                                       query: str, word_in_plan: str) -> None:
    """A stem (Dutch or English) finds the longer word form written in the plan (prefix search)."""
    plan_text = (EXAMPLE_PLANS_DIR / "bakkerij-van-dijk.md").read_text(encoding="utf-8")
    assert word_in_plan in plan_text and f" {query} " not in plan_text
    page = recorded_page.page
    page.goto(example_site.url, wait_until="networkidle")
    hrefs = _search(page, query)
    assert any("bakkerij-van-dijk/" in h for h in hrefs), hrefs


# Dashboard table ----------------------------------------------------------------------------

def _column_texts(table: Locator, column: int) -> list[str]:
    rows = table.locator("tbody tr:visible")
    return [rows.nth(i).locator("td").nth(column).inner_text().strip() for i in range(rows.count())]


@pytest.mark.browser
def test_dashboard_table_sorts_by_clicked_header(example_site: ServedSite,
                                                 recorded_page: RecordedPage) -> None:
    """Clicking a column header sorts the plans table by it, a second click reverses it."""
    page = recorded_page.page
    page.goto(example_site.url, wait_until="networkidle")
    table = page.locator("table.accountplans-sortable").first
    header = table.locator("thead th").first
    header.locator("button").click()
    ascending = _column_texts(table, 0)
    assert len(ascending) >= 2
    assert header.get_attribute("aria-sort") == "ascending"
    assert ascending == sorted(ascending, key=str.casefold)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert _column_texts(table, 0) == ascending[::-1]


@pytest.mark.browser
def test_dashboard_table_filters_by_typed_text(example_site: ServedSite,
                                               recorded_page: RecordedPage) -> None:
    """Typing into the table's filter leaves only the rows that contain the text."""
    page = recorded_page.page
    page.goto(example_site.url, wait_until="networkidle")
    table = page.locator("table.accountplans-sortable").first
    table_id = table.get_attribute("id")
    before = table.locator("tbody tr:visible").count()
    assert before >= 2
    account = _column_texts(table, 0)[0]
    box = page.locator(f"input[data-filter='{table_id}'], input[data-filter='']").first
    box.fill(account)
    remaining = table.locator("tbody tr:visible")
    assert 1 <= remaining.count() < before
    assert all(account in remaining.nth(i).inner_text() for i in range(remaining.count()))
    box.fill("")
    assert table.locator("tbody tr:visible").count() == before


# Accessibility --------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("src_uri", ["index.md", FIRST_PLAN.path], ids=["dashboard", "plan"])
def test_axe_finds_no_serious_violation(example_site: ServedSite, recorded_page: RecordedPage,
                                        src_uri: str) -> None:
    """axe-core reports no serious or critical accessibility violation."""
    page = recorded_page.page
    page.goto(example_site.page_url(src_uri), wait_until="networkidle")
    results = Axe().run(page)
    bad = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert results.response["passes"], "axe-core ran no check"
    assert bad == []


# The sorting script itself, on a page of its own -------------------------------------------

_SCRIPT = ROOT / "theme_overrides" / "assets" / "javascripts" / "sortable.js"
_AMOUNTS_TABLE = """<!doctype html><html lang="nl"><body>
<table class="accountplans-sortable" id="t"><thead><tr><th>Klant</th><th>Bedrag</th></tr></thead>
<tbody><tr><td>Zoë B.V.</td><td>€ 14.400</td></tr><tr><td>Anker</td><td>€ 9.600,50</td></tr>
<tr><td>Mols</td><td>€ 120.000</td></tr><tr><td>Bos</td><td>€ 1.200</td></tr>
<tr><td>Vink</td><td>€ 950</td></tr></tbody>
<tfoot><tr><td>Totaal</td><td>€ 146.150,50</td></tr></tfoot></table></body></html>"""


@pytest.fixture
def amounts_page(recorded_page: RecordedPage) -> Page:
    """A page with one Dutch table of amounts and the site's sorting script."""
    page = recorded_page.page
    page.set_content(_AMOUNTS_TABLE)
    page.add_script_tag(content=_SCRIPT.read_text(encoding="utf-8"))
    return page


def _cells(page: Page, column: int) -> list[str]:
    return page.locator(f"#t tbody tr:visible td:nth-child({column + 1})").all_inner_texts()


@pytest.mark.browser
def test_sortable_script_sorts_dutch_amounts_as_numbers(amounts_page: Page) -> None:
    """"€ 9.600,50" sorts between "€ 1.200" and "€ 14.400": amounts are numbers, not text."""
    amounts_page.locator("#t thead th").nth(1).locator("button").click()
    assert _cells(amounts_page, 1) == ["€ 950", "€ 1.200", "€ 9.600,50", "€ 14.400", "€ 120.000"]
    assert amounts_page.locator("#t tfoot td").last.inner_text() == "€ 146.150,50"


@pytest.mark.browser
def test_sortable_script_adds_a_labelled_filter_that_ignores_accents(amounts_page: Page) -> None:
    """A table without a filter box gets one with a label; "zoe" finds "Zoë"."""
    box = amounts_page.get_by_label("Filter de tabel")
    box.fill("zoe")
    assert _cells(amounts_page, 0) == ["Zoë B.V."]
    box.fill("")
    assert len(_cells(amounts_page, 0)) == 5


@pytest.mark.browser
def test_dashboard_table_sorts_amounts_numerically(example_site: ServedSite,
                                                   recorded_page: RecordedPage) -> None:
    """Sorting the plans table by a money column orders the plans by amount."""
    page = recorded_page.page
    page.goto(example_site.url, wait_until="networkidle")
    table = page.locator("table.accountplans-sortable").first
    money = table.locator("thead th").filter(has_text=re.compile("Year 1|Jaar 1|Doel"))
    money.first.locator("button").click()
    column = table.locator("thead th").evaluate_all(
        "(ths, m) => ths.indexOf(m)", money.first.element_handle())
    values = [float(v) for v in table.locator(f"tbody tr td:nth-child({column + 1})").evaluate_all(
        "(tds) => tds.map(td => td.getAttribute('data-sort'))")]
    assert len(values) >= 2
    assert values == sorted(values)


@pytest.mark.browser
def test_axe_finds_no_serious_violation_on_any_page(example_site: ServedSite,
                                                    recorded_page: RecordedPage) -> None:
    """No built page (owners, tags, help, every plan) has a serious or critical violation."""
    page = recorded_page.page
    found = []
    pages = sorted(p.relative_to(example_site.site_dir).as_posix()
                   for p in example_site.site_dir.rglob("index.html"))
    assert len(pages) >= 3
    for rel in pages:
        page.goto(example_site.url + rel.removesuffix("index.html"), wait_until="load")
        found += [f"{rel}: {v['id']} ({v['impact']})" for v in Axe().run(page).response["violations"]
                  if v["impact"] in ("serious", "critical")]
    assert found == []
