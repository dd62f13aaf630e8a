"""The portfolio: totals and lists across all plans, for the dashboard's macros.

Everything here is a plain function of the checked files, the settings and `today`; the
MkDocs hook only passes them in. Output is HTML (raw HTML blocks in the page), because the
dashboard's tables need classes and data attributes that Markdown tables cannot carry; every
value that comes from a plan is escaped.

Which plans count: drafts are left out everywhere (they are not published); archived plans
are listed apart and count in no total and in no milestone list.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from . import fmt
from .actuals import Actuals, account_key, progress
from .breakdown import breakdown, iso_weeks, selling_weeks
from .check import CheckedFile
from .htmlblocks import SEARCH_EXCLUDE
from .model import Milestone, Plan
from .problems import RULES, Problem
from .schedule import DUE_DAYS, last_review, milestone_status, next_review, review_overdue
from .settings import Settings

Macro = Callable[[], str]
CENT = Decimal("0.01")

#: The files the site publishes beside the pages (written by exports.py), in the order shown.
DOWNLOADS: tuple[tuple[str, str], ...] = (
    ("calendar.ics", "Calendar of every milestone and quarterly evaluation (iCalendar)"),
    ("plans.csv", "All plans and targets for spreadsheets (CSV)"),
    ("plans.json", "All plans (JSON)"),
    ("plans.schema.json", "JSON Schema of plans.json"),
)


@dataclass(frozen=True)
class Entry:
    """One plan as the site shows it: the plan, its page and the problems of its file."""

    src_uri: str
    plan: Plan
    problems: tuple[Problem, ...] = ()


def entries(files: Mapping[str, CheckedFile]) -> list[Entry]:
    """The published plans (drafts left out), sorted by account, keyed by their page."""
    found = [Entry(uri, f.plan, f.problems) for uri, f in files.items()
             if f.plan is not None and not f.plan.is_draft]
    return sorted(found, key=lambda e: (account_key(e.plan.account), e.src_uri))


def active(found: Iterable[Entry]) -> list[Entry]:
    return [e for e in found if not e.plan.is_archived]


# -- links -----------------------------------------------------------------------------------

def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The URL (from the site root) MkDocs gives a file, by the same rules as MkDocs."""
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri[:-3]
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        if not use_directory_urls:
            return posixpath.join(folder, "index.html")
        return f"{folder}/" if folder else ""
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def relative_href(from_uri: str, to_uri: str, use_directory_urls: bool = True) -> str:
    """The link from the page of `from_uri` to the page or file `to_uri`."""
    here = page_url(from_uri, use_directory_urls)
    target = page_url(to_uri, use_directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    return rel


Href = Callable[[str], str]


# -- formatting ------------------------------------------------------------------------------

def money(amount: Decimal, currency: str) -> str:
    """`€135,000` or `€1,234.50` (the site's English), cents only when there are any."""
    return html.escape(fmt.money(amount, currency, "en"))


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def _time(day: dt.date) -> str:
    return f'<time datetime="{day.isoformat()}">{day.isoformat()}</time>'


def _e(text: object) -> str:
    return html.escape(str(text))


def _table(head: Sequence[str], rows: Iterable[str], css: str) -> str:
    """A table in a `<div class=css>`: Material styles only tables without a class."""
    cells = "".join(f'<th scope="col">{h}</th>' for h in head)
    return (f'<div class="{css}"><table><thead><tr>{cells}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>\n")


def _none(text: str) -> str:
    return f'<p class="accountplans-none"><em>{text}</em></p>\n'


# -- the numbers -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodTargets:
    """A plan's (or a product's) target for the year, today's quarter and today's ISO week."""

    year1: Decimal = Decimal(0)
    quarter: Decimal = Decimal(0)
    week: Decimal = Decimal(0)

    def __add__(self, other: PeriodTargets) -> PeriodTargets:
        return PeriodTargets(self.year1 + other.year1, self.quarter + other.quarter,
                             self.week + other.week)


@dataclass(frozen=True)
class Period:
    """The quarter and ISO week whose targets the dashboard shows for a plan year."""

    year: int
    quarter: int
    week: int
    current: bool
    """True: today's quarter and week. False: the plan year has not started, and these are
    its first quarter and first selling week."""


def period_for(year: int, today: dt.date, closed_weeks: Sequence[int]) -> Period | None:
    """Today's quarter and week in plan year `year`; before the plan year its first quarter
    and first selling week (so the dashboard shows what is coming, not zeros); None once the
    plan year is over."""
    iso = today.isocalendar()
    if today.year == year:
        # The week of a day in early January that belongs to the previous ISO year counts in
        # week 1, as in the breakdown (and likewise at the end of the year).
        week = iso.week if iso.year == year else (1 if iso.year < year else iso_weeks(year))
        return Period(year, (today.month - 1) // 3 + 1, week, True)
    if today.year < year:
        weeks = selling_weeks(year, closed_weeks)
        return Period(year, 1, weeks[0] if weeks else 1, False)
    return None


def period_targets(plan: Plan, settings: Settings, today: dt.date) -> list[tuple[str, PeriodTargets]]:
    """Each product's target for the year, and for the quarter and ISO week of period_for():
    today's, or the plan year's first before it starts; 0 once the plan year is over. By the
    breakdown the plan page shows (each week its own target)."""
    if plan.year is None:
        return [(t.product, PeriodTargets(t.year1)) for t in plan.targets]
    found = breakdown(plan.targets, plan.year, plan.seasonality, settings.closed_weeks,
                      settings.week_split)
    when = period_for(plan.year, today, settings.closed_weeks)
    result: list[tuple[str, PeriodTargets]] = []
    for row in found.rows:
        quarter = week = Decimal(0)
        if when is not None:
            quarter = row.quarters[when.quarter - 1]
            week = row.week.amount(when.week) if row.week is not None else Decimal(0)
        result.append((row.product, PeriodTargets(row.year, quarter, week)))
    return result


def product_totals(found: Iterable[Entry], settings: Settings,
                   today: dt.date) -> dict[tuple[str, int, str], tuple[int, PeriodTargets]]:
    """(product, plan year, currency) -> (number of plans, targets). Amounts in different
    currencies or plan years are never added together."""
    totals: dict[tuple[str, int, str], tuple[int, PeriodTargets]] = {}
    names: dict[str, str] = {}
    for entry in active(found):
        plan = entry.plan
        for product, targets in period_targets(plan, settings, today):
            name = names.setdefault(account_key(product), product)
            key = (name, plan.year or 0, plan.currency)
            count, sums = totals.get(key, (0, PeriodTargets()))
            totals[key] = (count + 1, sums + targets)
    return dict(sorted(totals.items(), key=lambda kv: (kv[0][1], account_key(kv[0][0]), kv[0][2])))


def owner_totals(found: Iterable[Entry], settings: Settings,
                 today: dt.date) -> dict[tuple[str, int, str], tuple[int, PeriodTargets]]:
    """(owner, plan year, currency) -> (number of plans, targets)."""
    totals: dict[tuple[str, int, str], tuple[int, PeriodTargets]] = {}
    for entry in active(found):
        plan = entry.plan
        sums = PeriodTargets()
        for _, targets in period_targets(plan, settings, today):
            sums = sums + targets
        key = (owner_name(plan), plan.year or 0, plan.currency)
        count, before = totals.get(key, (0, PeriodTargets()))
        totals[key] = (count + 1, before + sums)
    return dict(sorted(totals.items(), key=lambda kv: (kv[0][1], owner_key(kv[0][0]), kv[0][2])))


def owner_name(plan: Plan) -> str:
    return " ".join((plan.owner or "(no owner)").split())


def owner_key(name: str) -> str:
    return account_key(name)


@dataclass(frozen=True)
class Dated:
    """A milestone with the plan it belongs to."""

    entry: Entry
    milestone: Milestone


def milestones(found: Iterable[Entry]) -> list[Dated]:
    return sorted((Dated(e, m) for e in active(found) for m in e.plan.milestones),
                  key=lambda d: (d.milestone.date, account_key(d.entry.plan.account), d.milestone.title))


def upcoming(found: Iterable[Entry], today: dt.date) -> list[Dated]:
    """Open milestones from today up to DUE_DAYS (30) ahead, as the plan pages call "due"."""
    return [d for d in milestones(found) if milestone_status(d.milestone, today) == "due"]


def overdue(found: Iterable[Entry], today: dt.date) -> list[Dated]:
    """Milestones whose date has passed and that are not marked done."""
    return [d for d in milestones(found) if milestone_status(d.milestone, today) == "overdue"]


def reviewed_on(plan: Plan, today: dt.date) -> dt.date | None:
    """The plan's review date: the later of `reviewed` and its last evaluation marked done."""
    return last_review(plan.reviewed, plan.milestones, today)


def review_due(plan: Plan, settings: Settings, today: dt.date) -> dt.date | None:
    """The date by which the plan should be evaluated again (None: never reviewed)."""
    last = reviewed_on(plan, today)
    return None if last is None else next_review(last, settings.review_days)


def is_review_overdue(plan: Plan, settings: Settings, today: dt.date) -> bool:
    last = reviewed_on(plan, today)
    return last is None or review_overdue(last, settings.review_days, today)


def overdue_reviews(found: Iterable[Entry], settings: Settings, today: dt.date) -> list[Entry]:
    """Plans whose last review (`reviewed` or a done evaluation) is more than `review_days`
    ago, or that have no review date."""
    late = [e for e in active(found) if is_review_overdue(e.plan, settings, today)]
    return sorted(late, key=lambda e: (reviewed_on(e.plan, today) or dt.date.min,
                                       account_key(e.plan.account)))


# -- the macros ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Portfolio:
    """What the dashboard and the owner pages show, for one set of plans."""

    entries: tuple[Entry, ...]
    settings: Settings
    today: dt.date
    href: Href
    actuals: Actuals | None = None
    owner_page: Callable[[str], str] | None = None
    """The src_uri of an owner's page, when the site has owner pages."""
    other_problems: tuple[Problem, ...] = ()
    """Warnings that belong to no plan (e.g. AP502 in actuals.csv)."""

    def _plan_link(self, entry: Entry) -> str:
        return f'<a href="{_e(self.href(entry.src_uri))}">{_e(entry.plan.account)}</a>'

    def _owner_link(self, owner: str) -> str:
        if self.owner_page is None:
            return _e(owner)
        return f'<a href="{_e(self.href(self.owner_page(owner)))}">{_e(owner)}</a>'

    def computed_on(self) -> str:
        return (f'<p class="accountplans-computed">Computed for {_time(self.today)} '
                f"({_e(long_date(self.today))}): everything that depends on the date "
                "(this quarter, this week, upcoming, overdue) is as of that day.</p>\n")

    def _totals_table(self, first: str, totals: Mapping[tuple[str, int, str], tuple[int, PeriodTargets]],
                      link: Callable[[str], str]) -> str:
        if not totals:
            return _none("No active plans.")
        iso = self.today.isocalendar()
        quarter = f"Q{(self.today.month - 1) // 3 + 1} {self.today.year}"
        head = [first, "Plan year", "Plans", "Year 1", f"This quarter ({quarter})",
                f"This week (W{iso.week:02d} {iso.year})"]
        rows = []
        for (name, year, currency), (count, sums) in totals.items():
            when = period_for(year, self.today, self.settings.closed_weeks) if year else None
            quarter_cell = money(sums.quarter, currency) if when is not None else "–"
            week_cell = money(sums.week, currency) if when is not None else "–"
            if when is not None and not when.current:
                quarter_cell += f" <small>(Q{when.quarter} {when.year})</small>"
                week_cell += f" <small>(W{when.week:02d} {when.year})</small>"
            rows.append(f"<tr><td>{link(name)}</td><td>{year or '–'}</td><td>{count}</td>"
                        f'<td class="accountplans-money">{money(sums.year1, currency)}</td>'
                        f'<td class="accountplans-money">{quarter_cell}</td>'
                        f'<td class="accountplans-money">{week_cell}</td></tr>')
        note = ('<p class="accountplans-note">For plans of a year that has not started yet, the '
                "first quarter and the first selling week of that year are shown; for a year that "
                "is over, none. Amounts in different currencies are never added up.</p>\n")
        return _table(head, rows, "accountplans-totals") + note

    def portfolio_totals(self) -> str:
        return self._totals_table("Product", product_totals(self.entries, self.settings, self.today), _e)

    def owner_totals(self) -> str:
        return self._totals_table("Owner", owner_totals(self.entries, self.settings, self.today),
                                  self._owner_link)

    def _milestone_rows(self, dated: Sequence[Dated], late: bool) -> list[str]:
        rows = []
        for d in dated:
            m = d.milestone
            days = (self.today - m.date).days if late else (m.date - self.today).days
            when = (f"{days} day{'s' if days != 1 else ''} ago" if late
                    else "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}")
            with_ = f" with {_e(m.with_)}" if m.with_ else ""
            rows.append(f'<tr><td data-sort="{m.date.isoformat()}">{_time(m.date)}<br><small>{when}'
                        f"</small></td><td>{self._plan_link(d.entry)}</td>"
                        f"<td>{_e(m.title)} <small>({_e(m.kind)}{with_})</small></td>"
                        f"<td>{self._owner_link(owner_name(d.entry.plan))}</td></tr>")
        return rows

    def upcoming_milestones(self) -> str:
        found = upcoming(self.entries, self.today)
        if not found:
            return _none(f"No open milestones in the next {DUE_DAYS} days.")
        head = ["Date", "Account", "Milestone", "Owner"]
        return _table(head, self._milestone_rows(found, late=False), "accountplans-upcoming")

    def overdue_milestones(self) -> str:
        found = overdue(self.entries, self.today)
        if not found:
            return _none("No overdue milestones.")
        head = ["Date", "Account", "Milestone", "Owner"]
        return (_table(head, self._milestone_rows(found, late=True), "accountplans-overdue")
                + '<p class="accountplans-note">Mark a milestone <code>done: true</code> in its plan '
                  "when it has happened, or move its date.</p>\n")

    def overdue_reviews(self) -> str:
        found = overdue_reviews(self.entries, self.settings, self.today)
        if not found:
            return _none(f"Every plan was reviewed in the last {self.settings.review_days} days.")
        rows = []
        for entry in found:
            reviewed = reviewed_on(entry.plan, self.today)
            since = f"{(self.today - reviewed).days}" if reviewed else "–"
            rows.append(f"<tr><td>{self._plan_link(entry)}</td>"
                        f"<td>{self._owner_link(owner_name(entry.plan))}</td>"
                        f"<td>{_time(reviewed) if reviewed else 'never'}</td><td>{since}</td></tr>")
        return _table(["Account", "Owner", "Last reviewed", "Days ago"], rows, "accountplans-reviews")

    def plans_with_warnings(self) -> str:
        rows = []
        for entry in self.entries:
            if entry.plan.is_archived or not entry.problems:
                continue
            items = "".join(f"<li><code>{_e(p.location())}</code> {_e(p.code)} {_e(p.severity)}: "
                            f"{_e(p.message)}</li>" for p in entry.problems)
            rows.append(f"<tr><td>{self._plan_link(entry)}</td><td><ul>{items}</ul></td></tr>")
        if self.other_problems:
            items = "".join(f"<li><code>{_e(p.location())}</code> {_e(p.code)} {_e(p.severity)}: "
                            f"{_e(p.message)}</li>" for p in self.other_problems)
            rows.append(f"<tr><td>{_e(self.other_problems[0].path)}</td><td><ul>{items}</ul></td></tr>")
        if not rows:
            return _none("No plan has warnings.")
        return _table(["Plan", "Warnings"], rows, "accountplans-warnings")

    def plans_table(self) -> str:
        """Every active plan; sorted and filtered in the browser by the site's local script."""
        plans = active(self.entries)
        if not plans:
            return _none("No active plans yet: write one with `accountplans new`.")
        rows = []
        for entry in plans:
            plan = entry.plan
            late = is_review_overdue(plan, self.settings, self.today)
            last = reviewed_on(plan, self.today)
            review = (f'<td data-sort="{last.isoformat()}">{_time(last)}'
                      f"{' (overdue)' if late else ''}</td>"
                      if last else '<td data-sort="">–</td>')
            following = [m for m in plan.milestones if not m.done and m.date >= self.today]
            nxt = min(following, key=lambda m: m.date) if following else None
            nxt_cell = (f'<td data-sort="{nxt.date.isoformat()}">{_time(nxt.date)} {_e(nxt.title)}</td>'
                        if nxt else '<td data-sort="">–</td>')
            rows.append(
                f"<tr><td>{self._plan_link(entry)}</td>"
                f"<td>{self._owner_link(owner_name(plan))}</td>"
                f"<td>{plan.year or '–'}</td><td>{_e(plan.market_position or '–')}</td>"
                f'<td class="accountplans-money" data-sort="{plan.year1_total}">'
                f"{money(plan.year1_total, plan.currency)}</td>"
                f"{review}{nxt_cell}<td>{_e(', '.join(plan.tags))}</td></tr>")
        head = ["Account", "Owner", "Year", "Market position", "Year 1", "Reviewed",
                "Next milestone", "Tags"]
        filter_box = ('<p class="accountplans-filter"><label for="accountplans-plans-filter">Filter '
                      'plans</label> <input type="search" id="accountplans-plans-filter" '
                      'data-filter="accountplans-plans" placeholder="account, owner, tag…" '
                      'autocomplete="off"></p>\n')
        cells = "".join(f'<th scope="col">{h}</th>' for h in head)
        # Left out of search: each plan's own page is what a search for its account finds. A
        # blank line apart from the filter box, so the table is an HTML block of its own, which
        # the build can keep away from search's HTML parser too.
        table = f'<table class="accountplans-sortable" id="accountplans-plans"{SEARCH_EXCLUDE}>'
        return (filter_box + "\n" + table
                + f"<thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>\n")

    def archived_plans(self) -> str:
        archived = [e for e in self.entries if e.plan.is_archived]
        if not archived:
            return _none("No archived plans.")
        items = "".join(f"<li>{self._plan_link(e)} ({_e(owner_name(e.plan))}, {e.plan.year or '–'})</li>"
                        for e in archived)
        return f'<ul class="accountplans-archived">{items}</ul>\n'

    def owner_plans(self) -> str:
        """Every owner with the number of their active plans, linking to the owner's page."""
        counts: dict[str, tuple[str, int]] = {}
        for entry in active(self.entries):
            name = owner_name(entry.plan)
            shown, count = counts.get(owner_key(name), (name, 0))
            counts[owner_key(name)] = (shown, count + 1)
        if not counts:
            return _none("No owners yet.")
        items = "".join(f"<li>{self._owner_link(name)}: {count} plan{'s' if count != 1 else ''}</li>"
                        for _, (name, count) in sorted(counts.items()))
        return f'<ul class="accountplans-owners">{items}</ul>\n'

    def downloads(self) -> str:
        items = "".join(f'<li><a href="{_e(self.href(uri))}" download>{_e(uri)}</a>: {_e(text)}</li>'
                        for uri, text in DOWNLOADS)
        return f'<ul class="accountplans-downloads">{items}</ul>\n'

    def portfolio_actuals(self) -> str:
        """Actual against target, year to date, per plan and in total per currency."""
        if self.actuals is None:
            return _none("No actuals yet: put the CRM export in plans/actuals.csv.")
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
            rows.append(f"<tr><td>{self._plan_link(entry)}</td><td>{result.year}</td>"
                        f'<td class="accountplans-money">{money(result.prior_actual, cur)}</td>'
                        f"<td>{result.months_elapsed}</td>"
                        f'<td class="accountplans-money">{money(t, cur)}</td>'
                        f'<td class="accountplans-money">{money(a, cur)}</td>'
                        f"<td>{_percent(a, t)}</td></tr>")
        if not rows:
            return _none("plans/actuals.csv has no rows for the active plans.")
        for (year, cur), (t, a) in sorted(totals.items()):
            rows.append(f"<tr><th scope=\"row\">Total {_e(cur)}</th><td>{year}</td>"
                        f'<td class="accountplans-money">{money(priors[(year, cur)], cur)}</td><td></td>'
                        f'<td class="accountplans-money">{money(t, cur)}</td>'
                        f'<td class="accountplans-money">{money(a, cur)}</td>'
                        f"<td>{_percent(a, t)}</td></tr>")
        head = ["Account", "Plan year", "Actual the year before", "Months counted", "Target to date",
                "Actual to date", "%"]
        return _table(head, rows, "accountplans-portfolio-actuals")

    def quarterly_views(self) -> str:
        """Links to the quarter pages: per quarter of the plan years, the team's and each
        owner's (made by accountplans.quarterly at every build)."""
        from .quarterly import quarter_links  # quarterly builds on this module

        return quarter_links(self.entries, self.owner_page, self.href, self.settings.language)

    def rules_table(self) -> str:
        """Every rule of the checker, from the one list the checker uses (problems.RULES)."""
        rows = [f"<tr><td><code>{code}</code></td><td>{severity}</td><td>{_e(what)}</td></tr>"
                for code, (severity, what) in RULES.items()]
        return _table(["Code", "Severity", "What"], rows, "accountplans-rules")

    def macros(self) -> dict[str, Macro]:
        return {
            "portfolio_totals": self.portfolio_totals,
            "owner_totals": self.owner_totals,
            "upcoming_milestones": self.upcoming_milestones,
            "overdue_milestones": self.overdue_milestones,
            "overdue_reviews": self.overdue_reviews,
            "plans_with_warnings": self.plans_with_warnings,
            "plans_table": self.plans_table,
            "archived_plans": self.archived_plans,
            "downloads": self.downloads,
            "computed_on": self.computed_on,
            "owner_plans": self.owner_plans,
            "portfolio_actuals": self.portfolio_actuals,
            "rules_table": self.rules_table,
            "quarterly_views": self.quarterly_views,
        }


def _percent(actual: Decimal, target: Decimal) -> str:
    return "–" if target == 0 else f"{actual / target * 100:.0f}%"


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

    return Portfolio(tuple(entries(files)), settings, today, href, actuals, owner_page,
                     tuple(other_problems)).macros()
