"""The dashboard's headline (issue 12 item 5): a few cards at the top of the dashboard, in the
site's language, that pass the site's sanitizer, and that print.

"Today" is pinned: plan_factory.TODAY (2027-03-10, in Q1 of the plan year 2027) unless a test
says otherwise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from accountplans.compute.actuals import read_actuals
from accountplans.plan.body import PORTFOLIO_MACROS
from accountplans.plan.check import CheckedFile, check_text
from accountplans.plan.sanitize import clean, removed
from accountplans.settings import Settings
from accountplans.site.portfolio import entries, headline_figures, portfolio_macros

pytest.register_assert_rewrite("browser_support")
from browser_support import serve  # noqa: E402
from plan_factory import TODAY, build_site, clear_plans, epoch, plan_text, write_plan  # noqa: E402
from playwright.sync_api import Browser  # noqa: E402
from pypdf import PdfReader  # noqa: E402

pytest_plugins = ["browser_support"]

SETTINGS = Settings(closed_weeks=(52, 1))
ACTUALS = "account,product,month,amount\nAcme,Licences,2027-01,7000\nAcme,Licences,2027-03,2000\n"


def _files(*plans: tuple[str, str]) -> dict[str, CheckedFile]:
    checked = {f"{slug}.md": check_text(f"plans/{slug}.md", text, SETTINGS) for slug, text in plans}
    for uri, f in checked.items():
        assert f.plan is not None and not f.errors, (uri, f.problems)
    return checked


def _portfolio() -> dict[str, CheckedFile]:
    """Acme and Bolt in EUR (Bolt with an overdue milestone and an old review), Cargo in USD,
    a draft and an archived plan."""
    return _files(
        ("acme", plan_text("Acme", "Sanne", targets=[("Licences", 120000, 300000)])),
        ("bolt", plan_text("Bolt", "Joost", reviewed="2026-10-01", targets=[("Licences", 60000, 90000)],
                           milestones=[("2027-02-01", "Demo", "visit", False)])),
        ("cargo", plan_text("Cargo", "Joost", currency="USD", targets=[("Support", 24000, 30000)])),
        ("draft", plan_text("Draftco", "Sanne", status="draft")),
        ("old", plan_text("Oldco", "Sanne", status="archived")),
    )


def _headline(settings: Settings = SETTINGS, today: dt.date = TODAY, actuals: str | None = ACTUALS) -> str:
    found = read_actuals("plans/actuals.csv", actuals)[0] if actuals is not None else None
    return portfolio_macros(_files_cache(), settings, today, actuals=found)["headline"]()


_cache: dict[str, dict[str, CheckedFile]] = {}


def _files_cache() -> dict[str, CheckedFile]:
    if "files" not in _cache:
        _cache["files"] = _portfolio()
    return _cache["files"]


def _cards(html: str) -> list[str]:
    """Each card's text, tags removed and spaces collapsed."""
    found = re.findall(r'<div class="accountplans-card[^"]*">(.*?)</div>', html)
    return [" ".join(re.sub(r"<[^>]+>", " ", card).split()) for card in found]


def test_figures_are_per_currency_and_never_added_across_currencies() -> None:
    """EUR: two plans, 180,000 a year, Q1 target 45,000 and actual 9,000; USD apart, no actuals."""
    actuals, _ = read_actuals("plans/actuals.csv", ACTUALS)
    eur, usd = headline_figures(entries(_files_cache()), SETTINGS, TODAY, actuals)
    assert (eur.currency, eur.year, eur.plans, eur.year1) == ("EUR", 2027, 2, Decimal(180000))
    assert eur.period is not None and (eur.period.quarter, eur.period.current) == (1, True)
    assert (eur.quarter_target, eur.quarter_actual) == (Decimal(45000), Decimal(9000))
    assert (usd.currency, usd.plans, usd.year1, usd.quarter_target, usd.quarter_actual) == (
        "USD", 1, Decimal(24000), Decimal(6000), None)


def test_before_the_plan_year_the_first_quarter_is_shown_without_actual() -> None:
    """In November 2026 the 2027 plans show Q1 2027's target, not zeros, and no actual."""
    actuals, _ = read_actuals("plans/actuals.csv", ACTUALS)
    eur = headline_figures(entries(_files_cache()), SETTINGS, dt.date(2026, 11, 19), actuals)[0]
    assert eur.period is not None and not eur.period.current and eur.period.quarter == 1
    assert (eur.quarter_target, eur.quarter_actual) == (Decimal(45000), None)


def test_after_the_plan_year_no_quarter_is_shown() -> None:
    """Once the plan year is over there is no quarter card, only the year's total."""
    html = _headline(today=dt.date(2028, 2, 1))
    assert "This quarter" not in html and "First quarter" not in html
    assert "Target 2027 · EUR" in html


def test_english_cards_read_at_a_glance() -> None:
    """Year totals, the quarter's actual of its target with the percentage, plans and drafts,
    overdue milestones and reviews due, as short English cards."""
    cards = _cards(_headline())
    assert cards == [
        "Target 2027 · EUR €180,000 2 active plans",
        "This quarter, Q1 2027 €9,000 of €45,000 20.0% of the quarter's target sold so far.",
        "Target 2027 · USD US$24,000 1 active plan",
        "This quarter, Q1 2027 US$6,000 Target of the quarter; no actuals loaded yet.",
        "Plans 3 1 draft in progress",
        "Overdue milestones 1 Date passed, not marked done.",
        "Reviews due 1 Not evaluated in the last 92 days.",
    ]


def test_dutch_cards_use_dutch_words_and_numbers() -> None:
    """In a Dutch site the cards say Doel, Dit kwartaal, actieve plannen, with Dutch amounts."""
    cards = _cards(_headline(dataclasses.replace(SETTINGS, language="nl")))
    assert cards[0] == "Doel 2027 · EUR € 180.000 2 actieve plannen"
    assert cards[1] == "Dit kwartaal, Q1 2027 € 9.000 van € 45.000 20,0% van het kwartaaldoel is verkocht."
    assert cards[4] == "Plannen 3 1 concept in de maak"
    assert cards[5] == "Mijlpalen te laat 1 Datum voorbij, niet als gedaan gemarkeerd."


def test_progress_bar_is_filled_to_the_share_sold() -> None:
    """The quarter's bar is an SVG filled to 20% (9,000 of 45,000), labelled for screen readers."""
    html = _headline()
    assert '<rect class="accountplans-progress-done" width="20.0" height="4"></rect>' in html
    assert 'aria-label="20.0% of the quarter&#x27;s target"' in html


def test_alert_cards_are_marked_only_when_something_is_late() -> None:
    """Overdue milestones and reviews due are alert cards when there are any, plain when none."""
    assert _headline().count("accountplans-card accountplans-card-alert") == 2
    calm = portfolio_macros(_files(("acme", plan_text("Acme", "Sanne"))), SETTINGS, TODAY)["headline"]()
    assert "accountplans-card-alert" not in calm


@pytest.mark.parametrize("language", ["en", "nl"])
def test_headline_passes_the_site_sanitizer_unchanged(language: str) -> None:
    """Nothing in the headline is removed by the sanitizer: no style attribute, no script."""
    html = _headline(dataclasses.replace(SETTINGS, language=language))
    assert removed(html) == []
    assert "style=" not in html and "<script" not in html
    assert "accountplans-progress-done" in clean(html)


def test_headline_is_a_registered_portfolio_macro() -> None:
    """The dashboard may call headline() (the checker's list of macros has it)."""
    assert "headline" in PORTFOLIO_MACROS
    assert "headline" in portfolio_macros({}, SETTINGS, TODAY)


def test_an_empty_portfolio_has_counts_of_zero() -> None:
    """Without plans the headline still reads: 0 plans, 0 overdue, 0 reviews due."""
    assert _cards(portfolio_macros({}, SETTINGS, TODAY)["headline"]()) == [
        "Plans 0 0 drafts in progress", "Overdue milestones 0 Date passed, not marked done.",
        "Reviews due 0 Not evaluated in the last 92 days."]


def _dashboard_project(project: Path, language: str = "en") -> None:
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne de Vries"))
    write_plan(project, "bolt", plan_text("Bolt", "Joost Hendriks", reviewed="2026-10-01",
                                          milestones=[("2027-02-01", "Demo", "visit", False)]))
    (project / "plans" / "actuals.csv").write_text(ACTUALS, encoding="utf-8")
    if language != "en":
        config = (project / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.replace("    language: en\n", f"    language: {language}\n", 1)
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")


def test_built_dashboard_opens_with_the_headline(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a real build the headline is the first thing under the dashboard's title."""
    _dashboard_project(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    html = (build_site(project) / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article"):]
    assert article.index('class="accountplans-headline"') < article.index('class="accountplans-computed"')
    assert "€9,000 of €60,000" in article


def test_built_dutch_dashboard_headline_is_dutch(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With extra.accountplans.language: nl the headline's cards are Dutch."""
    _dashboard_project(project, "nl")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    html = (build_site(project) / "index.html").read_text(encoding="utf-8")
    assert "€&nbsp;9.000 van €&nbsp;60.000" in html and "2 actieve plannen" in html


def test_headline_prints_on_the_first_a4_page(project: Path, monkeypatch: pytest.MonkeyPatch,
                                              chromium: Browser) -> None:
    """Printed from Chromium, the dashboard's first A4 page carries every card's figures."""
    _dashboard_project(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    site = build_site(project)
    with serve(site, project) as served:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(served.url, wait_until="networkidle")
            pdf = page.pdf(format="A4", print_background=False)
        finally:
            context.close()
    first = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    for text in ("Target 2027 · EUR", "€240,000", "€9,000 of €60,000", "Overdue milestones", "Reviews due"):
        assert text in first, (text, first[:400])
