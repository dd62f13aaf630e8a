"""Dates relative to today: milestone status, quarterly evaluations, visit cadence, reviews.

Every function takes `today` as an argument; only the MkDocs glue and the CLI read the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from accountplans.compute.breakdown import selling_weeks
from accountplans.plan.model import Milestone

Status = Literal["done", "overdue", "due", "later"]
STATUSES: tuple[Status, ...] = ("done", "overdue", "due", "later")
#: A milestone is "due" from today up to and including this many days ahead.
DUE_DAYS = 30


def milestone_status(milestone: Milestone, today: dt.date) -> Status:
    """done (marked so), overdue (its date has passed), due (within 30 days), or later."""
    if milestone.done:
        return "done"
    if milestone.date < today:
        return "overdue"
    if milestone.date <= today + dt.timedelta(days=DUE_DAYS):
        return "due"
    return "later"


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class Evaluation:
    """The evaluation milestones planned in one quarter of the plan year (maybe none)."""

    quarter: int
    milestones: tuple[Milestone, ...]

    @property
    def planned(self) -> bool:
        return bool(self.milestones)


def quarterly_evaluations(milestones: Sequence[Milestone], year: int) -> tuple[Evaluation, ...]:
    """The four quarters of `year` with their `kind: evaluation` milestones, by date."""
    by_quarter: dict[int, list[Milestone]] = {q: [] for q in range(1, 5)}
    for m in sorted(milestones, key=lambda m: m.date):
        if m.kind == "evaluation" and m.date.year == year:
            by_quarter[quarter_of(m.date)].append(m)
    return tuple(Evaluation(q, tuple(ms)) for q, ms in by_quarter.items())


@dataclass(frozen=True)
class VisitCadence:
    """How often to visit: `visits` spread over the selling weeks of the plan year."""

    visits: int
    selling_weeks: int
    every_weeks: int
    """Whole weeks between visits (selling weeks // visits); 0 means more than one a week."""
    suggested_weeks: tuple[int, ...]
    """An ISO week for each visit, spread evenly; empty when there is a visit every week."""
    planned: int
    """Visits already planned as milestones (`kind: visit`) in the plan year."""


def visit_cadence(visits_per_year: int | None, year: int, closed_weeks: Sequence[int],
                  milestones: Sequence[Milestone]) -> VisitCadence | None:
    """The visit rhythm for `visits_per_year`; None when no visits are asked or no week is open."""
    weeks = selling_weeks(year, closed_weeks)
    if not visits_per_year or not weeks:
        return None
    n, v = len(weeks), visits_per_year
    planned = sum(1 for m in milestones if m.kind == "visit" and m.date.year == year)
    if v > n:
        return VisitCadence(v, n, 0, (), planned)
    # Visit i sits in the middle of the i-th of v equal stretches of the selling weeks.
    suggested = tuple(weeks[(2 * i + 1) * n // (2 * v)] for i in range(v))
    return VisitCadence(v, n, n // v, suggested, planned)


def last_review(reviewed: dt.date | None, milestones: Sequence[Milestone],
                today: dt.date) -> dt.date | None:
    """When the plan was last reviewed: the later of `reviewed` and its last evaluation marked
    done. An evaluation marked done with a date still ahead took place early: it counts as
    today, so marking it done is enough (no date to correct first)."""
    done = [min(m.date, today) for m in milestones if m.kind == "evaluation" and m.done]
    found = [d for d in (reviewed, max(done, default=None)) if d is not None]
    return max(found, default=None)


def evaluation_of(milestones: Sequence[Milestone], year: int, quarter: int) -> Milestone | None:
    """The evaluation that speaks for a quarter: its last one marked done (with what it
    found), else its first one still planned; None when the quarter has none."""
    found = [m for m in quarterly_evaluations(milestones, year)[quarter - 1].milestones]
    done = [m for m in found if m.done]
    if done:
        return done[-1]
    return found[0] if found else None


def next_review(reviewed: dt.date, review_days: int) -> dt.date:
    """The date by which the plan should be evaluated again."""
    return reviewed + dt.timedelta(days=review_days)


def review_overdue(reviewed: dt.date, review_days: int, today: dt.date) -> bool:
    """True when the last review is more than `review_days` ago."""
    return (today - reviewed).days > review_days
