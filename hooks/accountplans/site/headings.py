"""The dashboard's headings, in the site's language: `{{ heading('upcoming_milestones') }}`.

A team's dashboard is its own page, written in its own words; but the example dashboard, and
any team that wants headings in the site's language, takes them from here: each part of the
dashboard (named as its macro is) has a heading, and some a sentence that says how to read
it. `heading('dashboard')` is the page's own title and introduction.

The output is Markdown (a heading and a paragraph), converted as the page's own text, so the
headings are in the page's table of contents as hand-written ones are.
"""

from __future__ import annotations

from dataclasses import dataclass

from accountplans.i18n import N_, gettext


@dataclass(frozen=True)
class Heading:
    """One part's heading: its level (1 for the page, 2 for a part) and an optional sentence."""

    title: str
    level: int = 2
    about: str = ""


#: Every part of the dashboard that has a heading, by the name of its macro.
HEADINGS: dict[str, Heading] = {
    "dashboard": Heading(N_("Account plans"), 1, N_(
        "What matters this week across all accounts. Every number is computed from the plans "
        "at each build: change a plan, not this page. Drafts are not shown; archived plans are "
        "listed at the end and count in no total.")),
    "upcoming_milestones": Heading(N_("Upcoming milestones (next {days} days)")),
    "overdue_milestones": Heading(N_("Overdue milestones")),
    "overdue_reviews": Heading(N_("Plans due for review")),
    "quarterly_views": Heading(N_("Quarterly evaluations"), about=N_(
        "One page per quarter for the team and one per account manager, to print for the "
        "evaluation meeting: target and actual, milestones done and missed, and what each "
        "evaluation found.")),
    "plans_table": Heading(N_("All plans"), about=N_(
        "Click a column heading to sort; type in the box to filter.")),
    "portfolio_totals": Heading(N_("Targets per product")),
    "owner_totals": Heading(N_("Targets per owner")),
    "portfolio_actuals": Heading(N_("Actual against target")),
    "plans_with_warnings": Heading(N_("Plans with warnings")),
    "owner_plans": Heading(N_("Owners")),
    "downloads": Heading(N_("Downloads")),
    "archived_plans": Heading(N_("Archived plans")),
    "rules_table": Heading(N_("Rules of the checker")),
}


def heading(part: str, language: str) -> str:
    """Markdown: the heading of `part` in `language`, and its sentence if it has one.

    An unknown part is refused by the checker (AP401) before a page is rendered; here it
    gives nothing, so that a page never shows a half-made heading.
    """
    # Imported here: `accountplans check` reads this table (through the macro table) but
    # writes no heading, and the schedule would bring the target breakdowns with it.
    from accountplans.compute.schedule import DUE_DAYS

    found = HEADINGS.get(part)
    if found is None:
        return ""
    title = gettext(found.title, language, days=DUE_DAYS)
    text = f"{'#' * found.level} {title}\n"
    if found.about:
        text += f"\n{gettext(found.about, language)}\n"
    return text
