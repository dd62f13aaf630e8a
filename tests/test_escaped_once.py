"""Plan text with every character that means something in HTML (<>&"') is escaped exactly
once on every kind of generated page: the dashboard, an owner's page, a quarter page and the
plan's own page (issue 13 item 3). A real in-process `mkdocs build` of a project made here.

Escaped once is read as a browser reads it: the page's text and attribute values, decoded,
hold the value as written. Not escaped, its `<b>` would be an element and the value would not
be one piece of text; escaped twice, the decoded text would show `&lt;` and `&amp;`.
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from accountplans.site.markup import escape
from conftest import ROOT
from plan_factory import TODAY, build_site, epoch, plan_text, write_plan

ACCOUNT = "Vos & Zn <b>\"Account\"</b> 's-Hertogenbosch"
OWNER = "Anne <i>O'Neil</i> & \"Sons\""
CONTACT = "Piet <em>\"Contact\"</em> & 'Co'"
TAG = "R&D <tag> \"x\" 'y'"
MILESTONE = "Visit <script>\"Milestone\"</script> & 'more'"
PRODUCT = "Licences <u>& \"Product\"</u> 'z'"

DASHBOARD = ("---\ntitle: Dashboard\n---\n\n# Account plans\n\n{{ headline() }}\n\n"
             "## All plans\n\n{{ plans_table() }}\n\n## Upcoming\n\n{{ upcoming_milestones() }}\n\n"
             "## Owners\n\n{{ owner_plans() }}\n\n## Quarters\n\n{{ quarterly_views() }}\n")


class _Text(HTMLParser):
    """Every text node and attribute value of a page, decoded as a browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pieces += [value for _, value in attrs if value]

    def handle_data(self, data: str) -> None:
        self.pieces.append(data)


def _decoded(page: Path) -> list[str]:
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.pieces


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of a dashboard and two plans of one owner, one of them hostile, built."""
    project = tmp_path_factory.mktemp("escaped")
    for name in ("hooks", "theme_overrides"):
        shutil.copytree(ROOT / name, project / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "plans").mkdir()
    (project / "plans" / "index.md").write_text(DASHBOARD, encoding="utf-8")
    hostile = plan_text(ACCOUNT, OWNER, tags=[TAG], heading=False, targets=((PRODUCT, 120000, 300000),),
                        milestones=[("2027-03-20", MILESTONE, "visit", False)])
    write_plan(project, "hostile", hostile.replace("Chris Decider", json.dumps(CONTACT)))
    write_plan(project, "calm", plan_text("Calm B.V.", OWNER))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        return build_site(project)


def _page(site: Path, kind: str) -> Path:
    if kind == "owner":
        [page] = site.glob("owners/*/index.html")
        return page
    return site / {"dashboard": "index.html", "quarter": "quarters/2027-q1/index.html",
                   "plan": "hostile/index.html"}[kind]


# What each kind of page shows of the plan.
SHOWN = {
    "plan": (ACCOUNT, OWNER, CONTACT, TAG, MILESTONE, PRODUCT),
    "dashboard": (ACCOUNT, OWNER, CONTACT, TAG, MILESTONE),
    "owner": (ACCOUNT, OWNER, CONTACT, TAG, MILESTONE),
    "quarter": (ACCOUNT, OWNER, MILESTONE),
}


@pytest.mark.parametrize("kind", sorted(SHOWN))
def test_plan_text_is_escaped_exactly_once(site: Path, kind: str) -> None:
    """Each value the page shows reads, decoded, as written: escaped once, never twice."""
    pieces = _decoded(_page(site, kind))
    missing = [value for value in SHOWN[kind] if not any(value in piece for piece in pieces)]
    twice = [value for value in SHOWN[kind] if any(str(escape(value)) in piece for piece in pieces)]
    assert (missing, twice) == ([], [])


@pytest.mark.parametrize("kind", sorted(SHOWN))
def test_no_plan_markup_becomes_an_element(site: Path, kind: str) -> None:
    """None of the values' start tags (<b>, <i>, <em>, <tag>, <script>, <u>) is in the page's HTML."""
    html = _page(site, kind).read_text(encoding="utf-8")
    assert [tag for tag in ('<b>"Account', "<i>O'Neil", '<em>"Contact', "<tag>", '<script>"Milestone', "<u>&")
            if tag in html] == []
