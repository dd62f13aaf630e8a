"""The pages and downloads the site makes from the plans at every build: owner pages and
calendars, the quarterly view, the tags page, calendar.ics, plans.json, its schema and
plans.csv. Plain data; the hook writes them and tells MkDocs about them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from accountplans.exports import downloads as exports

from accountplans.plan import fieldschema

from accountplans.site import owners

from accountplans.site import quarterly
from accountplans.compute.actuals import Actuals
from accountplans.compute.figures import Entry
from accountplans.i18n import gettext
from accountplans.site.markup import escape
from accountplans.settings import Settings

__all__ = ["GeneratedFile", "download_uris", "page_uris", "site_downloads", "site_files", "site_pages",
           "tags_page", "write_file"]


@dataclass(frozen=True)
class GeneratedFile:
    src_uri: str
    content: str | bytes | Iterable[str]
    """The text, the bytes, or the text in pieces (plans.json: written as it is made, never
    whole in memory)."""
    in_nav: bool = True
    """False for pages linked from others but kept out of the navigation (owners' quarters),
    which Material writes into every page."""


def write_file(path: Path, content: str | bytes | Iterable[str]) -> None:
    """A generated file's content written to `path` (UTF-8), piece by piece when it comes in
    pieces."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        with path.open("wb") as out:
            for piece in content:
                out.write(piece.encode("utf-8"))


def tags_page(language: str) -> str:
    """The tags page (Material fills in the list), in the site's language. Its title as HTML
    (Material prints it without escaping), in YAML's double quotes (a JSON string)."""
    return "---\ntitle: {}\n---\n\n{}\n\n<!-- material/tags -->\n".format(
        json.dumps(str(escape(gettext("Tags", language))), ensure_ascii=False),
        gettext("Plans by tag (the `tags:` of each plan).", language))


def site_files(found: Sequence[Entry], owner_list: Sequence[owners.Owner], settings: Settings,
               today: dt.date, actuals: Actuals | None, *, use_directory_urls: bool,
               site_url: str | None, with_tags: bool) -> Iterator[GeneratedFile]:
    """Every generated file of one build, in the order MkDocs is told about them, one at a
    time: the caller writes each before the next is made, so a build holds one file's text
    at a time (at 1000 plans they are 70 MB in all, plans.json 15 MB of it, streamed)."""
    yield from site_pages(found, owner_list, settings, today, actuals,
                          use_directory_urls=use_directory_urls, with_tags=with_tags)
    yield from site_downloads(found, owner_list, settings, today, actuals,
                              use_directory_urls=use_directory_urls, site_url=site_url)


def site_pages(found: Sequence[Entry], owner_list: Sequence[owners.Owner], settings: Settings,
               today: dt.date, actuals: Actuals | None, *, use_directory_urls: bool,
               with_tags: bool, skip: Container[str] = ()) -> Iterator[GeneratedFile]:
    """The generated pages (Markdown that MkDocs renders), but those in `skip`: owner pages,
    the quarterly view, the tags page (page_uris, in its order)."""
    urls = use_directory_urls
    for owner in owner_list:
        if owner.page_uri not in skip:
            yield GeneratedFile(owner.page_uri, owners.owner_page_markdown(
                owner, settings, today, owners=owner_list, actuals=actuals, use_directory_urls=urls))
    # The quarterly view: per quarter a team page (in the navigation) and one per owner beside
    # the owner's page (linked from the team page and the dashboard, not in the navigation).
    for uri, text, in_nav in quarterly.each_quarter_page(found, _owner_pages(owner_list), settings, today,
                                                         actuals, urls):
        if uri not in skip:
            yield GeneratedFile(uri, text, in_nav)
    if with_tags and "tags.md" not in skip:
        yield GeneratedFile("tags.md", tags_page(settings.language))


def page_uris(found: Sequence[Entry], owner_list: Sequence[owners.Owner], *,
              with_tags: bool) -> list[tuple[str, bool]]:
    """(src_uri, in navigation) of site_pages' pages, in its order, known before they are made."""
    return [*((owner.page_uri, True) for owner in owner_list),
            *quarterly.quarter_page_uris(found, _owner_pages(owner_list)),
            *((("tags.md", True),) if with_tags else ())]


def _owner_pages(owner_list: Sequence[owners.Owner]) -> list[tuple[str, str, Sequence[Entry]]]:
    return [(o.name, o.page_uri, o.entries) for o in owner_list]


def download_uris(owner_list: Sequence[owners.Owner]) -> list[str]:
    """The src_uris of site_downloads' files, in its order, known before they are made."""
    return [*(owner.calendar_uri for owner in owner_list), "calendar.ics", "plans.json",
            "plans.schema.json", fieldschema.SCHEMA_URI, "plans.csv"]


def site_downloads(found: Sequence[Entry], owner_list: Sequence[owners.Owner], settings: Settings,
                   today: dt.date, actuals: Actuals | None, *, use_directory_urls: bool,
                   site_url: str | None, skip: Container[str] = ()) -> Iterator[GeneratedFile]:
    """The generated downloads (download_uris), but those in `skip`: the owners' calendars,
    calendar.ics, plans.json, its schema, the front-matter schema, plans.csv."""
    urls = use_directory_urls
    events = {e.src_uri: exports.plan_events(e, today, site_url, urls) for e in found}  # once for all
    for owner in owner_list:
        if owner.calendar_uri not in skip:
            yield GeneratedFile(owner.calendar_uri, exports.calendar_ics(
                owner.entries, today, events=events,
                name=gettext("Account plans of {owner}", settings.language, owner=owner.name)))
    if "calendar.ics" not in skip:
        yield GeneratedFile("calendar.ics", exports.calendar_ics(found, today, events=events))
    del events
    if "plans.json" not in skip:
        yield GeneratedFile("plans.json", exports.plans_json_pieces(found, settings, today, actuals, urls))
    if "plans.schema.json" not in skip:
        yield GeneratedFile("plans.schema.json", exports.plans_schema_json())
    # For editors and tools that check a plan's front-matter (README, Editors).
    if fieldschema.SCHEMA_URI not in skip:
        yield GeneratedFile(fieldschema.SCHEMA_URI, fieldschema.front_matter_schema_json(settings.language))
    if "plans.csv" not in skip:
        yield GeneratedFile("plans.csv", exports.plans_csv(found, urls, settings, site_url))
