"""The quarterly view: per quarter of a plan year, one page for the team and one per owner,
for the evaluation meeting.

For every active plan of that year the page shows the quarter's target and actual, the year
to date (up to the end of the quarter, or today when the quarter is under way), the
milestones done and missed in the quarter, those planned in the next quarter, and what the
quarter's evaluation found (`status:` and `outcome:`). A quarter that has not started shows
its targets and plans, never a shortfall.

Plain functions of the plans, the settings, `today` and the actuals; the hook publishes the
pages (team pages in the navigation under "Quarters", an owner's pages beside the owner's
page, linked from the team page and the dashboard). The pages are HTML blocks between Markdown
headings, as the owner pages are; the blocks are `Html` (accountplans.site.markup): every value
from a plan is text, escaped once as it meets the markup.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from accountplans import fmt

from accountplans.site import yeartext
from accountplans.compute.actuals import Actuals, Progress, months_elapsed, progress
from accountplans.compute.breakdown import month_total
from accountplans.compute.figures import Entry, active, owner_name
from accountplans.i18n import N_, gettext, ngettext
from accountplans.site.htmlblocks import SEARCH_EXCLUDE
from accountplans.site.links import relative_href
from accountplans.site.markup import Html, escape, message
from accountplans.compute.memo import by_identity
from accountplans.plan.model import Milestone, Plan
from accountplans.names import name_key
from accountplans.compute.schedule import evaluation_of, quarter_of
from accountplans.settings import Settings

QUARTERS_DIR = "quarters"


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year + (self.number == 4), 1 if self.number == 4 else 3 * self.number + 1, 1) \
            - dt.timedelta(days=1)

    @property
    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @property
    def name(self) -> str:
        return f"Q{self.number} {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year}-q{self.number}"

    def holds(self, day: dt.date) -> bool:
        return day.year == self.year and quarter_of(day) == self.number


def team_page_uri(quarter: Quarter) -> str:
    return f"{QUARTERS_DIR}/{quarter.slug}.md"


def owner_quarter_uri(owner_page_uri: str, quarter: Quarter) -> str:
    """An owner's quarter page, in the folder of the owner's page."""
    return posixpath.join(posixpath.dirname(owner_page_uri), f"{quarter.slug}.md")


def quarters_of(found: Sequence[Entry]) -> list[Quarter]:
    """The four quarters of every plan year of the active plans, in order."""
    years = sorted({e.plan.year for e in active(found) if e.plan.year is not None})
    return [Quarter(y, q) for y in years for q in range(1, 5)]


# -- the figures of one plan in one quarter ---------------------------------------------------

@dataclass(frozen=True)
class PlanQuarter:
    """What the evaluation meeting looks at for one plan in one quarter."""

    entry: Entry
    quarter: Quarter
    started: bool
    target: Decimal
    actual: Decimal | None
    """None without actuals for the plan, or when the quarter has not started."""
    ytd_months: int
    target_ytd: Decimal
    actual_ytd: Decimal | None
    done: tuple[Milestone, ...]
    missed: tuple[Milestone, ...]
    open: tuple[Milestone, ...]
    """Not done, dated today or later in the quarter."""
    next_quarter: tuple[Milestone, ...]
    evaluation: Milestone | None


def plan_quarter(entry: Entry, quarter: Quarter, settings: Settings, today: dt.date,
                 actuals: Actuals | None) -> PlanQuarter:
    return _plan_quarter(entry, quarter, today, _progress_of(entry.plan, actuals, today))


def _progress_of(plan: Plan, actuals: Actuals | None, today: dt.date) -> Progress | None:
    """The plan's actuals against its targets, when the actuals have its account. Its months
    do not depend on the day (only its months_elapsed does): one for all four quarters."""
    if actuals is None or not actuals.has_account(plan.account):
        return None
    return progress(plan, actuals, today)


def _plan_quarter(entry: Entry, quarter: Quarter, today: dt.date, found: Progress | None) -> PlanQuarter:
    plan = entry.plan
    year = plan.year if plan.year is not None else quarter.year
    as_of = min(today, quarter.last_day)
    started = today >= quarter.first_day
    months = slice(3 * quarter.number - 3, 3 * quarter.number)
    elapsed = months_elapsed(year, as_of)
    actual: Decimal | None = None
    actual_ytd: Decimal | None = None
    if found is not None:
        by_month = found.target_by_month
        if started:
            actual = sum(found.actual_by_month[months], Decimal(0))
            # Progress.actual_ytd as of the quarter's end (or today): its first months.
            actual_ytd = sum(found.actual_by_month[:elapsed], Decimal(0))
    else:
        by_month = month_total(plan.targets, plan.seasonality)
    in_quarter = [m for m in plan.milestones if quarter.holds(m.date)]
    return PlanQuarter(
        entry, quarter, started, sum(by_month[months], Decimal(0)), actual, elapsed,
        sum(by_month[:elapsed], Decimal(0)), actual_ytd,
        done=tuple(m for m in in_quarter if m.done),
        missed=tuple(m for m in in_quarter if not m.done and m.date < today),
        open=tuple(m for m in in_quarter if not m.done and m.date >= today),
        next_quarter=tuple(m for m in plan.milestones if quarter.next.holds(m.date)),
        evaluation=evaluation_of(plan.milestones, quarter.year, quarter.number)
        if plan.year == quarter.year else None)


@by_identity(0, 4, size=1 << 12)
def _plan_quarters_kept(plan: Plan, src_uri: str, settings: Settings, today: dt.date,
                        actuals: Actuals | None) -> tuple[PlanQuarter, ...]:
    """The plan's four quarters of its plan year, from one progress; kept per plan (see
    accountplans.compute.memo): every quarter page of the plan's year, the team's and its
    owner's, shows them."""
    entry = Entry(src_uri, plan)
    found = _progress_of(plan, actuals, today)
    year = plan.year if plan.year is not None else today.year
    return tuple(_plan_quarter(entry, Quarter(year, number), today, found) for number in range(1, 5))


class QuarterRows:
    """One build's PlanQuarters and the parts of their rows and blocks, each made once: the
    team's quarter page and its owner's show the same plan's quarter (and a plan's four
    quarters come from one progress)."""

    def __init__(self, settings: Settings, today: dt.date, actuals: Actuals | None) -> None:
        self.settings = settings
        self.today = today
        self.actuals = actuals
        self._made: dict[tuple[str, int], tuple[Plan, tuple[PlanQuarter, ...]]] = {}
        self._parts: dict[tuple[int, str], tuple[PlanQuarter, Html]] = {}

    def of(self, entry: Entry, quarter: Quarter) -> PlanQuarter:
        """The plan's quarter of its plan year (`quarter.year` is the plan's year)."""
        key = (entry.src_uri, id(entry.plan))
        kept = self._made.get(key)
        if kept is None or kept[0] is not entry.plan:
            kept = (entry.plan, _plan_quarters_kept(entry.plan, entry.src_uri, self.settings,
                                                    self.today, self.actuals))
            self._made[key] = kept
        return kept[1][quarter.number - 1]

    def part(self, pq: PlanQuarter, kind: str, make: Callable[[PlanQuarter], Html]) -> Html:
        """The part of a plan's row or block that does not link (the same on the team's page
        and its owner's, which differ in their links only), made once per build."""
        key = (id(pq), kind)
        kept = self._parts.get(key)
        if kept is None or kept[0] is not pq:
            kept = self._parts[key] = (pq, make(pq))
        return kept[1]


# -- the page ----------------------------------------------------------------------------------

_DASH = "–"
"""In a cell that has no value."""
_LINK = Html('<a href="{}">{}</a>')


@dataclass(frozen=True)
class QuarterView:
    """The quarter page of a set of plans (the team's, or one owner's)."""

    quarter: Quarter
    entries: tuple[Entry, ...]
    settings: Settings
    today: dt.date
    actuals: Actuals | None
    href: Callable[[str], str]
    rows: QuarterRows | None = field(default=None, compare=False)
    """The build's PlanQuarters, shared by its quarter pages; None: made for this page."""
    blocks_searched: bool = True
    """Whether search indexes the plans' blocks: on an owner's page, not on the team's, whose
    blocks are the owners' pages' again (each text is indexed once, on an owner's page)."""

    @property
    def language(self) -> str:
        return self.settings.language

    def _t(self, key: str, **fields: object) -> str:
        return yeartext.text(key, self.language, **fields)

    def _html(self, key: str, **fields: str | Html) -> Html:
        """A text of yeartext as HTML, with `fields` (text or HTML) filled in."""
        return message(yeartext.text(key, self.language)).format(**fields)

    def _money(self, amount: Decimal | None, currency: str) -> str:
        return _DASH if amount is None else fmt.money(amount, currency, self.language)

    def _percent(self, actual: Decimal | None, target: Decimal) -> str:
        if actual is None or target == 0:
            return _DASH
        return fmt.percent(actual / target, self.language)

    def plans(self) -> list[PlanQuarter]:
        rows = self.rows if self.rows is not None else QuarterRows(self.settings, self.today, self.actuals)
        return [rows.of(e, self.quarter) for e in active(self.entries) if e.plan.year == self.quarter.year]

    def _status(self, evaluation: Milestone | None) -> Html:
        if evaluation is None:
            return escape(self._t("eval_none"))
        if not evaluation.done:
            key = "eval_missed" if evaluation.date < self.today else "eval_planned"
            return escape(self._t(key, date=fmt.date(evaluation.date, self.language)))
        if evaluation.status is None:
            return escape(self._t("eval_done_no_status", date=fmt.date(evaluation.date, self.language)))
        word = self._t(f"status_{evaluation.status}")
        return Html('<strong class="accountplans-eval accountplans-eval-{}">{}</strong>').format(
            evaluation.status, word)

    def summary(self, found: Sequence[PlanQuarter]) -> Html:
        if not found:
            return Html('<p class="accountplans-none"><em>{}</em></p>').format(self._t("quarter_no_plans"))
        heads = [self._t("col_account"), self._t("col_owner"),
                 self._t("col_target", quarter=self.quarter.name), self._t("col_actual"),
                 gettext(N_("%"), self.language),
                 self._t("col_evaluation")]
        head = Html("").join(Html('<th scope="col">{}</th>').format(h) for h in heads)
        rows = [_summary_row(pq, self._kept_key(pq), self) for pq in found]
        # Left out of search: a roll-up of the plans' blocks below (README "Search").
        return Html('<div class="accountplans-quarter-summary"{}><table><thead><tr>{}</tr></thead>'
                    "<tbody>{}</tbody></table></div>").format(SEARCH_EXCLUDE, head, Html("").join(rows))

    def _kept_key(self, pq: PlanQuarter) -> tuple[object, ...]:
        """What a plan's row and block depend on besides the plan's quarter: the page (its
        link to the plan), the language, the day and whether search indexes the block."""
        return (self.href(pq.entry.src_uri), self.language, self.today, self.quarter, self.blocks_searched)

    def summary_row(self, pq: PlanQuarter) -> Html:
        return _ROW.format(self.href(pq.entry.src_uri), pq.entry.plan.account,
                           self._part(pq, "row", self._row_cells))

    def _part(self, pq: PlanQuarter, kind: str, make: Callable[[PlanQuarter], Html]) -> Html:
        return make(pq) if self.rows is None else self.rows.part(pq, kind, make)

    def _row_cells(self, pq: PlanQuarter) -> Html:
        """A summary row after its link."""
        cur = pq.entry.plan.currency
        return _ROW_CELLS.format(
            owner_name(pq.entry.plan), self._money(pq.target, cur), self._money(pq.actual, cur),
            self._percent(pq.actual, pq.target), self._status(pq.evaluation))

    def _milestones(self, key: str, milestones: Sequence[Milestone]) -> Html:
        if not milestones:
            return Html("<li>{}: {}</li>").format(self._t(key), self._t("none"))
        items = Html("; ").join(f"{fmt.date(m.date, self.language)} {m.title}" for m in milestones)
        return Html("<li>{}: {}</li>").format(self._t(key), items)

    def plan_block(self, pq: PlanQuarter) -> Html:
        return _BLOCK.format(_NO_ATTRIBUTE if self.blocks_searched else SEARCH_EXCLUDE,
                             self.href(pq.entry.src_uri), pq.entry.plan.account,
                             self._part(pq, "block", self._block_rest))

    def _block_rest(self, pq: PlanQuarter) -> Html:
        """A plan's block after its link."""
        plan = pq.entry.plan
        cur = plan.currency
        if pq.started:
            figures = Html("{} {}").format(
                self._html("figures", quarter=self.quarter.name, target=self._money(pq.target, cur),
                           actual=self._money(pq.actual, cur), percent=self._percent(pq.actual, pq.target)),
                self._html("figures_ytd", months=str(pq.ytd_months), target=self._money(pq.target_ytd, cur),
                           actual=self._money(pq.actual_ytd, cur),
                           percent=self._percent(pq.actual_ytd, pq.target_ytd)))
        else:
            figures = self._html("figures_ahead", quarter=self.quarter.name,
                                 target=self._money(pq.target, cur))
        evaluation = Html("<strong>{}:</strong> {}").format(self._t("col_evaluation"),
                                                            self._status(pq.evaluation))
        if pq.evaluation is not None and pq.evaluation.outcome:
            evaluation += Html(" — {}").format(pq.evaluation.outcome)
        lists = Html("").join((self._milestones("ms_done", pq.done), self._milestones("ms_missed", pq.missed),
                               self._milestones("ms_open", pq.open),
                               self._milestones("ms_next", pq.next_quarter)))
        return _BLOCK_REST.format(owner_name(plan), figures, evaluation, lists)


# A row and a block in two parts: the link to the plan (which differs between the team's
# page and the owner's; _LINK's markup, filled in with the rest in one format) and the rest
# (the same on both, made once per build).
_ROW = Html('<tr><td><a href="{}">{}</a></td>{}')
_ROW_CELLS = Html('<td>{}</td><td class="accountplans-money">{}</td><td class="accountplans-money">{}</td>'
                  "<td>{}</td><td>{}</td></tr>")
_BLOCK = Html('<section class="accountplans-quarter-plan"{}><h3><a href="{}">{}</a> {}')
_NO_ATTRIBUTE = Html("")
_BLOCK_REST = Html("<small>({})</small></h3><p>{}</p><p>{}</p><ul>{}</ul></section>")


# A plan's row and block are the same text on every build while the plan (and so its kept
# PlanQuarter) is the same object: kept by the PlanQuarter's identity and the view's key.
@by_identity(0, kept_out=(2,), size=1 << 15)  # a plan, 4 quarters, 2 pages each
def _summary_row(pq: PlanQuarter, key: tuple[object, ...], view: QuarterView) -> Html:
    return view.summary_row(pq)


@by_identity(0, kept_out=(2,), size=1 << 15)  # a plan, 4 quarters, 2 pages each
def _plan_block(pq: PlanQuarter, key: tuple[object, ...], view: QuarterView) -> Html:
    return view.plan_block(pq)


def quarter_markdown(view: QuarterView, title: str, others: Sequence[tuple[str, str]] = ()) -> str:
    """A quarter page: title, the date it was computed for, a summary table, one block per
    plan; `others` are (label, src_uri) of related pages (the owners' pages of the quarter)."""
    found = view.plans()
    lang = view.language
    intro = ngettext(
        "The quarterly evaluation of {quarter}, computed for {date}: {count} active plan of the "
        "plan year, with its target and actual, its milestones and what the quarter's evaluation "
        "found.",
        "The quarterly evaluation of {quarter}, computed for {date}: {count} active plans of the "
        "plan year, each with its target and actual, its milestones and what the quarter's "
        "evaluation found.", len(found), lang, quarter=view.quarter.name,
        date=fmt.date(view.today, lang), count=fmt.number(len(found), lang))
    if view.actuals is None:
        intro = f"{intro} {view._t('quarter_no_actuals')}"
    # The title as HTML: Material prints it without escaping.
    parts = ["---", f"title: {json.dumps(str(escape(title)))}", "---", "",
             Html('<p class="accountplans-quarter-intro">{}</p>').format(intro), ""]
    if others:
        links = Html(" · ").join(_LINK.format(view.href(uri), label) for label, uri in others)
        owners = Html('<p class="accountplans-quarter-owners">{}: {}</p>').format(view._t("per_owner"), links)
        parts += [owners, ""]
    parts += [f"## {view._t('heading_summary')}", "", view.summary(found), ""]
    if found:
        parts += [f"## {view._t('heading_plans')}", ""]
        parts += [_plan_block(pq, view._kept_key(pq), view) + "\n" for pq in found]
    return "\n".join(parts).rstrip("\n") + "\n"


def quarter_pages(found: Sequence[Entry], owner_pages: Sequence[tuple[str, str, Sequence[Entry]]],
                  settings: Settings, today: dt.date, actuals: Actuals | None = None,
                  use_directory_urls: bool = True) -> list[tuple[str, str, bool]]:
    """(src_uri, Markdown, in navigation) of every quarter page: per quarter the team's page
    (in the navigation) and each owner's (beside their owner page, linked from the team's).

    `owner_pages` are (owner name, the src_uri of the owner's page, the owner's entries)."""
    return list(each_quarter_page(found, owner_pages, settings, today, actuals, use_directory_urls))


def each_quarter_page(found: Sequence[Entry], owner_pages: Sequence[tuple[str, str, Sequence[Entry]]],
                      settings: Settings, today: dt.date, actuals: Actuals | None = None,
                      use_directory_urls: bool = True) -> Iterator[tuple[str, str, bool]]:
    """quarter_pages, one page at a time."""
    rows = QuarterRows(settings, today, actuals)
    for quarter in quarters_of(found):
        team_uri = team_page_uri(quarter)
        owners_here = _owners_in(quarter, owner_pages)
        others = [(name, owner_quarter_uri(uri, quarter)) for name, uri, _ in owners_here]

        def href_from(page: str) -> Callable[[str], str]:
            return lambda to: relative_href(page, to, use_directory_urls)

        team = QuarterView(quarter, tuple(found), settings, today, actuals, href_from(team_uri), rows,
                           blocks_searched=False)
        yield (team_uri, quarter_markdown(
            team, yeartext.text("title_team", settings.language, quarter=quarter.name), others), True)
        for name, uri, entries in owners_here:
            page = owner_quarter_uri(uri, quarter)
            title = yeartext.text("title_owner", settings.language, quarter=quarter.name, owner=name)
            yield (page, _owner_quarter_kept(
                tuple(e.plan for e in entries), actuals, tuple(entries),
                tuple(e.src_uri for e in entries), quarter, settings, today, page, title, team_uri,
                use_directory_urls, rows), False)


def quarter_page_uris(found: Sequence[Entry], owner_pages: Sequence[tuple[str, str, Sequence[Entry]]]
                      ) -> Iterator[tuple[str, bool]]:
    """(src_uri, in navigation) of each_quarter_page's pages, in its order, known without
    making them."""
    for quarter in quarters_of(found):
        yield team_page_uri(quarter), True
        for _, uri, _ in _owners_in(quarter, owner_pages):
            yield owner_quarter_uri(uri, quarter), False


def _owners_in(quarter: Quarter, owner_pages: Sequence[tuple[str, str, Sequence[Entry]]]
               ) -> list[tuple[str, str, Sequence[Entry]]]:
    """The owners with a quarter page of `quarter`: those with an active plan of its year."""
    return [(name, uri, entries) for name, uri, entries in owner_pages
            if any(e.plan.year == quarter.year for e in active(entries))]


# An owner's quarter page is the same text while the owner's plans are the same objects (see
# accountplans.compute.memo): under `serve` a saved plan makes its owner's quarter pages only, not
# every owner's. The entries count by their pages (src_uri) and plans.
@by_identity(0, 1, kept_out=(2, 11), size=4096)
def _owner_quarter_kept(plans: tuple[Plan, ...], actuals: Actuals | None, entries: tuple[Entry, ...],
                        pages: tuple[str, ...], quarter: Quarter, settings: Settings, today: dt.date,
                        page: str, title: str, team_uri: str, use_directory_urls: bool,
                        rows: QuarterRows | None = None) -> str:
    view = QuarterView(quarter, entries, settings, today, actuals,
                       lambda to: relative_href(page, to, use_directory_urls), rows)
    return quarter_markdown(view, title, [(yeartext.text("title_team_short", settings.language), team_uri)])


def quarter_links(found: Sequence[Entry], owner_page: Callable[[str], str] | None,
                  href: Callable[[str], str], language: str) -> Html:
    """The dashboard's list of quarter pages: per quarter the team's page and the owners'."""
    quarters = quarters_of(found)
    if not quarters:
        none = yeartext.text("quarter_no_plans", language)
        return Html('<p class="accountplans-none"><em>{}</em></p>\n').format(none)
    items = []
    for quarter in quarters:
        owners: dict[str, str] = {}
        for entry in active(found):
            if entry.plan.year == quarter.year:
                owners.setdefault(name_key(owner_name(entry.plan)), owner_name(entry.plan))
        links = Html()
        if owner_page is not None:
            links = Html(" · ").join(_LINK.format(href(owner_quarter_uri(owner_page(name), quarter)), name)
                                     for _, name in sorted(owners.items()))
            links = Html(": {}").format(links) if links else links
        team = yeartext.text("title_team", language, quarter=quarter.name)
        items.append(Html("<li>{}{}</li>").format(_LINK.format(href(team_page_uri(quarter)), team), links))
    return Html('<ul class="accountplans-quarters">{}</ul>\n').format(Html("").join(items))
