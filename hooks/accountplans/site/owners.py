"""Owners: one generated page per account manager, and the navigation grouped by owner.

Nobody keeps a list of owners: the pages come from the plans' `owner:` fields at every
build. Material renders the whole navigation into every page, so a flat list of a thousand
plans makes a build quadratic; grouping the plans per owner (and an owner's plans in
alphabetical chunks when there are many, and the owners in alphabetical sections when there
are more than 20) keeps each page's navigation small once `navigation.prune` shows only the
open section.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from accountplans.compute.actuals import Actuals
from accountplans.compute.figures import Entry, active, owner_name
from accountplans.i18n import N_, gettext, ngettext
from accountplans.site.links import relative_href
from accountplans.site.markup import Html, escape
from accountplans.compute.memo import by_identity
from accountplans.plan.model import Plan
from accountplans.names import name_key, slugify
from accountplans.site.portfolio import Portfolio
from accountplans.settings import Settings, TeamMember

OWNERS_DIR = "owners"
#: At most this many plans in one navigation section; more are split into chunks.
NAV_CHUNK = 40
#: With more owners than this, the owners' sections are grouped in alphabetical sections.
OWNER_SECTIONS = 20


@dataclass(frozen=True)
class Owner:
    name: str
    slug: str
    entries: tuple[Entry, ...]

    @property
    def page_uri(self) -> str:
        return f"{OWNERS_DIR}/{self.slug}/index.md"

    @property
    def calendar_uri(self) -> str:
        return f"{OWNERS_DIR}/{self.slug}/calendar.ics"


def group_owners(found: Sequence[Entry], team: Sequence[TeamMember] = ()) -> list[Owner]:
    """Plans grouped by owner (names compared case- and space-insensitively), by name.

    With a team roster (`extra.accountplans.team`) an owner who is on it is shown with the
    roster's spelling, so each person has one page.

    Two owners whose names give the same slug (e.g. `Anne-Marie` and `Anne Marie`) get a
    short hash of their name appended, so each keeps a page of their own.
    """
    groups: dict[str, list[Entry]] = {}
    names: dict[str, str] = {name_key(m.name): m.name for m in team}
    for entry in found:
        name = owner_name(entry.plan)
        key = name_key(name)
        names.setdefault(key, name)
        groups.setdefault(key, []).append(entry)
    slugs: dict[str, list[str]] = {}
    for key in sorted(groups):
        slugs.setdefault(slugify(names[key]), []).append(key)
    owners = []
    for slug, keys in slugs.items():
        for key in keys:
            unique = slug if len(keys) == 1 else f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:6]}"
            owners.append(Owner(names[key], unique, tuple(groups[key])))
    return sorted(owners, key=lambda o: name_key(o.name))


def owner_pages(owners: Sequence[Owner]) -> Callable[[str], str]:
    """owner name -> the src_uri of the owner's page, for links from other pages."""
    pages = {name_key(o.name): o.page_uri for o in owners}

    def page_of(name: str) -> str:
        return pages.get(name_key(name), "index.md")
    return page_of


def owner_page_markdown(owner: Owner, settings: Settings, today: dt.date, *,
                        owners: Sequence[Owner], actuals: Actuals | None = None,
                        use_directory_urls: bool = True) -> str:
    """The owner's page: their totals, plans, milestones and reviews, and their calendar.

    Kept while the owner's plans are the same objects (see accountplans.compute.memo): under `serve`
    a saved plan changes its owner's page only."""
    shown = (owner.name, owner.page_uri, owner.calendar_uri,
             tuple((e.src_uri, e.problems) for e in owner.entries),
             tuple((o.name, o.page_uri) for o in owners))
    return _owner_page_kept(tuple(e.plan for e in owner.entries), actuals, settings, today,
                            use_directory_urls, shown, owner, owners)


# By the owner's plans and the actuals (identity), the settings, day and links (value), and
# `shown`: what else of the owner and the roster the page shows.
@by_identity(0, 1, kept_out=(6, 7), size=4096)
def _owner_page_kept(plans: tuple[Plan, ...], actuals: Actuals | None, settings: Settings,
                     today: dt.date, use_directory_urls: bool, shown: tuple[object, ...],
                     owner: Owner, owners: Sequence[Owner]) -> str:
    return _owner_page(owner, settings, today, owners=owners, actuals=actuals,
                       use_directory_urls=use_directory_urls)


def _owner_page(owner: Owner, settings: Settings, today: dt.date, *,
                owners: Sequence[Owner], actuals: Actuals | None = None,
                use_directory_urls: bool = True) -> str:
    def href(to_uri: str) -> str:
        return relative_href(owner.page_uri, to_uri, use_directory_urls)

    view = Portfolio(owner.entries, settings, today, href, actuals, owner_pages(owners))
    count = len(active(owner.entries))
    lang = settings.language

    def heading(text: str) -> str:
        return f"## {escape(gettext(text, lang))}"

    plans = ngettext("{count} active plan.", "{count} active plans.", count, lang, count=count)
    link = gettext("Calendar of these plans (iCalendar)", lang)
    why = gettext("subscribe to it to get every milestone and evaluation.", lang)
    # The title is HTML because Material's templates print it without escaping.
    parts = [
        "---",
        f"title: {json.dumps(str(escape(owner.name)))}",
        "---",
        "",
        Html('<p class="accountplans-owner-intro">{} <a href="{}" download>{}</a> — {}</p>').format(
            plans, href(owner.calendar_uri), link, why),
        "",
        view.computed_on(),
        heading(N_("Targets")),
        "",
        view.portfolio_totals(),
        heading(N_("Plans")),
        "",
        view.plans_table(),
        heading(N_("Upcoming milestones")),
        "",
        view.upcoming_milestones(),
        heading(N_("Overdue milestones")),
        "",
        view.overdue_milestones(),
        heading(N_("Reviews due")),
        "",
        view.overdue_reviews(),
    ]
    if actuals is not None:
        parts += [heading(N_("Actual against target")), "", view.portfolio_actuals()]
    if any(e.plan.is_archived for e in owner.entries):
        parts += [heading(N_("Archived plans")), "", view.archived_plans()]
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class NavGroup:
    """A navigation section: a name, an optional index page, and pages or sub-sections."""

    name: str
    """The section's title as text (an owner's name, `A–F`)."""
    index_uri: str | None
    children: tuple[str | NavGroup, ...]

    @property
    def title(self) -> Html:
        """The title as HTML, for MkDocs' Section: Material prints it without escaping."""
        return escape(self.name)


def _chunk_title(first: Entry, last: Entry) -> str:
    def initial(entry: Entry) -> str:
        return (entry.plan.account.strip()[:2] or "?").title()
    return f"{initial(first)}–{initial(last)}"


def chunked(found: Sequence[Entry], size: int = NAV_CHUNK) -> tuple[str | NavGroup, ...]:
    """The plans' pages in account order; when there are more than `size`, alphabetical
    sections of at most `size` (and sections of sections, for tens of thousands)."""
    ordered = sorted(found, key=lambda e: (name_key(e.plan.account), e.src_uri))
    items: list[str | NavGroup] = [e.src_uri for e in ordered]
    spans = [(e, e) for e in ordered]  # the first and last plan under each item
    while len(items) > size:
        grouped: list[str | NavGroup] = []
        grouped_spans: list[tuple[Entry, Entry]] = []
        for start in range(0, len(items), size):
            first, last = spans[start][0], spans[min(start + size, len(items)) - 1][1]
            grouped.append(NavGroup(_chunk_title(first, last), None,
                                    tuple(items[start: start + size])))
            grouped_spans.append((first, last))
        items, spans = grouped, grouped_spans
    return tuple(items)


def _initial(name: str) -> str:
    """The letter a name is filed under: `Émile` under E; names not starting with a letter under #."""
    first = unicodedata.normalize("NFKD", name.strip()[:1])[:1].upper()
    return first if first.isalpha() else "#"


def by_initials(sections: Sequence[NavGroup]) -> list[NavGroup]:
    """Owner sections (in name order) in about √n alphabetical sections such as `A–F`.

    Owners with the same initial stay in one section, so the titles never overlap; a
    section is closed once it holds about n / √n owners. Sections are in the order of
    their initials (# first), so `Émile` is among the E's, not after Z.
    """
    filed = sorted(((_initial(s.name), i, s) for i, s in enumerate(sections)),
                   key=lambda item: item[:2])
    runs: list[tuple[str, list[NavGroup]]] = []
    for letter, _, section in filed:
        if runs and runs[-1][0] == letter:
            runs[-1][1].append(section)
        else:
            runs.append((letter, [section]))
    size = math.ceil(len(sections) / math.ceil(math.sqrt(len(sections))))
    grouped: list[tuple[str, str, list[NavGroup]]] = []
    for letter, members in runs:
        if grouped and len(grouped[-1][2]) + len(members) <= size:
            grouped[-1] = (grouped[-1][0], letter, grouped[-1][2] + members)
        else:
            grouped.append((letter, letter, list(members)))
    return [NavGroup(first if first == last else f"{first}–{last}", None, tuple(members))
            for first, last, members in grouped]


def nav_groups(owners: Sequence[Owner], language: str = "en") -> list[NavGroup]:
    """One section per owner (their page first, then their active plans), then the archive.

    With more than OWNER_SECTIONS owners, the owners' sections are grouped alphabetically
    (see by_initials): Material writes every top-level section into every page, so one per
    owner would make each page's navigation grow with the number of plans.
    """
    groups = [NavGroup(o.name, o.page_uri, chunked(active(o.entries))) for o in owners]
    if len(groups) > OWNER_SECTIONS:
        groups = by_initials(groups)
    archived = [e for o in owners for e in o.entries if e.plan.is_archived]
    if archived:
        groups.append(NavGroup(gettext("Archived plans", language), None, chunked(archived)))
    return groups
