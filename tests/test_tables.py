"""The tables that are the one source of a concept: the rule table (problems.RULE_TABLE),
from which the rules_table macro and the README's rule table are made; the field table
(fields.py), from which the reader, `new`, the front-matter JSON Schema and the README's
field table are made; and the macro table (macrotable.py), from which every list of macro
names and every pattern that finds a call is made."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from accountplans import Settings, check_text
from accountplans.exports.downloads import RECORD_KEYS, plans_schema
from accountplans.i18n import gettext
from accountplans.plan.body import check_templates
from accountplans.plan.fields import PLAN_FIELDS, field
from accountplans.plan.fieldschema import (
    SCHEMA_FILES,
    SCHEMA_URI,
    fields_markdown,
    front_matter_schema,
    front_matter_schema_json,
)
from accountplans.plan.newplan import new_plan
from accountplans.plan.printsize import ESTIMATES, estimate_lines
from accountplans.plan.problems import DRAFT_WARNINGS, RULE_TABLE, RULES, rules_markdown
from accountplans.plan.rendered import _TEMPLATE_ONLY as RENDERED_TEMPLATE_ONLY
from accountplans.plan.schema import FILLED_IN_LATER, TOP_FIELDS
from accountplans.site.htmlblocks import plain_markdown
from accountplans.site.macros import plan_macros
from accountplans.site.macrotable import MACRO_TABLE, PLAN_MACROS, PORTFOLIO_MACROS
from accountplans.site.portfolio import portfolio_macros
from conftest import ROOT
from jsonschema import Draft202012Validator
from plan_factory import TODAY as BUILD_DAY
from plan_factory import build_site, clear_plans, epoch, plan_text, write_plan

DATA = Path(__file__).parent / "data"

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
        source_file = ROOT / "hooks" / "accountplans" / f"{rule.checker.replace('.', '/')}.py"
        source = source_file.read_text(encoding="utf-8")
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


# --- the field table ------------------------------------------------------------------------


def _front_matter(text: str) -> Any:
    """The front-matter as an editor's YAML 1.2 parser gives it: dates stay text."""
    data = yaml.safe_load(text.split("---\n")[1])

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    return plain(data)


def _schema_errors(text: str) -> list[str]:
    validator = Draft202012Validator(front_matter_schema())
    return [e.message for e in validator.iter_errors(_front_matter(text))]


#: Every plan of tests/data that check passes without an error.
GOOD_PLANS = sorted([DATA / "good-plan.md", DATA / "good-plan-nl.md",
                     *(DATA / "search").glob("*.md"), *(DATA / "hostile").glob("ok-plan-*.md")])
#: Every plan of tests/data whose front-matter check refuses.
BAD_PLANS = sorted([DATA / "bad-plan.md", *(DATA / "hostile").glob("ap005-*.md")])


def test_readme_field_table_is_the_field_table() -> None:
    """The README's field table is exactly what fields_markdown() makes from the field table."""
    assert _readme_block("field table") == fields_markdown(), (
        "README.md's field table differs from accountplans.plan.fields; replace it with:\n"
        + fields_markdown())


@pytest.mark.parametrize("language", sorted(SCHEMA_FILES))
def test_committed_schema_is_the_field_table(language: str) -> None:
    """The schema committed for editors is what the field table makes (refresh it with
    `python -m accountplans.plan.fieldschema`)."""
    committed = (ROOT / SCHEMA_FILES[language]).read_text(encoding="utf-8")
    assert committed == front_matter_schema_json(language)


def test_schema_is_a_valid_2020_12_schema() -> None:
    """The front-matter schema is itself valid under draft 2020-12's meta-schema."""
    for language in SCHEMA_FILES:
        Draft202012Validator.check_schema(front_matter_schema(language))


def test_schema_lists_the_reader_s_fields() -> None:
    """The schema's properties are the fields the reader knows, in the same order."""
    assert tuple(front_matter_schema()["properties"]) == TOP_FIELDS


@pytest.mark.parametrize("path", GOOD_PLANS, ids=lambda p: p.name)
def test_good_plans_validate(path: Path) -> None:
    """A plan that check passes validates against the front-matter schema."""
    text = path.read_text(encoding="utf-8")
    assert [p for p in check_text(str(path), text, Settings()).problems if p.is_error] == []
    assert _schema_errors(text) == []


@pytest.mark.parametrize("path", BAD_PLANS, ids=lambda p: p.name)
def test_bad_plans_fail(path: Path) -> None:
    """A plan whose front-matter check refuses (AP005) fails the schema too."""
    text = path.read_text(encoding="utf-8")
    assert "AP005" in {p.code for p in check_text(str(path), text, Settings()).problems}
    assert _schema_errors(text) != []


GOOD = (DATA / "good-plan.md").read_text(encoding="utf-8")

#: A wrong value for a field, as a replacement of one line of good-plan.md; check reports
#: each (AP004-AP006) and so does the schema.
WRONG = [
    ("year: 2027", "year: 1999"),
    ("year: 2027", "year: twenty"),
    ("reviewed: 2026-11-10", "reviewed: 10-11-2026"),
    ("status: active", "status: finished"),
    ("language: en", "language: de"),
    ("currency: EUR", "currency: EURO"),
    ("  fte: 850", "  fte: 0"),
    ("  website: https://northwind.example", "  website: northwind.example"),
    ("market_position: challenger", "market_position: giant"),
    ("    influence: high", "    influence: huge"),
    ("    decision_maker: true", "    decision_maker: maybe"),
    ("    year1: 80000", "    year1: 0"),
    ("    year3: 210000", "    year3: -1"),
    ("seasonality: [8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9]", "seasonality: [8, 8]"),
    ("visits_per_year: 4", "visits_per_year: 400"),
    ("    kind: evaluation\n    with: Grace Hill", "    kind: meeting\n    with: Grace Hill"),
    ("    title: Q2 review\n    kind: evaluation", "    title: Q2 review\n    kind: visit\n"
     "    outcome: fine"),
    ("  - name: Omar Reed", "  - nam: Omar Reed"),
    ("owner: Tom Baker", "ownr: Tom Baker"),
    ("tags: [logistics, tier-b]", "tags: logistics"),
]


@pytest.mark.parametrize(("line", "wrong"), WRONG, ids=[w for _, w in WRONG])
def test_wrong_values_fail_check_and_schema(line: str, wrong: str) -> None:
    """A value check refuses in the front-matter is refused by the schema as well."""
    text = GOOD.replace(line, wrong, 1)
    assert text != GOOD
    codes = {p.code for p in check_text("plan.md", text, Settings()).problems if p.code < "AP010"}
    assert codes & {"AP004", "AP005", "AP006"}, codes
    assert _schema_errors(text) != []


def test_dutch_words_and_capitals_validate() -> None:
    """The Dutch words and capitals check accepts for a choice are accepted by the schema."""
    text = GOOD.replace("market_position: challenger", "market_position: Uitdager").replace(
        "    influence: high", "    influence: hoog").replace("status: active", "status: Actief")
    assert [p for p in check_text("plan.md", text, Settings()).problems if p.is_error] == []
    assert _schema_errors(text) == []


def test_new_draft_validates_until_it_is_active() -> None:
    """The draft `new` writes validates (its empty fields are not filled in yet); set active,
    the same fields are refused, as check refuses them (AP007)."""
    draft = new_plan("Acme B.V.", "Sanne de Vries", language="nl", year=2027, settings=Settings())
    assert _schema_errors(draft) == []
    active = draft.replace("status: draft", "status: active")
    assert "AP007" in {p.code for p in check_text("plan.md", active, Settings()).problems}
    assert len(_schema_errors(active)) == len(FILLED_IN_LATER)


def test_new_leaves_the_table_s_empty_fields() -> None:
    """`new` writes without a value exactly the fields the table marks left_empty, each with
    its comment in the plan's language."""
    draft = new_plan("Acme", "Sanne", language="nl", year=2027, settings=Settings())
    empty = [line.split(":")[0] for line in draft.split("---")[1].splitlines() if "#" in line]
    assert empty == [f.name for f in PLAN_FIELDS if f.left_empty]
    assert gettext(field("reviewed").left_empty, "nl") in draft


def test_schema_descriptions_are_in_the_language() -> None:
    """The Dutch schema describes each field in Dutch, from the catalog."""
    dutch = front_matter_schema("nl")["properties"]
    assert dutch["year"]["description"].lower().startswith(gettext(field("year").help, "nl"))
    assert dutch["contacts"]["else"]["items"]["properties"]["role"]["description"].lower() == \
        gettext(field("contacts.role").help, "nl")


def test_site_publishes_the_schema(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build publishes the front-matter schema in the site's language at SCHEMA_URI."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  accountplans:\n    language: en\n" in text
    config.write_text(text.replace("  accountplans:\n    language: en\n",
                                   "  accountplans:\n    language: nl\n"), encoding="utf-8")
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne de Vries", language="nl"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(BUILD_DAY))
    site = build_site(project)
    published = json.loads((site / SCHEMA_URI).read_text(encoding="utf-8"))
    assert published == front_matter_schema("nl")



def test_export_schema_takes_the_field_table() -> None:
    """plans.schema.json has every front-matter field but seasonality, with the table's words,
    ranges and required texts, and null only where the model's value may be missing."""
    plan = plans_schema()["properties"]["plans"]["items"]["properties"]
    assert [f.name for f in PLAN_FIELDS if f.name not in RECORD_KEYS] == ["seasonality"]
    assert plan["status"] == {"enum": list(field("status").values)}
    assert plan["market_position"] == {"enum": [*field("market_position").values, None]}
    assert plan["year"]["anyOf"][0] == {"type": "integer", "minimum": 2000, "maximum": 2100}
    assert plan["account"] == {"type": "string", "minLength": 1}
    kind = plan["milestones"]["items"]["properties"]["kind"]
    assert kind == {"enum": list(field("milestones.kind").values)}

# --- the schema in an editor: remark (VS Code's unifiedjs.vscode-remark runs the same) -----


def _remark(folder: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    """The repository's remark setup (.remarkrc.mjs, npm's remark-lint-frontmatter-schema) run
    on `paths` of `folder`, a copy of the repository's layout."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "remark-lint-frontmatter-schema").is_dir():
        pytest.fail("remark is not installed: run `make test` (it runs `npm ci` first) "
                    "or `npm ci` in the project folder")
    shutil.copy(ROOT / ".remarkrc.mjs", folder / ".remarkrc.mjs")
    shutil.copytree(ROOT / "schema", folder / "schema")
    (folder / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return subprocess.run([node, str(ROOT / "node_modules" / ".bin" / "remark"), "--quiet",
                           "--frail", "--no-stdout", "--no-color", *paths], cwd=folder,
                          capture_output=True, text=True, timeout=120, check=False)


def test_remark_checks_plans_against_the_schema(tmp_path: Path) -> None:
    """remark passes a good plan and the dashboard, and reports a bad plan's wrong amount at
    its line and column and its unknown field."""
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(DATA / "good-plan.md", plans / "good.md")
    shutil.copy(DATA / "bad-plan.md", plans / "bad.md")
    (plans / "index.md").write_text("---\ntitle: Dashboard\n---\n\n# Dashboard\n", encoding="utf-8")
    clean = _remark(tmp_path, "plans/good.md", "plans/index.md")
    assert (clean.returncode, clean.stderr) == (0, ""), clean.stderr
    shutil.rmtree(tmp_path / "schema")
    (tmp_path / "node_modules").unlink()
    found = _remark(tmp_path, "plans/bad.md")
    assert found.returncode == 1, found.stderr
    year1 = GOOD.split("\n").index("    year1: 80000") + 1
    assert re.search(rf"^{year1}:12-{year1}:14 +warning Must be > 0", found.stderr, re.M), found.stderr
    assert "Must NOT have additional properties" in found.stderr


# --- the macro table -----------------------------------------------------------------------


def test_renderers_offer_the_table_s_macros() -> None:
    """Plan pages offer exactly the table's plan macros, the other pages its site macros."""
    plan = check_text("p.md", GOOD, Settings()).plan
    assert plan is not None
    assert tuple(plan_macros(plan, Settings(), TODAY)) == PLAN_MACROS
    assert tuple(portfolio_macros({}, Settings(), TODAY)) == PORTFOLIO_MACROS


def test_each_macro_names_its_renderer_and_print_size() -> None:
    """Each entry's renderer exists, and each plan macro has its print-size estimate."""
    for spec in MACRO_TABLE:
        module, *names = spec.renderer.split(".")
        found: object = importlib.import_module(f"accountplans.{module}")
        for name in names:
            found = getattr(found, name)
        assert callable(found), spec.renderer
        assert (spec.page == "plan") == bool(spec.print_size), spec.name
        assert not spec.print_size or spec.print_size in ESTIMATES
    assert {spec.print_size for spec in MACRO_TABLE if spec.print_size} == set(ESTIMATES)


#: Ways to call a plan macro: calls the checker accepts, and others it refuses (AP401).
CALLS = [
    "{{ targets_table() }}", "{{targets_table()}}", "{{- targets_table() -}}",
    "{{\ttargets_table(\t)\t}}", "{{ targets_table( ) }}", "{{ milestones_table() }}",
    "{{ targets_table(1) }}", "{{ targets_table }}", "{{ targets_table() | upper }}",
    "{{ targets_table()) }}", "{{ targets_table('x') }}",
]


@pytest.mark.parametrize("call", CALLS)
def test_every_reader_of_a_call_agrees_with_the_checker(call: str) -> None:
    """A line the checker accepts as a macro call (no AP401) is the call that the print-size
    estimate counts, the HTML check leaves out and the plain-page fast path fills in (unless it
    trims whitespace); a line it refuses is neither counted nor filled in."""
    accepted = not check_templates("p.md", call, 1, PLAN_MACROS)
    plan = check_text("p.md", GOOD, Settings()).plan
    counted = estimate_lines(plan, call) > estimate_lines(plan, "x" * len(call))
    left_out = RENDERED_TEMPLATE_ONLY.sub("", call) == ""
    filled = plain_markdown(call, PLAN_MACROS)
    assert counted == accepted
    assert left_out or not accepted  # (it leaves out any simple call: a refused one is AP401)
    assert filled == (accepted and "{{-" not in call)


@pytest.mark.parametrize("call", ["{{ Targets_table() }}", "{{ tables2() }}", "{{ _x() }}"])
def test_a_call_of_an_unknown_macro_is_refused(call: str) -> None:
    """A call of a name the table does not have is AP401, and nothing fills it in or prints it."""
    assert [p.code for p in check_templates("p.md", call, 1, PLAN_MACROS)] == ["AP401"]
    plan = check_text("p.md", GOOD, Settings()).plan
    assert estimate_lines(plan, call) <= estimate_lines(plan, "x" * len(call))
    assert not plain_markdown(call, PLAN_MACROS)
