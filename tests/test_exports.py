"""The downloads of a real build: calendar.ics (icalendar), plans.json against its published
JSON Schema (jsonschema), and plans.csv (csv)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from accountplans.exports.downloads import (
    RECORD_KEYS,
    calendar_events,
    event_uid,
    indented_json,
    plan_record,
    plans_json,
)
from accountplans.plan.check import check_text
from accountplans.plan.fields import ORGANISATION, PLAN_FIELDS
from accountplans.plan.model import Milestone, Plan, Target
from accountplans.settings import Settings
from accountplans.site.portfolio import Entry
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar
from jsonschema import Draft202012Validator
from plan_factory import TODAY, build_site, clear_plans, epoch, plan_text, write_plan


@pytest.fixture
def exported(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne de Vries", tags=["retail"],
                                          targets=[("Licences", 120000, 300000), ("Training", 15000, 45000)],
                                          milestones=[("2027-02-01", "Kick-off", "contact", True)]))
    write_plan(project, "bolt", plan_text("=HYPERLINK(\"x\")", "Joost Hendriks", currency="USD"))
    write_plan(project, "old", plan_text("Oldco", "Joost Hendriks", status="archived"))
    write_plan(project, "new", plan_text("Newco", "Joost Hendriks", status="draft"))
    (project / "plans" / "actuals.csv").write_text(
        "account,product,month,amount\nAcme,Licences,2027-01,7000\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    return build_site(project)


def _calendar(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_plans_json_is_valid_against_its_published_schema(exported: Path) -> None:
    """plans.json validates against plans.schema.json, which is itself a valid 2020-12 schema."""
    schema = json.loads((exported / "plans.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    data = json.loads((exported / "plans.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(data))
    assert errors == []
    assert data["computed_for"] == "2027-03-10"


def test_plans_json_holds_published_plans_with_exact_amounts(exported: Path) -> None:
    """Drafts are left out, archived plans kept with their status; month targets add up."""
    data = json.loads((exported / "plans.json").read_text(encoding="utf-8"))
    plans = {p["account"]: p for p in data["plans"]}
    assert set(plans) == {"Acme", "=HYPERLINK(\"x\")", "Oldco"}
    assert plans["Oldco"]["status"] == "archived"
    acme = plans["Acme"]
    assert acme["url"] == "acme/" and acme["year1_total"] == 135000
    assert sum(acme["targets"][0]["months"]) == acme["targets"][0]["year1"] == 120000
    assert acme["actuals"]["actual_to_date"] == 7000 and acme["actuals"]["months_counted"] == 3


def test_schema_rejects_a_plan_without_account(exported: Path) -> None:
    """The schema is not a rubber stamp: a plan missing its account fails it."""
    schema = json.loads((exported / "plans.schema.json").read_text(encoding="utf-8"))
    data = json.loads((exported / "plans.json").read_text(encoding="utf-8"))
    del data["plans"][0]["account"]
    assert list(Draft202012Validator(schema).iter_errors(data))


def test_calendar_has_every_milestone_and_unplanned_evaluation(exported: Path) -> None:
    """Active plans' milestones are events; archived and draft plans have none."""
    events = _calendar(exported / "calendar.ics").walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert "Acme: Kick-off" in summaries
    assert sum(s.startswith("Acme: Evaluation Q") for s in summaries) == 4
    assert not any(s.startswith(("Oldco", "Newco")) for s in summaries)
    assert len(events) == 2 * 4 + 1


def test_a_quarter_without_evaluation_gets_a_reminder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan with no Q2 evaluation gets a 'not planned yet' event at the end of Q2."""
    clear_plans(project)
    text = plan_text("Acme", "Sanne").replace("title: \"Evaluation Q2\"\n    kind: evaluation",
                                              "title: \"Evaluation Q2\"\n    kind: visit")
    write_plan(project, "acme", text)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    events = _calendar(build_site(project) / "calendar.ics").walk("VEVENT")
    reminder = [e for e in events if "not planned yet" in str(e["SUMMARY"])]
    assert len(reminder) == 1 and reminder[0].decoded("DTSTART") == dt.date(2027, 6, 30)


def test_event_uids_are_the_same_in_two_builds(exported: Path, project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A later build (another day) gives every event the same UID: calendars update, not duplicate."""
    first = {str(e["UID"]) for e in _calendar(exported / "calendar.ics").walk("VEVENT")}
    kept = project.parent / "first-site"
    shutil.move(str(exported), kept)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY + dt.timedelta(days=9)))
    second = {str(e["UID"]) for e in _calendar(build_site(project) / "calendar.ics").walk("VEVENT")}
    assert first == second and len(first) == 9


def test_uid_is_a_hash_of_account_title_and_kind() -> None:
    """The UID depends on what the event is, not on spelling of spaces or case of the account."""
    assert event_uid("Acme  B.V.", "Kick-off", "visit") == event_uid("acme b.v.", "Kick-off", "visit")
    assert event_uid("Acme", "Kick-off", "visit") != event_uid("Acme", "Demo", "visit")
    assert event_uid("Acme", "Kick-off", "visit") != event_uid("Acme", "Kick-off", "contact")


def _uids(*milestones: Milestone) -> dict[tuple[dt.date, str], str]:
    plan = Plan("plans/a.md", "Acme", owner="Sanne", year=2027, milestones=milestones)
    return {(e.day, e.summary): e.uid for e in calendar_events(Entry("a.md", plan))}


def test_a_milestone_keeps_its_uid_when_only_its_date_moves() -> None:
    """Moving a milestone to another day gives its event the UID it had: the calendar moves it."""
    before = _uids(Milestone(dt.date(2027, 2, 1), "Kick-off", "contact"))
    after = _uids(Milestone(dt.date(2027, 2, 9), "Kick-off", "contact"))
    assert list(before.values()) == list(after.values())


def test_milestones_sharing_title_and_kind_keep_their_uids_when_dates_cross() -> None:
    """Two 'Visit' visits are numbered in the plan's order: moving the first past the second
    changes neither UID."""
    first, second = (Milestone(dt.date(2027, 2, 1), "Visit", "visit"),
                     Milestone(dt.date(2027, 4, 1), "Visit", "visit"))
    before = _uids(first, second)
    moved = Milestone(dt.date(2027, 5, 1), "Visit", "visit")
    after = _uids(moved, second)
    assert before[(first.date, "Acme: Visit")] != before[(second.date, "Acme: Visit")]
    assert after[(moved.date, "Acme: Visit")] == before[(first.date, "Acme: Visit")]
    assert after[(second.date, "Acme: Visit")] == before[(second.date, "Acme: Visit")]


def test_evaluation_reminders_have_the_same_uid_in_both_languages() -> None:
    """A quarter's 'not planned yet' reminder is identified by account, year and quarter, not its text."""
    uids = []
    for language in ("en", "nl"):
        plan = Plan("plans/a.md", "Acme", owner="Sanne", year=2027, language=language)
        uids.append([e.uid for e in calendar_events(Entry("a.md", plan))])
    assert uids[0] == uids[1] and len(set(uids[0])) == 4


def test_events_are_written_in_the_plan_s_language() -> None:
    """A Dutch plan's events say 'Soort', 'Met', 'Gedaan' and 'Accountmanager'; an English one's do not."""
    milestone = Milestone(dt.date(2027, 2, 1), "Kennismaking", "visit", "Pieter Jansen", True)
    nl = Plan("plans/a.md", "Acme", owner="Sanne", year=2027, language="nl", milestones=(milestone,))
    event = calendar_events(Entry("a.md", nl))[0]
    assert event.description.split("\n") == ["Soort: bezoek.", "Met: Pieter Jansen.", "Gedaan.",
                                             "Accountmanager: Sanne."]
    reminder = calendar_events(Entry("a.md", nl))[1]
    assert reminder.summary == "Acme: Kwartaalevaluatie Q1 2027 (nog niet gepland)"
    en = calendar_events(Entry("a.md", Plan("plans/a.md", "Acme", owner="Sanne", year=2027,
                                            milestones=(milestone,))))[0]
    assert en.description.split("\n") == ["Kind: visit.", "With: Pieter Jansen.", "Done.",
                                          "Account manager: Sanne."]


def test_events_link_their_plan_with_a_site_url_only() -> None:
    """With site_url an event's URL and last description line are its plan's absolute page,
    percent-encoded; without one there is no link."""
    plan = Plan("plans/x.md", "Acme", owner="Sanne", year=2027,
                milestones=(Milestone(dt.date(2027, 2, 1), "Kick-off", "visit"),))
    entry = Entry("team a/acme é.md", plan)
    event = calendar_events(entry, "https://plans.example.invalid/sales")[0]
    url = "https://plans.example.invalid/sales/team%20a/acme%20%C3%A9/"
    assert event.url == url and event.description.endswith(f"\nPlan: {url}")
    assert calendar_events(entry, "https://plans.example.invalid/sales", use_directory_urls=False
                           )[0].url == "https://plans.example.invalid/sales/team%20a/acme%20%C3%A9.html"
    bare = calendar_events(entry)[0]
    assert bare.url is None and "Plan:" not in bare.description


def test_each_owner_has_a_calendar_of_their_plans(exported: Path) -> None:
    """owners/<owner>/calendar.ics holds that owner's plans only."""
    events = _calendar(exported / "owners" / "sanne-de-vries" / "calendar.ics").walk("VEVENT")
    assert events and all(str(e["SUMMARY"]).startswith("Acme: ") for e in events)


@pytest.mark.parametrize("count", [0, 1, 3])
def test_plans_json_is_the_text_json_dumps_gives_the_whole_document(count: int) -> None:
    """Made a plan at a time, plans.json is still exactly json.dumps(indent=2) of the whole,
    with line separators, quotes and newlines in the plans' text."""
    found = [Entry(f"p{i}.md", Plan(f"plans/p{i}.md", f"Acme {i}\u2028\n\"é\" 🥐", owner="Jan\u0085Piet",
                                    year=2027, tags=("a\rb",), milestones=(
                                        Milestone(dt.date(2027, 2, 1), "Kick-off\n", "visit"),)))
             for i in range(count)]
    settings = Settings()
    whole = {"$schema": "plans.schema.json", "computed_for": TODAY.isoformat(),
             "plans": [plan_record(e, settings, TODAY, None) for e in found]}
    assert plans_json(found, settings, TODAY) == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"


def test_plans_csv_reads_back_one_row_per_product(exported: Path) -> None:
    """plans.csv opens with csv: a row per plan and product, exact amounts, no formulas."""
    text = (exported / "plans.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    acme = [r for r in rows if r["Account"] == "Acme"]
    assert [(r["Product"], r["Year 1"]) for r in acme] == [("Licences", "120000.00"),
                                                            ("Training", "15000.00")]
    assert {r["Account"] for r in rows} == {"Acme", "Oldco", "'=HYPERLINK(\"x\")"}


def test_english_plans_csv_has_month_and_quarter_targets_and_relative_links(exported: Path) -> None:
    """Without site_url: comma-separated, decimal points, twelve months and four quarters that
    add up to the year, and a link relative to the site."""
    text = (exported / "plans.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    licences = next(r for r in rows if r["Product"] == "Licences" and r["Account"] == "Acme")
    months = [Decimal(licences[f"Target {m}"]) for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                                          "Aug", "Sept", "Oct", "Nov", "Dec")]
    quarters = [Decimal(licences[f"Target Q{q}"]) for q in range(1, 5)]
    assert sum(months) == sum(quarters) == Decimal("120000.00") == Decimal(licences["Year 1"])
    assert quarters[0] == sum(months[:3])
    assert licences["Link"] == "acme/" and licences["Status"] == "active"
    assert licences["Market position"] == "challenger"


def test_dutch_plans_csv_uses_semicolons_decimal_commas_and_absolute_links(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a Dutch site with site_url: ';' between fields, '1234,50' amounts, Dutch headings and
    words, and absolute links to the plans' pages."""
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme; Zonen", "Sanne de Vries",
                                          targets=[("Licenties", 100001, 300000)]))
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("    language: en\n", "    language: nl\n", 1)
    (project / "mkdocs.yml").write_text("site_url: https://plans.example.invalid/verkoop/\n" + config,
                                        encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    text = (build_site(project) / "plans.csv").read_bytes().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[:6] == ["Klant", "Accountmanager", "Planjaar", "Status", "Product", "Jaar 1"]
    row = dict(zip(header, rows[0], strict=True))
    assert row["Klant"] == "Acme; Zonen" and row["Status"] == "actief" and row["Marktpositie"] == "uitdager"
    assert row["Jaar 1"] == "100001,00"
    months = [Decimal(row[f"Doel {m}"].replace(",", ".")) for m in
              ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")]
    assert sum(months) == Decimal(100001) and row["Doel mrt"] == "8333,41"
    assert row["Link"] == "https://plans.example.invalid/verkoop/acme/"


def test_calendar_events_link_their_plan_under_site_url(project: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """In a build with site_url every event of the site's and the owner's calendar has its plan's URL."""
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne de Vries", language="nl"))
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_url: https://plans.example.invalid/\n" + config,
                                        encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    site = build_site(project)
    for path in (site / "calendar.ics", site / "owners" / "sanne-de-vries" / "calendar.ics"):
        events = _calendar(path).walk("VEVENT")
        assert len(events) == 4
        assert {str(e["URL"]) for e in events} == {"https://plans.example.invalid/acme/"}
        assert all("Accountmanager: Sanne de Vries." in str(e["DESCRIPTION"]) for e in events)


def test_dashboard_links_every_download(exported: Path) -> None:
    """The dashboard links the four downloads, which exist."""
    html = (exported / "index.html").read_text(encoding="utf-8")
    for name in ("calendar.ics", "plans.json", "plans.schema.json", "plans.csv"):
        assert f'href="{name}"' in html and (exported / name).is_file()


def test_plans_json_carries_each_product_s_week_targets() -> None:
    """Each target has its selling weeks with their own amounts, which add up to year1."""
    plan = Plan("plans/a.md", "Acme", owner="Sanne", year=2027, targets=(
        Target("Cloud ERP", Decimal(120000)),),
        seasonality=tuple(Decimal(w) for w in (5, 5, 8, 8, 9, 9, 6, 6, 10, 10, 12, 12)))
    record = plan_record(Entry("a.md", plan), Settings(closed_weeks=(52, 1)), TODAY, None)
    weeks = record["targets"][0]["weeks"]
    assert len(weeks) == 50 and weeks[0] == {"week": 2, "amount": 2000}
    assert {"week": 10, "amount": 2086.95} in weeks
    assert sum(Decimal(str(w["amount"])) for w in weeks) == Decimal(120000)


def test_plans_json_repeats_the_field_tables_fields_as_written() -> None:
    """A record's front-matter fields follow the field table: its names, dates as ISO text,
    blocks as objects of their own fields (a contact's, a milestone's, the organisation's)."""
    text = (Path(__file__).parent / "data" / "good-plan.md").read_text(encoding="utf-8")
    plan = check_text("plans/a.md", text, Settings()).plan
    assert plan is not None
    record = plan_record(Entry("a.md", plan), Settings(), TODAY, None)
    assert tuple(record) == RECORD_KEYS
    for spec in PLAN_FIELDS:
        if spec.name in RECORD_KEYS and spec.kind == "blocks" and spec.name != "targets":
            assert all(tuple(item) == spec.names for item in record[spec.name])
    assert tuple(record["organisation"]) == ORGANISATION.names
    assert record["milestones"][0]["date"] == plan.milestones[0].date.isoformat()
    assert record["milestones"][0]["with"] == plan.milestones[0].with_
    assert record["reviewed"] == (plan.reviewed.isoformat() if plan.reviewed else None)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30)


@given(json_values)
def test_indented_json_is_the_text_json_dumps_gives(value: object) -> None:
    """indented_json writes what json.dumps(ensure_ascii=False, indent=2) writes, indented."""
    expected = json.dumps(value, ensure_ascii=False, indent=2)
    assert indented_json(value) == expected
    assert indented_json(value, "\n    ") == expected.replace("\n", "\n    ")


@pytest.mark.parametrize("value", [{1: "a"}, [float("nan")], {"a": {1, 2}}])
def test_indented_json_refuses_what_it_does_not_write(value: object) -> None:
    """Keys that are not text, NaN and sets are left to json's own encoder (TypeError)."""
    with pytest.raises(TypeError):
        indented_json(value)
