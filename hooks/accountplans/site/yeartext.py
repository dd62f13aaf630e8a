"""The texts of the plan-year features (week targets, quarterly views), by key, in one place.

Each is a complete sentence or label with `{fields}`, marked for the gettext catalogs
(hooks/accountplans/locale, see accountplans.i18n): the English text is the message id, the
Dutch is in the nl catalog. `text()` gives one in a language, filled in.
"""

from __future__ import annotations

from accountplans.i18n import N_, gettext

TEXTS: dict[str, str] = {
    "week_average": N_("Avg. week"),
    "weeks_note_seasonal": N_(
        "{open} of the {weeks} ISO weeks of {year} are selling weeks (closed: {closed}). Each "
        "month's target is spread over its selling days (Monday to Friday, not in a closed week);"
        " a week's target is the sum of its days, rounded down to the cent, the month's last week"
        " taking the remaining cents. Avg. week is the year ÷ {open}."
    ),
    "weeks_per_month": N_("Week targets per month, {year}"),
    "weeks_of_month": N_("{month}: {amount}"),
    "iso_week": N_("Week"),
    "week_from": N_("From Monday"),
    "title_team": N_("{quarter}: the team"),
    "title_team_short": N_("The whole team"),
    "title_owner": N_("{quarter}: {owner}"),
    "quarter_no_actuals": N_(
        "There are no actuals yet: actual against target appears once plans/actuals.csv (a CRM "
        "export) is added."
    ),
    "quarter_no_plans": N_("No active plans for this quarter."),
    "per_owner": N_("Per account manager"),
    "heading_summary": N_("Summary"),
    "heading_plans": N_("Per plan"),
    "col_account": N_("Account"),
    "col_owner": N_("Owner"),
    "col_target": N_("Target {quarter}"),
    "col_actual": N_("Actual"),
    "col_evaluation": N_("Evaluation"),
    "figures": N_("{quarter}: target {target}, actual {actual} ({percent})."),
    "figures_ytd": N_("Year to date ({months} months): target {target}, actual {actual} ({percent})."),
    "figures_ahead": N_("{quarter} has not started: its target is {target}."),
    "eval_none": N_("No evaluation planned in this quarter."),
    "eval_planned": N_("Planned for {date}."),
    "eval_missed": N_("Planned for {date}, not marked done."),
    "eval_done_no_status": N_("Held on {date}; no status recorded."),
    "status_on-track": N_("on track"),
    "status_at-risk": N_("at risk"),
    "status_off-track": N_("off track"),
    "ms_done": N_("Done in the quarter"),
    "ms_missed": N_("Missed (date passed, not done)"),
    "ms_open": N_("Still to come in the quarter"),
    "ms_next": N_("Planned for the next quarter"),
    "none": N_("none"),
    "quarterly_views": N_("Quarterly evaluations"),
}


def text(key: str, language: str, **fields: object) -> str:
    """The text `key` in `language` (English when there is no such language), filled in."""
    return gettext(TEXTS[key], language, **fields)
