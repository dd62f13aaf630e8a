"""The tables that are the one source of a concept: the rule table (problems.RULE_TABLE),
from which the rules_table macro and the README's rule table are made."""

from __future__ import annotations

import datetime as dt
import importlib
import re

from accountplans import Settings
from accountplans.i18n import gettext
from accountplans.portfolio import portfolio_macros
from accountplans.problems import DRAFT_WARNINGS, RULE_TABLE, RULES, rules_markdown
from conftest import ROOT

TODAY = dt.date(2027, 3, 1)


def _readme_block(name: str) -> str | None:
    """The text of README.md between `<!-- {name}: start ... -->` and `<!-- {name}: end -->`."""
    found = re.search(rf"<!-- {name}: start[^>]*-->\n(.*?)\n<!-- {name}: end -->",
                      (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    return found.group(1) if found else None


def test_readme_rule_table_is_the_rule_table() -> None:
    """The README's rule table is exactly what rules_markdown() makes from RULE_TABLE."""
    assert _readme_block("rule table") == rules_markdown(), (
        "README.md's rule table differs from problems.RULE_TABLE; replace it with:\n"
        + rules_markdown())


def test_rule_codes_are_unique_and_in_order() -> None:
    """Each code is in the table once, and the table is in code order."""
    codes = [rule.code for rule in RULE_TABLE]
    assert codes == sorted(set(codes))
    assert list(RULES) == codes


def test_each_rule_is_found_by_its_checker() -> None:
    """The module a rule names as its checker exists and reports that code."""
    for rule in RULE_TABLE:
        module = importlib.import_module(f"accountplans.{rule.checker}")
        source = (ROOT / "hooks" / "accountplans" / f"{rule.checker}.py").read_text(encoding="utf-8")
        assert module is not None
        assert rule.code in source, f"{rule.code}: {rule.checker}.py never mentions it"


def test_draft_warnings_come_from_the_table() -> None:
    """The rules a draft lowers to warnings are the table's draft_warning entries, all errors."""
    assert {r.code for r in RULE_TABLE if r.draft_warning} == DRAFT_WARNINGS
    assert all(RULES[code].severity == "error" for code in DRAFT_WARNINGS)


def test_rules_table_macro_is_in_the_page_language() -> None:
    """A Dutch site's rules table shows each rule's summary and severity from the catalog."""
    html = portfolio_macros({}, Settings(language="nl"), TODAY)["rules_table"]()
    for rule in RULE_TABLE:
        dutch = gettext(rule.summary, "nl")
        assert dutch != rule.summary, f"{rule.code}: no Dutch summary"
        assert dutch.replace("'", "&#x27;") in html or dutch in html
    assert "<td>fout</td>" in html and "<td>waarschuwing</td>" in html


def test_rules_table_macro_in_english_shows_the_summaries() -> None:
    """An English site's rules table holds every code with its English summary."""
    html = portfolio_macros({}, Settings(language="en"), TODAY)["rules_table"]()
    for rule in RULE_TABLE:
        assert f"<code>{rule.code}</code>" in html
        assert rule.summary.replace("'", "&#x27;") in html


def test_rule_texts_are_translated() -> None:
    """Every rule's fix reads differently in Dutch (its catalog entry is filled)."""
    assert all(gettext(rule.fix, "nl") != rule.fix for rule in RULE_TABLE)
