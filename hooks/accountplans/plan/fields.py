"""The plan's front-matter fields: one declaration each, the one source of what a plan holds.

From this table come the reader's checks (schema.py: known and required fields, how each
value is read, the example line of AP004, the "not filled in yet" sentence of AP007), the
front-matter JSON Schema for editors (fieldschema.py), the fields plans.json repeats and
their part of its JSON Schema (exports/downloads.py: a field named in RECORD_KEYS is exported
by its kind), what `accountplans new` writes
(newplan.py) and the README's field table. Adding a field: one entry here, its attribute in
model.py, and, if its kind is new, one reading function in schema.py.

Help texts are English message ids, shown in the page's or the editor's language through
the catalogs (i18n.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from accountplans.i18n import N_
from accountplans.plan.model import (
    ATTITUDES,
    EVALUATION_STATUSES,
    INFLUENCE,
    MARKET_POSITIONS,
    MILESTONE_KINDS,
    STATUSES,
)
from accountplans.settings import LANGUAGES

Kind = Literal[
    "text",      # one line of text (names in quotes when YAML would read them otherwise)
    "whole",     # a whole number between low and high
    "amount",    # money: digits with at most two decimals, read as Decimal
    "date",      # YYYY-MM-DD
    "flag",      # true or false
    "choice",    # one of `values` (or a Dutch word for one, see schema.dutch_aliases)
    "currency",  # an ISO 4217 code
    "website",   # an http(s) address
    "weights",   # twelve monthly weights
    "names",     # one contact's name, or a list of names
    "texts",     # a list of words
    "block",     # a block of `parts`
    "blocks",    # a list of blocks of `parts`
]


@dataclass(frozen=True)
class Field:
    """One front-matter field (or a field of a block under one)."""

    name: str
    kind: Kind
    help: str
    """What to write, as a phrase (README, JSON Schema description); a message id."""
    required: bool = False
    values: tuple[str, ...] = ()
    """The allowed values of a choice."""
    low: int = 0
    high: int = 0
    """The range of a whole number."""
    zero_allowed: bool = False
    """An amount may be 0 (else it must be positive)."""
    parts: tuple[Field, ...] = ()
    """The fields of a block (kind block or blocks)."""
    example: str = ""
    """A line that writes the field: the AP004 message's hint and the JSON Schema's example;
    a message id when it holds words to translate (see how_to_add)."""
    left_empty: str = ""
    """When set, `new` writes the field without a value and this comment beside it (a message
    id); the reader then says `not_filled_in` (AP007)."""
    not_filled_in: str = ""
    """The AP007 sentence for the field written without a value (a message id)."""
    only_for: str = ""
    """`name=value` of a sibling field without which this one is refused (AP005)."""

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the block's fields, in the table's order."""
        return tuple(part.name for part in self.parts)

    @property
    def required_names(self) -> tuple[str, ...]:
        return tuple(part.name for part in self.parts if part.required)


ORGANISATION = Field("organisation", "block", N_("who the customer is"), parts=(
    Field("industry", "text", N_("the customer's industry")),
    Field("fte", "whole", N_("how many people work there (full-time equivalents), a whole number"),
          low=1, high=10_000_000),
    Field("website", "website", N_("the customer's website, with https:// in front")),
), left_empty=N_("not filled in yet: industry, fte and website, one a line below"),
    not_filled_in=N_("'organisation' is not filled in yet; write the customer's industry, fte "
                     "and website under it, one a line"))

CONTACTS = Field("contacts", "blocks", N_("the people we deal with at the customer"), parts=(
    Field("name", "text", N_("the contact's full name"), required=True,
          example=N_("name: <the contact's full name>")),
    Field("role", "text", N_("their job title")),
    Field("decision_maker", "flag", N_("true for who decides or signs")),
    Field("influence", "choice", N_("how much say they have"), values=INFLUENCE),
    Field("attitude", "choice", N_("how they see us"), values=ATTITUDES),
    Field("reports_to", "text", N_("the contact they report to (listed in contacts too)")),
), example="- name: Pieter Jansen",
    left_empty=N_("not filled in yet: a list of '- name: ...' with role and decision_maker"),
    not_filled_in=N_("'contacts' is not filled in yet; list the people we deal with, each as "
                     "'- name: ...' with their role, and mark who decides"))

TARGETS = Field("targets", "blocks", N_("what we want to sell, per product"), parts=(
    Field("product", "text", N_("the product or service"), required=True,
          example=N_("product: <name of the product or service>")),
    Field("year1", "amount", N_("revenue in the plan year: digits only (120000, not 120.000)"),
          required=True, example="year1: 120000"),
    Field("year3", "amount", N_("revenue in the third year"), zero_allowed=True),
), example="- product: Training",
    left_empty=N_("not filled in yet: a list of '- product: ...' with year1 and year3"),
    not_filled_in=N_("'targets' is not filled in yet; list what we want to sell, each as "
                     "'- product: ...' with its year1 revenue"))

MILESTONES = Field("milestones", "blocks", N_("what must happen when; one evaluation in each "
                                              "quarter of the plan year"), parts=(
    Field("date", "date", N_("when, as YYYY-MM-DD"), required=True, example="date: 2027-01-15"),
    Field("title", "text", N_("what happens"), required=True, example=N_("title: <what happens>")),
    Field("kind", "choice", N_("what kind of milestone (default other)"), values=MILESTONE_KINDS),
    Field("with", "names", N_("one listed contact, or a list of them")),
    Field("done", "flag", N_("true once it has happened")),
    Field("outcome", "text", N_("what an evaluation found"), only_for="kind=evaluation"),
    Field("status", "choice", N_("an evaluation's verdict"), values=EVALUATION_STATUSES,
          only_for="kind=evaluation"),
), example="- date: 2027-01-15",
    left_empty=N_("not filled in yet: a list of '- date: ...' with title and kind"),
    not_filled_in=N_("'milestones' is not filled in yet; plan at least the four quarterly "
                     "evaluations, each as '- date: ...' with a title and 'kind: evaluation'"))

#: Every top-level field of a plan's front-matter, in the order the reader reads them.
PLAN_FIELDS: tuple[Field, ...] = (
    Field("account", "text", N_("the customer's full name; unique across plans; a page with "
                                "`account:` is a plan"), required=True,
          example="account: Bakkerij Van Dijk B.V."),
    Field("owner", "text", N_("the account manager"), required=True,
          example=N_("owner: <the account manager's name>")),
    Field("year", "whole", N_("the plan year"), required=True, low=2000, high=2100,
          example="year: 2027"),
    Field("reviewed", "date", N_("the date of the last evaluation with the customer"),
          required=True, example="reviewed: 2026-11-02",
          left_empty=N_("not filled in yet: the date of the last evaluation, e.g. 2027-01-15"),
          not_filled_in=N_("'reviewed' is not filled in yet; write the date of the last "
                           "evaluation with the customer, e.g. reviewed: 2027-01-15")),
    Field("status", "choice", N_("active (the default), draft (not published) or archived "
                                 "(counted in no total)"), values=STATUSES),
    Field("language", "choice", N_("the plan's language; default in mkdocs.yml"),
          values=LANGUAGES),
    Field("currency", "currency", N_("an ISO 4217 code; default in mkdocs.yml")),
    ORGANISATION,
    Field("market_position", "choice", N_("the customer's place in its market"),
          values=MARKET_POSITIONS,
          left_empty=N_("not filled in yet: leader, runner-up, challenger, niche or start-up"),
          not_filled_in=N_("'market_position' is not filled in yet; write one of leader, "
                           "runner-up, challenger, niche or start-up (or marktleider, "
                           "uitdager...)")),
    CONTACTS,
    TARGETS,
    Field("seasonality", "weights", N_("twelve monthly weights that spread the targets over "
                                       "the months (default: evenly)")),
    Field("visits_per_year", "whole", N_("how often the account is visited"), low=0, high=365),
    MILESTONES,
    Field("tags", "texts", N_("a list of words, shown as the page's tags"),
          example="[retail, tier-a]"),
)

#: The whole front-matter as one block (the root the reader starts from).
PLAN = Field("", "block", N_("an account plan"), parts=PLAN_FIELDS)


def field(path: str) -> Field:
    """The field at `path`, e.g. `milestones.kind` (KeyError when there is none)."""
    found = PLAN
    for name in path.split("."):
        found = {part.name: part for part in found.parts}[name]
    return found
