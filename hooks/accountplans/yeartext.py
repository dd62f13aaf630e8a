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
}


def text(key: str, language: str, **fields: object) -> str:
    """The text `key` in `language` (English when there is no such language), filled in."""
    texts = TEXTS[key]
    shown = texts.get(language, texts["en"])
    return shown.format(**fields) if fields else shown
