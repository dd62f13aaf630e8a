"""AP201 calibration: the page estimate against what Chromium really prints.

A set of generated plans, from a few lines to about four pages (1 to 10 products, 0 to 24
milestones, 1 to 12 contacts, with and without the contacts picture, tables, lists and
sub-headings, in Dutch and English), is built into a real site and printed to A4 PDF by
Chromium with the print stylesheet. For every plan, `printsize.estimate_pages` must be
the real page count or one more: it may warn too early, never say "fits" when it does not.

If this test fails after a change to the print stylesheet or to the generated tables, tune
the constants of `printsize.PrintModel` (the failure lists every plan's real and estimated
count) until it passes again.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from accountplans.plan.check import check_bytes
from accountplans.plan.frontmatter import split
from accountplans.plan.model import Plan
from accountplans.plan.printsize import (
    Block,
    PrintModel,
    blocks,
    estimate_lines,
    estimate_pages,
    lines_to_cut,
    paginate,
    too_long,
)
from accountplans.settings import settings_from_mapping
from playwright.sync_api import Browser
from pypdf import PdfReader

# browser_support.py is a pytest plugin (its fixtures: one build, one browser per session);
# registered before it is imported, so that pytest rewrites its asserts.
pytest.register_assert_rewrite("browser_support")
from browser_support import ServedSite, copy_project, pdf_pages, pinned_today, serve  # noqa: E402
from plan_factory import build_site  # noqa: E402

# The browser fixtures (chromium) live in browser_support.py.
pytest_plugins = ["browser_support"]

PLAN_COUNT = 24

_WORDS_NL = (
    "klant", "omzet", "groei", "marge", "inkoop", "productie", "winkel", "vestiging", "directie",
    "contract", "licentie", "implementatie", "training", "voorraad", "levering", "kwartaal",
    "evaluatie", "concurrent", "prijsdruk", "samenwerking", "referentie", "investering", "planning",
    "afdeling", "medewerkers", "regio", "markt", "kansen", "risico's", "besluit", "begroting",
    "uitbreiding", "ketenpartners", "digitalisering", "klantentrouw",
)
_WORDS_EN = (
    "customer", "revenue", "growth", "margin", "purchasing", "production", "store", "branch",
    "board", "contract", "licence", "rollout", "training", "inventory", "delivery", "quarter",
    "review", "competitor", "pricing", "pressure", "partnership", "reference", "investment",
    "planning", "department", "staff", "region", "market", "opportunity", "risk", "decision",
    "budget", "expansion", "supply-chain", "digitalisation", "loyalty",
)
_TITLES = {
    "nl": ("Organisatie", "Marktpositie", "Doelen van de klant", "SWOT", "Onze doelen",
           "Tijdsplanning"),
    "en": ("Organisation", "Market position", "Customer goals", "SWOT", "Our goals", "Timeline"),
}
_KINDS = ("contact", "visit", "deal", "training", "other")
_ROLES = ("CEO", "CFO", "Head of IT", "Purchasing manager", "Operations director", "Store manager")
_FIRST = ("Anna", "Pieter", "Ilse", "Kees", "Sanne", "Joost", "Fleur", "Bram", "Eva", "Lars",
          "Noor", "Ruben")
_LAST = ("Bakker", "Jansen", "Mulder", "de Boer", "Visser", "Smit", "Meijer", "de Wit", "Bos",
         "Vos", "Peters", "Hendriks")


@dataclass(frozen=True)
class Shape:
    """How big one generated plan is."""

    products: int
    milestones: int
    contacts: int
    words: int
    """Words of running text per section (split into paragraphs of at most 70 words)."""
    list_items: int
    swot_rows: int
    picture: bool
    actuals: bool
    subheadings: bool
    wrapped: bool
    """Paragraphs hard-wrapped in the source at 95 characters, as most editors write them."""
    admonition: bool
    """A `!!! note` box in "Our goals"."""
    quote: bool
    """A block quote in "Market position"."""
    numbered: bool
    """The customer's goals as a numbered list instead of bullets."""
    language: str


def shape(index: int) -> Shape:
    """The index-th plan's shape: every dimension varies, and length grows with the index."""
    return Shape(
        products=(1, 2, 3, 4, 6, 8, 10, 5)[index % 8],
        milestones=(index * 5) % 25,
        contacts=1 + (index * 7) % 12,
        words=(10, 25, 45, 70, 100, 130, 170, 220, 280)[index * 9 // PLAN_COUNT],
        list_items=(index * 3) % 8,
        swot_rows=(0, 2, 3, 5)[index % 4],
        picture=index % 3 == 0,
        actuals=index % 4 == 1,
        subheadings=index % 5 == 2,
        wrapped=index % 3 != 0,
        admonition=index % 4 == 3,
        quote=index % 5 == 0,
        numbered=index % 2 == 0,
        language="nl" if index % 2 else "en",
    )


def _sentence(rng: random.Random, words: tuple[str, ...], count: int) -> str:
    chosen = [rng.choice(words) for _ in range(count)]
    return " ".join(chosen).capitalize() + "."


def _prose(rng: random.Random, words: tuple[str, ...], total: int) -> list[str]:
    """Paragraphs of about `total` words, each at most 70 words."""
    paragraphs = []
    while total > 0:
        size = min(total, 70)
        sentences = []
        left = size
        while left > 0:
            n = min(left, rng.randint(6, 16))
            sentences.append(_sentence(rng, words, n))
            left -= n
        paragraphs.append(" ".join(sentences))
        total -= size
    return paragraphs


def plan_text(index: int) -> str:
    """A valid plan file (front-matter + six sections) of the index-th shape."""
    s = shape(index)
    rng = random.Random(index)
    words = _WORDS_NL if s.language == "nl" else _WORDS_EN
    # Plans with actuals are for the current year (today is pinned in Nov 2026), so that
    # actuals_table() shows its year-to-date table and chart, the larger of its two forms.
    year = 2026 if s.actuals else 2027
    names = [f"{_FIRST[i % 12]} {_LAST[(i * 5 + index) % 12]}" for i in range(s.contacts)]
    fm = [
        f"account: Calibration Account {index:02d} B.V.",
        f"owner: Owner {index % 4}",
        f"year: {year}",
        "reviewed: 2026-11-02",
        "status: active",
        f"language: {s.language}",
        "currency: EUR",
        "organisation:",
        f"  industry: Industry {index}",
        f"  fte: {40 + index * 37}",
        "market_position: challenger",
        "contacts:",
    ]
    for i, name in enumerate(names):
        fm += [f"  - name: {name}", f"    role: {_ROLES[i % len(_ROLES)]}"]
        if i == 0 or i % 4 == 1:
            fm.append("    decision_maker: true")
        fm.append(f"    influence: {('high', 'medium', 'low')[i % 3]}")
        fm.append(f"    attitude: {('champion', 'supporter', 'neutral', 'critic')[i % 4]}")
        if i:
            fm.append(f"    reports_to: {names[(i - 1) // 2]}")
    fm.append("targets:")
    for p in range(s.products):
        year1 = 5000 + rng.randrange(0, 400) * 1250
        fm += [f"  - product: Product line {p + 1} {rng.choice(words)}", f"    year1: {year1}",
               f"    year3: {year1 * 2 + rng.randrange(0, 100) * 1000}"]
    fm.append(f"visits_per_year: {4 + index % 9}")
    fm.append("milestones:")
    evaluations = [dt.date(year, month, 20) for month in (3, 6, 9, 12)]
    for q, day in enumerate(evaluations):
        fm += [f"  - date: {day.isoformat()}", f"    title: Evaluation Q{q + 1}",
               "    kind: evaluation", f"    with: {names[0]}"]
    for m in range(s.milestones):
        day = dt.date(year, 1, 4) + dt.timedelta(days=(m * 353) // max(1, s.milestones))
        title = _sentence(rng, words, rng.randint(3, 9)).rstrip(".")
        fm += [f"  - date: {day.isoformat()}", f"    title: {title}",
               f"    kind: {_KINDS[m % len(_KINDS)]}", f"    with: {names[m % len(names)]}"]
        if m % 3 == 0:
            fm.append("    done: true")
    fm.append(f"tags: [calibration, size-{index:02d}]")

    titles = _TITLES[s.language]
    body = [f"# Calibration Account {index:02d} B.V.", ""]
    for number, title in enumerate(titles):
        body += [f"## {title}", ""]
        for paragraph in _prose(rng, words, s.words):
            body += [textwrap.fill(paragraph, 95) if s.wrapped else paragraph, ""]
        if number == 0 and s.subheadings:
            body += ["### " + _sentence(rng, words, 3).rstrip("."), ""]
            body += [p + "\n" for p in _prose(rng, words, s.words // 2)]
        if number == 1 and s.quote:
            body += [f"> {_sentence(rng, words, rng.randint(8, 20))}", ""]
        if number == 2 and s.list_items:
            body += [f"{f'{n + 1}.' if s.numbered else '-'} {_sentence(rng, words, rng.randint(4, 14))}"
                     for n in range(s.list_items)]
            body.append("")
        if number == 3 and s.swot_rows:
            body += ["| | + | - |", "|---|---|---|"]
            body += [f"| {_sentence(rng, words, 1)} | {_sentence(rng, words, rng.randint(3, 12))} | "
                     f"{_sentence(rng, words, rng.randint(3, 12))} |" for _ in range(s.swot_rows)]
            body.append("")
        if number == 4 and s.admonition:
            body += ['!!! note "' + _sentence(rng, words, 2).rstrip(".") + '"', "",
                     "    " + _sentence(rng, words, rng.randint(10, 30)), ""]
        if number == 4:
            body += ["{{ targets_table() }}", ""]
            if s.picture:
                body += ["{{ contacts_picture() }}", ""]
            if s.actuals:
                body += ["{{ actuals_table() }}", ""]
        if number == 5:
            body += ["{{ milestones_table() }}", ""]
    return "---\n" + "\n".join(fm) + "\n---\n\n" + "\n".join(body)


def actuals_csv() -> str:
    """A CRM export with three months of actuals for every plan that shows them."""
    rows = ["account,product,month,amount"]
    settings = settings_from_mapping({"max_pages": 99})
    for index in range(PLAN_COUNT):
        if not shape(index).actuals:
            continue
        checked = check_bytes("plan.md", plan_text(index).encode(), settings)
        assert checked.plan is not None
        for target in checked.plan.targets:
            for month in (1, 2, 3):
                rows.append(f"{checked.plan.account},{target.product},{checked.plan.year}-{month:02d},"
                            f"{target.year1 / 14:.2f}")
    return "\n".join(rows) + "\n"


def _slug(index: int) -> str:
    return f"calibration-{index:02d}"


@dataclass(frozen=True)
class Measured:
    slug: str
    printed: int
    estimated: int
    lines: float


@pytest.fixture(scope="session")
def calibration_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """A copy of the project whose plans are the generated ones, built and served.

    max_pages is raised in the copy so that the longer plans build (AP201 is what we test)."""
    base = tmp_path_factory.mktemp("calibration")
    project = copy_project(base / "project")
    docs = project / "plans"
    for path in docs.iterdir():
        if path.name != "index.md":
            if path.is_dir():
                continue
            path.unlink()
    for index in range(PLAN_COUNT):
        (docs / f"{_slug(index)}.md").write_text(plan_text(index), encoding="utf-8")
    (docs / "actuals.csv").write_text(actuals_csv(), encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "max_pages: 2" in text
    config.write_text(text.replace("max_pages: 2", "max_pages: 99"), encoding="utf-8")
    with pinned_today():
        site_dir = build_site(project, base / "site")
    with serve(site_dir, project) as served:
        yield served


@pytest.fixture(scope="session")
def measured(calibration_site: ServedSite, chromium: Browser) -> list[Measured]:
    """Every generated plan printed once by Chromium, next to its estimate."""
    settings = settings_from_mapping({"max_pages": 99})
    context = chromium.new_context()
    page = context.new_page()
    results = []
    try:
        for index in range(PLAN_COUNT):
            slug = _slug(index)
            path = calibration_site.project / "plans" / f"{slug}.md"
            checked = check_bytes(f"plans/{slug}.md", path.read_bytes(), settings)
            assert checked.plan is not None
            assert not checked.errors, [str(p) for p in checked.errors]
            body = split(checked.path, path.read_text(encoding="utf-8"))[0].body
            page.goto(calibration_site.page_url(f"{slug}.md"), wait_until="load")
            results.append(Measured(
                slug, pdf_pages(page),
                estimate_pages(checked.plan, body),
                estimate_lines(checked.plan, body)))
    finally:
        context.close()
    return results


def _table(results: list[Measured]) -> str:
    return "\n".join(f"{m.slug}: printed {m.printed}, estimated {m.estimated} ({m.lines:.1f} lines)"
                     for m in results)


@pytest.mark.browser
def test_calibration_plans_range_from_one_page_to_four(measured: list[Measured]) -> None:
    """The generated plans cover short (1 page) to long (at least 3 pages) prints."""
    printed = {m.printed for m in measured}
    assert len(measured) >= 20
    assert min(printed) == 1 and max(printed) >= 3, _table(measured)


@pytest.mark.browser
def test_estimate_never_says_a_plan_fits_when_it_does_not(measured: list[Measured]) -> None:
    """For every generated plan the estimate is at least the real number of printed pages."""
    too_short = [m for m in measured if m.estimated < m.printed]
    assert too_short == [], _table(measured)


@pytest.mark.browser
def test_estimate_errs_by_at_most_one_page(measured: list[Measured]) -> None:
    """For every generated plan the estimate is at most one page more than the real print."""
    too_long = [m for m in measured if m.estimated > m.printed + 1]
    assert too_long == [], _table(measured)


def test_generated_plans_are_valid_plans() -> None:
    """Every generated calibration plan passes the checker with no error (AP201 aside)."""
    settings = settings_from_mapping({"max_pages": 99})
    for index in range(PLAN_COUNT):
        checked = check_bytes(f"plans/{_slug(index)}.md", plan_text(index).encode(), settings)
        assert checked.plan is not None
        assert [str(p) for p in checked.errors] == []


def test_generated_plan_sizes_differ() -> None:
    """The generator gives each plan its own size (no two plans estimate the same length)."""
    settings = settings_from_mapping({"max_pages": 99})
    sizes = set()
    for index in range(PLAN_COUNT):
        text = plan_text(index)
        checked = check_bytes(f"plans/{_slug(index)}.md", text.encode(), settings)
        assert checked.plan is not None
        sizes.add(round(estimate_lines(checked.plan, split(checked.path, text)[0].body), 1))
    assert len(sizes) == PLAN_COUNT


# The page model itself, without a browser ----------------------------------------------------

def test_hard_wrapped_paragraph_counts_as_one_paragraph() -> None:
    """A paragraph wrapped over several source lines prints as long as the same on one line."""
    text = " ".join(["omzetgroei"] * 60)
    wrapped = textwrap.fill(text, 70)
    assert wrapped.count("\n") >= 5
    assert estimate_lines(None, wrapped) == estimate_lines(None, text)


def test_kept_whole_block_moves_to_the_next_page() -> None:
    """A table that does not fit below the text starts a new page; text would flow instead."""
    table = [Block(60), Block(10, whole=True), Block(55)]
    text = [Block(60), Block(10), Block(55)]
    assert paginate(table, 64) == 3
    assert paginate(text, 64) == 2


def test_heading_moves_with_what_follows_it() -> None:
    """A heading at the foot of a page goes to the next page with its first lines."""
    with_heading = [Block(61), Block(2, heading=True), Block(30), Block(33, whole=True)]
    plain = [Block(61), Block(2), Block(30), Block(33, whole=True)]
    assert paginate(with_heading, 64) == 3
    assert paginate(plain, 64) == 2


def test_block_taller_than_a_page_flows_over_pages() -> None:
    """A kept-whole block longer than a page cannot be kept whole: it takes the pages it needs."""
    assert paginate([Block(150, whole=True)], 64) == 3


def test_generated_tables_grow_with_the_plan() -> None:
    """More products, milestones and contacts make a longer estimate."""
    settings = settings_from_mapping({"max_pages": 99})
    small = check_bytes("a.md", plan_text(0).encode(), settings)
    assert small.plan is not None
    body = "{{ targets_table() }}\n\n{{ milestones_table() }}\n\n{{ contacts_picture() }}\n"
    few = replace(small.plan, targets=small.plan.targets[:1], milestones=small.plan.milestones[:1],
                  contacts=small.plan.contacts[:1])
    many = replace(small.plan, targets=small.plan.targets * 8, milestones=small.plan.milestones * 8,
                   contacts=small.plan.contacts * 8)
    assert estimate_lines(many, body) > estimate_lines(few, body) + 8 * 3


def test_empty_page_is_one_page() -> None:
    """A page with nothing on it still prints on one page."""
    assert estimate_pages(None, "") == 1


def test_admonition_and_quote_cost_more_than_their_text() -> None:
    """A `!!! note` box and a block quote print taller than the same text as a paragraph."""
    text = "Centralisatie staat op de agenda van de directie."
    plain = estimate_lines(None, text)
    assert estimate_lines(None, f'!!! note "Let op"\n\n    {text}\n') > plain
    assert estimate_lines(None, f"> {text}\n") > plain


@pytest.mark.browser
def test_print_uses_the_font_the_site_ships(calibration_site: ServedSite, chromium: Browser) -> None:
    """The PDF embeds the site's Liberation Sans and no font of the machine's (DejaVu here)."""
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(calibration_site.page_url(f"{_slug(0)}.md"), wait_until="load")
        pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    finally:
        context.close()
    fonts = set()
    for pdf_page in pdf.pages:
        resources = pdf_page["/Resources"]
        for font in resources.get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("LiberationSans" in name for name in fonts), fonts


def test_site_ships_its_font_and_licence() -> None:
    """The font files and their licence are in the theme, so the site serves them itself."""
    fonts = Path(__file__).resolve().parent.parent / "theme_overrides" / "assets" / "fonts"
    assert {p.name for p in fonts.glob("*.woff2")} == {
        f"LiberationSans-{style}.woff2" for style in ("Regular", "Bold", "Italic", "BoldItalic")}
    assert "SIL Open Font License" in (fonts / "LICENSE-LiberationSans.txt").read_text(encoding="utf-8")


def _long_plan(lines_of_market_text: int) -> tuple[Plan, str]:
    text = plan_text(0)
    words = " ".join(["De concurrentie in de regio groeit en de prijsdruk neemt toe."] * 2)
    filler = "\n\n".join([words] * lines_of_market_text)
    body_start = text.index("\n## ")
    title_end = text.index("\n", body_start + 1)
    text = text[:title_end] + "\n\n" + filler + text[title_end:]
    checked = check_bytes("plans/long.md", text.encode(), settings_from_mapping({"max_pages": 99}))
    assert checked.plan is not None
    return checked.plan, split("plans/long.md", text)[0].body


def test_ap201_names_the_longest_section_and_lines_to_cut() -> None:
    """AP201 says which section is longest and about how many lines to cut."""
    plan, body = _long_plan(120)
    message = too_long(plan, body, 2, "en")
    assert message is not None
    first_section = next(line[3:] for line in body.split("\n") if line.startswith("## "))
    assert f"its longest section is '{first_section}'" in message
    assert re.search(r"cut about \d+ lines", message)


def test_cutting_the_lines_ap201_names_makes_the_plan_fit() -> None:
    """Removing about as many printed lines as AP201 says is enough for the estimate to fit."""
    plan, body = _long_plan(120)
    message = too_long(plan, body, 2, "en")
    assert message is not None
    found = blocks(plan, body)
    section = next(line[3:] for line in body.split("\n") if line.startswith("## "))
    cut = lines_to_cut(found, section, 2, PrintModel().lines_per_page)
    assert str(cut) in message
    assert paginate(found, PrintModel().lines_per_page) > 2
    assert 0 < cut < estimate_lines(plan, body)


def test_plan_that_fits_has_no_ap201_message() -> None:
    """A plan within max_pages gets no message."""
    plan, body = _long_plan(0)
    assert too_long(plan, body, 99, "en") is None
