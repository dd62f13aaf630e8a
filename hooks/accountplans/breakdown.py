"""Target breakdowns: a year target split into months, quarters and selling weeks.

Money is `Decimal` and the parts add up to the whole exactly, to the cent:

- Months: each month's share (`year * weight / sum of weights`) is rounded down to the cent;
  the cents that rounding leaves over go to the last month with a weight (December, unless
  December's weight is 0). Rounding down keeps every part >= 0.
- Quarters are the sums of their three months, so the last quarter holds the remainder too.
- Weeks: the ISO weeks of the plan year (52 or 53) less the team's closed weeks. The week
  target is `year / selling weeks`, rounded down to the cent; the last selling week gets the
  cents left over, so the weeks add up to the year.
- Growth per year is the compound average over the two years from year 1 to year 3:
  `(year3 / year1) ** (1/2) - 1`.

The total row is the column sum of the product rows, so it adds up both ways.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from .model import Target

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
    with decimal.localcontext() as ctx:
        ctx.prec = _PRECISION
        weight_sum = sum(weights, Decimal(0))
        parts = [cents_down(total * w / weight_sum) for w in weights]
        last = remainder_index(weights)
        parts[last] = total - sum((p for i, p in enumerate(parts) if i != last), Decimal(0))
    return tuple(parts)


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


@dataclass(frozen=True)
class WeekTargets:
    """A year target spread over the selling weeks: `regular` per week, `last` in the last."""

    weeks: tuple[int, ...]
    regular: Decimal
    last: Decimal

    def parts(self) -> tuple[Decimal, ...]:
        return (self.regular,) * (len(self.weeks) - 1) + (self.last,)

    def __add__(self, other: WeekTargets) -> WeekTargets:
        return WeekTargets(self.weeks, self.regular + other.regular, self.last + other.last)


def week_targets(total: Decimal, weeks: Sequence[int]) -> WeekTargets | None:
    """`total` over `weeks`: rounded down to the cent, the last week takes the remainder.
    None when there is no selling week."""
    if not weeks:
        return None
    with decimal.localcontext() as ctx:
        ctx.prec = _PRECISION
        regular = cents_down(total / len(weeks))
        last = total - regular * (len(weeks) - 1)
    return WeekTargets(tuple(weeks), regular, last)


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

    @property
    def remainder_month(self) -> int:
        """The month (1-12) that takes the rounding remainder."""
        return remainder_index(self.weights) + 1


def breakdown(targets: Sequence[Target], year: int, seasonality: Sequence[Decimal] | None,
              closed_weeks: Sequence[int]) -> Breakdown:
    """Every product's year target in months, quarters and weeks, and their total."""
    seasonal = seasonality is not None and len(seasonality) == 12 and any(w > 0 for w in seasonality)
    weights = tuple(seasonality) if seasonality is not None and seasonal else (Decimal(1),) * 12
    weeks = selling_weeks(year, closed_weeks)
    rows = tuple(
        TargetRow(t.product, t.year1, split(t.year1, weights), week_targets(t.year1, weeks), t.year3)
        for t in targets
    )
    return Breakdown(year, weights, seasonal, iso_weeks(year), weeks, rows, _total(rows, weeks))


def _total(rows: Sequence[TargetRow], weeks: tuple[int, ...]) -> TargetRow:
    months = tuple(sum((r.months[m] for r in rows), Decimal(0)) for m in range(12))
    week: WeekTargets | None = None
    if weeks:
        week = WeekTargets(weeks, Decimal(0), Decimal(0))
        for r in rows:
            if r.week is not None:
                week = week + r.week
    year3: Decimal | None = None
    if rows and all(r.year3 is not None for r in rows):
        year3 = sum((r.year3 for r in rows if r.year3 is not None), Decimal(0))
    return TargetRow("", sum((r.year for r in rows), Decimal(0)), months, week, year3)
