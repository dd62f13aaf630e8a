"""The quarterly view (issue 12 item 2): per quarter a page for the team and one per owner,
unit-tested with a pinned date and built for real with `mkdocs build`."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from accountplans.compute.actuals import progress, read_actuals
from accountplans.plan.check import CheckedFile, check_text
from accountplans.settings import Settings
from accountplans.site.portfolio import entries, portfolio_macros
from accountplans.site.quarterly import Quarter, QuarterRows, QuarterView, plan_quarter, quarter_pages
from plan_factory import build_site, clear_plans, epoch, plan_text, write_plan

pytest.register_assert_rewrite("browser_support")
from browser_support import serve  # noqa: E402
from playwright.sync_api import Browser  # noqa: E402
from pypdf import PdfReader  # noqa: E402

pytest_plugins = ["browser_support"]

SETTINGS = Settings(closed_weeks=(52, 1))
TODAY = dt.date(2027, 5, 10)  # Q2 under way: Q1 over, Q3 ahead
ACTUALS = "account,product,month,amount\nAcme,Licences,2027-02,9000\n"
Q1_PLANNED = '    title: "Evaluation Q1"\n    kind: evaluation\n    done: false'


def _evaluated(text: str, status: str = "at-risk", outcome: str = "Training slow <b>really</b>.") -> str:
    assert Q1_PLANNED in text
    return text.replace(Q1_PLANNED, Q1_PLANNED.replace("done: false", "done: true")
                        + f'\n    outcome: "{outcome}"\n    status: {status}')


def _files(*plans: tuple[str, str]) -> dict[str, CheckedFile]:
    checked = {f"{slug}.md": check_text(f"plans/{slug}.md", text, SETTINGS) for slug, text in plans}
    for f in checked.values():
        assert f.plan is not None and not f.errors, f.problems
    return checked


def _acme() -> dict[str, CheckedFile]:
    return _files(("acme", _evaluated(plan_text("Acme", "Sanne", milestones=[
        ("2027-02-01", "Kick-off", "contact", True), ("2027-03-01", "Demo", "visit", False),
        ("2027-07-05", "Contract", "deal", False)]))))


def test_a_past_quarter_has_its_figures_milestones_and_evaluation() -> None:
    """Q1 2027 seen on 10 May: target 30,000, actual 9,000; kick-off done, demo missed, the
    evaluation at risk; Q2's milestones are the next quarter's."""
    actuals, _ = read_actuals("plans/actuals.csv", ACTUALS)
    [entry] = entries(_acme())
    pq = plan_quarter(entry, Quarter(2027, 1), SETTINGS, TODAY, actuals)
    assert (pq.target, pq.actual, pq.ytd_months, pq.target_ytd, pq.actual_ytd) == (
        Decimal(30000), Decimal(9000), 3, Decimal(30000), Decimal(9000))
    assert [m.title for m in pq.done] == ["Kick-off", "Evaluation Q1"]
    assert [m.title for m in pq.missed] == ["Demo"]
    assert [m.title for m in pq.next_quarter] == ["Evaluation Q2"]
    assert pq.evaluation is not None and pq.evaluation.status == "at-risk"


def test_a_quarter_ahead_shows_its_target_and_no_actual() -> None:
    """Q3 2027 on 10 May: the target, no actual and no shortfall; its deal is still to come."""
    actuals, _ = read_actuals("plans/actuals.csv", ACTUALS)
    [entry] = entries(_acme())
    pq = plan_quarter(entry, Quarter(2027, 3), SETTINGS, TODAY, actuals)
    assert (pq.started, pq.target, pq.actual) == (False, Decimal(30000), None)
    assert [m.title for m in pq.open] == ["Contract", "Evaluation Q3"]
    view = QuarterView(Quarter(2027, 3), tuple(entries(_acme())), SETTINGS, TODAY, actuals, lambda u: u)
    assert "Q3 2027 has not started: its target is €30,000." in view.plan_block(pq)


def test_each_quarters_year_to_date_is_the_progress_as_of_its_end() -> None:
    """A plan's quarters, made from one progress, count their year to date up to the quarter's
    end (or today), as progress as of that day does."""
    actuals, _ = read_actuals("plans/actuals.csv", ACTUALS + "Acme,Licences,2027-04,5000\n"
                              "Acme,Licences,2027-05,700\n")
    [entry] = entries(_acme())
    for number in range(1, 5):
        quarter = Quarter(2027, number)
        pq = plan_quarter(entry, quarter, SETTINGS, TODAY, actuals)
        as_of = progress(entry.plan, actuals, min(TODAY, quarter.last_day))
        assert as_of is not None
        assert (pq.ytd_months, pq.target_ytd) == (as_of.months_elapsed, as_of.target_ytd)
        assert pq.actual_ytd == (as_of.actual_ytd if pq.started else None)


def test_the_builds_quarter_rows_are_made_once_and_show_the_same_page() -> None:
    """With the build's QuarterRows a page shows the same as one made on its own, and a plan's
    quarter is one object for the team's page and its owner's."""
    actuals, _ = read_actuals("plans/actuals.csv", ACTUALS)
    found = tuple(entries(_acme()))
    rows = QuarterRows(SETTINGS, TODAY, actuals)
    shared = QuarterView(Quarter(2027, 1), found, SETTINGS, TODAY, actuals, lambda u: u, rows)
    alone = QuarterView(Quarter(2027, 1), found, SETTINGS, TODAY, actuals, lambda u: u)
    assert [shared.plan_block(pq) for pq in shared.plans()] == [alone.plan_block(pq) for pq in alone.plans()]
    assert rows.of(found[0], Quarter(2027, 1)) is shared.plans()[0]


def test_the_evaluation_outcome_is_shown_escaped() -> None:
    """The team page shows the evaluation's status in words and its outcome, as text."""
    [entry] = entries(_acme())
    view = QuarterView(Quarter(2027, 1), (entry,), SETTINGS, TODAY, None, lambda u: u)
    block = view.plan_block(view.plans()[0])
    assert "accountplans-eval-at-risk" in block and ">at risk<" in block
    assert "Training slow &lt;b&gt;really&lt;/b&gt;." in block and "<b>" not in block


def test_dutch_site_writes_dutch_quarter_pages() -> None:
    """With `language: nl` the quarter page is in Dutch: "op koers", "Gedaan in het kwartaal"."""
    files = _files(("acme", _evaluated(plan_text("Acme", "Sanne"), status="on-track")))
    pages = quarter_pages(entries(files), [("Sanne", "owners/sanne/index.md", tuple(entries(files)))],
                          Settings(language="nl"), TODAY)
    team = dict((uri, text) for uri, text, _ in pages)["quarters/2027-q1.md"]
    assert "op koers" in team and "Gedaan in het kwartaal" in team and "Q1 2027: het team" in team


def test_one_team_page_and_one_page_per_owner_for_each_quarter() -> None:
    """Two owners with 2027 plans: four team pages (in the navigation) and eight owner pages
    (beside each owner's page, out of the navigation)."""
    files = _files(("a", plan_text("A", "Sanne")), ("b", plan_text("B", "Joost")))
    found = entries(files)
    owners = [("Joost", "owners/joost/index.md", (found[1],)),
              ("Sanne", "owners/sanne/index.md", (found[0],))]
    pages = quarter_pages(found, owners, SETTINGS, TODAY)
    assert [(uri, nav) for uri, _, nav in pages if nav] == [
        (f"quarters/2027-q{q}.md", True) for q in range(1, 5)]
    assert sorted(uri for uri, _, nav in pages if not nav) == sorted(
        f"owners/{o}/2027-q{q}.md" for o in ("joost", "sanne") for q in range(1, 5))
    sanne_q2 = dict((uri, text) for uri, text, _ in pages)["owners/sanne/2027-q2.md"]
    assert "A" in sanne_q2 and '">B</a>' not in sanne_q2


def test_dashboard_links_the_quarter_pages() -> None:
    """The dashboard's quarterly_views() links each quarter's team page and owners' pages."""
    files = _files(("a", plan_text("A", "Sanne")))
    html = portfolio_macros(files, SETTINGS, TODAY, owner_page=lambda name: "owners/sanne/index.md")[
        "quarterly_views"]()
    assert '<a href="quarters/2027-q2/">Q2 2027: the team</a>' in html
    assert '<a href="owners/sanne/2027-q2/">Sanne</a>' in html


def test_no_plans_no_quarters() -> None:
    """Without active plans the dashboard says there is nothing to evaluate."""
    html = portfolio_macros({}, SETTINGS, TODAY)["quarterly_views"]()
    assert "No active plans for this quarter." in html


@pytest.fixture
def quarter_site(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clear_plans(project)
    write_plan(project, "acme", _evaluated(plan_text("Acme", "Sanne de Vries")))
    write_plan(project, "bolt", plan_text("Bolt", "Joost Hendriks"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    return build_site(project, strict=True)


def test_build_publishes_the_quarter_pages(quarter_site: Path) -> None:
    """A strict build writes each quarter's team page and the owners' pages, linked both ways."""
    team = (quarter_site / "quarters" / "2027-q1" / "index.html").read_text(encoding="utf-8")
    assert "Q1 2027: the team" in team and "Training slow" in team
    assert 'href="../../owners/sanne-de-vries/2027-q1/"' in team
    owner_page = quarter_site / "owners" / "sanne-de-vries" / "2027-q1" / "index.html"
    owner = owner_page.read_text(encoding="utf-8")
    assert "Acme" in owner and "Bolt" not in re.sub(r"<nav.*?</nav>", "", owner, flags=re.S)
    assert 'href="../../../quarters/2027-q1/"' in owner


def test_owner_quarter_pages_stay_out_of_the_navigation(quarter_site: Path) -> None:
    """The navigation of a plan page names the team's quarters, not every owner's."""
    page = (quarter_site / "acme" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', page, re.S)
    assert nav is not None
    assert "Quarters" in nav.group(0)
    assert "sanne-de-vries/2027-q1/" not in nav.group(0)


def test_the_team_quarter_page_prints_on_a4_without_navigation(quarter_site: Path, project: Path,
                                                                chromium: Browser) -> None:
    """Printed from Chromium for the evaluation meeting: A4 pages holding every plan, its
    evaluation's outcome, and no navigation or search box."""
    with serve(quarter_site, project) as served:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(f"{served.url}quarters/2027-q1/", wait_until="networkidle")
            pdf = page.pdf(format="A4", print_background=False)
        finally:
            context.close()
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1  # A4, in points
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for expected in ("Q1 2027: the team", "Acme", "Bolt", "Training slow"):
        assert expected in text, (expected, text[:300])
    assert "Search" not in text and "Quarters" not in text  # no header box, no navigation
