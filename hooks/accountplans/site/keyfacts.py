"""The key-facts block at the top of every plan page.

It is written into the page's Markdown (as an HTML block), not only into a theme template,
so that the search index holds the account, owner, decision makers and totals. It is `Html`
(accountplans.site.markup): every value from the front-matter is text, escaped once as it meets
the markup; plan text is untrusted and the theme does not autoescape.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from accountplans import fmt
from accountplans.plan.body import heading, lines
from accountplans.site.markup import Html, escape
from accountplans.plan.model import Plan
from accountplans.compute.schedule import last_review, next_review, review_overdue
from accountplans.settings import Settings


def key_facts(plan: Plan, settings: Settings, today: dt.date) -> Html:
    """The block as one HTML element without blank lines (a single Markdown HTML block)."""
    lang = plan.language
    unknown = fmt.label("unknown", lang)

    def text(value: str | None) -> str:
        return value or unknown

    def money(amount: Decimal | None) -> str:
        return fmt.money(amount, plan.currency, lang) if amount is not None else unknown

    deciders = Html(", ").join(
        Html("{} ({})").format(c.name, c.role) if c.role else escape(c.name) for c in plan.decision_makers
    ) or fmt.label("none", lang)
    facts: list[tuple[str, str | Html]] = [
        (fmt.label("account", lang), text(plan.account)),
        (fmt.label("owner", lang), text(plan.owner)),
        (fmt.label("market_position", lang),
         fmt.value(plan.market_position, lang) if plan.market_position else unknown),
        (fmt.label("industry", lang), text(plan.organisation.industry)),
        (fmt.label("fte", lang),
         fmt.number(plan.organisation.fte, lang) if plan.organisation.fte else unknown),
        (fmt.label("decision_makers", lang), deciders),
    ]
    if plan.year is not None:
        facts.append((fmt.label("target_year", lang, year=plan.year),
                      money(plan.year1_total) if plan.targets else unknown))
        facts.append((fmt.label("target_year3", lang, year=plan.year + 2), money(plan.year3_total)))
    facts += _review(plan, settings, today)
    if plan.is_draft or plan.is_archived:
        facts.insert(0, (fmt.label("plan_status", lang), fmt.value(plan.status, lang)))
    items = Html(" ").join(Html("<div><dt>{}</dt> <dd>{}</dd></div>").format(name, shown)
                           for name, shown in facts)
    return Html('<div class="accountplans-keyfacts" role="group" aria-label="{title}">'
                '<dl>{items}</dl><p class="accountplans-computed">{computed}</p></div>').format(
        title=fmt.label("key_facts", lang), items=items,
        computed=fmt.label("computed_for", lang, date=fmt.date(today, lang)))


def _review(plan: Plan, settings: Settings, today: dt.date) -> list[tuple[str, str | Html]]:
    lang = plan.language
    # The later of `reviewed` and the last evaluation marked done (issue 12).
    reviewed = last_review(plan.reviewed, plan.milestones, today)
    if reviewed is None:
        return [(fmt.label("last_review", lang), fmt.label("unknown", lang))]
    due = next_review(reviewed, settings.review_days)
    shown: str | Html
    if review_overdue(reviewed, settings.review_days, today):
        shown = Html('<strong class="accountplans-overdue">{}</strong>').format(
            fmt.label("review_overdue", lang, date=fmt.date(due, lang)))
    else:
        shown = fmt.label("review_by", lang, date=fmt.date(due, lang))
    return [(fmt.label("last_review", lang), fmt.date(reviewed, lang)),
            (fmt.label("next_review", lang), shown)]


def insert_key_facts(markdown: str, block: str) -> str:
    """`block` after the page's h1 when the page starts with one, else at the very top.

    Blank lines around the block keep it a Markdown HTML block of its own.
    """
    for ln in lines(markdown, 0):
        if not ln.text.strip():
            continue
        h = None if ln.in_code else heading(ln.text)
        if h is not None and h[0] == 1:
            rows = markdown.split("\n")
            before, after = rows[: ln.number + 1], rows[ln.number + 1:]
            return "\n".join([*before, "", block, "", *after])
        break
    return f"{block}\n\n{markdown}"
