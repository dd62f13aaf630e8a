"""The plan schema of DESIGN.md, checked on composed YAML nodes so every problem has a place.

We read values from the nodes ourselves instead of trusting PyYAML's YAML 1.1 guesses:
`NO` as false, `012` as 10, `12:30` as 750 and `120.000` as 120.0 are all reported (AP005)
with the text the author typed. Money is read from that text as `Decimal`, never via float.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import sys
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import yaml
from yaml.constructor import SafeConstructor

from . import fmt
from .frontmatter import SourceFile, position
from .i18n import N_, gettext
from .model import (
    ATTITUDES,
    DUTCH_SYNONYMS,
    EVALUATION_STATUSES,
    INFLUENCE,
    MARKET_POSITIONS,
    MILESTONE_KINDS,
    STATUSES,
    Contact,
    Milestone,
    Organisation,
    Plan,
    Target,
)
from .problems import Problem, problem
from .settings import LANGUAGES, Settings

T = TypeVar("T")

_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"

_AMOUNT = re.compile(r"[0-9][0-9_]*(?:\.[0-9]+)?")
_WHOLE = re.compile(r"[0-9][0-9_]*")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_CURRENCY = re.compile(r"[A-Z]{3}")

TOP_FIELDS = (
    "account", "owner", "year", "reviewed", "status", "language", "currency", "organisation",
    "market_position", "contacts", "targets", "seasonality", "visits_per_year", "milestones",
    "tags",
)
REQUIRED = ("account", "owner", "year", "reviewed")
ORGANISATION_FIELDS = ("industry", "fte", "website")
CONTACT_FIELDS = ("name", "role", "decision_maker", "influence", "attitude", "reports_to")
TARGET_FIELDS = ("product", "year1", "year3")
MILESTONE_FIELDS = ("date", "title", "kind", "with", "done", "outcome", "status")
#: Fields `accountplans new` leaves empty for the author: written without a value, they are
#: "not filled in yet" (AP007), an error in an active plan and a warning in a draft.
FILLED_IN_LATER = ("reviewed", "market_position", "organisation", "contacts", "targets", "milestones")

_HOW_TO_ADD = {
    "account": "account: Bakkerij Van Dijk B.V.",
    "owner": N_("owner: <the account manager's name>"),
    "year": "year: 2027",
    "reviewed": "reviewed: 2026-11-02",
    "product": N_("product: <name of the product or service>"),
    "year1": "year1: 120000",
    "name": N_("name: <the contact's full name>"),
    "date": "date: 2027-01-15",
    "title": N_("title: <what happens>"),
}


class _Reader:
    """Reads values out of nodes, collecting problems with their place."""

    def __init__(self, source: SourceFile, language: str = "en") -> None:
        self.source = source
        self.language = language
        """The language of the messages: the site's (`extra.accountplans.language`)."""
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()
        # Where each contact's reports_to and each milestone's `with` was written (AP301).
        self.reports_to_nodes: dict[Contact, yaml.Node] = {}
        self.with_nodes: dict[Milestone, yaml.Node] = {}

    def report(self, node: yaml.Node, code: str, message: str) -> None:
        line, col = position(self.source, node)
        self.problems.append(problem(self.source.path, line, col, code, message))

    def line(self, node: yaml.Node) -> int:
        return position(self.source, node)[0]

    # --- mappings -----------------------------------------------------------------------
    def fields(
        self, node: yaml.MappingNode, known: tuple[str, ...], where: str
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The mapping's fields by name; AP006 for unknown ones (with a suggestion)."""
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                self.report(key, "AP005", gettext(
                    "{where} has a key that is not a plain name; write each field as "
                    "'name: value' (no '<<' merges or '?' keys)", self.language,
                    where=where or gettext("the front-matter", self.language)))
                continue
            name = key.value
            if name not in known:
                close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
                if close:
                    message = gettext("unknown field '{field}'; did you mean '{known}'?",
                                      self.language, field=_prefix(where) + name, known=close[0])
                else:
                    message = gettext("unknown field '{field}'; known fields: {known}", self.language,
                                      field=_prefix(where) + name, known=", ".join(known))
                self.report(key, "AP006", message)
                continue
            out.setdefault(name, (key, value))  # the duplicate itself is AP003
        return out

    def require(self, fields: dict[str, Any], parent: yaml.Node, names: tuple[str, ...],
                where: str) -> None:
        for name in names:
            if name not in fields:
                how = gettext(_HOW_TO_ADD[name], self.language) if name in _HOW_TO_ADD \
                    else f"{name}: ..."
                self.report(parent, "AP004", gettext(
                    "required field '{field}' is missing; add a line '{line}'", self.language,
                    field=_prefix(where) + name, line=how))

    def mapping(self, node: yaml.Node, what: str) -> yaml.MappingNode | None:
        if isinstance(node, yaml.MappingNode):
            return node
        self.report(node, "AP005", gettext(
            "{what} must be a block of 'name: value' fields, got {got}; write one field a line, "
            "indented under it", self.language, what=what, got=_describe(node, self.language)))
        return None

    def sequence(self, node: yaml.Node, what: str, example: str) -> list[yaml.Node] | None:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            return []
        self.report(node, "AP005", gettext(
            "{what} must be a list (lines starting with '- '), got {got}; e.g. {example}",
            self.language, what=what, got=_describe(node, self.language), example=example))
        return None

    # --- scalars ------------------------------------------------------------------------
    def text(self, node: yaml.Node, what: str, *, allow_empty: bool = False) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.report(node, "AP005", gettext(
                "{what} must be text, got {got}; write it on the same line, in quotes if need be",
                self.language, what=what, got=_describe(node, self.language)))
            return None
        if node.tag in (_BOOL, _NULL) and not node.style and node.value:
            if node.tag == _NULL:
                message = gettext("{what} must be text, but YAML reads {value} as empty; put it "
                                  "in quotes: \"{value}\"", self.language, what=what, value=node.value)
            else:
                message = gettext("{what} must be text, but YAML reads {value} as {word}; put it "
                                  "in quotes: \"{value}\"", self.language, what=what,
                                  value=node.value, word=_bool_word(node.value))
            self.report(node, "AP005", message)
            return None
        value: str = str(node.value).strip()
        if not value and not allow_empty:
            self.report(node, "AP005", gettext("{what} is empty; fill it in or remove the line",
                                               self.language, what=what))
            return None
        # Plans repeat owners, roles, products, tags and titles, and name a contact again in
        # `with` and `reports_to`: one string each, not one per mention, for the whole build.
        return sys.intern(value)

    def choice(self, node: yaml.Node, what: str, options: tuple[str, ...]) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self.report(node, "AP005", gettext(
                "{what} must be one of {options}, got {got}; write one of these words",
                self.language, what=what, options=_options(options, self.language),
                got=_describe(node, self.language)))
            return None
        value: str = str(node.value).strip()
        lowered = value.lower()
        for option in options:  # the option itself, not a new string per plan
            if option == lowered:
                return option
        aliases = dutch_aliases(options)
        if lowered in aliases:
            return aliases[lowered]
        extra = gettext(" (YAML reads {value} as {word})", self.language, value=value,
                        word=_bool_word(value)) if node.tag == _BOOL else ""
        # Suggestions from both languages: `marktleidr` -> marktleider, `chalenger` -> challenger.
        close = difflib.get_close_matches(lowered, (*options, *aliases), n=1, cutoff=0.5)
        if close and close[0] in aliases:
            hint = gettext("did you mean {word} ({value})?", self.language,
                           word=close[0], value=aliases[close[0]])
        elif close:
            hint = gettext("did you mean {word}?", self.language, word=close[0])
        else:
            hint = gettext("write one of these words", self.language)
        self.report(node, "AP005", gettext(
            "{what} must be one of {options}, got '{value}'{yaml_reads}; {hint}", self.language,
            what=what, options=_options(options, self.language), value=value, yaml_reads=extra,
            hint=hint))
        return None

    def flag(self, node: yaml.Node, what: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            return bool(self._constructor.construct_yaml_bool(node))
        self.report(node, "AP005", gettext(
            "{what} must be true or false, got {got}; write true or false without quotes",
            self.language, what=what, got=_describe(node, self.language)))
        return None

    def whole(self, node: yaml.Node, what: str, *, low: int, high: int) -> int | None:
        if isinstance(node, yaml.ScalarNode) and not node.style and _WHOLE.fullmatch(node.value):
            if len(node.value) > 1 and node.value.startswith("0"):
                self.report(node, "AP005", gettext(
                    "{what} is written {value}, which YAML reads as an octal number; write it "
                    "without the leading zero", self.language, what=what, value=node.value))
                return None
            value = int(node.value.replace("_", ""))
            if low <= value <= high:
                return value
            self.report(node, "AP005", gettext(
                "{what} must be between {low} and {high}, got {value}; correct the number",
                self.language, what=what, low=low, high=high, value=value))
            return None
        self.report(node, "AP005", gettext(
            "{what} must be a whole number, got {got}; write digits only, without quotes",
            self.language, what=what, got=_describe(node, self.language)))
        return None

    def amount(self, node: yaml.Node, what: str, *, positive: bool = True) -> Decimal | None:
        """Money: digits with at most two decimals, read from the text as typed."""
        raw = node.value.strip() if isinstance(node, yaml.ScalarNode) else None
        if raw is not None and not getattr(node, "style", None) and _AMOUNT.fullmatch(raw):
            if len(raw) > 1 and raw.startswith("0") and not raw.startswith("0."):
                self.report(node, "AP005", gettext(
                    "{what} is written {value}, which YAML reads as an octal number; write it "
                    "without the leading zero", self.language, what=what, value=raw))
                return None
            if "." in raw and len(raw.split(".")[1]) > 2:
                self.report(node, "AP005", gettext(
                    "{what} is written {value}: more than two decimals. Write amounts without "
                    "thousands separators, e.g. {example}", self.language, what=what, value=raw,
                    example=raw.replace(".", "")))
                return None
            try:
                value = _decimal(raw)
            except InvalidOperation:  # pragma: no cover - the regex admits only digits
                value = None
            if value is not None and value > Decimal("1e15"):
                self.report(node, "AP005", gettext(
                    "{what} is too large, got {value}; write the amount in whole units, e.g. 120000",
                    self.language, what=what, value=raw))
                return None
            if value is not None and (value > 0 or (not positive and value == 0)):
                return value
        shown = raw if raw is not None else _describe(node, self.language)
        if positive:
            message = gettext("{what} must be a positive number, got {got}; write digits only, "
                              "e.g. 120000 or 1250.50", self.language, what=what, got=shown)
        else:
            message = gettext("{what} must be zero or a positive number, got {got}; write digits "
                              "only, e.g. 120000 or 1250.50", self.language, what=what, got=shown)
        self.report(node, "AP005", message)
        return None

    def date(self, node: yaml.Node, what: str) -> dt.date | None:
        if isinstance(node, yaml.ScalarNode):
            raw = node.value.strip()
            m = _ISO_DATE.fullmatch(raw)
            if m and not 2000 <= int(m[1]) <= 2100:
                # Dates are planned within the years a plan may have (see `year`): a date at
                # the end of the calendar (9999-12-31) leaves no room for "30 days later".
                self.report(node, "AP005", gettext(
                    "{what} {value} is outside the years 2000-2100; write the date it really is, "
                    "as YYYY-MM-DD", self.language, what=what, value=raw))
                return None
            if m:
                try:
                    return _date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    self.report(node, "AP005", gettext(
                        "{what} {value} is not a date that exists; write it as YYYY-MM-DD, e.g. "
                        "2027-01-15", self.language, what=what, value=raw))
                    return None
            if node.tag == _TIMESTAMP:
                self.report(node, "AP005", gettext(
                    "{what} must be a date without a time, got {value}; write it as YYYY-MM-DD",
                    self.language, what=what, value=raw))
                return None
        shown = node.value if isinstance(node, yaml.ScalarNode) else _describe(node, self.language)
        self.report(node, "AP005", gettext(
            "{what} must be a date, got {got}; write it as YYYY-MM-DD without quotes, e.g. "
            "2027-01-15", self.language, what=what, got=shown))
        return None

    def list_of(self, node: yaml.Node, what: str, example: str,
                item: Callable[[yaml.Node, str], T | None]) -> list[T]:
        items = self.sequence(node, what, example)
        out: list[T] = []
        for i, child in enumerate(items or []):
            value = item(child, f"{what}[{i + 1}]")
            if value is not None:
                out.append(value)
        return out


# Plans share many amounts (seasonality weights, round targets) and dates (evaluations,
# reviews): Decimal and date are immutable values, so equal ones are made once. Bounded:
# the values come from authors.
@functools.lru_cache(maxsize=4096)
def _decimal(raw: str) -> Decimal:
    return Decimal(raw.replace("_", ""))


@functools.lru_cache(maxsize=4096)
def _date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


@functools.cache
def dutch_aliases(options: tuple[str, ...]) -> dict[str, str]:
    """Dutch input words for the values `options` -> the value: the word the site shows in
    Dutch (from the catalog, without an explanation in brackets) and the usual synonyms."""
    aliases = {word: value for word, value in DUTCH_SYNONYMS.items() if value in options}
    for option in options:
        shown = fmt.value(option, "nl").split(" (")[0].strip().lower()
        if shown != option:
            aliases.setdefault(shown, option)
    return aliases


def _prefix(where: str) -> str:
    return f"{where}." if where else ""


def _options(options: tuple[str, ...], language: str) -> str:
    return gettext("{words} or {last}", language, words=", ".join(options[:-1]), last=options[-1])


def _bool_word(value: str) -> str:
    return "true" if value.lower() in ("yes", "y", "true", "on") else "false"


def _describe(node: yaml.Node, language: str) -> str:
    if isinstance(node, yaml.MappingNode):
        return gettext("a block of fields", language)
    if isinstance(node, yaml.SequenceNode):
        return gettext("a list", language)
    if node.tag == _NULL:
        return gettext("nothing", language)
    value = str(node.value)
    return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"


def read_plan(source: SourceFile, root: yaml.MappingNode, settings: Settings) -> Plan:
    """Check the front-matter against the schema and build the plan (AP004-AP006, AP301-AP303)."""
    r = _Reader(source, settings.language)
    f = r.fields(root, TOP_FIELDS, "")
    empty = _not_filled_in(r, f)
    r.require(f, root, REQUIRED, "")
    # Interned, the names are the constants of TOP_FIELDS: a plan keeps no key of its file.
    lines = {sys.intern(name): r.line(key) for name, (key, _) in f.items()}

    def get(name: str, read: Callable[[yaml.Node, str], T | None]) -> T | None:
        return read(f[name][1], name) if name in f and name not in empty else None

    account = get("account", r.text) or ""
    owner = get("owner", r.text)
    if owner and settings.team and "owner" in f:
        _check_owner(r, f["owner"][1], owner, settings)
    year = get("year", lambda n, w: r.whole(n, w, low=2000, high=2100))
    reviewed = get("reviewed", r.date)
    status = get("status", lambda n, w: r.choice(n, w, STATUSES)) or "active"
    language = get("language", lambda n, w: r.choice(n, w, LANGUAGES)) or settings.language
    currency = get("currency", lambda n, w: _currency(r, n, w)) or settings.currency
    organisation = get("organisation", lambda n, w: _organisation(r, n, w)) or Organisation()
    market = get("market_position", lambda n, w: r.choice(n, w, MARKET_POSITIONS))
    contacts = get("contacts", lambda n, w: r.list_of(
        n, w, "- name: Pieter Jansen", lambda c, cw: _contact(r, c, cw))) or []
    targets = get("targets", lambda n, w: r.list_of(
        n, w, "- product: Training", lambda c, cw: _target(r, c, cw))) or []
    seasonality = get("seasonality", lambda n, w: _seasonality(r, n, w))
    visits = get("visits_per_year", lambda n, w: r.whole(n, w, low=0, high=365))
    milestones = get("milestones", lambda n, w: r.list_of(
        n, w, "- date: 2027-01-15", lambda c, cw: _milestone(r, c, cw))) or []
    tags = get("tags", lambda n, w: r.list_of(n, w, "[retail, tier-a]", r.text)) or []

    _check_people(r, source, f, contacts, milestones, year)
    _check_complete(r, source, f, empty, contacts, targets, milestones)
    return Plan(
        path=source.path, account=account, owner=owner, year=year, reviewed=reviewed,
        status=status, language=language, currency=currency, organisation=organisation,
        market_position=market, contacts=tuple(contacts), targets=tuple(targets),
        seasonality=seasonality, visits_per_year=visits,
        milestones=tuple(sorted(milestones, key=lambda m: (m.date, m.line))),
        tags=tuple(tags), lines=lines, problems=tuple(r.problems),
    )


def _currency(r: _Reader, node: yaml.Node, what: str) -> str | None:
    value = r.text(node, what)
    if value is None:
        return None
    if _CURRENCY.fullmatch(value.upper()):
        return value.upper()
    r.report(node, "AP005", gettext("{what} must be a three-letter ISO 4217 code, got '{value}'; "
                                    "write e.g. EUR or USD", r.language, what=what, value=value))
    return None


def _organisation(r: _Reader, node: yaml.Node, what: str) -> Organisation | None:
    m = r.mapping(node, what)
    if m is None:
        return None
    f = r.fields(m, ORGANISATION_FIELDS, what)
    industry = r.text(f["industry"][1], f"{what}.industry") if "industry" in f else None
    fte = r.whole(f["fte"][1], f"{what}.fte", low=1, high=10_000_000) if "fte" in f else None
    website = None
    if "website" in f:
        website = r.text(f["website"][1], f"{what}.website")
        if website and not re.match(r"https?://[^\s/]+", website):
            field = f"{what}.website"
            r.report(f["website"][1], "AP005", gettext(
                "{what} must be a web address, got '{value}'; write it with https:// in front, "
                "e.g. https://example.com", r.language, what=field, value=website))
            website = None
    return Organisation(industry, fte, website)


def _contact(r: _Reader, node: yaml.Node, what: str) -> Contact | None:
    m = r.mapping(node, what)
    if m is None:
        return None
    f = r.fields(m, CONTACT_FIELDS, what)
    r.require(f, m, ("name",), what)
    name = r.text(f["name"][1], f"{what}.name") if "name" in f else None
    role = r.text(f["role"][1], f"{what}.role") if "role" in f else None
    dm = r.flag(f["decision_maker"][1], f"{what}.decision_maker") if "decision_maker" in f else False
    influence = r.choice(f["influence"][1], f"{what}.influence", INFLUENCE) if "influence" in f else None
    attitude = r.choice(f["attitude"][1], f"{what}.attitude", ATTITUDES) if "attitude" in f else None
    reports_to = r.text(f["reports_to"][1], f"{what}.reports_to") if "reports_to" in f else None
    if name is None:
        return None
    contact = Contact(name, role, bool(dm), influence, attitude, reports_to, r.line(m))
    if reports_to:
        r.reports_to_nodes[contact] = f["reports_to"][1]
    return contact


def _target(r: _Reader, node: yaml.Node, what: str) -> Target | None:
    m = r.mapping(node, what)
    if m is None:
        return None
    f = r.fields(m, TARGET_FIELDS, what)
    r.require(f, m, ("product", "year1"), what)
    product = r.text(f["product"][1], f"{what}.product") if "product" in f else None
    year1 = r.amount(f["year1"][1], f"{what}.year1") if "year1" in f else None
    year3 = r.amount(f["year3"][1], f"{what}.year3", positive=False) if "year3" in f else None
    if product is None or year1 is None:
        return None
    return Target(product, year1, year3, r.line(m))


def _milestone(r: _Reader, node: yaml.Node, what: str) -> Milestone | None:
    m = r.mapping(node, what)
    if m is None:
        return None
    f = r.fields(m, MILESTONE_FIELDS, what)
    r.require(f, m, ("date", "title"), what)
    when = r.date(f["date"][1], f"{what}.date") if "date" in f else None
    title = r.text(f["title"][1], f"{what}.title") if "title" in f else None
    kind = r.choice(f["kind"][1], f"{what}.kind", MILESTONE_KINDS) if "kind" in f else "other"
    names = _with_names(r, f["with"][1], f"{what}.with") if "with" in f else ()
    done = r.flag(f["done"][1], f"{what}.done") if "done" in f else False
    outcome = r.text(f["outcome"][1], f"{what}.outcome") if "outcome" in f else None
    verdict = r.choice(f["status"][1], f"{what}.status", EVALUATION_STATUSES) if "status" in f else None
    for name in ("outcome", "status"):
        if name in f and kind != "evaluation":
            field = f"{what}.{name}"
            r.report(f[name][0], "AP005", gettext(
                "{what} is only recorded on an evaluation; set 'kind: evaluation' or remove the "
                "line", r.language, what=field))
    if when is None or title is None:
        return None
    shown = ", ".join(names) if names else None
    milestone = Milestone(when, title, kind or "other", shown, bool(done), r.line(m), names,
                          outcome=outcome, status=verdict)
    if names:
        r.with_nodes[milestone] = f["with"][1]
    return milestone


def _with_names(r: _Reader, node: yaml.Node, what: str) -> tuple[str, ...]:
    """`with:` is one contact's name or a list of names (`[Pieter Jansen, Anna Bakker]`)."""
    if isinstance(node, yaml.SequenceNode):
        return tuple(r.list_of(node, what, "[Pieter Jansen, Anna Bakker]", r.text))
    name = r.text(node, what)
    return (name,) if name else ()


def _seasonality(r: _Reader, node: yaml.Node, what: str) -> tuple[Decimal, ...] | None:
    items = r.sequence(node, what, "[6, 7, 9, 9, 9, 8, 5, 5, 9, 10, 11, 12]")
    if items is None:
        return None
    if len(items) != 12:
        r.report(node, "AP005", gettext(
            "{what} must have 12 weights, one per month, got {n}; e.g. "
            "[6, 7, 9, 9, 9, 8, 5, 5, 9, 10, 11, 12]", r.language, what=what, n=len(items)))
        return None
    weights = [r.amount(n, f"{what}[{i + 1}]", positive=False) for i, n in enumerate(items)]
    if any(w is None for w in weights):
        return None
    result = tuple(w for w in weights if w is not None)
    if not any(result):
        r.report(node, "AP005", gettext("{what} has only zero weights; give at least one month a "
                                        "weight", r.language, what=what))
        return None
    return result


def _check_people(r: _Reader, source: SourceFile, f: dict[str, tuple[yaml.Node, yaml.Node]],
                  contacts: list[Contact], milestones: list[Milestone], year: int | None) -> None:
    """AP301 unknown contact names, AP302 no decision maker, AP303 quarters without evaluation."""
    names = {c.name.casefold() for c in contacts}
    listed = ", ".join(c.name for c in contacts) or gettext("none", r.language)
    for c in contacts:
        if c.reports_to and c.reports_to.casefold() not in names:
            line, col = position(source, r.reports_to_nodes[c])
            r.problems.append(problem(source.path, line, col, "AP301", gettext(
                "{name} reports_to '{boss}', who is not in contacts; add {boss} to contacts or "
                "use one of: {listed}", r.language, name=c.name, boss=c.reports_to, listed=listed)))
    for ms in milestones:
        for name in ms.with_names:
            if name.casefold() not in names:
                line, col = position(source, _named_node(r.with_nodes[ms], name))
                r.problems.append(problem(source.path, line, col, "AP301", gettext(
                    "milestone '{title}' is with '{name}', who is not in contacts; add them to "
                    "contacts or use one of: {listed}", r.language, title=ms.title, name=name,
                    listed=listed)))
    if not any(c.decision_maker for c in contacts):
        node = f["contacts"][0] if "contacts" in f else None
        line, col = position(source, node) if node is not None else (source.front_line, 1)
        r.problems.append(problem(source.path, line, col, "AP302", gettext(
            "no contact is marked as decision maker; add 'decision_maker: true' to the contact "
            "who signs, or add that person to contacts", r.language)))
    if year is not None:
        quarters = {(m.date.month - 1) // 3 + 1 for m in milestones
                    if m.kind == "evaluation" and m.date.year == year}
        missing = [f"Q{q}" for q in range(1, 5) if q not in quarters]
        if missing:
            node = f["milestones"][0] if "milestones" in f else None
            line, col = position(source, node) if node is not None else (source.front_line, 1)
            r.problems.append(problem(source.path, line, col, "AP303", gettext(
                "no evaluation is planned in {quarters} {year}; add a milestone with "
                "'kind: evaluation' in each quarter", r.language, quarters=", ".join(missing),
                year=year)))


def _named_node(node: yaml.Node, name: str) -> yaml.Node:
    """The item of a `with:` list that names `name` (for its place), else the node itself."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and str(item.value).strip() == name:
                return item
    return node


def _is_empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL and not node.style


def _not_filled_in(r: _Reader, f: dict[str, tuple[yaml.Node, yaml.Node]]) -> frozenset[str]:
    """AP007 for each field of FILLED_IN_LATER written without a value (as `new` leaves
    them); those fields are then read as not given."""
    empty = frozenset(name for name in FILLED_IN_LATER if name in f and _is_empty(f[name][1]))
    for name in FILLED_IN_LATER:
        if name in empty:
            line, col = position(r.source, f[name][0])
            r.problems.append(problem(r.source.path, line, col, "AP007", gettext(
                _NOT_FILLED_IN[name], r.language, field=name)))
    return empty


_NOT_FILLED_IN = {
    "reviewed": N_("'reviewed' is not filled in yet; write the date of the last evaluation "
                   "with the customer, e.g. reviewed: 2027-01-15"),
    "market_position": N_("'market_position' is not filled in yet; write one of leader, "
                          "runner-up, challenger, niche or start-up (or marktleider, uitdager...)"),
    "organisation": N_("'organisation' is not filled in yet; write the customer's industry, "
                       "fte and website under it, one a line"),
    "contacts": N_("'contacts' is not filled in yet; list the people we deal with, each as "
                   "'- name: ...' with their role, and mark who decides"),
    "targets": N_("'targets' is not filled in yet; list what we want to sell, each as "
                  "'- product: ...' with its year1 revenue"),
    "milestones": N_("'milestones' is not filled in yet; plan at least the four quarterly "
                     "evaluations, each as '- date: ...' with a title and 'kind: evaluation'"),
}


def _check_complete(r: _Reader, source: SourceFile, f: dict[str, tuple[yaml.Node, yaml.Node]],
                    empty: frozenset[str], contacts: list[Contact], targets: list[Target],
                    milestones: list[Milestone]) -> None:
    """AP305 no targets, AP306 no contacts, AP307 a decision maker nobody plans to meet.

    A field written empty is AP007 already; these are for fields left out or empty lists.
    """
    def at(name: str) -> tuple[int, int]:
        return position(source, f[name][0]) if name in f else (source.front_line, 1)

    if "targets" not in empty and not targets and not _has_items(f, "targets"):
        r.problems.append(problem(source.path, *at("targets"), "AP305", gettext(
            "the plan has no targets; add at least one under 'targets:', e.g. "
            "'- product: Training' with 'year1: 15000'", r.language)))
    if "contacts" not in empty and not contacts and not _has_items(f, "contacts"):
        r.problems.append(problem(source.path, *at("contacts"), "AP306", gettext(
            "the plan has no contacts; add the people we deal with under 'contacts:', e.g. "
            "'- name: Pieter Jansen' with 'decision_maker: true' for who signs", r.language)))
    met = {name.casefold() for m in milestones for name in m.with_names}
    for c in contacts:
        if c.decision_maker and c.name.casefold() not in met:
            r.problems.append(problem(source.path, c.line, 1, "AP307", gettext(
                "{name} decides, but no milestone is planned with them; add a milestone with "
                "'with: {name}' (a visit, a call or an evaluation)", r.language, name=c.name)))


def _has_items(f: dict[str, tuple[yaml.Node, yaml.Node]], name: str) -> bool:
    """The field is a list with items (which may all have had errors of their own)."""
    return name in f and isinstance(f[name][1], yaml.SequenceNode) and bool(f[name][1].value)


def _check_owner(r: _Reader, node: yaml.Node, owner: str, settings: Settings) -> None:
    """AP308: with a team roster, the owner must be one of its names (case and spaces aside)."""
    names = [m.name for m in settings.team]
    if person_key(owner) in {person_key(n) for n in names}:
        return
    close = [n for n in names if same_person(owner, n)] or difflib.get_close_matches(
        owner, names, n=1, cutoff=0.6)
    if close:
        message = gettext("the owner '{owner}' is not in the team roster; did you mean {name}?",
                          r.language, owner=owner, name=close[0])
    else:
        message = gettext("the owner '{owner}' is not in the team roster; write one of: {names}, "
                          "or add them to extra.accountplans.team in mkdocs.yml",
                          r.language, owner=owner, names=", ".join(names))
    r.report(node, "AP308", message)


def person_key(name: str) -> str:
    """Names of one person compared case- and space-insensitively."""
    return " ".join(name.casefold().split())


def same_person(a: str, b: str) -> bool:
    """`M. de Groot` and `Mark de Groot`: the same surname, the first names agreeing on their
    initials (one of them written as an initial)."""
    wa, wb = person_key(a).split(), person_key(b).split()
    if len(wa) < 2 or len(wb) < 2 or wa[1:] != wb[1:] or wa[0] == wb[0]:
        return False
    first_a, first_b = wa[0].rstrip("."), wb[0].rstrip(".")
    short, long_ = sorted((first_a, first_b), key=len)
    return len(short) == 1 and long_.startswith(short)
