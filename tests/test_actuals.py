"""plans/actuals.csv: reading the CRM export (AP501, AP502), progress against target, and the
actuals on plan pages and the dashboard in a real build (today pinned to 2027-03-10)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from accountplans.compute.actuals import (
    actuals_table,
    check_against_plans,
    load_actuals,
    months_elapsed,
    progress,
    read_actuals,
)
from accountplans.plan.check import check_text
from accountplans.plan.model import Plan
from accountplans.settings import Settings
from conftest import EXAMPLE_PLANS
from mkdocs.exceptions import Abort, PluginError
from plan_factory import TODAY, build_site, clear_plans, epoch, plan_text, write_plan

CSV = "plans/actuals.csv"
HEADER = "account,product,month,amount\n"


def _plan(**kwargs: object) -> Plan:
    checked = check_text("plans/acme.md", plan_text("Acme", "Sanne", **kwargs), Settings())  # type: ignore[arg-type]
    assert checked.plan is not None and not checked.errors
    return checked.plan


def _codes(text: str) -> list[tuple[str, int]]:
    return [(p.code, p.line) for p in read_actuals(CSV, text)[1]]


def test_good_rows_are_read() -> None:
    """Each row gives account, product, year, month and a Decimal amount."""
    actuals, found = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,1250.50\n")
    assert found == []
    assert actuals.amount("acme", " licences ", 2027, 1) == Decimal("1250.50")


def test_rows_of_one_month_are_added_up() -> None:
    """Two invoices of the same month are one actual."""
    actuals, _ = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,100\nAcme,Licences,2027-01,50.25\n")
    assert actuals.amount("Acme", "Licences", 2027, 1) == Decimal("150.25")


def test_semicolons_and_decimal_commas_of_dutch_spreadsheets() -> None:
    """A ';'-separated export may write cents with a comma."""
    actuals, found = read_actuals(CSV, "account;product;month;amount\r\nAcme;Licences;2027-02;99,95\r\n")
    assert found == [] and actuals.amount("Acme", "Licences", 2027, 2) == Decimal("99.95")


def test_columns_in_any_order_and_a_byte_order_mark() -> None:
    """The header names the columns; a spreadsheet's BOM is ignored."""
    actuals, found = read_actuals(CSV, "\ufeffMonth,Amount,Account,Product\n2027-03,10,Acme,Licences\n")
    assert found == [] and actuals.amount("Acme", "Licences", 2027, 3) == Decimal(10)


def test_bad_month_is_ap501_on_its_csv_line() -> None:
    """A month that is not YYYY-MM is AP501 at the CSV line, with the value."""
    _, found = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,1\nAcme,Licences,March 2027,1\n")
    assert [(p.code, p.line) for p in found] == [("AP501", 3)]
    assert "'March 2027'" in found[0].message
    assert str(found[0]).startswith("plans/actuals.csv:3:1: AP501 error")


@pytest.mark.parametrize("amount", ["1.250,00", "1,250.00", "€100", "12.345", "abc", ""])
def test_amounts_with_separators_or_symbols_are_ap501(amount: str) -> None:
    """Only a plain number is an amount: a thousands separator is ambiguous."""
    assert _codes(HEADER + f'Acme,Licences,2027-01,"{amount}"\n') == [("AP501", 2)]


def test_month_13_is_ap501() -> None:
    """2027-13 is not a month."""
    assert _codes(HEADER + "Acme,Licences,2027-13,5\n") == [("AP501", 2)]


def test_short_row_and_empty_account_are_ap501() -> None:
    """A row with a missing field and one with an empty account, each on its line."""
    assert _codes(HEADER + "Acme,Licences,2027-01\n,Licences,2027-01,5\n") == [("AP501", 2), ("AP501", 3)]


def test_missing_header_is_one_ap501() -> None:
    """Without the header row nothing can be read: one problem, on line 1."""
    assert _codes("Acme,Licences,2027-01,5\nAcme,Licences,2027-02,5\n") == [("AP501", 1)]


def test_line_numbers_count_quoted_line_breaks() -> None:
    """A quoted field with a line break shifts the lines after it, as an editor shows them."""
    found = _codes(HEADER + '"Acme\nB.V.",Licences,2027-01,5\nAcme,Licences,2027-1,5\n')
    assert found == [("AP501", 4)]


def test_unclosed_quote_is_ap501_not_a_traceback() -> None:
    """A broken quote is reported, never raised."""
    found = _codes(HEADER + 'Acme,"Licences,2027-01,5\n')
    assert found and all(code == "AP501" for code, _ in found)


def test_not_utf8_file_is_ap501(tmp_path: Path) -> None:
    """An export in a legacy encoding is AP501 telling how to export it."""
    path = tmp_path / "actuals.csv"
    path.write_bytes((HEADER + "Café,Licences,2027-01,5\n").encode("cp1252"))
    actuals, found = load_actuals(path, CSV, [])
    assert actuals is None and [(p.code, p.line) for p in found] == [("AP501", 2)]
    assert "UTF-8" in found[0].message


def test_ap501_and_ap502_speak_the_site_language(tmp_path: Path) -> None:
    """With the site's language nl, a malformed row and an unknown account are told in Dutch."""
    path = tmp_path / "actuals.csv"
    path.write_text(HEADER + "Acme,Licences,2027-13,5\nNiemand,Licences,2027-01,5\n", encoding="utf-8")
    _, found = load_actuals(path, CSV, [_plan()], language="nl")
    assert [(p.code, p.message.split(" (")[0].split(";")[0]) for p in found] == [
        ("AP501", "de maand moet als JJJJ-MM geschreven worden"),
        ("AP502", "geen plan heeft de klant 'Niemand'")]


def test_unknown_account_and_product_are_ap502_warnings() -> None:
    """A row naming no plan's account, or a product the plan has not, is a warning once each."""
    actuals, _ = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,5\nNobody,Licences,2027-01,5\n"
                                            "Nobody,Licences,2027-02,5\nAcme,Coffee,2027-01,5\n")
    found = check_against_plans(actuals, [_plan()])
    assert [(p.code, p.severity, p.line) for p in found] == [("AP502", "warning", 3), ("AP502", "warning", 5)]
    assert "Licences" in found[1].message  # it names the products the plan does have


def test_progress_per_quarter_and_year_to_date() -> None:
    """Target months follow the plan's breakdown; year to date counts months up to today's."""
    actuals, _ = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,9000\nAcme,Licences,2027-03,1000\n"
                                            "Acme,Licences,2027-04,7\nAcme,Licences,2026-12,500\n")
    result = progress(_plan(), actuals, TODAY)
    assert result is not None
    assert result.quarter(1) == (Decimal(30000), Decimal(10000))
    assert result.quarter(2) == (Decimal(30000), Decimal(7))
    assert (result.months_elapsed, result.target_ytd, result.actual_ytd) == (
        3, Decimal(30000), Decimal(10000))


def test_months_elapsed_before_in_and_after_the_plan_year() -> None:
    """0 before the plan year, today's month in it, 12 after it."""
    assert [months_elapsed(2027, TODAY.replace(year=y)) for y in (2026, 2027, 2028)] == [0, 3, 12]


def test_actuals_table_has_a_chart_and_escapes_names() -> None:
    """The plan's table holds an inline SVG with a title, and the account name as text."""
    plan = _plan()
    actuals, _ = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,9000\n")
    html = actuals_table(plan, actuals, TODAY)
    assert '<svg class="accountplans-chart" role="img"' in html and "<title>" in html
    assert "Year to date" in html and "\n\n" not in html  # one HTML block for Markdown


def test_actuals_table_in_dutch() -> None:
    """A Dutch plan gets Dutch labels and amounts."""
    actuals, _ = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,9000\n")
    html = actuals_table(_plan(language="nl"), actuals, TODAY)
    assert "Omzet tegen doel" in html and "€\xa09.000" in html
    assert "Tot nu toe (jan–mrt)" in html and "□ doel ■ omzet" in html


def test_before_the_plan_year_in_dutch() -> None:
    """Before a Dutch plan's year: Dutch sentence, column heads and 'nieuw' for a new product."""
    actuals, _ = read_actuals(CSV, HEADER + "Acme,Licences,2026-05,60000\n")
    plan = _plan(language="nl", targets=[("Licences", 120000, 300000), ("Training", 5000, 9000)])
    html = actuals_table(plan, actuals, TODAY.replace(year=2026, month=11))
    assert "Het planjaar 2027 is nog niet begonnen" in html and "Omzet 2026" in html
    assert ">nieuw<" in html and "has not started" not in html


def test_before_the_plan_year_targets_face_last_years_actuals() -> None:
    """In November 2026 a 2027 plan shows each product's 2026 actual against its 2027 target."""
    actuals, _ = read_actuals(CSV, HEADER + "Acme,Licences,2026-05,60000\nAcme,Licences,2026-06,40000\n")
    plan = _plan(targets=[("Licences", 120000, 300000), ("Training", 5000, 9000)])
    result = progress(plan, actuals, TODAY.replace(year=2026, month=11))
    assert result is not None and result.prior_actual == Decimal(100000)
    html = actuals_table(plan, actuals, TODAY.replace(year=2026, month=11))
    assert "has not started" in html and "Actual 2026" in html
    assert "+20.0%" in html and ">new<" in html  # 100,000 -> 120,000; nothing -> 5,000


def test_example_actuals_match_the_example_plans() -> None:
    """The example actuals.csv names only accounts and products of the example plans."""
    docs = EXAMPLE_PLANS
    plans = [f.plan for f in (check_text(str(p), p.read_text(encoding="utf-8"), Settings())
                              for p in sorted(docs.glob("*.md"))) if f.plan is not None]
    actuals, found = load_actuals(docs / "actuals.csv", CSV, plans)
    assert actuals is not None and actuals.names and found == []


def test_without_actuals_the_plan_says_so() -> None:
    """No actuals.csv: a note, no table."""
    assert "<table" not in actuals_table(_plan(), None, TODAY)


@pytest.fixture
def actuals_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clear_plans(project)
    text = plan_text("Acme", "Sanne").replace("{{ targets_table() }}",
                                              "{{ targets_table() }}\n\n{{ actuals_table() }}")
    write_plan(project, "acme", text)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    return project


def test_plan_page_and_dashboard_show_actuals(actuals_project: Path) -> None:
    """Actual against target on the plan page and the dashboard; the CRM export is not published."""
    (actuals_project / "plans" / "actuals.csv").write_text(HEADER + "Acme,Licences,2027-02,12345\n")
    site = build_site(actuals_project)
    page = (site / "acme" / "index.html").read_text(encoding="utf-8")
    assert "accountplans-actuals" in page and "€12,345" in page
    dashboard = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"accountplans-portfolio-actuals.*Acme.*€12,345", dashboard, re.S)
    assert not (site / "actuals.csv").exists()


def test_malformed_actuals_stop_the_build_with_ap501(actuals_project: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    """A bad row fails `mkdocs build` and the log names the CSV line."""
    (actuals_project / "plans" / "actuals.csv").write_text(HEADER + "Acme,Licences,2027-02,12.345,00\n")
    with pytest.raises((PluginError, Abort)):
        build_site(actuals_project)
    assert "plans/actuals.csv:2:1: AP501 error" in caplog.text


def test_unknown_account_is_a_warning_on_the_dashboard(actuals_project: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    """AP502 does not stop a build; it is logged and listed with the plans with warnings."""
    (actuals_project / "plans" / "actuals.csv").write_text(HEADER + "Acne,Licences,2027-02,5\n")
    site = build_site(actuals_project)
    assert "plans/actuals.csv:2:1: AP502 warning" in caplog.text
    dashboard = (site / "index.html").read_text(encoding="utf-8")
    part = dashboard[dashboard.index('id="plans-with-warnings"'):]
    assert "AP502" in part and "Acne" in part


def test_rows_not_written_as_an_export_writes_them_are_read_the_same() -> None:
    """Spaces around names and amounts, and a 16-character amount, are read like plain rows."""
    plain, _ = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,1250.50\n"
                                          "Acme,Licences,2027-02,-999999999999.99\n")
    spaced, found = read_actuals(CSV, HEADER + " Acme , Licences ,2027-01, 1 250.50\n"
                                               "Acme,Licences, 2027-02 ,-999999999999.99\n")
    assert found == []
    assert spaced.by_key == plain.by_key
    assert plain.amount("Acme", "Licences", 2027, 2) == Decimal("-999999999999.99")


def test_unknown_account_in_two_spellings_is_one_ap502_on_its_first_row() -> None:
    """An account written two ways is one account: AP502 once, on the line of its first row."""
    actuals, _ = read_actuals(CSV, HEADER + "Acme,Licences,2027-01,5\nNOBODY,Licences,2027-01,5\n"
                                            " nobody ,Licences,2027-02,5\nNobody,Licences,2027-03,5\n")
    found = check_against_plans(actuals, [_plan()])
    assert [(p.code, p.line) for p in found] == [("AP502", 3)]
    assert "'NOBODY'" in found[0].message
