"""Amounts, dates and labels in Dutch and English (babel, CLDR)."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal

import pytest
from accountplans import fmt
from babel import Locale
from babel.numbers import format_currency
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


@pytest.mark.parametrize("key", sorted(fmt.LABELS))
def test_every_label_in_both_languages_with_the_same_fields(key: str) -> None:
    """Each label has an English and a Dutch text that take the same {fields}."""
    texts = fmt.LABELS[key]
    assert set(texts) == {"en", "nl"}

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert fields(texts["en"]) == fields(texts["nl"])


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


@pytest.mark.parametrize("amount", ["0", "0.5", "2.5", "-12.5", "1E+3", "999999999999999.99"])
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("cents", [True, False])
def test_money_edges_are_babels_format_currency(amount: str, language: str, cents: bool) -> None:
    """Zero, halves (rounded half-even), negative and exponent amounts read as babel writes them."""
    loc = fmt.locale_of(language)
    pattern = Locale.parse(loc).currency_formats["standard"].pattern
    pattern = pattern if cents else pattern.replace(".00", "")
    expected = format_currency(Decimal(amount), "EUR", format=pattern, locale=loc, currency_digits=False)
    assert fmt.money(Decimal(amount), "EUR", language, cents=cents) == expected
