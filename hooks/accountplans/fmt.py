"""Amounts, dates, percentages and labels in the plan's language (nl or en), with babel.

Formats come from CLDR through babel, not from hand-made patterns. Two choices are ours:

- `en` is formatted as British English (`en_GB`: `15 Jan 2027`, `€14,400`): the team is
  European and reads day-month-year; `nl` is `nl_NL` (`15 jan 2027`, `€ 14.400`). CLDR, and so
  babel, writes Dutch abbreviated months without a full stop ("jan", not "jan.").
- Formatting through babel costs tens of microseconds a call and a plan page makes hundreds of
  calls, of few distinct values: the formatters are cached (pure functions of their arguments;
  equal Decimals such as 1 and 1.00 format alike). Each cache is sized by its hit rate in a
  build of 1000 generated plans (bench/generate.py), not larger: a bigger one kept thousands
  of strings for the whole build and hit no more often. Percentages and chart labels are
  cached by what babel's output depends on, the value as rounded for display, so that
  amounts that differ only in digits not shown share one entry.
- An amount is shown without cents when it has none (`€ 14.400`), else with two decimals
  (`€ 2.553,19`); a table passes `cents=True` for all its cells when any of them has cents, so
  a column never mixes the two.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Literal

from babel import Locale
from babel.dates import format_date, get_month_names
from babel.numbers import (
    NumberPattern,
    format_compact_currency,
    format_decimal,
    format_percent,
    parse_pattern,
)

from accountplans.i18n import N_, gettext

#: babel locale of each plan language.
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def locale_of(language: str) -> str:
    """The babel locale for a plan language; unknown languages fall back to English."""
    return LOCALES.get(language, LOCALES["en"])


def has_cents(amount: Decimal) -> bool:
    return amount != amount.to_integral_value()


def any_cents(amounts: list[Decimal] | tuple[Decimal, ...]) -> bool:
    return any(has_cents(a) for a in amounts)


def money(amount: Decimal, currency: str, language: str, *, cents: bool | None = None) -> str:
    """`€ 14.400` (nl) / `€14,400` (en); with two decimals when `cents` (default: if any)."""
    # The sign is part of the key: -0 equals 0 (and hashes alike) but babel writes it "-€0".
    return _money(amount, currency, language, has_cents(amount) if cents is None else cents,
                  amount.is_signed())


# At 1000 plans: 77,000 calls, 42,000 distinct amounts; 33% hits with 64 entries, 35% with
# 1024, 40% with 8192. Most hits are the same amount twice on one page, and a miss on the path
# below costs about a microsecond: 1024 entries.
@functools.lru_cache(maxsize=1024)
def _money(amount: Decimal, currency: str, language: str, with_cents: bool, negative: bool) -> str:
    if amount.is_finite():
        # Plans' amounts are mostly distinct, so the cache misses often and babel's apply()
        # costs ~45 µs. Its output is the locale's prefix, the digits grouped by three, and
        # its suffix, for the amount's sign (a negative sign chooses the pattern, whatever
        # the rounding): learnt once from babel itself (below).
        prefix, suffix, separators = _money_shape(currency, language, with_cents, negative)
        digits = format(amount.copy_abs() if negative else amount, ",.2f" if with_cents else ",.0f")
        return prefix + digits.translate(separators) + suffix
    return _babel_money(amount, currency, language, with_cents)


def _babel_money(amount: Decimal, currency: str, language: str, with_cents: bool) -> str:
    shown: str = _currency_pattern(language, with_cents).apply(
        amount, _locale(language), currency=currency, currency_digits=False)
    return shown


@functools.cache
def _money_shape(currency: str, language: str, with_cents: bool,
                 negative: bool = False) -> tuple[str, str, dict[int, str]]:
    """Prefix, suffix and separators of babel's format of a positive (or a negative) amount
    (grouping by three digits, as every locale in LOCALES does)."""
    sign = "-" if negative else ""
    sample = _babel_money(Decimal(f"{sign}1234567.89"), currency, language, with_cents=True)
    found = re.search(r"1(?P<g>\D+)234(?P=g)567(\D+)89", sample)
    if found is None:  # pragma: no cover - a locale LOCALES does not have
        raise ValueError(f"unexpected currency format {sample!r}")
    whole = _babel_money(Decimal(f"{sign}1234567"), currency, language, with_cents=False)
    shown = sample if with_cents else whole
    number = found.group(0) if with_cents else f"1{found.group(1)}234{found.group(1)}567"
    prefix, _, suffix = shown.partition(number)
    return prefix, suffix, {ord(","): found.group(1), ord("."): found.group(2)}


@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(locale_of(language))


@functools.cache
def _currency_pattern(language: str, with_cents: bool) -> NumberPattern:
    """The locale's standard currency pattern; without its fraction digits for whole amounts
    (CLDR has no "whole" variant). Same result as format_currency(format=...), parsed once."""
    pattern = _locale(language).currency_formats["standard"].pattern
    return parse_pattern(pattern if with_cents else pattern.replace(".00", ""))


class _ShownCache:
    """Formatted texts by a key that determines them; when full, the oldest half is dropped."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.texts: dict[tuple[object, ...], str] = {}

    def get(self, key: tuple[object, ...], make: Callable[[], str]) -> str:
        text = self.texts.get(key)
        if text is None:
            text = make()
            if len(self.texts) >= self.size:
                for old in list(self.texts)[: self.size // 2]:  # insertion order: oldest first
                    del self.texts[old]
            self.texts[key] = text
        return text


_COMPACT_DIGITS = 1
# At 1000 plans: 11,800 calls; 7,600 distinct amounts but about 2,000 distinct labels.
_compact_cache = _ShownCache(4096)


def compact_money(amount: Decimal, currency: str, language: str) -> str:
    """A short label for charts: `€ 14,4K` (nl) / `€14.4k` (en); the exact amount is in the table."""
    def make() -> str:
        return format_compact_currency(amount, currency, locale=locale_of(language),
                                       fraction_digits=_COMPACT_DIGITS)

    key = _compact_key(amount, language)
    return make() if key is None else _compact_cache.get((*key, currency, language), make)


def _compact_key(amount: Decimal, language: str) -> tuple[int, Decimal] | None:
    """What babel's compact format of `amount` depends on: the magnitude it is shown in (the
    largest of the locale's, 1000, 10000..., not above the amount) and the amount divided
    for it, rounded to the digits shown. babel divides and rounds exactly so (numbers.py,
    _get_compact_format; a label rounded up into the next magnitude is shown in that one,
    which these two decide too). None when babel shows the amount itself (below 1000, or a
    pattern without a unit): those are not cached."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return None
    size = abs(amount)
    for magnitude, divisor in _compact_steps(language):
        if size >= magnitude:
            if divisor is None:
                return None
            return magnitude, round(amount / divisor, _COMPACT_DIGITS)
    return None


@functools.cache
def _compact_steps(language: str) -> tuple[tuple[int, int | None], ...]:
    """The locale's compact magnitudes, largest first, each with babel's divisor (None for
    a pattern "0", which babel does not divide)."""
    formats = _locale(language).compact_currency_formats["short"]["other"]
    steps: list[tuple[int, int | None]] = []
    for magnitude in sorted((int(m) for m in formats), reverse=True):
        pattern = parse_pattern(formats[str(magnitude)]).pattern
        steps.append((magnitude, None if pattern == "0" else magnitude // 10 ** (pattern.count("0") - 1)))
    return tuple(steps)


def number(value: int | Decimal, language: str) -> str:
    """A whole or decimal number with the locale's grouping: `1.240` (nl), `1,240` (en)."""
    # By its text, which gives back the same value (and type, exponent, sign of zero).
    return _number(str(value), isinstance(value, int), language)


# At 1000 plans: 12,800 calls (the seasonality weights in every rounding note), 950 distinct;
# 92% hits with 64 entries, 93% with any more.
@functools.lru_cache(maxsize=256)
def _number(text: str, whole: bool, language: str) -> str:
    return format_decimal(int(text) if whole else Decimal(text), locale=locale_of(language))


_PERCENT = "#,##0.0%"
# At 1000 plans: 3,200 calls, 2,900 distinct fractions (growth per year, 28 digits), which
# round to far fewer percentages.
_percent_cache = _ShownCache(1024)


def percent(fraction: Decimal, language: str) -> str:
    """A fraction as a percentage with one decimal: `82,6%` (nl), `82.6%` (en)."""
    def make() -> str:
        return format_percent(fraction, format=_PERCENT, locale=locale_of(language))

    if not fraction.is_finite():
        return make()
    # What babel's NumberPattern.apply uses of the value for this pattern: its sign, and its
    # absolute value scaled to percent, normalised and rounded to the one decimal shown.
    pattern = _percent_pattern()
    scaled = fraction.scaleb(pattern.scale)
    shown = abs(scaled).normalize().quantize(Decimal(1).scaleb(-pattern.frac_prec[1]))
    negative = scaled.is_signed()

    def make_from_shape() -> str:
        # babel's text is the sign's prefix, the rounded value's digits grouped by three,
        # and the suffix: learnt once from babel (as _money_shape), as the cache's key is.
        prefix, suffix, separators = _percent_shape(language, negative)
        return prefix + format(shown, ",.1f").translate(separators) + suffix

    return _percent_cache.get((negative, shown, language), make_from_shape)


@functools.cache
def _percent_shape(language: str, negative: bool) -> tuple[str, str, dict[int, str]]:
    """Prefix, suffix and separators of babel's percentage of a positive (or a negative)
    fraction, as `_PERCENT` writes it (one decimal, grouped by three)."""
    sample = format_percent(Decimal("-12345.678" if negative else "12345.678"), format=_PERCENT,
                            locale=locale_of(language))
    found = re.search(r"1(?P<g>\D+)234(?P=g)567(\D+)8", sample)
    if found is None or _percent_pattern().frac_prec != (1, 1):  # pragma: no cover
        raise ValueError(f"unexpected percent format {sample!r}")
    prefix, _, suffix = sample.partition(found.group(0))
    return prefix, suffix, {ord(","): found.group(1), ord("."): found.group(2)}


@functools.cache
def _percent_pattern() -> NumberPattern:
    return parse_pattern(_PERCENT)


# At 1000 plans: 15,700 calls, 1,048 distinct dates and languages; 64% hits with 256 entries,
# 93% with 1024 (all). Two plan years of both languages are about 1,500.
@functools.lru_cache(maxsize=2048)
def date(day: dt.date, language: str) -> str:
    """`15 jan 2027` (nl) / `15 Jan 2027` (en)."""
    return format_date(day, "medium", locale=locale_of(language))


def short_date(day: dt.date, language: str) -> str:
    """Day and month only, for tables within one year: `15 jan` / `15 Jan`."""
    return format_date(day, "d MMM", locale=locale_of(language))


@functools.lru_cache(maxsize=8)  # two languages, two widths
def month_names(language: str, width: Literal["abbreviated", "wide"] = "abbreviated") -> tuple[str, ...]:
    """The 12 month names (`abbreviated` or `wide`), January first."""
    names = get_month_names(width, "stand-alone", locale=locale_of(language))
    return tuple(str(names[m]) for m in range(1, 13))


#: Every fixed text of the generated content by key: the English text, which is the
#: message id of the catalogs (see accountplans.i18n); translated when shown.
LABELS: dict[str, str] = {
    "targets_quarter": N_("Targets per quarter"),
    "targets_month": N_("Targets per month"),
    "product": N_("Product"),
    "year": N_("Year {year}"),
    "week": N_("Per week"),
    "year3": N_("Year 3 ({year})"),
    "growth": N_("Growth/yr"),
    "total": N_("Total"),
    "weeks_note": N_(
        "{open} of the {weeks} ISO weeks of {year} are selling weeks (closed: "
        "{closed}). Week target = year target ÷ {open}, rounded down to the cent; week "
        "{last} gets the remaining cents, so the weeks add up to the year."
    ),
    "no_open_weeks": N_("Every week of {year} is closed: there is no week target."),
    "months_note": N_(
        "Months are weighted by the plan's seasonality ({weights}), rounded down to the "
        "cent; the remaining cents go to {last}. Quarters are the sums of their months. "
        "Growth/yr is the average growth per year from year 1 to year 3."
    ),
    "months_note_flat": N_(
        "Months are equal shares of the year (no seasonality), rounded down to the "
        "cent; the remaining cents go to {last}. Quarters are the sums of their months. "
        "Growth/yr is the average growth per year from year 1 to year 3."
    ),
    "chart_title": N_("Monthly targets {year}, all products"),
    "chart_desc": N_("Bar chart of the monthly targets: {values}."),
    "no_targets": N_("This plan has no targets yet."),
    "no_year": N_("The targets cannot be broken down: the plan has no valid year."),
    "milestones": N_("Milestones"),
    "date": N_("Date"),
    "milestone": N_("Milestone"),
    "kind": N_("Kind"),
    "with": N_("With"),
    "status": N_("Status"),
    "status_on": N_("Status on {date}."),
    "no_milestones": N_("No milestones planned yet."),
    "done": N_("done"),
    "overdue": N_("overdue"),
    "due": N_("due within 30 days"),
    "later": N_("later"),
    "evaluations": N_("Quarterly evaluations"),
    "not_planned": N_("not planned"),
    "visits": N_("Visits"),
    "cadence": N_(
        "{visits} visits a year over {open} selling weeks: one visit every {every} "
        "weeks, e.g. in weeks {weeks}. Planned as milestones: {planned} of {visits}."
    ),
    "cadence_weekly": N_(
        "{visits} visits a year over {open} selling weeks: at least one visit every "
        "week. Planned as milestones: {planned} of {visits}."
    ),
    "no_cadence": N_("No visits_per_year set: no visit cadence."),
    "key_facts": N_("Key facts"),
    "plan_status": N_("Status"),
    "account": N_("Account"),
    "owner": N_("Account manager"),
    "market_position": N_("Market position"),
    "industry": N_("Industry"),
    "fte": N_("FTE"),
    "decision_makers": N_("Decision makers"),
    "target_year": N_("Target {year}"),
    "target_year3": N_("Target {year} (year 3)"),
    "last_review": N_("Last review"),
    "next_review": N_("Next review"),
    "review_by": N_("by {date}"),
    "review_overdue": N_("overdue since {date}"),
    "computed_for": N_("Computed for {date}."),
    "none": N_("none"),
    "unknown": N_("—"),
    "contacts": N_("Relationships"),
    "decides": N_("decides"),
    "influence": N_("influence {level}"),
    "no_contacts": N_("No contacts listed yet."),
    "summary_decides": N_("Decides"),
    "summary_champions": N_("Champions"),
    "summary_critics": N_("Critics"),
    "no_actuals": N_(
        "No actuals loaded: actual against target appears here once plans/actuals.csv "
        "(a CRM export) is added."
    ),
}

#: Values of the plan's enumerations as shown, by the value written in the plan.
VALUES: dict[str, str] = {
    "leader": N_("leader"),
    "runner-up": N_("runner-up"),
    "challenger": N_("challenger"),
    "niche": N_("niche player"),
    "start-up": N_("start-up"),
    "draft": N_("draft (not published)"),
    "archived": N_("archived (counts in no total)"),
    "contact": N_("contact"),
    "visit": N_("visit"),
    "evaluation": N_("evaluation"),
    "deal": N_("deal"),
    "training": N_("training"),
    "other": N_("other"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    "champion": N_("champion"),
    "supporter": N_("supporter"),
    "neutral": N_("neutral"),
    "critic": N_("critic"),
}


def label(key: str, language: str, **fields: object) -> str:
    """A fixed text in `language`, with `{fields}` filled in (not escaped)."""
    return gettext(LABELS[key], language, **fields)


def value(word: str, language: str) -> str:
    """An enumeration value (market position, kind, influence, attitude) in `language`."""
    shown = VALUES.get(word)
    return word if shown is None else gettext(shown, language)
