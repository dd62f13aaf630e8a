"""What each plan macro returns: plain functions of the plan, the settings and today.

The sandboxed renderer (hooks/plan_macros.py) calls these by name; nothing here knows Jinja
or MkDocs. Output is HTML blocks for the page's Markdown, one block per element, with no
blank line inside a block (Python-Markdown would end the HTML block there). Every value from
the front-matter is escaped.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from accountplans import fmt

from accountplans.site import yeartext
from accountplans.compute.breakdown import Breakdown, TargetRow, breakdown
from accountplans.site.charts import bar_chart
from accountplans.site.contacts import contacts_picture
from accountplans.site.htmlblocks import SEARCH_EXCLUDE
from accountplans.site.markup import Html, each, html_text
from accountplans.plan.model import Plan
from accountplans.compute.schedule import milestone_status, quarterly_evaluations, visit_cadence
from accountplans.settings import Settings

if TYPE_CHECKING:
    from accountplans.compute.actuals import Actuals

Macro = Callable[[], str]


def plan_macros(plan: Plan, settings: Settings, today: dt.date, *,
                actuals: Actuals | None = None) -> dict[str, Macro]:
    """The macros a plan page may call (body.PLAN_MACROS), bound to that plan.

    `actuals` is plans/actuals.csv when the site has one (actuals.py makes the table)."""
    return {
        "targets_table": lambda: targets_table(plan, settings),
        "milestones_table": lambda: milestones_table(plan, settings, today),
        "contacts_picture": lambda: contacts_picture(plan.contacts, plan.language) + "\n",
        "actuals_table": lambda: _actuals_table(plan, actuals, today),
    }


def _actuals_table(plan: Plan, actuals: Actuals | None, today: dt.date) -> Html:
    """A note until plans/actuals.csv is loaded; then accountplans.compute.actuals makes the table."""
    if actuals is None:
        return _note(fmt.label("no_actuals", plan.language))
    from accountplans.compute.actuals import actuals_table

    return actuals_table(plan, actuals, today)


def _note(text: str) -> Html:
    return Html('<p class="accountplans-note">{}</p>\n').format(text)


# --- targets -------------------------------------------------------------------------------

# Left out of search (SEARCH_EXCLUDE): the month table, the chart and the rounding note are
# numbers and the same sentence on every plan. In the index they only make every plan match
# "jan" or "weeks", and make search_index.json, which every reader's browser downloads, larger
# (with the tables of plans on the dashboard and owner pages left out too: 4.0 instead of
# 6.2 MB at 1000 plans). Plan and product names stay searchable in the quarter table and the
# key facts.


def targets_table(plan: Plan, settings: Settings) -> Html:
    """Quarter table, month table (two rows of six months), month chart and how it is rounded."""
    lang = plan.language
    if plan.year is None:
        return _note(fmt.label("no_year", lang))
    if not plan.targets:
        return _note(fmt.label("no_targets", lang))
    b = breakdown(plan.targets, plan.year, plan.seasonality, settings.closed_weeks,
                  settings.week_split)
    rows = list(b.rows) + ([b.total] if len(b.rows) > 1 else [])
    blocks = [_quarter_table(b, rows, plan), _month_table(b, rows, plan), _month_chart(b, plan),
              Html('<p class="accountplans-note"{}>{}</p>').format(
                  SEARCH_EXCLUDE, _rounding_note(b, settings, lang))]
    if b.selling_weeks:
        blocks.append(week_table(b, rows, plan))
    return Html("\n\n").join(blocks) + "\n"


def _product(row: TargetRow, lang: str) -> str:
    return row.product or fmt.label("total", lang)


def _row_class(row: TargetRow) -> Html:
    return Html(' class="accountplans-total"' if not row.product else "")


_CELL = Html("<td>{}</td>")
_HEAD_CELL = Html('<th scope="col">{}</th>')
_ROW = Html('<tr{}><th scope="row">{}</th> {}</tr>')
_SPACE = Html(" ")


def _cells(values: Iterable[str | Html], cell: Html = _CELL, between: Html = _SPACE) -> Html:
    """Each value in a cell (`<td>` unless `cell` says otherwise), the cells apart by a space."""
    return each(cell, values, between)


def _quarter_table(b: Breakdown, rows: Sequence[TargetRow], plan: Plan) -> Html:
    lang, cur = plan.language, plan.currency
    # Each row's quarters and week average once (each a sum): read twice below.
    quarters = [r.quarters for r in rows]
    averages = [r.week.average() if r.week is not None else None for r in rows]
    amounts = [a for r, q in zip(rows, quarters, strict=True) for a in (r.year, *q)]
    amounts += [a for a in averages if a is not None]
    amounts += [r.year3 for r in rows if r.year3 is not None]
    cents = fmt.any_cents(amounts)

    def money(a: Decimal | None) -> str:
        return fmt.money(a, cur, lang, cents=cents) if a is not None else fmt.label("unknown", lang)

    heads = [fmt.label("product", lang), fmt.label("year", lang, year=b.year), "Q1", "Q2", "Q3", "Q4",
             yeartext.text("week_average", lang), fmt.label("year3", lang, year=b.year + 2),
             fmt.label("growth", lang)]
    body = []
    for r, row_quarters, average in zip(rows, quarters, averages, strict=True):
        rate = r.growth  # a fractional power: computed once
        growth = fmt.percent(rate, lang) if rate is not None else fmt.label("unknown", lang)
        cells = [money(r.year), *(money(q) for q in row_quarters), money(average), money(r.year3),
                 growth]
        body.append(_ROW.format(_row_class(r), _product(r, lang), _cells(cells)))
    return Html('<table class="accountplans-targets accountplans-quarters"><caption>{} ({})</caption>'
                "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>").format(
        fmt.label("targets_quarter", lang), cur, _cells(heads, _HEAD_CELL), Html(" ").join(body))


def _month_table(b: Breakdown, rows: Sequence[TargetRow], plan: Plan) -> Html:
    """Twelve months as two stacked halves of six columns, so the table fits A4 portrait."""
    lang, cur = plan.language, plan.currency
    cents = fmt.any_cents([m for r in rows for m in r.months])
    names = fmt.month_names(lang)
    halves = []
    for first in (0, 6):
        head = _cells([fmt.label("product", lang), *names[first:first + 6]], _HEAD_CELL)
        body = Html(" ").join(
            _ROW.format(_row_class(r), _product(r, lang),
                        _cells(fmt.money(r.months[m], cur, lang, cents=cents)
                               for m in range(first, first + 6)))
            for r in rows)
        halves.append(Html('<tbody><tr class="accountplans-head">{}</tr>{}</tbody>').format(head, body))
    return Html('<table class="accountplans-targets accountplans-months"{}>'
                "<caption>{} {} ({})</caption>{}</table>").format(
        SEARCH_EXCLUDE, fmt.label("targets_month", lang), b.year, cur, Html(" ").join(halves))


def _month_chart(b: Breakdown, plan: Plan) -> Html:
    lang = plan.language
    names = fmt.month_names(lang)
    shown = [fmt.compact_money(m, plan.currency, lang) for m in b.total.months]
    values = "; ".join(f"{n} {fmt.money(m, plan.currency, lang)}" for n, m in zip(names, b.total.months,
                                                                                 strict=True))
    svg = bar_chart(b.total.months, names, shown, fmt.label("chart_title", lang, year=b.year),
                    fmt.label("chart_desc", lang, values=values))
    return Html('<figure class="accountplans-figure"{}>{}</figure>').format(SEARCH_EXCLUDE, svg)


def _rounding_note(b: Breakdown, settings: Settings, lang: str) -> str:
    last_month = fmt.month_names(lang, "wide")[b.remainder_month - 1]
    if b.seasonal:
        weights = ", ".join(fmt.number(w, lang) for w in b.weights)
        months = fmt.label("months_note", lang, weights=weights, last=last_month)
    else:
        months = fmt.label("months_note_flat", lang, last=last_month)
    if not b.selling_weeks:
        return f"{months} {fmt.label('no_open_weeks', lang, year=b.year)}"
    in_year = set(range(1, b.weeks_in_year + 1))
    closed = ", ".join(str(w) for w in settings.closed_weeks if w in in_year) or fmt.label("none", lang)
    if b.week_split == "seasonal":
        weeks = yeartext.text("weeks_note_seasonal", lang, open=len(b.selling_weeks),
                              weeks=b.weeks_in_year, year=b.year, closed=closed)
    else:
        weeks = fmt.label("weeks_note", lang, open=len(b.selling_weeks), weeks=b.weeks_in_year,
                          year=b.year, closed=closed, last=b.selling_weeks[-1])
    return f"{months} {weeks}"



def week_table(b: Breakdown, rows: Sequence[TargetRow], plan: Plan) -> Html:
    """Every selling week's target, grouped by month (a week under the month of its Thursday,
    as ISO numbers weeks), folded away on screen and left out of print and search: the
    quarter table's week column holds the average, this the weeks themselves."""
    lang, cur = plan.language, plan.currency
    weekly = [r.week for r in rows if r.week is not None]
    cents = fmt.any_cents([a for w in weekly for a in w.amounts])
    names = fmt.month_names(lang, "wide")
    heads = [yeartext.text("iso_week", lang), yeartext.text("week_from", lang),
             *(r.product or fmt.label("total", lang) for r in rows if r.week is not None)]
    # The body is most of a plan page's HTML (a row per selling week, a cell per product):
    # built as plain text from cells escaped once per distinct amount, made Html at the end.
    cell_of: dict[Decimal, str] = {}

    def cell(amount: Decimal) -> str:
        shown = cell_of.get(amount)
        if shown is None:
            shown = cell_of[amount] = f"<td>{html_text(fmt.money(amount, cur, lang, cents=cents))}</td>"
        return shown

    columns = [[cell(a) for a in w.amounts] for w in weekly]
    cells = [" ".join(row) for row in zip(*columns, strict=True)] if columns \
        else [""] * len(b.selling_weeks)
    body: list[str] = []
    for month, weeks in _weeks_by_month(b.year, b.selling_weeks, lang):
        body.append(_WEEKS_OF_MONTH.format(len(heads), yeartext.text(
            "weeks_of_month", lang, month=names[month - 1],
            amount=fmt.money(b.total.months[month - 1], cur, lang))))
        body.extend(f"{start}{cells[i]}</tr>" for i, start in weeks)
    return Html('<details class="accountplans-weeks accountplans-screen-only"{}>'
                "<summary>{} ({})</summary>"
                '<table class="accountplans-targets accountplans-week-table"><thead><tr>{}</tr></thead>'
                "<tbody>{}</tbody></table></details>").format(
        SEARCH_EXCLUDE, yeartext.text("weeks_per_month", lang, year=b.year), cur, _cells(heads, _HEAD_CELL),
        Html(" ".join(body)))


_WEEKS_OF_MONTH = Html('<tr class="accountplans-head"><th scope="rowgroup" colspan="{}">{}</th></tr>')
_WEEK_ROW_START = Html('<tr><th scope="row">{}</th> <td>{}</td> ')


# The same for every plan of a year and language: a few entries per build.
@functools.lru_cache(maxsize=64)
def _weeks_by_month(year: int, selling_weeks: tuple[int, ...], lang: str,
                    ) -> tuple[tuple[int, tuple[tuple[int, str], ...]], ...]:
    """The selling weeks by month (1-12, the month of the week's Thursday), in order: each
    week's index in `selling_weeks` and the start of its row (its number and Monday)."""
    by_month: dict[int, list[tuple[int, str]]] = {}
    for i, week in enumerate(selling_weeks):
        monday = dt.date.fromisocalendar(year, week, 1)
        start = str.__str__(_WEEK_ROW_START.format(week, fmt.short_date(monday, lang)))
        by_month.setdefault((monday + dt.timedelta(days=3)).month, []).append((i, start))
    return tuple((month, tuple(by_month[month])) for month in sorted(by_month))


# --- milestones ----------------------------------------------------------------------------


def milestones_table(plan: Plan, settings: Settings, today: dt.date) -> Html:
    """Milestones by date with their status on `today`, the quarterly evaluations and the
    visit cadence."""
    lang = plan.language
    status_on = fmt.label("status_on", lang, date=fmt.date(today, lang))
    blocks = []
    if plan.milestones:
        heads = [fmt.label(k, lang) for k in ("date", "milestone", "kind", "with", "status")]
        body = []
        for m in sorted(plan.milestones, key=lambda m: (m.date, m.line)):
            status = milestone_status(m, today)
            cells = [fmt.date(m.date, lang), m.title, fmt.value(m.kind, lang), m.with_ or "",
                     Html('<span class="accountplans-status">{}</span>').format(fmt.label(status, lang))]
            body.append(Html('<tr class="accountplans-status-{}">{}</tr>').format(status, _cells(cells)))
        blocks.append(Html('<table class="accountplans-milestones"><caption>{}. {}</caption>'
                           "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>").format(
            fmt.label("milestones", lang), status_on, _cells(heads, _HEAD_CELL), Html(" ").join(body)))
    else:
        blocks.append(Html('<p class="accountplans-note">{} {}</p>').format(
            fmt.label("no_milestones", lang), status_on))
    if plan.year is not None:
        blocks.append(_evaluations(plan, today))
        blocks.append(_visits(plan, settings))
    return Html("\n\n").join(blocks) + "\n"


def _evaluations(plan: Plan, today: dt.date) -> Html:
    lang = plan.language
    assert plan.year is not None
    parts = []
    for ev in quarterly_evaluations(plan.milestones, plan.year):
        if ev.planned:
            when = ", ".join(f"{fmt.date(m.date, lang)} ({fmt.label(milestone_status(m, today), lang)})"
                             for m in ev.milestones)
            parts.append(Html("Q{}: {}").format(ev.quarter, when))
        else:
            parts.append(Html('Q{}: <strong class="accountplans-missing">{}</strong>').format(
                ev.quarter, fmt.label("not_planned", lang)))
    return Html('<p class="accountplans-evaluations"><strong>{} {}:</strong> {}</p>').format(
        fmt.label("evaluations", lang), plan.year, Html(" · ").join(parts))


def _visits(plan: Plan, settings: Settings) -> Html:
    lang = plan.language
    assert plan.year is not None
    cadence = visit_cadence(plan.visits_per_year, plan.year, settings.closed_weeks, plan.milestones)
    if cadence is None:
        text = fmt.label("no_cadence", lang)
    elif cadence.every_weeks <= 1:
        text = fmt.label("cadence_weekly", lang, visits=cadence.visits, open=cadence.selling_weeks,
                         planned=cadence.planned)
    else:
        text = fmt.label("cadence", lang, visits=cadence.visits, open=cadence.selling_weeks,
                         every=cadence.every_weeks, planned=cadence.planned,
                         weeks=", ".join(str(w) for w in cadence.suggested_weeks))
    return Html('<p class="accountplans-visits"><strong>{}:</strong> {}</p>').format(
        fmt.label("visits", lang), text)
