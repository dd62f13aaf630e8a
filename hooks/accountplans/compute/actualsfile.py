"""Reading actuals: what customers really bought, from `plans/actuals.csv` (a CRM export).

The file has a header row `account,product,month,amount` (in any order, case-insensitive)
and one row per account, product and month (`YYYY-MM`). Dutch spreadsheets export with `;`
and a decimal comma: when the header is separated by `;` the amounts may use `,` for cents.
A malformed row is AP501 with the CSV line; an account or product that no plan has is AP502.
Two rows for the same account, product and month are added up (a CRM export may split a
month over several invoices).

Apart from accountplans.compute.actuals (progress against target, the plan page's table):
`accountplans check` reads the file in every run, and imports only this.
"""

from __future__ import annotations

import csv
import functools
import io
import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from accountplans.compute.memo import by_identity
from accountplans.i18n import N_, gettext
from accountplans.names import name_key
from accountplans.plan.model import Plan
from accountplans.plan.problems import Problem, problem

COLUMNS = ("account", "product", "month", "amount")
MAX_AMOUNT = Decimal("1e15")
MIN_YEAR, MAX_YEAR = 2000, 2100
#: A CRM export of many years and accounts stays far below this; more is a wrong file.
MAX_BYTES = 32 * 2**20
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_AMOUNT_DOT = re.compile(r"-?\d+(?:\.\d{1,2})?")
_AMOUNT_COMMA = re.compile(r"-?\d+(?:,\d{1,2})?")
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ActualRow:
    """One row read: who bought what in which month, and the CSV line it is on."""

    account: str
    product: str
    year: int
    month: int
    amount: Decimal
    line: int


@dataclass(frozen=True, slots=True)
class NamedIn:
    """An account and product as one or more rows write them, and the first row's line."""

    account: str
    product: str
    line: int


@dataclass(frozen=True)
class Actuals:
    """What actuals.csv says that could be read, and where the file is."""

    path: str
    names: tuple[NamedIn, ...] = ()
    """Each account and product as written, in the order of their first row (AP502 names
    them): an export has a row per month, so far fewer than its rows."""
    amounts: Mapping[tuple[str, str, int, int], str | Decimal] = field(
        default_factory=dict, compare=False, hash=False)
    """(account key, product key, year, month) -> the amount as one row writes it (with a dot
    for the cents), or as a Decimal: the sum of several rows, or a row read by `_row`. Made
    into Decimals only when asked (`by_key`): `accountplans check` never asks."""

    @functools.cached_property
    def by_key(self) -> Mapping[tuple[str, str, int, int], Decimal]:
        """(account key, product key, year, month) -> amount, duplicates added up."""
        return {key: _ZERO + Decimal(amount) if isinstance(amount, str) else amount
                for key, amount in self.amounts.items()}

    def amount(self, account: str, product: str, year: int, month: int) -> Decimal:
        return self.by_key.get((name_key(account), name_key(product), year, month), Decimal(0))

    def has_account(self, account: str) -> bool:
        return name_key(account) in self._accounts

    @functools.cached_property
    def _accounts(self) -> frozenset[str]:
        """The account keys of by_key, made once: has_account is asked for every plan on
        every page that shows actuals (a scan of every row each time was quadratic)."""
        return frozenset(key[0] for key in self.by_key)


def read_actuals(path: str, text: str, language: str = "en") -> tuple[Actuals, list[Problem]]:
    """Read the CSV text: the rows that are fine, and AP501 for every row that is not, its
    message in `language` (the site's)."""
    found: list[Problem] = []
    text = text.removeprefix("\ufeff")  # spreadsheets write a byte-order mark
    header_line = next((line for line in io.StringIO(text) if line.strip()), None)
    if header_line is None:
        return Actuals(path), found
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    amount_pattern = _AMOUNT_COMMA if delimiter == ";" else _AMOUNT_DOT
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    columns: dict[str, int] | None = None
    totals = _Totals(amount_pattern)
    line = 0
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            columns = _header(path, line, record, found, language)
            if columns is None:
                return Actuals(path), found
            break
        if columns is not None:
            for record in totals.add_plain_rows(reader, columns):
                # A row not as an export writes it: `_row` says what is wrong with it, or reads it.
                line = reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                row = _row(path, line, record, columns, amount_pattern, delimiter, found, language)
                if row is not None:
                    totals.add(row.account, row.product, row.year, row.month, row.amount, line)
    except csv.Error as err:
        found.append(problem(path, reader.line_num or line + 1, 0, "AP501", gettext(
            "the CSV cannot be read here ({error}); check the quotes on this line", language,
            error=err)))
    return Actuals(path, tuple(totals.names.values()), totals.amounts), found


class _Totals:
    """The amounts by account, product and month (duplicates added up), and the first line
    of each account and product as written."""

    def __init__(self, amount_pattern: re.Pattern[str]) -> None:
        self.amount_pattern = amount_pattern
        self.amounts: dict[tuple[str, str, int, int], str | Decimal] = {}
        self.names: dict[tuple[str, str], NamedIn] = {}
        self.keys: dict[str, str] = {}
        """Each account and product as written -> its name_key."""

    def add(self, account: str, product: str, year: int, month: int, amount: Decimal,
            line: int) -> None:
        keys = self.keys
        account_key = keys.get(account) or keys.setdefault(account, name_key(account))
        product_key = keys.get(product) or keys.setdefault(product, name_key(product))
        if (account, product) not in self.names:
            self.names[account, product] = NamedIn(account, product, line)
        key = (account_key, product_key, year, month)
        self.amounts[key] = _added(self.amounts.get(key), amount)

    def add_plain_rows(self, reader: Any, columns: Mapping[str, int]) -> Iterator[list[str]]:
        """Add each row as an export writes it, and yield every other row.

        As an export writes it: no spaces around the names, a month `YYYY-MM` within the
        years allowed, an amount the pattern takes of at most 15 characters (so below
        MAX_AMOUNT). An export has a row per account, product and month, tens of thousands,
        and repeats its names and months on row after row: each is read once, in one loop
        (what `add` does, with the names' keys known).
        """
        cells = operator.itemgetter(*(columns[c] for c in COLUMNS))
        amount_matches = self.amount_pattern.fullmatch
        comma = self.amount_pattern is _AMOUNT_COMMA
        keys, names, amounts = self.keys, self.names, self.amounts
        months: dict[str, tuple[int, int] | None] = {}
        for record in reader:
            try:
                account, product, month, amount_text = cells(record)
            except IndexError:  # fewer cells than the columns
                yield record
                continue
            account_key = keys.get(account)
            if account_key is None and _plain_name(account):
                account_key = keys[account] = name_key(account)
            product_key = keys.get(product)
            if product_key is None and _plain_name(product):
                product_key = keys[product] = name_key(product)
            when = months.get(month, ())
            if when == ():
                when = months[month] = _plain_month(month)
            if (account_key is None or product_key is None or when is None
                    or len(amount_text) > 15 or not amount_matches(amount_text)):
                yield record
                continue
            if (account, product) not in names:
                names[account, product] = NamedIn(account, product, reader.line_num)
            key = (account_key, product_key, *when)
            if comma:
                amount_text = amount_text.replace(",", ".")
            if key in amounts:  # a month split over several rows
                amounts[key] = _added(amounts[key], Decimal(amount_text))
            else:
                amounts[key] = amount_text


def _added(total: str | Decimal | None, amount: Decimal) -> Decimal:
    """`total` (None, a row's text or a Decimal) plus `amount`, added as by_key adds them."""
    if total is None:
        return _ZERO + amount
    return (_ZERO + Decimal(total) if isinstance(total, str) else total) + amount


def _plain_name(text: str) -> bool:
    """A name as an export writes it: not empty, no spaces around it."""
    return bool(text) and text.strip() == text


def _plain_month(text: str) -> tuple[int, int] | None:
    """(year, month) of `YYYY-MM` within the years and months allowed, else None."""
    if not (len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit()):
        return None
    year, month = int(text[:4]), int(text[5:])
    return (year, month) if 1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR else None


def _header(path: str, line: int, record: list[str], found: list[Problem],
            language: str) -> dict[str, int] | None:
    names = [cell.strip().casefold() for cell in record]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        found.append(problem(path, line, 1, "AP501", gettext(
            "the first row must name the columns {columns}; {missing} missing (got '{got}')",
            language, columns=",".join(COLUMNS), missing=", ".join(missing), got=",".join(record))))
        return None
    indices = {c: names.index(c) for c in COLUMNS}
    return {**indices, "width": max(indices.values()) + 1}


def _row(path: str, line: int, record: list[str], columns: Mapping[str, int],
         amount_pattern: re.Pattern[str], delimiter: str, found: list[Problem],
         language: str) -> ActualRow | None:
    def report(message: str, **fields: object) -> None:
        found.append(problem(path, line, 1, "AP501", gettext(message, language, **fields)))

    width = columns["width"]
    if len(record) < width:
        report(N_("the row has {n} field(s), {width} expected ({columns}); add the missing values"),
               n=len(record), width=width, columns=delimiter.join(COLUMNS))
        return None
    account = record[columns["account"]].strip()
    product = record[columns["product"]].strip()
    month_text = record[columns["month"]].strip()
    amount_text = record[columns["amount"]].strip().replace(" ", "")
    if not account or not product:
        report(N_("the account is empty; fill it in or remove the row") if not account
               else N_("the product is empty; fill it in or remove the row"))
        return None
    month_match = _MONTH.fullmatch(month_text)
    if not month_match or not 1 <= int(month_match.group(2)) <= 12:
        report(N_("the month must be written YYYY-MM (e.g. 2027-03), got '{month}'"), month=month_text)
        return None
    if not amount_pattern.fullmatch(amount_text):
        example = "1250,50" if delimiter == ";" else "1250.50"
        report(N_("the amount must be a number without thousands separators (e.g. {example}), "
               "got '{amount}'"), example=example, amount=amount_text)
        return None
    try:
        amount = Decimal(amount_text.replace(",", "."))
    except InvalidOperation:  # the pattern above lets nothing through that Decimal rejects
        report(N_("the amount '{amount}' is not a number"), amount=amount_text)
        return None
    # Bounded like a plan's amounts and years: a CRM export with a broken cell must not reach
    # the sums and charts (thousands of digits overflow the formatting) or the calendar.
    if abs(amount) > MAX_AMOUNT:
        report(N_("the amount '{amount}' is too large; write the month's amount in whole units, "
               "e.g. 12500"), amount=amount_text[:40])
        return None
    if not MIN_YEAR <= int(month_match.group(1)) <= MAX_YEAR:
        report(N_("the month '{month}' is outside the years {low}-{high}; write it as YYYY-MM, "
               "e.g. 2027-03"), month=month_text, low=MIN_YEAR, high=MAX_YEAR)
        return None
    return ActualRow(account, product, int(month_match.group(1)), int(month_match.group(2)),
                     amount, line)


ACTUALS_CSV = "actuals.csv"
"""The CRM export's file name, in the plans folder."""


def load_actuals(path: Path, shown: str, plans: Iterable[Plan],
                 language: str = "en") -> tuple[Actuals | None, list[Problem]]:
    """Read and check `plans/actuals.csv` if it exists: (actuals or None, AP501/AP502).

    `shown` is the path as problems name it, `language` the site's (of the messages). One
    function for the build and the command line.
    """
    if not path.is_file():
        return None, []
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [problem(shown, 0, 0, "AP501", gettext(
            "the file cannot be read ({error}); check that it is readable", language,
            error=err.strerror))]
    if len(data) > MAX_BYTES:
        return None, [problem(shown, 0, 0, "AP501", gettext(
            "the file is larger than {size} MiB; export only the plan years the site shows",
            language, size=MAX_BYTES // 2**20))]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [problem(shown, line, 0, "AP501", gettext(
            "the file is not UTF-8 text; export it from the CRM as 'CSV UTF-8'", language))]
    actuals, read_problems = _read_actuals_once(shown, text, language)
    found = list(read_problems)
    return actuals, found + check_against_plans(actuals, plans, language)


@by_identity(size=2)
def _read_actuals_once(shown: str, text: str, language: str) -> tuple[Actuals, tuple[Problem, ...]]:
    """read_actuals, kept while the file's text is the same: under `serve` the actuals stay
    the same object from one rebuild to the next, so each plan's progress is kept too."""
    actuals, found = read_actuals(shown, text, language)
    return actuals, tuple(found)


def check_against_plans(actuals: Actuals, plans: Iterable[Plan],
                        language: str = "en") -> list[Problem]:
    """AP502: rows whose account, or whose product for that account, no plan has (once each)."""
    products: dict[str, dict[str, str]] = {}
    names: dict[str, str] = {}
    for plan in plans:
        key = name_key(plan.account)
        names[key] = plan.account
        products.setdefault(key, {}).update((name_key(t.product), t.product) for t in plan.targets)
    found: list[Problem] = []
    reported: set[tuple[str, str]] = set()
    for row in actuals.names:
        account, product = name_key(row.account), name_key(row.product)
        if account not in products:
            if (account, "") not in reported:
                reported.add((account, ""))
                found.append(problem(actuals.path, row.line, 1, "AP502", gettext(
                    "no plan has the account '{account}'; write it as the plan's `account:` says, "
                    "or add a plan for it", language, account=row.account)))
        elif product not in products[account] and (account, product) not in reported:
            reported.add((account, product))
            known = ", ".join(sorted(products[account].values())) or gettext("none", language)
            found.append(problem(actuals.path, row.line, 1, "AP502", gettext(
                "the plan of '{account}' has no product '{product}' (its targets: {known}); use "
                "the product name of its targets", language, account=names[account],
                product=row.product, known=known)))
    return found
