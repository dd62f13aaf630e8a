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
from accountplans.exports import event_uid, plan_record, plans_json
from accountplans.model import Milestone, Plan, Target
from accountplans.portfolio import Entry
from accountplans.settings import Settings
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


def test_uid_is_a_hash_of_account_date_and_title() -> None:
    """The UID depends on what the event is, not on spelling of spaces or case of the account."""
    day = dt.date(2027, 1, 15)
    assert event_uid("Acme  B.V.", day, "Kick-off") == event_uid("acme b.v.", day, "Kick-off")
    assert event_uid("Acme", day, "Kick-off") != event_uid("Acme", day, "Demo")


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
    acme = [r for r in rows if r["account"] == "Acme"]
    assert [(r["product"], r["year1"]) for r in acme] == [("Licences", "120000.00"), ("Training", "15000.00")]
    assert {r["account"] for r in rows} == {"Acme", "Oldco", "'=HYPERLINK(\"x\")"}


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
