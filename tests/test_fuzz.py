"""Property-based: whatever the front-matter and body, the checker answers with coded problems.

Random YAML text, random Unicode, random nesting and sizes, random plan-shaped data dumped
with PyYAML, random bytes, random Markdown bodies: `check_text`/`check_bytes` never raise,
and every problem has a known code, a one-line message and no "internal error".
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import yaml
from accountplans import RULES, Settings, check_bytes, check_text
from accountplans.plan.check import CheckedFile
from accountplans.plan.problems import MAX_MESSAGE
from accountplans.plan.schema import CONTACT_FIELDS, MILESTONE_FIELDS, TARGET_FIELDS, TOP_FIELDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = Settings()
# FUZZ_EXAMPLES=2000 for a longer hunt; the default keeps `make test` quick on two cores.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

SECTIONS = ("## Organisation\nText.\n\n## Market position\nText.\n\n## Customer goals\nText.\n\n"
            "## Our goals\n{{ targets_table() }}\n\n## Timeline\n{{ milestones_table() }}\n")


def assert_answered(checked: CheckedFile, path: str = "plans/fuzz.md") -> None:
    """Only coded, one-line problems about this file; never an internal error."""
    for p in checked.problems:
        assert p.code in RULES, str(p)
        assert p.severity in ("error", "warning")
        assert p.path == path
        assert p.line >= 0 and p.col >= 0
        assert p.message and "\n" not in p.message, repr(p.message)
        assert len(p.message) <= MAX_MESSAGE + 3
        assert "internal error" not in p.message, str(p)
        assert "Traceback" not in p.message


def plan_text(front: str, body: str = SECTIONS) -> str:
    return f"---\n{front}\n---\n\n{body}"


# --- strategies -------------------------------------------------------------------------

YAML_PIECES = st.sampled_from([
    ":", ": ", "-", "- ", " ", "  ", "\n", "\n  ", "\t", "[", "]", "{", "}", ",", "&a ", "*a", "&b ",
    "*b", "!!str ", "!!int ", "!!binary ", "!x ", "'", '"', "#", "|", ">", "?", "...", "---", "%YAML 1.1",
    "<<: ", "account", "owner", "year", "reviewed", "targets", "contacts", "milestones", "year1",
    "2027", "2026-13-01", "2027-01-15", "012", "120.000", "1e6", "NO", "yes", "~", "null", "-5",
    "12:30", "é", "€", "🥐", "\u202e", "\x00", "\x85", "\ufeff", "\r",
])
yaml_like_text = st.lists(YAML_PIECES, max_size=60).map("".join)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=30), st.dates(), st.datetimes(),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)
keys = st.one_of(st.sampled_from(TOP_FIELDS + CONTACT_FIELDS + TARGET_FIELDS + MILESTONE_FIELDS),
                 st.text(max_size=12))
nested: st.SearchStrategy[Any] = st.deferred(lambda: st.one_of(
    scalars, st.lists(nested, max_size=4), st.dictionaries(keys, nested, max_size=4)))


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, nested)


contact = st.fixed_dictionaries({"name": _maybe(st.text(max_size=20))}, optional={
    "role": _maybe(st.text(max_size=10)), "decision_maker": _maybe(st.booleans()),
    "influence": _maybe(st.sampled_from(["low", "medium", "high", "huge"])),
    "attitude": _maybe(st.sampled_from(["champion", "critic", "enemy"])),
    "reports_to": _maybe(st.text(max_size=20)),
})
target = st.fixed_dictionaries({"product": _maybe(st.text(max_size=20))}, optional={
    "year1": _maybe(st.one_of(st.integers(), st.floats(), st.decimals(places=3).map(str))),
    "year3": _maybe(st.integers()),
})
milestone = st.fixed_dictionaries({"date": _maybe(st.dates()), "title": _maybe(st.text(max_size=20))},
                                  optional={
    "kind": _maybe(st.sampled_from(["contact", "visit", "evaluation", "deal", "party"])),
    "with": _maybe(st.text(max_size=20)), "done": _maybe(st.booleans()),
})
plan_shaped = st.fixed_dictionaries(
    {"account": _maybe(st.text(max_size=30))},
    optional={
        "owner": _maybe(st.text(max_size=20)),
        "year": _maybe(st.integers(min_value=1990, max_value=2110)),
        "reviewed": _maybe(st.one_of(st.dates(), st.datetimes())),
        "status": _maybe(st.sampled_from(["active", "draft", "archived", "gone"])),
        "language": _maybe(st.sampled_from(["nl", "en", "de", False])),
        "currency": _maybe(st.sampled_from(["EUR", "usd", "€"])),
        "organisation": _maybe(st.fixed_dictionaries({}, optional={
            "industry": st.text(max_size=10), "fte": st.integers(), "website": st.text(max_size=20)})),
        "market_position": _maybe(st.sampled_from(["leader", "runner-up", "niche", "king"])),
        "contacts": _maybe(st.lists(contact, max_size=4)),
        "targets": _maybe(st.lists(target, max_size=4)),
        "seasonality": _maybe(st.lists(st.integers(min_value=-2, max_value=20), max_size=14)),
        "visits_per_year": _maybe(st.integers()),
        "milestones": _maybe(st.lists(milestone, max_size=6)),
        "tags": _maybe(st.lists(st.text(max_size=8), max_size=4)),
        "extra_field": nested,
    },
)

BODY_LINES = st.sampled_from([
    "## Organisation", "## Organisatie", "## Market position", "## Customer goals", "## SWOT",
    "## Our goals", "## Onze doelen", "## Timeline", "## Tijdsplanning", "# Title", "### Sub",
    "##", "## ", "Some text.", "", "```", "~~~", "````python", "{{ targets_table() }}",
    "{{ milestones_table() }}", "{{ targets_tabel() }}", "{{ config }}", "{% if x %}", "{#", "}}",
    "<script>alert(1)</script>", '<p onclick="x()">', "[a](javascript:alert(1))", "`<script>`",
    "| a | b |", "|---|---|", "- item", "1. item", "<!-- note -->", "\t## Timeline",
])
bodies = st.lists(st.one_of(BODY_LINES, st.text(max_size=40)), max_size=40).map("\n".join)


# --- properties ---------------------------------------------------------------------------


@FUZZ
@given(front=st.text(max_size=300), body=st.text(max_size=300))
def test_random_unicode_front_matter_and_body(front: str, body: str) -> None:
    """Any Unicode text as front-matter and body gets coded problems only."""
    assert_answered(check_text("plans/fuzz.md", plan_text(front, body), SETTINGS))


@FUZZ
@given(front=yaml_like_text, body=bodies)
def test_random_yaml_like_text(front: str, body: str) -> None:
    """Text made of YAML's special characters, anchors, tags and tricky scalars."""
    assert_answered(check_text("plans/fuzz.md", plan_text(front, body), SETTINGS))


@FUZZ
@given(data=st.dictionaries(keys, nested, max_size=8), flow=st.sampled_from([None, True, False]))
def test_random_nested_data_dumped_with_yaml(data: dict[str, Any], flow: bool | None) -> None:
    """Random nested mappings and lists of random scalars, as PyYAML writes them."""
    front = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    assert_answered(check_text("plans/fuzz.md", plan_text(front), SETTINGS))


@FUZZ
@given(data=plan_shaped, body=st.one_of(st.just(SECTIONS), bodies))
def test_random_plan_shaped_data(data: dict[str, Any], body: str) -> None:
    """Plan-shaped data with random (and often wrong) values in every field."""
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    checked = check_text("plans/fuzz.md", plan_text(front, body), SETTINGS)
    assert_answered(checked)


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    """Any bytes (after a front-matter start or not) are answered: text or AP403."""
    assert_answered(check_bytes("plans/fuzz.md", b"---\n" + data, SETTINGS))
    assert_answered(check_bytes("plans/fuzz.md", data, SETTINGS))


@FUZZ
@given(depth=st.integers(min_value=1, max_value=3000), kind=st.sampled_from(["[", "{a: ", "- "]))
def test_deep_nesting(depth: int, kind: str) -> None:
    """Very deep nesting is refused with a code, not a RecursionError."""
    if kind == "- ":
        front = "account: A\ntags:\n" + "".join("  " * i + "- \n" for i in range(depth)) + "  " * depth + "x"
    else:
        close = "]" if kind == "[" else "}"
        front = "account: A\ntags: " + kind * depth + "x" + close * depth
    assert_answered(check_text("plans/fuzz.md", plan_text(front), SETTINGS))


@FUZZ
@given(count=st.integers(min_value=0, max_value=30_000))
def test_many_values(count: int) -> None:
    """Front-matter of any size up to far beyond a plan's is answered."""
    front = "account: A\ntags: [" + ", ".join(["t"] * count) + "]"
    assert_answered(check_text("plans/fuzz.md", plan_text(front), SETTINGS))


def test_plan_shaped_values_are_read() -> None:
    """A dumped, valid plan-shaped dict is read back without problems (the oracle works)."""
    data = {
        "account": "Dumped B.V.", "owner": "A. Owner", "year": 2027, "reviewed": dt.date(2026, 11, 1),
        "contacts": [{"name": "Kim", "decision_maker": True}],
        "targets": [{"product": "P", "year1": 1000}],
        "milestones": [{"date": dt.date(2027, m, 1), "title": f"E{m}", "kind": "evaluation", "with": "Kim"}
                       for m in (1, 4, 7, 10)],
    }
    checked = check_text("plans/fuzz.md", plan_text(yaml.safe_dump(data)), SETTINGS)
    assert checked.problems == ()
