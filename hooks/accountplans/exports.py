"""Downloads: calendar.ics (all plans and one per owner), plans.json with its JSON Schema,
and plans.csv. Plain functions of the plans and `today`; the hook publishes the bytes.

A subscribed calendar updates an event instead of duplicating it when the event's UID stays
the same, so a UID is a hash of what identifies the event (account, date, title), never of
the time of the build. Drafts are never exported; archived plans are in plans.json and
plans.csv (with their status) but not in the calendars.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from . import ics
from .actuals import Actuals, account_key, progress
from .breakdown import breakdown
from .model import (
    ATTITUDES,
    EVALUATION_STATUSES,
    INFLUENCE,
    MARKET_POSITIONS,
    MILESTONE_KINDS,
    STATUSES,
    Plan,
)
from .portfolio import Entry, active, owner_name, page_url, review_due, reviewed_on
from .schedule import quarterly_evaluations
from .settings import Settings

PRODID = "-//accountplans//account plan site//EN"
UID_DOMAIN = "accountplans.invalid"


def event_uid(account: str, day: dt.date, title: str) -> str:
    """Stable across builds: the same milestone always gets the same UID."""
    key = f"{account_key(account)}|{day.isoformat()}|{' '.join(title.split())}"
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def _quarter_end(year: int, quarter: int) -> dt.date:
    """The last weekday of the quarter: the date by which its evaluation is due."""
    day = dt.date(year, 3 * quarter, 31 if quarter in (1, 4) else 30)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def calendar_events(plan: Plan) -> list[tuple[dt.date, str, str, str]]:
    """(date, title, kind, description) of every milestone, plus a reminder for each quarter
    of the plan year whose evaluation is not planned yet (the plan is evaluated every quarter)."""
    events: list[tuple[dt.date, str, str, str]] = []
    for m in plan.milestones:
        details = [f"Kind: {m.kind}"]
        if m.with_:
            details.append(f"With: {m.with_}")
        if m.done:
            details.append("Done")
        events.append((m.date, m.title, m.kind, "; ".join(details)))
    if plan.year is not None:
        for evaluation in quarterly_evaluations(plan.milestones, plan.year):
            if not evaluation.planned:
                quarter = evaluation.quarter
                events.append((_quarter_end(plan.year, quarter),
                               f"Quarterly evaluation Q{quarter} {plan.year} (not planned yet)",
                               "evaluation", "The plan is evaluated every quarter: plan a date "
                                             "with the customer and add it as a milestone."))
    return sorted(events)


def plan_events(entry: Entry, today: dt.date, site_url: str | None = None) -> bytes:
    """The VEVENTs of one plan, in iCalendar text. A plan's events are the same in the site's
    calendar and its owner's, so the hook serialises them once for both."""
    plan = entry.plan
    owner = owner_name(plan)
    url = site_url.rstrip("/") + "/" + page_url(entry.src_uri) if site_url else None
    seen: dict[str, int] = {}
    out: list[bytes] = []
    for day, title, kind, description in calendar_events(plan):
        uid = event_uid(plan.account, day, title)
        seen[uid] = seen.get(uid, 0) + 1
        if seen[uid] > 1:  # the same title twice on one day: keep both, stably numbered
            uid = uid.replace("@", f"-{seen[uid]}@", 1)
        out.append(ics.all_day_event(
            uid=uid, stamp=today, start=day, end=day + dt.timedelta(days=1),
            summary=f"{plan.account}: {title}", description=f"{description}. Owner: {owner}.",
            categories=(kind,), url=url))
    return b"".join(out)


def calendar_ics(found: Sequence[Entry], today: dt.date, name: str = "Account plans",
                 site_url: str | None = None, events: Mapping[str, bytes] | None = None) -> bytes:
    """An iCalendar file of the active plans' milestones and quarterly evaluations.

    `events` may hold plan_events() by src_uri, made once for several calendars.
    """
    done = events or {}
    body = b"".join(done[e.src_uri] if e.src_uri in done else plan_events(e, today, site_url)
                    for e in active(found))
    return ics.calendar_head(PRODID, name) + body + ics.CALENDAR_END


def _number(amount: Decimal) -> float | int:
    """A JSON number with the same decimal text: amounts carry at most two decimals, which a
    float's shortest repr reproduces exactly."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def plan_record(entry: Entry, settings: Settings, today: dt.date,
                actuals: Actuals | None, use_directory_urls: bool = True) -> dict[str, Any]:
    plan = entry.plan
    due = review_due(plan, settings, today)
    last = reviewed_on(plan, today)
    record: dict[str, Any] = {
        "account": plan.account,
        "owner": plan.owner,
        "year": plan.year,
        "status": plan.status,
        "reviewed": plan.reviewed.isoformat() if plan.reviewed else None,
        "last_review": last.isoformat() if last else None,
        "review_due": due.isoformat() if due else None,
        "language": plan.language,
        "currency": plan.currency,
        "market_position": plan.market_position,
        "organisation": {
            "industry": plan.organisation.industry,
            "fte": plan.organisation.fte,
            "website": plan.organisation.website,
        },
        "contacts": [{"name": c.name, "role": c.role, "decision_maker": c.decision_maker,
                      "influence": c.influence, "attitude": c.attitude, "reports_to": c.reports_to}
                     for c in plan.contacts],
        "targets": [{"product": row.product, "year1": _number(row.year),
                     "year3": None if row.year3 is None else _number(row.year3),
                     "months": [_number(m) for m in row.months],
                     "weeks": [] if row.week is None else [
                         {"week": w, "amount": _number(a)}
                         for w, a in zip(row.week.weeks, row.week.amounts, strict=True)]}
                    for row in breakdown(plan.targets, plan.year or today.year, plan.seasonality,
                                         settings.closed_weeks, settings.week_split).rows],
        "year1_total": _number(plan.year1_total),
        "year3_total": None if plan.year3_total is None else _number(plan.year3_total),
        "visits_per_year": plan.visits_per_year,
        "milestones": [{"date": m.date.isoformat(), "title": m.title, "kind": m.kind,
                        "with": m.with_, "done": m.done, "outcome": m.outcome,
                        "status": m.status} for m in plan.milestones],
        "tags": list(plan.tags),
        "url": page_url(entry.src_uri, use_directory_urls),
        "actuals": None,
    }
    if actuals is not None and actuals.has_account(plan.account):
        result = progress(plan, actuals, today)
        if result is not None:
            record["actuals"] = {
                "months_counted": result.months_elapsed,
                "target_to_date": _number(result.target_ytd),
                "actual_to_date": _number(result.actual_ytd),
                "actual_by_month": [_number(a) for a in result.actual_by_month],
            }
    return record


def plans_json(found: Sequence[Entry], settings: Settings, today: dt.date,
               actuals: Actuals | None = None, use_directory_urls: bool = True) -> str:
    """The text json.dumps(indent=2) gives the whole document, made one plan at a time: with
    an indent, json encodes in Python and holds every small piece of the text at once (at
    1000 plans this set on_files' memory high-water: 99 MB, now 84 MB). A plan's JSON text
    has no line break but those of its indent (ensure_ascii=False still escapes control
    characters), so indenting it once more for its place in the list is a replace."""
    head = json.dumps({"$schema": "plans.schema.json", "computed_for": today.isoformat(), "plans": []},
                      ensure_ascii=False, indent=2)
    if not found:
        return head + "\n"
    plans = ",\n".join(
        "    " + json.dumps(plan_record(e, settings, today, actuals, use_directory_urls),
                          ensure_ascii=False, indent=2).replace("\n", "\n    ")
        for e in found)
    return head.removesuffix("[]\n}") + "[\n" + plans + "\n  ]\n}\n"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _enum_or_null(values: Sequence[str]) -> dict[str, Any]:
    return {"enum": [*values, None]}


_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_MONEY = {"type": "number"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": sorted(properties),
            "additionalProperties": False}


def plans_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of plans.json, published beside it."""
    plan = _object({
        "account": {"type": "string", "minLength": 1},
        "owner": _nullable({"type": "string"}),
        "year": _nullable({"type": "integer"}),
        "status": {"enum": list(STATUSES)},
        "reviewed": _nullable(_DATE),
        "last_review": _nullable(_DATE),
        "review_due": _nullable(_DATE),
        "language": {"enum": ["nl", "en"]},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "market_position": _enum_or_null(MARKET_POSITIONS),
        "organisation": _object({
            "industry": _nullable({"type": "string"}),
            "fte": _nullable({"type": "integer", "minimum": 1}),
            "website": _nullable({"type": "string"}),
        }),
        "contacts": {"type": "array", "items": _object({
            "name": {"type": "string"},
            "role": _nullable({"type": "string"}),
            "decision_maker": {"type": "boolean"},
            "influence": _enum_or_null(INFLUENCE),
            "attitude": _enum_or_null(ATTITUDES),
            "reports_to": _nullable({"type": "string"}),
        })},
        "targets": {"type": "array", "items": _object({
            "product": {"type": "string"},
            "year1": _MONEY,
            "year3": _nullable(_MONEY),
            "months": {"type": "array", "items": _MONEY, "minItems": 12, "maxItems": 12},
            "weeks": {"type": "array", "description": "The target of each selling week (ISO week "
                      "of the plan year; closed weeks left out); they add up to year1.",
                      "items": _object({
                          "week": {"type": "integer", "minimum": 1, "maximum": 53},
                          "amount": _MONEY,
                      })},
        })},
        "year1_total": _MONEY,
        "year3_total": _nullable(_MONEY),
        "visits_per_year": _nullable({"type": "integer", "minimum": 0}),
        "milestones": {"type": "array", "items": _object({
            "date": _DATE,
            "title": {"type": "string"},
            "kind": {"enum": list(MILESTONE_KINDS)},
            "with": _nullable({"type": "string"}),
            "done": {"type": "boolean"},
            "outcome": _nullable({"type": "string"}),
            "status": _enum_or_null(EVALUATION_STATUSES),
        })},
        "tags": {"type": "array", "items": {"type": "string"}},
        "url": {"type": "string"},
        "actuals": _nullable(_object({
            "months_counted": {"type": "integer", "minimum": 0, "maximum": 12},
            "target_to_date": _MONEY,
            "actual_to_date": _MONEY,
            "actual_by_month": {"type": "array", "items": _MONEY, "minItems": 12, "maxItems": 12},
        })),
    })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "plans.schema.json",
        "title": "Account plans",
        "description": "Every published account plan (drafts left out), as computed for one day. "
                       "Amounts are in the plan's currency.",
        "type": "object",
        "properties": {
            "$schema": {"type": "string"},
            "computed_for": _DATE,
            "plans": {"type": "array", "items": plan},
        },
        "required": ["computed_for", "plans"],
        "additionalProperties": False,
    }


def plans_schema_json() -> str:
    return json.dumps(plans_schema(), indent=2) + "\n"


CSV_COLUMNS = ("account", "owner", "year", "status", "product", "year1", "year3", "currency",
               "reviewed", "market_position", "tags", "url")


def plans_csv(found: Sequence[Entry], use_directory_urls: bool = True) -> bytes:
    """One row per plan and product (a plan without targets gets one row); UTF-8 with a
    byte-order mark, so spreadsheets read names like 'Müller' right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in found:
        plan = entry.plan
        common = (_text(plan.account), _text(plan.owner or ""), plan.year or "", plan.status)
        tail = (plan.reviewed.isoformat() if plan.reviewed else "", plan.market_position or "",
                _text(" ".join(plan.tags)), page_url(entry.src_uri, use_directory_urls))
        for target in plan.targets or [None]:
            product = ("", "", "") if target is None else (
                _text(target.product), f"{target.year1:.2f}",
                "" if target.year3 is None else f"{target.year3:.2f}")
            writer.writerow((*common, *product, plan.currency, *tail))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula (`=HYPERLINK(...)` in an
    account name): such cells get a leading apostrophe, as spreadsheets themselves do."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
