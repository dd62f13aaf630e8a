"""The portfolio's figures: which plans the site shows, and the totals and lists across them
that the dashboard, the owner pages and the downloads show (targets per product and owner for
the year, quarter and week, milestones due and overdue, reviews due, the headline's figures).

Plain functions of the checked files, the settings and `today`, returning data; the HTML is
accountplans.site.portfolio's. Which plans count: drafts are left out everywhere (they are not
published); archived plans are listed apart and count in no total and in no milestone list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from accountplans.compute.actuals import Actuals, progress
from accountplans.compute.breakdown import (
    TargetRow,
    iso_weeks,
    month_rows,
    seasonal_week_target,
    selling_weeks,
    week_targets,
)
from accountplans.compute.memo import by_identity
from accountplans.compute.schedule import last_review, milestone_status, next_review, review_overdue
from accountplans.names import name_key
from accountplans.plan.check import CheckedFile
from accountplans.plan.model import Milestone, Plan
from accountplans.plan.problems import Problem
from accountplans.settings import Settings


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
    return sorted(found, key=lambda e: (name_key(e.plan.account), e.src_uri))


def active(found: Iterable[Entry]) -> list[Entry]:
    return [e for e in found if not e.plan.is_archived]


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
    return list(_period_targets_kept(plan, settings, today))


# The headline, the product and the owner totals ask for every plan's figures, on every build:
# kept per plan (see accountplans.compute.memo), so that under `serve` a save computes the saved plan's,
# and within a build (in_build: four passes over every plan become one).
@by_identity(0, size=1 << 14, in_build=True)
def _period_targets_kept(plan: Plan, settings: Settings,
                         today: dt.date) -> tuple[tuple[str, PeriodTargets], ...]:
    if plan.year is None:
        return tuple((t.product, PeriodTargets(t.year1)) for t in plan.targets)
    when = period_for(plan.year, today, settings.closed_weeks)
    result: list[tuple[str, PeriodTargets]] = []
    # The breakdown's months and the one week asked for, not every week of every plan: the
    # same amounts as its rows (breakdown.month_rows, seasonal_week_target).
    for row in month_rows(plan.targets, plan.seasonality):
        quarter = week = Decimal(0)
        if when is not None:
            quarter = row.quarters[when.quarter - 1]
            week = _week_target(row, plan.year, settings, when.week)
        result.append((row.product, PeriodTargets(row.year, quarter, week)))
    return tuple(result)


def _week_target(row: TargetRow, year: int, settings: Settings, week: int) -> Decimal:
    """`breakdown(...)`'s target of ISO week `week` for the row's product."""
    if settings.week_split == "flat":
        flat = week_targets(row.year, selling_weeks(year, settings.closed_weeks))
        return flat.amount(week) if flat is not None else Decimal(0)
    return seasonal_week_target(row.months, year, settings.closed_weeks, week)


def product_totals(found: Iterable[Entry], settings: Settings,
                   today: dt.date) -> dict[tuple[str, int, str], tuple[int, PeriodTargets]]:
    """(product, plan year, currency) -> (number of plans, targets). Amounts in different
    currencies or plan years are never added together."""
    totals: dict[tuple[str, int, str], tuple[int, PeriodTargets]] = {}
    names: dict[str, str] = {}
    for entry in active(found):
        plan = entry.plan
        for product, targets in period_targets(plan, settings, today):
            name = names.setdefault(name_key(product), product)
            key = (name, plan.year or 0, plan.currency)
            count, sums = totals.get(key, (0, PeriodTargets()))
            totals[key] = (count + 1, sums + targets)
    return dict(sorted(totals.items(), key=lambda kv: (kv[0][1], name_key(kv[0][0]), kv[0][2])))


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
    return dict(sorted(totals.items(), key=lambda kv: (kv[0][1], name_key(kv[0][0]), kv[0][2])))


def owner_name(plan: Plan) -> str:
    return " ".join((plan.owner or "(no owner)").split())


@dataclass(frozen=True)
class Dated:
    """A milestone with the plan it belongs to."""

    entry: Entry
    milestone: Milestone


def milestones(found: Iterable[Entry]) -> list[Dated]:
    return sorted((Dated(e, m) for e in active(found) for m in e.plan.milestones), key=_by_date)


def _by_date(d: Dated) -> tuple[dt.date, str, str]:
    return d.milestone.date, name_key(d.entry.plan.account), d.milestone.title


def _of_status(found: Iterable[Entry], today: dt.date, status: str) -> list[Dated]:
    """milestones() of one status today, picked before sorting (a few hundred of a thousand
    plans' 8,000): the same order, since the sort is stable."""
    return sorted((Dated(e, m) for e in active(found) for m in e.plan.milestones
                   if milestone_status(m, today) == status), key=_by_date)


def upcoming(found: Iterable[Entry], today: dt.date) -> list[Dated]:
    """Open milestones from today up to DUE_DAYS (30) ahead, as the plan pages call "due"."""
    return _of_status(found, today, "due")


def overdue(found: Iterable[Entry], today: dt.date) -> list[Dated]:
    """Milestones whose date has passed and that are not marked done."""
    return _of_status(found, today, "overdue")


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
                                       name_key(e.plan.account)))


# -- the headline ----------------------------------------------------------------------------

@dataclass(frozen=True)
class HeadlineFigures:
    """The dashboard's headline for the active plans of one plan year in one currency."""

    year: int
    currency: str
    plans: int
    year1: Decimal
    period: Period | None
    """The quarter shown (today's, or the plan year's first before it starts); None once
    the plan year is over."""
    quarter_target: Decimal
    quarter_actual: Decimal | None
    """None without actuals for any of these plans, or before the quarter starts."""


def headline_figures(found: Iterable[Entry], settings: Settings, today: dt.date,
                     actuals: Actuals | None) -> list[HeadlineFigures]:
    """Per plan year and currency (never added together): the year-1 total, the quarter's
    target and, with actuals, its actual so far."""
    groups: dict[tuple[int, str], list[Entry]] = {}
    for entry in active(found):
        groups.setdefault((entry.plan.year or 0, entry.plan.currency), []).append(entry)
    result = []
    for (year, currency), members in sorted(groups.items()):
        period = period_for(year, today, settings.closed_weeks) if year else None
        target = Decimal(0)
        actual: Decimal | None = None
        for entry in members:
            target += sum((t.quarter for _, t in period_targets(entry.plan, settings, today)), Decimal(0))
            if (period is not None and period.current and actuals is not None
                    and actuals.has_account(entry.plan.account)):
                found_progress = progress(entry.plan, actuals, today)
                if found_progress is not None:
                    actual = (actual or Decimal(0)) + found_progress.quarter(period.quarter)[1]
        result.append(HeadlineFigures(year, currency, len(members),
                                      sum((e.plan.year1_total for e in members), Decimal(0)),
                                      period, target if period is not None else Decimal(0), actual))
    return result
