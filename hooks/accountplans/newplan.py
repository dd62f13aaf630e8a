"""`accountplans new`: a draft plan with the six sections and a short prompt in each."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .settings import Settings

_PROMPTS = {
    "en": (
        ("Organisation", "What does the customer do, how big is it, who are its customers?"),
        ("Market position", "Leader, runner-up, challenger, niche or start-up? Who are its competitors?"),
        ("Customer goals", "What does the customer want to reach in the coming year or three?"),
        ("SWOT", "Our strengths, weaknesses, opportunities and threats at this customer."),
        ("Our goals", "What we want to sell, and why the customer needs it.\n\n{{ targets_table() }}"),
        ("Timeline", "What must happen when.\n\n{{ milestones_table() }}"),
    ),
    "nl": (
        ("Organisatie", "Wat doet de klant, hoe groot is hij, wie zijn zijn klanten?"),
        ("Marktpositie", "Marktleider, runner-up, uitdager, niche of start-up? Wie zijn de concurrenten?"),
        ("Doelen van de klant", "Wat wil de klant het komende jaar of de komende drie jaar bereiken?"),
        ("SWOT", "Onze sterktes, zwaktes, kansen en bedreigingen bij deze klant."),
        ("Onze doelen", "Wat we willen verkopen, en waarom de klant het nodig heeft.\n\n"
                        "{{ targets_table() }}"),
        ("Tijdsplanning", "Wat moet wanneer gebeuren.\n\n{{ milestones_table() }}"),
    ),
}


def slugify(name: str) -> str:
    """`Bakkerij Van Dijk B.V.` -> `bakkerij-van-dijk-bv`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower().replace(".", "")).strip("-")
    return slug or "plan"


def _quoted(value: str) -> str:
    """A YAML double-quoted string: safe for any name (colons, 'NO', '#')."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def new_plan(account: str, owner: str, *, language: str, year: int, today: dt.date,
             settings: Settings) -> str:
    """The text of a new draft plan that `accountplans check` accepts (with warnings)."""
    quarters = [dt.date(year, month, 15) for month in (3, 6, 9, 12)]
    title = "Kwartaalevaluatie" if language == "nl" else "Quarterly evaluation"
    evaluations = "\n".join(
        f"  - date: {d.isoformat()}\n    title: {title} Q{i + 1}\n    kind: evaluation"
        for i, d in enumerate(quarters)
    )
    head = f"""---
account: {_quoted(account)}
owner: {_quoted(owner)}
year: {year}
reviewed: {today.isoformat()}
status: draft
language: {language}
currency: {settings.currency}
market_position: challenger
contacts: []
targets: []
visits_per_year: 4
milestones:
{evaluations}
tags: []
---
"""
    sections = "\n".join(f"## {title}\n\n{prompt}\n" for title, prompt in _PROMPTS[language])
    return head + "\n" + sections
