"""Target breakdowns: months, quarters and weeks add up to the year, to the cent."""

from __future__ import annotations

import datetime as dt
import decimal
import random
from decimal import Decimal

import pytest
from accountplans.compute.breakdown import (
    breakdown,
    growth_per_year,
    iso_weeks,
    month_rows,
    month_total,
    plan_week,
    quarters,
    seasonal_week_target,
    seasonal_week_targets,
    selling_days,
    selling_weeks,
    split,
    week_targets,
)
from accountplans.plan.model import Target
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
    parts = result.parts()
    assert all(p >= 0 for p in parts) and parts[-1] >= parts[0]


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
    assert set(result.parts()) == {D(2400)}


def test_week_target_in_a_53_week_year() -> None:
    """120,000 over the 51 selling weeks of 2026: 2,352.94 a week, week 53 takes 2,353.00."""
    result = week_targets(D(120000), selling_weeks(2026, (52, 1)))
    assert result is not None
    parts = result.parts()
    assert (parts[0], parts[-2], parts[-1]) == (D("2352.94"), D("2352.94"), D("2353.00"))
    assert result.weeks[-1] == 53


def test_growth_per_year_is_compound_over_two_years() -> None:
    """120,000 to 400,000 in two years is 82.6% a year."""
    growth = growth_per_year(D(120000), D(400000))
    assert growth is not None
    assert growth.quantize(D("0.001")) == D("0.826")


def test_growth_over_two_years_is_the_general_power() -> None:
    """Over two years the growth (a square root) is the number `ratio ** (1/2) - 1` gives,
    for ratios of every size, exact squares among them."""
    rng = random.Random(14)
    pairs = [(D(rng.randint(1, 10**7)), D(rng.randint(0, 10**8)).scaleb(-rng.randint(0, 2)))
             for _ in range(2000)]
    pairs += [(D(400000), D(400000) * D(s) * D(s)) for s in ("1.1", "1.0005", "0.5", "3")]
    for year1, year3 in pairs:
        with decimal.localcontext() as ctx:
            ctx.prec = 28
            ratio = year3 / year1
            expected = D(-1) if ratio == 0 else ratio ** (D(1) / D(2)) - 1
        assert growth_per_year(year1, year3) == expected, (year1, year3)


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


# --- Seasonal week targets, worked out by hand -----------------------------------------------
#
# The Van Dijk plan: 120,000 in 2027, weights 5,5,8,8,9,9,6,6,10,10,12,12, closed weeks 52 and 1.
# January 6,000: Fri 1 Jan is in ISO week 53 of 2026, so it counts in week 1, which is closed,
# like Mon 4 - Fri 8 Jan. Selling days: weeks 2, 3, 4 (11-29 Jan), 15 days, 400.00 a day.
# February 6,000: weeks 5-8 (1-26 Feb), 20 days, 300.00 a day, 1,500.00 a week.
# March 9,600: 23 weekdays, 417.3913.. a day. Weeks 9-12 have 5 days: 2,086.9565.. -> 2,086.95;
# week 13 has Mon 29 - Wed 31 March, the last, and takes 9,600 - 4 x 2,086.95 = 1,252.20.
# April 9,600: 22 weekdays, 436.3636.. a day. Week 13 (Thu 1, Fri 2 April): 872.7272.. -> 872.72;
# weeks 14-16: 2,181.8181.. -> 2,181.81; week 17 takes 9,600 - 872.72 - 3 x 2,181.81 = 2,181.85.
# So week 13 = 1,252.20 + 872.72 = 2,124.92.

SEASONAL_2027 = {2: D(2000), 3: D(2000), 4: D(2000), 5: D(1500), 6: D(1500), 7: D(1500), 8: D(1500),
                 9: D("2086.95"), 10: D("2086.95"), 11: D("2086.95"), 12: D("2086.95"),
                 13: D("2124.92"), 14: D("2181.81"), 15: D("2181.81"), 16: D("2181.81"),
                 17: D("2181.85")}


def _van_dijk_weeks() -> dict[int, Decimal]:
    result = breakdown((Target("Cloud ERP", D(120000)),), 2027, VAN_DIJK_WEIGHTS, (52, 1))
    week = result.rows[0].week
    assert week is not None
    return dict(zip(week.weeks, week.amounts, strict=True))


def test_golden_seasonal_weeks_of_the_first_four_months() -> None:
    """Weeks 2-17 of the Van Dijk plan, as worked out by hand above."""
    weeks = _van_dijk_weeks()
    assert {w: weeks[w] for w in SEASONAL_2027} == SEASONAL_2027


def test_golden_seasonal_weeks_add_up_to_each_month_and_the_year() -> None:
    """January's weeks make 6,000, February's 6,000, and all 50 weeks 120,000."""
    weeks = _van_dijk_weeks()
    assert weeks[2] + weeks[3] + weeks[4] == D(6000)
    assert sum(weeks[w] for w in (5, 6, 7, 8)) == D(6000)
    assert len(weeks) == 50 and sum(weeks.values()) == D(120000)


def test_seasonal_peak_month_weeks_add_up_to_the_month() -> None:
    """December (14,400; weeks 49-51 open, 52 closed) is carried by its open weeks in full."""
    weeks = _van_dijk_weeks()
    # December 2027: Wed 1 - Fri 3 in week 48 (3 days), weeks 49-51 (15 days), week 52 closed:
    # 18 days, 800.00 a day: week 48 gets 2,400.00 of December, weeks 49-51 4,000.00 each.
    assert (weeks[49], weeks[50], weeks[51]) == (D(4000), D(4000), D(4000))
    assert 52 not in weeks and 1 not in weeks


# A 53-week year: 120,000 in 2026 without seasonality (10,000 a month), closed 52 and 1.
# November 2026: 21 weekdays (2-27 Nov in weeks 45-48, Mon 30 Nov in week 49), 476.19.. a day:
# weeks 45-48 get 2,380.95, week 49 (the last) 10,000 - 4 x 2,380.95 = 476.20.
# December 2026: Tue 1 - Fri 4 (week 49, 4 days), weeks 50, 51 (5 days each), week 52 closed,
# Mon 28 - Thu 31 (week 53, 4 days): 18 days, 555.55.. a day: week 49 2,222.22, weeks 50-51
# 2,777.77, week 53 (the last) 10,000 - 2,222.22 - 2 x 2,777.77 = 2,222.24.
# January 2026: Thu 1, Fri 2 are in week 1 (closed); weeks 2-5 have 20 days: 2,500.00 each.

def _weeks_2026() -> dict[int, Decimal]:
    result = breakdown((Target("Support", D(120000)),), 2026, None, (52, 1))
    week = result.rows[0].week
    assert week is not None
    return dict(zip(week.weeks, week.amounts, strict=True))


def test_golden_53_week_year_has_a_week_53_target() -> None:
    """Week 53 of 2026 carries the last four December days: 2,222.24."""
    assert _weeks_2026()[53] == D("2222.24")


def test_golden_53_week_year_week_across_two_months() -> None:
    """Week 49 of 2026: 476.20 of November plus 2,222.22 of December is 2,698.42."""
    weeks = _weeks_2026()
    assert weeks[49] == D("2698.42")
    assert (weeks[45], weeks[48], weeks[50], weeks[51]) == (D("2380.95"), D("2380.95"),
                                                            D("2777.77"), D("2777.77"))


def test_golden_53_week_year_january() -> None:
    """January 2026's 10,000 over weeks 2-5: 2,500 each; the 51 weeks add up to 120,000."""
    weeks = _weeks_2026()
    assert [weeks[w] for w in (2, 3, 4, 5)] == [D(2500)] * 4
    assert len(weeks) == 51 and sum(weeks.values()) == D(120000)


def test_flat_week_split_divides_the_year_evenly() -> None:
    """`week_split: flat`: 120,000 over 2027's 50 selling weeks is 2,400 every week."""
    result = breakdown((Target("A", D(120000)),), 2027, VAN_DIJK_WEIGHTS, (52, 1), "flat")
    assert result.rows[0].week is not None
    assert set(result.rows[0].week.amounts) == {D(2400)}


def test_unknown_week_split_is_refused() -> None:
    """A week split other than seasonal or flat is an error, not a silent default."""
    with pytest.raises(ValueError, match="week_split"):
        breakdown((Target("A", D(1)),), 2027, None, (), "weekly")


def test_plan_week_of_days_at_the_year_boundary() -> None:
    """1 Jan 2027 (ISO 2026-W53) counts in week 1; 30 Dec 2024 (ISO 2025-W01) in week 52."""
    assert plan_week(dt.date(2027, 1, 1), 2027) == 1
    assert plan_week(dt.date(2024, 12, 30), 2024) == 52
    assert plan_week(dt.date(2027, 3, 10), 2027) == 10


def test_closed_weeks_have_no_selling_days() -> None:
    """January 2027 with weeks 1 and 2 closed: selling days only in weeks 3 and 4."""
    assert selling_days(2027, (1, 2))[0] == ((3, 5), (4, 5))


def test_month_without_selling_days_hands_its_target_on() -> None:
    """Weeks 1-5 closed: January 2027 has no selling day; its 100 go to February (weeks 6-8)."""
    months = (D(100),) + (D(0),) * 11
    result = seasonal_week_targets(months, 2027, (1, 2, 3, 4, 5))
    assert result is not None
    assert sum(result.amounts) == D(100)
    assert {w for w, a in zip(result.weeks, result.amounts, strict=True) if a} == {6, 7, 8}


def test_december_without_selling_days_hands_its_target_back() -> None:
    """Weeks 48-52 closed: December 2027's target goes to November's last selling weeks."""
    months = (D(0),) * 11 + (D(50),)
    result = seasonal_week_targets(months, 2027, (48, 49, 50, 51, 52))
    assert result is not None
    assert sum(result.amounts) == D(50) and max(result.weeks) == 47


@given(amounts, weights, years, closed)
def test_seasonal_weeks_always_add_up_to_the_year(total: Decimal, ws: list[Decimal], year: int,
                                                  shut: list[int]) -> None:
    """For any amount, weights, year and closed weeks, the seasonal weeks add up to the year."""
    result = seasonal_week_targets(split(total, ws), year, shut)
    weeks = selling_weeks(year, shut)
    if not weeks:
        assert result is None
        return
    assert result is not None
    assert result.weeks == weeks
    assert sum(result.amounts) == total
    assert all(a >= 0 and a == a.quantize(D("0.01")) for a in result.amounts)


def _split_by_the_decimal_formula(total: Decimal, ws: list[Decimal]) -> list[str]:
    """The module docstring's rule in Decimal arithmetic: each part `total * w / sum` rounded
    down to the cent, the last part with a weight takes what is left."""
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        weight_sum = sum(ws, D(0))
        parts = [(total * w / weight_sum).quantize(D("0.01"), rounding=decimal.ROUND_FLOOR) for w in ws]
        last = max(i for i, w in enumerate(ws) if w > 0)
        parts[last] = total - sum((p for i, p in enumerate(parts) if i != last), D(0))
    return [str(p) for p in parts]


odd_weights = st.lists(
    st.decimals(min_value=D(0), max_value=D("1e6"), places=4, allow_nan=False, allow_infinity=False),
    min_size=1, max_size=14,
).filter(lambda ws: any(w > 0 for w in ws))
totals_as_written = st.one_of(amounts, amounts.map(lambda a: a.to_integral_value()),
                              st.decimals(min_value=D(0), max_value=D(10**6), places=3))


@given(totals_as_written, odd_weights)
def test_split_in_whole_cents_gives_the_decimal_formula_s_parts(total: Decimal, ws: list[Decimal]) -> None:
    """split's whole-cent arithmetic gives the parts, as written, of the Decimal formula."""
    assert [str(p) for p in split(total, ws)] == _split_by_the_decimal_formula(total, ws)


@given(st.lists(amounts, min_size=1, max_size=4), weights)
def test_month_rows_are_the_breakdown_s_months(year1s: list[Decimal], ws: list[Decimal]) -> None:
    """month_rows and month_total give the breakdown's months, as written, without its weeks."""
    targets = [Target(f"Product {i}", a) for i, a in enumerate(year1s)]
    whole = breakdown(targets, 2027, ws, (52, 1))
    assert [(r.product, r.year, r.months) for r in month_rows(targets, ws)] == \
        [(r.product, r.year, r.months) for r in whole.rows]
    assert [str(m) for m in month_total(targets, ws)] == [str(m) for m in whole.total.months]


@given(amounts, weights, years, closed)
def test_one_seasonal_week_is_that_week_of_all_weeks(total: Decimal, ws: list[Decimal], year: int,
                                                    shut: list[int]) -> None:
    """seasonal_week_target gives each week's amount, as written, that seasonal_week_targets gives."""
    months = split(total, ws)
    every = seasonal_week_targets(months, year, shut)
    for week in range(0, 55):
        expected = every.amount(week) if every is not None else D(0)
        assert str(seasonal_week_target(months, year, shut, week)) == str(expected)


@given(st.lists(totals_as_written, min_size=1, max_size=3), weights, years, closed)
def test_breakdown_s_weeks_are_the_seasonal_weeks_of_its_months(year1s: list[Decimal], ws: list[Decimal],
                                                                year: int, shut: list[int]) -> None:
    """Each row's weeks, as written, are what seasonal_week_targets makes of the row's months
    (breakdown splits them in whole cents without going back to Decimals)."""
    targets = [Target(f"Product {i}", a) for i, a in enumerate(year1s)]
    for row in breakdown(targets, year, ws, shut).rows:
        expected = seasonal_week_targets(row.months, year, shut)
        assert (row.week is None) == (expected is None)
        if row.week is not None and expected is not None:
            assert row.week.weeks == expected.weeks
            assert [str(a) for a in row.week.amounts] == [str(a) for a in expected.amounts]


def test_breakdown_hands_on_a_closed_month_s_target_as_seasonal_weeks_do() -> None:
    """A month whose weekdays are all closed hands its target on in breakdown's weeks too."""
    shut = (1, 2, 3, 4, 5)  # January 2027 has no selling day
    row = breakdown([Target("Cloud ERP", D(120000))], 2027, None, shut).rows[0]
    expected = seasonal_week_targets(row.months, 2027, shut)
    assert row.week is not None and expected is not None
    assert [str(a) for a in row.week.amounts] == [str(a) for a in expected.amounts]
    assert sum(row.week.amounts) == D(120000)
