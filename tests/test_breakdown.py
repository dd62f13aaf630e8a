"""Target breakdowns: months, quarters and weeks add up to the year, to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest
from accountplans.breakdown import (
    breakdown,
    growth_per_year,
    iso_weeks,
    quarters,
    selling_weeks,
    split,
    week_targets,
)
from accountplans.model import Target
from hypothesis import given
from hypothesis import strategies as st

D = Decimal
VAN_DIJK_WEIGHTS = tuple(D(w) for w in (5, 5, 8, 8, 9, 9, 6, 6, 10, 10, 12, 12))

# Amounts as the schema reads them: positive, at most two decimals, at most 10^15.
amounts = st.decimals(min_value=D("0.01"), max_value=D("1e15"), places=2,
                      allow_nan=False, allow_infinity=False)
weights = st.lists(
    st.decimals(min_value=D(0), max_value=D("1e6"), places=2, allow_nan=False, allow_infinity=False),
    min_size=12, max_size=12,
).filter(lambda ws: any(w > 0 for w in ws))
years = st.integers(min_value=2000, max_value=2100)
closed = st.lists(st.integers(min_value=1, max_value=53), max_size=10)


def test_golden_december_is_14400() -> None:
    """120,000 with weights 5,5,8,8,9,9,6,6,10,10,12,12 gives 14,400 in December."""
    assert split(D(120000), VAN_DIJK_WEIGHTS)[11] == D(14400)


def test_golden_months_of_the_example_plan() -> None:
    """Every month of the Van Dijk Cloud ERP target, as computed by hand."""
    assert split(D(120000), VAN_DIJK_WEIGHTS) == tuple(
        D(m) for m in (6000, 6000, 9600, 9600, 10800, 10800, 7200, 7200, 12000, 12000, 14400, 14400))


def test_golden_quarters_of_the_example_plan() -> None:
    """Quarters are the sums of their months: 21,600 / 31,200 / 26,400 / 40,800."""
    assert quarters(split(D(120000), VAN_DIJK_WEIGHTS)) == (D(21600), D(31200), D(26400), D(40800))


def test_remainder_goes_to_the_last_month() -> None:
    """100.00 in 12 equal months: 8.33 eleven times, December takes 8.37."""
    months = split(D(100), (D(1),) * 12)
    assert months == (D("8.33"),) * 11 + (D("8.37"),)


def test_remainder_skips_a_month_without_weight() -> None:
    """With December weighted 0, November takes the cents and December stays 0."""
    months = split(D(100), (D(1),) * 11 + (D(0),))
    assert months[11] == 0
    assert months[10] == D("9.10")
    assert sum(months) == D(100)


def test_split_refuses_weights_that_are_all_zero() -> None:
    """Weights without any positive one cannot divide a target."""
    with pytest.raises(ValueError, match="at least one"):
        split(D(100), (D(0),) * 12)


@given(amounts, weights)
def test_months_always_add_up_to_the_year(total: Decimal, ws: list[Decimal]) -> None:
    """For any amount and weights, the 12 months add up to the year exactly and none is negative."""
    months = split(total, ws)
    assert sum(months) == total
    assert all(m >= 0 and m == m.quantize(D("0.01")) for m in months)


@given(amounts, weights)
def test_quarters_always_add_up_to_the_year(total: Decimal, ws: list[Decimal]) -> None:
    """For any amount and weights, the four quarters add up to the year exactly."""
    assert sum(quarters(split(total, ws))) == total


@given(amounts, years, closed)
def test_weeks_always_add_up_to_the_year(total: Decimal, year: int, shut: list[int]) -> None:
    """For any amount, year and closed weeks, the week targets add up to the year exactly."""
    weeks = selling_weeks(year, shut)
    result = week_targets(total, weeks)
    if not weeks:
        assert result is None
        return
    assert result is not None
    assert len(result.parts()) == len(weeks)
    assert sum(result.parts()) == total
    assert result.regular >= 0 and result.last >= result.regular


def test_2026_has_53_iso_weeks() -> None:
    """2026 starts on a Thursday: it has an ISO week 53."""
    assert iso_weeks(2026) == 53


def test_2027_has_52_iso_weeks() -> None:
    """2027 has 52 ISO weeks."""
    assert iso_weeks(2027) == 52


def test_selling_weeks_of_a_53_week_year() -> None:
    """2026 less weeks 52 and 1: 51 selling weeks, the last is week 53."""
    weeks = selling_weeks(2026, (52, 1))
    assert len(weeks) == 51 and weeks[0] == 2 and weeks[-1] == 53


def test_selling_weeks_of_a_52_week_year() -> None:
    """2027 less weeks 52 and 1 (53 does not exist): 50 selling weeks, the last is week 51."""
    weeks = selling_weeks(2027, (52, 1, 53))
    assert len(weeks) == 50 and weeks[-1] == 51


def test_week_target_in_a_52_week_year() -> None:
    """120,000 over the 50 selling weeks of 2027 is 2,400 a week, no remainder."""
    result = week_targets(D(120000), selling_weeks(2027, (52, 1)))
    assert result is not None
    assert (result.regular, result.last) == (D(2400), D(2400))


def test_week_target_in_a_53_week_year() -> None:
    """120,000 over the 51 selling weeks of 2026: 2,352.94 a week, week 53 takes 2,353.00."""
    result = week_targets(D(120000), selling_weeks(2026, (52, 1)))
    assert result is not None
    assert (result.regular, result.last, result.weeks[-1]) == (D("2352.94"), D("2353.00"), 53)


def test_growth_per_year_is_compound_over_two_years() -> None:
    """120,000 to 400,000 in two years is 82.6% a year."""
    growth = growth_per_year(D(120000), D(400000))
    assert growth is not None
    assert growth.quantize(D("0.001")) == D("0.826")


def test_growth_without_year3_is_unknown() -> None:
    """No year-3 figure: no growth figure."""
    assert growth_per_year(D(120000), None) is None


def test_growth_to_zero_is_minus_100_percent() -> None:
    """A product that stops: -100% a year."""
    assert growth_per_year(D(1000), D(0)) == D(-1)


def test_total_row_is_the_column_sum_of_the_products() -> None:
    """The total's months, weeks and year-3 figure are the sums of the products'."""
    targets = (Target("Cloud ERP", D(120000), D(400000)), Target("Training", D("15000.05"), D(45000)))
    result = breakdown(targets, 2027, VAN_DIJK_WEIGHTS, (52, 1))
    for m in range(12):
        assert result.total.months[m] == sum(r.months[m] for r in result.rows)
    assert result.total.year == D("135000.05") == sum(result.total.months)
    assert result.total.week is not None
    assert sum(result.total.week.parts()) == result.total.year
    assert result.total.year3 == D(445000)


def test_total_has_no_year3_when_a_product_lacks_it() -> None:
    """The 3-year total is only shown when every product has a year-3 figure."""
    targets = (Target("A", D(100), D(200)), Target("B", D(100), None))
    assert breakdown(targets, 2027, None, ()).total.year3 is None


def test_without_seasonality_months_are_equal() -> None:
    """No seasonality: twelve equal months, marked as not seasonal."""
    result = breakdown((Target("A", D(1200)),), 2027, None, ())
    assert not result.seasonal
    assert result.rows[0].months == (D(100),) * 12
