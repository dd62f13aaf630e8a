"""Keeping plans current in one click (issue 12 item 3): with `repo_url` and `edit_uri` set,
every plan page has Material's edit link (`content.action.edit`) to its own file, for GitHub
and GitLab, plans in sub-folders included; pages the build makes have none. The header's
repository link fetches nothing from the forge (the site's CSP and rule: no request leaves
the site's host).

"Today" is pinned to plan_factory.TODAY.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.register_assert_rewrite("browser_support")
from browser_support import serve  # noqa: E402
from plan_factory import TODAY, build_site, clear_plans, epoch, plan_text, write_plan  # noqa: E402
from playwright.sync_api import Browser  # noqa: E402

pytest_plugins = ["browser_support"]

FORGES = {
    "github": ("https://github.com/acme/sales-plans", "edit/main/plans/",
               "https://github.com/acme/sales-plans/edit/main/plans/"),
    "gitlab": ("https://gitlab.com/acme/sales/plans", "-/edit/main/plans/",
               "https://gitlab.com/acme/sales/plans/-/edit/main/plans/"),
}
EDIT_LINK = re.compile(r'<a href="([^"]*)"[^>]*rel="edit"')


def _site(project: Path, forge: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site with a plan at the top, one in a sub-folder, a draft, and the forge's repo_url/edit_uri."""
    repo_url, edit_uri, _ = FORGES[forge]
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne de Vries"))
    (project / "plans" / "team-noord").mkdir()
    write_plan(project, "team-noord/bolt", plan_text("Bolt", "Joost Hendriks", language="nl"))
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(f"repo_url: {repo_url}\nedit_uri: {edit_uri}\n" + config,
                                        encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    return build_site(project)


def _edit_links(page: Path) -> list[str]:
    return EDIT_LINK.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("forge", sorted(FORGES))
def test_every_plan_page_links_to_its_own_file(project: Path, forge: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan's edit link opens the forge's editor on that plan's file, in a sub-folder too."""
    site = _site(project, forge, monkeypatch)
    base = FORGES[forge][2]
    assert _edit_links(site / "acme" / "index.html") == [base + "acme.md"]
    assert _edit_links(site / "team-noord" / "bolt" / "index.html") == [base + "team-noord/bolt.md"]
    assert _edit_links(site / "index.html") == [base + "index.md"]


@pytest.mark.parametrize("forge", sorted(FORGES))
def test_pages_the_build_makes_have_no_edit_link(project: Path, forge: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Owner pages, quarter pages and the tags page have no file to edit: no edit link."""
    site = _site(project, forge, monkeypatch)
    made = [site / "owners" / "sanne-de-vries" / "index.html", site / "quarters" / "2027-q1" / "index.html",
            site / "tags" / "index.html"]
    for page in made:
        assert page.is_file(), page
        assert _edit_links(page) == [], page


def test_without_repo_url_there_is_no_edit_link(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The project's own mkdocs.yml sets no repository: plan pages carry no edit link."""
    clear_plans(project)
    write_plan(project, "acme", plan_text("Acme", "Sanne de Vries"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(TODAY))
    assert _edit_links(build_site(project) / "acme" / "index.html") == []


def test_edit_link_is_hidden_in_print(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The print stylesheet hides Material's page buttons, the edit link among them."""
    css = (project / "theme_overrides" / "assets" / "stylesheets" / "print.css").read_text(encoding="utf-8")
    assert ".md-content__button" in css.split("display: none")[0]


def test_repository_link_fetches_nothing_from_the_forge(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                       chromium: Browser) -> None:
    """In Chromium a plan page with a GitHub repo_url shows the header's repository link and
    the edit link, requests nothing from another host and raises no CSP violation."""
    site = _site(project, "github", monkeypatch)
    with serve(site, project) as served:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            requests: list[str] = []
            console: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda message: console.append(message.text))
            page.goto(served.url + "acme/", wait_until="networkidle")
            page.wait_for_timeout(300)
            edit = page.locator('a[rel="edit"]')
            assert edit.get_attribute("href") == FORGES["github"][2] + "acme.md"
            assert page.locator("a.md-source").first.get_attribute("href") == FORGES["github"][0]
        finally:
            context.close()
    assert [url for url in requests if not url.startswith(served.url)] == []
    assert [text for text in console if "Content Security Policy" in text] == []
