"""The plan macros and the key-facts block: golden values, both languages, escaping, and a
real in-process `mkdocs build` of the example site.

"Today" is pinned: 2027-03-01 for the unit tests (a day in the plan year, so every status
occurs), and SOURCE_DATE_EPOCH=1795046400 (2026-11-19 00:00 UTC) for the builds.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from accountplans.plan.body import PLAN_MACROS
from accountplans.plan.check import check_text
from accountplans.plan.model import Contact, Plan, Target
from accountplans.settings import Settings
from accountplans.site.charts import bar_chart
from accountplans.site.contacts import contacts_picture, org_tree
from accountplans.site.keyfacts import insert_key_facts, key_facts
from accountplans.site.macros import milestones_table, plan_macros, targets_table
from conftest import EXAMPLE_PLANS, indexed_pages
from plan_factory import build_site, plan_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = EXAMPLE_PLANS / "bakkerij-van-dijk.md"
TODAY = dt.date(2027, 3, 1)
BUILD_EPOCH = "1795046400"  # 2026-11-19
SETTINGS = Settings(closed_weeks=(52, 1))
NBSP = "\xa0"


def _plan(text: str) -> Plan:
    checked = check_text("plans/x.md", text, SETTINGS)
    assert checked.plan is not None, checked.problems
    return checked.plan


def _example(language: str = "nl") -> Plan:
    return _plan(EXAMPLE.read_text(encoding="utf-8").replace("language: nl", f"language: {language}"))


def _cells(table_html: str, row_label: str) -> list[str]:
    """The data cells of every row whose header is `row_label`, in order."""
    cells: list[str] = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table_html):
        if re.search(rf'<th scope="row">{re.escape(row_label)}</th>', row):
            cells += re.findall(r"<td>(.*?)</td>", row)
    return cells


# --- targets_table -------------------------------------------------------------------------


def test_plan_macros_are_the_known_names() -> None:
    """plan_macros offers exactly the macros the checker allows (body.PLAN_MACROS)."""
    assert set(plan_macros(_example(), SETTINGS, TODAY)) == set(PLAN_MACROS)


def test_targets_golden_months_in_dutch() -> None:
    """Van Dijk's Cloud ERP months in Dutch, December € 14.400; the total row sums both products."""
    html = targets_table(_example("nl"), SETTINGS)
    months = _cells(html.split('accountplans-months')[1], "Cloud ERP licences")
    assert months == [f"€{NBSP}{m}" for m in ("6.000", "6.000", "9.600", "9.600", "10.800", "10.800",
                                              "7.200", "7.200", "12.000", "12.000", "14.400", "14.400")]
    totals = _cells(html.split('accountplans-months')[1], "Totaal")
    assert totals[11] == f"€{NBSP}16.200"


def test_targets_golden_quarters_week_and_growth_in_dutch() -> None:
    """Year, quarters, week target (50 selling weeks in 2027), year 3 and growth, in Dutch."""
    html = targets_table(_example("nl"), SETTINGS)
    quarter_table = html.split("accountplans-months")[0]
    assert _cells(quarter_table, "Cloud ERP licences") == [
        f"€{NBSP}120.000", f"€{NBSP}21.600", f"€{NBSP}31.200", f"€{NBSP}26.400", f"€{NBSP}40.800",
        f"€{NBSP}2.400", f"€{NBSP}400.000", "82,6%"]
    assert "Doelen per kwartaal (EUR)" in html and "Jaar 3 (2029)" in html
    assert "50 van de 52 ISO-weken van 2027" in html


def test_targets_in_english() -> None:
    """The same plan in English: English titles, month names and number format."""
    html = targets_table(_example("en"), SETTINGS)
    assert "Targets per quarter (EUR)" in html and ">Mar<" in html
    assert _cells(html.split("accountplans-months")[1], "Total")[11] == "€16,200"
    assert "81.6%" in html  # total growth 135,000 -> 445,000


def test_targets_golden_values_of_the_english_example() -> None:
    """Northwind: 80,000 with weights 8 (Jan-Aug) and 9 (Sep-Dec): €6,400 and €7,200 a month."""
    html = targets_table(_plan((ROOT / "tests" / "data" / "good-plan.md").read_text(encoding="utf-8")),
                         SETTINGS)
    quarter_table, month_table = html.split("accountplans-months")
    assert _cells(month_table, "Route planning suite") == ["€6,400"] * 8 + ["€7,200"] * 4
    assert _cells(quarter_table, "Route planning suite")[:6] == [
        "€80,000", "€19,200", "€19,200", "€20,000", "€21,600", "€1,600"]
    assert _cells(quarter_table, "Total") == []  # one product: no total row
    assert "the remaining cents go to December" in html


def test_targets_show_cents_in_every_cell_when_any_has_cents() -> None:
    """A target that does not divide evenly shows cents in all cells of the table."""
    plan = _plan(EXAMPLE.read_text(encoding="utf-8").replace("year1: 15000", "year1: 1001"))
    html = targets_table(plan, SETTINGS)
    month_cells = _cells(html.split("accountplans-months")[1], "Training")
    assert all(re.search(r",\d\d$", c) for c in month_cells)
    assert sum(Decimal(c.split(NBSP)[1].replace(".", "").replace(",", ".")) for c in month_cells) == 1001


def test_targets_escape_product_names() -> None:
    """A product name with HTML in it is shown as text, never as markup."""
    plan = _plan(EXAMPLE.read_text(encoding="utf-8").replace(
        "product: Training", "product: '<img src=x onerror=alert(1)>'"))
    html = targets_table(plan, SETTINGS)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html


def test_targets_chart_is_an_inline_svg_image() -> None:
    """The month chart is inline SVG: role=img, a title, 12 bars, no script."""
    html = targets_table(_example("en"), SETTINGS)
    svg = re.search(r"<svg.*?</svg>", html)
    assert svg is not None
    assert 'role="img"' in svg.group(0)
    assert "<title>Monthly targets 2027, all products</title>" in svg.group(0)
    assert svg.group(0).count("<rect") == 12
    assert "<script" not in html


def test_targets_without_a_year_say_so() -> None:
    """A plan whose year failed its check (shown under serve) gets a note, not a traceback."""
    plan = Plan("plans/x.md", "X", year=None, targets=(Target("A", Decimal(100)),))
    assert "no valid year" in targets_table(plan, SETTINGS)


# --- milestones_table ----------------------------------------------------------------------

MILESTONES_PLAN = """---
account: Status Test B.V.
owner: Sanne de Vries
year: 2027
reviewed: 2026-11-02
language: nl
contacts:
  - name: Anna Bakker
    decision_maker: true
milestones:
  - {date: 2027-01-10, title: Al gedaan, kind: contact, done: true}
  - {date: 2027-02-20, title: Vergeten, kind: visit}
  - {date: 2027-03-20, title: Binnenkort, kind: evaluation}
  - {date: 2027-06-20, title: Later, kind: deal}
  - {date: 2027-12-01, title: Kerst, kind: evaluation}
visits_per_year: 4
---

# Status Test
"""


def test_milestones_have_a_status_on_the_pinned_date() -> None:
    """Done, overdue, due within 30 days and later, in date order, in Dutch, with the date."""
    html = milestones_table(_plan(MILESTONES_PLAN), SETTINGS, TODAY)
    statuses = re.findall(r'<tr class="accountplans-status-(\w+)">', html)
    assert statuses == ["done", "overdue", "due", "later", "later"]
    for word in ("gedaan", "te laat", "binnen 30 dagen", "later"):
        assert f'<span class="accountplans-status">{word}</span>' in html
    assert "Status op 1 mrt 2027." in html


def test_milestones_show_unplanned_evaluations() -> None:
    """Q2 and Q3 have no evaluation: they say 'niet gepland'."""
    html = milestones_table(_plan(MILESTONES_PLAN), SETTINGS, TODAY)
    evaluations = re.search(r'<p class="accountplans-evaluations">.*?</p>', html)
    assert evaluations is not None
    assert evaluations.group(0).count("niet gepland") == 2
    assert "Q1: 20 mrt 2027 (binnen 30 dagen)" in evaluations.group(0)


def test_milestones_show_the_visit_cadence() -> None:
    """4 visits over 50 selling weeks: every 12 weeks, 1 of 4 planned."""
    html = milestones_table(_plan(MILESTONES_PLAN), SETTINGS, TODAY)
    assert "één bezoek per 12 weken" in html and "Gepland als mijlpaal: 1 van 4" in html


def test_milestones_in_english() -> None:
    """English labels and dates."""
    html = milestones_table(_plan(MILESTONES_PLAN.replace("language: nl", "language: en")), SETTINGS, TODAY)
    assert "Status on 1 Mar 2027." in html and ">overdue<" in html and "due within 30 days" in html


# --- contacts_picture ----------------------------------------------------------------------


def test_contacts_picture_nests_reports_under_their_manager() -> None:
    """Pieter, Ilse and Kees report to Anna: they are listed inside her item."""
    html = contacts_picture(_example("nl").contacts, "nl")
    anna = html.index("<strong>Anna Bakker</strong>")
    nested = html.index("<ul>", anna)
    assert nested < html.index("<strong>Pieter Jansen</strong>") < html.index("</li></ul></li>", nested)
    assert "beslist" in html and "pleitbezorger" in html and "criticus" in html
    assert "<strong>Critici:</strong> Kees de Boer" in html


def test_contacts_picture_survives_a_reporting_circle() -> None:
    """A reports to B, B to A, C to A: everyone appears exactly once, no endless loop."""
    contacts = (Contact("A", reports_to="B"), Contact("B", reports_to="A"), Contact("C", reports_to="A"))
    html = contacts_picture(contacts, "en")
    for name in ("A", "B", "C"):
        assert html.count(f"<strong>{name}</strong>") == 1
    assert [n.contact.name for n in org_tree(contacts)] == ["A", "B"]


def test_reporting_lines_match_names_as_the_checker_does() -> None:
    """`reports_to: anna  BAKKER` puts the contact under Anna Bakker (accountplans.names)."""
    contacts = (Contact("Anna Bakker"), Contact("Pieter Jansen", reports_to="anna  BAKKER"))
    (root,) = org_tree(contacts)
    assert root.contact.name == "Anna Bakker"
    assert [n.contact.name for n in root.reports] == ["Pieter Jansen"]


def test_contacts_picture_escapes_names() -> None:
    """Names and roles are text, never markup."""
    html = contacts_picture((Contact("<b>x</b>", role="<i>CEO</i>", decision_maker=True),), "en")
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html and "&lt;i&gt;CEO" in html


# --- key facts -----------------------------------------------------------------------------


def test_key_facts_of_the_example_plan() -> None:
    """Account, owner, position, industry, FTE, deciders with roles, totals, review, date."""
    html = key_facts(_example("nl"), SETTINGS, TODAY)
    for expected in ("Bakkerij Van Dijk B.V.", "Sanne de Vries", "runner-up", "Food retail", ">240<",
                     "Anna Bakker (Algemeen directeur), Pieter Jansen (CFO)", f"€{NBSP}135.000",
                     f"€{NBSP}445.000", "2 nov 2026", "Berekend voor 1 mrt 2027."):
        assert expected in html


def test_key_facts_say_when_the_review_is_overdue() -> None:
    """Reviewed 2 Nov 2026, 92 review days: on 1 Mar 2027 the review is overdue since 2 Feb."""
    assert "te laat sinds 2 feb 2027" in key_facts(_example("nl"), SETTINGS, TODAY)
    assert "by 2 Feb 2027" in key_facts(_example("en"), SETTINGS, dt.date(2026, 12, 1))


def test_key_facts_escape_plan_text() -> None:
    """An account name with markup is escaped in the block."""
    plan = Plan("plans/x.md", "<script>alert(1)</script>", owner="<b>o</b>")
    html = key_facts(plan, SETTINGS, TODAY)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;o" in html


def test_key_facts_go_after_the_h1() -> None:
    """A page that starts with an h1 gets the block right under it."""
    assert insert_key_facts("\n# Title\n\nText", "<div>K</div>") == "\n# Title\n\n<div>K</div>\n\n\nText"


def test_key_facts_go_on_top_without_an_h1() -> None:
    """A page without a leading h1 gets the block at its top; an h1 in code does not count."""
    assert insert_key_facts("Text\n# Late", "<div>K</div>").startswith("<div>K</div>\n\nText")
    fenced = "```\n# not a heading\n```\n"
    assert insert_key_facts(fenced, "<div>K</div>").startswith("<div>K</div>")


# --- a real build --------------------------------------------------------------------------


def _build(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    return build_site(project)


def _search_text(site: Path, location_prefix: str) -> str:
    return " ".join(text for url, text in indexed_pages(site).items()
                    if url.strip("/").startswith(location_prefix.strip("/")))


def test_build_shows_computed_content_on_the_example_plan(project: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The built page has key facts under the h1, target tables, chart and milestones."""
    site = _build(project, monkeypatch)
    page = (site / "bakkerij-van-dijk" / "index.html").read_text(encoding="utf-8")
    h1 = page.index("<h1")
    assert h1 < page.index('class="accountplans-keyfacts"') < page.index('id="organisatie"')
    assert "<td>€&nbsp;14.400</td>" in page
    assert '<svg class="accountplans-chart" role="img"' in page
    assert 'class="accountplans-milestones"' in page and "Status op 19 nov 2026." in page
    assert "Berekend voor 19 nov 2026." in page
    assert "{{" not in page


def test_build_puts_key_facts_in_the_search_index(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Search finds the plan by its owner, a decision maker's role and the year-1 total."""
    site = _build(project, monkeypatch)
    text = _search_text(site, "bakkerij-van-dijk/")
    for expected in ("Sanne de Vries", "Pieter Jansen (CFO)", "Doel 2027", "€ 135.000"):
        assert expected in text


def test_build_of_an_english_plan_with_a_relationship_picture(project: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An English plan gets English tables and key facts; contacts_picture() draws the tree."""
    text = (ROOT / "tests" / "data" / "good-plan.md").read_text(encoding="utf-8")
    text = text.replace("## SWOT", "{{ contacts_picture() }}\n\n## SWOT")
    (project / "plans" / "northwind.md").write_text(text, encoding="utf-8")
    site = _build(project, monkeypatch)
    page = (site / "northwind" / "index.html").read_text(encoding="utf-8")
    assert "Targets per quarter (EUR)" in page and "Computed for 19 Nov 2026." in page
    assert 'class="accountplans-contacts"' in page and "<strong>Omar Reed</strong>, Head of IT" in page
    assert "Account manager" in page and "Tom Baker" in page


def test_build_leaves_the_source_files_alone(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Key facts are written into the page, never into the plan file."""
    before = (project / "plans" / "bakkerij-van-dijk.md").read_bytes()
    _build(project, monkeypatch)
    assert (project / "plans" / "bakkerij-van-dijk.md").read_bytes() == before
    shutil.rmtree(project / "site")


# --- robustness ----------------------------------------------------------------------------


def test_key_facts_of_a_plan_with_missing_values() -> None:
    """A plan whose fields failed their checks (shown under serve) gets dashes, not a traceback."""
    html = key_facts(Plan("plans/x.md", "X", language="en"), SETTINGS, TODAY)
    assert "<dt>Account manager</dt> <dd>—</dd>" in html
    assert "<dt>Decision makers</dt> <dd>none</dd>" in html
    assert "<dt>Last review</dt> <dd>—</dd>" in html


def test_chart_escapes_its_texts() -> None:
    """Titles and labels of the SVG chart are escaped."""
    svg = bar_chart([Decimal(1), Decimal(2)], ["<a>", "b"], ["1", "2"], "<script>", "d&d")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;a&gt;" in svg and "d&amp;d" in svg


def test_chart_bars_share_the_width_evenly_in_any_count() -> None:
    """Bars sit in equal slots (70% wide, centred) for 3 and 7 bars alike, twice the same."""
    three = bar_chart([Decimal(1), Decimal(2), Decimal(4)], ["a", "b", "c"], ["1", "2", "4"], "t", "d")
    assert re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="([\d.]+)"', three) == [
        ("30", "140", "21.5"), ("230", "140", "43"), ("430", "140", "86")]
    assert re.findall(r'<text x="([\d.]+)" y="116"', three) == ["100", "300", "500"]
    seven = bar_chart([Decimal(1)] * 7, list("abcdefg"), ["1"] * 7, "t", "d")
    assert re.findall(r'<rect x="([\d.]+)"', seven) == [
        "12.9", "98.6", "184.3", "270", "355.7", "441.4", "527.1"]
    assert 'width="60"' in seven
    assert bar_chart([Decimal(1)] * 7, list("abcdefg"), ["1"] * 7, "t", "d") == seven


def test_chart_needs_one_label_per_value() -> None:
    """A chart with fewer labels than values is a programming error, said plainly."""
    with pytest.raises(ValueError, match="one label"):
        bar_chart([Decimal(1), Decimal(2)], ["a"], ["1", "2"], "t", "d")


def test_key_facts_say_a_plan_is_archived() -> None:
    """An archived plan says so first, in its language."""
    html = key_facts(Plan("plans/x.md", "X", status="archived", language="nl"), SETTINGS, TODAY)
    assert html.index("gearchiveerd (telt in geen totaal)") < html.index("<dt>Klant</dt>")


def test_week_targets_per_month_follow_the_seasonality() -> None:
    """The plan page's week table lists week 10 of a Van Dijk-like plan under March with its own
    seasonal target (March's 9,600 over 23 selling days: 5 days = 2,086.95)."""
    plan = _plan(plan_text("Van Dijk", "Sanne", targets=[("Cloud ERP", 120000, 400000)],
                           seasonality=[5, 5, 8, 8, 9, 9, 6, 6, 10, 10, 12, 12]))
    html = targets_table(plan, SETTINGS)
    found = re.search(r'<details class="accountplans-weeks accountplans-screen-only"[^>]*>.*?</details>',
                      html)
    assert found is not None
    march = found.group(0).split("March:")[1].split("April:")[0]
    assert '<th scope="row">10</th> <td>8 Mar</td> <td>€2,086.95</td>' in march


def test_flat_week_split_shows_the_flat_note() -> None:
    """With `week_split: flat` the rounding note says the year is divided by the selling weeks."""
    plan = _plan(plan_text("Van Dijk", "Sanne", targets=[("Cloud ERP", 120000, 400000)]))
    html = targets_table(plan, Settings(closed_weeks=(52, 1), week_split="flat"))
    assert "Week target = year target ÷ 50" in html
