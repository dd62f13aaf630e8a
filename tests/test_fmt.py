"""Amounts, dates and labels in Dutch and English (babel, CLDR)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from accountplans import fmt
from babel import Locale
from babel.numbers import format_compact_currency, format_currency, format_decimal, format_percent
from hypothesis import given
from hypothesis import strategies as st

NBSP = "\xa0"


def test_dutch_amount_without_cents() -> None:
    """14,400 EUR in Dutch: € 14.400 (CLDR puts a no-break space after the sign)."""
    assert fmt.money(Decimal(14400), "EUR", "nl") == f"€{NBSP}14.400"


def test_english_amount_without_cents() -> None:
    """14,400 EUR in English: €14,400."""
    assert fmt.money(Decimal(14400), "EUR", "en") == "€14,400"


def test_dutch_amount_with_cents() -> None:
    """Cents are shown when there are any, with a decimal comma."""
    assert fmt.money(Decimal("2352.94"), "EUR", "nl") == f"€{NBSP}2.352,94"


def test_english_amount_with_cents_forced() -> None:
    """A table with cents anywhere shows cents everywhere."""
    assert fmt.money(Decimal(14400), "EUR", "en", cents=True) == "€14,400.00"


def test_other_currency() -> None:
    """The plan's currency is used, with its CLDR symbol."""
    assert fmt.money(Decimal(1000), "USD", "en") == "US$1,000"
    assert fmt.money(Decimal(1000), "GBP", "nl") == f"£{NBSP}1.000"


def test_dutch_date() -> None:
    """15 January 2027 in Dutch: CLDR's medium date, '15 jan 2027' (no full stop since CLDR 42)."""
    assert fmt.date(dt.date(2027, 1, 15), "nl") == "15 jan 2027"


def test_english_date() -> None:
    """15 January 2027 in (British) English: 15 Jan 2027."""
    assert fmt.date(dt.date(2027, 1, 15), "en") == "15 Jan 2027"


def test_dutch_months() -> None:
    """Dutch abbreviated months: mrt, mei, okt."""
    names = fmt.month_names("nl")
    assert (names[2], names[4], names[9]) == ("mrt", "mei", "okt")


def test_percent_in_both_languages() -> None:
    """Growth 0.826 is 82,6% in Dutch and 82.6% in English."""
    assert (fmt.percent(Decimal("0.826"), "nl"), fmt.percent(Decimal("0.826"), "en")) == ("82,6%", "82.6%")


def test_values_are_translated() -> None:
    """Enumeration values read in the plan's language; unknown words pass through."""
    assert fmt.value("leader", "nl") == "marktleider"
    assert fmt.value("critic", "en") == "critic"
    assert fmt.value("something-else", "nl") == "something-else"


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e15"), places=2,
                   allow_nan=False, allow_infinity=False),
       st.sampled_from(["EUR", "USD", "GBP", "JPY"]), st.sampled_from(["nl", "en"]), st.booleans())
def test_money_is_babels_format_currency(amount: Decimal, currency: str, language: str, cents: bool) -> None:
    """The cached formatter gives exactly what babel.format_currency gives for the same pattern."""
    loc = fmt.locale_of(language)
    pattern = Locale.parse(loc).currency_formats["standard"].pattern
    pattern = pattern if cents else pattern.replace(".00", "")
    expected = format_currency(amount, currency, format=pattern, locale=loc, currency_digits=False)
    assert fmt.money(amount, currency, language, cents=cents) == expected


@given(st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("-0.01"), places=2,
                   allow_nan=False, allow_infinity=False),
       st.sampled_from(["EUR", "USD", "GBP", "JPY"]), st.sampled_from(["nl", "en"]), st.booleans())
def test_negative_money_is_babels_format_currency(amount: Decimal, currency: str, language: str,
                                                  cents: bool) -> None:
    """A negative amount (a shortfall against target) reads exactly as babel writes it."""
    loc = fmt.locale_of(language)
    pattern = Locale.parse(loc).currency_formats["standard"].pattern
    pattern = pattern if cents else pattern.replace(".00", "")
    expected = format_currency(amount, currency, format=pattern, locale=loc, currency_digits=False)
    assert fmt.money(amount, currency, language, cents=cents) == expected


@pytest.mark.parametrize("amount", ["0", "0.5", "2.5", "-12.5", "1E+3", "999999999999999.99",
                                    "-0", "-0.00", "-0.4", "-0.5", "-2.5", "-1E+3", "-1234567.891"])
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("cents", [True, False])
def test_money_edges_are_babels_format_currency(amount: str, language: str, cents: bool) -> None:
    """Zero, halves (rounded half-even), negative and exponent amounts read as babel writes them."""
    loc = fmt.locale_of(language)
    pattern = Locale.parse(loc).currency_formats["standard"].pattern
    pattern = pattern if cents else pattern.replace(".00", "")
    expected = format_currency(Decimal(amount), "EUR", format=pattern, locale=loc, currency_digits=False)
    assert fmt.money(Decimal(amount), "EUR", language, cents=cents) == expected


# --- caches keyed by what babel shows: the same text as babel for every value ---------------

_AMOUNTS = st.one_of(
    st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2,
                allow_nan=False, allow_infinity=False),
    # around the magnitudes and the rounding of the label: 9_950, 99_949.99, 999_999...
    st.builds(lambda m, d: Decimal(10) ** m + d, st.integers(3, 14),
              st.decimals(min_value=Decimal("-60"), max_value=Decimal("60"), places=2,
                          allow_nan=False, allow_infinity=False)),
    st.builds(lambda m, k, d: Decimal(k) * Decimal(10) ** m / 20 + d, st.integers(2, 13),
              st.integers(1, 400), st.sampled_from([Decimal("-0.01"), Decimal(0), Decimal("0.01")])),
)


@given(_AMOUNTS, st.sampled_from(["EUR", "USD", "GBP", "JPY"]), st.sampled_from(["nl", "en"]))
def test_compact_money_is_babels_format_compact_currency(amount: Decimal, currency: str,
                                                         language: str) -> None:
    """Chart labels, cached by magnitude and rounded value, are what babel writes for the amount."""
    expected = format_compact_currency(amount, currency, locale=fmt.locale_of(language), fraction_digits=1)
    assert fmt.compact_money(amount, currency, language) == expected


@pytest.mark.parametrize("amount", ["999.99", "1000", "9949.99", "9950", "9999.99", "99950", "999949.99",
                                    "999950", "1000000", "-1500", "-999999", "0", "-0", "0.05", "1E+6"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_compact_money_edges_are_babels(amount: str, language: str) -> None:
    """Labels at magnitude and rounding edges (and twice: from the cache) are babel's."""
    expected = format_compact_currency(Decimal(amount), "EUR", locale=fmt.locale_of(language),
                                       fraction_digits=1)
    assert [fmt.compact_money(Decimal(amount), "EUR", language) for _ in range(2)] == [expected] * 2


_FRACTIONS = st.one_of(
    st.decimals(min_value=Decimal(-1), max_value=Decimal(100), allow_nan=False, allow_infinity=False),
    # exactly on a rounding tie of the shown decimal, and next to it
    st.builds(lambda k, d: Decimal(2 * k + 1) / 2000 + d, st.integers(-1000, 5000),
              st.sampled_from([Decimal("-1e-27"), Decimal(0), Decimal("1e-27")])),
)


@given(_FRACTIONS, st.sampled_from(["nl", "en"]))
def test_percent_is_babels_format_percent(fraction: Decimal, language: str) -> None:
    """Percentages, cached by the rounded value shown, are what babel writes for the fraction."""
    expected = format_percent(fraction, format="#,##0.0%", locale=fmt.locale_of(language))
    assert fmt.percent(fraction, language) == expected


@pytest.mark.parametrize("fraction", ["0", "-0", "-0.0004", "0.0005", "0.0015", "-1", "12.3456", "0.826"])
def test_percent_edges_are_babels(fraction: str) -> None:
    """Zero, negative zero, ties and negatives (twice: from the cache) are babel's."""
    for language in ("nl", "en"):
        expected = format_percent(Decimal(fraction), format="#,##0.0%", locale=fmt.locale_of(language))
        assert [fmt.percent(Decimal(fraction), language) for _ in range(2)] == [expected] * 2


@given(st.one_of(st.integers(-10**9, 10**9),
                 st.decimals(min_value=Decimal(-10**6), max_value=Decimal(10**6), allow_nan=False,
                             allow_infinity=False)),
       st.sampled_from(["nl", "en"]))
def test_number_is_babels_format_decimal(value: int | Decimal, language: str) -> None:
    """Cached numbers (weights, FTE) are what babel writes, equal values of other forms included."""
    assert fmt.number(value, language) == format_decimal(value, locale=fmt.locale_of(language))


def test_number_keeps_forms_of_equal_values_apart() -> None:
    """6, 6.0 and 6.0000 are formatted each as babel formats it, in any order of calls."""
    for value in (Decimal("6.0000"), 6, Decimal("6.0"), Decimal("-0"), Decimal("0"), Decimal("1.2345")):
        assert fmt.number(value, "en") == format_decimal(value, locale="en_GB")
