"""The portfolio's HTML: the macros of the dashboard and other site pages, and the parts of
the owner pages, in the site's language.

The figures they show are accountplans.compute.figures' (plain data; re-exported here for the
callers that import them from this module) and the links accountplans.site.links'. Output is HTML
(raw HTML blocks in the page), because the dashboard's tables need classes and data
attributes that Markdown tables cannot carry. It is `Html` (accountplans.site.markup): a value that
comes from a plan is text, escaped once as it meets the markup.

One class, one method per macro (the macro table's renderer names them): over 300 lines for
that reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accountplans import fmt
from accountplans.compute.actuals import Actuals, progress
from accountplans.plan.check import CheckedFile
from accountplans.compute.figures import (
    Dated,
    Entry,
    HeadlineFigures,
    Period,
    PeriodTargets,
    active,
    entries,
    headline_figures,
    is_review_overdue,
    milestones,
    overdue,
    overdue_reviews,
    owner_name,
    owner_totals,
    period_for,
    period_targets,
    product_totals,
    review_due,
    reviewed_on,
    upcoming,
)
from accountplans.site.headings import heading
from accountplans.site.htmlblocks import SEARCH_EXCLUDE
from accountplans.i18n import N_, gettext, ngettext
from accountplans.site.links import Href, page_url, relative_href
from accountplans.site.macrotable import PORTFOLIO_MACROS
from accountplans.site.markup import Html, escape, message
from accountplans.names import name_key
from accountplans.plan.problems import RULE_TABLE, Problem, severity_word
from accountplans.site.quarterly import quarter_links
from accountplans.compute.schedule import DUE_DAYS
from accountplans.settings import Settings

__all__ = [
    "DOWNLOADS", "Dated", "Entry", "HeadlineFigures", "Href", "Macro", "Period", "PeriodTargets",
    "Portfolio", "active", "entries", "headline_figures", "is_review_overdue", "milestones",
    "money", "overdue", "overdue_reviews", "owner_name", "owner_totals", "page_url",
    "period_for", "period_targets", "portfolio_macros", "product_totals", "relative_href",
    "review_due", "reviewed_on", "upcoming",
]

Macro = Callable[[], str]
"""A macro gives Markdown; the portfolio's give Html, which is Markdown's raw HTML."""

#: The files the site publishes beside the pages (written by exports.py), in the order shown.
DOWNLOADS: tuple[tuple[str, str], ...] = (
    ("calendar.ics", N_("Calendar of every milestone and quarterly evaluation (iCalendar)")),
    ("plans.csv", N_("All plans and targets for spreadsheets (CSV)")),
    ("plans.json", N_("All plans (JSON)")),
    ("plans.schema.json", N_("JSON Schema of plans.json")),
)


# -- formatting ------------------------------------------------------------------------------

def money(amount: Decimal, currency: str, language: str = "en") -> str:
    """`€135,000` (en) or `€ 135.000` (nl), cents only when there are any (text)."""
    return fmt.money(amount, currency, language)


def _time(day: dt.date, language: str) -> Html:
    return _TIME.format(day.isoformat(), fmt.date(day, language))


_TIME = Html('<time datetime="{}">{}</time>')
_NOTHING = Html("")
_DASH = "–"
"""In a cell that has no value."""


def _html(text: str, language: str, /, **fields: str | Html) -> Html:
    """A message in `language` as HTML, with `fields` (text or HTML) filled in."""
    shown = message(gettext(text, language))
    return shown.format(**fields) if fields else shown


def _table(head: Sequence[str], rows: Iterable[Html], css: str, *, searched: bool = True) -> Html:
    """A table in a `<div class=css>`: Material styles only tables without a class. The
    headings are text."""
    excluded = _NOTHING if searched else SEARCH_EXCLUDE
    return _TABLE.format(css, excluded, _head_cells(head), _NOTHING.join(rows))


def _roll_up(head: Sequence[str], rows: Iterable[Html], css: str) -> Html:
    """A table that only rolls up lines of plans (targets per product or owner, milestones,
    reviews, actuals): left out of search like the table of plans, because each line is a
    plan's and the plan's own page is what a search for it finds. The page stays found by
    its title, its headings and its own sentences (README "Search")."""
    return _table(head, rows, css, searched=False)


# A blank line between a roll-up and its note: two HTML blocks, so that the note is indexed
# (search leaves out the roll-up's block only) whether the page goes through Markdown or not.
_APART = Html("\n")
_TABLE = Html('<div class="{}"{}><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>\n')


def _head_cells(head: Sequence[str]) -> Html:
    return _NOTHING.join(Html('<th scope="col">{}</th>').format(h) for h in head)


def _none(text: Html) -> Html:
    """A paragraph saying there is nothing to show."""
    return Html('<p class="accountplans-none"><em>{}</em></p>\n').format(text)


#: The headline's texts, each whole; `{fields}` are filled in as HTML.
_HEADLINE = N_("At a glance")
_CARD_YEAR = N_("Target {year}")
_CARD_QUARTER = N_("This quarter, {quarter}")
_CARD_FIRST_QUARTER = N_("First quarter, {quarter}")
_CARD_QUARTER_VALUE = N_("{actual} of {target}")
_CARD_QUARTER_PROGRESS = N_("{percent} of the quarter's target sold so far.")
_CARD_QUARTER_NO_ACTUALS = N_("Target of the quarter; no actuals loaded yet.")
_CARD_QUARTER_AHEAD = N_("Target of the quarter; the plan year starts on {date}.")
_CARD_PLANS = N_("Plans")
_CARD_OVERDUE = N_("Overdue milestones")
_CARD_OVERDUE_NOTE = N_("Date passed, not marked done.")
_CARD_REVIEWS = N_("Reviews due")
_CARD_REVIEWS_NOTE = N_("Not evaluated in the last {days} days.")
_PROGRESS_LABEL = N_("{percent} of the quarter's target")


def _progress_bar(fraction: Decimal, label: str) -> Html:
    """A bar as inline SVG (no style attribute: the site's CSP forbids them; the colours come
    from plan.css), filled to `fraction` (0-1, capped), with its text for screen readers."""
    filled = max(Decimal(0), min(fraction, Decimal(1))) * 100
    return Html('<svg class="accountplans-progress" viewBox="0 0 100 4" preserveAspectRatio="none" '
                'role="img" aria-label="{}">'
                '<rect class="accountplans-progress-track" width="100" height="4"></rect>'
                '<rect class="accountplans-progress-done" width="{}" height="4"></rect></svg>').format(
        label, filled.quantize(Decimal("0.1")))


def _card(label: Html, value: str | Html, detail: Html = _NOTHING, css: str = "") -> Html:
    """One card: a label, the figure, a line under it."""
    return Html('<div class="accountplans-card{}"><p class="accountplans-card-label">{}</p>'
                '<p class="accountplans-card-value">{}</p>{}</div>').format(
        f" {css}" if css else "", label, value,
        Html('<p class="accountplans-card-detail">{}</p>').format(detail) if detail else _NOTHING)


# -- the macros ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Portfolio:
    """What the dashboard and the owner pages show, for one set of plans, in the site's
    language (`settings.language`)."""

    entries: tuple[Entry, ...]
    settings: Settings
    today: dt.date
    href: Href
    actuals: Actuals | None = None
    owner_page: Callable[[str], str] | None = None
    """The src_uri of an owner's page, when the site has owner pages."""
    other_problems: tuple[Problem, ...] = ()
    """Warnings that belong to no plan (e.g. AP502 in actuals.csv)."""
    drafts: int = 0
    """How many drafts there are (they are not in `entries`: never published)."""

    @property
    def language(self) -> str:
        return self.settings.language

    def _t(self, text: str, **fields: str | Html) -> Html:
        """`text` in the site's language as HTML, with `fields` (text or HTML) filled in."""
        return _html(text, self.language, **fields)

    def _count(self, text: str, n: int) -> Html:
        """An ngettext() form as HTML, with its `{n}` formatted in the site's language."""
        return message(text).format(n=fmt.number(n, self.language))

    def _money(self, amount: Decimal, currency: str) -> str:
        return money(amount, currency, self.language)

    def _time(self, day: dt.date) -> Html:
        return _time(day, self.language)

    def _plan_link(self, entry: Entry) -> Html:
        return _LINK.format(self.href(entry.src_uri), entry.plan.account)

    def _owner_link(self, owner: str) -> Html:
        if self.owner_page is None:
            return escape(owner)
        return _LINK.format(self.href(self.owner_page(owner)), owner)

    def computed_on(self) -> Html:
        text = self._t(N_("Computed for {date}: everything that depends on the date (this quarter, "
                          "this week, upcoming, overdue) is as of that day."),
                       date=self._time(self.today))
        return Html('<p class="accountplans-computed">{}</p>\n').format(text)

    def headline(self) -> Html:
        """A few cards that read in five seconds: per plan year and currency the year-1
        total and this quarter's target and actual; the plans, drafts, overdue milestones and
        reviews due. Cards, not a table, so they wrap on a phone and sit in a row on A4."""
        lang = self.language
        cards = []
        for f in headline_figures(self.entries, self.settings, self.today, self.actuals):
            label = f"{f.year} · {f.currency}" if f.year else f.currency
            cards.append(_card(self._t(_CARD_YEAR, year=label), self._money(f.year1, f.currency),
                               self._count(ngettext("{n} active plan", "{n} active plans", f.plans,
                                                    lang), f.plans)))
            if f.period is None:
                continue
            quarter = f"Q{f.period.quarter} {f.period.year}"
            target = self._money(f.quarter_target, f.currency)
            if not f.period.current:
                cards.append(_card(self._t(_CARD_FIRST_QUARTER, quarter=quarter), target,
                                   self._t(_CARD_QUARTER_AHEAD, date=self._time(dt.date(f.year, 1, 1)))))
            elif f.quarter_actual is None:
                cards.append(_card(self._t(_CARD_QUARTER, quarter=quarter), target,
                                   self._t(_CARD_QUARTER_NO_ACTUALS)))
            else:
                share = f.quarter_actual / f.quarter_target if f.quarter_target else Decimal(0)
                percent = fmt.percent(share, lang)
                value = self._t(_CARD_QUARTER_VALUE, actual=self._money(f.quarter_actual, f.currency),
                                target=target)
                bar = _progress_bar(share, gettext(_PROGRESS_LABEL, lang, percent=fmt.percent(share, lang)))
                cards.append(_card(self._t(_CARD_QUARTER, quarter=quarter), value,
                                   bar + self._t(_CARD_QUARTER_PROGRESS, percent=percent)))
        plans = len(active(self.entries))
        cards.append(_card(self._t(_CARD_PLANS), fmt.number(plans, lang),
                           self._count(ngettext("{n} draft in progress", "{n} drafts in progress",
                                                self.drafts, lang), self.drafts)))
        late = len(overdue(self.entries, self.today))
        cards.append(_card(self._t(_CARD_OVERDUE), fmt.number(late, lang), self._t(_CARD_OVERDUE_NOTE),
                           "accountplans-card-alert" if late else ""))
        due = len(overdue_reviews(self.entries, self.settings, self.today))
        cards.append(_card(self._t(_CARD_REVIEWS), fmt.number(due, lang),
                           self._t(_CARD_REVIEWS_NOTE, days=fmt.number(self.settings.review_days, lang)),
                           "accountplans-card-alert" if due else ""))
        return Html('<div class="accountplans-headline" role="group" aria-label="{}">{}</div>\n').format(
            gettext(_HEADLINE, lang), _NOTHING.join(cards))

    def _totals_table(self, first: str, totals: Mapping[tuple[str, int, str], tuple[int, PeriodTargets]],
                      link: Callable[[str], Html]) -> Html:
        if not totals:
            return _none(self._t(N_("No active plans.")))
        lang = self.language
        iso = self.today.isocalendar()
        quarter = f"Q{(self.today.month - 1) // 3 + 1} {self.today.year}"
        head = [gettext(first, lang), gettext(N_("Plan year"), lang), gettext(N_("Plans"), lang),
                gettext(N_("Year 1"), lang), gettext(N_("This quarter ({quarter})"), lang, quarter=quarter),
                gettext(N_("This week (W{week} {year})"), lang, week=f"{iso.week:02d}", year=iso.year)]
        rows = []
        for (name, year, currency), (count, sums) in totals.items():
            when = period_for(year, self.today, self.settings.closed_weeks) if year else None
            quarter_cell = escape(self._money(sums.quarter, currency) if when is not None else _DASH)
            week_cell = escape(self._money(sums.week, currency) if when is not None else _DASH)
            if when is not None and not when.current:
                quarter_cell += Html(" <small>(Q{} {})</small>").format(when.quarter, when.year)
                week_cell += Html(" <small>(W{:02d} {})</small>").format(when.week, when.year)
            rows.append(Html('<tr><td>{}</td><td>{}</td><td>{}</td><td class="accountplans-money">{}</td>'
                             '<td class="accountplans-money">{}</td><td class="accountplans-money">{}</td>'
                             "</tr>").format(link(name), year or _DASH, fmt.number(count, lang),
                                             self._money(sums.year1, currency), quarter_cell, week_cell))
        note = self._t(N_("For plans of a year that has not started yet, the first quarter and the "
                          "first selling week of that year are shown; for a year that is over, none. "
                          "Amounts in different currencies are never added up."))
        return _roll_up(head, rows, "accountplans-totals") + _APART + _NOTE.format(note)

    def portfolio_totals(self) -> Html:
        return self._totals_table(N_("Product"), product_totals(self.entries, self.settings, self.today),
                                  escape)

    def owner_totals(self) -> Html:
        return self._totals_table(N_("Owner"), owner_totals(self.entries, self.settings, self.today),
                                  self._owner_link)

    def _milestone_rows(self, dated: Sequence[Dated], late: bool) -> list[Html]:
        lang = self.language
        rows = []
        for d in dated:
            m = d.milestone
            days = (self.today - m.date).days if late else (m.date - self.today).days
            if late:
                when = self._count(ngettext("{n} day ago", "{n} days ago", days, lang), days)
            elif days == 0:
                when = self._t(N_("today"))
            else:
                when = self._count(ngettext("in {n} day", "in {n} days", days, lang), days)
            kind = fmt.value(m.kind, lang)
            about = (self._t(N_("({kind}, with {names})"), kind=kind, names=m.with_) if m.with_
                     else self._t(N_("({kind})"), kind=kind))
            rows.append(Html('<tr><td data-sort="{}">{}<br><small>{}</small></td><td>{}</td>'
                             "<td>{} <small>{}</small></td><td>{}</td></tr>").format(
                m.date.isoformat(), self._time(m.date), when, self._plan_link(d.entry), m.title, about,
                self._owner_link(owner_name(d.entry.plan))))
        return rows

    def _milestone_head(self) -> list[str]:
        return [gettext(h, self.language) for h in (N_("Date"), N_("Account"), N_("Milestone"), N_("Owner"))]

    def upcoming_milestones(self) -> Html:
        found = upcoming(self.entries, self.today)
        if not found:
            return _none(self._t(N_("No open milestones in the next {days} days."), days=str(DUE_DAYS)))
        return _roll_up(self._milestone_head(), self._milestone_rows(found, late=False),
                      "accountplans-upcoming")

    def overdue_milestones(self) -> Html:
        found = overdue(self.entries, self.today)
        if not found:
            return _none(self._t(N_("No overdue milestones.")))
        note = self._t(N_("Mark a milestone {done} in its plan when it has happened, or move its date."),
                       done=Html("<code>done: true</code>"))
        rows = self._milestone_rows(found, late=True)
        return _roll_up(self._milestone_head(), rows, "accountplans-overdue") + _APART + _NOTE.format(note)

    def overdue_reviews(self) -> Html:
        lang = self.language
        found = overdue_reviews(self.entries, self.settings, self.today)
        if not found:
            return _none(self._t(N_("Every plan was reviewed in the last {days} days."),
                                 days=fmt.number(self.settings.review_days, lang)))
        rows = []
        for entry in found:
            reviewed = reviewed_on(entry.plan, self.today)
            since = fmt.number((self.today - reviewed).days, lang) if reviewed else _DASH
            shown = self._time(reviewed) if reviewed else self._t(N_("never"))
            rows.append(Html("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>").format(
                self._plan_link(entry), self._owner_link(owner_name(entry.plan)), shown, since))
        head = [gettext(h, lang) for h in (N_("Account"), N_("Owner"), N_("Last reviewed"), N_("Days ago"))]
        return _roll_up(head, rows, "accountplans-reviews")

    def _problem_items(self, problems: Sequence[Problem]) -> Html:
        return _NOTHING.join(Html("<li><code>{}</code> {} {}: {}</li>").format(
            p.location(), p.code, p.severity, p.message) for p in problems)

    def plans_with_warnings(self) -> Html:
        rows = []
        for entry in self.entries:
            if entry.plan.is_archived or not entry.problems:
                continue
            rows.append(_WARNING_ROW.format(self._plan_link(entry), self._problem_items(entry.problems)))
        if self.other_problems:
            rows.append(_WARNING_ROW.format(self.other_problems[0].path,
                                            self._problem_items(self.other_problems)))
        if not rows:
            return _none(self._t(N_("No plan has warnings.")))
        head = [gettext(N_("Plan"), self.language), gettext(N_("Warnings"), self.language)]
        return _table(head, rows, "accountplans-warnings")

    def plans_table(self) -> Html:
        """Every active plan; sorted and filtered in the browser by the site's local script."""
        lang = self.language
        plans = active(self.entries)
        if not plans:
            return _none(self._t(N_("No active plans yet: write one with {command}."),
                                 command=Html("<code>accountplans new</code>")))
        late_word = self._t(N_("(overdue)"))
        rows = []
        for entry in plans:
            plan = entry.plan
            late = is_review_overdue(plan, self.settings, self.today)
            last = reviewed_on(plan, self.today)
            review = (Html('<td data-sort="{}">{}{}</td>').format(
                last.isoformat(), self._time(last), Html(" {}").format(late_word) if late else _NOTHING)
                if last else _NO_DATE)
            following = [m for m in plan.milestones if not m.done and m.date >= self.today]
            nxt = min(following, key=lambda m: m.date) if following else None
            nxt_cell = (Html('<td data-sort="{}">{} {}</td>').format(
                nxt.date.isoformat(), self._time(nxt.date), nxt.title) if nxt else _NO_DATE)
            position = fmt.value(plan.market_position, lang) if plan.market_position else _DASH
            rows.append(_PLAN_ROW.format(
                self._plan_link(entry), self._owner_link(owner_name(plan)), plan.year or _DASH, position,
                str(plan.year1_total), self._money(plan.year1_total, plan.currency), review, nxt_cell,
                ", ".join(plan.tags)))
        head = [gettext(h, lang) for h in (N_("Account"), N_("Owner"), N_("Year"), N_("Market position"),
                                            N_("Year 1"), N_("Reviewed"), N_("Next milestone"), N_("Tags"))]
        label = self._t(N_("Filter plans"))
        placeholder = gettext(N_("account, owner, tag…"), lang)
        # Left out of search: each plan's own page is what a search for its account finds. A
        # blank line apart from the filter box, so the table is an HTML block of its own, which
        # the build can keep away from search's HTML parser too.
        return Html('<p class="accountplans-filter"><label for="accountplans-plans-filter">{}</label> '
                    '<input type="search" id="accountplans-plans-filter" data-filter="accountplans-plans" '
                    'placeholder="{}" autocomplete="off"></p>\n\n'
                    '<table class="accountplans-sortable" id="accountplans-plans"{}>'
                    "<thead><tr>{}</tr></thead><tbody>{}</tbody></table>\n").format(
            label, placeholder, SEARCH_EXCLUDE, _head_cells(head), _NOTHING.join(rows))

    def archived_plans(self) -> Html:
        archived = [e for e in self.entries if e.plan.is_archived]
        if not archived:
            return _none(self._t(N_("No archived plans.")))
        items = _NOTHING.join(
            _ITEM.format(self._t(N_("{account} ({owner}, {year})"), account=self._plan_link(e),
                                 owner=owner_name(e.plan), year=str(e.plan.year or _DASH)))
            for e in archived)
        return Html('<ul class="accountplans-archived">{}</ul>\n').format(items)

    def owner_plans(self) -> Html:
        """Every owner with the number of their active plans, linking to the owner's page."""
        counts: dict[str, tuple[str, int]] = {}
        for entry in active(self.entries):
            name = owner_name(entry.plan)
            shown, count = counts.get(name_key(name), (name, 0))
            counts[name_key(name)] = (shown, count + 1)
        if not counts:
            return _none(self._t(N_("No owners yet.")))
        items = _NOTHING.join(
            _ITEM.format(self._t(N_("{owner}: {plans}"), owner=self._owner_link(name),
                                 plans=self._count(ngettext("{n} plan", "{n} plans", count, self.language),
                                                   count)))
            for _, (name, count) in sorted(counts.items()))
        return Html('<ul class="accountplans-owners">{}</ul>\n').format(items)

    def downloads(self) -> Html:
        items = _NOTHING.join(
            _ITEM.format(self._t(N_("{file}: {description}"),
                                 file=Html('<a href="{}" download>{}</a>').format(self.href(uri), uri),
                                 description=self._t(text)))
            for uri, text in DOWNLOADS)
        return Html('<ul class="accountplans-downloads">{}</ul>\n').format(items)

    def portfolio_actuals(self) -> Html:
        """Actual against target, year to date, per plan and in total per currency."""
        lang = self.language
        if self.actuals is None:
            return _none(self._t(N_("No actuals yet: put the CRM export in {file}."), file=_ACTUALS_FILE))
        rows = []
        totals: dict[tuple[int, str], tuple[Decimal, Decimal]] = {}
        priors: dict[tuple[int, str], Decimal] = {}
        for entry in active(self.entries):
            result = progress(entry.plan, self.actuals, self.today)
            if result is None or not self.actuals.has_account(entry.plan.account):
                continue
            cur = entry.plan.currency
            t, a = result.target_ytd, result.actual_ytd
            key = (result.year, cur)
            before = totals.get(key, (Decimal(0), Decimal(0)))
            totals[key] = (before[0] + t, before[1] + a)
            priors[key] = priors.get(key, Decimal(0)) + result.prior_actual
            rows.append(_ACTUALS_ROW.format(
                self._plan_link(entry), result.year, self._money(result.prior_actual, cur),
                fmt.number(result.months_elapsed, lang), self._money(t, cur), self._money(a, cur),
                _percent(a, t, lang)))
        if not rows:
            return _none(self._t(N_("{file} has no rows for the active plans."), file=_ACTUALS_FILE))
        for (year, cur), (t, a) in sorted(totals.items()):
            total = self._t(N_("Total {currency}"), currency=cur)
            rows.append(_ACTUALS_TOTAL_ROW.format(total, year, self._money(priors[(year, cur)], cur),
                                                  self._money(t, cur), self._money(a, cur),
                                                  _percent(a, t, lang)))
        head = [gettext(h, lang) for h in (N_("Account"), N_("Plan year"), N_("Actual the year before"),
                                            N_("Months counted"), N_("Target to date"),
                                            N_("Actual to date"), N_("%"))]
        return _roll_up(head, rows, "accountplans-portfolio-actuals")

    def quarterly_views(self) -> Html:
        """Links to the quarter pages: per quarter of the plan years, the team's and each
        owner's (made by accountplans.site.quarterly at every build)."""
        return quarter_links(self.entries, self.owner_page, self.href, self.settings.language)

    def rules_table(self) -> Html:
        """Every rule of the checker, from the rule table the checker uses (problems.RULE_TABLE),
        in the page's language."""
        lang = self.language
        rows = [Html("<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>").format(
                    rule.code, severity_word(rule.severity, lang), gettext(rule.summary, lang))
                for rule in RULE_TABLE]
        head = [gettext(h, lang) for h in (N_("Code"), N_("Severity"), N_("What"))]
        return _table(head, rows, "accountplans-rules")

    def heading(self, part: str = "") -> str:
        """Markdown: the heading of a part of the dashboard in the site's language
        (`{{ heading('plans_table') }}`, see accountplans.site.headings)."""
        return heading(part, self.language)

    def macros(self) -> dict[str, Macro]:
        """The site's macros of the macro table (accountplans.site.macrotable), each the method
        of that name, in the table's order (the order AP401 lists them in, as check does)."""
        return {name: getattr(self, name) for name in PORTFOLIO_MACROS}


def _percent(actual: Decimal, target: Decimal, language: str) -> str:
    return _DASH if target == 0 else fmt.percent(actual / target, language)


#: The parts of the portfolio's HTML that repeat (each row a plan's, filled in by Html.format).
_LINK = Html('<a href="{}">{}</a>')
_NOTE = Html('<p class="accountplans-note">{}</p>\n')
_ITEM = Html("<li>{}</li>")
_NO_DATE = Html('<td data-sort="">–</td>')
_ACTUALS_FILE = Html("<code>plans/actuals.csv</code>")
_WARNING_ROW = Html("<tr><td>{}</td><td><ul>{}</ul></td></tr>")
_PLAN_ROW = Html('<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
                 '<td class="accountplans-money" data-sort="{}">{}</td>{}{}<td>{}</td></tr>')
_ACTUALS_ROW = Html('<tr><td>{}</td><td>{}</td><td class="accountplans-money">{}</td><td>{}</td>'
                    '<td class="accountplans-money">{}</td><td class="accountplans-money">{}</td>'
                    "<td>{}</td></tr>")
_ACTUALS_TOTAL_ROW = Html('<tr><th scope="row">{}</th><td>{}</td><td class="accountplans-money">{}</td>'
                          '<td></td><td class="accountplans-money">{}</td>'
                          '<td class="accountplans-money">{}</td><td>{}</td></tr>')


def portfolio_macros(files: Mapping[str, CheckedFile], settings: Settings, today: dt.date, *,
                     page_uri: str = "index.md", use_directory_urls: bool = True,
                     actuals: Actuals | None = None,
                     owner_page: Callable[[str], str] | None = None,
                     other_problems: Sequence[Problem] = ()) -> dict[str, Macro]:
    """The macros the dashboard and other non-plan pages may call.

    `files` are the checked Markdown files by `src_uri`; links are made relative to the page
    `page_uri` by MkDocs' URL rules.
    """
    def href(to_uri: str) -> str:
        return relative_href(page_uri, to_uri, use_directory_urls)

    drafts = sum(1 for f in files.values() if f.plan is not None and f.plan.is_draft)
    return Portfolio(tuple(entries(files)), settings, today, href, actuals, owner_page,
                     tuple(other_problems), drafts).macros()
