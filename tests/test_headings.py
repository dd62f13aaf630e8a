"""The dashboard's headings in the site's language: `{{ heading('plans_table') }}`."""

from __future__ import annotations

import plan_macros  # hooks/ is on sys.path in tests (conftest), as when the hook loads
from accountplans.plan.body import PORTFOLIO_MACROS, check_templates
from accountplans.site.headings import HEADINGS, heading
from accountplans.site.htmlblocks import fill_in, plain_markdown


def test_a_heading_is_markdown_in_the_language_asked_for() -> None:
    """The same part gives an English or a Dutch level-2 heading, as Markdown."""
    assert heading("upcoming_milestones", "en") == "## Upcoming milestones (next 30 days)\n"
    assert heading("upcoming_milestones", "nl") == "## Komende mijlpalen (de volgende 30 dagen)\n"


def test_the_dashboard_part_is_the_page_title_and_its_introduction() -> None:
    """heading('dashboard') is a level-1 heading followed by a paragraph."""
    title, blank, about = heading("dashboard", "nl").split("\n")[:3]
    assert (title, blank) == ("# Accountplannen", "")
    assert about.startswith("Wat er deze week speelt")


def test_every_part_but_the_page_is_a_dashboard_macro() -> None:
    """Each heading is named after the macro whose part it heads."""
    assert set(HEADINGS) - {"dashboard"} <= set(PORTFOLIO_MACROS)


def test_the_checker_accepts_a_known_part() -> None:
    """heading('plans_table') is a call the dashboard may make."""
    assert check_templates("index.md", "{{ heading('plans_table') }}\n", 1, PORTFOLIO_MACROS) == []


def test_an_unknown_part_is_ap401_with_did_you_mean_in_the_site_language() -> None:
    """A misspelt part is AP401 at its place, suggesting the part meant, in Dutch for nl."""
    [found] = check_templates("index.md", "\n{{ heading('plan_table') }}\n", 1, PORTFOLIO_MACROS,
                              language="nl")
    assert (found.code, found.line, found.col) == ("AP401", 2, 1)
    assert "bedoel je {{ heading('plans_table') }}?" in found.message


def test_a_plan_cannot_call_heading() -> None:
    """heading() belongs to pages across plans: on a plan it is an unknown macro."""
    [found] = check_templates("p.md", "{{ heading('plans_table') }}\n", 1)
    assert found.message.startswith("'heading' is not a known macro")


def test_the_fast_path_fills_in_a_call_with_its_word() -> None:
    """A page of headings and macros stays plain, and each call gets its quoted word."""
    page = "{{ heading(\"plans_table\") }}\n\n{{ plans_table() }}\n"
    assert plain_markdown(page, {"heading", "plans_table"})
    macros = {"heading": lambda part: f"## {part}\n", "plans_table": lambda: "<table></table>"}
    assert fill_in(page, macros) == "## plans_table\n\n\n<table></table>\n"


def test_the_sandbox_renders_the_heading_as_the_fast_path_does() -> None:
    """The template renderer passes the word as well: both paths give the same Markdown."""
    page = "{{ heading('owner_plans') }}\n"
    macros = {"heading": lambda part: heading(part, "nl")}
    assert plan_macros.render(plan_macros.make_environment(), page, macros) == fill_in(page, macros)
