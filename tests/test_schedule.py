"""Milestone status, quarterly evaluations, visit cadence and review dates on pinned days."""

from __future__ import annotations

import datetime as dt

import pytest
from accountplans.compute.breakdown import selling_weeks
from accountplans.compute.schedule import (
    milestone_status,
    next_review,
    quarterly_evaluations,
    review_overdue,
    visit_cadence,
)
from accountplans.plan.model import MILESTONE_KINDS, Milestone
from hypothesis import given
from hypothesis import strategies as st

#: The pinned "today" of these tests: a Monday in Q1 2027.
TODAY = dt.date(2027, 3, 1)


def _on(days: int, kind: str = "other", done: bool = False) -> Milestone:
    return Milestone(TODAY + dt.timedelta(days=days), "m", kind, None, done)


@pytest.mark.parametrize("kind", MILESTONE_KINDS)
@pytest.mark.parametrize(("days", "done", "expected"), [
    (-10, True, "done"),
    (40, True, "done"),
    (-1, False, "overdue"),
    (0, False, "due"),
    (30, False, "due"),
    (31, False, "later"),
])
def test_status_of_every_kind_on_a_pinned_date(kind: str, days: int, done: bool, expected: str) -> None:
    """Every kind of milestone gets done / overdue / due within 30 days / later relative to today."""
    assert milestone_status(_on(days, kind, done), TODAY) == expected


def test_quarterly_evaluations_show_an_unplanned_quarter() -> None:
    """Only `kind: evaluation` in the plan year counts; a quarter without one is not planned."""
    ms = [Milestone(dt.date(2027, 2, 1), "Q1", "evaluation"),
          Milestone(dt.date(2027, 5, 1), "visit in Q2", "visit"),
          Milestone(dt.date(2026, 8, 1), "last year's Q3", "evaluation"),
          Milestone(dt.date(2027, 12, 1), "Q4", "evaluation"),
          Milestone(dt.date(2027, 11, 1), "Q4 early", "evaluation")]
    result = quarterly_evaluations(ms, 2027)
    assert [e.planned for e in result] == [True, False, False, True]
    assert [m.title for m in result[3].milestones] == ["Q4 early", "Q4"]


def test_visit_cadence_of_the_example_plan() -> None:
    """6 visits over the 50 selling weeks of 2027: one every 8 weeks, in weeks 6 ... 47."""
    ms = [Milestone(dt.date(2027, 2, 10), "Demo", "visit"), Milestone(dt.date(2026, 12, 1), "old", "visit"),
          Milestone(dt.date(2027, 3, 1), "call", "contact")]
    cadence = visit_cadence(6, 2027, (52, 1), ms)
    assert cadence is not None
    assert (cadence.every_weeks, cadence.selling_weeks) == (8, 50)
    assert cadence.suggested_weeks == (6, 14, 22, 31, 39, 47)
    assert cadence.planned == 1


def test_no_visit_cadence_without_visits() -> None:
    """visits_per_year missing or 0: no cadence."""
    assert visit_cadence(None, 2027, (), []) is None
    assert visit_cadence(0, 2027, (), []) is None


def test_more_visits_than_weeks_means_weekly() -> None:
    """More visits than selling weeks: a visit every week, no list of weeks."""
    cadence = visit_cadence(100, 2027, (52, 1), [])
    assert cadence is not None
    assert (cadence.every_weeks, cadence.suggested_weeks) == (0, ())


@given(st.integers(min_value=1, max_value=53), st.integers(min_value=2000, max_value=2100),
       st.lists(st.integers(min_value=1, max_value=53), max_size=8))
def test_suggested_weeks_are_distinct_selling_weeks(visits: int, year: int, closed: list[int]) -> None:
    """Suggested weeks are selling weeks, in order, one per visit (when visits fit the weeks)."""
    cadence = visit_cadence(visits, year, closed, [])
    weeks = selling_weeks(year, closed)
    if cadence is None:
        assert not weeks
        return
    if visits > len(weeks):
        assert cadence.suggested_weeks == ()
        return
    assert len(cadence.suggested_weeks) == visits
    assert list(cadence.suggested_weeks) == sorted(set(cadence.suggested_weeks))
    assert set(cadence.suggested_weeks) <= set(weeks)


def test_next_review_is_review_days_after_the_last() -> None:
    """Reviewed 2 Nov 2026 with review_days 92: next review by 2 Feb 2027."""
    assert next_review(dt.date(2026, 11, 2), 92) == dt.date(2027, 2, 2)


def test_review_is_overdue_only_after_review_days() -> None:
    """On the due date the review is not overdue; the day after it is."""
    reviewed = dt.date(2026, 11, 2)
    assert not review_overdue(reviewed, 92, dt.date(2027, 2, 2))
    assert review_overdue(reviewed, 92, dt.date(2027, 2, 3))
