"""The texts of the plan-year features (week targets, quarterly views, headline, roll-over,
exports), in English and Dutch, in one place.

They are not in the gettext catalogs yet (issue 11 moves them there): each is a complete
sentence or label with `{fields}`, chosen by language with `text()`, so that wrapping them
in `N_()` later is a mechanical change.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # targets_table: week targets that follow the months
    "week_average": {"en": "Avg. week", "nl": "Gem. week"},
    "weeks_note_seasonal": {
        "en": "{open} of the {weeks} ISO weeks of {year} are selling weeks (closed: {closed}). "
              "Each month's target is spread over its selling days (Monday to Friday, not in a "
              "closed week); a week's target is the sum of its days, rounded down to the cent, "
              "the month's last week taking the remaining cents. Avg. week is the year ÷ {open}.",
        "nl": "{open} van de {weeks} ISO-weken van {year} zijn verkoopweken (dicht: {closed}). "
              "Het doel van elke maand is verdeeld over haar verkoopdagen (maandag tot en met "
              "vrijdag, niet in een dichte week); het doel van een week is de som van haar dagen, "
              "naar beneden afgerond op de cent, en de laatste week van de maand krijgt de "
              "resterende centen. Gem. week is het jaar ÷ {open}.",
    },
    "weeks_per_month": {"en": "Week targets per month, {year}", "nl": "Weekdoelen per maand, {year}"},
    "weeks_of_month": {"en": "{month}: {amount}", "nl": "{month}: {amount}"},
    "iso_week": {"en": "Week", "nl": "Week"},
    "week_from": {"en": "From Monday", "nl": "Vanaf maandag"},
    # quarterly view
    "title_team": {"en": "{quarter}: the team", "nl": "{quarter}: het team"},
    "title_team_short": {"en": "The whole team", "nl": "Het hele team"},
    "title_owner": {"en": "{quarter}: {owner}", "nl": "{quarter}: {owner}"},
    "quarter_intro": {
        "en": "The quarterly evaluation of {quarter}, computed for {date}: {count} active plans "
              "of the plan year, each with its target and actual, its milestones and what the "
              "quarter's evaluation found.",
        "nl": "De kwartaalevaluatie van {quarter}, berekend voor {date}: {count} actieve plannen "
              "van het planjaar, elk met doel en omzet, mijlpalen en wat de evaluatie van het "
              "kwartaal opleverde.",
    },
    "quarter_no_actuals": {
        "en": "There are no actuals yet: actual against target appears once plans/actuals.csv "
              "(a CRM export) is added.",
        "nl": "Er is nog geen omzet geladen: omzet tegen doel verschijnt zodra plans/actuals.csv "
              "(een CRM-export) is toegevoegd.",
    },
    "quarter_no_plans": {"en": "No active plans for this quarter.",
                         "nl": "Geen actieve plannen voor dit kwartaal."},
    "per_owner": {"en": "Per account manager", "nl": "Per accountmanager"},
    "heading_summary": {"en": "Summary", "nl": "Overzicht"},
    "heading_plans": {"en": "Per plan", "nl": "Per plan"},
    "col_account": {"en": "Account", "nl": "Klant"},
    "col_owner": {"en": "Owner", "nl": "Accountmanager"},
    "col_target": {"en": "Target {quarter}", "nl": "Doel {quarter}"},
    "col_actual": {"en": "Actual", "nl": "Omzet"},
    "col_evaluation": {"en": "Evaluation", "nl": "Evaluatie"},
    "figures": {"en": "{quarter}: target {target}, actual {actual} ({percent}).",
                "nl": "{quarter}: doel {target}, omzet {actual} ({percent})."},
    "figures_ytd": {"en": "Year to date ({months} months): target {target}, actual {actual} ({percent}).",
                    "nl": "Tot nu toe ({months} maanden): doel {target}, omzet {actual} ({percent})."},
    "figures_ahead": {"en": "{quarter} has not started: its target is {target}.",
                      "nl": "{quarter} is nog niet begonnen: het doel is {target}."},
    "eval_none": {"en": "No evaluation planned in this quarter.",
                  "nl": "Geen evaluatie gepland in dit kwartaal."},
    "eval_planned": {"en": "Planned for {date}.", "nl": "Gepland op {date}."},
    "eval_missed": {"en": "Planned for {date}, not marked done.",
                    "nl": "Gepland op {date}, niet als gedaan gemarkeerd."},
    "eval_done_no_status": {"en": "Held on {date}; no status recorded.",
                            "nl": "Gehouden op {date}; geen status vastgelegd."},
    "status_on-track": {"en": "on track", "nl": "op koers"},
    "status_at-risk": {"en": "at risk", "nl": "risico"},
    "status_off-track": {"en": "off track", "nl": "uit koers"},
    "ms_done": {"en": "Done in the quarter", "nl": "Gedaan in het kwartaal"},
    "ms_missed": {"en": "Missed (date passed, not done)", "nl": "Gemist (datum voorbij, niet gedaan)"},
    "ms_open": {"en": "Still to come in the quarter", "nl": "Nog te doen in het kwartaal"},
    "ms_next": {"en": "Planned for the next quarter", "nl": "Gepland voor het volgende kwartaal"},
    "none": {"en": "none", "nl": "geen"},
    "quarterly_views": {"en": "Quarterly evaluations", "nl": "Kwartaalevaluaties"},
}


def text(key: str, language: str, **fields: object) -> str:
    """The text `key` in `language` (English when there is no such language), filled in."""
    texts = TEXTS[key]
    shown = texts.get(language, texts["en"])
    return shown.format(**fields) if fields else shown
