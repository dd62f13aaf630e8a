"""The plan's front-matter checked against the field table (accountplans.plan.fields), on composed
YAML nodes so every problem has a place. Each field is read by its kind (`_value`); a block's
values become the model's object through its maker (`_MAKERS`).

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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import yaml
from yaml.constructor import SafeConstructor

from accountplans.i18n import gettext
from accountplans.names import name_key, same_person
from accountplans.plan.fields import CONTACTS, MILESTONES, ORGANISATION, PLAN, PLAN_FIELDS, TARGETS, Field
from accountplans.plan.frontmatter import SourceFile, position
from accountplans.plan.model import DUTCH_SYNONYMS, Contact, Milestone, Organisation, Plan, Target
from accountplans.plan.problems import Problem, problem
from accountplans.settings import Settings

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
_MERGE = "tag:yaml.org,2002:merge"
_MAX_AMOUNT = Decimal("1e15")
_SCALAR = yaml.ScalarNode

# The field names of each block, from the field table (fields.py).
TOP_FIELDS = PLAN.names
REQUIRED = PLAN.required_names
ORGANISATION_FIELDS = ORGANISATION.names
CONTACT_FIELDS = CONTACTS.names
TARGET_FIELDS = TARGETS.names
MILESTONE_FIELDS = MILESTONES.names
#: Fields `accountplans new` leaves empty for the author: written without a value, they are
#: "not filled in yet" (AP007), an error in an active plan and a warning in a draft.
FILLED_IN_LATER = tuple(f.name for f in PLAN_FIELDS if f.left_empty)


class _Reader:
    """Reads values out of nodes, collecting problems with their place."""

    def __init__(self, source: SourceFile, language: str = "en") -> None:
        self.source = source
        self.language = language
        """The language of the messages: the site's (`extra.accountplans.language`)."""
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()
        # Where each contact's reports_to and each milestone's `with` was written (AP301), by
        # the object's id (hashing a contact or milestone hashes every field).
        self.reports_to_nodes: dict[int, yaml.Node] = {}
        self.with_nodes: dict[int, yaml.Node] = {}

    def report(self, node: yaml.Node, code: str, message: str) -> None:
        line, col = position(self.source, node)
        self.problems.append(problem(self.source.path, line, col, code, message))

    def line(self, node: yaml.Node) -> int:
        """The file line of `node` (what `position` says, without the column)."""
        return self.source.front_line + node.start_mark.line

    # --- mappings -----------------------------------------------------------------------
    def fields(
        self, node: yaml.MappingNode, block: Field, where: str
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """The mapping's fields by name; AP006 for unknown ones (with a suggestion)."""
        known_names = _SHAPES[block.name].known
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in node.value:
            if key.__class__ is _SCALAR and key.value in known_names and key.tag != _MERGE:
                if key.value not in out:  # the duplicate itself is AP003
                    out[key.value] = (key, value)
                continue
            known = _SHAPES[block.name].names
            if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE:
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

    def require(self, fields: dict[str, Any], parent: yaml.Node, block: Field, where: str) -> None:
        """AP004 for each required field of `block` that `fields` lacks, with the line to add."""
        for part in _SHAPES[block.name].required:
            if part.name not in fields:
                how = gettext(part.example, self.language) if part.example else f"{part.name}: ..."
                self.report(parent, "AP004", gettext(
                    "required field '{field}' is missing; add a line '{line}'", self.language,
                    field=_prefix(where) + part.name, line=how))

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
        if node.__class__ is _SCALAR and node.tag == _STR:  # most text: nothing to report
            value = node.value.strip()
            if value:
                # Plans repeat owners, roles, products, tags and titles, and name a contact
                # again in `with` and `reports_to`: one string each, not one per mention, for
                # the whole build.
                return sys.intern(value)
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
        value = str(node.value).strip()
        if not value and not allow_empty:
            self.report(node, "AP005", gettext("{what} is empty; fill it in or remove the line",
                                               self.language, what=what))
            return None
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
        if (raw and isinstance(node, yaml.ScalarNode) and not node.style and len(raw) <= 15
                and raw.isdigit() and raw.isascii() and (raw[0] != "0" or (raw == "0" and not positive))):
            # Whole units without a leading zero (or 0 where it may be), below the limit: what
            # most amounts are, read as the checks below would read them.
            return _decimal(raw)
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
            if value is not None and value > _MAX_AMOUNT:
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
    # Imported here: fmt brings Babel, which `check` needs only for a value written in Dutch.
    from accountplans import fmt

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
    f = r.fields(root, PLAN, "")
    empty = _not_filled_in(r, f)
    r.require(f, root, PLAN, "")
    # Interned, the names are the constants of TOP_FIELDS: a plan keeps no key of its file.
    lines = {sys.intern(name): r.line(key) for name, (key, _) in f.items()}
    # Each field given and filled in, read as its kind says, in the table's order.
    v = _read_fields(r, _SHAPES[""], f, "", empty)

    account = v.get("account") or ""
    owner = v.get("owner")
    if owner and settings.team and "owner" in f:
        _check_owner(r, f["owner"][1], owner, settings)
    year = v.get("year")
    contacts = v.get("contacts") or []
    milestones = v.get("milestones") or []
    targets = v.get("targets") or []
    _check_people(r, source, f, contacts, milestones, year)
    _check_complete(r, source, f, empty, contacts, targets, milestones)
    return Plan(
        path=source.path, account=account, owner=owner, year=year, reviewed=v.get("reviewed"),
        status=v.get("status") or "active", language=v.get("language") or settings.language,
        currency=v.get("currency") or settings.currency,
        organisation=v.get("organisation") or Organisation(),
        market_position=v.get("market_position"), contacts=tuple(contacts),
        targets=tuple(targets), seasonality=v.get("seasonality"),
        visits_per_year=v.get("visits_per_year"),
        milestones=tuple(sorted(milestones, key=lambda m: (m.date, m.line))),
        tags=tuple(v.get("tags") or []), lines=lines, problems=tuple(r.problems),
    )


def _value(r: _Reader, field: Field, node: yaml.Node, what: str) -> Any:
    """The value of `node` read as `field`'s kind (None, with a problem, when it is wrong)."""
    return _READERS[field.kind](r, field, node, what)


def _blocks(r: _Reader, field: Field, node: yaml.Node, what: str) -> list[Any]:
    return r.list_of(node, what, field.example, lambda item, at: _block(r, field, item, at))


def _read_text(r: _Reader, field: Field, node: yaml.Node, what: str) -> str | None:
    return r.text(node, what)


def _read_date(r: _Reader, field: Field, node: yaml.Node, what: str) -> dt.date | None:
    return r.date(node, what)


def _read_flag(r: _Reader, field: Field, node: yaml.Node, what: str) -> bool | None:
    return r.flag(node, what)


@functools.lru_cache(maxsize=4096)
def _plain_date(raw: str) -> dt.date | None:
    """The date `raw` is when _Reader.date reads it without a report, else None (plans
    repeat their dates: read once each)."""
    m = _ISO_DATE.fullmatch(raw)
    if m is None or not 2000 <= int(m[1]) <= 2100:
        return None
    try:
        return _date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


#: How each kind of field is read: (reader, field, node, what) -> the value or None.
_READERS: dict[str, Callable[[_Reader, Field, yaml.Node, str], Any]] = {
    "text": _read_text,
    "whole": lambda r, field, node, what: r.whole(node, what, low=field.low, high=field.high),
    "amount": lambda r, field, node, what: r.amount(node, what, positive=not field.zero_allowed),
    "date": _read_date,
    "flag": _read_flag,
    "choice": lambda r, field, node, what: r.choice(node, what, field.values),
    "currency": lambda r, field, node, what: _currency(r, node, what),
    "website": lambda r, field, node, what: _website(r, node, what),
    "weights": lambda r, field, node, what: _seasonality(r, node, what),
    "names": lambda r, field, node, what: _with_names(r, node, what),
    "texts": lambda r, field, node, what: r.list_of(node, what, field.example, r.text),
    "block": lambda r, field, node, what: _block(r, field, node, what),
    "blocks": _blocks,
}


@dataclass(frozen=True)
class _Shape:
    """A block of the field table as the reader uses it, made once."""

    names: tuple[str, ...]
    """Its fields' names, in the table's order (for the messages)."""
    known: frozenset[str]
    required: tuple[Field, ...]
    parts: tuple[tuple[str, Field, Callable[[_Reader, Field, yaml.Node, str], Any],
                       dict[str, str] | None], ...]
    """Each field's name, its declaration, how it is read, and for a choice its values (each
    by itself), in the table's order."""
    only_for: tuple[tuple[Field, str, str], ...]
    """Each field only an evaluation may have: (field, sibling's name, the value it needs)."""

    @classmethod
    def of(cls, block: Field) -> _Shape:
        return cls(block.names, frozenset(block.names),
                   tuple(part for part in block.parts if part.required),
                   tuple((part.name, part, _READERS[part.kind],
                          {value: value for value in part.values} if part.kind == "choice" else None)
                         for part in block.parts),
                   tuple((part, *_sibling_value(part.only_for)) for part in block.parts
                         if part.only_for))


def _sibling_value(only_for: str) -> tuple[str, str]:
    """`kind=evaluation` -> ("kind", "evaluation")."""
    name, wanted = only_for.split("=")
    return name, wanted


#: The shape of the plan (under "") and of each of its blocks, by name.
_SHAPES = {block.name: _Shape.of(block) for block in (PLAN, ORGANISATION, CONTACTS, TARGETS, MILESTONES)}


def _block(r: _Reader, field: Field, node: yaml.Node, what: str) -> Any:
    """A block of `field.parts` (organisation, one contact, target or milestone), its fields
    read in the table's order and made into the model's object by its maker."""
    m = r.mapping(node, what)
    if m is None:
        return None
    shape = _SHAPES[field.name]
    f = r.fields(m, field, what)
    r.require(f, m, field, what)
    values = _read_fields(r, shape, f, what)
    for part, name, wanted in shape.only_for:
        if part.name in f and values.get(name, _DEFAULTS.get(name)) != wanted:
            where = f"{what}.{part.name}"
            r.report(f[part.name][0], "AP005", gettext(
                "{what} is only recorded on an evaluation; set 'kind: evaluation' or remove the "
                "line", r.language, what=where))
    return _MAKERS[field.name](r, m, f, values)


def _read_fields(r: _Reader, shape: _Shape, f: dict[str, tuple[yaml.Node, yaml.Node]], what: str,
                 skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The values of the fields `f` of a block (`what`, "" for the plan), each read as its
    kind, but those in `skip`.

    Text and choices, most of a plan's values, are read here when they need no report (what
    `_Reader.text` and `_Reader.choice` would answer, without the calls); everything else, and
    anything those would report, by the field's reader.
    """
    values: dict[str, Any] = {}
    for name, part, read, choices in shape.parts:
        entry = f.get(name)
        if entry is None or name in skip:
            continue
        node = entry[1]
        if node.__class__ is _SCALAR:
            if choices is not None:
                value = choices.get(node.value.strip().lower())
                if value is not None:
                    values[name] = value
                    continue
            elif read is _read_text and node.tag == _STR:
                text = node.value.strip()
                if text:
                    values[name] = sys.intern(text)  # as _Reader.text does
                    continue
            elif read is _read_date:
                when = _plain_date(node.value.strip())
                if when is not None:
                    values[name] = when
                    continue
            elif read is _read_flag and node.tag == _BOOL:
                values[name] = SafeConstructor.bool_values[node.value.lower()]  # as flag() does
                continue
        values[name] = read(r, part, node, f"{what}.{name}" if what else name)
    return values


#: What a block's field is when it is left out, where the model does not say None.
_DEFAULTS = {"kind": "other"}


def _currency(r: _Reader, node: yaml.Node, what: str) -> str | None:
    value = r.text(node, what)
    if value is None:
        return None
    if _CURRENCY.fullmatch(value.upper()):
        return value.upper()
    r.report(node, "AP005", gettext("{what} must be a three-letter ISO 4217 code, got '{value}'; "
                                    "write e.g. EUR or USD", r.language, what=what, value=value))
    return None


def _website(r: _Reader, node: yaml.Node, what: str) -> str | None:
    website = r.text(node, what)
    if website and not re.match(r"https?://[^\s/]+", website):
        r.report(node, "AP005", gettext(
            "{what} must be a web address, got '{value}'; write it with https:// in front, "
            "e.g. https://example.com", r.language, what=what, value=website))
        return None
    return website


# --- the makers: a block's values (by field name, as read) -> the model's object ----------
# Each takes the reader, the block's node, its fields (key and value nodes by name) and the
# values read; a field left out is not in `values`.

_Fields = dict[str, tuple[yaml.Node, yaml.Node]]


def _organisation(r: _Reader, m: yaml.MappingNode, f: _Fields, v: dict[str, Any]) -> Organisation:
    return Organisation(v.get("industry"), v.get("fte"), v.get("website"))


def _contact(r: _Reader, m: yaml.MappingNode, f: _Fields, v: dict[str, Any]) -> Contact | None:
    name, reports_to = v.get("name"), v.get("reports_to")
    if name is None:
        return None
    contact = Contact(name, v.get("role"), bool(v.get("decision_maker")), v.get("influence"),
                      v.get("attitude"), reports_to, r.line(m))
    if reports_to:
        r.reports_to_nodes[id(contact)] = f["reports_to"][1]
    return contact


def _target(r: _Reader, m: yaml.MappingNode, f: _Fields, v: dict[str, Any]) -> Target | None:
    product, year1 = v.get("product"), v.get("year1")
    if product is None or year1 is None:
        return None
    return Target(product, year1, v.get("year3"), r.line(m))


def _milestone(r: _Reader, m: yaml.MappingNode, f: _Fields, v: dict[str, Any]) -> Milestone | None:
    when, title = v.get("date"), v.get("title")
    if when is None or title is None:
        return None
    names: tuple[str, ...] = v.get("with", ())
    shown = ", ".join(names) if names else None
    milestone = Milestone(when, title, v.get("kind") or "other", shown, bool(v.get("done")),
                          r.line(m), names, outcome=v.get("outcome"), status=v.get("status"))
    if names:
        r.with_nodes[id(milestone)] = f["with"][1]
    return milestone


_MAKERS: dict[str, Callable[[_Reader, yaml.MappingNode, _Fields, dict[str, Any]], Any]] = {
    "organisation": _organisation,
    "contacts": _contact,
    "targets": _target,
    "milestones": _milestone,
}


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
    names = {name_key(c.name) for c in contacts}
    listed = ", ".join(c.name for c in contacts) or gettext("none", r.language)
    for c in contacts:
        if c.reports_to and name_key(c.reports_to) not in names:
            line, col = position(source, r.reports_to_nodes[id(c)])
            r.problems.append(problem(source.path, line, col, "AP301", gettext(
                "{name} reports_to '{boss}', who is not in contacts; add {boss} to contacts or "
                "use one of: {listed}", r.language, name=c.name, boss=c.reports_to, listed=listed)))
    for ms in milestones:
        for name in ms.with_names:
            if name_key(name) not in names:
                line, col = position(source, _named_node(r.with_nodes[id(ms)], name))
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


#: The AP007 sentence of each field `new` leaves empty (from the field table).
_NOT_FILLED_IN = {f.name: f.not_filled_in for f in PLAN_FIELDS if f.left_empty}


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
    met = {name_key(name) for m in milestones for name in m.with_names}
    for c in contacts:
        if c.decision_maker and name_key(c.name) not in met:
            r.problems.append(problem(source.path, c.line, 1, "AP307", gettext(
                "{name} decides, but no milestone is planned with them; add a milestone with "
                "'with: {name}' (a visit, a call or an evaluation)", r.language, name=c.name)))


def _has_items(f: dict[str, tuple[yaml.Node, yaml.Node]], name: str) -> bool:
    """The field is a list with items (which may all have had errors of their own)."""
    return name in f and isinstance(f[name][1], yaml.SequenceNode) and bool(f[name][1].value)


def _check_owner(r: _Reader, node: yaml.Node, owner: str, settings: Settings) -> None:
    """AP308: with a team roster, the owner must be one of its names (case and spaces aside)."""
    names = [m.name for m in settings.team]
    if name_key(owner) in {name_key(n) for n in names}:
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
