"""Every document of the YAML test suite as a plan's front-matter: answered, never a traceback.

The suite (406 documents, valid and invalid YAML; MIT licence) is vendored in
tests/data/yaml-test-suite/ (its README and License beside it). Each document is used twice:
as the whole front-matter, and indented under a plan field, so the plan rules see it too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from accountplans import RULES, Settings, check_text

CASES_FILE = Path(__file__).parent / "data" / "yaml-test-suite" / "cases.json"
BODY = ("\n## Organisation\nx\n\n## Market position\nx\n\n## Customer goals\nx\n\n## SWOT\nx\n\n"
        "## Our goals\nx\n\n## Timeline\nx\n")
HEAD = "account: Suite B.V.\nowner: O\nyear: 2027\nreviewed: 2026-11-02\n"
# The loader the checker uses: libyaml's where PyYAML has it (it accepts a few more documents).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FIELDS = ("organisation", "contacts", "targets", "milestones", "tags", "seasonality", "year")


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    if not CASES_FILE.is_file():
        pytest.fail(f"the YAML test suite is missing: expected {CASES_FILE}; it cannot be skipped")
    loaded: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    return loaded


def _with_newline(document: str) -> str:
    """Some documents end without a newline; the closing --- must be on a line of its own."""
    return document if document.endswith("\n") else document + "\n"


def _unanswered(text: str) -> list[str]:
    """Problems that are not a coded, one-line answer (empty when all is well)."""
    bad = []
    for p in check_text("plans/suite.md", text, Settings()).problems:
        if p.code not in RULES or "internal error" in p.message or "\n" in p.message:
            bad.append(str(p))
    return bad


def test_suite_has_all_406_documents(cases: list[dict[str, Any]]) -> None:
    """The whole suite is there: 406 documents, some valid and some invalid YAML."""
    assert len(cases) == 406
    assert {c["fail"] for c in cases} == {True, False}


def test_every_document_as_front_matter(cases: list[dict[str, Any]]) -> None:
    """Each document between --- lines, with the six sections as body, is answered."""
    failures = {}
    for case in cases:
        bad = _unanswered(f"---\n{_with_newline(case['yaml'])}---\n{BODY}")
        if bad:
            failures[case["id"]] = bad
    assert failures == {}


def test_documents_pyyaml_rejects_are_ap002(cases: list[dict[str, Any]]) -> None:
    """Where PyYAML cannot compose the front-matter, the checker says AP002 at a line."""
    rejected = 0
    for case in cases:
        front = _with_newline(case["yaml"])
        if any(line.rstrip() in ("---", "...") for line in front.split("\n")):
            continue  # the front-matter would end at that line
        try:
            yaml.compose(front, Loader=LOADER)
        except yaml.YAMLError:
            rejected += 1
            found = check_text("p.md", f"---\n{front}---\n", Settings()).problems
            assert [p.code for p in found] == ["AP002"], (case["id"], [str(p) for p in found])
            assert found[0].line >= 2, str(found[0])
    assert rejected > 50


@pytest.mark.parametrize("field", FIELDS)
def test_every_document_under_a_plan_field(cases: list[dict[str, Any]], field: str) -> None:
    """Each document indented under a plan field reaches the schema and is answered."""
    failures = {}
    for case in cases:
        indented = "".join(f"  {line}\n" for line in case["yaml"].split("\n"))
        head = HEAD.replace(f"{field}: ", "x_: ")
        bad = _unanswered(f"---\n{head}{field}:\n{indented}---\n{BODY}")
        if bad:
            failures[case["id"]] = bad
    assert failures == {}
