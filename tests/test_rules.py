"""Every rule (README, "Rule codes"), AP001-AP403: failing on a bad plan, passing on a good one.

Each bad plan is the good fixture (tests/data/good-plan.md) with one defect. The expected
place of a problem is found in the text itself (`at`), so the tests say *where the author
typed the defect*, independent of how the checker finds it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from accountplans import RULES, Plan, Settings, check_bytes, check_paths, check_text
from accountplans.plan.body import heading
from accountplans.plan.problems import Problem
from accountplans.settings import normalise_title
from conftest import EXAMPLE_PLANS

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "good-plan.md").read_text(encoding="utf-8")
GOOD_NL = (DATA / "good-plan-nl.md").read_text(encoding="utf-8")
PATH = "plans/x.md"


def variant(old: str, new: str, text: str = GOOD) -> str:
    """The text with `old` (which must occur exactly once) replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def at(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle` in `text`."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def problems(text: str, settings: Settings | None = None) -> tuple[Problem, ...]:
    return check_text(PATH, text, settings or Settings()).problems


def one(text: str, code: str, settings: Settings | None = None) -> Problem:
    """The single problem with `code`; fails if there are none or several."""
    found = [p for p in problems(text, settings) if p.code == code]
    assert len(found) == 1, f"expected one {code}, got {[str(p) for p in found]}"
    return found[0]


def codes(text: str) -> set[str]:
    return {p.code for p in problems(text)}


def assert_problem(p: Problem, code: str, severity: str, place: tuple[int, int], fix: str) -> None:
    """Code, severity, line:col, and a message that says how to fix it (contains `fix`)."""
    assert (p.code, p.severity) == (code, severity), str(p)
    assert (p.line, p.col) == place, str(p)
    assert p.path == PATH
    assert fix in p.message, p.message
    assert "\n" not in p.message
    assert str(p) == f"{PATH}:{place[0]}:{place[1]}: {code} {severity}: {p.message}"


# --- the good plans ---------------------------------------------------------------------


def test_good_english_plan_has_no_problems() -> None:
    """The English fixture is clean: no error, no warning."""
    assert problems(GOOD) == ()


def test_good_dutch_plan_with_classic_titles_has_no_problems() -> None:
    """The classic article's Dutch titles and flow-style milestones are accepted."""
    assert problems(GOOD_NL) == ()


def test_good_plan_is_read_into_the_model() -> None:
    """The fixture's values reach the Plan model: Decimal money, dates, contacts."""
    plan = check_text(PATH, GOOD_NL, Settings()).plan
    assert plan is not None
    assert str(plan.targets[0].year1) == "12500.50"
    assert [s.id for s in plan.sections] == [
        "organisation", "market", "customer-goals", "swot", "our-goals", "timeline"]
    assert plan.decision_makers[0].name == "Henk Smit"
    assert plan.language == "nl"


def test_page_without_account_is_not_a_plan() -> None:
    """A help page (front-matter without account) gets no plan rules at all."""
    checked = check_text("plans/help.md", "---\ntitle: Help\n---\n\n# Help\n", Settings())
    assert checked.plan is None and checked.problems == ()


# --- AP001-AP006: the front-matter ------------------------------------------------------


@pytest.mark.parametrize(("front", "kind"), [("- a\n- b\n", "a list"), ("just words\n", "plain text")])
def test_ap001_front_matter_not_a_mapping(front: str, kind: str) -> None:
    """AP001 when the front-matter is a list or a string."""
    p = one(f"---\n{front}---\n\n## Organisation\n", "AP001")
    assert_problem(p, "AP001", "error", (2, 1), "start each line with a field name")
    assert kind in p.message


def test_ap002_yaml_syntax_error_at_its_line() -> None:
    """AP002 at the line and column of the YAML error, with a hint."""
    text = variant("owner: Tom Baker\n", "owner: Tom: Baker\n")
    p = one(text, "AP002")
    assert_problem(p, "AP002", "error", at(text, ": Baker"), "in quotes")


def test_ap002_front_matter_never_closed() -> None:
    """AP002 when the opening --- has no closing line."""
    p = one("---\naccount: A\n\n## Organisation\n", "AP002")
    assert_problem(p, "AP002", "error", (1, 1), "add a line with only ---")


def test_ap002_tab_indentation() -> None:
    """Tabs in the indentation are AP002 with 'indent with spaces'."""
    text = variant("  industry: Logistics\n", "\tindustry: Logistics\n")
    p = one(text, "AP002")
    assert p.line == at(text, "\tindustry")[0]
    assert_problem(p, "AP002", "error", (p.line, p.col), "indent with spaces, not tabs")


def test_ap003_duplicate_top_level_key() -> None:
    """AP003 on the second of two equal keys, naming the first's line."""
    text = variant("status: active\n", "status: active\nowner: Someone Else\n")
    p = one(text, "AP003")
    assert_problem(p, "AP003", "error", at(text, "owner: Someone"), "merge the two")
    assert f"first on line {at(text, 'owner: Tom')[0]}" in p.message


def test_ap003_duplicate_nested_key() -> None:
    """AP003 inside a contact's block too."""
    text = variant("    role: COO\n", "    role: COO\n    role: CEO\n")
    p = one(text, "AP003")
    assert_problem(p, "AP003", "error", at(text, "role: CEO"), "merge the two")


@pytest.mark.parametrize("field", ["owner", "year", "reviewed"])
def test_ap004_required_top_level_field_missing(field: str) -> None:
    """AP004 names the missing field and the line to add."""
    line = next(ln for ln in GOOD.splitlines(keepends=True) if ln.startswith(f"{field}:"))
    p = one(variant(line, ""), "AP004")
    assert_problem(p, "AP004", "error", (2, 1), f"add a line '{field}: ")


def test_ap004_required_target_field_missing() -> None:
    """AP004 for a target without year1, at the target's block."""
    text = variant("    year1: 80000\n", "")
    p = one(text, "AP004")
    assert_problem(p, "AP004", "error", at(text, "product: Route"), "add a line 'year1: 120000'")
    assert "targets[1].year1" in p.message


def test_ap005_no_read_as_false() -> None:
    """`language: NO` (YAML reads false) is AP005 and says so."""
    text = variant("language: en\n", "language: NO\n")
    p = one(text, "AP005")
    assert_problem(p, "AP005", "error", at(text, "NO"), "did you mean nl?")
    assert "reads NO as false" in p.message


def test_ap005_no_as_text_value_asks_for_quotes() -> None:
    """A name typed as `NO` (Norway? a person?) must be quoted: YAML reads false."""
    text = variant("owner: Tom Baker\n", "owner: NO\n")
    p = one(text, "AP005")
    assert_problem(p, "AP005", "error", at(text, "NO"), 'put it in quotes: "NO"')


def test_ap005_quoted_no_passes() -> None:
    """The fix the message gives is accepted."""
    assert "AP005" not in codes(variant("owner: Tom Baker\n", 'owner: "NO"\n'))


def test_ap005_leading_zero_is_octal() -> None:
    """`012` (YAML 1.1 octal: 10) is refused with the digits as typed."""
    text = variant("visits_per_year: 4\n", "visits_per_year: 012\n")
    p = one(text, "AP005")
    assert_problem(p, "AP005", "error", at(text, "012"), "without the leading zero")


def test_ap005_thousands_separator() -> None:
    """`120.000` (a Dutch thousands separator) is not read as 120."""
    text = variant("year1: 80000\n", "year1: 120.000\n")
    p = one(text, "AP005")
    assert_problem(p, "AP005", "error", at(text, "120.000"), "e.g. 120000")


def test_ap005_date_that_does_not_exist() -> None:
    """2026-13-01 is AP005, not a traceback."""
    text = variant("reviewed: 2026-11-10\n", "reviewed: 2026-13-01\n")
    p = one(text, "AP005")
    assert_problem(p, "AP005", "error", at(text, "2026-13-01"), "YYYY-MM-DD")


def test_ap005_negative_amount() -> None:
    """A negative year1 names the field and the value, as the README's example line."""
    text = variant("year1: 80000\n", "year1: -5\n")
    p = one(text, "AP005")
    assert_problem(p, "AP005", "error", at(text, "-5"), "write digits only")
    assert p.message.startswith("targets[1].year1 must be a positive number, got -5")


def test_ap005_unknown_enum_value() -> None:
    """An enum value that is not allowed lists the options and suggests the nearest."""
    text = variant("market_position: challenger\n", "market_position: chalenger\n")
    p = one(text, "AP005")
    assert_problem(p, "AP005", "error", at(text, "chalenger"), "did you mean challenger?")


def test_ap005_wrong_type() -> None:
    """A list where a block is expected."""
    text = variant("organisation:\n  industry: Logistics\n  fte: 850\n  website: https://northwind.example\n",
                   "organisation: [Logistics]\n")
    p = one(text, "AP005")
    assert_problem(p, "AP005", "error", at(text, "[Logistics]"), "one field a line")


def test_ap006_unknown_field_did_you_mean() -> None:
    """A misspelt field is a warning with a suggestion."""
    text = variant("visits_per_year: 4\n", "visits_per_yer: 4\n")
    p = one(text, "AP006")
    assert_problem(p, "AP006", "warning", at(text, "visits_per_yer"), "did you mean 'visits_per_year'?")


def test_ap006_unknown_nested_field() -> None:
    """Unknown fields inside a contact are named with their path."""
    text = variant("    role: COO\n", "    role: COO\n    e-mail: grace@northwind.example\n")
    p = one(text, "AP006")
    assert_problem(p, "AP006", "warning", at(text, "e-mail"), "known fields:")
    assert "contacts[1].e-mail" in p.message


# --- AP101-AP104: the sections ----------------------------------------------------------


def test_ap101_required_section_missing() -> None:
    """AP101 names the missing section in English and Dutch."""
    text = variant("## Customer goals\n\nCut empty kilometres by 10% in 2027.\n\n", "")
    p = one(text, "AP101")
    last_line = text.rstrip().count("\n") + 1
    assert_problem(p, "AP101", "error", (last_line, 1),
                   "add a heading '## Customer goals' (or '## Doelen van de klant')")


def test_ap101_swot_is_optional() -> None:
    """SWOT is the one section a plan may leave out."""
    assert problems(variant("## SWOT\n\nStrong sponsor in the COO; IT is stretched.\n\n", "")) == ()


def test_ap102_section_without_content() -> None:
    """A heading with nothing under it (an HTML comment does not count) is AP102."""
    text = variant("Challenger to the two national carriers.\n", "<!-- todo -->\n")
    p = one(text, "AP102")
    assert_problem(p, "AP102", "error", at(text, "## Market position"), "write at least a sentence")


def test_ap103_sections_out_of_order() -> None:
    """AP103 is a warning on the section that comes too late."""
    swot = "## SWOT\n\nStrong sponsor in the COO; IT is stretched.\n\n"
    text = variant(swot, "").replace("## Organisation\n", swot + "## Organisation\n")
    p = one(text, "AP103")
    assert_problem(p, "AP103", "warning", at(text, "## SWOT"), "move it to its place")
    assert "'SWOT'" in p.message


def test_ap104_section_twice() -> None:
    """The second heading of one section (here in Dutch) is AP104."""
    text = GOOD + "\n## Tijdsplanning\n\nMore dates.\n"
    p = one(text, "AP104")
    assert_problem(p, "AP104", "error", at(text, "## Tijdsplanning"), "merge the two")


def test_bold_heading_and_colon_still_name_the_section() -> None:
    """`## **Market position**:` is the market section, as authors write it in Word."""
    assert problems(variant("## Market position\n", "## **Market position**:\n")) == ()


def test_sections_in_fenced_code_are_ignored() -> None:
    """A heading inside fenced code is not a section."""
    text = GOOD + "\n```\n## Timeline\n```\n"
    assert "AP104" not in codes(text)


# --- AP201: two A4 pages ----------------------------------------------------------------


LONG = "\n\n".join(["Our sponsor wants the rollout finished before the summer peak. " * 6] * 40)


def test_ap201_plan_longer_than_two_pages() -> None:
    """A plan of forty long paragraphs is AP201 with the estimated page count."""
    text = variant("Northwind runs 14 depots across the Midlands.\n", LONG + "\n")
    p = one(text, "AP201")
    body_line = at(text, "---\n\n## Organisation")[0] + 1
    assert_problem(p, "AP201", "error", (body_line, 1), "cut about")
    assert "more than the 2 allowed" in p.message


def test_ap201_respects_max_pages_setting() -> None:
    """With max_pages raised far enough, the same plan passes."""
    text = variant("Northwind runs 14 depots across the Midlands.\n", LONG + "\n")
    assert not [p for p in problems(text, Settings(max_pages=10)) if p.code == "AP201"]


# --- drafts -----------------------------------------------------------------------------


def test_draft_lowers_ap101_ap102_ap201_to_warnings() -> None:
    """In a draft, a missing section, an empty section and a long text are warnings."""
    text = variant("status: active\n", "status: draft\n")
    text = variant("## Customer goals\n\nCut empty kilometres by 10% in 2027.\n", "", text)
    text = variant("Challenger to the two national carriers.\n", "", text)
    text = variant("Northwind runs 14 depots across the Midlands.\n", LONG + "\n", text)
    found = {p.code: p.severity for p in problems(text)}
    assert found == {"AP101": "warning", "AP102": "warning", "AP201": "warning"}


def test_draft_keeps_other_errors() -> None:
    """A draft's AP005 stays an error."""
    text = variant("status: active\n", "status: draft\n")
    assert one(variant("fte: 850\n", "fte: many\n", text), "AP005").severity == "error"


# --- AP301-AP304: people, evaluations, accounts -----------------------------------------


def test_ap301_reports_to_unknown_contact() -> None:
    """reports_to must name a listed contact; AP301 at the name typed."""
    text = variant("reports_to: Grace Hill\n", "reports_to: Grace Hall\n")
    p = one(text, "AP301")
    assert_problem(p, "AP301", "error", at(text, "Grace Hall"), "add Grace Hall to contacts")


def test_ap301_milestone_with_unknown_contact() -> None:
    """A milestone `with` someone who is not a contact is AP301."""
    text = variant("    with: Omar Reed\n", "    with: Omar Reid\n")
    p = one(text, "AP301")
    assert_problem(p, "AP301", "error", at(text, "Omar Reid"), "use one of: Grace Hill, Omar Reed")


def test_people_are_matched_by_their_name_key() -> None:
    """`reports_to` and `with` match a contact case- and space-insensitively, as every name
    of the package does (accountplans.names.name_key): no AP301."""
    text = variant("reports_to: Grace Hill\n", "reports_to: grace  HILL\n")
    text = text.replace("    with: Omar Reed\n", "    with: omar   reed\n", 1)
    assert "AP301" not in codes(text)


def test_ap302_no_decision_maker() -> None:
    """AP302 is a warning at the contacts field."""
    text = variant("    decision_maker: true\n", "")
    p = one(text, "AP302")
    assert_problem(p, "AP302", "warning", at(text, "contacts:"), "add 'decision_maker: true'")


def test_ap303_quarter_without_evaluation() -> None:
    """Q2 without an evaluation is named."""
    text = variant("    title: Q2 review\n    kind: evaluation\n", "    title: Q2 review\n    kind: visit\n")
    p = one(text, "AP303")
    assert_problem(p, "AP303", "warning", at(text, "milestones:"), "'kind: evaluation'")
    assert "Q2 2027" in p.message and "Q1" not in p.message


def test_ap304_two_plans_same_account(tmp_path: Path) -> None:
    """AP304 on the second file (sorted by path) at its account line, naming the first."""
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    other = variant("account: Northwind Logistics Ltd", "account: northwind  logistics LTD")
    (tmp_path / "b.md").write_text(other, encoding="utf-8")
    _, found = check_paths([tmp_path], Settings(), display=tmp_path)
    [p] = [q for q in found if q.code == "AP304"]
    assert (p.path, p.line, p.col, p.severity) == ("b.md", 2, 1, "error")
    assert "already has a plan in a.md" in p.message and "merge the two plans" in p.message


def test_ap304_distinct_accounts_pass(tmp_path: Path) -> None:
    """Two different accounts are fine."""
    (tmp_path / "a.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text(GOOD_NL, encoding="utf-8")
    assert check_paths([tmp_path], Settings())[1] == []


# --- AP401-AP403: template code, HTML, the file itself ----------------------------------


def test_ap401_unknown_macro_did_you_mean() -> None:
    """A misspelt macro is AP401 with the right name."""
    text = variant("{{ targets_table() }}", "{{ target_table() }}")
    p = one(text, "AP401")
    assert_problem(p, "AP401", "error", at(text, "{{ target_table"), "did you mean {{ targets_table() }}?")


@pytest.mark.parametrize("code", [
    "{{ config }}",
    "{{ cycler.__init__.__globals__.os.environ }}",
    "{% for x in range(10) %}x{% endfor %}",
    "{{ targets_table() | safe }}",
])
def test_ap401_template_code_other_than_a_macro_call(code: str) -> None:
    """Anything but a plain call of a known macro is AP401 at its column."""
    text = variant("Cut empty kilometres", f"Cut {code} empty kilometres")
    found = [p for p in problems(text) if p.code == "AP401"]
    assert found
    assert_problem(found[0], "AP401", "error", at(text, code), "Remove it")


def test_ap401_also_in_fenced_code() -> None:
    """Template code in a code fence would still run, so it is reported there too."""
    text = GOOD + "\n```\n{{ config }}\n```\n"
    assert_problem(one(text, "AP401"), "AP401", "error", at(text, "{{ config"), "Remove it")


def test_ap402_word_pasted_html_with_onclick() -> None:
    """An on* attribute in pasted HTML is AP402 at the attribute."""
    html = '<p class="MsoNormal" onclick="track()">Pasted from Word</p>'
    text = variant("Cut empty kilometres by 10% in 2027.\n", html + "\n")
    p = one(text, "AP402")
    assert_problem(p, "AP402", "error", at(text, "onclick"), "remove it")


def test_ap402_script_tag() -> None:
    """<script> is AP402 at the tag."""
    text = variant("Cut empty kilometres by 10% in 2027.\n", "Cut.\n<SCRIPT>alert(1)</SCRIPT>\n")
    p = one(text, "AP402")
    assert_problem(p, "AP402", "error", at(text, "<SCRIPT"), "remove it")


def test_ap402_javascript_link() -> None:
    """A Markdown link to javascript: is AP402 at the scheme."""
    text = variant("Cut empty kilometres by 10% in 2027.\n", "See [the report](javascript:alert(1)).\n")
    p = one(text, "AP402")
    assert_problem(p, "AP402", "error", at(text, "javascript"), "https://")


@pytest.mark.parametrize(("html", "needle", "fix"), [
    ('<p class="MsoNormal"\n   onclick="track()">Pasted</p>', "onclick", "remove it"),
    ('<img/onerror=alert(1) src="x.png">', "onerror", "remove it"),
    ('[the report](java&#115;cript:alert(1))', "java&#115;", "https://"),
    ('<a href=" jav&#x09;ascript:alert(1)">x</a>', ' jav&#x09;', "https://"),
    ('See [the report][r].\n\n[r]: javascript:alert(1)', "javascript", "https://"),
])
def test_ap402_evasions(html: str, needle: str, fix: str) -> None:
    """Tags broken over lines, '/' before an attribute, entity-encoded schemes, link references
    (at the definition's line: the link is harmless until the definition makes it unsafe)."""
    text = variant("Cut empty kilometres by 10% in 2027.\n", "Cut.\n\n" + html + "\n")
    assert_problem(one(text, "AP402"), "AP402", "error", at(text, needle), fix)


def test_ap402_not_in_code() -> None:
    """HTML shown as code (span or fence) is harmless text."""
    text = variant("Cut empty kilometres by 10% in 2027.\n",
                   "Write `<script>` in code.\n\n```html\n<a onclick=\"x()\">\n```\n")
    assert "AP402" not in codes(text)


def test_ap403_latin1_file() -> None:
    """A Latin-1 file is AP403 at the first byte that is not UTF-8."""
    text = variant("Northwind runs 14 depots", "Northwind runs 14 dépôts")
    found = check_bytes(PATH, text.encode("latin-1"), Settings()).problems
    [p] = found
    assert_problem(p, "AP403", "error", at(text, "é"), "save it as UTF-8")


def test_ap403_file_larger_than_1_mib() -> None:
    """A 2 MiB file is AP403 without a line (it has no place), and is not parsed."""
    data = GOOD.encode() + b"\n" + b"x" * (2 * 1024 * 1024)
    [p] = check_bytes(PATH, data, Settings()).problems
    assert (p.code, p.severity, p.line, p.col) == ("AP403", "error", 0, 0)
    assert str(p).startswith(f"{PATH}: AP403 error: the file is 2.0 MiB")
    assert "link to them instead" in p.message


def test_utf8_with_bom_and_crlf_is_fine() -> None:
    """Windows editors' BOM and CRLF line ends are accepted."""
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    assert check_bytes(PATH, data, Settings()).problems == ()


# --- hostile YAML -----------------------------------------------------------------------


def test_alias_bomb_is_answered_without_expansion() -> None:
    """A billion-laughs front-matter (9**30 leaves if expanded) is answered, coded."""
    lines = ['lol0: &l0 ["lol"]']
    lines += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 31)]
    text = variant("tags: [logistics, tier-b]\n", "\n".join(lines) + "\ntags: *l30\n")
    found = problems(text)
    assert {p.code for p in found} == {"AP005", "AP006"}
    assert len(found) == 9 + 31  # each of the 9 tags is a list; 31 unknown fields


def test_rules_table_matches_design() -> None:
    """Every code the checker can emit is in RULES, with the severity the README gives it."""
    warnings = {code for code, rule in RULES.items() if rule.severity == "warning"}
    assert warnings == {"AP006", "AP103", "AP302", "AP303", "AP307", "AP308", "AP309", "AP502"}
    assert {"AP007", "AP105", "AP305", "AP306", "AP307"} <= set(RULES)


# --- the example plans (tests/data/example-plans, copies of the template's) ----------------


def _example_plans() -> list[Plan]:
    files, found = check_paths([EXAMPLE_PLANS], Settings())
    assert found == [], [str(p) for p in found]
    return [f.plan for f in files if f.plan is not None]


def test_example_plans_are_clean() -> None:
    """Every example plan passes `check` with no error and no warning."""
    assert len(_example_plans()) >= 5


def test_example_plans_cover_the_variety() -> None:
    """Dutch and English; leader, challenger, niche and start-up; 1 to 4 products."""
    plans = _example_plans()
    assert {p.language for p in plans} == {"nl", "en"}
    assert {"leader", "challenger", "niche", "start-up"} <= {p.market_position for p in plans}
    assert {1, 4} <= {len(p.targets) for p in plans}
    for plan in plans:
        assert plan.decision_makers and any(c.reports_to for c in plan.contacts), plan.path
        assert plan.tags, plan.path
        quarters = {(m.date.month - 1) // 3 for m in plan.milestones
                    if m.kind == "evaluation" and m.date.year == 2027}
        assert quarters == {0, 1, 2, 3}, plan.path


def test_example_plans_have_done_and_upcoming_milestones() -> None:
    """Some milestones are done; some fall in the 30 days after 2026-11-27."""
    milestones = [m for p in _example_plans() for m in p.milestones]
    assert any(m.done for m in milestones)
    today = dt.date(2026, 11, 27)
    assert sum(today <= m.date <= today + dt.timedelta(days=30) for m in milestones) >= 3


def test_van_dijk_keeps_its_golden_numbers() -> None:
    """Issue 3's golden value: Cloud ERP year1 120000 with the seasonality 5,5,8,8,9,9,6,6,10,10,12,12."""
    [plan] = [p for p in _example_plans() if p.account == "Bakkerij Van Dijk B.V."]
    assert plan.targets[0].product == "Cloud ERP licences"
    assert str(plan.targets[0].year1) == "120000"
    assert [int(w) for w in plan.seasonality or ()] == [5, 5, 8, 8, 9, 9, 6, 6, 10, 10, 12, 12]


def test_readme_example_plan_has_no_errors() -> None:
    """The plan shown in README.md is accepted (only AP303: it shows one evaluation)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```markdown\n(.*?)```\n", readme, re.S)
    assert match is not None
    assert [p.code for p in problems(match.group(1))] == ["AP303"]


def test_long_quoted_text_keeps_the_message_short() -> None:
    """A pasted page as a field name gives a short message that still ends with the fix."""
    p = one(variant("market_position: challenger", "market_position: " + "x" * 5000), "AP005")
    assert len(p.message) < 410
    assert p.message.startswith("market_position must be one of") and p.message.endswith("these words")


def test_heading_with_a_long_run_of_spaces_is_read() -> None:
    """A heading line padded with 100,000 spaces is still a heading (no regex backtracking)."""
    assert heading("## Market" + " " * 100_000 + "position ##") == (2, "Market" + " " * 100_000 + "position")
    assert normalise_title("Market" + " " * 100_000 + "position") == "market position"


def test_heading_attribute_list_and_closing_hashes_are_dropped() -> None:
    """`## Timeline {#plan} ##`-style decorations do not change the section's title."""
    assert heading("## Timeline {#when}") == (2, "Timeline")
    assert heading("### SWOT ###") == (3, "SWOT")
    assert heading("#hashtag") is None and heading("    ## code") is None
    assert heading("## C#") == (2, "C#")
    assert heading("## {" * 1000) is not None


# --- issue 11: Dutch input words, `with:` lists, near headings, completeness --------------


@pytest.mark.parametrize(("written", "field", "value"), [
    ("market_position: marktleider", "market_position", "leader"),
    ("market_position: Uitdager", "market_position", "challenger"),
])
def test_dutch_words_accepted_for_market_position(written: str, field: str, value: str) -> None:
    """The Dutch words the site shows are accepted as input for the value they stand for."""
    plan = check_text(PATH, variant("market_position: challenger", written), Settings()).plan
    assert plan is not None and getattr(plan, field) == value
    assert problems(variant("market_position: challenger", written)) == ()


@pytest.mark.parametrize(("written", "attitude", "influence"), [
    ("attitude: criticus\n    influence: laag", "critic", "low"),
    ("attitude: voorstander\n    influence: hoog", "supporter", "high"),
])
def test_dutch_words_accepted_for_contacts(written: str, attitude: str, influence: str) -> None:
    """Attitude and influence take their Dutch words (criticus, voorstander, laag, hoog)."""
    text = variant("attitude: supporter\n    influence: high", written) \
        if "attitude: supporter\n    influence: high" in GOOD else None
    if text is None:
        text = variant("influence: high", written.split("\n    ")[1]).replace(
            "attitude: supporter", written.split("\n    ")[0], 1)
    plan = check_text(PATH, text, Settings()).plan
    assert plan is not None
    assert (plan.contacts[0].attitude, plan.contacts[0].influence) == (attitude, influence)


def test_afsluiting_is_a_deal() -> None:
    """`kind: afsluiting` (Dutch for closing a deal) is a deal, not "did you mean evaluation"."""
    text = variant("title: Q2 review\n    kind: evaluation", "title: Q2 review\n    kind: afsluiting")
    plan = check_text(PATH, text, Settings()).plan
    assert plan is not None and [m.kind for m in plan.milestones if m.title == "Q2 review"] == ["deal"]


def test_did_you_mean_across_both_languages() -> None:
    """A typo of a Dutch word is answered with that Dutch word and the value it stands for."""
    p = one(variant("market_position: challenger", "market_position: marktleidr"), "AP005")
    assert "did you mean marktleider (leader)?" in p.message


def test_with_takes_a_list_of_contacts() -> None:
    """`with: [a, b]` names two contacts; both are kept and shown joined."""
    text = variant("with: Grace Hill", "with: [Grace Hill, Omar Reed]")
    plan = check_text(PATH, text, Settings()).plan
    assert plan is not None and problems(text) == ()
    (milestone,) = [m for m in plan.milestones if len(m.with_names) > 1]
    assert (milestone.with_names, milestone.with_) == (("Grace Hill", "Omar Reed"), "Grace Hill, Omar Reed")


def test_with_list_reports_the_unknown_name_at_its_place() -> None:
    """Each name of a `with:` list is checked; AP301 points at the unknown one."""
    text = variant("with: Grace Hill", "with: [Grace Hill, Nobody Known]")
    p = one(text, "AP301")
    assert_problem(p, "AP301", "error", at(text, "Nobody Known"), "add them to contacts")


def test_misspelt_heading_is_ap101_at_the_heading() -> None:
    """`## Markt positie` is reported where it is written, with "did you mean"."""
    text = variant("## Market position\n", "## Markt positie\n")
    p = one(text, "AP101")
    assert_problem(p, "AP101", "error", at(text, "## Markt positie"), "did you mean Marktpositie?")


def test_no_targets_is_ap305() -> None:
    """An active plan without targets is AP305 (an error)."""
    text = re.sub(r"targets:\n(  .*\n|    .*\n)+", "targets: []\n", GOOD)
    assert [p.code for p in problems(text) if p.is_error] == ["AP305"]


def test_no_contacts_is_ap306() -> None:
    """An active plan without contacts is AP306 (an error)."""
    text = re.sub(r"contacts:\n(  .*\n|    .*\n)+", "contacts: []\n", GOOD)
    text = re.sub(r"\n    with: [^\n]*", "", text)
    assert "AP306" in {p.code for p in problems(text) if p.is_error}


def test_decision_maker_nobody_meets_is_ap307() -> None:
    """A decision maker with no milestone planned with them is AP307 (a warning) at the contact."""
    text = variant("with: Grace Hill", "with: Omar Reed")
    p = one(text, "AP307")
    assert (p.severity, p.line) == ("warning", at(text, "- name: Grace Hill")[0])
    assert "with: Grace Hill" in p.message


def test_empty_field_is_not_filled_in_yet() -> None:
    """A field written without a value (as `new` leaves it) is AP007 "not filled in yet"."""
    text = variant("market_position: challenger", "market_position:")
    p = one(text, "AP007")
    assert_problem(p, "AP007", "error", at(text, "market_position:"), "not filled in yet")


def test_checker_messages_in_the_site_language() -> None:
    """With `language: nl` in the settings, the checker's messages are Dutch."""
    text = variant("## Market position\n", "## Markt positie\n")
    p = one(text, "AP101", Settings(language="nl"))
    assert "bedoel je Marktpositie?" in p.message


def test_draft_warnings_do_not_fail_strict() -> None:
    """A draft's warnings never fail --strict; an active plan's do, and errors always do."""
    from accountplans.plan.drafts import fails_strict

    draft = check_text(PATH, variant("status: active", "status: draft").replace(
        "market_position: challenger", "market_position:"), Settings())
    active = check_text(PATH, variant("with: Grace Hill", "with: Omar Reed"), Settings())
    assert draft.plan is not None and active.plan is not None
    assert [fails_strict(p, draft.plan) for p in draft.problems] == [False]
    assert [fails_strict(p, active.plan) for p in active.problems] == [True]
