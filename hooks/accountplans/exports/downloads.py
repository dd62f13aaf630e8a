"""Downloads: calendar.ics (all plans and one per owner), plans.json with its JSON Schema,
and plans.csv. Plain functions of the plans and `today`; the hook publishes the bytes.

A subscribed calendar updates an event instead of duplicating it when the event's UID stays
the same, so a UID is a hash of what identifies the event, never of its date nor of the time
of the build: a milestone's is its plan's account, its title and its kind (event_uid), a
quarter's reminder its account, year and quarter (reminder_uid). Events carry their texts in
the plan's language; plans.csv is written in the site's language and its spreadsheets'
dialect (CSV_DIALECTS). Drafts are never exported; archived plans are in plans.json and
plans.csv (with their status) but not in the calendars.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import keyword
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import encode_basestring as _json_string  # ensure_ascii=False's C encoder
from typing import Any
from urllib.parse import quote

from accountplans import fmt
from accountplans.compute.actuals import Actuals, progress
from accountplans.compute.breakdown import TargetRow, breakdown, month_rows
from accountplans.compute.figures import Entry, active, review_due, reviewed_on
from accountplans.compute.memo import by_identity
from accountplans.compute.schedule import quarterly_evaluations
from accountplans.exports import ics
from accountplans.i18n import N_, gettext
from accountplans.names import name_key
from accountplans.plan.fields import PLAN_FIELDS, Field
from accountplans.plan.model import Contact, Milestone, Organisation, Plan, Target
from accountplans.settings import Settings
from accountplans.site.links import page_url

PRODID = "-//accountplans//account plan site//EN"
UID_DOMAIN = "accountplans.invalid"

#: The texts of the calendar events, each a whole sentence, in the plan's language.
_EVENT_SUMMARY = N_("{account}: {title}")
_EVENT_KIND = N_("Kind: {kind}.")
_EVENT_WITH = N_("With: {names}.")
_EVENT_DONE = N_("Done.")
_EVENT_OWNER = N_("Account manager: {owner}.")
_EVENT_PLAN = N_("Plan: {url}")
_REMINDER_TITLE = N_("Quarterly evaluation Q{quarter} {year} (not planned yet)")
_REMINDER_TEXT = N_("The plan is evaluated every quarter: plan a date with the customer and add "
                    "it as a milestone.")
_NO_OWNER = N_("(no owner)")


def event_uid(account: str, title: str, kind: str, occurrence: int = 1) -> str:
    """What identifies a milestone to a calendar: its plan's account, its title and its kind,
    never its date, so that moving a milestone moves the event instead of adding one. The
    `occurrence`-th milestone of a plan with the same title and kind (counted in the plan's
    own order, which a date change does not alter) gets `-occurrence` in its UID."""
    uid = _event_uid(name_key(account), title, kind)
    return uid if occurrence == 1 else uid.replace("@", f"-{occurrence}@", 1)


def _event_uid(account_key: str, title: str, kind: str) -> str:
    """event_uid of the first occurrence, by the account's name_key (made once per plan)."""
    key = f"{account_key}|{' '.join(title.split())}|{kind}"
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def reminder_uid(account: str, year: int, quarter: int) -> str:
    """The UID of the reminder to plan a quarter's evaluation: the same whatever the texts'
    language, and distinct from any milestone's (whose keys have three parts)."""
    key = f"{name_key(account)}|evaluation-reminder|{year}|{quarter}|"
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


def _quarter_end(year: int, quarter: int) -> dt.date:
    """The last weekday of the quarter: the date by which its evaluation is due."""
    day = dt.date(year, 3 * quarter, 31 if quarter in (1, 4) else 30)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def absolute_url(site_url: str, src_uri: str, use_directory_urls: bool = True) -> str:
    """The page of `src_uri` under `site_url`, its path percent-encoded (a URI has no spaces)."""
    return site_url.rstrip("/") + "/" + quote(page_url(src_uri, use_directory_urls), safe="/")


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event of a plan, with every text as the calendar shows it."""

    uid: str
    day: dt.date
    summary: str
    description: str
    kind: str
    url: str | None = None


def calendar_events(entry: Entry, site_url: str | None = None,
                    use_directory_urls: bool = True) -> list[CalendarEvent]:
    """Every milestone of the plan, plus a reminder for each quarter of the plan year whose
    evaluation is not planned yet (the plan is evaluated every quarter), by date, in the
    plan's language. With `site_url` each event carries its plan's page (URL and the last
    line of its description); without it there is no absolute link to give."""
    plan = entry.plan
    lang = plan.language
    url = absolute_url(site_url, entry.src_uri, use_directory_urls) if site_url else None
    owner = " ".join(plan.owner.split()) if plan.owner else gettext(_NO_OWNER, lang)
    tail = [gettext(_EVENT_OWNER, lang, owner=owner)]
    if url:
        tail.append(gettext(_EVENT_PLAN, lang, url=url))
    events: list[CalendarEvent] = []
    seen: dict[str, int] = {}
    account_key = name_key(plan.account)
    for m in plan.milestones:
        first = _event_uid(account_key, m.title, m.kind)
        seen[first] = occurrence = seen.get(first, 0) + 1
        # event_uid(..., occurrence), without hashing the same key again.
        uid = first if occurrence == 1 else first.replace("@", f"-{occurrence}@", 1)
        details = [gettext(_EVENT_KIND, lang, kind=fmt.value(m.kind, lang))]
        if m.with_:
            details.append(gettext(_EVENT_WITH, lang, names=m.with_))
        if m.done:
            details.append(gettext(_EVENT_DONE, lang))
        events.append(CalendarEvent(
            uid, m.date,
            gettext(_EVENT_SUMMARY, lang, account=plan.account, title=m.title),
            "\n".join([*details, *tail]), m.kind, url))
    if plan.year is not None:
        for evaluation in quarterly_evaluations(plan.milestones, plan.year):
            if not evaluation.planned:
                quarter = evaluation.quarter
                title = gettext(_REMINDER_TITLE, lang, quarter=quarter, year=plan.year)
                events.append(CalendarEvent(
                    reminder_uid(plan.account, plan.year, quarter), _quarter_end(plan.year, quarter),
                    gettext(_EVENT_SUMMARY, lang, account=plan.account, title=title),
                    "\n".join([gettext(_REMINDER_TEXT, lang), *tail]), "evaluation", url))
    return sorted(events, key=lambda e: (e.day, e.summary, e.uid))


def plan_events(entry: Entry, today: dt.date, site_url: str | None = None,
                use_directory_urls: bool = True) -> bytes:
    """The VEVENTs of one plan, in iCalendar text. A plan's events are the same in the site's
    calendar and its owner's, so the hook serialises them once for both."""
    return _plan_events(entry.plan, entry.src_uri, today, site_url, use_directory_urls)


@by_identity(0)
def _plan_events(plan: Plan, src_uri: str, today: dt.date, site_url: str | None,
                 use_directory_urls: bool) -> bytes:
    """plan_events, kept per plan (see accountplans.compute.memo); the events read the plan and its
    page only."""
    entry = Entry(src_uri, plan)
    return b"".join(ics.all_day_event(
        uid=e.uid, stamp=today, start=e.day, end=e.day + dt.timedelta(days=1), summary=e.summary,
        description=e.description, categories=(e.kind,), url=e.url)
        for e in calendar_events(entry, site_url, use_directory_urls))


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
    """A plan's record in plans.json, in RECORD_KEYS' order: its front-matter fields as the
    field table declares them (accountplans.plan.fields), then what the export computes."""
    plan = entry.plan
    due = review_due(plan, settings, today)
    last = reviewed_on(plan, today)
    computed: dict[str, Any] = {
        "last_review": last.isoformat() if last else None,
        "review_due": due.isoformat() if due else None,
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
        "url": page_url(entry.src_uri, use_directory_urls),
        "actuals": None,
    }
    if actuals is not None and actuals.has_account(plan.account):
        result = progress(plan, actuals, today)
        if result is not None:
            computed["actuals"] = {
                "months_counted": result.months_elapsed,
                "target_to_date": _number(result.target_ytd),
                "actual_to_date": _number(result.actual_ytd),
                "actual_by_month": [_number(a) for a in result.actual_by_month],
            }
    return {key: computed[key] if key in computed else _exported_value(_RECORD_FIELDS[key], plan)
            for key in RECORD_KEYS}


def _exported_value(spec: Field, holder: object) -> Any:
    """A front-matter field's value in plans.json, by its kind in the field table: dates as
    ISO text, amounts as JSON numbers, blocks as objects of their own fields."""
    value = getattr(holder, _attribute(spec.name))
    if value is None:
        return None
    if spec.kind == "date":
        return value.isoformat()
    if spec.kind == "amount":
        return _number(value)
    if spec.kind == "texts":
        return list(value)
    if spec.kind == "block":
        return {part.name: _exported_value(part, value) for part in spec.parts}
    if spec.kind == "blocks":
        return [{part.name: _exported_value(part, item) for part in spec.parts} for item in value]
    return value


def _attribute(name: str) -> str:
    """The model's attribute of a field (`with` is a Python keyword: `with_`)."""
    return name + "_" if keyword.iskeyword(name) else name


def plans_json(found: Sequence[Entry], settings: Settings, today: dt.date,
               actuals: Actuals | None = None, use_directory_urls: bool = True) -> str:
    """The text json.dumps(indent=2) gives the whole document (plans_json_pieces, joined)."""
    return "".join(plans_json_pieces(found, settings, today, actuals, use_directory_urls))


def plans_json_pieces(found: Sequence[Entry], settings: Settings, today: dt.date,
                      actuals: Actuals | None = None, use_directory_urls: bool = True) -> Iterator[str]:
    """plans.json in pieces, one plan's record at a time, for the build to write as they are
    made: the whole text (15 MB at 1000 plans) is never held, nor the list of its records.
    With an indent, json encodes in Python and holds every small piece of the text at once;
    a plan's JSON text has no line break but those of its indent (ensure_ascii=False still
    escapes control characters), so it is indented once more for its place in the list."""
    head = json.dumps({"$schema": "plans.schema.json", "computed_for": today.isoformat(), "plans": []},
                      ensure_ascii=False, indent=2)
    if not found:
        yield head + "\n"
        return
    yield head.removesuffix("[]\n}") + "[\n"
    separator = ""
    for e in found:
        yield separator + _plan_json(e.plan, e.src_uri, settings, today, actuals, use_directory_urls)
        separator = ",\n"
    yield "\n  ]\n}\n"


@by_identity(0, 4)
def _plan_json(plan: Plan, src_uri: str, settings: Settings, today: dt.date,
               actuals: Actuals | None, use_directory_urls: bool) -> str:
    """One plan's record in plans.json, indented for its place in the list; kept per plan
    (see accountplans.compute.memo): encoding is most of plans.json's time."""
    record = plan_record(Entry(src_uri, plan), settings, today, actuals, use_directory_urls)
    try:
        return "    " + indented_json(record, "\n    ")
    except TypeError:  # a value indented_json does not write: json's own encoder
        return "    " + json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n    ")


def indented_json(value: Any, newline: str = "\n") -> str:
    """The text `json.dumps(value, ensure_ascii=False, indent=2)` gives, with every line after
    the first starting with `newline`'s indent: with an indent, json encodes in Python, one
    generator per container and a call per piece, which was most of plans.json's time (a
    week target is a small dict, ~125,000 of them at 1000 plans). Takes dicts with str keys,
    lists, tuples, str, int, float, bool and None; raises TypeError for anything else."""
    out: list[str] = []
    _write_json(value, newline, out)
    return "".join(out)


def _write_json(value: Any, newline: str, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(_json_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float and value - value == 0:  # finite: json writes NaN and Infinity its way
        out.append(float.__repr__(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(f"indented_json writes str keys only, not {type(key).__name__}")
            out.append(separator)
            out.append(_json_string(key))
            out.append(": ")
            _write_json(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write_json(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:
        raise TypeError(f"indented_json does not write {kind.__name__}")


#: The keys of a plan's record in plans.json, in the order plan_record writes them: every
#: front-matter field of the field table but seasonality (the months carry it), and what the
#: export computes.
RECORD_KEYS = ("account", "owner", "year", "status", "reviewed", "last_review", "review_due",
               "language", "currency", "market_position", "organisation", "contacts", "targets",
               "year1_total", "year3_total", "visits_per_year", "milestones", "tags", "url",
               "actuals")
#: The front-matter fields plans.json repeats as written (the others it computes).
_RECORD_FIELDS = {spec.name: spec for spec in PLAN_FIELDS if spec.name in RECORD_KEYS}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _enum_or_null(values: Sequence[str]) -> dict[str, Any]:
    return {"enum": [*values, None]}


_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_MONEY = {"type": "number"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": sorted(properties),
            "additionalProperties": False}


#: The model's class of each block of the field table (the front-matter's own is Plan).
_MODEL_OF: dict[str, type] = {"": Plan, "organisation": Organisation, "contacts": Contact,
                              "targets": Target, "milestones": Milestone}
#: How plans.json writes each kind of front-matter value (a `with:` list as one text).
_EXPORTED_KIND: dict[str, dict[str, Any]] = {
    "text": {"type": "string"}, "whole": {"type": "integer"}, "amount": _MONEY, "date": _DATE,
    "flag": {"type": "boolean"}, "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    "website": {"type": "string"}, "names": {"type": "string"},
    "texts": {"type": "array", "items": {"type": "string"}},
}


def _exported(field: Field, block: str) -> dict[str, Any]:
    """The export's schema of a front-matter field: its kind as plans.json writes it, the
    table's values and range, and null allowed where the model's value may be None."""
    hint = typing.get_type_hints(_MODEL_OF[block])[field.name if field.name != "with" else "with_"]
    nullable = type(None) in typing.get_args(hint)
    if field.kind == "choice":
        return _enum_or_null(field.values) if nullable else {"enum": list(field.values)}
    if field.kind in ("block", "blocks"):
        item = _object({part.name: _exported(part, field.name) for part in field.parts})
        return item if field.kind == "block" else {"type": "array", "items": item}
    schema = dict(_EXPORTED_KIND[field.kind])
    if field.kind == "whole":
        schema |= {"minimum": field.low, "maximum": field.high}
    if field.kind == "text" and field.required and not nullable:
        schema["minLength"] = 1
    return _nullable(schema) if nullable else schema


def plans_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of plans.json, published beside it: the front-matter's
    fields from the field table (accountplans.plan.fields), and what the export computes."""
    front = {field.name: _exported(field, "") for field in PLAN_FIELDS if field.name in RECORD_KEYS}
    front["targets"]["items"]["properties"] |= {
        "months": {"type": "array", "items": _MONEY, "minItems": 12, "maxItems": 12},
        "weeks": {"type": "array", "description": "The target of each selling week (ISO week "
                  "of the plan year; closed weeks left out); they add up to year1.",
                  "items": _object({
                      "week": {"type": "integer", "minimum": 1, "maximum": 53},
                      "amount": _MONEY,
                  })},
    }
    front["targets"]["items"]["required"] = sorted(front["targets"]["items"]["properties"])
    computed = {
        "last_review": _nullable(_DATE),
        "review_due": _nullable(_DATE),
        "year1_total": _MONEY,
        "year3_total": _nullable(_MONEY),
        "url": {"type": "string"},
        "actuals": _nullable(_object({
            "months_counted": {"type": "integer", "minimum": 0, "maximum": 12},
            "target_to_date": _MONEY,
            "actual_to_date": _MONEY,
            "actual_by_month": {"type": "array", "items": _MONEY, "minItems": 12, "maxItems": 12},
        })),
    }
    plan = _object({key: front[key] if key in front else computed[key] for key in RECORD_KEYS})
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


#: The columns of plans.csv, headed in the site's language; then the month and quarter
#: target columns (CSV_MONTHS, CSV_QUARTERS) and the link.
CSV_COLUMNS = (N_("Account"), N_("Account manager"), N_("Plan year"), N_("Status"), N_("Product"),
               N_("Year 1"), N_("Year 3"), N_("Currency"), N_("Reviewed"), N_("Market position"),
               N_("Tags"))
CSV_MONTH = N_("Target {month}")
CSV_QUARTER = N_("Target Q{quarter}")
CSV_LINK = N_("Link")
_STATUS = {"active": N_("active"), "archived": N_("archived"), "draft": N_("draft")}


@dataclass(frozen=True)
class CsvDialect:
    """How a spreadsheet of the site's language reads a CSV file without asking: Dutch
    spreadsheets (Excel, LibreOffice, Numbers with Dutch regional settings) split on `;` and
    read `1234,50` as a number, since the comma is their decimal sign; English ones split on
    `,` and read `1234.50`. Amounts have no thousands separator, which every one reads."""

    delimiter: str
    decimal: str


CSV_DIALECTS = {"nl": CsvDialect(";", ","), "en": CsvDialect(",", ".")}


def plans_csv(found: Sequence[Entry], use_directory_urls: bool = True,
              settings: Settings | None = None, site_url: str | None = None) -> bytes:
    """One row per plan and product (a plan without targets gets one row), in the site's
    language and its spreadsheets' dialect (CSV_DIALECTS): headings, status and market
    position in words, amounts with two decimals, each month's and quarter's target, and a
    link to the plan's page: absolute under `site_url`, else relative to the site (where
    plans.csv itself is). UTF-8 with a byte-order mark, so spreadsheets read 'Müller' right."""
    settings = settings or Settings()
    lang = settings.language
    dialect = CSV_DIALECTS.get(lang, CSV_DIALECTS["en"])

    def amount(value: Decimal | None) -> str:
        return "" if value is None else f"{value:.2f}".replace(".", dialect.decimal)

    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    months = fmt.month_names(lang)
    writer.writerow([gettext(c, lang) for c in CSV_COLUMNS]
                    + [gettext(CSV_MONTH, lang, month=m) for m in months]
                    + [gettext(CSV_QUARTER, lang, quarter=q) for q in range(1, 5)]
                    + [gettext(CSV_LINK, lang)])
    for entry in found:
        plan = entry.plan
        link = (absolute_url(site_url, entry.src_uri, use_directory_urls) if site_url
                else page_url(entry.src_uri, use_directory_urls))
        status = gettext(_STATUS[plan.status], lang) if plan.status in _STATUS else plan.status
        common = (_text(plan.account), _text(plan.owner or ""), plan.year or "", status)
        tail = (plan.currency, plan.reviewed.isoformat() if plan.reviewed else "",
                fmt.value(plan.market_position, lang) if plan.market_position else "",
                _text(" ".join(plan.tags)))
        if not plan.targets:
            writer.writerow((*common, "", "", "", *tail, *[""] * 16, link))
        # One breakdown row per target, in the plan's order (the months the plan page shows).
        # (Months do not depend on the weeks, which month_rows leaves out.)
        rows: Sequence[TargetRow | None] = (
            month_rows(plan.targets, plan.seasonality)
            if plan.year is not None else [None] * len(plan.targets))
        for target, row in zip(plan.targets, rows, strict=True):
            parts = ([amount(m) for m in row.months] + [amount(q) for q in row.quarters]
                     if row is not None else [""] * 16)
            writer.writerow((*common, _text(target.product), amount(target.year1), amount(target.year3),
                             *tail, *parts, link))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula (`=HYPERLINK(...)` in an
    account name): such cells get a leading apostrophe, as spreadsheets themselves do."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
