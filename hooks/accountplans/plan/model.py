"""The account plan: what a plan file says once it has been read and checked.

Values that failed their check are left at None (or empty), so a plan with errors can still
be shown under `mkdocs serve`; `Plan.problems` says what is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from accountplans.plan.problems import Problem

STATUSES = ("active", "draft", "archived")
MARKET_POSITIONS = ("leader", "runner-up", "challenger", "niche", "start-up")
INFLUENCE = ("low", "medium", "high")
ATTITUDES = ("champion", "supporter", "neutral", "critic")
MILESTONE_KINDS = ("contact", "visit", "evaluation", "deal", "training", "other")
#: What a quarterly evaluation concluded (a milestone's `status:`, only for `kind: evaluation`).
EVALUATION_STATUSES = ("on-track", "at-risk", "off-track")

#: Dutch words accepted as input for an enumeration value, besides the word the site shows
#: in Dutch (which is always accepted, see schema.py): the usual synonyms of sales practice.
DUTCH_SYNONYMS: dict[str, str] = {
    "marktleider": "leader",
    "volger": "runner-up",
    "tweede": "runner-up",
    "uitdager": "challenger",
    "niche": "niche",
    "nichespeler": "niche",
    "nicheleverancier": "niche",
    "starter": "start-up",
    "afsluiting": "deal",
    "opleiding": "training",
    "anders": "other",
    "overig": "other",
    "bezoek": "visit",
    "evaluatie": "evaluation",
    "laag": "low",
    "gemiddeld": "medium",
    "middel": "medium",
    "hoog": "high",
    "pleitbezorger": "champion",
    "ambassadeur": "champion",
    "voorstander": "supporter",
    "neutraal": "neutral",
    "criticus": "critic",
    "tegenstander": "critic",
    "actief": "active",
    "concept": "draft",
    "gearchiveerd": "archived",
}


@dataclass(frozen=True, slots=True)
class Organisation:
    industry: str | None = None
    fte: int | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    role: str | None = None
    decision_maker: bool = False
    influence: str | None = None
    attitude: str | None = None
    reports_to: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Target:
    product: str
    year1: Decimal
    year3: Decimal | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Milestone:
    date: dt.date
    title: str
    kind: str = "other"
    with_: str | None = None
    """The contacts the milestone is with, as shown: one name, or the names joined by ", "."""
    done: bool = False
    line: int = 0
    with_names: tuple[str, ...] = ()
    """Each contact named in `with:` (one name or a list), checked against contacts."""
    outcome: str | None = None
    """What an evaluation found (`outcome:`), in the author's words."""
    status: str | None = None
    """An evaluation's verdict (`status:`): on-track, at-risk or off-track."""


@dataclass(frozen=True, slots=True)
class Section:
    """A level-2 heading of the body that is one of the plan's parts."""

    id: str
    title: str
    line: int
    has_content: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """One account plan. `path` is as given (e.g. `plans/van-dijk.md`)."""

    path: str
    account: str
    owner: str | None = None
    year: int | None = None
    reviewed: dt.date | None = None
    status: str = "active"
    language: str = "en"
    currency: str = "EUR"
    organisation: Organisation = field(default_factory=Organisation)
    market_position: str | None = None
    contacts: tuple[Contact, ...] = ()
    targets: tuple[Target, ...] = ()
    seasonality: tuple[Decimal, ...] | None = None
    visits_per_year: int | None = None
    milestones: tuple[Milestone, ...] = ()
    tags: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    """File line of each top-level field, e.g. {"account": 2}."""
    problems: tuple[Problem, ...] = ()

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def is_archived(self) -> bool:
        return self.status == "archived"

    @property
    def year1_total(self) -> Decimal:
        return sum((t.year1 for t in self.targets), Decimal(0))

    @property
    def year3_total(self) -> Decimal | None:
        if not self.targets or any(t.year3 is None for t in self.targets):
            return None
        return sum((t.year3 for t in self.targets if t.year3 is not None), Decimal(0))

    @property
    def decision_makers(self) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.decision_maker)
