"""Target breakdowns: a year target split into months, quarters and selling weeks.

Money is `Decimal` and the parts add up to the whole exactly, to the cent:

- Months: each month's share (`year * weight / sum of weights`) is rounded down to the cent;
  the cents that rounding leaves over go to the last month with a weight (December, unless
  December's weight is 0). Rounding down keeps every part >= 0.
- Quarters are the sums of their three months, so the last quarter holds the remainder too.
- Weeks (`week_split: seasonal`, the default) follow the months. The plan year's weeks are
  its ISO weeks (52 or 53) less the team's closed weeks. A *selling day* is a Monday to
  Friday of the plan year whose week is not closed; a day of early January that lies in the
  previous year's last ISO week counts in week 1, a day of late December that lies in the
  next year's week 1 counts in the plan year's last week. Each month's target is spread over
  its selling days: a week gets `month * (its selling days in the month) / (selling days of
  the month)`, rounded down to the cent, and the month's last selling week gets the cents
  left over, so each month's weeks add up to the month and all weeks to the year. A week
  that spans two months gets its part of both. A month without a selling day (every
  weekday closed) hands its target to the next month that has one (or, in December, the
  last month before it that has one).
- `week_split: flat` divides the year evenly: `year / selling weeks`, rounded down to the
  cent; the last selling week gets the cents left over.
- Growth per year is the compound average over the two years from year 1 to year 3:
  `(year3 / year1) ** (1/2) - 1`.

The total row is the column sum of the product rows, so it adds up both ways.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from accountplans.compute.memo import by_identity
from accountplans.plan.model import Target

CENT = Decimal("0.01")
#: Enough digits for an exact `amount * weight` (both < 10^16 with two decimals) and a
#: quotient whose rounding can never cross a cent boundary.
_PRECISION = 60


def cents_down(value: Decimal) -> Decimal:
    """`value` rounded down to the cent."""
    return value.quantize(CENT, rounding=ROUND_FLOOR)


def split(total: Decimal, weights: Sequence[Decimal]) -> tuple[Decimal, ...]:
    """`total` in parts proportional to `weights`, each rounded down to the cent; the last
    part with a weight takes the remaining cents. The parts add up to `total` exactly.

    Raises ValueError when no weight is positive or a weight is negative.
    """
    if any(w < 0 for w in weights) or not any(w > 0 for w in weights):
        raise ValueError("weights must be >= 0 with at least one > 0")
    in_cents = _split_in_cents(total, weights)
    if in_cents is not None:
        return _from_cents_all(in_cents)
    with decimal.localcontext() as ctx:
        ctx.prec = _PRECISION
        weight_sum = sum(weights, Decimal(0))
        parts = [cents_down(total * w / weight_sum) for w in weights]
        last = remainder_index(weights)
        parts[last] = total - sum((p for i, p in enumerate(parts) if i != last), Decimal(0))
    return tuple(parts)


# The same split in whole cents and integer weights: a build splits every plan's targets over
# months and weeks many times, and integers are several times faster than Decimal contexts.
# Exact integer floor division gives the parts the Decimal formula rounds down to (its
# precision keeps a quotient from crossing a cent boundary); used where the Decimal results
# would be whole cents too (amounts with at most two decimals, not negative, two parts or more:
# one part is the total as written, e.g. "1000" and not "1000.00").
_EXACT = decimal.Context(prec=_PRECISION)


def _whole_cents(amount: Decimal) -> int | None:
    """`amount` in cents, when it is finite, not negative and has at most two decimals."""
    if not amount.is_finite() or amount.is_signed():
        return None
    exponent = amount.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -2 or len(amount.as_tuple().digits) > 40:
        return None
    return int(amount.scaleb(2, _EXACT))


# A plan's seasonality splits each of its products, on every page that shows its months: kept
# by value (weights equal in value but written differently, 1 and 1.0, scale to integers in
# the same proportion, which is all that split reads).
@functools.lru_cache(maxsize=4096)
def _whole_weights(weights: tuple[Decimal, ...]) -> tuple[int, ...] | None:
    """The weights as integers in the same proportion (all scaled by one power of ten)."""
    exponents = []
    for w in weights:
        if not w.is_finite():
            return None
        exponent = w.as_tuple().exponent
        if not isinstance(exponent, int) or len(w.as_tuple().digits) > 40:
            return None
        exponents.append(exponent)
    shift = -min(0, *exponents)
    if shift > 20:
        return None
    return tuple(int(w.scaleb(shift, _EXACT)) for w in weights)


def _split_cents(total: int, weights: Sequence[int]) -> list[int]:
    """`split` in whole cents: `total * weight / sum`, rounded down, the remainder to the last
    part with a positive weight."""
    weight_sum = sum(weights)
    parts = [total * w // weight_sum for w in weights]
    last = max(i for i, w in enumerate(weights) if w > 0)
    parts[last] = total - (sum(parts) - parts[last])
    return parts


def _from_cents(cents: int) -> Decimal:
    """Whole cents as the amount with two decimals (what `cents_down` gives)."""
    return _EXACT.scaleb(Decimal(cents), -2)


def _from_cents_all(cents: Sequence[int]) -> tuple[Decimal, ...]:
    """`_from_cents` of each (without a call per amount: a plan's weeks are hundreds)."""
    scaleb = _EXACT.scaleb
    return tuple([scaleb(Decimal(c), -2) for c in cents])


def _split_in_cents(total: Decimal, weights: Sequence[Decimal]) -> list[int] | None:
    """`split`'s parts in whole cents, when the whole-cents path gives them (see above);
    None when split takes the Decimal formula. The weights are valid (split checks)."""
    cents = _whole_cents(total)
    if cents is None or len(weights) < 2:
        return None
    scaled = _whole_weights(tuple(weights))
    return None if scaled is None else _split_cents(cents, scaled)


def remainder_index(weights: Sequence[Decimal]) -> int:
    """Which part takes the rounding remainder: the last one with a positive weight."""
    return max(i for i, w in enumerate(weights) if w > 0)


def quarters(months: Sequence[Decimal]) -> tuple[Decimal, ...]:
    """The four quarter sums of 12 months."""
    return tuple(sum(months[q * 3: q * 3 + 3], Decimal(0)) for q in range(4))


def iso_weeks(year: int) -> int:
    """How many ISO weeks the year has: 53 or 52 (28 December is always in the last one)."""
    return dt.date(year, 12, 28).isocalendar().week


def selling_weeks(year: int, closed_weeks: Sequence[int]) -> tuple[int, ...]:
    """The ISO weeks of the year that are not closed (a closed week 53 of a 52-week year is
    simply not there)."""
    closed = set(closed_weeks)
    return tuple(w for w in range(1, iso_weeks(year) + 1) if w not in closed)


WEEK_SPLITS = ("seasonal", "flat")


@dataclass(frozen=True)
class WeekTargets:
    """A year target spread over the selling weeks: `amounts[i]` is the target of ISO week
    `weeks[i]`; the amounts add up to the year exactly."""

    weeks: tuple[int, ...]
    amounts: tuple[Decimal, ...]

    def parts(self) -> tuple[Decimal, ...]:
        return self.amounts

    def amount(self, week: int) -> Decimal:
        """The target of ISO week `week`; 0 for a closed week or one the year does not have."""
        for w, a in zip(self.weeks, self.amounts, strict=True):
            if w == week:
                return a
        return Decimal(0)

    def average(self) -> Decimal:
        """The year over the selling weeks, rounded down to the cent (shown, never added up)."""
        with decimal.localcontext() as ctx:
            ctx.prec = _PRECISION
            return cents_down(sum(self.amounts, Decimal(0)) / len(self.amounts))

    def __add__(self, other: WeekTargets) -> WeekTargets:
        if other.weeks != self.weeks:
            raise ValueError("week targets of different selling weeks cannot be added")
        return WeekTargets(self.weeks, tuple(a + b for a, b in zip(self.amounts, other.amounts,
                                                                    strict=True)))


def week_targets(total: Decimal, weeks: Sequence[int]) -> WeekTargets | None:
    """The flat split: `total` over `weeks`, rounded down to the cent, the last week takes the
    remainder. None when there is no selling week."""
    if not weeks:
        return None
    with decimal.localcontext() as ctx:
        ctx.prec = _PRECISION
        regular = cents_down(total / len(weeks))
        last = total - regular * (len(weeks) - 1)
    return WeekTargets(tuple(weeks), (regular,) * (len(weeks) - 1) + (last,))


def plan_week(day: dt.date, year: int) -> int:
    """The plan-year week a day of the plan year counts in: its ISO week, except that early
    January days of the previous ISO year count in week 1 and late December days of the next
    ISO year in the plan year's last week."""
    iso = day.isocalendar()
    if iso.year < year:
        return 1
    if iso.year > year:
        return iso_weeks(year)
    return iso.week


@functools.lru_cache(maxsize=64)
def selling_days(year: int, closed_weeks: tuple[int, ...]) -> tuple[tuple[tuple[int, int], ...], ...]:
    """For each month of `year` (12 entries), its (week, selling days) pairs in week order:
    Mondays to Fridays whose plan week (see plan_week) is not closed."""
    closed = set(closed_weeks)
    months: list[tuple[tuple[int, int], ...]] = []
    for month in range(1, 13):
        counts: dict[int, int] = {}
        day = dt.date(year, month, 1)
        while day.month == month:
            week = plan_week(day, year)
            if day.weekday() < 5 and week not in closed:
                counts[week] = counts.get(week, 0) + 1
            day += dt.timedelta(days=1)
        months.append(tuple(sorted(counts.items())))
    return tuple(months)


def seasonal_week_targets(months: Sequence[Decimal], year: int,
                          closed_weeks: Sequence[int]) -> WeekTargets | None:
    """The 12 month targets spread over their selling days, summed per ISO week (see the
    module's docstring). None when the year has no selling week."""
    weeks = selling_weeks(year, closed_weeks)
    if not weeks:
        return None
    days = selling_days(year, tuple(sorted(set(closed_weeks))))
    amounts, open_months = _handed_on(months, days)
    # In whole cents when every month is written with two decimals, as `split` makes them
    # (a month with one selling week passes its amount on as written).
    month_cents = [_whole_cents(amount) if amount.as_tuple().exponent == -2 else None
                   for amount in amounts]
    if all(c is not None for c in month_cents):
        return WeekTargets(weeks, _seasonal_weeks_in_cents(
            [c or 0 for c in month_cents], days, open_months, weeks))
    by_week = dict.fromkeys(weeks, Decimal(0))
    for m in open_months:
        pairs = days[m]
        for (week, _), part in zip(pairs, split(amounts[m], [Decimal(n) for _, n in pairs]),
                                   strict=True):
            by_week[week] += part
    return WeekTargets(weeks, tuple(by_week[w] for w in weeks))


def _handed_on(months: Sequence[Decimal], days: tuple[tuple[tuple[int, int], ...], ...],
               ) -> tuple[list[Decimal], list[int]]:
    """The month targets after each month without a selling day handed its target on (see the
    module's docstring), and the months (0-11) that have selling days."""
    amounts = list(months)
    open_months = [m for m in range(12) if days[m]]
    for m in range(12):
        if not days[m] and amounts[m]:
            later = [o for o in open_months if o > m]
            to = later[0] if later else max(o for o in open_months if o < m)
            amounts[to] += amounts[m]
            amounts[m] = Decimal(0)
    return amounts, open_months


def seasonal_week_target(months: Sequence[Decimal], year: int, closed_weeks: Sequence[int],
                         week: int) -> Decimal:
    """`seasonal_week_targets(months, year, closed_weeks).amount(week)`, without the other
    weeks: the dashboard and owner pages want this week's target of every plan."""
    weeks = selling_weeks(year, closed_weeks)
    if week not in weeks:
        return Decimal(0)
    days = selling_days(year, tuple(sorted(set(closed_weeks))))
    amounts, open_months = _handed_on(months, days)
    touching = [m for m in open_months if any(w == week for w, _ in days[m])]
    if all(amounts[m].as_tuple().exponent == -2 and _whole_cents(amounts[m]) is not None
           for m in touching):
        cents = [c for m in touching for (w, _), c in zip(
            days[m], _split_cents(_whole_cents(amounts[m]) or 0, [n for _, n in days[m]]),
            strict=True) if w == week]
        return _from_cents(sum(cents)) if cents else Decimal(0)
    found = seasonal_week_targets(months, year, closed_weeks)
    return found.amount(week) if found is not None else Decimal(0)


# Kept per targets and seasonality object, as `breakdown` (see accountplans.compute.memo): under `serve`
# plans.csv asks for every plan's months on every save.
@by_identity(0, 1)
def month_rows(targets: Sequence[Target], seasonality: Sequence[Decimal] | None) -> tuple[TargetRow, ...]:
    """Each product's row of `breakdown` with its months only (`week` None): the same month
    split, for the pages that show months and quarters (progress, quarter pages, plans.csv)."""
    weights = _month_weights(seasonality)
    return tuple(TargetRow(t.product, t.year1, split(t.year1, weights), None, t.year3)
                 for t in targets)


def month_total(targets: Sequence[Target], seasonality: Sequence[Decimal] | None) -> tuple[Decimal, ...]:
    """`breakdown(...).total.months`: the column sums of month_rows."""
    rows = month_rows(targets, seasonality)
    return tuple(sum((r.months[m] for r in rows), Decimal(0)) for m in range(12))


def _month_weights(seasonality: Sequence[Decimal] | None) -> tuple[Decimal, ...]:
    """The plan's seasonality when it has a positive weight for 12 months, else equal months."""
    return tuple(seasonality) if seasonality is not None and _is_seasonal(seasonality) else (Decimal(1),) * 12


def _is_seasonal(seasonality: Sequence[Decimal] | None) -> bool:
    return seasonality is not None and len(seasonality) == 12 and any(w > 0 for w in seasonality)


def _seasonal_weeks_in_cents(month_cents: Sequence[int],
                             days: tuple[tuple[tuple[int, int], ...], ...],
                             open_months: Sequence[int], weeks: Sequence[int]) -> tuple[Decimal, ...]:
    """The weeks of `seasonal_week_targets` from month targets in whole cents: the same parts
    as its Decimal split (see `_split_cents`), and a week no month gives a part stays
    Decimal(0), as there."""
    by_week: dict[int, int] = {}
    for m in open_months:
        pairs = days[m]
        parts = _split_cents(month_cents[m], [n for _, n in pairs])
        for (week, _), part in zip(pairs, parts, strict=True):
            by_week[week] = by_week.get(week, 0) + part
    return tuple(_from_cents(by_week[w]) if w in by_week else Decimal(0) for w in weeks)


@dataclass(frozen=True)
class _MonthDays:
    """A month's selling days by week (see selling_days), as `_split_cents` reads them."""

    weeks: tuple[int, ...]
    counts: tuple[int, ...]
    total: int
    last: int
    """The index of the last week with a selling day: it takes the month's remaining cents."""


@functools.lru_cache(maxsize=64)
def _week_split_plan(year: int, closed_weeks: tuple[int, ...],
                     ) -> tuple[tuple[tuple[int, _MonthDays], ...], tuple[int, ...], tuple[bool, ...]]:
    """For `_weeks_of_split_months`: the months (0-11) with selling days and their days by week;
    each selling week's place in the year's selling weeks; which selling weeks some month
    gives a part (a week of closed weekdays gets none, and stays Decimal(0))."""
    days = selling_days(year, closed_weeks)
    weeks = selling_weeks(year, closed_weeks)
    place = {w: i for i, w in enumerate(weeks)}
    months = tuple((m, _MonthDays(tuple(place[w] for w, _ in days[m]), tuple(n for _, n in days[m]),
                                  sum(n for _, n in days[m]),
                                  max(i for i, (_, n) in enumerate(days[m]) if n > 0)))
                   for m in range(12) if days[m])
    given = [False] * len(weeks)
    for _, month in months:
        for i in month.weeks:
            given[i] = True
    return months, weeks, tuple(given)


def _weeks_of_split_months(month_cents: Sequence[int], year: int,
                           closed_weeks: Sequence[int]) -> tuple[Decimal, ...] | None:
    """`seasonal_week_targets(months, ...).amounts` for months in whole cents as `split`
    makes them (two decimals, not negative), in integers throughout: the same parts and the
    same Decimals. None when a month without a selling day has a target to hand on (that
    month's case goes the Decimal way, as in seasonal_week_targets)."""
    months, weeks, given = _week_split_plan(year, tuple(sorted(set(closed_weeks))))
    if not weeks:
        return None
    open_months = {m for m, _ in months}
    if any(month_cents[m] for m in range(12) if m not in open_months):
        return None
    by_week = [0] * len(weeks)
    for m, month in months:
        cents, total, counts = month_cents[m], month.total, month.counts
        parts = [cents * n // total for n in counts]
        parts[month.last] = cents - (sum(parts) - parts[month.last])
        for i, part in zip(month.weeks, parts, strict=True):
            by_week[i] += part
    scaleb = _EXACT.scaleb
    return tuple([scaleb(Decimal(c), -2) if g else Decimal(0) for c, g in zip(by_week, given, strict=True)])


def growth_per_year(year1: Decimal, year3: Decimal | None, years: int = 2) -> Decimal | None:
    """Compound average growth per year from `year1` to `year3` (`years` later), as a
    fraction (0.25 = 25%); None when it cannot be computed."""
    if year3 is None or year1 <= 0 or year3 < 0:
        return None
    with decimal.localcontext() as ctx:
        ctx.prec = 28
        ratio = year3 / year1
        if ratio == 0:
            return Decimal(-1)
        if years == 2:
            # The square root is the same number as the power 1/2 (both correctly rounded to
            # the context; tested), at a fortieth of the cost of Decimal's general power.
            return ratio.sqrt() - 1
        return ratio ** (Decimal(1) / Decimal(years)) - 1


@dataclass(frozen=True)
class TargetRow:
    """One product's (or the total's) breakdown."""

    product: str
    year: Decimal
    months: tuple[Decimal, ...]
    week: WeekTargets | None
    year3: Decimal | None

    @property
    def quarters(self) -> tuple[Decimal, ...]:
        return quarters(self.months)

    @property
    def growth(self) -> Decimal | None:
        return growth_per_year(self.year, self.year3)


@dataclass(frozen=True)
class Breakdown:
    """A plan's targets broken down; `total` is the column sum of `rows`."""

    year: int
    weights: tuple[Decimal, ...]
    seasonal: bool
    """True when the weights are the plan's seasonality, False for equal months."""
    weeks_in_year: int
    selling_weeks: tuple[int, ...]
    rows: tuple[TargetRow, ...]
    total: TargetRow
    week_split: str = "seasonal"
    """How the weeks were made: `seasonal` (from the months' selling days) or `flat`."""

    @property
    def remainder_month(self) -> int:
        """The month (1-12) that takes the rounding remainder."""
        return remainder_index(self.weights) + 1


# Kept per targets and seasonality object (a plan's own, see accountplans.compute.memo): not by
# value, since Decimal("1000") == Decimal("1000.00") and the rows carry the amounts as written.
@by_identity(0, 2)
def breakdown(targets: Sequence[Target], year: int, seasonality: Sequence[Decimal] | None,
              closed_weeks: Sequence[int], week_split: str = "seasonal") -> Breakdown:
    """Every product's year target in months, quarters and weeks, and their total.

    `week_split` is `seasonal` (weeks follow the months' selling days) or `flat`."""
    if week_split not in WEEK_SPLITS:
        raise ValueError(f"week_split must be one of {', '.join(WEEK_SPLITS)}")
    seasonal = _is_seasonal(seasonality)
    weights = _month_weights(seasonality)
    weeks = selling_weeks(year, closed_weeks)
    rows = []
    valid_weights = not any(w < 0 for w in weights) and any(w > 0 for w in weights)
    for t in targets:
        if not valid_weights:  # what split raises
            raise ValueError("weights must be >= 0 with at least one > 0")
        # split's whole-cents path, its cents kept for the weeks (the same amounts as
        # splitting the months' Decimals again, see _weeks_of_split_months).
        month_cents = _split_in_cents(t.year1, weights)
        months = split(t.year1, weights) if month_cents is None else _from_cents_all(month_cents)
        week: WeekTargets | None
        if week_split != "seasonal":
            week = week_targets(t.year1, weeks)
        elif month_cents is not None and weeks and (
                amounts := _weeks_of_split_months(month_cents, year, closed_weeks)) is not None:
            week = WeekTargets(weeks, amounts)
        else:
            week = seasonal_week_targets(months, year, closed_weeks)
        rows.append(TargetRow(t.product, t.year1, months, week, t.year3))
    return Breakdown(year, weights, seasonal, iso_weeks(year), weeks, tuple(rows),
                     _total(rows, weeks), week_split)


def _total(rows: Sequence[TargetRow], weeks: tuple[int, ...]) -> TargetRow:
    months = tuple(sum((r.months[m] for r in rows), Decimal(0)) for m in range(12))
    week: WeekTargets | None = None
    if weeks:
        # Each week's column summed at once: the same sums as adding the rows' WeekTargets
        # one by one, without a WeekTargets per row.
        added = [r.week for r in rows if r.week is not None]
        if any(w.weeks != weeks for w in added):
            raise ValueError("week targets of different selling weeks cannot be added")
        week = WeekTargets(weeks, tuple(sum(column, Decimal(0)) for column in
                                        zip(*(w.amounts for w in added), strict=True))
                           if added else (Decimal(0),) * len(weeks))
    year3: Decimal | None = None
    if rows and all(r.year3 is not None for r in rows):
        year3 = sum((r.year3 for r in rows if r.year3 is not None), Decimal(0))
    return TargetRow("", sum((r.year for r in rows), Decimal(0)), months, week, year3)
