"""The hand-written iCalendar text (accountplans.exports.ics, used by exports) is byte for byte what
icalendar writes for the same events, and icalendar reads it back as the same events.

The reference below writes each plan's events (exports.calendar_events: their texts in the
plan's language, UIDs and URL) with icalendar's Event and Calendar, as exports.py did before
it wrote the bytes itself. The example plans are tests/data's and a few made by plan_factory,
in English and Dutch, one in a sub-folder with a non-ASCII name (its URL percent-encoded).
TODAY is plan_factory's pinned day, 2027-03-10 (SOURCE_DATE_EPOCH 1804636800).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from accountplans.exports import ics
from accountplans.exports.downloads import PRODID, calendar_events, calendar_ics, plan_events
from accountplans.plan.check import check_bytes
from accountplans.plan.model import MILESTONE_KINDS, Milestone, Plan
from accountplans.settings import Settings
from accountplans.site.owners import group_owners
from accountplans.site.portfolio import Entry, active, entries
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event
from plan_factory import TODAY, plan_text

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "https://plans.example.invalid/sales/"
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the reference: icalendar, as exports.py used it -------------------------------------

def reference_plan_events(entry: Entry, today: dt.date, site_url: str | None = None) -> bytes:
    """The plan's events (exports.calendar_events: texts, UIDs, URL) written by icalendar."""
    stamp = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    out: list[bytes] = []
    for e in calendar_events(entry, site_url):
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", e.day)
        event.add("dtend", e.day + dt.timedelta(days=1))
        event.add("summary", e.summary)
        event.add("description", e.description)
        event.add("categories", [e.kind])
        event.add("transp", "TRANSPARENT")
        if e.url:
            event.add("url", e.url)
        out.append(bytes(event.to_ical()))
    return b"".join(out)


def reference_calendar_ics(found: list[Entry], today: dt.date, name: str = "Account plans",
                           site_url: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    body = b"".join(reference_plan_events(e, today, site_url) for e in active(found))
    end = b"END:VCALENDAR\r\n"
    head = bytes(cal.to_ical())
    assert head.endswith(end)
    return head[: -len(end)] + body + end


def reference_line(name: str, value: object) -> bytes:
    """One property as icalendar writes it (its line of an otherwise empty event)."""
    event = Event()
    event.add(name, value)
    return bytes(event.to_ical()).removeprefix(b"BEGIN:VEVENT\r\n").removesuffix(b"END:VEVENT\r\n")


# --- strategies ---------------------------------------------------------------------------

SPECIAL = ["\\", ";", ",", ":", "\n", "\r", "\r\n", "\\N", "\\n", "^", '"', " ", "\t", "é", "ß", "€",
           "中", "文", "🥐", "👩‍💼", "\u00a0", "\u2028", "\x85", "a", "Z", "0"]
texts = st.lists(st.sampled_from(SPECIAL) | st.characters(blacklist_categories=("Cs",)),
                 max_size=120).map("".join)
long_texts = st.lists(st.sampled_from(SPECIAL), min_size=60, max_size=400).map("".join)
some_text = texts | long_texts
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 30))
milestones = st.builds(Milestone, date=days, title=some_text, kind=st.sampled_from(MILESTONE_KINDS),
                       with_=st.none() | some_text, done=st.booleans())
plans = st.builds(Plan, path=st.just("plans/p.md"), account=some_text, owner=st.none() | some_text,
                  year=st.none() | st.integers(2000, 2100),
                  milestones=st.lists(milestones, max_size=6).map(tuple))
one_line_texts = some_text.map(lambda s: s.replace("\r", "|").replace("\n", "|"))
src_uris = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
                   min_size=1, max_size=80).map(lambda s: s + ".md")


def example_entries() -> list[Entry]:
    """The test data's good plans (English and Dutch) and a few made ones, checked as the
    hook checks them."""
    settings_ = Settings()
    files = {p.name: check_bytes(str(p), p.read_bytes(), settings_)
             for p in sorted((ROOT / "tests" / "data").glob("good-plan*.md"))}
    for slug, owner, language in (("acme", "Sanne de Vries", "en"), ("bolt", "Joost Hendriks", "nl"),
                                  ("sub/céline", "Sanne de Vries", "nl")):
        text = plan_text(slug.title(), owner, language=language,
                         milestones=[("2027-02-01", "Kick-off, then lunch; with \\ CFO", "contact", True),
                                     ("2027-05-03", "Visit", "visit", False)])
        files[f"{slug}.md"] = check_bytes(f"plans/{slug}.md", text.encode(), settings_)
    return entries(files)


def _events(data: bytes) -> list[tuple[str, str, str, list[str], dt.date, dt.date, dt.datetime, str]]:
    """The events of a calendar as icalendar reads them back."""
    return [(str(e["UID"]), str(e["SUMMARY"]), str(e["DESCRIPTION"]), [str(c) for c in e["CATEGORIES"].cats],
             e.decoded("DTSTART"), e.decoded("DTEND"), e.decoded("DTSTAMP"), str(e["TRANSP"]))
            for e in Calendar.from_ical(data).walk("VEVENT")]


def _normalised(text: str) -> str:
    """What a TEXT value reads back as: icalendar writes a literal `\\N`, CRLF and CR as line breaks."""
    return text.replace("\\N", "\n").replace("\r\n", "\n").replace("\r", "\n")


# --- byte for byte ------------------------------------------------------------------------

def test_example_plans_calendar_is_byte_for_byte_icalendars() -> None:
    """The site calendar of the project's example plans equals icalendar's output."""
    found = example_entries()
    assert found
    assert calendar_ics(found, TODAY) == reference_calendar_ics(found, TODAY)


def test_example_owner_calendars_are_byte_for_byte_icalendars() -> None:
    """Every owner's calendar of the example plans (named after the owner) equals icalendar's."""
    for owner in group_owners(example_entries()):
        name = f"Account plans of {owner.name}"
        assert calendar_ics(owner.entries, TODAY, name=name) == reference_calendar_ics(
            list(owner.entries), TODAY, name=name)


def test_example_events_with_a_site_url_are_byte_for_byte_icalendars() -> None:
    """With a site URL each event's URL line is as icalendar writes it, folded where long."""
    for entry in example_entries():
        assert plan_events(entry, TODAY, SITE_URL) == reference_plan_events(entry, TODAY, SITE_URL)


@PROPERTY
@given(plan=plans, today=days)
def test_random_plan_events_are_byte_for_byte_icalendars(plan: Plan, today: dt.date) -> None:
    """Any accounts, owners, titles and partners (Unicode, escapes, long text) give icalendar's bytes."""
    entry = Entry("p.md", plan)
    assert plan_events(entry, today) == reference_plan_events(entry, today)


@PROPERTY
@given(plan=plans, name=one_line_texts, src_uri=src_uris)
def test_random_calendar_with_url_is_byte_for_byte_icalendars(plan: Plan, name: str, src_uri: str) -> None:
    """A whole calendar, with any one-line calendar name and page path in the URL, equals icalendar's."""
    found = [Entry(src_uri, plan)]
    assert calendar_ics(found, TODAY, name=name, site_url=SITE_URL) == reference_calendar_ics(
        found, TODAY, name=name, site_url=SITE_URL)


@pytest.mark.parametrize("kind", MILESTONE_KINDS)
def test_each_milestone_kind_is_byte_for_byte_icalendars(kind: str) -> None:
    """A milestone of each kind, done or not and with a partner, gives icalendar's bytes."""
    plan = Plan("plans/p.md", "Acme; B.V., Zürich", owner="Jörg \\ Müller", year=2027, milestones=(
        Milestone(dt.date(2027, 2, 1), "Kick-off, then lunch", kind, "CFO; CEO", True),
        Milestone(dt.date(2027, 5, 3), "Review", kind)))
    entry = Entry("p.md", plan)
    assert plan_events(entry, TODAY, SITE_URL) == reference_plan_events(entry, TODAY, SITE_URL)


@PROPERTY
@given(value=some_text)
def test_a_text_line_is_byte_for_byte_icalendars(value: str) -> None:
    """escape_text and content_line give icalendar's SUMMARY line for any text."""
    assert ics.content_line("SUMMARY:" + ics.escape_text(value)) == reference_line("summary", value)


@pytest.mark.parametrize("value", ["\ufeff", "\ufeffa", "\ufeff\ufeffa", "a\ufeff", "\ufeff,"])
def test_a_leading_byte_order_mark_is_dropped_as_icalendar_drops_it(value: str) -> None:
    """One byte-order mark that starts a text is no character of it (found by hypothesis)."""
    assert ics.content_line("SUMMARY:" + ics.escape_text(value)) == reference_line("summary", value)


@pytest.mark.parametrize("prefix", range(60, 80))
@pytest.mark.parametrize("piece", ["é", "中", "🥐", "\\", ",", ";", "^", "\n", "\\N"])
def test_folding_around_the_75th_octet_is_icalendars(prefix: int, piece: str) -> None:
    """Multi-byte characters and escapes at every position around the fold are folded as icalendar folds."""
    value = "x" * (prefix - len("SUMMARY:")) + piece * 3 + "y" * 80
    assert ics.content_line("SUMMARY:" + ics.escape_text(value)) == reference_line("summary", value)


def test_a_line_break_in_a_calendar_name_keeps_the_file_valid() -> None:
    """A calendar name with line breaks (icalendar fails on it) is one X-WR-CALNAME line that reads back."""
    data = calendar_ics([], TODAY, name="Plans\r\nof\nJan\rPiet")
    assert b"X-WR-CALNAME:Plans\\nof\\nJan\\nPiet\r\n" in data
    assert str(Calendar.from_ical(data)["X-WR-CALNAME"]) == "Plans\\nof\\nJan\\nPiet"


def test_a_short_line_is_not_folded() -> None:
    """A line of 74 octets stays one line; one more octet folds it."""
    assert ics.content_line("x" * 74) == b"x" * 74 + b"\r\n"
    assert ics.content_line("x" * 75) == b"x" * 74 + b"\r\n x\r\n"


# --- read back ----------------------------------------------------------------------------

def _expected(found: list[Entry]) -> list[tuple[dt.date, str, str, list[str]]]:
    """(start, summary, description, categories) of every event, as icalendar should read them."""
    return [(ev.day, _normalised(ev.summary), _normalised(ev.description), [ev.kind])
            for e in active(found) for ev in calendar_events(e)]


def _read(events: list[tuple[str, str, str, list[str], dt.date, dt.date, dt.datetime, str]]
          ) -> list[tuple[dt.date, str, str, list[str]]]:
    return [(start, summary, description, cats) for _, summary, description, cats, start, *_ in events]


def test_example_calendar_reads_back_as_the_same_events() -> None:
    """icalendar reads the example calendar back as the plans' events, in order, stamped TODAY."""
    found = example_entries()
    events = _events(calendar_ics(found, TODAY))
    assert _read(events) == _expected(found)
    assert all(stamp == dt.datetime(2027, 3, 10, tzinfo=dt.UTC) for *_, stamp, _ in events)


@PROPERTY
@given(plan=plans)
def test_random_calendar_reads_back_as_the_same_events(plan: Plan) -> None:
    """Whatever the text, icalendar reads back each event's summary, description, kind and day."""
    found = [Entry("p.md", plan)]
    assert _read(_events(calendar_ics(found, TODAY))) == _expected(found)


@PROPERTY
@given(plan=plans)
def test_read_back_events_are_whole_transparent_days_with_distinct_uids(plan: Plan) -> None:
    """Each event read back lasts one day, shows as free time, and has its own UID."""
    events = _events(calendar_ics([Entry("p.md", plan)], TODAY))
    assert all(end - start == dt.timedelta(days=1) and transp == "TRANSPARENT"
               for *_, start, end, _, transp in events)
    assert len({uid for uid, *_ in events}) == len(events)
