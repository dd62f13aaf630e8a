"""The dashboard: portfolio totals and lists, unit-tested on checked plans and in a real build.

"Today" is pinned to plan_factory.TODAY (2027-03-10, Q1, ISO week 10 of the plan year 2027).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from accountplans.compute.breakdown import breakdown
from accountplans.plan.check import CheckedFile, check_text
from accountplans.plan.model import Plan, Target
from accountplans.settings import Settings
from accountplans.site.portfolio import (
    Entry,
    PeriodTargets,
    entries,
    overdue,
    overdue_reviews,
    owner_totals,
    period_targets,
    portfolio_macros,
    product_totals,
    relative_href,
    upcoming,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_factory import TODAY, build_site, clear_plans, epoch, plan_text, write_plan

SETTINGS = Settings(closed_weeks=(52, 1))


def _files(*plans: tuple[str, str]) -> dict[str, CheckedFile]:
    checked = {f"{slug}.md": check_text(f"plans/{slug}.md", text, SETTINGS) for slug, text in plans}
    for uri, f in checked.items():
        assert f.plan is not None and not f.errors, (uri, f.problems)
    return checked


def _article(html: str) -> str:
    found = re.search(r"<article.*?</article>", html, re.S)
    assert found is not None
    return found.group(0)


def test_drafts_and_archived_plans_count_in_no_total() -> None:
    """Only active plans add to the totals per product and per owner."""
    files = _files(("a", plan_text("A", "Sanne")),
                   ("b", plan_text("B", "Sanne", status="draft")),
                   ("c", plan_text("C", "Sanne", status="archived")))
    totals = product_totals(entries(files), SETTINGS, TODAY)
    assert list(totals) == [("Licences", 2027, "EUR")]
    count, sums = totals[("Licences", 2027, "EUR")]
    assert (count, sums.year1) == (1, Decimal(120000))
    assert owner_totals(entries(files), SETTINGS, TODAY)[("Sanne", 2027, "EUR")][0] == 1


def test_drafts_are_left_out_of_every_list() -> None:
    """A draft is in no list of the dashboard, not even the table of all plans."""
    files = _files(("b", plan_text("Draft Co", "Sanne", status="draft",
                                   milestones=[("2027-03-12", "Soon", "visit", False)])))
    macros = portfolio_macros(files, SETTINGS, TODAY)
    assert all("Draft Co" not in macro() for macro in macros.values())


_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)
_plans = st.lists(st.tuples(st.sampled_from(["Sanne", "Joost", "Priya"]), st.sampled_from(["EUR", "USD"]),
                            st.lists(st.tuples(st.sampled_from(["ERP", "Training", "Support"]), _amounts),
                                     min_size=1, max_size=3)),
                  min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(_plans, st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2027, 12, 31)))
def test_product_and_owner_totals_add_up_to_the_plans(plans: list[tuple[str, str, list[tuple[str, Decimal]]]],
                                                      today: dt.date) -> None:
    """Per currency, product totals and owner totals both add up to the plans' targets exactly."""
    found = [Entry(f"p{i}.md", Plan(f"plans/p{i}.md", f"Account {i}", owner=owner, year=2027,
                                    currency=currency, targets=tuple(Target(p, a) for p, a in targets)))
             for i, (owner, currency, targets) in enumerate(plans)]
    for currency in ("EUR", "USD"):
        whole = PeriodTargets()
        for entry in found:
            if entry.plan.currency == currency:
                for _, targets in period_targets(entry.plan, SETTINGS, today):
                    whole = whole + targets
        assert whole.year1 == sum((e.plan.year1_total for e in found if e.plan.currency == currency),
                                  Decimal(0))
        for totals in (product_totals(found, SETTINGS, today), owner_totals(found, SETTINGS, today)):
            added = PeriodTargets()
            for (_, _, cur), (_, sums) in totals.items():
                if cur == currency:
                    added = added + sums
            assert added == whole


def test_plan_warnings_are_listed_on_the_dashboard() -> None:
    """A plan with a warning (an unknown field) is listed with the code and the message."""
    files = _files(("a", plan_text("Acme", "Sanne").replace("status: active", "status: active\nstatuss: x")))
    html = portfolio_macros(files, SETTINGS, TODAY)["plans_with_warnings"]()
    assert "AP006" in html and "statuss" in html and "Acme" in html


def test_amounts_in_different_currencies_are_never_added() -> None:
    """A USD plan and a EUR plan of the same product give two rows."""
    files = _files(("a", plan_text("A", "Sanne")), ("b", plan_text("B", "Sanne", currency="USD")))
    totals = product_totals(entries(files), SETTINGS, TODAY)
    assert set(totals) == {("Licences", 2027, "EUR"), ("Licences", 2027, "USD")}


def test_quarter_and_week_targets_come_from_the_plan_breakdown() -> None:
    """This quarter and this week add up the breakdown's Q1 and week-10 targets exactly."""
    weights = [5, 5, 8, 8, 9, 9, 6, 6, 10, 10, 12, 12]
    files = _files(("a", plan_text("A", "Sanne", targets=[("ERP", 120000, 400000), ("Training", 15001, 0)],
                                   seasonality=weights)),
                   ("b", plan_text("B", "Joost", targets=[("ERP", 33333, 50000)])))
    expected = PeriodTargets()
    for f in files.values():
        assert f.plan is not None and f.plan.year is not None
        rows = breakdown(f.plan.targets, f.plan.year, f.plan.seasonality, SETTINGS.closed_weeks).rows
        for row in rows:
            if row.product == "ERP":
                assert row.week is not None
                expected = expected + PeriodTargets(row.year, row.quarters[0], row.week.amount(10))
    _, erp = product_totals(entries(files), SETTINGS, TODAY)[("ERP", 2027, "EUR")]
    assert erp == expected
    assert erp.quarter == Decimal("21600.00") + Decimal("8333.25")  # 18% of 120,000 + 33,333 / 4


def test_before_the_plan_year_the_first_quarter_and_first_selling_week_are_shown() -> None:
    """In November 2026 a 2027 plan shows Q1 2027 (30,000) and week 2, its first selling week
    (January's 10,000 over its 15 selling days: 5 x 666.66.. = 3,333.33), not zeros."""
    files = _files(("a", plan_text("A", "Sanne")))
    _, sums = product_totals(entries(files), SETTINGS, dt.date(2026, 11, 27))[("Licences", 2027, "EUR")]
    assert (sums.quarter, sums.week) == (Decimal(30000), Decimal("3333.33"))


def test_after_the_plan_year_quarter_and_week_are_zero() -> None:
    """In 2028 a 2027 plan has no quarter or week target any more."""
    files = _files(("a", plan_text("A", "Sanne")))
    _, sums = product_totals(entries(files), SETTINGS, dt.date(2028, 2, 1))[("Licences", 2027, "EUR")]
    assert (sums.quarter, sums.week) == (Decimal(0), Decimal(0))


def test_this_week_is_the_week_s_own_seasonal_target() -> None:
    """On 10 March 2027 (week 10) the Van Dijk weights give 2,086.95, not the flat 2,400."""
    weights = [5, 5, 8, 8, 9, 9, 6, 6, 10, 10, 12, 12]
    files = _files(("a", plan_text("A", "Sanne", seasonality=weights)))
    _, sums = product_totals(entries(files), SETTINGS, TODAY)[("Licences", 2027, "EUR")]
    assert sums.week == Decimal("2086.95")


def test_totals_table_names_the_first_quarter_before_the_plan_year() -> None:
    """Before 2027 the dashboard's totals say which quarter and week they show: Q1 and W02 2027."""
    files = _files(("a", plan_text("A", "Sanne")))
    html = portfolio_macros(files, SETTINGS, dt.date(2026, 11, 27))["portfolio_totals"]()
    assert "€30,000 <small>(Q1 2027)</small>" in html
    assert "€3,333.33 <small>(W02 2027)</small>" in html


def test_no_week_target_in_a_closed_week() -> None:
    """ISO week 1 is closed in the settings: this week's target is 0 then."""
    files = _files(("a", plan_text("A", "Sanne")))
    _, sums = product_totals(entries(files), SETTINGS, dt.date(2027, 1, 6))[("Licences", 2027, "EUR")]
    assert sums.week == Decimal(0) and sums.quarter > 0


def test_upcoming_and_overdue_milestones_on_a_pinned_date() -> None:
    """Open milestones within 30 days are upcoming, open ones in the past overdue, done ones neither."""
    files = _files(("a", plan_text("A", "Sanne", milestones=[
        ("2027-03-01", "Late", "deal", False), ("2027-03-02", "Done already", "visit", True),
        ("2027-04-09", "Day 30", "visit", False), ("2027-04-10", "Day 31", "visit", False)])))
    assert [d.milestone.title for d in upcoming(entries(files), TODAY)] == ["Evaluation Q1", "Day 30"]
    assert [d.milestone.title for d in overdue(entries(files), TODAY)] == ["Late"]


def test_archived_plans_have_no_overdue_milestones() -> None:
    """An archived plan's open milestones are history, not work."""
    files = _files(("c", plan_text("C", "Sanne", status="archived",
                                   milestones=[("2027-03-01", "Late", "deal", False)])))
    assert overdue(entries(files), TODAY) == []


def test_review_overdue_after_review_days() -> None:
    """A plan reviewed more than review_days ago is listed; one reviewed exactly then is not."""
    settings = Settings(review_days=92)
    on_time = (TODAY - dt.timedelta(days=92)).isoformat()
    late = (TODAY - dt.timedelta(days=93)).isoformat()
    files = _files(("a", plan_text("On time", "Sanne", reviewed=on_time)),
                   ("b", plan_text("Late", "Sanne", reviewed=late)))
    assert [e.plan.account for e in overdue_reviews(entries(files), settings, TODAY)] == ["Late"]


def test_plans_table_is_sortable_and_filterable() -> None:
    """The table has the class and the filter input that the site's local script uses."""
    html = portfolio_macros(_files(("a", plan_text("A", "Sanne"))), SETTINGS, TODAY)["plans_table"]()
    assert '<table class="accountplans-sortable" id="accountplans-plans" data-search-exclude>' in html
    assert 'data-filter="accountplans-plans"' in html
    assert 'data-sort="120000"' in html


def test_plan_text_is_escaped_on_the_dashboard() -> None:
    """An account or owner name with HTML in it is shown as text, never as markup."""
    files = _files(("a", plan_text('<img src=x onerror="alert(1)">', "<b>Sanne</b>",
                                   tags=["<i>t</i>"], heading=False)))
    html = "".join(m() for m in portfolio_macros(files, SETTINGS, TODAY).values())
    assert "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_links_are_relative_to_the_page_by_mkdocs_rules() -> None:
    """Links from the dashboard, a sub-page and a page without directory URLs."""
    assert relative_href("index.md", "acme.md") == "acme/"
    assert relative_href("owners/sanne/index.md", "acme.md") == "../../acme/"
    assert relative_href("owners/sanne/index.md", "owners/sanne/calendar.ics") == "calendar.ics"
    assert relative_href("help.md", "index.md") == "../"
    assert relative_href("index.md", "acme.md", use_directory_urls=False) == "acme.html"
    assert relative_href("owners/sanne/index.md", "index.md", use_directory_urls=False) == "../../index.html"


@pytest.fixture
def dashboard(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne de Vries", tags=["retail"],
                                          milestones=[("2027-03-01", "Late deal", "deal", False)]))
    write_plan(project, "bolt", plan_text("Bolt", "Joost Hendriks", reviewed="2026-10-01"))
    write_plan(project, "old", plan_text("Oldco", "Joost Hendriks", status="archived"))
    write_plan(project, "new", plan_text("Newco", "Joost Hendriks", status="draft"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    return build_site(project)


def test_dashboard_says_the_date_it_was_computed_for(dashboard: Path) -> None:
    """The built dashboard names the pinned date."""
    assert '<time datetime="2027-03-10">' in (dashboard / "index.html").read_text(encoding="utf-8")


def test_dashboard_lists_archived_plans_apart(dashboard: Path) -> None:
    """The archived plan is under 'Archived plans' only; the draft is nowhere."""
    article = _article((dashboard / "index.html").read_text(encoding="utf-8"))
    archived_at = article.index('id="archived-plans"')
    assert article.count("Oldco") == 1 and article.index("Oldco") > archived_at
    assert "Newco" not in article


def test_dashboard_shows_overdue_work(dashboard: Path) -> None:
    """The overdue milestone and the plan whose review is overdue are on the dashboard."""
    article = _article((dashboard / "index.html").read_text(encoding="utf-8"))
    overdue_part = article[article.index('id="overdue-milestones"'):
                           article.index('id="plans-due-for-review"')]
    assert "Late deal" in overdue_part
    review_part = article[article.index('id="plans-due-for-review"'): article.index('id="all-plans"')]
    assert "Bolt" in review_part and "Acme" not in review_part


def test_every_dashboard_link_resolves(dashboard: Path) -> None:
    """Each relative link of the dashboard's article points at a file of the built site."""
    article = _article((dashboard / "index.html").read_text(encoding="utf-8"))
    hrefs = [h for h in re.findall(r'href="([^"#]+)"', article) if "://" not in h]
    assert len(hrefs) > 10
    for href in hrefs:
        target = dashboard / href
        assert (target / "index.html" if href.endswith("/") else target).is_file(), href


def test_serve_shows_the_dashboard_with_a_broken_plan(project: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `serve` a plan without owner, year and review date is on the dashboard, no traceback."""
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne"))
    broken = plan_text("Broken", "Nobody").replace('owner: "Nobody"\n', "").replace("year: 2027\n", "")
    write_plan(project, "broken", broken.replace("reviewed: 2027-01-05", "reviewed: someday"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    build_site(project, project / "served", command="serve", serve_url="http://127.0.0.1:8000/")
    article = _article((project / "served" / "index.html").read_text(encoding="utf-8"))
    warnings = article[article.index('id="plans-with-warnings"'):]
    assert "Broken" in warnings and "AP004" in warnings
    assert (project / "served" / "plans.json").is_file()
