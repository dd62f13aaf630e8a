"""The team's settings: `extra.accountplans` in mkdocs.yml, with the defaults of DESIGN.md."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class SectionSpec:
    """One of the plan's parts: its id, the titles it may have, whether it is required."""

    id: str
    titles: tuple[str, ...]
    required: bool = True

    def matches(self, title: str) -> bool:
        wanted = normalise_title(title)
        return any(normalise_title(t) == wanted for t in self.titles)


@functools.lru_cache(maxsize=4096)
def normalise_title(title: str) -> str:
    """Compare headings case-insensitively, ignoring trailing '#'s, ':', bold and spacing.

    Cached: every heading of every plan is compared with every section's titles.
    """
    title = " ".join(title.split())  # first: the patterns below then never backtrack over spaces
    closing = title.rstrip("#")
    if closing != title and closing.endswith(" "):  # "Timeline ##"
        title = closing.rstrip()
    title = re.sub(r"^([*_]{1,3})([^*_]+)\1$", r"\2", title.rstrip(":").rstrip())  # **Organisation**
    return title.rstrip(":").strip().casefold()


#: The six parts, in the template's order; English title first, then the Dutch ones.
DEFAULT_SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("organisation", ("Organisation", "Organisatie", "Praktische gegevens")),
    SectionSpec("market", ("Market position", "Marktpositie")),
    SectionSpec(
        "customer-goals", ("Customer goals", "Doelen van de klant", "Doelen van de organisatie")
    ),
    SectionSpec("swot", ("SWOT", "SWOT-analyse"), required=False),
    SectionSpec(
        "our-goals",
        ("Our goals", "Onze doelen", "Doelstellingen", "Doelstellingen van de verkoper"),
    ),
    SectionSpec("timeline", ("Timeline", "Tijdsplanning", "Tijdsdoelstellingen")),
)

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class TeamMember:
    """One person of `extra.accountplans.team`: the name plans write as `owner:`."""

    name: str
    email: str | None = None


@dataclass(frozen=True)
class Settings:
    """What a team sets under `extra.accountplans` in mkdocs.yml."""

    language: str = "en"
    """Default plan language (`nl` or `en`) for plans that do not set `language:`."""
    currency: str = "EUR"
    """Default ISO 4217 currency for plans that do not set `currency:`."""
    closed_weeks: tuple[int, ...] = ()
    """ISO week numbers in which nobody sells (e.g. Christmas): left out of week targets."""
    max_pages: int = 2
    """A plan must print on at most this many A4 pages (AP201)."""
    review_days: int = 92
    """A plan whose `reviewed` date is older than this is shown as overdue for review."""
    sections: tuple[SectionSpec, ...] = field(default=DEFAULT_SECTIONS)
    """The plan's parts, in the template's order."""
    team: tuple[TeamMember, ...] = ()
    """The team's roster (optional): owners are checked against it (AP308) and each member
    has one owner page, however a plan spells the name's case and spacing."""
    week_split: str = "seasonal"
    """How a year target becomes week targets: `seasonal` (each month's target over its
    selling days, see breakdown.py) or `flat` (the year divided by the selling weeks)."""

    def section_for(self, title: str) -> SectionSpec | None:
        for spec in self.sections:
            if spec.matches(title):
                return spec
        return None


class SettingsError(ValueError):
    """`extra.accountplans` in mkdocs.yml has a value we cannot use."""


def settings_from_mapping(raw: Mapping[str, Any] | None) -> Settings:
    """Read `extra.accountplans`; unknown keys and wrong types are a `SettingsError`."""
    if not raw:
        return Settings()
    if not isinstance(raw, Mapping):
        raise SettingsError("extra.accountplans must be a mapping")
    known = {"language", "currency", "closed_weeks", "max_pages", "review_days", "sections",
             "week_split", "team"}
    unknown = sorted(set(map(str, raw)) - known)
    if unknown:
        raise SettingsError(
            f"extra.accountplans has unknown keys {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    kwargs: dict[str, Any] = {}
    if "language" in raw:
        if raw["language"] not in LANGUAGES:
            raise SettingsError("extra.accountplans.language must be nl or en")
        kwargs["language"] = raw["language"]
    if "currency" in raw:
        cur = raw["currency"]
        if not (isinstance(cur, str) and re.fullmatch(r"[A-Z]{3}", cur)):
            raise SettingsError("extra.accountplans.currency must be an ISO 4217 code like EUR")
        kwargs["currency"] = cur
    if "closed_weeks" in raw:
        weeks = raw["closed_weeks"] or []
        if not isinstance(weeks, list) or not all(
            isinstance(w, int) and not isinstance(w, bool) and 1 <= w <= 53 for w in weeks
        ):
            raise SettingsError("extra.accountplans.closed_weeks must be a list of ISO weeks 1-53")
        kwargs["closed_weeks"] = tuple(sorted(set(weeks)))
    for key in ("max_pages", "review_days"):
        if key in raw:
            value = raw[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise SettingsError(f"extra.accountplans.{key} must be a positive whole number")
            kwargs[key] = value
    if "sections" in raw:
        kwargs["sections"] = _sections(raw["sections"])
    if "team" in raw:
        kwargs["team"] = _team(raw["team"])
    if "week_split" in raw:
        if raw["week_split"] not in ("seasonal", "flat"):
            raise SettingsError("extra.accountplans.week_split must be seasonal or flat")
        kwargs["week_split"] = raw["week_split"]
    return Settings(**kwargs)


def _team(raw: Any) -> tuple[TeamMember, ...]:
    """`team:` is a list of names, or of `{name: ..., email: ...}`."""
    if not isinstance(raw, list):
        raise SettingsError("extra.accountplans.team must be a list of names (or of name and email)")
    members = []
    for item in raw:
        if isinstance(item, str) and item.strip():
            members.append(TeamMember(" ".join(item.split())))
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str) and item["name"].strip() \
                and set(map(str, item)) <= {"name", "email"} \
                and (item.get("email") is None or isinstance(item.get("email"), str)):
            members.append(TeamMember(" ".join(item["name"].split()), item.get("email")))
        else:
            raise SettingsError(f"extra.accountplans.team: {item!r} is not a name, nor a name and "
                                "an email ({name: ..., email: ...})")
    return tuple(members)


def _sections(raw: Any) -> tuple[SectionSpec, ...]:
    if not isinstance(raw, list) or not raw:
        raise SettingsError("extra.accountplans.sections must be a non-empty list")
    specs = []
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
            raise SettingsError("each of extra.accountplans.sections needs an id")
        titles = item.get("titles")
        if not isinstance(titles, list) or not titles or not all(isinstance(t, str) for t in titles):
            raise SettingsError(f"section {item['id']} needs a list of titles")
        specs.append(SectionSpec(item["id"], tuple(titles), bool(item.get("required", True))))
    return tuple(specs)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its `!!python/name:` or `!ENV` tags."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_ConfigLoader.add_multi_constructor("", _ignore_tag)


@dataclass(frozen=True)
class Project:
    """What the command line needs from mkdocs.yml: where plans live, and the settings."""

    root: Path
    docs_dir: Path
    settings: Settings


def load_project(config_file: Path) -> Project:
    """Read mkdocs.yml (docs_dir and extra.accountplans) without MkDocs."""
    with config_file.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_ConfigLoader) or {}  # noqa: S506 - safe loader subclass
    root = config_file.parent
    docs_dir = root / str(data.get("docs_dir", "docs"))
    extra = data.get("extra") or {}
    return Project(root, docs_dir, settings_from_mapping(extra.get("accountplans")))
