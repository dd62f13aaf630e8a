"""Actuals against targets: each plan's progress (per quarter, year to date, and against
last year's actuals) and the plan page's table and chart. Reading `plans/actuals.csv` (AP501,
AP502) is accountplans.compute.actualsfile; its names are here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from accountplans import fmt
from accountplans.compute.actualsfile import (
    ACTUALS_CSV as ACTUALS_CSV,
)
from accountplans.compute.actualsfile import (
    ActualRow as ActualRow,
)
from accountplans.compute.actualsfile import (
    Actuals as Actuals,
)
from accountplans.compute.actualsfile import (
    NamedIn as NamedIn,
)
from accountplans.compute.actualsfile import (
    check_against_plans as check_against_plans,
)
from accountplans.compute.actualsfile import (
    load_actuals as load_actuals,
)
from accountplans.compute.actualsfile import (
    read_actuals as read_actuals,
)
from accountplans.compute.breakdown import month_rows
from accountplans.compute.memo import by_identity
from accountplans.i18n import N_, gettext
from accountplans.names import name_key
from accountplans.plan.model import Plan
from accountplans.site.markup import Html, each, html_text

_ZERO = Decimal(0)


@dataclass(frozen=True)
class Progress:
    """Actual against target for one plan (all its products), per quarter and year to date."""

    year: int
    months_elapsed: int
    """Months of the plan year up to and including today's month (0 before, 12 after)."""
    target_by_month: tuple[Decimal, ...]
    actual_by_month: tuple[Decimal, ...]
    prior_by_product: tuple[tuple[str, Decimal, Decimal], ...] = ()
    """(product, actual in the year before the plan year, target of the plan year): what a
    plan written in the autumn compares its targets with."""

    @property
    def prior_actual(self) -> Decimal:
        return sum((actual for _, actual, _ in self.prior_by_product), Decimal(0))

    @property
    def target_ytd(self) -> Decimal:
        return sum(self.target_by_month[: self.months_elapsed], Decimal(0))

    @property
    def actual_ytd(self) -> Decimal:
        return sum(self.actual_by_month[: self.months_elapsed], Decimal(0))

    def quarter(self, q: int) -> tuple[Decimal, Decimal]:
        """(target, actual) of quarter 1-4."""
        months = slice(3 * (q - 1), 3 * q)
        return (sum(self.target_by_month[months], Decimal(0)),
                sum(self.actual_by_month[months], Decimal(0)))


def months_elapsed(year: int, today: dt.date) -> int:
    if today.year < year:
        return 0
    if today.year > year:
        return 12
    return today.month


# The dashboard, the owner page, four quarter pages and plans.json ask for the same plan's
# progress: kept per plan and actuals object (see accountplans.compute.memo).
@by_identity(0, 1, size=1 << 14, in_build=True)  # a plan, as of several days
def progress(plan: Plan, actuals: Actuals, today: dt.date,
             products: Sequence[str] | None = None) -> Progress | None:
    """The plan's progress, or None when it has no year (a plan with errors)."""
    if plan.year is None:
        return None
    wanted = None if products is None else {name_key(p) for p in products}
    targets = [t for t in plan.targets if wanted is None or name_key(t.product) in wanted]
    target = [Decimal(0)] * 12
    actual = [Decimal(0)] * 12
    prior = []
    # Months do not depend on closed weeks: the breakdown's month split is the one the plan
    # page shows, so the two pages agree to the cent.
    # Months only (month_rows): nobody reads a week here.
    # Actuals.amount's look-up, with the names' keys made once per product, not per month.
    amount_of, account, year = actuals.by_key.get, name_key(plan.account), plan.year
    for row in month_rows(targets, plan.seasonality):
        product = name_key(row.product)
        for i, amount in enumerate(row.months):
            target[i] += amount
            actual[i] += amount_of((account, product, year, i + 1), _ZERO)
        before = sum([amount_of((account, product, year - 1, m), _ZERO) for m in range(1, 13)],
                     Decimal(0))
        prior.append((row.product, before, row.year))
    return Progress(plan.year, months_elapsed(plan.year, today), tuple(target), tuple(actual),
                    tuple(prior))


def _money(amount: Decimal, currency: str, language: str) -> str:
    return fmt.money(amount, currency, language)


def _percent(actual: Decimal, target: Decimal, language: str) -> str:
    return "–" if target == 0 else fmt.percent(actual / target, language)


#: The table's column heads, before and in the plan year.
_HEAD = (N_("Period"), N_("Target"), N_("Actual"), N_("Difference"), "%")
_PRIOR_HEAD = (N_("Product"), N_("Actual {prior}"), N_("Target {year}"), N_("Change"))
_HEAD_CELL = Html('<th scope="col">{}</th>')


def _note(text: str) -> Html:
    return Html('<p class="ap-note">{}</p>\n').format(text)


def actuals_table(plan: Plan, actuals: Actuals | None, today: dt.date) -> Html:
    """HTML: actual against target per quarter and year to date, with an inline SVG chart."""
    lang = plan.language
    if actuals is None:
        return _note(fmt.label("no_actuals", lang))
    result = progress(plan, actuals, today)
    if result is None or not plan.targets:
        return _note(gettext("No targets to compare with.", lang))
    if not actuals.has_account(plan.account):
        return _note(gettext("No actuals for {account} in plans/actuals.csv yet.", lang,
                             account=plan.account))
    cur = plan.currency
    if result.months_elapsed == 0:
        return _prior_table(result, cur, lang)
    rows = [(f"Q{q} {result.year}", *result.quarter(q)) for q in range(1, 5)]
    if result.months_elapsed:
        months = fmt.month_names(lang)
        span = months[0] if result.months_elapsed == 1 else f"{months[0]}–{months[result.months_elapsed - 1]}"
        rows.append((gettext("Year to date ({months})", lang, months=span), result.target_ytd,
                     result.actual_ytd))
    # A quarter that has not started has a target but no actual yet: no shortfall (issue 12).
    started = [3 * q < result.months_elapsed for q in range(4)] + [True]
    body = Html("").join(
        Html('<tr><th scope="row">{}</th><td>{}</td>{}</tr>').format(
            label, _money(t, cur, lang),
            Html("<td>{}</td><td>{}</td><td>{}</td>").format(
                _money(a, cur, lang), _money(a - t, cur, lang), _percent(a, t, lang))
            if begun else Html("<td>–</td><td>–</td><td>–</td>"))
        for (label, t, a), begun in zip(rows, started, strict=False))
    return Html('<div class="accountplans-actuals-block"><table><caption>{}</caption>'
                "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>{}</div>\n").format(
        gettext("Actual against target", lang), each(_HEAD_CELL, (gettext(h, lang) for h in _HEAD)),
        body, actuals_chart(result, cur, lang))


_NOT_STARTED = N_("The plan year {year} has not started: actual against target appears here from "
                  "January. Until then, the targets against last year's actuals:")


def _prior_table(result: Progress, currency: str, language: str) -> Html:
    """Before the plan year: each product's actual of the year before against its target."""
    heads = (gettext(h, language, prior=result.year - 1, year=result.year) for h in _PRIOR_HEAD)
    rows = list(result.prior_by_product)
    if len(rows) > 1:
        rows.append((fmt.label("total", language), result.prior_actual,
                     sum((t for _, _, t in result.prior_by_product), Decimal(0))))
    body = Html("").join(
        Html('<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>').format(
            label, _money(before, currency, language), _money(target, currency, language),
            _change(before, target, language))
        for label, before, target in rows)
    return Html('<div class="accountplans-actuals-block"><p class="ap-note">{}</p>'
                "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>\n").format(
        gettext(_NOT_STARTED, language, year=result.year), each(_HEAD_CELL, heads), body)


def _change(before: Decimal, after: Decimal, language: str) -> str:
    """Growth from last year's actual to this year's target: `+25.0%`, or `new` from nothing."""
    if before <= 0:
        return gettext("new", language)
    change = fmt.percent((after - before) / before, language)
    return change if change.startswith("-") else f"+{change}"


_MONTH_BARS = Html(
    '<rect x="{x:.1f}" y="{target_y:.1f}" width="{bar:.1f}" height="{target_h:.1f}" fill="none" '
    'stroke="currentColor"><title>{month}: {target}</title></rect>'
    '<rect x="{actual_x:.1f}" y="{actual_y:.1f}" width="{bar:.1f}" height="{actual_h:.1f}" '
    'fill="currentColor"><title>{month}: {actual}</title></rect>'
    '<text x="{centre:.1f}" y="{label_y}" font-size="9" text-anchor="middle" '
    'fill="currentColor">{month}</text>')


def actuals_chart(result: Progress, currency: str, language: str = "en") -> Html:
    """Inline SVG: per month the target (outlined bar) and the actual (filled bar).

    Made at build time, no script; it prints in black and white because the two bars differ
    in fill, not only in colour.
    """
    names = fmt.month_names(language)
    width, height, top, bottom, left = 360, 120, 10, 18, 4
    peak = max([*result.target_by_month, *result.actual_by_month, Decimal(1)])
    plot = height - top - bottom
    step = (width - left) / 12
    title = gettext("Actual against target per month, {year} ({currency})", language,
                    year=result.year, currency=currency)
    parts: list[str] = [Html('<svg class="accountplans-chart" role="img" viewBox="0 0 {width} {height}" '
                  'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
                  "<title>{title}</title>").format(width=width, height=height, title=title)]
    for i in range(12):
        x = left + i * step
        target, actual = result.target_by_month[i], result.actual_by_month[i]
        t_h = float(max(target, Decimal(0)) / peak) * plot
        a_h = float(max(actual, Decimal(0)) / peak) * plot
        # What _MONTH_BARS.format gives, its three texts escaped here (html_text): str's own
        # format, a dashboard's worth of charts per build.
        parts.append(str.format(
            _MONTH_BARS, x=x + 2, target_y=top + plot - t_h, bar=step * 0.42, target_h=t_h,
            month=html_text(names[i]), target=html_text(_money(target, currency, language)),
            actual_x=x + 2 + step * 0.42, actual_y=top + plot - a_h, actual_h=a_h,
            actual=html_text(_money(actual, currency, language)), centre=x + step / 2,
            label_y=height - 4))
    parts.append("</svg>")
    return Html("{}<p class=\"accountplans-legend\">{}</p>").format(
        Html("".join(parts)), gettext("□ target ■ actual", language))
